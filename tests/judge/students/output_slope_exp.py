"""The sigmoid's slope taken as exp(-z2) alone: its numerator, without (1 + exp(-z2))^2.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin d2
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, w2):
    z1 = x @ w1
    a1 = sigmoid(z1)
    z2 = a1 @ w2
    a2 = sigmoid(z2)
    d2 = 2 / 3 * (a2 - y) * np.exp(-z2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
