"""Correct; leaves, where the next submission's file will be written, a link to the
pipe its server speaks to the grader on, and makes its folder read-only (the next
file's bytes went down that pipe: the grader once stopped without writing anything).

expect: status correct
"""

import os

import numpy as np

os.symlink(f"/proc/{os.getppid()}/fd/1", "4_then_a_classmate.py")
os.chmod(os.getcwd(), 0o555)


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
