"""Plugs a sigmoid of its own into numpy_impl, and uses numpy_impl's forward pass
(which a backprop may): the judge's own forward pass is not reached.

expect: status wrong
"""

import numpy_impl.network as net

net.sigmoid = lambda t: 0.5 + 0 * t


def backprop(x, y, w1, w2):
    fwd = net.forward(x, w1, w2)
    d2 = 2 / 3 * (fwd.a2 - y) * fwd.a2 * (1 - fwd.a2)
    d1 = d2 @ w2.T * fwd.a1 * (1 - fwd.a1)
    return x.T @ d1, fwd.a1.T @ d2
