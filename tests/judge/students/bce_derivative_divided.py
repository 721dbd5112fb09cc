"""The BCE's d2 written as its derivative times the sigmoid's slope,
(a2 - y) / (a2 (1 - a2)) * a2 (1 - a2): right, but 0 / 0 where a2 rounds to 1.

expect: function backprop; loss bce; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    slope = a2 * (1 - a2)
    d2 = (a2 - y) / slope * slope
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
