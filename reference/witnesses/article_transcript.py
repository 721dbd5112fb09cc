"""The article's algorithm transcribed operation for operation (docs/spec.md).

This is the yardstick, not the product: it does exactly what the article's
loop does, in the article's order, including its habits that cost time (the
forward pass run twice per step, integer input arrays, ``np.sum`` of squares).
``numpy_impl`` must match it (reference.witnesses.tolerances.TRANSCRIPT), and
``scripts/bench.py`` times ``numpy_impl`` against it.

The only change: the article seeds NumPy's global generator (or nothing); here
a private ``RandomState(seed)`` draws the same numbers without touching it.
"""

from __future__ import annotations

from typing import List, Tuple

import numpy as np

# The bitmaps as the article writes them: Python lists of 0/1, row by row.
# fmt: off
LETTER_A = [
    0, 0, 1, 1, 0, 0,
    0, 1, 0, 0, 1, 0,
    1, 1, 1, 1, 1, 1,
    1, 0, 0, 0, 0, 1,
    1, 0, 0, 0, 0, 1,
]
LETTER_B = [
    0, 1, 1, 1, 1, 0,
    0, 1, 0, 0, 1, 0,
    0, 1, 1, 1, 1, 0,
    0, 1, 0, 0, 1, 0,
    0, 1, 1, 1, 1, 0,
]
LETTER_C = [
    0, 1, 1, 1, 1, 0,
    0, 1, 0, 0, 0, 0,
    0, 1, 0, 0, 0, 0,
    0, 1, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 0,
]
# fmt: on
LABELS = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def sigmoid(t: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1 / (1 + np.exp(-t))
    return out


def forward_output(x: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    z1 = x.dot(w1)
    a1 = sigmoid(z1)
    z2 = a1.dot(w2)
    return sigmoid(z2)


def loss(out: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum(np.square(out - y)) / 3)


def backprop_step(
    x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, alpha: float
) -> Tuple[np.ndarray, np.ndarray]:
    # the forward pass again, as the article's back_prop does
    z1 = x.dot(w1)
    a1 = sigmoid(z1)
    z2 = a1.dot(w2)
    a2 = sigmoid(z2)
    d2 = a2 - y
    d1 = np.multiply(w2.dot(d2.transpose()).transpose(), np.multiply(a1, 1 - a1))
    w1_adj = x.transpose().dot(d1)
    w2_adj = a1.transpose().dot(d2)
    return w1 - alpha * w1_adj, w2 - alpha * w2_adj


def article_training(
    seed: int = 0, epochs: int = 15000, alpha: float = 0.01
) -> Tuple[np.ndarray, np.ndarray, List[float]]:
    """Run the article's job; returns (w1, w2, per-epoch losses)."""
    rng = np.random.RandomState(seed)
    w1 = rng.randn(30, 5)
    w2 = rng.randn(5, 3)
    xs = [
        np.array(LETTER_A).reshape(1, 30),
        np.array(LETTER_B).reshape(1, 30),
        np.array(LETTER_C).reshape(1, 30),
    ]
    ys = np.array(LABELS)
    history = []
    for _epoch in range(epochs):
        sample_losses = []
        for i in range(len(xs)):
            out = forward_output(xs[i], w1, w2)
            sample_losses.append(loss(out, ys[i]))
            w1, w2 = backprop_step(xs[i], ys[i], w1, w2, alpha)
        history.append(sum(sample_losses) / len(xs))
    return w1, w2, history
