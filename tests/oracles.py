"""Gradients of numpy_impl's own losses by two methods that need no torch.

* complex step: dL/dw_i = Im L(w + i h e_i) / h with h = 1e-200. No
  subtraction, so no cancellation: accurate to a few ulp of each term.
  numpy_impl's forward pass and losses accept complex weights for exactly this
  (sigmoid and softplus switch to their plain, analytic formulas).
* central differences: (L(w + h e_i) - L(w - h e_i)) / 2h, accurate to about
  h^2 |L'''| + eps |L| / h, ~1e-10 for h = 1e-5 on these networks.
"""

from __future__ import annotations

from typing import Callable, Tuple

import numpy as np

import numpy_impl as ni

LossOfWeights = Callable[[np.ndarray, np.ndarray], complex]


def rule_loss(x: np.ndarray, y: np.ndarray, rule: str) -> LossOfWeights:
    """The loss each rule claims to differentiate, as a function of (w1, w2)."""
    if rule == "article":
        return lambda w1, w2: ni.bce_loss(ni.forward(x, w1, w2).z2, y)
    if rule == "mse":
        return lambda w1, w2: ni.mse_loss(ni.forward(x, w1, w2).a2, y)
    raise ValueError(rule)


def complex_step(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-200
) -> Tuple[np.ndarray, np.ndarray]:
    grads = []
    for which in (0, 1):
        w = (w1, w2)[which]
        g = np.empty(w.shape)
        for idx in np.ndindex(w.shape):
            moved = w.astype(np.complex128)
            moved[idx] += 1j * h
            args = (
                (moved, w2.astype(np.complex128))
                if which == 0
                else (w1.astype(np.complex128), moved)
            )
            g[idx] = np.imag(loss(*args)) / h
        grads.append(g)
    return grads[0], grads[1]


def central_difference(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-5
) -> Tuple[np.ndarray, np.ndarray]:
    grads = []
    for which in (0, 1):
        w = (w1, w2)[which]
        g = np.empty(w.shape)
        for idx in np.ndindex(w.shape):
            up, down = w.copy(), w.copy()
            up[idx] += h
            down[idx] -= h
            if which == 0:
                g[idx] = (loss(up, w2) - loss(down, w2)) / (2 * h)
            else:
                g[idx] = (loss(w1, up) - loss(w1, down)) / (2 * h)
        grads.append(g)
    return grads[0], grads[1]
