"""A correct MSE backprop, graded just after a classmate who tried to leave something
for it: it doubles its gradients if a module named ``helpers`` can be imported (a
classmate's, left behind), so it is correct only if nothing reached it.

expect: status correct
"""

import numpy as np

try:
    import helpers  # noqa: F401 - no such module of its own
except ImportError:
    REACHED = 1
else:
    REACHED = 2


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return REACHED * x.T @ d1, REACHED * a1.T @ d2
