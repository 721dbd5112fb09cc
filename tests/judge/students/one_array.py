"""Only dw1 returned.

expect: function grads; loss mse; exit 2; error the function returned ndarray: expected two arrays (dw1, dw2)
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = a2 - y
    return x.T @ ((d2 @ w2.T) * a1 * (1 - a1))
