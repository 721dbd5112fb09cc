"""The MSE's factor kept, the output sigmoid's derivative forgotten.

expect: function grads; loss mse; exit 1; w1 output slope missing; w2 output slope missing; origin d2
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
