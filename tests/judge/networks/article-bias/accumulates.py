"""Gradients kept in module-level arrays and added to at every call, never zeroed."""

import numpy as np

grads = {}


def backprop(x, y, w1, b1, w2, b2):
    key = (w1.shape, w2.shape)
    if key not in grads:
        grads[key] = [np.zeros_like(w1), np.zeros_like(b1), np.zeros_like(w2), np.zeros_like(b2)]
    dw1, db1, dw2, db2 = grads[key]
    a1 = 1 / (1 + np.exp(-(x @ w1 + b1)))
    a2 = 1 / (1 + np.exp(-(a1 @ w2 + b2)))
    dz2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    dz1 = (dz2 @ w2.T) * a1 * (1 - a1)
    dw2 += a1.T @ dz2
    db2 += dz2.sum(axis=0)
    dw1 += x.T @ dz1
    db1 += dz1.sum(axis=0)
    return dw1, db1, dw2, db2
