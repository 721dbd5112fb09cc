"""The article's SGD step (d2 = a2 - y): the gradient of the summed BCE, not of the MSE.

expect: status wrong; mistakes bce
"""

import numpy as np


def backprop(x, y, w1, w2, alpha):
    a1 = 1 / (1 + np.exp(-x.dot(w1)))
    a2 = 1 / (1 + np.exp(-a1.dot(w2)))
    d2 = a2 - y
    d1 = np.multiply(w2.dot(d2.T).T, np.multiply(a1, 1 - a1))
    return w1 - alpha * x.T.dot(d1), w2 - alpha * a1.T.dot(d2)
