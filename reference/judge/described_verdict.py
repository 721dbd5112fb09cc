"""The verdict on a described network's backprop: each gradient, the mistake, in words.

Each returned gradient is read at every point (:func:`reference.judge.described.read`)
and compared with the judge's own at the description's sizes, at the precision it
was computed in: right; else one twist of the catalogue (:mod:`reference.judge.layered`)
that matches every gradient at once (the mistake is in that layer's delta); else,
gradient by gradient, a twist that matches it, the mean's 1/n lost or taken twice,
the sign, zeros, or one constant factor. The shape is said beside the values: an
axis of length one (the values right, the shape not: ``b1 - lr * db1`` would
broadcast), a weight's gradient transposed, a bias gradient not summed over the
examples or summed over the wrong axis (or every axis); gradients returned in
another order (told by their shapes, or by their values where two shapes are the
same) are each wrong. Where nothing matches, the first layer to go wrong in the
backward pass is where to look (:mod:`reference.judge.described_words`). A call at
another hidden size that cannot be read is noted, and that part does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Dict, FrozenSet, List, Optional, Tuple

import numpy as np

from reference.judge import described_words
from reference.judge.answers import Note, Outcome, Precision, StudentError
from reference.judge.contract import Contract
from reference.judge.described import (
    Fit,
    Read,
    check_call,
    expected,
    hidden_sizes,
    near,
    order,
    plan,
    read,
    refuse_described,
)
from reference.judge.diagnosis import Diagnosis, LayerVerdict
from reference.judge.layered import Mistake, catalogue
from reference.judge.plan import REPEAT
from reference.witnesses.compare import errors
from reference.witnesses.networks import Description
from reference.witnesses.tolerances import APPROXIMATE

Array = np.ndarray


def parts(d: Description) -> Dict[str, str]:
    """A described network's parts: each gradient, and the other hidden sizes."""
    own = {r: r for r in d.returns}
    if d.layers >= 2:
        others = ", ".join("-".join(map(str, s)) for s in hidden_sizes(d)[1:])
        own["sizes"] = f"other hidden sizes ({others})"
    return own


def contract(d: Description, require: str = "", points: str = "") -> Contract:
    """The teacher's contract for ``d``: every gradient required, and ``require``'s."""
    return Contract.parse(require, points, parts(d), d.returns)


def _close(ours: Array, ref: Array, floor: float, precision: Precision) -> bool:
    return errors(ours, ref, floor * precision.floor_scale)[1] <= precision.tolerance


@dataclass
class Reading:
    """Every call's gradients read, by the returned names (a call that could not be read
    left out, and why, in ``unread``), and whether they came back in another order."""

    calls: Dict[int, Dict[str, Read]]
    unread: Dict[int, str]
    reordered: Tuple[int, ...]


def _reads(d: Description, run: Outcome) -> Reading:
    """Every call read: those at the description's sizes must be (StudentError if not)."""
    found, unread = {}, {}
    first, by_shapes = _ordered(d, run)
    for index, call in enumerate(run.calls):
        p, deltas = plan(d)[index], expected(d, index).deltas
        try:
            if p.group > 0:  # those at the description's sizes were checked by refuse_described
                check_call(d, run, index)
            at = order(d, call.arrays, p) if by_shapes else _as_given(d)
            found[index] = {r: read(d, r, call.arrays[at[k]], p, deltas)
                            for k, r in enumerate(d.returns)}  # fmt: skip
        except StudentError as err:
            if p.group == 0:
                raise
            unread[index] = str(err)
    swapped = _swapped(d, found)
    if swapped:
        a, b = swapped
        found = {i: {**c, a: c[b], b: c[a]} if c[a].shape == c[b].shape else c
                 for i, c in found.items()}  # fmt: skip
        i, j = d.returns.index(a), d.returns.index(b)
        first = tuple(j if k == i else i if k == j else k for k in first)
    return Reading(found, unread, first)


def _as_given(d: Description) -> Tuple[int, ...]:
    return tuple(range(len(d.returns)))


def _ordered(d: Description, run: Outcome) -> Tuple[Tuple[int, ...], bool]:
    """The order the arrays are read in at the first point, and whether the shapes tell
    it at every point: as returned, unless only another order (told by the shapes) reads
    them all, or reads more of them right (a pair of transposed gradients whose shapes are
    each other's is read as transposed, as returned, at every point)."""
    p, arrays = plan(d)[0], run.calls[0].arrays
    other = order(d, arrays, p)
    if other == _as_given(d):
        return other, True
    right = []
    for at in (_as_given(d), other):
        try:
            reads = {r: read(d, r, arrays[at[k]], p, expected(d, 0).deltas)
                     for k, r in enumerate(d.returns)}  # fmt: skip
        except StudentError:
            right.append(-1)
            continue
        right.append(sum(_values_right(d, g, r, 0) for r, g in reads.items()))
    return (other, True) if right[1] > right[0] else (_as_given(d), False)


def _swapped(d: Description, calls: Dict[int, Dict[str, Read]]) -> Optional[Tuple[str, str]]:
    """Two gradients of the same shape returned in each other's place: wrong as returned,
    right swapped, at every call of the description's sizes."""
    first = [i for i in calls if plan(d)[i].group == 0]
    for a, b in combinations(d.returns, 2):
        if calls[first[0]][a].shape != calls[first[0]][b].shape:
            continue
        crossed = all(_right(d, calls[i][b], a, i) and _right(d, calls[i][a], b, i) for i in first)
        if crossed and not all(_right(d, calls[i][a], a, i) for i in first):
            return a, b
    return None


def _values_right(d: Description, got: Read, r: str, index: int) -> bool:
    """Its values the right gradient's, laid out as the weight (whatever its shape)."""
    if got.form not in ("as the weight", "transposed", "an axis of length one"):
        return False
    right = _target(d, r, "as the weight", index)
    # values shaped as another gradient's (a transposed gradient read in another's place)
    # are not this one's values
    same = got.values.shape == right.shape
    return same and _close(got.values, right, expected(d, index).floor, got.precision)


def _right(d: Description, got: Read, r: str, index: int) -> bool:
    """Shaped as its weight, and its values the right gradient's."""
    return got.form == "as the weight" and _values_right(d, got, r, index)


def _target(d: Description, r: str, form: str, index: int, twist: str = "") -> Array:
    """What a gradient read in ``form`` should hold at call ``index``: the weight's
    gradient, in the layout (``twist``: a mistake's), or the delta for a bias gradient
    left unsummed, summed over the units, or summed over both."""
    e, weight = expected(d, index), d.gradient_of(r)
    layer = d.place(weight)[1]
    if form == "not summed":
        return e.deltas[layer] if d.layout == "rows" else e.deltas[layer].T
    if form == "wrong axis":
        return np.asarray(e.deltas[layer].sum(axis=1))
    if form == "every axis":
        return np.asarray(e.deltas[layer].sum())
    grads = e.twisted[twist] if twist else e.right
    return np.asarray(d.from_rows(weight, grads[weight]))


def _against_right(d: Description, r: str, reading: Reading, calls: List[int]) -> Fit:
    """One gradient against the right one at ``calls``, at the loosest precision its
    arrays were computed in: right or not, and how far."""
    reads = [reading.calls[i][r] for i in calls]
    p = max((g.precision for g in reads), key=lambda q: q.tolerance)
    offs = [errors(g.values, _target(d, r, g.form, i), expected(d, i).floor * p.floor_scale)[1]
            for g, i in zip(reads, calls)]  # fmt: skip
    right = all(o <= p.tolerance for o in offs)
    # its shape at the first call that is not the weight's: a gradient shaped as its weight
    # at some calls only (a bias summed at one batch, not at another) is not shaped as it
    shown = next((g for g in reads if g.form != "as the weight"), reads[0])
    return Fit(r, shown.form, shown.shape, right, max(offs), precision=p)


def _fit(d: Description, r: str, reading: Reading, calls: List[int]) -> Fit:
    """One gradient against the right one, a square one transposed, and each twist."""
    fit = _against_right(d, r, reading, calls)
    reads, p = [reading.calls[i][r] for i in calls], fit.precision
    if fit.right or fit.form in ("not summed", "wrong axis", "every axis"):
        return fit
    if (
        fit.form == "as the weight"
        and all(g.values.ndim == 2 and g.values.shape[0] == g.values.shape[1] for g in reads)
        and all(
            _close(g.values.T, _target(d, r, g.form, i), expected(d, i).floor, p)
            for g, i in zip(reads, calls)
        )
    ):  # a square weight's gradient transposed
        fit.form, fit.right = "transposed", True
        return fit
    for m in catalogue(d):
        if all(_close(g.values, _target(d, r, "", i, m.name), expected(d, i).floor, p)
               for g, i in zip(reads, calls)):  # fmt: skip
            fit.matches.append(m.name)
    return fit


@lru_cache(maxsize=256)
def changed(d: Description, name: str) -> FrozenSet[str]:
    """The gradients the catalogue's mistake ``name`` changes, at the description's sizes."""
    calls = [i for i, q in enumerate(plan(d)) if q.group == 0]

    def differs(w: str) -> bool:
        return any(not np.array_equal(expected(d, i).twisted[name][w], expected(d, i).right[w])
                   for i in calls)  # fmt: skip

    return frozenset(f"d{w}" for w in d.weights if differs(w))


def _explained(d: Description, fits: List[Fit], reading: Reading, calls: List[int]) -> None:
    """Each wrong gradient's mistake: a twist only where every gradient it changes is
    wrong (else its own line is, and the twist would send the student to a right one);
    else the right gradient times a number, or near it (an approximation)."""
    wrong = {f.returned for f in fits if not f.right}
    for fit in fits:
        fit.matches = [m for m in fit.matches if changed(d, m) <= wrong]
        if fit.right or fit.matches or fit.form != "as the weight":
            continue
        reads = [reading.calls[i][fit.returned] for i in calls]
        _scale(d, fit, reads, calls, fit.precision)
        fit.approximate = not fit.scaled and fit.off <= APPROXIMATE


def _scale(d: Description, fit: Fit, reads: List[Read], calls: List[int], p: Precision) -> None:
    """The gradient as the right one times a number at every point: n (the mean's 1/n
    lost), 1/n (taken twice, or a mean where the loss sums), -1, 0, or one constant."""
    ratios = []
    for got, i in zip(reads, calls):
        right = _target(d, fit.returned, got.form, i)
        k = float((got.values * right).sum() / max((right * right).sum(), 1e-300))
        if not _close(got.values, k * right, expected(d, i).floor, p):
            return
        ratios.append((k, len(plan(d)[i].x)))
    k0 = ratios[0][0]
    if all(near(k, n, p) for k, n in ratios):
        fit.scaled = "1/n lost" if d.reduction == "mean" else "times n"
    elif all(near(k, 1 / n, p) for k, n in ratios):
        fit.scaled = "1/n twice"
    elif all(abs(k) <= p.tolerance for k, _ in ratios):
        fit.scaled = "zeros"
    elif all(near(k, k0, p) for k, _ in ratios) and abs(k0 - 1) > APPROXIMATE:
        fit.scaled = "sign" if near(k0, -1.0, p) else "factor"
    fit.factor = k0


def _whole(d: Description, fits: List[Fit]) -> Optional[Mistake]:
    """The first twist that every wrong gradient matches and that changes no other: one
    mistake in one layer's delta."""
    wrong = {f.returned for f in fits if not f.right}
    for m in catalogue(d):
        if (
            wrong
            and changed(d, m.name) == wrong
            and all(m.name in f.matches for f in fits if not f.right)
        ):
            return m
    return None


def _changed(first: Read, repeat: Read, floor: float) -> bool:
    """The same inputs' second answer not the first: another shape, or other values."""
    if (first.form, first.shape) != (repeat.form, repeat.shape):
        return True
    return not _close(repeat.values, first.values, floor, first.precision)


def diagnose_described(run: Outcome, d: Description, asked: Optional[Contract] = None) -> Diagnosis:
    """The verdict on what ``run`` returned, for the network ``d``."""
    refuse_described(run, d)
    reading = _reads(d, run)
    floor = expected(d, 0).floor
    again = [r for r in d.returns if _changed(reading.calls[0][r], reading.calls[REPEAT][r], floor)]
    first = [0] if again else [i for i, q in enumerate(plan(d)) if q.group == 0 and i != REPEAT]
    fits = [_fit(d, r, reading, first) for r in d.returns]
    _explained(d, fits, reading, first)
    explained = described_words.explained(d, fits, _whole(d, fits), again)
    layers, origin, pointer = explained.layers, explained.origin, explained.pointer
    if reading.reordered != tuple(range(len(d.returns))):
        origin, pointer = "return", described_words.reordered(d, reading.reordered, layers)
    loosest = max((f.precision for f in fits), key=lambda q: q.tolerance)
    return DescribedDiagnosis(d.loss, "gradient", loosest.name, layers, origin, pointer,
                              _checked(d), _notes(again, reading), contract=asked or contract(d),
                              parts=_holds(d, layers, reading), network=d)  # fmt: skip


def _holds(d: Description, layers: List[LayerVerdict], reading: Reading) -> Dict[str, bool]:
    """Which parts hold: each gradient, as judged; the other sizes: every call there read,
    and every gradient right and shaped as its weight."""
    holds = {f"d{v.name}": v.correct for v in layers}
    if d.layers >= 2:
        others = [i for i, q in enumerate(plan(d)) if q.group > 0]
        read_all = not any(i in reading.unread for i in others)
        holds["sizes"] = read_all and all(
            (f.right and f.form == "as the weight")
            for f in (_against_right(d, r, reading, others) for r in d.returns)
        )
    return holds


def _notes(again: List[str], reading: Reading) -> List[Note]:
    said = [Note(f"{r} changes between two calls with the same inputs") for r in again]
    if reading.unread:
        more = len(reading.unread) - 1
        words = "at another hidden size it could not be checked" + (
            f" ({more} more)" if more else ""
        )
        said.append(Note(words, reading.unread[min(reading.unread)]))
    return said


def _checked(d: Description) -> List[str]:
    every = plan(d)
    sizes = ", ".join("-".join(map(str, s)) for s in hidden_sizes(d))
    counts = sorted({len(q.x) for q in every})
    classes = d.sizes[-1]
    labels = ("labels 0 and 1" if classes == 1 else "every class among the labels"
              + (" but at seed 1 (the last absent)" if classes >= 3 else ""))  # fmt: skip
    return [f"{len(every) - 1} points", f"sizes {sizes}",
            f"batches of {counts[0]} to {counts[-1]} examples, {labels}",
            "seeds 0..2 and a saturated start", "the first point twice"]  # fmt: skip


@dataclass
class DescribedDiagnosis(Diagnosis):
    """A :class:`Diagnosis` of a described network (``network``): its own words for the
    whole."""

    network: Optional[Description] = None

    def text(self) -> str:
        return described_words.text(self)

    @property
    def verdict(self) -> str:
        return described_words.verdict(self)

    def as_dict(self) -> Dict[str, object]:
        found = super().as_dict()
        found["network"] = self.network.name if self.network is not None else None
        return found


__all__ = ["DescribedDiagnosis", "LayerVerdict", "contract", "diagnose_described", "parts"]
