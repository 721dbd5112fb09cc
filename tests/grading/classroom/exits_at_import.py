"""sys.exit while loading.

expect: status unchecked; reason exited
"""

import sys

sys.exit("please run me as a script")


def backprop(x, y, w1, w2):
    return None
