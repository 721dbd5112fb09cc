"""An SGD step computed in float16, weights and all: its gradients can only be
read back as (w - new_w) / alpha, which carries the weights' float16 rounding
over alpha, as much as a mistake (w2 updated before d1, here) would change
them: it cannot be judged, and is said so (it was once judged correct).

expect: function step; loss mse; exit 2; error a step computed in float16 cannot be judged
"""

import numpy as np


def step(x, y, w1, w2, alpha):
    x, y, w1, w2 = (a.astype(np.float16) for a in (x, y, w1, w2))
    a1 = 1 / (1 + np.exp(-(x @ w1)))
    a2 = 1 / (1 + np.exp(-(a1 @ w2)))
    d2 = np.float16(2 / 3) * (a2 - y) * a2 * (1 - a2)
    w2 = w2 - alpha * (a1.T @ d2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return w1 - alpha * (x.T @ d1), w2
