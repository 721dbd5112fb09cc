"""BCE gradients with np.dot, from the logits.

expect: function grads; loss bce; exit 0; w1 correct; w2 correct; origin none
"""

import numpy as np


def grads(x, y, w1, w2):
    a1 = 1 / (1 + np.exp(-np.dot(x, w1)))
    logits = np.dot(a1, w2)
    probs = 1 / (1 + np.exp(-logits))
    dlogits = probs - y  # d(BCE)/d(logits) for sigmoid outputs
    dhidden = np.dot(dlogits, w2.T) * a1 * (1 - a1)
    return np.dot(x.T, dhidden), np.dot(a1.T, dlogits)
