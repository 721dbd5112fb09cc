"""The derivative of (a2 - y)^2 taken as (a2 - y): the factor 2 lost.

expect: function grads; loss mse; exit 1; w1 factor 2 lost; w2 factor 2 lost; origin d2
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def grads(x, y, w1, w2):
    a1 = sigmoid(x @ w1)
    a2 = sigmoid(a1 @ w2)
    d2 = (a2 - y) / 3 * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
