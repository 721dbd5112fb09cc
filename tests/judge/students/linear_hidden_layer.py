"""A backprop whose own forward pass forgets the hidden layer's sigmoid (a1 is
x @ w1 itself), and which then follows the formulas with that a1: nothing is
right, and dw2 is the outer product of that a1 with d2. The words name that a1
(the sigmoid left out), and never say that d1 inherits a mistake of d2 the
trace did not find.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin a1
"""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def backprop(x, y, w1, w2):
    a1 = x @ w1
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
