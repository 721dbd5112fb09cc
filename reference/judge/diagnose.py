"""Check a student's backprop: what it computes, in words. The judge.

    python scripts/diff_gradients.py --against my_network.py:backprop
    python scripts/grade.py submissions/                     # a whole class

    from reference.judge.diagnose import diagnose_file
    print(diagnose_file("my_network.py:backprop").text())

Two shapes of function are accepted, told apart by their parameters:

* a gradient function ``f(x, y, w1, w2) -> (dw1, dw2)``;
* the article's shape, one SGD step ``f(x, y, w1, w2, alpha) -> (new_w1, new_w2)``;
  the gradient is recovered as ``(w - new_w) / alpha`` (see :func:`recovery_slack`
  for what that subtraction costs in accuracy).

The judge stands apart from the judged: the function runs only in a child
process (:mod:`reference.sandbox.runner`), which hands back the arrays it returned;
every candidate is computed here, in this process, which never imports or
runs the submission. The points: each letter from the article's starts for
seeds 0, 1 and 2 and a start whose units saturate, hidden sizes 3 and 8 as
well as 5, the three letters at once as a batch of rows, and the first point
twice (an answer that depends on earlier calls shows there).

Each layer's gradient is compared with every chain of the catalogue
(:mod:`reference.judge.catalogue`): an output delta (the exact gradient of the MSE,
of the summed BCE, or a known mistake), a hidden delta and a sign, after
undoing a swapped or transposed layout. A chain matches when it agrees at
every point within the tolerance of the answers' precision
(:data:`reference.witnesses.tolerances.GRADIENT`, or :data:`~reference.witnesses.tolerances.FLOAT32`
for answers computed in float32), with the saturation floor and, for the step
shape, the recovery slack. The answer names the simplest chain that matches,
says which quantity goes wrong first (``origin``) and, when nothing matches,
traces the error back through the chain (:mod:`reference.judge.trace`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import numpy as np

from reference.judge.answers import (
    ALPHA,
    GROUPS,
    Answer,
    StudentError,
    candidates_at,
    inputs,
    plan,
    points,
    read_answers,
    recovery_slack,
    refuse,
    state_at,
)
from reference.judge.catalogue import ENTRIES, LOSSES, Chain, chains, correct
from reference.sandbox.runner import Limits, Run, Runner
from reference.witnesses.tolerances import FLOAT32, FLOAT32_FLOOR_SCALE, GRADIENT, gradient_floor
from reference.judge.trace import apart, trace

#: The order in which the quantities of the chain are computed: the first wrong one is the origin.
ORDER = ("d2", "d1", "dw1", "dw2")
#: Which line a student is pointed to, by quantity.
LINES = {"d2": "the line that computes d2", "d1": "the line that computes d1",
         "dw1": "the line that computes dw1", "dw2": "the line that computes dw2",
         "pair": "the return line"}  # fmt: skip

Array = np.ndarray

__all__ = [
    "ALPHA",
    "Diagnosis",
    "Layer",
    "StudentError",
    "candidates_at",
    "check",
    "diagnose_file",
    "inputs",
    "plan",
    "points",
    "recovery_slack",
    "state_at",
]


# --- The diagnosis ----------------------------------------------------------


@dataclass
class Layer:
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
            "match": self.match._asdict() if self.match else None,
            "mistakes": self.mistakes,
            "max_rel": self.max_rel,
            "off_correct": self.off_correct,
            "where": self.where,
        }


@dataclass
class Diagnosis:
    """The answer for one function: per layer, where it goes wrong, and what was run."""

    loss: str
    shape: str
    precision: str  # "float64", or "float32" (judged at float32's tolerance)
    layers: List[Layer]
    origin: Optional[str]  # the first quantity to go wrong (ORDER), None when both are right
    pointer: str  # the line to look at, in words ("" when there is none)
    checked: List[str]  # what the function was run on
    notes: List[str]
    first: Tuple[Tuple[Array, Array], Tuple[Array, Array]]  # (yours, correct) at the first point

    @property
    def ok(self) -> bool:
        return all(layer.correct for layer in self.layers)

    def text(self) -> str:
        shape = (
            "f(x, y, w1, w2) -> (dw1, dw2)"
            if self.shape == "gradient"
            else f"one SGD step, gradients recovered as (w - new_w) / alpha, alpha = {ALPHA}"
        )
        lines = [f"checking {shape} against {LOSSES[self.loss]}"]
        lines.append(f"run at: {'; '.join(self.checked)}")
        lines += [f"note: {n}" for n in self.notes]
        lines += [layer.words for layer in self.layers]
        if self.pointer:
            lines.append(self.pointer)
        if self.ok:
            rounding = " (to float32 rounding)" if self.precision == "float32" else ""
            lines.append(f"ok: both layers are the gradient of {LOSSES[self.loss]}{rounding}")
        else:
            wrong = [f"dL/d{layer.name}" for layer in self.layers if not layer.correct]
            lines.append(f"FAIL: {', '.join(wrong)} not the gradient of {LOSSES[self.loss]}")
        return "\n".join(lines)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "mode": "against",
            "loss": self.loss,
            "shape": self.shape,
            "precision": self.precision,
            "checked": self.checked,
            "notes": self.notes,
            "layers": [layer.as_dict() for layer in self.layers],
            "origin": self.origin,
            "pointer": self.pointer or None,
            "ok": self.ok,
        }


class _Fit(NamedTuple):
    chains: List[Chain]
    rel: Array  # per chain: the largest relative difference, the slack forgiven
    shown: Array  # the same without the slack (what is shown)


def _fit(answers: List[Answer], layer: int, step: bool, f32: bool) -> _Fit:
    """How far the student's layer is from every chain, at every answer: the largest."""
    name = ("w1", "w2")[layer]
    per_answer = []  # (rel, shown) at each answer, for every chain
    for ans in answers:
        _, stack, sizes = candidates_at(ans.call, name, step)
        s = state_at(ans.call)
        floor = gradient_floor(s.w2, upstream=s.n) * (FLOAT32_FLOOR_SCALE if f32 else 1.0)
        diff = np.abs(stack - ans.g[layer]).max(axis=(1, 2))
        scale = np.maximum(sizes, floor)
        per_answer.append((np.maximum(diff - ans.slack[layer], 0.0) / scale, diff / scale))
    rel, shown = np.max(per_answer, axis=0)
    return _Fit(chains(name, step), rel, shown)


def _simplest(fit: _Fit, loss: str, tol: float) -> Optional[int]:
    """The index of the chain that matches with the fewest mistakes (the catalogue's
    order breaks ties), or None."""
    matching = [i for i, r in enumerate(fit.rel) if r <= tol]
    return min(matching, key=lambda i: len(fit.chains[i].mistakes(loss)), default=None)


def check(run: Run, loss: str = "mse") -> Diagnosis:
    """The verdict on what ``run`` returned (StudentError if it cannot be checked)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: choose one of {', '.join(LOSSES)}")
    refuse(run)
    step = run.parameters == 5
    found, notes, (layout, f32) = read_answers(run, step)
    tol = FLOAT32 if f32 else GRADIENT
    first_label = GROUPS[0][0]
    all_answers = [a for answers in found.values() for a in answers]
    pair_mistakes = ["gradients swapped"] if layout[0] else []
    layers = []
    for index, name in ((0, "w1"), (1, "w2")):
        own = pair_mistakes + ([f"d{name} transposed"] if layout[1 + index] else [])
        usable = [a for a in all_answers if a.call != 1]  # the repeat is for the next check
        again = found[first_label][:2]
        if _depends(again, index, tol):
            own.append("accumulates across calls")
            usable = again[:1]  # the first call is the only one that earlier calls cannot touch
        fit = _fit(usable, index, step, f32)
        match = _simplest(fit, loss, tol)
        if match is None and any(len(plan()[a.call][1].x) > 1 for a in usable):
            single = [a for a in usable if len(plan()[a.call][1].x) == 1]
            alone = _fit(single, index, step, f32)
            alone_match = _simplest(alone, loss, tol)
            if alone_match is not None:
                fit, match = alone, alone_match
                notes.append(
                    f"dL/d{name}: given several rows at once, the function does not return the"
                    " sum of the rows' gradients (it is judged one sample at a time)"
                )
        right = fit.chains.index(Chain(loss, None, 1))
        chain = fit.chains[match] if match is not None else None
        mistakes = own + (chain.mistakes(loss) if chain else [])
        layers.append((name, chain, mistakes, fit, match, right, usable))
    # dL/dw1 from another output delta than dL/dw2's: d1 sends back another d2
    c1, c2 = layers[0][1], layers[1][1]
    apart = c1 is not None and c2 is not None and c1.output != c2.output
    quantities = [_quantity(m, name, apart) for name, _, mistakes, *_ in layers for m in mistakes]
    origin = next(
        (q for q in ORDER if q in quantities or (q == "dw1" and "pair" in quantities)), None
    )
    return _verdict(
        run, loss, step=step, f32=f32, tol=tol, layers=layers, origin=origin, notes=notes,
        found=found, apart=apart,
    )  # fmt: skip


def _depends(again: List[Answer], index: int, tol: float) -> bool:
    """Did the same inputs, given twice (the first two calls), give two different answers?"""
    first, second = again[0].g[index], again[1].g[index]
    scale = max(float(np.abs(first).max()), 1e-300)
    return float(np.abs(second - first).max()) > tol * scale


def _quantity(mistake: str, layer: str, apart: bool) -> str:
    """The quantity a mistake changes in ``layer``'s chain (``apart``: dL/dw1's output
    delta is not dL/dw2's, so in dL/dw1 it is d1 that sends back a wrong d2)."""
    changes = ENTRIES[mistake].changes
    if changes == "dw":
        return f"d{layer}"
    return "d1" if apart and layer == "w1" and changes == "d2" else changes


def _verdict(
    run: Run, loss: str, *, step: bool, f32: bool, tol: float, layers: List[Any],
    origin: Optional[str], notes: List[str], found: Dict[str, List[Answer]], apart: bool,
) -> Diagnosis:  # fmt: skip
    """The words for each layer, the origin, and the line to look at."""
    by_name = {name: rest for name, *rest in layers}
    unmatched = [name for name, (chain, *_rest) in by_name.items() if chain is None]
    traced = None
    if unmatched:
        singles = [a for a in found[GROUPS[0][0]] if a.call != 1]  # one sample each
        states = [state_at(a.call) for a in singles]
        right = {n: not (c is None or m) for n, (c, m, *_r) in by_name.items()}
        traced = trace(
            states, [a.g for a in singles], loss, tol, slacks=[a.slack for a in singles],
            w1_right=right["w1"], w2_right=right["w2"],
        )  # fmt: skip
        origin = next((q for q in ORDER if q in (origin, traced.origin)), None)
    out = []
    for name, (chain, mistakes, fit, match, right, usable) in by_name.items():
        off = float(fit.shown[right])
        label = f"dL/d{name}"
        if chain is not None and not mistakes:
            rounding = " to float32 rounding" if f32 else ""
            words = (
                f"{label}: correct for {LOSSES[loss]}{rounding} (largest relative difference"
                f" {fit.shown[match]:.0e})"
            )
            out.append(Layer(name, True, words, chain, [], float(fit.shown[match]), off))
            continue
        if chain is not None:
            named = " + ".join(
                f"*{ENTRIES[m].words}*"
                + (
                    " (in d2, inherited)"
                    if name == "w1" and _quantity(m, name, apart) == "d2"
                    else ""
                )
                + (
                    " (sent back in d1, while dw2 has another d2)"
                    if _quantity(m, name, apart) == "d1" and ENTRIES[m].changes == "d2"
                    else ""
                )
                for m in mistakes
            )
            words = f"{label}: matches {named} (largest relative difference {fit.shown[match]:.0e}"
            if chain.mistakes(loss):
                words += f"); the correct gradient differs by {off:.2g}"
            elif "accumulates across calls" in mistakes:  # the first call is right
                words += ", at its first call)"
            else:  # the layout alone is wrong: the values, once laid out right, are
                words += ", once laid out as the weights are)"
            out.append(Layer(name, False, words, chain, mistakes, float(fit.shown[match]), off))
            continue
        where = _where(usable[0], name, loss)
        words = (
            f"{label}: matches nothing in the catalogue; the correct gradient differs by"
            f" {off:.2g}, "
            + _proportional(usable, name, loss, tol)
            + "the differences are largest in "
            + " and ".join(f"{k} {', '.join(map(str, v))}" for k, v in where.items())
        )
        assert traced is not None
        told = traced.w1 if name == "w1" else traced.w2
        if told:
            words += f"; {told}"
        out.append(Layer(name, False, words, None, mistakes, float(fit.shown[right]), off, where))
    pointer = ""
    if origin is not None:
        causes = [(m, layer.name) for layer in out for m in layer.mistakes
                  if _quantity(m, layer.name, apart) in (origin, "pair")]  # fmt: skip
        if causes:
            entry = ENTRIES[causes[0][0]]
            line = entry.line or LINES[_quantity(entry.name, causes[0][1], apart)]
            if apart and origin == "d1" and entry.changes == "d2":
                pointer = f"look at {line}: it sends back another d2 than dw2's ({entry.words})"
            else:
                pointer = f"look at {line}: {entry.words}"
        elif traced is not None:
            pointer = traced.pointer
    first = found[GROUPS[0][0]][0]
    s = state_at(first.call)
    right_pair = correct(s, loss)[2:]
    return Diagnosis(
        loss=loss,
        shape="step" if step else "gradient",
        precision="float32" if f32 else "float64",
        layers=out,
        origin=origin,
        pointer=pointer,
        checked=_summary_of(found),
        notes=notes,
        first=(first.g, (right_pair[0], right_pair[1])),
    )


def _where(answer: Answer, layer: str, loss: str) -> Dict[str, List[int]]:
    """Where the differences from the correct gradient lie, at the first point:
    the hidden units (and, for dL/dw1, the pixels) with the largest ones."""
    s = state_at(answer.call)
    index = 0 if layer == "w1" else 1
    diff = np.abs(answer.g[index] - correct(s, loss)[2 + index])
    # ties (the lit pixels of a letter share one row of x.T @ d1) go to the lowest
    # index: a stable sort, the same in every NumPy version
    if index == 0:  # (30, h): rows are pixels, columns hidden units
        units = np.argsort(-diff.max(axis=0), kind="stable")[:3]
        pixels = np.argsort(-diff.max(axis=1), kind="stable")[:5]
        return {
            "hidden units": sorted(int(u) for u in units),
            "pixels": sorted(int(p) for p in pixels),
        }
    units = np.argsort(-diff.max(axis=1), kind="stable")[:3]  # (h, 3): rows are hidden units
    return {"hidden units": sorted(int(u) for u in units)}


def _proportional(answers: List[Answer], layer: str, loss: str, tol: float) -> str:
    """A hint when the gradient is the correct one times one constant everywhere."""
    index = 0 if layer == "w1" else 1
    ratios = []  # (k, how far k may be off at that point)
    for ans in answers:
        s = state_at(ans.call)
        ref = correct(s, loss)[2 + index]  # never 0 at the plan's points (tests/test_answers.py)
        g = ans.g[index]
        k = float(g.ravel() @ ref.ravel()) / float(ref.ravel() @ ref.ravel())
        floor = abs(k) * gradient_floor(s.w2, upstream=s.n)
        size = float(np.abs(ref).max())
        bound = max(abs(k) * size, floor)
        if max(float(np.abs(g - k * ref).max()) - ans.slack[index], 0.0) > tol * bound:
            return ""
        ratios.append((k, (tol * bound + ans.slack[index]) / size))
    first, allowed = ratios[0]
    if all(abs(k - first) <= t + allowed for k, t in ratios):
        return (
            f"but it is the correct gradient times {apart(first, 1.0, 6)[0]} everywhere"
            " (a fixed factor, or a learning rate other than alpha?); "
        )
    return ""


def _summary_of(found: Dict[str, List[Answer]]) -> List[str]:
    answers = [a for group in found.values() for a in group]
    hidden = sorted({plan()[a.call][1].w1.shape[1] for a in answers})
    rows = any(together for label, _, together in GROUPS if label in found)
    points = len(answers) - 1  # the first point is run twice
    out = [f"{points} points", f"hidden sizes {', '.join(map(str, hidden))}"]
    out.append("letters A, B, C one at a time" + (" and as a batch of rows" if rows else ""))
    out.append("article starts for seeds 0..2 and a saturated one")
    out.append("the first point twice")
    return out


# --- Running a file and judging it ------------------------------------------


def split_spec(spec: str) -> Tuple[str, str]:
    """``PATH.py:FUNCTION`` -> (path, function); StudentError for anything else."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise StudentError(f"--against takes PATH.py:FUNCTION, got {spec!r}")
    if not Path(path).is_file():
        raise StudentError(f"no such file: {path}")
    return path, name


def diagnose_file(spec: str, loss: str = "mse", limits: Optional[Limits] = None) -> Diagnosis:
    """Run ``PATH.py:FUNCTION`` in a child process (:mod:`reference.sandbox.runner`, under
    ``limits``: by default 10 s and 2 GiB) and judge it here."""
    path, function = split_spec(spec)
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: choose one of {', '.join(LOSSES)}")
    with Runner(limits if limits is not None else Limits()) as runner:
        run = runner.run(path, function, inputs(), ALPHA)
    return check(run, loss)
