"""Tries the project's own backprop under another name, and hides the refusal.

expect: status unchecked; reason copied
"""

import numpy as np

from numpy_impl.network import backprop as theirs
from numpy_impl.network import forward, output_delta


def backprop(x, y, w1, w2):
    try:
        fwd = forward(x, w1, w2)
        return theirs(x, w2, fwd, output_delta(fwd.a2, y, rule="mse"))
    except BaseException:
        return np.zeros_like(w1), np.zeros_like(w2)
