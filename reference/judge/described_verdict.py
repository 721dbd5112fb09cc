"""The verdict on a described network's backprop: each gradient, the mistake, in words.

Each returned gradient is read at every point (:func:`reference.judge.described.read`)
and compared with the judge's own at the description's sizes: right; else one
twist of the catalogue (:mod:`reference.judge.layered`) that matches every
gradient at once (the mistake is in that layer's delta); else, gradient by
gradient, a twist that matches it, the mean's 1/n lost or taken twice, the sign,
or one constant factor. The shape is said beside the values: an axis of length
one (the values right, the shape not: ``b1 - lr * db1`` would broadcast), a
weight's gradient transposed, a bias gradient not summed over the examples or
summed over the wrong axis. Where nothing matches, the first gradient to go
wrong in the backward pass (the output layer's first) is where to look.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import numpy as np

from reference.judge import described_words
from reference.judge.answers import Note, Outcome, Precision
from reference.judge.contract import Contract
from reference.judge.described import (
    REPEAT,
    Fit,
    Read,
    expected,
    hidden_sizes,
    near,
    order,
    plan,
    precision_of,
    read,
    refuse_described,
)
from reference.judge.diagnosis import Diagnosis, LayerVerdict
from reference.judge.layered import Mistake, catalogue
from reference.witnesses.compare import errors
from reference.witnesses.networks import Description

Array = np.ndarray


def parts(d: Description) -> Dict[str, str]:
    """A described network's parts: each gradient, and the other hidden sizes."""
    own = {r: r for r in d.returns}
    if d.layers >= 2:
        others = " and ".join("-".join(map(str, s)) for s in hidden_sizes(d)[1:])
        own["sizes"] = f"other hidden sizes ({others})"
    return own


def contract(d: Description, require: str = "", points: str = "") -> Contract:
    """The teacher's contract for ``d``: every gradient required, and ``require``'s."""
    return Contract.parse(require, points, parts(d), d.returns)


def _close(ours: Array, ref: Array, floor: float, precision: Precision) -> bool:
    return errors(ours, ref, floor * precision.floor_scale)[1] <= precision.tolerance


def _reads(d: Description, run: Outcome) -> List[Dict[str, Read]]:
    """Every call's gradients, read by the returned names."""
    at = order(d, run)
    found = []
    for index, call in enumerate(run.calls):
        p, deltas = plan(d)[index], expected(d, index).deltas
        found.append(
            {r: read(d, r, call.arrays[at[k]], p, deltas) for k, r in enumerate(d.returns)}
        )
    return found


def _target(d: Description, r: str, form: str, index: int, twist: str = "") -> Array:
    """What a gradient read in ``form`` should hold at call ``index``: the weight's
    gradient, in the layout (``twist``: a mistake's), or the delta for a bias gradient
    left unsummed, or summed over the units."""
    e, weight = expected(d, index), d.gradient_of(r)
    layer = d.place(weight)[1]
    if form == "not summed":
        return np.asarray(e.deltas[layer] if d.layout == "rows" else e.deltas[layer].T)
    if form == "wrong axis":
        return np.asarray(e.deltas[layer].sum(axis=1))
    grads = e.twisted[twist] if twist else e.right
    return d.from_rows(weight, grads[weight])


def _fit(
    d: Description, r: str, reads: List[Dict[str, Read]], calls: List[int], p: Precision
) -> Fit:
    """One gradient against the right one, each twist, and the factors."""
    first = reads[calls[0]][r]
    offs = [errors(reads[i][r].values, _target(d, r, reads[i][r].form, i), expected(d, i).floor)[1]
            for i in calls]  # fmt: skip
    fit = Fit(r, first.form, first.shape, all(o <= p.tolerance for o in offs), max(offs))
    if fit.right or first.form in ("not summed", "wrong axis"):
        return fit
    for m in catalogue(d):
        if all(_close(reads[i][r].values, _target(d, r, "", i, m.name), expected(d, i).floor, p)
               for i in calls):  # fmt: skip
            fit.matches.append(m.name)
    if not fit.matches:
        _scale(d, fit, reads, calls, p)
    return fit


def _scale(
    d: Description, fit: Fit, reads: List[Dict[str, Read]], calls: List[int], p: Precision
) -> None:
    """The gradient as the right one times a number at every point: n (the mean's 1/n
    lost), 1/n (taken twice, or a mean where the loss sums), -1, or one constant."""
    ratios = []
    for i in calls:
        ours, right = reads[i][fit.returned].values, _target(d, fit.returned, fit.form, i)
        k = float((ours * right).sum() / max((right * right).sum(), 1e-300))
        if not _close(ours, k * right, expected(d, i).floor, p):
            return
        ratios.append((k, len(plan(d)[i].x)))
    if all(near(k, n) for k, n in ratios):
        fit.scaled = "1/n lost" if d.reduction == "mean" else "factor"
    elif all(near(k, 1 / n) for k, n in ratios):
        fit.scaled = "1/n twice"
    elif all(near(k, ratios[0][0]) for k, _ in ratios):
        fit.scaled = "sign" if near(ratios[0][0], -1.0) else "factor"
    fit.factor = ratios[0][0]


def _whole(d: Description, fits: List[Fit]) -> Optional[Mistake]:
    """The first twist that every wrong gradient matches, the others being right where
    the twist leaves them (a mistake in one layer's delta)."""
    wrong = [f for f in fits if not f.right]
    for m in catalogue(d):
        if wrong and all(m.name in f.matches for f in wrong):
            changes = {f.returned for f in fits if m.name in f.matches or not f.right}
            if changes == {f.returned for f in wrong}:
                return m
    return None


def diagnose_described(run: Outcome, d: Description, asked: Optional[Contract] = None) -> Diagnosis:
    """The verdict on what ``run`` returned, for the network ``d``."""
    refuse_described(run, d)
    asked = asked or contract(d)
    p = precision_of(run)
    reads = _reads(d, run)
    again = [r for r in d.returns if not _close(reads[REPEAT][r].values, reads[0][r].values,
                                                expected(d, 0).floor, p)]  # fmt: skip
    first = [0] if again else [i for i, q in enumerate(plan(d)) if q.group == 0 and i != REPEAT]
    fits = [_fit(d, r, reads, first, p) for r in d.returns]
    swapped = order(d, run) != tuple(range(len(d.returns)))
    layers, origin, pointer = described_words.explained(d, fits, _whole(d, fits), again, p)
    if swapped:
        origin, pointer = "return", described_words.reordered(d, run, layers)
    others = [i for i, q in enumerate(plan(d)) if q.group > 0]
    holds = {r: v.correct for r, v in zip(d.returns, layers)}
    if d.layers >= 2:
        holds["sizes"] = all(_holds(_fit(d, r, reads, others, p)) for r in d.returns)
    found = DescribedDiagnosis(d.loss, "gradient", p.name, layers, origin, pointer, [],
                               [], contract=asked, parts=holds)  # fmt: skip
    found.network = d
    found.checked = _checked(d)
    found.notes = [Note(f"{r} changes between two calls with the same inputs") for r in again]
    return found


def _holds(fit: Fit) -> bool:
    """A gradient right, and shaped as its weight."""
    return fit.right and fit.form == "as the weight"


def _checked(d: Description) -> List[str]:
    every = plan(d)
    sizes = ", ".join("-".join(map(str, s)) for s in hidden_sizes(d))
    counts = sorted({len(q.x) for q in every})
    return [f"{len(every) - 1} points", f"sizes {sizes}",
            f"batches of {counts[0]} to {counts[-1]} examples, every class among the labels",
            "seeds 0..2 and a saturated start", "the first point twice"]  # fmt: skip


class DescribedDiagnosis(Diagnosis):
    """A :class:`Diagnosis` of a described network: its own words for the whole."""

    network: Description

    def text(self) -> str:
        return described_words.text(self)

    @property
    def verdict(self) -> str:
        return described_words.verdict(self)

    def as_dict(self) -> Dict[str, object]:
        found = super().as_dict()
        found["network"] = self.network.name
        return found


__all__ = ["DescribedDiagnosis", "LayerVerdict", "contract", "diagnose_described", "parts"]
