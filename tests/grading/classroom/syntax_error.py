"""A line that is not Python.

expect: status unchecked; reason syntax
"""

import numpy as np


def backprop(x, y, w1, w2)
    return np.zeros_like(w1), np.zeros_like(w2)
