"""A correct MSE backprop that computes in single precision (its inputs cast to float32).

expect: function backprop; loss mse; exit 0; w1 correct; w2 correct; origin none; precision float32
"""

import numpy as np


def backprop(x, y, w1, w2):
    x, y, w1, w2 = (a.astype(np.float32) for a in (x, y, w1, w2))
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = np.float32(2 / 3) * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
