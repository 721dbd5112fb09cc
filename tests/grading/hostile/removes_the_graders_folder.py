"""Correct, and removes the grader's temporary folder where it can reach it (only as a
plain process): the grading goes on.

expect: status correct
"""

import os
import shutil

import numpy as np

here = os.getcwd()
while os.path.dirname(here) != here:
    if os.path.basename(here).startswith("numpy-impl-grading-"):
        shutil.rmtree(here, ignore_errors=True)
    here = os.path.dirname(here)


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
