"""ReLU's slope at the output: d2 = (2/3) (a2 - y) (z2 > 0).

expect: function backprop; loss mse; exit 1; w1 relu slope at the output; w2 relu slope at the output; origin d2
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    z2 = a1 @ w2
    a2 = 1 / (1 + np.exp(-z2))
    d2 = 2 / 3 * (a2 - y) * (z2 > 0)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
