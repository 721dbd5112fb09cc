"""The shared inputs of the checks: seeded random networks (saturated ones
included), the article's starts on its letters, and the article's job as the
long checks run it."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import numpy_impl as ni
from reference.witnesses.tolerances import gradient_floor

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


# The article's job as the training checks run it: seeds 0..4, both rules,
# the weights compared every 1000 epochs.
TRAINING_SEEDS = range(5)
TRAINING_RULES = ("article", "mse")
TRAINING_EPOCHS = 15000
CHECKPOINT_EVERY = 1000
