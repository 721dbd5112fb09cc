"""The right gradients, returned in the other order.

expect: function backprop; loss mse; exit 1; w1 gradients swapped; w2 gradients swapped; origin dw1
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return a1.T @ d2, x.T @ d1
