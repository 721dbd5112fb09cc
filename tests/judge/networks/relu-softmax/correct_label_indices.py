"""Labels by argmax of y, 1 subtracted at each row's label (dscores[range(N), labels] -= 1), / N."""

import numpy as np


def relu(t):
    return np.maximum(t, 0)


def backprop(x, y, w1, b1, w2, b2):
    N = x.shape[0]
    labels = np.argmax(y, axis=1)
    z1 = x @ w1 + b1
    a1 = relu(z1)
    z2 = a1 @ w2 + b2
    exps = np.exp(z2 - np.max(z2, axis=1, keepdims=True))
    probs = exps / exps.sum(axis=1, keepdims=True)
    dz2 = probs.copy()
    dz2[np.arange(N), labels] -= 1
    dz2 /= N
    grads_w2 = a1.T @ dz2
    grads_b2 = dz2.sum(axis=0)
    dz1 = (dz2 @ w2.T) * (z1 > 0).astype(float)
    grads_w1 = x.T @ dz1
    grads_b1 = dz1.sum(axis=0)
    return grads_w1, grads_b1, grads_w2, grads_b2
