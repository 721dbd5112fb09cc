"""The judge's verdict on a student's backprop: what it computes, in words.

Two shapes of function are accepted, told apart by their parameters:

* a gradient function ``f(x, y, w1, w2) -> (dw1, dw2)``;
* the article's shape, one SGD step ``f(x, y, w1, w2, alpha) -> (new_w1, new_w2)``;
  the gradient is recovered as ``(w - new_w) / alpha`` (see
  :func:`~reference.judge.answers.recovery_slack` for what that subtraction
  costs in accuracy).

The judge stands apart from the judged: it is handed what a run returned
(the sandbox ran the function, in a child process, at the plan's points:
:mod:`reference.judge.plan`) and runs nothing itself; every candidate is
computed here, from the judge's own forward pass. :func:`diagnose` reads the
answers (:mod:`~reference.judge.answers`), compares each layer's gradient
with every chain of the catalogue (:mod:`~reference.judge.fit`), traces an
error no chain matches back to where it starts (:mod:`~reference.judge.trace`)
and says it all in words (:mod:`~reference.judge.words`): the simplest chain
that matches, which quantity goes wrong first (``origin``) and the line to
look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

import numpy as np

from reference.judge import words
from reference.judge.answers import Answers, Note, Outcome, Precision, read_answers, refuse
from reference.judge.catalogue import Chain, correct
from reference.judge.contract import DEFAULT, Contract
from reference.judge.fit import Judged, LayerFit, fit_layer
from reference.judge.network import ARTICLE
from reference.judge.plan import GROUPS, REPEAT, plan, summary
from reference.judge.trace import Trace, trace
from reference.judge.unmatched import approximate, differing, gradients_returned, spread
from reference.witnesses.losses import loss_named

Array = np.ndarray


@dataclass
class LayerVerdict:
    """What one layer's gradient is, in words and numbers."""

    name: str
    correct: bool
    words: str
    match: Optional[Chain]
    mistakes: List[str]  # the catalogue's names of its mistakes (empty: correct)
    max_rel: float  # against the match (or the correct gradient when nothing matches)
    off_correct: float  # how far from the correct gradient, relative
    where: Dict[str, List[int]] = field(default_factory=dict)
    approximate: bool = False  # an approximation of the correct gradient, no mistake
    factor: Optional[float] = None  # the correct gradient times this everywhere
    allowed: float = 0.0  # how far that factor may be off
    unnamed: Optional[bool] = None  # no mistake of the catalogue matches (None: no chain does)

    @property
    def unmatched(self) -> bool:
        """Nothing in the catalogue says what this gradient is."""
        return self.match is None if self.unnamed is None else self.unnamed

    def as_dict(self) -> Dict[str, Any]:
        return {
            "layer": self.name,
            "correct": self.correct,
            "words": self.words,
            "match": self.match.as_dict() if self.match else None,
            "mistakes": self.mistakes,
            "max_rel": self.max_rel,
            "off_correct": self.off_correct,
            "where": self.where,
        }


@dataclass(frozen=True)
class Explained:
    """What the judge says of a backprop as a whole: each layer's verdict (``layers``),
    the quantity that goes wrong first (``origin``; None: none is named), and the line
    to look at (``pointer``; empty: every gradient is correct)."""

    layers: List[LayerVerdict]
    origin: Optional[str]
    pointer: str


@dataclass(frozen=True)
class FirstPoint:
    """The student's gradients at the first point of the plan, beside the correct ones."""

    yours: Dict[str, Array]
    correct: Dict[str, Array]

    @property
    def yours_in_order(self) -> Tuple[Array, ...]:
        """The student's gradients in the order of the weights (w1, w2)."""
        return tuple(self.yours[w] for w in ARTICLE.weights)

    @property
    def correct_in_order(self) -> Tuple[Array, ...]:
        return tuple(self.correct[w] for w in ARTICLE.weights)


@dataclass
class Diagnosis:
    """The answer for one function: per layer, where it goes wrong, and what was run."""

    loss: str
    shape: str  # "gradient" or "step"
    precision: str  # "float64", or "float32" (judged at float32's tolerance)
    layers: List[LayerVerdict]
    origin: Optional[str]  # the first quantity to go wrong (ARTICLE.order), None when all are right
    pointer: str  # the line to look at, in words ("" when there is none)
    checked: List[str]  # what the function was run on
    notes: List[Note]
    first: Optional[FirstPoint] = None
    contract: Contract = DEFAULT  # what the teacher requires, and the points
    parts: Dict[str, bool] = field(default_factory=dict)  # each part of PARTS: does it hold

    @property
    def shape_ok(self) -> bool:
        """The function has the shape required (either, by default)."""
        return self.contract.shape in (None, self.shape)

    @property
    def ok(self) -> bool:
        """Every part required holds, in the shape required."""
        return self.shape_ok and all(self.parts.get(p, False) for p in self.contract.required)

    @property
    def score(self) -> float:
        """The points of the parts that hold (none, in a shape not asked for)."""
        if not self.shape_ok:
            return 0.0
        return sum(
            self.contract.points[p] for p in self.contract.points if self.parts.get(p, False)
        )

    def text(self) -> str:
        return words.text(self)

    @property
    def short_of_parts(self) -> bool:
        """Both layers right, and yet a shape not asked for, or another part that does
        not hold (required or not): what the last line has to say beyond the layers."""
        layers = all(v.correct for v in self.layers)
        rest = [p for p in self.contract.points if p not in self.contract.gradients]
        return layers and (not self.shape_ok or not all(self.parts.get(p) for p in rest))

    @property
    def verdict(self) -> str:
        """The last line: ok, or FAIL, and what does not hold."""
        return words.verdict(self)

    def _part(self, name: str) -> Dict[str, Any]:
        holds = self.parts[name]
        worth = self.contract.points[name]
        return {"part": name, "holds": holds, "required": name in self.contract.required,
                "points": worth if holds and self.shape_ok else 0.0, "of": worth}  # fmt: skip

    def as_dict(self) -> Dict[str, Any]:
        return {
            "mode": "against",
            "loss": self.loss,
            "shape": self.shape,
            "precision": self.precision,
            "checked": self.checked,
            "notes": [str(note) for note in self.notes],
            "layers": [layer.as_dict() for layer in self.layers],
            "origin": self.origin,
            "pointer": self.pointer or None,
            "ok": self.ok,
            "parts": [self._part(p) for p in self.contract.points],
            "score": self.score,
            "max_score": sum(self.contract.points.values()),
        }


def diagnose(run: Outcome, loss: str = "mse", contract: Contract = DEFAULT) -> Diagnosis:
    """The verdict on what ``run`` returned, under the teacher's ``contract``
    (StudentError if it cannot be checked; ValueError for an unknown ``loss``)."""
    loss_named(loss)
    refuse(run)
    answers = read_answers(run)
    judged = Judged([fit_layer(answers, w, loss) for w in ARTICLE.weights])
    explained = _explained(answers, judged, loss)
    said = explained.layers
    first = answers.first[0]
    right = correct(first.state, loss)
    return Diagnosis(
        loss=loss,
        shape="step" if answers.step else "gradient",
        precision=answers.precision.name,
        layers=said,
        origin=explained.origin,
        pointer=explained.pointer,
        checked=_checked(answers),
        notes=answers.notes + [Note(layer.note) for layer in judged.layers if layer.note],
        first=FirstPoint(first.gradient, {w: right.gradient(w) for w in ARTICLE.weights}),
        contract=contract,
        parts=_parts(answers, loss, said),
    )


def _parts(answers: Answers, loss: str, said: List[LayerVerdict]) -> Dict[str, bool]:
    """Which parts hold: each layer's gradient, as judged; the other hidden sizes, and
    a batch of rows (the sum of its rows' gradients): their points read, and both
    gradients right at every one of them."""

    def holds(labels: Set[str]) -> bool:
        if not labels <= set(answers.groups):
            return False
        at = [a for label in sorted(labels) for a in answers.groups[label]]
        return not any(differing(at, w, loss, answers.precision) for w in ARTICLE.weights)

    return {
        **{ARTICLE.gradient(v.name): v.correct for v in said},
        "sizes": holds({g.label for g in GROUPS if g.hidden != GROUPS[0].hidden}),
        "rows": holds({g.label for g in GROUPS if g.rows}),
    }


def _explained(answers: Answers, judged: Judged, loss: str) -> Explained:
    """Each layer's verdict, the origin and the pointer: a step that returned the
    gradients, an approximation, a step whose update is wrong (both gradients the
    correct ones times one constant) are told so; else the catalogue and the trace."""
    returned = gradients_returned(answers, loss)
    if returned is not None:  # its return is wrong, no other line
        layers = [_returned(v, returned) for v in judged.layers]
        return Explained(layers, "update", words.RETURNED_GRADIENTS)
    untraced = [_verdict(layer, judged, None, answers.precision) for layer in judged.layers]
    if not all(v.correct for v in untraced) and all(v.approximate or v.correct for v in untraced):
        return Explained(untraced, None, words.APPROXIMATION)
    factor = untraced[0].factor
    if answers.step and factor is not None and _same_factor(untraced):
        return Explained(untraced, "update", words.update(factor))
    traced = _traced(answers, judged, loss)
    said = [_verdict(layer, judged, traced, answers.precision) for layer in judged.layers]
    origin = judged.origin(traced)
    return Explained(said, origin, words.pointer(said, judged, origin, traced))


def _verdict(
    found: LayerFit, judged: Judged, traced: Optional[Trace], precision: Precision
) -> LayerVerdict:
    """One layer's verdict: correct, the mistakes that match, or nothing (then where
    its differences lie, and what the trace found)."""
    if found.chain is not None:
        said = words.matched(found, judged, precision)
        return LayerVerdict(found.weight, found.correct, said, found.chain, found.mistakes,
                            found.shown, found.off)  # fmt: skip
    off = spread(found.answers, found.weight, found.loss, precision)
    if off.factor is None and approximate(found.answers, found.weight, found.loss, precision):
        said = words.approximately(found, precision)
        return LayerVerdict(found.weight, False, said, None, found.mistakes, found.off,
                            found.off, approximate=True)  # fmt: skip
    said = words.unmatched(found, off, traced, found.step)
    return LayerVerdict(found.weight, False, said, None, found.mistakes, found.off, found.off,
                        off.at, factor=off.factor, allowed=off.allowed)  # fmt: skip


def _returned(found: LayerFit, loss: str) -> LayerVerdict:
    """A layer of a step that returned the gradient of ``loss`` itself."""
    return LayerVerdict(found.weight, False, words.returned(found.weight, loss), None,
                        found.mistakes, found.off, found.off)  # fmt: skip


def _same_factor(said: List[LayerVerdict]) -> bool:
    """Whether both layers are the correct gradient times one same constant (each
    known to within what it is allowed)."""
    first, rest = said[0], said[1:]
    if first.factor is None:
        return False
    return all(v.factor is not None and abs(v.factor - first.factor) <= v.allowed + first.allowed
               for v in rest)  # fmt: skip


def _traced(answers: Answers, judged: Judged, loss: str) -> Optional[Trace]:
    """The trace of the layers no chain matches, at every single sample of every group
    read, each point once (None when every layer is matched): a mistake that shows
    at another hidden size alone is traced there."""
    if all(layer.chain is not None for layer in judged.layers):
        return None
    right = {layer.weight: layer.correct for layer in judged.layers}
    singles = [a for a in answers.all if a.state.n == 1 and a.call != REPEAT]
    return trace(singles, loss, answers.precision.tolerance, right)


def _checked(answers: Answers) -> List[str]:
    """What the function was run at, from the groups that could be read."""
    every = answers.all
    groups = [p.group for p in plan() if p.group.label in answers.groups]
    hidden = [a.point.group.hidden for a in every]
    return summary(groups, hidden, len(every) - 1)  # the first point is run twice
