"""A run's settings, checked once: one immutable object for train, the sweep,
the weights file and the diff.

:func:`training` and :func:`sweeping` take the settings as given (from Python
or from the command line), check every one of them (one clear line for each
mistake, :mod:`numpy_impl.checks`) and the memory the run will need
(:mod:`numpy_impl.memory`, before anything big is allocated), and return a
:class:`Settings`. ``Settings.as_dict()`` is the one place they become the
plain dictionary that a result carries, a weights file saves and the command
line prints.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, Optional, Tuple

import numpy as np

from numpy_impl import checks, memory
from numpy_impl.data import N_CLASSES, N_PIXELS


@dataclasses.dataclass(frozen=True)
class Settings:
    """How one network is trained (numpy_impl.network.train's keyword arguments)."""

    epochs: int  # passes over the data
    alpha: float  # the learning rate
    hidden: int  # hidden units
    rule: str  # the output delta: "article" (d2 = a2 - y) or "mse" (the exact MSE gradient)
    init: str  # the starting weights: "article" (legacy draws) or "normal" (default_rng)
    seed: int  # the seed of the starting weights
    dtype: str  # "float64" or "float32"
    batch_size: int  # samples per SGD step (1: the article's per-sample loop)

    def as_dict(self) -> Dict[str, Any]:
        """The settings as plain Python values, in the order of the fields."""
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Settings:
        """These settings with ``changes``, checked again."""
        return checked(**{**self.as_dict(), **changes})


#: The names of the settings, in order.
NAMES: Tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Settings))


def checked(
    *,
    epochs: Any,
    alpha: Any,
    hidden: Any,
    rule: Any,
    init: Any,
    seed: Any,
    dtype: Any,
    batch_size: Any,
    samples: int = N_CLASSES,
    least_epochs: int = 1,
) -> Settings:
    """Every setting checked on its own (``samples``: how many rows the data
    has, the largest batch; ``least_epochs``: 0 where no training is asked for)."""
    return Settings(
        epochs=checks.check_int("epochs", epochs, low=least_epochs),
        alpha=checks.check_alpha(alpha),
        hidden=checks.check_int("hidden", hidden, low=1),
        rule=checks.check_choice("rule", rule, checks.RULES),
        init=checks.check_choice("init", init, checks.INITS),
        seed=checks.check_seed(seed),
        dtype=checks.check_dtype(dtype).name,
        batch_size=checks.check_batch_size(batch_size, samples),
    )


def training(
    *,
    weights: Optional[Tuple[Any, Any]] = None,
    data: Optional[Tuple[Any, Any]] = None,
    **given: Any,
) -> Settings:
    """The settings of :func:`numpy_impl.network.train`, checked, and the memory it needs.

    ``given`` are the eight settings of :class:`Settings`. With ``weights``
    (w1, w2) the hidden size is theirs (``hidden`` is not looked at); with
    ``data`` (X, Y) the number of samples is its number of rows. Weights and
    data must fit together: X (n, d), Y (n, k), w1 (d, h), w2 (h, k).

    Raises ``ValueError`` naming the first setting that is wrong, and
    :class:`numpy_impl.memory.NotEnoughMemory` (a ``ValueError``) when the run
    cannot fit in the memory available.
    """
    dt = checks.check_dtype(given["dtype"])
    x_shape, y_shape = _shapes(data, dt) if data is not None else _letters()
    w1_shape: Tuple[int, ...]
    w2_shape: Tuple[int, ...]
    if weights is None:
        hidden = checks.check_int("hidden", given["hidden"], low=1)
        w1_shape, w2_shape = (N_PIXELS, hidden), (hidden, N_CLASSES)
    else:
        w1_shape, w2_shape = _shapes(weights, dt)
    checks.check_shapes(x_shape, y_shape, w1_shape, w2_shape)
    settings = checked(**{**given, "hidden": w1_shape[1]}, samples=x_shape[0])
    parts = memory.for_training(
        settings.epochs, w1_shape[0], w1_shape[1], w2_shape[1], x_shape[0], dt.itemsize
    )
    memory.require(f"this training (hidden {settings.hidden}, epochs {settings.epochs})", parts)
    return settings


def sweeping(networks: Any, history: bool, **given: Any) -> Tuple[int, Settings]:
    """The sweep's number of networks and its settings (all eight of
    :class:`Settings`), checked, and the memory it needs."""
    unknown = sorted(set(given) - set(NAMES))
    if unknown:
        raise TypeError(f"sweep() got unexpected settings: {', '.join(unknown)}")
    networks = checks.check_int("networks", networks, low=1)
    settings = checked(**given)
    last = settings.seed + networks - 1
    if last > checks.MAX_SEED:
        raise ValueError(f"seeds {settings.seed}..{last} run past 2**32 - 1")
    itemsize = np.dtype(settings.dtype).itemsize
    parts = memory.for_sweep(
        networks, settings.epochs, settings.hidden, settings.batch_size, itemsize, history
    )
    what = f"this sweep ({networks} networks, hidden {settings.hidden}, epochs {settings.epochs})"
    memory.require(what, parts)
    return networks, settings


def _shapes(pair: Tuple[Any, Any], dt: np.dtype[Any]) -> Tuple[Tuple[int, ...], Tuple[int, ...]]:
    """The shapes of two arrays given as anything NumPy reads as ``dt`` numbers."""
    first, second = (np.asarray(a, dtype=dt).shape for a in pair)
    return first, second


def _letters() -> Tuple[Tuple[int, ...], Tuple[int, ...]]:
    """The shapes of the three letters and their labels."""
    return (N_CLASSES, N_PIXELS), (N_CLASSES, N_CLASSES)
