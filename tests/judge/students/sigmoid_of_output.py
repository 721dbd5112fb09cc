"""The same helper misused at the output: sigmoid'(a2) where a2 (1 - a2) belongs.

expect: function grads; loss mse; exit 1; w1 output slope of sigmoid(a2); w2 output slope of sigmoid(a2); origin d2
"""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    return sigmoid(z) * (1 - sigmoid(z))


def grads(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * sigmoid_derivative(a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
