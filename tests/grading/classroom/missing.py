"""The function has another name.

expect: status unchecked; reason missing
"""

import numpy as np


def back_prop(x, y, w1, w2):
    return np.zeros_like(w1), np.zeros_like(w2)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))
