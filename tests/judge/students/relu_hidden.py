"""ReLU's slope in a sigmoid network: d1 = (d2 @ w2.T) * (z1 > 0).

expect: function backprop; loss mse; exit 1; w1 relu slope at the hidden layer; w2 correct; origin d1
"""

import numpy as np


def backprop(x, y, w1, w2):
    z1 = x @ w1
    a1 = 1 / (1 + np.exp(-z1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * (z1 > 0)
    return x.T @ d1, a1.T @ d2
