"""The error sent back through w2 but not through the hidden sigmoid.

expect: function grads; loss mse; exit 1; w1 hidden slope missing; w2 correct; origin d1
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T
    return x.T @ d1, a1.T @ d2
