"""The article's 30-5-3 sigmoid network, every step a function.

Read top to bottom: sigmoid, initial weights, forward pass, the two losses,
the backward pass under each rule, one SGD step, the training loop, prediction.

Notation (one sample; h is the hidden size, 5 in the article)::

    x  (1, 30)  input row               y  (1, 3)  one-hot label
    w1 (30, h)  input -> hidden         w2 (h, 3)  hidden -> output
    z1 = x  @ w1    a1 = sigmoid(z1)    (1, h)
    z2 = a1 @ w2    a2 = sigmoid(z2)    (1, 3)     a2 is the prediction

Every function also takes a batch of n rows, x of shape (n, 30): losses and
gradients are then sums over the rows.

Three notes on speed. The arrays are tiny, so training time is mostly NumPy's
cost per call, not arithmetic (measured in scripts/bench.py):
* ``a.dot(b)`` is the matrix product ``a @ b`` with about half its call cost;
* a Python number in an array expression, like the 1 in ``1 + e``, is
  converted on every call, which costs as much as the addition itself; the
  hot functions use ready-made 0-d constants instead (``_CONSTANTS``);
* the training loop keeps each step's output a2 and computes the whole loss
  history after the loop in one array expression, instead of calling
  :func:`mse_loss` (four NumPy calls) on every step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import numpy as np
from numpy.typing import DTypeLike, NDArray

from numpy_impl.data import LETTERS, N_CLASSES, N_PIXELS, dataset

Array = NDArray[np.floating]

RULES = ("article", "mse")
INITS = ("article", "normal")
DTYPES = ("float64", "float32")

#: The article divides the summed squared error of a sample by 3, the number of
#: samples in its data set (which happens to equal the number of outputs).
LOSS_DIVISOR = 3

#: The article's job: seed 0 is the project's addition (the article seeds nothing).
ARTICLE_SETTINGS: Dict[str, Any] = {
    "epochs": 15000,
    "alpha": 0.01,
    "hidden": 5,
    "rule": "article",
    "init": "article",
    "seed": 0,
    "dtype": "float64",
}


# 0-d constants (0, 1, -1), one set per supported dtype: a float64 constant would
# turn float32 arithmetic into float64 under NumPy 2's promotion rules.
_CONSTANTS: Dict[Any, Tuple[Array, Array, Array]] = {
    np.dtype(t): (np.array(0, t), np.array(1, t), np.array(-1, t)) for t in (np.float32, np.float64)
}
_ONE = {dtype: one for dtype, (_, one, _) in _CONSTANTS.items()}


# --- 1. The activation ------------------------------------------------------


def sigmoid(t: Any) -> Array:
    """sigmoid(t) = 1 / (1 + exp(-t)), elementwise, any shape.

    Computed in a form that never overflows:

        sigmoid(t) = exp(min(t, 0)) / (1 + exp(-|t|))

    For t >= 0 this is 1 / (1 + exp(-t)); for t < 0 it is exp(t) / (1 + exp(t)),
    the same fraction multiplied top and bottom by exp(t). Both exponents are
    <= 0, so exp never overflows: sigmoid(+inf) = 1 and sigmoid(-inf) = 0
    exactly, NaN stays NaN, and a very negative t keeps its tiny (even
    subnormal) value. Within 2 ulp of the exact value wherever that is a normal
    float. float32 stays float32; any other input becomes float64.
    """
    constants = _CONSTANTS.get(getattr(t, "dtype", None))
    if constants is None:
        t = np.asarray(t)
        if t.dtype.kind == "c":
            # Complex input serves the complex-step derivative check
            # (tests/oracles.py): there the plain formula, which is analytic, is used.
            plain: Array = 1 / (1 + np.exp(-t))
            return plain
        t = t.astype(np.float64)  # a number, a list, integers, float16...: in float64
        constants = _CONSTANTS[t.dtype]
    zero, one, minus_one = constants
    # np.copysign(t, -1) is -|t|, in one call instead of two
    out: Array = np.exp(np.minimum(t, zero)) / (one + np.exp(np.copysign(t, minus_one)))
    return out


# --- 2. Initial weights -----------------------------------------------------


def init_weights(
    seed: int = 0, init: str = "normal", hidden: int = 5, dtype: DTypeLike = "float64"
) -> Tuple[Array, Array]:
    """Draw the initial weights: w1 of shape (30, hidden), w2 of shape (hidden, 3).

    Every weight is a standard normal draw.

    * ``init="normal"`` (the default for new code) uses NumPy's modern
      ``numpy.random.default_rng(seed)``.
    * ``init="article"`` reproduces the article: after ``np.random.seed(seed)``
      its ``np.random.randn(30, 5)`` then ``np.random.randn(5, 3)`` give exactly
      ``RandomState(seed).standard_normal(150)`` reshaped row by row, then the
      next 15 draws. A private ``RandomState`` gives the same numbers without
      touching NumPy's global generator.

    The draws are made in float64 and then rounded to ``dtype``.
    """
    init = _check_choice("init", init, INITS)
    hidden = _check_int("hidden", hidden, low=1)
    seed = _check_int("seed", seed, low=0, high=2**32 - 1)
    dt = _check_dtype(dtype)
    if init == "article":
        legacy = np.random.RandomState(seed)
        w1 = legacy.standard_normal(N_PIXELS * hidden).reshape(N_PIXELS, hidden)
        w2 = legacy.standard_normal(hidden * N_CLASSES).reshape(hidden, N_CLASSES)
    else:
        rng = np.random.default_rng(seed)
        w1 = rng.standard_normal((N_PIXELS, hidden))
        w2 = rng.standard_normal((hidden, N_CLASSES))
    return w1.astype(dt), w2.astype(dt)


# --- 3. Forward pass --------------------------------------------------------


class Forward(NamedTuple):
    """The forward pass's intermediates, each of shape (n, h) or (n, 3)."""

    z1: Array
    a1: Array
    z2: Array
    a2: Array


def forward(x: Array, w1: Array, w2: Array) -> Forward:
    """Run the network on x of shape (n, 30).

    z1 = x @ w1, a1 = sigmoid(z1): (n, h);  z2 = a1 @ w2, a2 = sigmoid(z2): (n, 3).
    Returns all four, since the backward pass needs a1 and a2.
    """
    z1 = x.dot(w1)
    a1 = sigmoid(z1)
    z2 = a1.dot(w2)
    a2 = sigmoid(z2)
    return Forward(z1, a1, z2, a2)


# --- 4. The losses ----------------------------------------------------------


def mse_loss(a2: Array, y: Array) -> float:
    """The loss the article reports: L = sum((a2 - y)^2) / 3.

    For one sample (a2, y of shape (1, 3)) this is the mean squared error over
    its three outputs; for n rows, the sum of the n per-sample losses.
    """
    d = (a2 - y).ravel()
    # d.dot(d) is the sum of squares (and, unlike np.vdot, stays analytic for
    # the complex-step check); a NumPy float64 is a Python float
    loss: float = d.dot(d) / LOSS_DIVISOR
    return loss


def bce_loss(z2: Array, y: Array) -> float:
    """Summed binary cross-entropy of the sigmoid outputs, from the logits z2.

    L = -sum(y log a2 + (1 - y) log(1 - a2)) with a2 = sigmoid(z2). Since
    -log sigmoid(z) = softplus(-z) and -log(1 - sigmoid(z)) = softplus(z),

        L = sum(y * softplus(-z2) + (1 - y) * softplus(z2)),

    with softplus(z) = log(1 + exp(z)) = logaddexp(0, z): no log(0), no
    overflow, and every term is >= 0, so nothing cancels.
    """
    loss: float = np.sum(y * _softplus(-z2) + (1 - y) * _softplus(z2))
    return loss


def _softplus(z: Array) -> Array:
    """softplus(z) = log(1 + exp(z)), without overflow (complex: the plain, analytic formula)."""
    out: Array = np.log1p(np.exp(z)) if z.dtype.kind == "c" else np.logaddexp(0, z)
    return out


# --- 5. Backward pass -------------------------------------------------------


class Gradients(NamedTuple):
    """The weight gradients: w1 of shape (30, h), w2 of shape (h, 3)."""

    w1: Array
    w2: Array


def output_delta(a2: Array, y: Array, rule: str = "article") -> Array:
    """d2, the error signal at the output logits z2, shape (n, 3).

    * ``rule="article"``: d2 = a2 - y. This is dL/dz2 of the summed binary
      cross-entropy (:func:`bce_loss`), NOT of the MSE the article reports.
    * ``rule="mse"``: the exact gradient of :func:`mse_loss`,
      dL/dz2 = (2/3) (a2 - y) * a2 (1 - a2), the chain rule through
      L = sum((a2 - y)^2) / 3 and a2 = sigmoid(z2), whose derivative is a2 (1 - a2).
    """
    if rule == "article":
        return a2 - y
    if rule == "mse":
        return (2 / LOSS_DIVISOR) * (a2 - y) * a2 * (_ONE[a2.dtype] - a2)
    raise ValueError(f"unknown rule {rule!r}: choose one of {', '.join(RULES)}")


def backprop(x: Array, w2: Array, fwd: Forward, d2: Array) -> Gradients:
    """Carry an error signal d2 = dL/dz2 back to the weights (the chain rule).

        d1 = (d2 @ w2.T) * a1 (1 - a1)           (n, h)   (the article writes (w2 @ d2.T).T)
        dL/dw1 = x.T  @ d1                       (30, h)
        dL/dw2 = a1.T @ d2                       (h, 3)

    For any d2 this is the vector-Jacobian product of z2 with respect to
    (w1, w2). ``w2`` must be the weights the forward pass used.
    """
    d1 = d2.dot(w2.T) * fwd.a1 * (_ONE[fwd.a1.dtype] - fwd.a1)  # a1 (1 - a1) = sigmoid'(z1)
    return Gradients(w1=x.T.dot(d1), w2=fwd.a1.T.dot(d2))


def backward(x: Array, y: Array, w2: Array, fwd: Forward, rule: str = "article") -> Gradients:
    """The weight gradients of one forward pass under ``rule``:
    ``backprop(x, w2, fwd, output_delta(a2, y, rule))``, shapes (30, h) and (h, 3).

    ``w2`` must be the weights the forward pass used (before any update).
    """
    return backprop(x, w2, fwd, output_delta(fwd.a2, y, rule))


def gradients(x: Array, y: Array, w1: Array, w2: Array, rule: str = "article") -> Gradients:
    """The gradients of one sample (or a batch of rows): forward, then backward."""
    return backward(x, y, w2, forward(x, w1, w2), rule)


# --- 6. One step, and the training loop -------------------------------------


def sgd_step(w1: Array, w2: Array, grads: Gradients, alpha: Any) -> Tuple[Array, Array]:
    """Plain gradient descent: w <- w - alpha * dL/dw. Returns new arrays.

    ``alpha`` is a number, or (as the training loop passes it, to save a
    conversion per call) a 0-d array of the weights' dtype.
    """
    # (grad * alpha rather than alpha * grad: the same numbers, and NumPy
    # dispatches it faster when alpha is a 0-d array)
    return w1 - grads.w1 * alpha, w2 - grads.w2 * alpha


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite during training."""


@dataclass
class TrainResult:
    """What :func:`train` returns.

    w1 (30, h) and w2 (h, 3): the final weights; loss (epochs,): the epoch
    losses, each the mean of that epoch's per-sample losses, every one taken
    before its sample's update; settings: everything needed to run it again.
    """

    w1: Array
    w2: Array
    loss: NDArray[np.float64]
    settings: Dict[str, Any] = field(default_factory=dict)


def train(
    *,
    epochs: int = 15000,
    alpha: float = 0.01,
    hidden: int = 5,
    rule: str = "article",
    init: str = "article",
    seed: int = 0,
    dtype: DTypeLike = "float64",
    batch_size: int = 1,
    weights: Optional[Tuple[Array, Array]] = None,
    data: Optional[Tuple[Array, Array]] = None,
) -> TrainResult:
    """Train by per-sample SGD, the article's way. The defaults are its job.

    Every epoch visits the samples in a fixed order (A, B, C), no shuffling.
    For each sample: forward pass, gradients under ``rule``, one SGD step.
    The sample's MSE loss is that of the forward pass, i.e. with the weights
    before its update (the loop keeps the output a2 and computes the loss,
    exactly as :func:`mse_loss` does, after the loop). The epoch's loss is
    the mean of its per-sample losses.

    ``batch_size=b`` groups consecutive samples into mini-batches (A, B | C
    for b = 2; A, B, C together for b = 3, full batch) and takes one step per
    batch. A batch's gradient is the SUM of its samples' gradients (what
    :func:`gradients` returns for several rows), so one epoch moves the weights
    about as far whatever b is; every sample's loss is still taken with the
    weights before its batch's step. b = 1 is the article's loop.

    ``weights=(w1, w2)`` starts from given weights instead of drawing them
    (``init``, ``seed`` and ``hidden`` then only describe them);
    ``data=(X, Y)``, of shapes (n, 30) and (n, 3), replaces the three letters.

    Raises :class:`TrainingDiverged`, naming the first epoch whose loss is NaN
    or infinite (looked for every ``DIVERGENCE_CHECK`` epochs, so a diverging
    run stops soon after); ``ValueError`` for a bad setting.
    """
    epochs = _check_int("epochs", epochs, low=1)
    batch_size = _check_int("batch_size", batch_size, low=1)
    alpha = _check_alpha(alpha)
    rule = _check_choice("rule", rule, RULES)
    dt = _check_dtype(dtype)
    if weights is None:
        w1, w2 = init_weights(seed, init, hidden, dt)
    else:
        w1, w2 = (np.array(w, dtype=dt) for w in weights)
        hidden = w1.shape[1]
    xs, ys = dataset(dt) if data is None else (np.asarray(d, dtype=dt) for d in data)
    if not (
        xs.ndim == ys.ndim == 2
        and len(xs) == len(ys)
        and w1.ndim == w2.ndim == 2
        and w1.shape[0] == xs.shape[1]
        and w2.shape == (w1.shape[1], ys.shape[1])
    ):
        raise ValueError(
            f"shapes do not fit: x {xs.shape}, y {ys.shape}, w1 {w1.shape}, w2 {w2.shape}"
            " (need x (n, d), y (n, k), w1 (d, h), w2 (h, k))"
        )
    if batch_size > len(xs):
        raise ValueError(
            f"batch_size must be in 1..{len(xs)} (the number of samples), got {batch_size}"
        )
    b = batch_size
    # the batches in their fixed order, rows (b, 30) and (b, 3); b = 1: one sample each
    batches = [(xs[i : i + b], ys[i : i + b]) for i in range(0, len(xs), b)]
    settings = {
        "epochs": epochs,
        "alpha": alpha,
        "hidden": hidden,
        "rule": rule,
        "init": init,
        "seed": seed,
        "dtype": dt.name,
        "batch_size": batch_size,
    }

    step_size = np.asarray(alpha, dtype=dt)  # 0-d: see the note on speed at the top
    # The network's outputs a2, batch after batch, each taken before its step.
    # The losses are computed from these after the loop, all epochs in one
    # array expression, rather than by four small NumPy calls on every step
    # (see the note on speed at the top).
    outputs: List[Array] = []
    # A run that blows up (say alpha = 1e300) would overflow inside NumPy; the
    # warning is silenced here because the NaN it leads to is caught below
    # (within DIVERGENCE_CHECK epochs) and reported with its epoch.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            for x, y in batches:
                fwd = forward(x, w1, w2)
                outputs.append(fwd.a2)  # before this step
                grads = backward(x, y, w2, fwd, rule)  # from the weights before the step
                w1, w2 = sgd_step(w1, w2, grads, step_size)
            if epoch % DIVERGENCE_CHECK == 0 or epoch == epochs - 1:
                _stop_if_diverged(outputs, len(batches), ys, epoch, alpha)
    if not (np.isfinite(w1).all() and np.isfinite(w2).all()):  # the very last step overflowed
        raise TrainingDiverged(f"weights became infinite by epoch {epochs - 1} (alpha={alpha:g})")
    seen = np.concatenate(outputs).reshape(epochs, len(xs), -1)  # seen[epoch, sample]: a2
    # each sample's MSE, sum((a2 - y)^2) / 3 as mse_loss computes it; an
    # epoch's loss is the mean over its samples
    sample_losses = np.square(seen - ys).sum(axis=2) / LOSS_DIVISOR  # (epochs, n)
    loss = sample_losses.astype(np.float64).mean(axis=1)
    return TrainResult(w1=w1, w2=w2, loss=loss, settings=settings)


#: How often (in epochs) training looks for a loss that became NaN or infinite.
DIVERGENCE_CHECK = 100


def _stop_if_diverged(
    outputs: List[Array], per_epoch: int, ys: Array, epoch: int, alpha: float
) -> None:
    """Raise TrainingDiverged, naming the first epoch whose loss is not finite.

    ``outputs`` holds ``per_epoch`` batch outputs per epoch, up to ``epoch``;
    the last DIVERGENCE_CHECK + 1 epochs are looked at. The outputs lie in
    [0, 1], so a loss is NaN or infinite exactly when an output is NaN (after
    weights overflowed to infinity).
    """
    since = max(0, epoch - DIVERGENCE_CHECK)
    recent = np.concatenate(outputs[since * per_epoch :]).reshape(epoch + 1 - since, -1)
    finite = np.isfinite(recent).all(axis=1)  # per epoch
    if finite.all():
        return
    first = since + int(np.argmin(finite))  # the first False
    loss = float(np.square(recent[first - since] - ys.ravel()).sum() / LOSS_DIVISOR)
    raise TrainingDiverged(f"loss became {loss} at epoch {first} (alpha={alpha:g})")


# --- 7. Prediction ----------------------------------------------------------


class Prediction(NamedTuple):
    """outputs (n, 3): the network's a2; letters: the argmax of each row, as 'A'/'B'/'C'."""

    outputs: Array
    letters: List[str]


def predict(x: Any, w1: Array, w2: Array) -> Prediction:
    """Forward pass on bitmaps of 30 values ((30,), (1, 30) or (n, 30)), then argmax."""
    rows = np.asarray(x, dtype=w1.dtype).reshape(-1, N_PIXELS)
    outputs = forward(rows, w1, w2).a2
    return Prediction(outputs, [LETTERS[k] for k in np.argmax(outputs, axis=1)])


# --- Checks of settings: one clear line for each mistake --------------------


def _check_int(name: str, value: Any, low: int, high: Optional[int] = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in {low}..{high}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return int(value)


def _check_alpha(alpha: Any) -> float:
    try:
        value = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"alpha must be a number, got {alpha!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"alpha must be a finite number > 0, got {alpha!r}")
    return value


def _check_choice(name: str, value: Any, choices: Tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}: choose one of {', '.join(choices)}")
    return str(value)


def _check_dtype(dtype: DTypeLike) -> np.dtype[Any]:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return dt
