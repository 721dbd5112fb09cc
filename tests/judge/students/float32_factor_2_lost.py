"""Single precision throughout, and the factor 2 of the square's derivative lost.

expect: function backprop; loss mse; exit 1; w1 factor 2 lost; w2 factor 2 lost; origin d2; precision float32
"""

import numpy as np


def backprop(x, y, w1, w2):
    x, y, w1, w2 = (np.float32(a) for a in (x, y, w1, w2))
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = (a2 - y) / 3 * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return (x.T @ d1).astype(np.float64), (a1.T @ d2).astype(np.float64)
