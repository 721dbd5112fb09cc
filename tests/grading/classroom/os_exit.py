"""os._exit(0) inside the function.

expect: status unchecked; reason exited
"""

import os


def backprop(x, y, w1, w2):
    os._exit(0)
