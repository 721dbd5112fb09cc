"""The gradient of the summed squared error: the article's division by 3 forgotten.

expect: function back_prop; loss mse; exit 1; w1 divisor 3 lost; w2 divisor 3 lost; origin d2
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def back_prop(x, y, w1, w2, alpha):
    a1 = sigmoid(x.dot(w1))
    a2 = sigmoid(a1.dot(w2))
    d2 = 2 * (a2 - y) * a2 * (1 - a2)
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    return w1 - alpha * x.T.dot(d1), w2 - alpha * a1.T.dot(d2)
