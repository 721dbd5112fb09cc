"""The article's code with the exact MSE gradient: new weights, np.multiply, .dot.

expect: function back_prop; loss mse; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def back_prop(x, y, w1, w2, alpha):
    z1 = x.dot(w1)
    a1 = sigmoid(z1)
    z2 = a1.dot(w2)
    a2 = sigmoid(z2)
    d2 = np.multiply(2 / 3 * (a2 - y), np.multiply(a2, 1 - a2))
    d1 = np.multiply((w2.dot((d2.transpose()))).transpose(), (np.multiply(a1, 1 - a1)))
    w1_adj = x.transpose().dot(d1)
    w2_adj = a1.transpose().dot(d2)
    w1 = w1 - (alpha * (w1_adj))
    w2 = w2 - (alpha * (w2_adj))
    return (w1, w2)
