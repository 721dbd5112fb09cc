"""dw2 summed over the hidden units: a (3,) vector where w2 is (h, 3).

expect: function backprop; loss mse; exit 2; error the function returned shape (3,) for dw2, expected (5, 3)
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, (a1.T @ d2).sum(axis=0)
