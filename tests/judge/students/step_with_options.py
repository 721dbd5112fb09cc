"""A correct SGD step of the article's rule (the summed BCE's gradient) that can
print its loss and clip: alpha has no default, ``verbose`` and ``clip`` do, so it
is judged as a step of five parameters.

expect: function train_step; loss bce; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def train_step(x, y, w1, w2, alpha, verbose=False, clip=None):
    a1 = 1 / (1 + np.exp(-x.dot(w1)))
    a2 = 1 / (1 + np.exp(-a1.dot(w2)))
    if verbose:
        print("loss", ((a2 - y) ** 2).sum() / 3)
    d2 = a2 - y
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    if clip is not None:
        d1, d2 = np.clip(d1, -clip, clip), np.clip(d2, -clip, clip)
    return w1 - alpha * x.T.dot(d1), w2 - alpha * a1.T.dot(d2)
