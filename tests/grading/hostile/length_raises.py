"""Returns a list of its own whose len() raises: not read as a pair.

expect: status unchecked; reason bad-output
"""

import numpy as np


class Gradients(list):
    def __len__(self):
        raise RuntimeError("no length")


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return Gradients([x.T @ d1, a1.T @ d2])
