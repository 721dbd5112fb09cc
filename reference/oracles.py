"""Derivative oracles: the gradients of numpy_impl's own losses by two methods
that need no torch and no hand-written derivative.

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
from reference.compare import assert_close
from reference.tolerances import GRADIENT

LossOfWeights = Callable[[np.ndarray, np.ndarray], complex]


def rule_loss(x: np.ndarray, y: np.ndarray, rule: str) -> LossOfWeights:
    """The loss each rule claims to differentiate, as a function of (w1, w2)."""
    if rule == "article":
        return lambda w1, w2: ni.bce_loss(ni.forward(x, w1, w2).z2, y)
    if rule == "mse":
        return lambda w1, w2: ni.mse_loss(ni.forward(x, w1, w2).a2, y)
    raise ValueError(rule)


def _entrywise(
    partial: Callable[[np.ndarray, np.ndarray, Tuple[int, ...], int], float],
    w1: np.ndarray,
    w2: np.ndarray,
) -> Tuple[np.ndarray, np.ndarray]:
    """Apply partial(w1, w2, index, which) to every entry of w1 (which=0) and w2 (which=1)."""
    grads = []
    for which, w in enumerate((w1, w2)):
        g = np.empty(w.shape)
        for idx in np.ndindex(w.shape):
            g[idx] = partial(w1, w2, idx, which)
        grads.append(g)
    return grads[0], grads[1]


def _moved(
    w1: np.ndarray, w2: np.ndarray, idx: Tuple[int, ...], which: int, step: complex
) -> Tuple[np.ndarray, np.ndarray]:
    """(w1, w2) with entry idx of w1 (which=0) or w2 (which=1) moved by step."""
    moved = [w1.astype(np.result_type(w1, step)), w2.astype(np.result_type(w2, step))]
    moved[which][idx] += step
    return moved[0], moved[1]


def complex_step(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-200
) -> Tuple[np.ndarray, np.ndarray]:
    return _entrywise(
        lambda a, b, idx, which: float(np.imag(loss(*_moved(a, b, idx, which, 1j * h)))) / h, w1, w2
    )


def central_difference(
    loss: LossOfWeights, w1: np.ndarray, w2: np.ndarray, h: float = 1e-5
) -> Tuple[np.ndarray, np.ndarray]:
    def partial(a: np.ndarray, b: np.ndarray, idx: Tuple[int, ...], which: int) -> float:
        up, down = loss(*_moved(a, b, idx, which, h)), loss(*_moved(a, b, idx, which, -h))
        return float(np.real(up - down)) / (2 * h)

    return _entrywise(partial, w1, w2)


def check_complex_step(
    x: np.ndarray,
    y: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    rule: str,
    floor: float,
    where: str = "",
) -> None:
    """numpy_impl's gradients under ``rule`` against the complex step of the loss
    the rule claims to differentiate, both layers, within :data:`GRADIENT`
    (``floor``: the absolute floor of saturated units, see gradient_floor)."""
    ours = ni.gradients(x, y, w1, w2, rule)
    cs1, cs2 = complex_step(rule_loss(x, y, rule), w1, w2)
    for name, ours_g, witness in (("dL/dw1", ours.w1, cs1), ("dL/dw2", ours.w2, cs2)):
        assert_close(
            f"gradient ({rule} rule)",
            name,
            ours_g,
            witness,
            GRADIENT,
            floor=floor,
            oracle="complex step",
            where=where,
        )
