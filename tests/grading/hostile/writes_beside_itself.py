"""Correct; saves its notes beside itself, the sys.path[0] way and the __file__ way:
they land in its own folder, never the teacher's.

expect: status correct
"""

import os
import sys

import numpy as np

with open(os.path.join(sys.path[0], "notes.txt"), "w") as notes:
    notes.write("loaded\n")


def backprop(x, y, w1, w2):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "calls.log"), "a") as f:
        f.write("called\n")
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
