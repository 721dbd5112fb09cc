"""Correct; loads what a random.py beside it once broke for every classmate (tempfile,
secrets, multiprocessing, numpy_impl).

expect: status correct
"""

import multiprocessing  # noqa: F401
import secrets
import tempfile

import numpy_impl

TOKEN = secrets.token_hex(4)
SCRATCH = tempfile.mkdtemp()
SIGMOID = numpy_impl.sigmoid


def backprop(x, y, w1, w2):
    a1 = SIGMOID(x @ w1)
    a2 = SIGMOID(a1 @ w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
