"""A backprop that never returns.

expect: status unchecked; reason timeout
"""


def backprop(x, y, w1, w2):
    while True:
        pass
