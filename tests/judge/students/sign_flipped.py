"""The error written y - a2, then subtracted as if it were a2 - y: the step climbs.

expect: function back_prop; loss mse; exit 1; w1 sign flipped; w2 sign flipped; origin d2
"""

import numpy as np


def back_prop(x, y, w1, w2, alpha):
    a1 = 1 / (1 + np.exp(-x.dot(w1)))
    a2 = 1 / (1 + np.exp(-a1.dot(w2)))
    error = y - a2
    d2 = 2 / 3 * error * a2 * (1 - a2)
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    return w1 - alpha * x.T.dot(d1), w2 - alpha * a1.T.dot(d2)
