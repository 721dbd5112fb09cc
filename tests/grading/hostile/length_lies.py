"""Returns a tuple of its own that says it holds two gradients, and holds three: not
read as a pair (it once was, and was judged correct).

expect: status unchecked; reason bad-output
"""

import numpy as np


class Pair(tuple):
    def __len__(self):
        return 2


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return Pair((x.T @ d1, a1.T @ d2, np.zeros(3)))
