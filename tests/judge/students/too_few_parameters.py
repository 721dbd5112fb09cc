"""A function of the inputs alone: neither shape the check accepts.

expect: function predict; loss mse; exit 2; error the function takes 2 positional parameters
"""

import numpy as np


def predict(x, w1):
    return 1 / (1 + np.exp(-x @ w1))
