"""The article's 30-5-3 sigmoid network, every step a function.

Read top to bottom: sigmoid, initial weights, forward pass, the two losses,
the backward pass, one SGD step, the training loop, prediction.

Notation (one sample; h is the hidden size, 5 in the article)::

    x  (1, 30)  input row               y  (1, 3)  one-hot label
    w1 (30, h)  input -> hidden         w2 (h, 3)  hidden -> output
    z1 = x  @ w1    a1 = sigmoid(z1)    (1, h)
    z2 = a1 @ w2    a2 = sigmoid(z2)    (1, 3)     a2 is the prediction

Every function also takes a batch of n rows, x of shape (n, 30): losses and
gradients are then sums over the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import numpy as np
from numpy.typing import DTypeLike, NDArray

from numpy_impl import checks, settings
from numpy_impl.data import LETTERS, N_CLASSES, N_PIXELS, dataset

Array = NDArray[np.floating]


# --- 1. The activation ------------------------------------------------------


def sigmoid(t: Any) -> Array:
    """sigmoid(t) = 1 / (1 + exp(-t)), elementwise, any shape, computed as

        sigmoid(t) = exp(min(t, 0)) / (1 + exp(-|t|))

    For t >= 0 this is 1 / (1 + exp(-t)); for t < 0 it is exp(t) / (1 + exp(t)),
    the same fraction multiplied top and bottom by exp(t). Both exponents are
    <= 0, so exp never overflows: sigmoid(+inf) = 1 and sigmoid(-inf) = 0
    exactly, NaN stays NaN, a very negative t keeps its tiny (even subnormal)
    value. Within 2 ulp of the exact value wherever that is a normal float.
    Float arrays keep their dtype; other real input becomes float64.
    """
    t = np.asarray(t)
    if t.dtype.kind == "c":
        # complex step (reference/witnesses/oracles.py): the plain, analytic formula
        return 1 / (1 + np.exp(-t))
    if t.dtype.kind != "f":
        t = t.astype(np.float64)  # a number, a list, integers...: in float64
    return np.exp(np.minimum(t, 0.0)) / (1.0 + np.exp(-np.abs(t)))


# --- 2. Initial weights -----------------------------------------------------


def init_weights(
    seed: int = 0, init: str = "article", hidden: int = 5, dtype: DTypeLike = "float64"
) -> Tuple[Array, Array]:
    """Draw the initial weights, standard normal: w1 (30, hidden), w2 (hidden, 3).

    * ``init="article"`` reproduces the article: after ``np.random.seed(seed)``
      its ``np.random.randn(30, 5)`` then ``np.random.randn(5, 3)`` give exactly
      ``RandomState(seed).standard_normal(150)`` reshaped row by row, then the
      next 15 draws. A private ``RandomState`` draws them without touching
      NumPy's global generator.
    * ``init="normal"`` uses NumPy's modern ``numpy.random.default_rng(seed)``.

    The draws are made in float64, then rounded to ``dtype``.
    """
    seed = checks.check_seed(seed)
    init = checks.check_choice("init", init, checks.INITS)
    hidden = checks.check_int("hidden", hidden, low=1)
    dt = checks.check_dtype(dtype)
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
    """Run the network on x of shape (n, 30); all four are kept for the backward pass.

    z1 = x @ w1, a1 = sigmoid(z1): (n, h);  z2 = a1 @ w2, a2 = sigmoid(z2): (n, 3).
    """
    z1 = x @ w1
    a1 = sigmoid(z1)
    z2 = a1 @ w2
    a2 = sigmoid(z2)
    return Forward(z1, a1, z2, a2)


# --- 4. The losses ----------------------------------------------------------


def mse_loss(a2: Array, y: Array) -> float:
    """The loss the article reports: L = sum((a2 - y)^2) / 3.

    The article divides by 3, its number of samples, which equals the number
    of outputs: for one sample (a2, y of shape (1, 3)) this is the mean squared
    error of its three outputs; for n rows, the sum of the n samples' losses.
    """
    d = (a2 - y).ravel()
    return d.dot(d) / 3  # the sum of squares (and analytic, for the complex step)


def bce_loss(z2: Array, y: Array) -> float:
    """Summed binary cross-entropy of the sigmoid outputs a2 = sigmoid(z2), from the logits z2:

        L = -sum(y log a2 + (1 - y) log(1 - a2)) = sum(y softplus(-z2) + (1 - y) softplus(z2))

    as -log sigmoid(z) = softplus(-z) and -log(1 - sigmoid(z)) = softplus(z), where
    softplus(z) = log(1 + exp(z)) = logaddexp(0, z): no log(0), no overflow,
    every term >= 0, so nothing cancels.
    """
    return np.sum(y * softplus(-z2) + (1 - y) * softplus(z2))


def softplus(z: Array) -> Array:
    """softplus(z) = log(1 + exp(z)), without overflow (complex: the plain, analytic formula)."""
    return np.log1p(np.exp(z)) if z.dtype.kind == "c" else np.logaddexp(0, z)


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
        return (2 / 3) * (a2 - y) * a2 * (1.0 - a2)
    raise ValueError(f"unknown rule {rule!r}: choose one of {', '.join(checks.RULES)}")


class Loss(NamedTuple):
    name: str  # "bce" or "mse"
    of: Callable[[Forward, Array], float]  # its value for a forward pass: of(fwd, y)


#: The loss each rule's output delta is the exact gradient of (proven by the
#: tests). The article reports the MSE whichever rule trains.
RULE_LOSS: Dict[str, Loss] = {
    "article": Loss("bce", lambda fwd, y: bce_loss(fwd.z2, y)),
    "mse": Loss("mse", lambda fwd, y: mse_loss(fwd.a2, y)),
}


def backprop(x: Array, w2: Array, fwd: Forward, d2: Array) -> Gradients:
    """Carry the error signal d2 = dL/dz2 back to the weights (the chain rule).

        d1 = (d2 @ w2.T) * a1 (1 - a1)           (n, h)   (the article writes (w2 @ d2.T).T)
        dL/dw1 = x.T  @ d1                       (30, h)
        dL/dw2 = a1.T @ d2                       (h, 3)

    a1 (1 - a1) is sigmoid'(z1). For any d2 this is the vector-Jacobian
    product of z2 with respect to (w1, w2). ``w2`` must be the weights the
    forward pass used.
    """
    d1 = (d2 @ w2.T) * fwd.a1 * (1.0 - fwd.a1)
    return Gradients(x.T @ d1, fwd.a1.T @ d2)


def gradients(x: Array, y: Array, w1: Array, w2: Array, rule: str = "article") -> Gradients:
    """The weight gradients of one sample (or the sum over a batch of rows) under ``rule``:
    the forward pass, the output delta, then :func:`backprop`."""
    fwd = forward(x, w1, w2)
    return backprop(x, w2, fwd, output_delta(fwd.a2, y, rule))


# --- 6. One step, and the training loop -------------------------------------


def sgd_step(w1: Array, w2: Array, grads: Gradients, alpha: float) -> Tuple[Array, Array]:
    """Plain gradient descent: w <- w - alpha * dL/dw. Returns new arrays."""
    return w1 - alpha * grads.w1, w2 - alpha * grads.w2


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite during training."""


@dataclass
class TrainResult:
    """What :func:`train` returns: the final weights w1 (30, h), w2 (h, 3); loss (epochs,),
    each epoch's mean per-sample loss (taken before each update); the settings, to run it again."""

    w1: Array
    w2: Array
    loss: NDArray[np.float64]
    settings: Dict[str, Any] = field(default_factory=dict)


#: The article's job: what train() runs when given no settings (seed 0 is the
#: project's addition; the article seeds nothing).
ARTICLE = settings.Settings(epochs=15000, alpha=0.01, hidden=5, rule="article",
                            init="article", seed=0, dtype="float64", batch_size=1)  # fmt: skip
ARTICLE_SETTINGS: Dict[str, Any] = ARTICLE.as_dict()


def train(
    *, epochs: int = ARTICLE.epochs, alpha: float = ARTICLE.alpha, hidden: int = ARTICLE.hidden,
    rule: str = ARTICLE.rule, init: str = ARTICLE.init, seed: int = ARTICLE.seed,
    dtype: DTypeLike = ARTICLE.dtype, batch_size: int = ARTICLE.batch_size,
    weights: Optional[Tuple[Array, Array]] = None, data: Optional[Tuple[Array, Array]] = None,
) -> TrainResult:  # fmt: skip
    """Train by per-sample SGD, the article's way. The defaults are its job (:data:`ARTICLE`).

    Every epoch visits the samples in a fixed order (A, B, C), no shuffling.
    For each sample: forward pass, its MSE loss (with the weights before the
    update), the output delta under ``rule``, backprop, one SGD step. The
    epoch's loss is the mean of its per-sample losses.

    ``batch_size=b`` takes one step per b consecutive samples (A, B | C for
    b = 2; full batch for b = 3), on the SUM of their gradients.
    ``weights=(w1, w2)`` starts from given weights (``init``, ``seed`` and
    ``hidden`` then only describe them); ``data=(X, Y)``, (n, 30) and (n, 3),
    replaces the three letters.

    Raises :class:`TrainingDiverged` naming the first epoch whose loss is NaN or infinite;
    ``ValueError`` for a bad setting or a run too big for memory (:mod:`numpy_impl.settings`).
    """
    s = settings.training(
        epochs=epochs, alpha=alpha, hidden=hidden, rule=rule, init=init, seed=seed, dtype=dtype,
        batch_size=batch_size, weights=weights, data=data)  # fmt: skip
    xs, ys = dataset(s.dtype) if data is None else (np.asarray(d, dtype=s.dtype) for d in data)
    if weights is None:
        w1, w2 = init_weights(s.seed, s.init, s.hidden, s.dtype)
    else:  # copies: the caller's arrays stay as they are
        w1, w2 = (np.array(w, dtype=s.dtype) for w in weights)
    b = s.batch_size
    batches = [(xs[i : i + b], ys[i : i + b]) for i in range(0, len(xs), b)]
    history = []  # the epoch losses
    # a run that blows up (alpha = 1e300) overflows: silenced, as its NaN loss ends the run
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(s.epochs):
            losses = []
            for x, y in batches:
                fwd = forward(x, w1, w2)
                losses.append(mse_loss(fwd.a2, y))  # with the weights before the step
                d2 = output_delta(fwd.a2, y, s.rule)
                grads = backprop(x, w2, fwd, d2)  # with w2 before the step, too
                w1, w2 = sgd_step(w1, w2, grads, s.alpha)
            loss = sum(losses) / len(xs)  # the mean of the samples' losses
            if not math.isfinite(loss):
                raise TrainingDiverged(f"loss became {loss} at epoch {epoch} (alpha={s.alpha:g})")
            history.append(loss)
    if not (np.isfinite(w1).all() and np.isfinite(w2).all()):  # the very last step overflowed
        raise TrainingDiverged(f"weights became infinite by epoch {epoch} (alpha={s.alpha:g})")
    return TrainResult(w1, w2, np.array(history, dtype=np.float64), s.as_dict())


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
