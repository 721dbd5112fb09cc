"""Starts a program of its own that would run for minutes; a correct backprop.

expect: status correct
"""

import subprocess
import sys

import numpy as np

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
