"""The output slope half-written: d2 = (2/3) (a2 - y) a2, the (1 - a2) forgotten.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin d2
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
