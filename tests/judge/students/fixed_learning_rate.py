"""A step that ignores its alpha and uses the article's 0.01: nothing in the catalogue.

expect: function back_prop; loss mse; exit 1; w1 nothing; w2 nothing; origin update
"""

import numpy as np

LEARNING_RATE = 0.01


def back_prop(x, y, w1, w2, alpha):
    a1 = 1 / (1 + np.exp(-x.dot(w1)))
    a2 = 1 / (1 + np.exp(-a1.dot(w2)))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    return w1 - LEARNING_RATE * x.T.dot(d1), w2 - LEARNING_RATE * a1.T.dot(d2)
