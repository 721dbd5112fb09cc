"""The output layer updated first, and the hidden error computed with the new w2.

expect: function train_step; loss mse; exit 1; w1 w2 updated before d1; w2 correct; origin d1
"""

import numpy as np


def train_step(x, y, w1, w2, alpha):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    w2 = w2 - alpha * a1.T @ d2
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    w1 = w1 - alpha * x.T @ d1
    return w1, w2
