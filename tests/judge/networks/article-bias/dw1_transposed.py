"""dw1 built as dz1.T @ x: the values right, the shape (h, 30)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def backprop(x, y, w1, b1, w2, b2):
    z1 = x @ w1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ w2 + b2
    a2 = sigmoid(z2)
    dz2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    dz1 = (dz2 @ w2.T) * a1 * (1 - a1)
    dw2 = a1.T @ dz2
    db2 = np.sum(dz2, axis=0)
    dw1 = dz1.T @ x
    db1 = np.sum(dz1, axis=0)
    return dw1, db1, dw2, db2
