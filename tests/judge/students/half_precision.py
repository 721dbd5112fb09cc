"""A correct MSE backprop computed in half precision (float16, as a GPU's mixed
precision might): judged at float16's own rounding, the gradients that
underflow to zero where the network saturates understood as such.

expect: function backprop; loss mse; exit 0; w1 correct; w2 correct; origin none; precision float16
"""

import numpy as np


def backprop(x, y, w1, w2):
    x, y, w1, w2 = (a.astype(np.float16) for a in (x, y, w1, w2))
    a1 = 1 / (1 + np.exp(-(x @ w1)))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    d2 = np.float16(2 / 3) * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
