"""A batch-mean habit: the gradient divided by the number of rows as well.

expect: function grads; loss mse; exit 1; w1 mean over rows; w2 mean over rows; origin d2
"""

import numpy as np


def grads(x, y, w1, w2):
    n = x.shape[0]
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2) / n
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
