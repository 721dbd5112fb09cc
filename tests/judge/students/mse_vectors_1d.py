"""One sample as 1-D vectors and np.outer, updating the weights in place.

expect: function step; loss mse; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def step(x, y, w1, w2, alpha):
    x, y = x.ravel(), y.ravel()  # (30,) and (3,): one sample only
    h = 1 / (1 + np.exp(-np.dot(x, w1)))
    out = 1 / (1 + np.exp(-np.dot(h, w2)))
    delta_out = 2 * (out - y) / 3 * out * (1 - out)
    delta_hidden = np.dot(w2, delta_out) * h * (1 - h)
    w2 -= alpha * np.outer(h, delta_out)
    w1 -= alpha * np.outer(x, delta_hidden)
    return w1, w2
