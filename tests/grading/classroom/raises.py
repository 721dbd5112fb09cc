"""w1 used where w1.T belongs: NumPy refuses the product.

expect: status unchecked; reason raised
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1.T))
    return a1, a1
