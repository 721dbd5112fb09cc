"""A step that computes the MSE gradients right and returns them, not the weights
they update: told so in words, never sent to a line that is right.

expect: function sgd; loss mse; exit 1; w1 nothing; w2 nothing; origin update
"""

import numpy as np


def sgd(x, y, w1, w2, lr):
    h = 1 / (1 + np.exp(-np.dot(x, w1)))
    out = 1 / (1 + np.exp(-np.dot(h, w2)))
    delta_out = 2 * (out - y) / 3 * out * (1 - out)
    delta_h = np.dot(delta_out, w2.T) * h * (1 - h)
    grad_w1 = np.dot(x.T, delta_h)
    grad_w2 = np.dot(h.T, delta_out)
    return grad_w1, grad_w2
