"""How far a layer's answers are from every chain of the catalogue, and which one matches.

A chain matches a layer when, at every answer it is judged on, the largest
difference from the chain's gradient is within the tolerance of the answers'
precision times the gradient's size (or the saturation floor, where the
gradient is smaller: :func:`reference.witnesses.tolerances.gradient_floor`),
the answer's recovery slack forgiven. The simplest chain that matches (the
fewest mistakes, the catalogue's order breaking ties) is the layer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

from reference.judge.answers import Answer, Answers, Precision
from reference.judge.catalogue import ENTRIES, Chain
from reference.judge.network import ARTICLE
from reference.judge.plan import REPEAT, candidates_at
from reference.judge.trace import Trace
from reference.witnesses.tolerances import gradient_floor

Array = np.ndarray


@dataclass(frozen=True)
class Fit:
    """Every chain for a layer, and how far the layer is from each (the largest over
    its answers): ``rel`` with the slack forgiven (what is judged), ``shown``
    without it (what is shown)."""

    chains: List[Chain]
    rel: Array
    shown: Array


def fit(answers: Sequence[Answer], weight: str, step: bool, precision: Precision) -> Fit:
    """How far the student's gradient of ``weight`` is from every chain."""
    per_answer = []  # (rel, shown) at each answer, for every chain
    for ans in answers:
        found = candidates_at(ans.call, weight, step)
        s = ans.state
        floor = gradient_floor(s.w2, upstream=s.n) * precision.floor_scale
        diff = np.abs(found.stack - ans.gradient[weight]).max(axis=(1, 2))
        scale = np.maximum(found.sizes, floor)
        per_answer.append((np.maximum(diff - ans.slack[weight], 0.0) / scale, diff / scale))
    rel, shown = np.max(per_answer, axis=0)
    return Fit(candidates_at(answers[0].call, weight, step).chains, rel, shown)


def simplest(found: Fit, loss: str, tol: float) -> Optional[int]:
    """The index of the chain that matches with the fewest mistakes (the catalogue's
    order breaks ties), or None."""
    matching = [i for i, r in enumerate(found.rel) if r <= tol]
    return min(matching, key=lambda i: len(found.chains[i].mistakes(loss)), default=None)


def depends(again: Sequence[Answer], weight: str, tol: float) -> bool:
    """Did the same inputs, given twice (the first two calls), give two different answers?"""
    first, second = again[0].gradient[weight], again[1].gradient[weight]
    scale = max(float(np.abs(first).max()), 1e-300)
    return float(np.abs(second - first).max()) > tol * scale


@dataclass(frozen=True)
class LayerFit:
    """One layer judged: every chain's distance, the chain that matches (if any), the
    catalogue's names of its mistakes, the answers it was judged on and a note."""

    weight: str
    loss: str
    fit: Fit
    match: Optional[int]
    mistakes: List[str]
    answers: List[Answer]
    note: str = ""
    step: bool = False  # the answers are a step's, their gradients recovered

    @property
    def chain(self) -> Optional[Chain]:
        return self.fit.chains[self.match] if self.match is not None else None

    @property
    def correct(self) -> bool:
        return self.chain is not None and not self.mistakes

    @property
    def off(self) -> float:
        """How far from the correct gradient, relative."""
        return float(self.fit.shown[self.fit.chains.index(Chain(self.loss, None, 1))])

    @property
    def shown(self) -> float:
        """How far from the chain that matches, relative (the correct one's when none does)."""
        return float(self.fit.shown[self.match]) if self.match is not None else self.off


def fit_layer(answers: Answers, weight: str, loss: str) -> LayerFit:
    """``weight``'s gradient judged against every chain: the layout's mistakes and an
    answer that depends on earlier calls first, then the chain; a function that is
    right one sample at a time and not for a batch of rows is judged so, with a note."""
    own = answers.layout.mistakes(weight)
    tol = answers.precision.tolerance
    usable = [a for a in answers.all if a.call != REPEAT]  # the repeat is for the next check
    again = answers.first[:2]
    if depends(again, weight, tol):
        own.append("accumulates across calls")
        usable = again[:1]  # the first call is the only one that earlier calls cannot touch
    found = fit(usable, weight, answers.step, answers.precision)
    match, note = simplest(found, loss, tol), ""
    if match is None and any(a.state.n > 1 for a in usable):
        single = [a for a in usable if a.state.n == 1]
        alone = fit(single, weight, answers.step, answers.precision)
        if simplest(alone, loss, tol) is not None:
            found, match = alone, simplest(alone, loss, tol)
            note = (
                f"{ARTICLE.label(weight)}: given several rows at once, the function does not"
                " return the sum of the rows' gradients (it is judged one sample at a time)"
            )
    chain = found.chains[match] if match is not None else None
    mistakes = own + (chain.mistakes(loss) if chain else [])
    return LayerFit(weight, loss, found, match, mistakes, usable, note, answers.step)


@dataclass(frozen=True)
class Judged:
    """The layers judged, read together: whether dL/dw1's output delta is another
    than dL/dw2's (``apart``: then, in dL/dw1, it is d1 that sends back a wrong
    d2), and the quantity each mistake changes."""

    layers: List[LayerFit]

    @property
    def apart(self) -> bool:
        c1, c2 = (layer.chain for layer in self.layers)
        return c1 is not None and c2 is not None and c1.output != c2.output

    @property
    def both_flipped(self) -> bool:
        """Both gradients' signs flipped: the error term's sign (d2), or the update's,
        not a line of either gradient."""
        return all("sign flipped" in layer.mistakes for layer in self.layers)

    def quantity(self, mistake: str, weight: str) -> str:
        """The quantity ``mistake`` changes in ``weight``'s chain."""
        changes = ENTRIES[mistake].changes
        if mistake == "sign flipped" and self.both_flipped:
            return "d2"
        if changes == "dw":
            return ARTICLE.gradient(weight)
        return "d1" if self.apart and weight == "w1" and changes == "d2" else changes

    def origin(self, traced: Optional[Trace]) -> Optional[str]:
        """The first quantity to go wrong, in the order they are computed (a pair laid
        out wrong goes wrong at dw1)."""
        found = {self.quantity(m, layer.weight) for layer in self.layers for m in layer.mistakes}
        if "pair" in found:
            found.add("dw1")
        if traced is not None and traced.origin is not None:
            found.add(traced.origin)
        return next((q for q in ARTICLE.order if q in found), None)
