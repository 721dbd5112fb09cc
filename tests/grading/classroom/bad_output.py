"""Returns one array where two are expected.

expect: status unchecked; reason bad-output
"""

import numpy as np


def backprop(x, y, w1, w2):
    return np.zeros_like(w1)
