"""Gradients kept in module-level arrays and added to at every call, never zeroed.

expect: function backprop; loss mse; exit 1; w1 accumulates across calls; w2 accumulates across calls; origin dw1
"""

import numpy as np

grad_w1 = None
grad_w2 = None


def backprop(x, y, w1, w2):
    global grad_w1, grad_w2
    if grad_w1 is None or grad_w1.shape != w1.shape:
        grad_w1, grad_w2 = np.zeros_like(w1), np.zeros_like(w2)
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    grad_w1 += x.T @ d1
    grad_w2 += a1.T @ d2
    return grad_w1, grad_w2
