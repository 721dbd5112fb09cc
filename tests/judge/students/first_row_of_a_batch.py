"""A backprop written for one sample: given a batch of rows it keeps the first row
alone (x[0], as if the batch were one sample). Right for the article's network;
its verdict says that a batch does not hold, which a teacher may require
(--require rows), and never ends in a bare "ok".

expect: function backprop; loss mse; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def backprop(x, y, w1, w2):
    x, y = x[0][None, :], y[0][None, :]
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
