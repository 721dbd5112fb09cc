"""Correct; takes every permission off its working folder and its temporary folder
(the next submission's file could not be written: it was once graded crashed).

expect: status correct
"""

import os
import tempfile

import numpy as np

for place in (tempfile.gettempdir(), os.getcwd()):
    os.chmod(place, 0)


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
