"""Two mistakes at once: the factor 2 lost, and the hidden derivative forgotten.

expect: function grads; loss mse; exit 1; w1 factor 2 lost + hidden slope missing; w2 factor 2 lost; origin d2
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = (a2 - y) * a2 * (1 - a2) / 3
    d1 = d2 @ w2.T
    return x.T @ d1, a1.T @ d2
