"""An SGD step that scales its gradients by the learning rate and then updates
with it again: both layers come out as the correct gradients times alpha. No
line of its backprop is wrong; its update is, and it is told so (once told
both "a learning rate?" and "look at d2").

expect: function step; loss mse; exit 1; w1 nothing; w2 nothing; origin update
"""

import numpy as np


def step(x, y, w1, w2, lr):
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    err = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    grad2 = lr * a1.T @ err
    grad1 = lr * x.T @ (err @ w2.T * a1 * (1 - a1))
    return w1 - lr * grad1, w2 - lr * grad2
