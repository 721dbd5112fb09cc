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
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from reference.judge import words
from reference.judge.answers import Answers, Note, Outcome, Precision, read_answers, refuse
from reference.judge.catalogue import Chain, correct
from reference.judge.fit import Judged, LayerFit, fit_layer
from reference.judge.network import ARTICLE
from reference.judge.plan import plan, summary
from reference.judge.trace import Trace, trace
from reference.judge.unmatched import where
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

    @property
    def ok(self) -> bool:
        return all(layer.correct for layer in self.layers)

    def text(self) -> str:
        return words.text(self)

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
        }


def diagnose(run: Outcome, loss: str = "mse") -> Diagnosis:
    """The verdict on what ``run`` returned (StudentError if it cannot be checked;
    ValueError for an unknown ``loss``)."""
    loss_named(loss)
    refuse(run)
    answers = read_answers(run)
    judged = Judged([fit_layer(answers, w, loss) for w in ARTICLE.weights])
    traced = _traced(answers, judged, loss)
    said = [_verdict(layer, judged, traced, answers.precision) for layer in judged.layers]
    origin = judged.origin(traced)
    first = answers.first[0]
    right = correct(first.state, loss)
    return Diagnosis(
        loss=loss,
        shape="step" if answers.step else "gradient",
        precision=answers.precision.name,
        layers=said,
        origin=origin,
        pointer=words.pointer(said, judged, origin, traced),
        checked=_checked(answers),
        notes=answers.notes + [Note(layer.note) for layer in judged.layers if layer.note],
        first=FirstPoint(first.gradient, {w: right.gradient(w) for w in ARTICLE.weights}),
    )


def _verdict(
    found: LayerFit, judged: Judged, traced: Optional[Trace], precision: Precision
) -> LayerVerdict:
    """One layer's verdict: correct, the mistakes that match, or nothing (then where
    its differences lie, and what the trace found)."""
    if found.chain is not None:
        said = words.matched(found, judged, precision)
        return LayerVerdict(found.weight, found.correct, said, found.chain, found.mistakes,
                            found.shown, found.off)  # fmt: skip
    at = where(found.answers[0], found.weight, found.loss)
    said = words.unmatched(found, at, traced, precision)
    return LayerVerdict(found.weight, False, said, None, found.mistakes, found.off, found.off, at)


def _traced(answers: Answers, judged: Judged, loss: str) -> Optional[Trace]:
    """The trace of the layers no chain matches, at the single samples of the first
    group (None when every layer is matched)."""
    if all(layer.chain is not None for layer in judged.layers):
        return None
    right = {layer.weight: layer.correct for layer in judged.layers}
    return trace(answers.singles, loss, answers.precision.tolerance, right)


def _checked(answers: Answers) -> List[str]:
    """What the function was run at, from the groups that could be read."""
    every = answers.all
    groups = [p.group for p in plan() if p.group.label in answers.groups]
    hidden = [a.point.group.hidden for a in every]
    return summary(groups, hidden, len(every) - 1)  # the first point is run twice
