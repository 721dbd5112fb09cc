"""Writes a log file in the working folder, and beside itself; a correct backprop.

expect: status correct
"""

import os

import numpy as np

with open("training.log", "w") as log:
    log.write("loaded\n")


def backprop(x, y, w1, w2):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "beside.log"), "a") as f:
        f.write("called\n")
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
