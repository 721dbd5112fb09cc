"""d1 sends back the raw error a2 - y instead of the delta d2 that dw2 uses.

expect: function backprop; loss mse; exit 1; w1 bce; w2 correct; origin d1
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    error = a2 - y
    d2 = 2 / 3 * error * a2 * (1 - a2)
    d1 = (error @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
