"""Checking settings: one clear line for each mistake.

Every module of the package checks what it is given through these functions,
so that a wrong setting always reads the same, whether it came from Python or
from the command line (where a ``ValueError`` becomes one line and exit
status 2). The choices the network offers are named here too.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Tuple

import numpy as np
from numpy.typing import DTypeLike

#: The update rules: the article's d2 = a2 - y, and the exact MSE gradient.
RULES: Tuple[str, ...] = ("article", "mse")
#: The initialisations: the article's legacy draws, and NumPy's default_rng.
INITS: Tuple[str, ...] = ("article", "normal")
#: The floating-point types the network computes in.
DTYPES: Tuple[str, ...] = ("float64", "float32")
#: The largest seed NumPy's generators accept.
MAX_SEED = 2**32 - 1


def check_int(name: str, value: Any, low: int, high: Optional[int] = None) -> int:
    """``value`` as an int, if it is an integer in low..high (high None: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in {low}..{high}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return int(value)


def check_seed(seed: Any) -> int:
    """A seed for NumPy's generators: an integer in 0..2**32 - 1."""
    return check_int("seed", seed, low=0, high=MAX_SEED)


def check_alpha(alpha: Any) -> float:
    """The learning rate as a float: a finite number > 0."""
    try:
        value = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"alpha must be a number, got {alpha!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"alpha must be a finite number > 0, got {alpha!r}")
    return value


def check_choice(name: str, value: Any, choices: Tuple[str, ...]) -> str:
    """``value``, if it is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}: choose one of {', '.join(choices)}")
    return str(value)


def check_dtype(dtype: DTypeLike) -> np.dtype[Any]:
    """``dtype`` as a NumPy dtype, if it is one of :data:`DTYPES`."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return dt


def check_batch_size(batch_size: Any, samples: int) -> int:
    """A mini-batch size: an integer in 1..samples."""
    value = check_int("batch_size", batch_size, low=1)
    if value > samples:
        raise ValueError(
            f"batch_size must be in 1..{samples} (the number of samples), got {batch_size}"
        )
    return value


def check_shapes(
    x: Tuple[int, ...], y: Tuple[int, ...], w1: Tuple[int, ...], w2: Tuple[int, ...]
) -> None:
    """Do the shapes of data X (n, d), Y (n, k) and weights w1 (d, h), w2 (h, k) fit together?"""
    if not (
        len(x) == len(y) == 2
        and x[0] == y[0]
        and len(w1) == len(w2) == 2
        and w1[0] == x[1]
        and w2 == (w1[1], y[1])
    ):
        raise ValueError(
            f"shapes do not fit: x {x}, y {y}, w1 {w1}, w2 {w2}"
            " (need x (n, d), y (n, k), w1 (d, h), w2 (h, k))"
        )
