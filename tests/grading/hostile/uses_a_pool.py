"""Correct; computes its layers with a multiprocessing.Pool of its own functions.

expect: status correct
"""

import multiprocessing

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def backprop(x, y, w1, w2):
    with multiprocessing.Pool(2) as pool:
        (a1,) = pool.map(sigmoid, [x @ w1])
    a2 = sigmoid(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
