"""Correct; leaves a module named ``helpers`` in its working folder and its
temporary folder, each in a folder it may be entered but not listed (a removal
that lists and deletes would leave it behind: it once did).

expect: status correct
"""

import os
import tempfile

import numpy as np

for place in (os.getcwd(), tempfile.gettempdir()):
    folder = os.path.join(place, "helpers")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "__init__.py"), "w") as f:
        f.write("PLANTED = True\n")
    os.chmod(folder, 0o311)


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
