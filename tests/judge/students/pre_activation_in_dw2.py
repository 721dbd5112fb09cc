"""A backprop right but for its dw2 line, which takes the hidden pre-activation
z1 = x @ w1 where it should take a1: dL/dw1 is right, so the a1 the student
computed is right, and the words point at the dw2 line, not at a1.

expect: function backprop; loss mse; exit 1; w1 correct; w2 nothing; origin dw2
"""

import numpy as np


def backprop(x, y, w1, w2):
    z1 = x @ w1
    a1 = 1 / (1 + np.exp(-z1))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, z1.T @ d2
