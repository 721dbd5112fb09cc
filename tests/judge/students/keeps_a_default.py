"""A correct MSE backprop with a parameter of its own, an L2 penalty that is off
unless asked for: only the four parameters without a default are the judge's,
so it is judged as a gradient (its fifth parameter was once taken for alpha).

expect: function backprop; loss mse; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def backprop(x, y, w1, w2, l2=0.0):
    a1 = 1 / (1 + np.exp(-(x @ w1)))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1 + l2 * w1, a1.T @ d2 + l2 * w2
