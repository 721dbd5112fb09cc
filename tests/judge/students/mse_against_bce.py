"""The exact MSE gradient, checked against the summed BCE: right for one loss, not the other.

expect: function gradients; loss bce; exit 1; w1 mse; w2 mse; origin d2
"""

import numpy as np


def gradients(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
