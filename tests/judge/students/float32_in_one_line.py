"""A correct MSE backprop but for one line, whose hidden activations are kept in
float32 (to save memory) while the rest is float64: its answers are float64 yet
off by float32's rounding everywhere. Told that such differences come from a
lower precision or an approximation, not sent to a line of the chain rule.

expect: function backprop; loss mse; exit 1; w1 nothing; w2 nothing; origin none
"""

import numpy as np


def backprop(x, y, w1, w2):
    a1 = (1 / (1 + np.exp(-x @ w1))).astype(np.float32)
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
