"""Plugs a sigmoid of its own into numpy_impl, and uses numpy_impl's backprop.

expect: status wrong
"""

import numpy_impl as ni
import numpy_impl.network as net

net.sigmoid = lambda t: 0.5 + 0 * t


def backprop(x, y, w1, w2):
    fwd = net.forward(x, w1, w2)
    g = net.backprop(x, w2, fwd, net.output_delta(fwd.a2, y, "mse"))
    return ni.Gradients(*g)
