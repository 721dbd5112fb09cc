"""input() while loading.

expect: status unchecked; reason raised
"""

import numpy as np

RATE = float(input("learning rate? "))


def backprop(x, y, w1, w2):
    return np.zeros_like(w1), np.zeros_like(w2)
