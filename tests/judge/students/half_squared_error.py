"""The textbook's 1/2 sum((a2 - y)^2) differentiated instead of the article's loss.

expect: function grads; loss mse; exit 1; w1 2/3 dropped; w2 2/3 dropped; origin d2
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-np.dot(x, w1)))
    a2 = 1 / (1 + np.exp(-np.dot(a1, w2)))
    delta2 = (a2 - y) * a2 * (1 - a2)
    delta1 = np.dot(delta2, w2.T) * a1 * (1 - a1)
    return np.dot(x.T, delta1), np.dot(a1.T, delta2)
