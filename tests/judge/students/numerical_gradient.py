"""No backprop at all: the MSE gradient by central differences, one weight at a
time. Right to about 1e-10, not to rounding: told that it is approximate, as
finite differences are, never sent to a line (there is none).

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin none
"""

import numpy as np


def loss(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-(x @ w1)))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    return np.sum((a2 - y) ** 2) / 3


def backprop(x, y, w1, w2, h=1e-6):
    grads = []
    for w in (w1, w2):
        g = np.zeros_like(w)
        for i in np.ndindex(w.shape):
            old = w[i]
            w[i] = old + h
            up = loss(x, y, w1, w2)
            w[i] = old - h
            down = loss(x, y, w1, w2)
            w[i] = old
            g[i] = (up - down) / (2 * h)
        grads.append(g)
    return tuple(grads)
