"""Correct, and hostile: appends to every submission it can find on its path (where the
submissions' folder once was): it finds only its own copy.

expect: status correct
"""

import os
import sys

import numpy as np

for folder in list(sys.path):
    try:
        names = os.listdir(folder or ".")
    except OSError:
        continue
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path) as f:
                mine = name.endswith(".py") and "def backprop" in f.read()
            if mine:
                with open(path, "a") as f:
                    f.write("\nraise SystemExit('spoiled by a classmate')\n")
        except (OSError, UnicodeDecodeError):
            continue


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
