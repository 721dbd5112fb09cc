"""The article's rule, checked against the loss the article reports: the finding.

expect: function grads; loss mse; exit 1; w1 bce; w2 bce; origin d2
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-np.dot(x, w1)))
    a2 = 1 / (1 + np.exp(-np.dot(a1, w2)))
    d2 = a2 - y
    d1 = np.dot(d2, w2.T) * a1 * (1 - a1)
    return np.dot(x.T, d1), np.dot(a1.T, d2)
