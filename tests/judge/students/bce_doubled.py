"""The BCE's d2 doubled, as if the loss were the MSE's 2 (a2 - y).

expect: function backprop; loss bce; exit 1; w1 nothing; w2 nothing; origin d2
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, w2):
    z1 = x @ w1
    a1 = sigmoid(z1)
    z2 = a1 @ w2
    a2 = sigmoid(z2)
    d2 = 2 * (a2 - y)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
