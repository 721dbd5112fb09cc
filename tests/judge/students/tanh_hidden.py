"""Code borrowed from a tanh tutorial: the hidden slope written as 1 - a1**2.

expect: function backprop; loss mse; exit 1; w1 tanh slope at the hidden layer; w2 correct; origin d1
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * (1 - a1**2)
    return x.T @ d1, a1.T @ d2
