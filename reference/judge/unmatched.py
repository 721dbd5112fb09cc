"""What is said of a layer no chain of the catalogue matches: at which points and
where its differences from the correct gradient lie, whether it is the correct
gradient times one constant everywhere, or an approximation of it; and a step
that returned the gradients themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from reference.judge.answers import Answer, Answers, Precision
from reference.judge.catalogue import correct
from reference.judge.network import ARTICLE
from reference.judge.plan import ALPHA
from reference.witnesses.losses import ARTICLE_LOSSES
from reference.witnesses.tolerances import APPROXIMATE, RECOGNISED, gradient_floor


@dataclass(frozen=True)
class Spread:
    """Where a layer no chain matches differs from the correct gradient: the points
    (``off``, of ``total``), the hidden units and pixels with the largest differences
    at the first of them (``at``), and the one constant it is the correct gradient
    times everywhere, if there is one (``factor``, known to within ``allowed``)."""

    off: List[Answer]
    total: int
    at: Dict[str, List[int]]
    factor: Optional[float]
    allowed: float = 0.0


def spread(answers: Sequence[Answer], weight: str, loss: str, precision: Precision) -> Spread:
    """Where the gradient of ``weight`` differs (the first point, if no point's
    difference is beyond the tolerance by this measure)."""
    off = differing(answers, weight, loss, precision) or list(answers[:1])
    found = factor(answers, weight, loss, precision.tolerance)
    k, allowed = found if found is not None else (None, 0.0)
    return Spread(off, len(answers), where(off[0], weight, loss), k, allowed)


def where(answer: Answer, weight: str, loss: str) -> Dict[str, List[int]]:
    """Where the differences from the correct gradient lie, at ``answer``: the hidden
    units (and, for dL/dw1, the pixels) with the largest ones."""
    diff = np.abs(answer.gradient[weight] - correct(answer.state, loss).gradient(weight))
    # ties (the lit pixels of a letter share one row of x.T @ d1) go to the lowest
    # index: a stable sort, the same in every NumPy version
    if weight == "w1":  # (30, h): rows are pixels, columns hidden units
        units = np.argsort(-diff.max(axis=0), kind="stable")[:3]
        pixels = np.argsort(-diff.max(axis=1), kind="stable")[:5]
        return {
            "hidden units": sorted(int(u) for u in units),
            "pixels": sorted(int(p) for p in pixels),
        }
    units = np.argsort(-diff.max(axis=1), kind="stable")[:3]  # (h, 3): rows are hidden units
    return {"hidden units": sorted(int(u) for u in units)}


def factor(
    answers: Sequence[Answer], weight: str, loss: str, tol: float
) -> Optional[Tuple[float, float]]:
    """The constant k when the gradient is the correct one times k everywhere, and
    how far k may be off (None when it is not)."""
    ratios = []  # (k, how far k may be off at that point)
    for ans in answers:
        s = ans.state
        ref = correct(s, loss).gradient(weight)  # never 0 at the plan's points (tests/judge)
        g = ans.gradient[weight]
        k = float(g.ravel() @ ref.ravel()) / float(ref.ravel() @ ref.ravel())
        floor = abs(k) * gradient_floor(s.w2, upstream=s.n)
        size = float(np.abs(ref).max())
        bound = max(abs(k) * size, floor)
        if max(float(np.abs(g - k * ref).max()) - ans.slack[weight], 0.0) > tol * bound:
            return None
        ratios.append((k, (tol * bound + ans.slack[weight]) / size))
    first, allowed = ratios[0]
    if all(abs(k - first) <= t + allowed for k, t in ratios):
        return first, allowed  # k is read at the first point, within what it allows there
    return None


def relative(answer: Answer, weight: str, loss: str, precision: Precision) -> float:
    """How far ``answer``'s gradient is from the correct one: its largest difference
    (less what a step's recovery may cost) over the gradient's size, or over the floor
    where the gradient is smaller (:func:`gradient_floor`, scaled for the precision)."""
    s = answer.state
    ref = correct(s, loss).gradient(weight)
    floor = precision.floor_scale * gradient_floor(s.w2, upstream=s.n)
    scale = max(float(np.abs(ref).max()), floor)
    off = float(np.abs(answer.gradient[weight] - ref).max()) - answer.slack[weight]
    return max(off, 0.0) / scale


def differing(
    answers: Sequence[Answer], weight: str, loss: str, precision: Precision
) -> List[Answer]:
    """The answers at which ``weight``'s gradient is not the correct one."""
    return [a for a in answers if relative(a, weight, loss, precision) > precision.tolerance]


def approximate(answers: Sequence[Answer], weight: str, loss: str, precision: Precision) -> bool:
    """Whether the gradient differs at most points (where it is large enough to show
    the difference), and nowhere by more than :data:`APPROXIMATE`: an approximation
    (finite differences), not a mistake, which acts at some points, or by more."""
    off = [relative(a, weight, loss, precision) for a in answers]
    most = 2 * sum(r > precision.tolerance for r in off) > len(off)
    return most and all(r <= APPROXIMATE for r in off)


def gradients_returned(answers: Answers, named: str) -> Optional[str]:
    """For a step: the loss whose gradients it returned in place of the updated
    weights, at every point, the loss ``named`` first (None: it did not, or it is
    no step)."""
    if not answers.step:
        return None
    for loss in sorted(ARTICLE_LOSSES, key=lambda name: name != named):
        if all(_returned_gradient(a, w, loss) for a in answers.all for w in ARTICLE.weights):
            return loss
    return None


def _returned_gradient(answer: Answer, weight: str, loss: str) -> bool:
    """Whether what the step returned for ``weight`` (read back from the recovered
    gradient) is the gradient of ``loss`` itself, within :data:`RECOGNISED` of its scale."""
    s = answer.state
    given = s.weight(weight) - ALPHA * answer.gradient[weight]
    ref = correct(s, loss).gradient(weight)
    scale = max(float(np.abs(ref).max()), gradient_floor(s.w2, upstream=s.n))
    return float(np.abs(given - ref).max()) <= RECOGNISED * scale
