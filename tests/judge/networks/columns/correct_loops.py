"""Loops over the columns (examples), adding each one's outer products, then divides by m."""

import numpy as np


def backprop(X, Y, W1, b1, W2, b2):
    m = X.shape[1]
    gW1 = np.zeros(W1.shape)
    gb1 = np.zeros(b1.shape)
    gW2 = np.zeros(W2.shape)
    gb2 = np.zeros(b2.shape)
    for j in range(m):
        xj = X[:, j : j + 1]
        yj = Y[:, j : j + 1]
        z1 = W1 @ xj + b1
        a1 = z1 * (z1 > 0)
        a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
        e2 = a2 - yj
        gW2 += e2 @ a1.T
        gb2 += e2
        e1 = (W2.T @ e2) * (z1 > 0)
        gW1 += e1 @ xj.T
        gb1 += e1
    return gW1 / m, gb1 / m, gW2 / m, gb2 / m
