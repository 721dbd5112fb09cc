"""dw2 built as d2.T @ a1: its values right, its shape (3, 5) where w2 is (5, 3).

expect: function grads; loss mse; exit 1; w1 correct; w2 dw2 transposed; origin dw2
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, d2.T @ a1
