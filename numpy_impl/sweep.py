"""Train K networks at once: the seed sweep.

Does training always work, or did the article get a lucky start? To answer,
train many networks from different starting weights and count. Network k
starts from seed ``seed + k`` and is trained exactly as :func:`numpy_impl.train`
would train it alone; only the bookkeeping differs. All K networks advance
together, one set of array operations per SGD step, so a step costs about as
many NumPy calls for 1000 networks as for one.

Layout (K networks, h hidden units; the network index k is the LAST axis, so
every operation runs along long contiguous rows of K numbers)::

    W1  (30, h*K)   column j*K + k is hidden unit j of network k: the first
                    layer of all K networks is ONE matrix, z1 = x @ W1
    W2  (h, 3, K)   W2[j, c, k] is network k's weight from hidden j to output c

    per batch of b samples:  Z1, A1 (b, h, K)    Z2, A2 (b, 3, K)

The formulas are those of network.py, with the sums over the hidden units or
the outputs written as ``np.einsum`` (the letters say which axes are summed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from numpy.typing import DTypeLike, NDArray

from numpy_impl.data import N_CLASSES, N_PIXELS, dataset
from numpy_impl.network import ARTICLE_SETTINGS, Array, init_weights, sigmoid
from numpy_impl.noisy import accuracy, noisy_letters
from numpy_impl.progress import Progress
from numpy_impl.settings import sweeping

#: The stages a sweep tells its progress callback of, ``(stage, done, total)``,
#: and what each counts: "drawing" (starting weights drawn, of K networks),
#: then "training" (epochs done, of all epochs).
STAGES = {"drawing": "starting weights", "training": "epochs"}


@dataclass
class SweepResult:
    """What :func:`sweep` returns, one entry per network (index k, seed ``seed + k``).

    w1 (K, 30, h), w2 (K, h, 3): the final weights, each network's as
    :func:`numpy_impl.train` shapes them; final_loss (K,): its last epoch's
    loss; first_correct (K,): the first epoch (0-based) in which all three
    samples' outputs, taken before their updates as the loss is, put the
    largest value on the right letter (-1: never); learned (K,): whether the
    final weights classify all three letters; loss (epochs, K): the whole
    history, kept only when asked for (10,000 networks x 15,000 epochs would
    take 1.2 GB).
    """

    w1: NDArray[np.floating]
    w2: NDArray[np.floating]
    final_loss: NDArray[np.float64]
    first_correct: NDArray[np.int64]
    learned: NDArray[np.bool_]
    loss: Optional[NDArray[np.float64]] = None
    settings: Dict[str, Any] = field(default_factory=dict)

    @property
    def seeds(self) -> NDArray[np.int64]:
        first: int = self.settings["seed"]
        return first + np.arange(len(self.final_loss), dtype=np.int64)

    def fraction_learned_by(self, epochs: int) -> float:
        """Fraction of the networks that classified all three letters within ``epochs`` epochs."""
        hit = (self.first_correct >= 0) & (self.first_correct < epochs)
        return float(hit.mean())

    def summary(self) -> Dict[str, Any]:
        """The sweep's answers as plain numbers (what ``sweep --json`` prints)."""
        finite = self.final_loss[np.isfinite(self.final_loss)]
        quantiles = (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0)
        reached = self.first_correct[self.first_correct >= 0]
        return {
            "settings": dict(self.settings),
            "networks": len(self.final_loss),
            "fraction_learned": float(self.learned.mean()),
            "diverged": int(len(self.final_loss) - len(finite)),
            "final_loss_quantiles": {
                f"{q:g}": float(np.quantile(finite, q)) if len(finite) else None for q in quantiles
            },
            "first_correct_epoch": {
                "never": int((self.first_correct < 0).sum()),
                "median": float(np.median(reached)) if len(reached) else None,
                "max": int(reached.max()) if len(reached) else None,
            },
        }


def initial_weights(
    networks: int,
    seed: int,
    init: str,
    hidden: int,
    dtype: DTypeLike,
    progress: Optional[Progress] = None,
) -> Tuple[Array, Array]:
    """The K starting points, network k's drawn by ``init_weights(seed + k, ...)``.

    Returned in the sweep's layout: W1 (30, h*K) and W2 (h, 3, K). Each
    network's draws go straight into place (no list of K pairs to stack), and
    ``progress`` is told ("drawing", k, K) as they are made.
    """
    w1 = np.empty((N_PIXELS, hidden, networks), dtype=dtype)
    w2 = np.empty((hidden, N_CLASSES, networks), dtype=dtype)
    for k in range(networks):
        w1[:, :, k], w2[:, :, k] = init_weights(seed + k, init, hidden, dtype)
        if progress is not None:
            progress("drawing", k + 1, networks)
    return w1.reshape(N_PIXELS, hidden * networks), w2


def sweep(
    *,
    networks: int,
    history: bool = False,
    progress: Optional[Progress] = None,
    **settings: Any,
) -> SweepResult:
    """Train ``networks`` networks side by side, network k from seed ``seed + k``.

    ``settings`` are those of :func:`numpy_impl.train` (epochs, alpha, hidden,
    rule, init, seed, dtype, batch_size), with the same defaults, the article's
    job (:data:`numpy_impl.ARTICLE_SETTINGS`). Each network follows ``train``:
    per-sample (or mini-batch) SGD in the order A, B, C, the loss of each
    sample taken before its step, the epoch loss the mean of the three. A
    network whose loss becomes NaN or infinite is not stopped (the others go
    on); its final loss is reported as NaN and it counts as not learned.
    ``history=True`` keeps every epoch's loss; ``progress`` (its
    stages: :data:`STAGES`) is told of each network's starting weights as they are
    drawn, then of each epoch done.

    Raises ``ValueError`` for a bad setting, and
    :class:`numpy_impl.memory.NotEnoughMemory` (a ``ValueError``) before
    allocating anything when the run would not fit in the memory available.
    """
    k_nets, s = sweeping(networks, history, **{**ARTICLE_SETTINGS, **settings})
    epochs, hidden, seed, rule, dt = s.epochs, s.hidden, s.seed, s.rule, np.dtype(s.dtype)

    if progress is not None:
        progress("drawing", 0, k_nets)  # at once: drawing K starting points takes a while
    w1, w2 = initial_weights(k_nets, seed, s.init, hidden, dt, progress)
    xs, ys = dataset(dt)
    n = len(xs)
    labels = ys.argmax(axis=1)
    b = s.batch_size
    batches = [_Batch(xs[i : i + b], ys[i : i + b], labels[i : i + b]) for i in range(0, n, b)]
    step_size = np.asarray(s.alpha, dtype=dt)
    one = np.asarray(1, dtype=dt)
    mse_factor = np.asarray(2 / 3, dtype=dt)

    losses = np.empty((epochs, k_nets)) if history else None
    epoch_loss = np.zeros(k_nets)
    first_correct = np.full(k_nets, -1, dtype=np.int64)

    with np.errstate(over="ignore", invalid="ignore"):  # a diverging network just turns NaN
        for epoch in range(epochs):
            epoch_loss[:] = 0.0
            all_correct = np.ones(k_nets, dtype=bool)
            for batch in batches:
                # forward: z1 = x @ w1 for all K networks in one product
                a1 = sigmoid(batch.x.dot(w1)).reshape(-1, hidden, k_nets)  # (b, h, K)
                a2 = sigmoid(np.einsum("bjk,jck->bck", a1, w2))  # z2 = a1 @ w2: (b, 3, K)
                err = a2 - batch.y[:, :, None]  # a2 - y
                # each sample's MSE, sum((a2 - y)^2) / 3, added up over the batch: (K,)
                epoch_loss += np.einsum("bck,bck->k", err, err) / 3
                # right when the true letter's output is the largest (NaN never is)
                largest = a2.max(axis=1)  # (b, K)
                all_correct &= (a2[batch.rows, batch.labels] == largest).all(axis=0)
                # output delta d2 = dL/dz2 under the rule (network.output_delta)
                d2 = err if rule == "article" else mse_factor * err * a2 * (one - a2)
                # backward (network.backprop): d1 = (d2 @ w2.T) * a1 (1 - a1)
                d1 = np.einsum("bck,jck->bjk", d2, w2) * a1 * (one - a1)
                # SGD step, alpha folded into the deltas (b numbers per network,
                # not 30 * h): w2 -= a1.T @ (alpha d2), w1 -= x.T @ (alpha d1)
                w2 -= np.einsum("bjk,bck->jck", a1, step_size * d2)
                step1 = (step_size * d1).reshape(len(batch.x), -1)  # (b, h*K)
                for pixel, column in batch.lit:
                    # row `pixel` of x.T @ step1; a pixel that is 0 in every
                    # sample of the batch has a zero gradient row and is skipped
                    w1[pixel] -= step1[0] if column is None else column.dot(step1)
            if losses is not None:
                losses[epoch] = epoch_loss / n
            first_correct[all_correct & (first_correct < 0)] = epoch
            if progress is not None:
                progress("training", epoch + 1, epochs)

    final_loss = epoch_loss / n
    w1_nets = np.moveaxis(w1.reshape(N_PIXELS, hidden, k_nets), -1, 0)  # (K, 30, h)
    w2_nets = np.moveaxis(w2, -1, 0)  # (K, h, 3)
    return SweepResult(
        w1=w1_nets,
        w2=w2_nets,
        final_loss=np.where(np.isfinite(final_loss), final_loss, np.nan),
        first_correct=first_correct,
        learned=classifies_all(w1_nets, w2_nets),
        loss=losses,
        settings={"networks": k_nets, **s.as_dict()},
    )


class _Batch:
    """One batch's rows, and the pixels lit in it (only their w1 rows change).

    ``lit`` lists (pixel, column) with column = x[:, pixel] (b,), or None when
    b = 1 and the pixel is exactly 1: then the gradient row is step1[0] itself
    (1 * v = v), which saves a product per pixel on the sweep's hot path.
    """

    def __init__(self, x: Array, y: Array, labels: NDArray[np.intp]) -> None:
        self.x, self.y, self.labels = x, y, labels
        self.rows = np.arange(len(x))  # with labels: picks each sample's true output
        self.lit: List[Tuple[int, Optional[Array]]] = [
            (int(i), None if len(x) == 1 and x[0, i] == 1 else x[:, i])
            for i in np.flatnonzero(np.any(x != 0, axis=0))
        ]


def classifies_all(w1: NDArray[np.floating], w2: NDArray[np.floating]) -> NDArray[np.bool_]:
    """For networks w1 (K, 30, h), w2 (K, h, 3): does each put A, B, C in the right class?

    That is accuracy 1 on the letters themselves, noisy letters at distance 0
    (NaN outputs count as wrong there).
    """
    xs, labels = noisy_letters(0)
    learned: NDArray[np.bool_] = accuracy(w1, w2, xs, labels) == 1.0
    return learned
