"""A weight decay added to dw1: the L2 penalty's gradient, 1e-3 w1, which the
loss does not have, makes dw1 no outer product of the layer's input and delta.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 correct; origin dw1
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1 + 1e-3 * w1, a1.T @ d2
