"""Shared inputs for the parity tests: seeded random networks, saturated ones included."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import numpy_impl as ni

# Weight scales: at 8 and 15 many units saturate, with |z| reaching ~40.
SCALES = (0.3, 1.0, 3.0, 8.0, 15.0)


class Case(NamedTuple):
    x: np.ndarray  # (1, 30), uniform in [0, 1]
    y: np.ndarray  # (1, 3), one-hot
    w1: np.ndarray  # (30, h)
    w2: np.ndarray  # (h, 3)

    @property
    def grad_floor(self) -> float:
        return gradient_floor(self.w2)


def random_case(seed: int, hidden: int | None = None, scale: float | None = None) -> Case:
    """A random network and sample; hidden size 1..16 and scale cycle with the seed."""
    rng = np.random.default_rng(seed)
    h = hidden if hidden is not None else 1 + seed % 16
    s = scale if scale is not None else SCALES[seed % len(SCALES)]
    x = rng.uniform(0.0, 1.0, (1, 30))
    y = np.eye(3)[[int(rng.integers(0, 3))]]
    return Case(x, y, rng.normal(0.0, s, (30, h)), rng.normal(0.0, s, (h, 3)))


def letter_case(seed: int, sample: int, hidden: int = 5) -> Case:
    """The article's start for ``seed`` on one of its letters."""
    w1, w2 = ni.init_weights(seed, "article", hidden)
    x, y = ni.samples()[sample]
    return Case(x, y, w1, w2)


def gradient_floor(w2: np.ndarray, upstream: float = 1.0) -> float:
    """The scale below which gradient errors are judged absolutely (tests/compare.py).

    Two subtractions of O(1) numbers feed every gradient: a2 - y at the output
    and 1 - a1 in the sigmoid's derivative. Each carries an absolute rounding
    error of up to a few ulp of 1 (~2e-16) however small its exact value, so
    when units saturate (|z| >~ 30) the exact gradient can be smaller than
    that error and no float64 code, autograd included, can reproduce it to
    relative precision. Those errors reach dL/dw1 through w2 and scale with
    the upstream gradient |d2| (<= 1 for both rules), so the floor is
    0.01 (1 + max|w2|) |d2|: with rtol 1e-13 the absolute allowance is
    1e-15 (1 + max|w2|) |d2|, about five such roundings.
    """
    return 0.01 * (1.0 + float(np.abs(w2).max())) * upstream
