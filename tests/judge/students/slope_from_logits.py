"""The hidden derivative written z1 (1 - z1), with the pre-activation.

expect: function grads; loss mse; exit 1; w1 hidden slope from z1; w2 correct; origin d1
"""

import numpy as np


def grads(x, y, w1, w2):
    z1 = x @ w1
    a1 = 1 / (1 + np.exp(-z1))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * z1 * (1 - z1)
    return x.T @ d1, a1.T @ d2
