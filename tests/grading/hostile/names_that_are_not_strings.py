"""Correct, with a module-level name that is not a string and an object whose
``__class__`` raises SystemExit when asked: the functions are still listed and the
function checked (it was once 'exited', the sandbox's own traceback its output).

expect: status correct
"""

import numpy as np

globals()[1] = "one"


class Sneaky:
    @property
    def __class__(self):
        raise SystemExit(0)


sneaky = Sneaky()


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
