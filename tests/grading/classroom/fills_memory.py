"""Asks for far more memory than the cap allows.

expect: status unchecked; reason memory
"""

import numpy as np


def backprop(x, y, w1, w2):
    hoard = np.ones(2**29)  # 4 GiB: more than the 2 GiB cap, less than the machine has
    return hoard, hoard
