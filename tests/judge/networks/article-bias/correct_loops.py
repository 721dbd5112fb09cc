"""One example at a time: forward, backward, and add its gradients to the totals."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop(x, y, w1, b1, w2, b2):
    dw1 = np.zeros_like(w1)
    db1 = np.zeros_like(b1)
    dw2 = np.zeros_like(w2)
    db2 = np.zeros_like(b2)
    for i in range(x.shape[0]):
        xi, yi = x[i], y[i]
        a1 = sigmoid(xi @ w1 + b1)
        a2 = sigmoid(a1 @ w2 + b2)
        dz2 = (2.0 / 3.0) * (a2 - yi) * a2 * (1.0 - a2)
        dz1 = (w2 @ dz2) * a1 * (1.0 - a1)
        dw2 += np.outer(a1, dz2)
        db2 += dz2
        dw1 += np.outer(xi, dz1)
        db1 += dz1
    return dw1, db1, dw2, db2
