"""Loops over the units, as written before vectorising anything.

expect: function backprop; loss mse; exit 0; w1 correct; w2 correct; origin none
"""

import math

import numpy as np


def backprop(x, y, w1, w2):
    n_in, n_hidden = w1.shape
    n_out = w2.shape[1]
    x, y = x[0], y[0]
    hidden = [
        1 / (1 + math.exp(-sum(x[i] * w1[i, j] for i in range(n_in)))) for j in range(n_hidden)
    ]
    out = [
        1 / (1 + math.exp(-sum(hidden[j] * w2[j, k] for j in range(n_hidden))))
        for k in range(n_out)
    ]
    delta_out = [2 / 3 * (out[k] - y[k]) * out[k] * (1 - out[k]) for k in range(n_out)]
    grad_w2 = np.zeros_like(w2)
    grad_w1 = np.zeros_like(w1)
    for j in range(n_hidden):
        for k in range(n_out):
            grad_w2[j, k] = hidden[j] * delta_out[k]
        back = sum(w2[j, k] * delta_out[k] for k in range(n_out))
        for i in range(n_in):
            grad_w1[i, j] = x[i] * back * hidden[j] * (1 - hidden[j])
    return grad_w1, grad_w2
