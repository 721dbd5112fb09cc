"""Returns the project's own gradients instead of writing its own.

expect: status unchecked; reason copied
"""

import numpy_impl as ni


def backprop(x, y, w1, w2):
    return ni.gradients(x, y, w1, w2, rule="mse")
