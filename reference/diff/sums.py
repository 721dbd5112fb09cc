"""Diff numpy_impl's hand-written gradients against three independent methods: the sums.

What ``scripts/diff_gradients.py`` computes, as typed results; its command
line (options, text, JSON, pictures) is :mod:`reference.diff.cli`.

Step (:func:`step`): from the chosen weights (seed, init, hidden; after some
epochs of numpy_impl training), each weight gradient of the chosen sample is
computed four ways:

    ours          numpy_impl.gradients, the hand-written backprop
    autograd      reference.witnesses.torch_mirror.gradients, PyTorch autograd (left out when
                  torch is not installed)
    complex step  Im L(w + i h e_j) / h, h = 1e-200: exact to a few ulp
    central diff  (L(w + h e_j) - L(w - h e_j)) / 2h, h = 1e-5: ~1e-10 absolute

and each method is compared with ours, per layer (:class:`Comparison`): max
abs error, max relative error (normwise: against the largest reference entry;
reference/witnesses/compare.py), cosine, the worst entry's index, and the tolerance it
must meet.

The loss the other methods differentiate is by default the one the rule
claims (``numpy_impl.RULE_LOSS``: article -> bce, mse -> mse). Naming the
other one shows the article's finding (:func:`finding`): the mismatch is then
EXPECTED and not counted; what is checked instead is that it has exactly the
predicted form, d2(rule) / dL/dz2 = 3 / (2 a2 (1 - a2)) per output.

Trajectory (:func:`trajectory`, needs torch): numpy_impl and the PyTorch
mirror trained side by side from the same start, and how far they drift apart.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

import numpy_impl as ni
from numpy_impl import network
from numpy_impl.data import LETTERS
from numpy_impl.settings import Settings
from reference.witnesses.compare import errors
from reference.witnesses.losses import LOSSES
from reference.witnesses.oracles import (
    central_difference,
    complex_step,
    complex_step_of,
    loss_function,
)
from reference.witnesses.tolerances import (
    CENTRAL,
    CENTRAL_FLOOR,
    FLOAT32,
    FLOAT32_DRIFT,
    FLOAT32_FLOOR_SCALE,
    GRADIENT,
    RATIO,
    TRAJECTORY,
    gradient_floor,
)

#: Which rule's output delta is the exact gradient of each loss (numpy_impl.RULE_LOSS, inverted).
RULE_OF_LOSS = {loss.name: rule for rule, loss in ni.RULE_LOSS.items()}

Pair = Tuple[np.ndarray, np.ndarray]


class NeedsTorch(ValueError):
    """A comparison with the PyTorch mirror, asked for where torch is not installed."""


def torch_version() -> Optional[str]:
    """The installed PyTorch's version, or None without it."""
    try:
        import torch
    except ImportError:
        return None
    return str(torch.__version__)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of the angle between two tensors (NaN if either is zero)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.vdot(a, b)) / (na * nb) if na and nb else math.nan


# --- One step ---------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Ours against one method, for one layer (w1 or w2) and the loss it differentiates."""

    layer: str
    method: str
    loss: str
    max_abs: float
    max_rel: float
    cosine: float
    worst_index: Tuple[int, ...]
    tolerance: float
    counted: bool  # False: the finding's expected mismatch, shown but not judged

    @property
    def ok(self) -> Optional[bool]:
        return bool(self.max_rel <= self.tolerance) if self.counted else None


def compare(
    layer: str, method: str, ours: np.ndarray, ref: np.ndarray, *, loss: str, tolerance: float,
    floor: float, counted: bool = True,
) -> Comparison:  # fmt: skip
    """One :class:`Comparison` of ``ours`` with ``ref``."""
    max_abs, max_rel, index = errors(ours, ref, floor)
    return Comparison(
        layer=layer,
        method=method,
        loss=loss,
        max_abs=max_abs,
        max_rel=max_rel,
        cosine=cosine(np.asarray(ours, np.float64), np.asarray(ref, np.float64)),
        worst_index=index,
        tolerance=tolerance,
        counted=counted,
    )


@dataclass(frozen=True)
class Ratio:
    """One output's d2(rule) / dL/dz2 (the finding), measured and predicted."""

    sample: int  # the row of the sample in the batch compared
    output: str  # "A", "B" or "C"
    a2: float
    measured: float  # NaN where dL/dz2 is at rounding level: no meaningful ratio
    predicted: float
    rel_diff: float

    @property
    def checked(self) -> bool:
        return not math.isnan(self.rel_diff)

    @property
    def ok(self) -> bool:
        return bool(self.rel_diff <= RATIO)


@dataclass(frozen=True)
class Finding:
    """The finding, output by output: every ratio, and the tolerance they are checked at."""

    ratios: List[Ratio]
    tolerance: float = RATIO

    @property
    def checked(self) -> List[Ratio]:
        return [r for r in self.ratios if r.checked]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.checked)


@dataclass
class StepReport:
    """Everything the step mode compares (``settings.epochs``: those trained first, 0 for none)."""

    settings: Settings
    sample: str  # "A", "B", "C" or "all"
    loss: str  # the loss the other methods differentiate
    torch: Optional[str]  # PyTorch's version, None when autograd was left out
    comparisons: List[Comparison]
    finding: Optional[Finding]  # when ``loss`` is not the one the rule claims
    gradients: Dict[str, Pair] = field(default_factory=dict)  # ours, and each method's

    @property
    def claimed(self) -> str:
        """The loss the rule claims to differentiate."""
        return ni.RULE_LOSS[self.settings.rule].name

    @property
    def ok(self) -> bool:
        counted = all(c.ok for c in self.comparisons if c.counted)
        return counted and (self.finding is None or self.finding.ok)


def step(settings: Settings, sample: str = "A", loss: Optional[str] = None) -> StepReport:
    """Compare ours with every method at the weights ``settings`` gives (after
    ``settings.epochs`` epochs of numpy_impl training, none if 0), on ``sample``."""
    s = settings
    claimed = ni.RULE_LOSS[s.rule].name
    loss = loss or claimed
    if s.epochs:
        trained = ni.train(**s.as_dict())
        w1, w2 = trained.w1, trained.w2
    else:
        w1, w2 = ni.init_weights(s.seed, s.init, s.hidden, s.dtype)
    xs, ys = ni.dataset(s.dtype)
    if sample == "all":
        x, y = xs, ys  # (3, 30), (3, 3): the gradients are sums over the rows
    else:
        i = LETTERS.index(sample)
        x, y = xs[i : i + 1], ys[i : i + 1]  # (1, 30), (1, 3)

    ours = ni.gradients(x, y, w1, w2, s.rule)
    # the other methods work in float64 at the very same weights and inputs
    x64, y64, w1_64, w2_64 = (a.astype(np.float64) for a in (x, y, w1, w2))
    torch = torch_version()
    exact_tol = GRADIENT if s.dtype == "float64" else FLOAT32
    floor = gradient_floor(w2_64, upstream=len(x))
    if s.dtype == "float32":
        floor *= FLOAT32_FLOOR_SCALE
    comparisons: List[Comparison] = []
    shown: Dict[str, Pair] = {"ours": (ours.w1, ours.w2)}
    # first the loss the rule claims (counted), then, for the finding, the other one
    for which in dict.fromkeys([claimed, loss]):
        found: Dict[str, Pair] = {}
        if torch:
            from reference.witnesses import torch_mirror as ref

            tx, ty, tw1, tw2 = (ref.as_tensor(a, s.dtype) for a in (x, y, w1, w2))
            g = ref.gradients(tx, ty, tw1, tw2, rule=RULE_OF_LOSS[which])
            found["autograd"] = (g.w1.double().numpy(), g.w2.double().numpy())
        of_loss = loss_function(x64, y64, which)
        found["complex step"] = complex_step(of_loss, w1_64, w2_64)
        found["central diff"] = central_difference(of_loss, w1_64, w2_64)
        for index, layer in enumerate(("w1", "w2")):
            for method, grads in found.items():
                tol, fl = exact_tol, floor
                if method == "central diff":
                    tol, fl = max(CENTRAL, exact_tol), max(CENTRAL_FLOOR, floor)
                counted = which == claimed
                c = compare(layer, method, ours[index], grads[index], loss=which, tolerance=tol,
                            floor=fl, counted=counted)  # fmt: skip
                comparisons.append(c)
        if which == loss:
            shown.update(found)  # drawn by --plot
    ratios = finding(x64, y64, w1_64, w2_64, s.rule, loss) if loss != claimed else None
    return StepReport(s, sample, loss, torch, comparisons, ratios, shown)


def finding(
    x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, rule: str, loss: str
) -> Finding:
    """The finding, entry by entry: d2 of ``rule`` over the true dL/dz2 of ``loss``.

    dL/dz2 comes from the complex step of the loss as a function of z2
    (reference.witnesses.oracles, exact). Predicted ratio: article over mse =
    3 / (2 a2 (1 - a2)); mse over bce is its reciprocal.
    """
    fwd = ni.forward(x, w1, w2)
    d2 = network.output_delta(fwd.a2, y, rule)  # ours (looked up now: a student's edit counts)
    of = LOSSES[loss].of
    true = complex_step_of(lambda z2: of(ni.Forward(fwd.z1, fwd.a1, z2, ni.sigmoid(z2)), y), fwd.z2)
    slope = fwd.a2 * (1 - fwd.a2)
    predicted = 3 / (2 * slope) if rule == "article" else 2 * slope / 3
    ratios = []
    for idx in np.ndindex(d2.shape):
        # a true gradient at rounding level (a2 = y to ~1e-16) has no meaningful ratio
        meaningful = abs(true[idx]) > 1e-12
        measured = d2[idx] / true[idx] if meaningful else math.nan
        rel = abs(measured - predicted[idx]) / abs(predicted[idx]) if meaningful else math.nan
        ratios.append(
            Ratio(
                sample=int(idx[0]),
                output=LETTERS[idx[1]],
                a2=float(fwd.a2[idx]),
                measured=float(measured),
                predicted=float(predicted[idx]),
                rel_diff=float(rel),
            )
        )
    return Finding(ratios)


# --- A whole training ---------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The relative differences after ``epoch`` epochs: of the weights (normwise),
    and of the loss history so far (its worst epoch, entry by entry)."""

    epoch: int
    w1: float
    w2: float
    loss: float


@dataclass
class TrajectoryReport:
    """numpy_impl and PyTorch trained side by side (``settings.epochs`` epochs)."""

    settings: Settings
    every: int
    torch: str
    checkpoints: List[Checkpoint]
    tolerance: float
    seconds: Dict[str, float]  # "numpy_impl" and "torch"

    @property
    def worst(self) -> float:
        return max(max(c.w1, c.w2, c.loss) for c in self.checkpoints)

    @property
    def ok(self) -> bool:
        return bool(self.worst <= self.tolerance)


def trajectory(settings: Settings, every: int) -> TrajectoryReport:
    """Train numpy_impl and the PyTorch mirror ``settings.epochs`` epochs from the
    same start; compare them every ``every`` epochs."""
    torch = torch_version()
    if not torch:
        raise NeedsTorch("--trajectory needs PyTorch, the second implementation: pip install torch")
    from reference.witnesses import torch_mirror as ref  # (it runs torch on one thread)

    s = settings
    epochs, every = s.epochs, min(every, s.epochs)
    start = ni.init_weights(s.seed, s.init, s.hidden)
    began = time.perf_counter()
    (theirs,) = ref.train_many(
        [start],
        [s.rule],
        epochs=epochs,
        alpha=s.alpha,
        dtype=s.dtype,
        checkpoint_every=every,
        batch_size=s.batch_size,
    )
    torch_seconds = time.perf_counter() - began
    began = time.perf_counter()
    # numpy_impl in chunks of `every` epochs: training is stateless beyond the
    # weights, so this is the same arithmetic as one run, with checkpoints
    w1, w2 = start
    history, rows = [], []
    for done in range(every, epochs + every, every):
        chunk = min(every, epochs - (done - every))
        part = ni.train(**s.replace(epochs=chunk).as_dict(), weights=(w1, w2))
        w1, w2 = part.w1, part.w2
        history.append(part.loss)
        at = done - every + chunk
        if at in theirs.checkpoints:
            t1, t2 = theirs.checkpoints[at]
            so_far = np.concatenate(history)
            rows.append(
                Checkpoint(
                    epoch=at,
                    w1=errors(w1, t1)[1],
                    w2=errors(w2, t2)[1],
                    loss=errors(so_far, theirs.loss[:at], elementwise=True)[1],
                )
            )
    seconds = {"numpy_impl": time.perf_counter() - began, "torch": torch_seconds}
    tol = TRAJECTORY if s.dtype == "float64" else FLOAT32_DRIFT
    return TrajectoryReport(s, every, torch, rows, tol, seconds)
