"""Correct; leaves a named pipe where the next submission's file will be written, and
makes its folder read-only (writing the next file would wait forever: the whole
grading once hung).

expect: status correct
"""

import os

import numpy as np

os.mkfifo("3_then_a_classmate.py")
os.chmod(os.getcwd(), 0o555)


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
