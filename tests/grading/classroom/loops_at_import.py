"""The file never finishes loading.

expect: status unchecked; reason timeout
"""

import time

while True:
    time.sleep(1)


def backprop(x, y, w1, w2):
    return None
