"""An MSE backprop that clips the outputs away from 0 and 1 (as a cross-entropy
needs, here for no reason): wrong only where the network saturates, the one
saturated start of the plan. The words name the points that differ and locate
the differences there, not at the first point, where it is right.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin d2
"""

import numpy as np

EPS = 1e-6


def backprop(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = np.clip(1 / (1 + np.exp(-a1 @ w2)), EPS, 1 - EPS)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
