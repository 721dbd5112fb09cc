"""Derivative oracles: the gradients of numpy_impl's own losses by two methods
that need no torch and no hand-written derivative.

* complex step: df/da_i = Im f(a + i h e_i) / h with h = 1e-200. No
  subtraction, so no cancellation: accurate to a few ulp of each term.
  numpy_impl's forward pass and losses accept complex weights for exactly this
  (sigmoid and softplus switch to their plain, analytic formulas).
* central differences: (f(a + h e_i) - f(a - h e_i)) / 2h, accurate to about
  h^2 |f'''| + eps |f| / h, ~1e-10 for h = 1e-5 on these networks.

Which loss a rule claims to differentiate is read from numpy_impl's table
(``numpy_impl.RULE_LOSS``); the oracles then differentiate that loss, as the
table of losses computes it (:mod:`reference.witnesses.losses`).
"""

from __future__ import annotations

from typing import Callable, Tuple

import numpy as np

import numpy_impl as ni
from reference.witnesses.compare import Check
from reference.witnesses.losses import LOSSES
from reference.witnesses.tolerances import GRADIENT

LossOfWeights = Callable[[np.ndarray, np.ndarray], complex]


def loss_function(x: np.ndarray, y: np.ndarray, loss: str) -> LossOfWeights:
    """The loss named ``loss`` ("mse" or "bce") of rows x, y, as a function of (w1, w2)."""
    of = LOSSES[loss].of
    return lambda w1, w2: of(ni.forward(x, w1, w2), y)


def complex_step_of(
    f: Callable[[np.ndarray], complex], a: np.ndarray, h: float = 1e-200
) -> np.ndarray:
    """df/da, entry by entry: Im f(a + i h e_j) / h."""
    grad = np.empty(a.shape)
    for idx in np.ndindex(a.shape):
        moved = a.astype(complex)
        moved[idx] += 1j * h
        grad[idx] = float(np.imag(f(moved))) / h
    return grad


def central_difference_of(
    f: Callable[[np.ndarray], complex], a: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """df/da, entry by entry: (f(a + h e_j) - f(a - h e_j)) / 2h."""
    grad = np.empty(a.shape)
    for idx in np.ndindex(a.shape):
        up, down = a.astype(np.float64), a.astype(np.float64)
        up[idx] += h
        down[idx] -= h
        grad[idx] = float(np.real(f(up) - f(down))) / (2 * h)
    return grad


def complex_step(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-200
) -> Tuple[np.ndarray, np.ndarray]:
    """(dL/dw1, dL/dw2) by the complex step."""
    return complex_step_of(lambda w: loss(w, w2), w1, h), complex_step_of(
        lambda w: loss(w1, w), w2, h
    )


def central_difference(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-5
) -> Tuple[np.ndarray, np.ndarray]:
    """(dL/dw1, dL/dw2) by central differences."""
    one = central_difference_of
    return one(lambda w: loss(w, w2), w1, h), one(lambda w: loss(w1, w), w2, h)


def check_complex_step(
    x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, rule: str, *, floor: float,
    where: str = "",
) -> None:  # fmt: skip
    """numpy_impl's gradients under ``rule`` against the complex step of the loss
    the rule claims to differentiate, both layers, within :data:`GRADIENT`
    (``floor``: the absolute floor of saturated units, see gradient_floor)."""
    ours = ni.gradients(x, y, w1, w2, rule)
    witness = complex_step(loss_function(x, y, ni.RULE_LOSS[rule].name), w1, w2)
    check = Check(f"gradient ({rule} rule)", GRADIENT, "complex step", floor=floor, where=where)
    check.layers(ours, witness)
