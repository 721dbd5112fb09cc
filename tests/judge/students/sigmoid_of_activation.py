"""A sigmoid_derivative(z) helper called on the activation a1, not on z1.

expect: function grads; loss mse; exit 1; w1 hidden slope of sigmoid(a1); w2 correct; origin d1
"""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    return sigmoid(z) * (1 - sigmoid(z))


def grads(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * sigmoid_derivative(a1)
    return x.T @ d1, a1.T @ d2
