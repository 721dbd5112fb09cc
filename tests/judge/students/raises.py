"""A function that raises: the student's own error, shown in one line.

expect: function grads; loss mse; exit 2; error the function raised ValueError: shapes (1,30) and (5,30) not aligned
"""

import numpy as np


def grads(x, y, w1, w2):
    return np.dot(x, w1.T), None
