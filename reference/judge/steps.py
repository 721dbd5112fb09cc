"""The backward pass one step at a time, for the exercise that asks a student to derive
it: each quantity of the chain rule a function of its own, checked alone.

    d2  = dL/dz2 = (2/3) (a2 - y) a2 (1 - a2)   output_delta(a2, y)        (n, 3)
    dw2 = a1.T @ d2                             grad_w2(a1, d2)            (h, 3)
    d1  = (d2 @ w2.T) a1 (1 - a1)               hidden_delta(d2, w2, a1)   (n, h)
    dw1 = x.T @ d1                              grad_w1(x, d1)             (30, h)

Each :class:`Step` is one row of :data:`STEPS`: what the function is given (the
judge's own values at each point of the plan, the right d2 and d1 among them,
so that a step is judged on its own line and never on an earlier one), its
right value, and the mistakes of that quantity the catalogue knows
(reference/judge/catalogue.py), each in the catalogue's words. A quantity no
mistake matches is described as the trace describes it (its constant, its
slope, its error term: reference/judge/trace.py) or, for a gradient, said
where it differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from reference.judge.answers import Outcome, Returned, copied
from reference.judge.catalogue import CATALOGUE, correct
from reference.judge.forward import NOT_WRITTEN
from reference.judge.network import State
from reference.judge.plan import REPEAT, Arguments, plan, state_at
from reference.judge.trace import Said, apart, constant, describe_d1, describe_d2
from reference.witnesses.compare import errors
from reference.witnesses.tolerances import FLOAT32, GRADIENT

Array = np.ndarray
Compute = Callable[[State], Array]


def _d2(s: State) -> Array:
    return correct(s, "mse").d2


def _d1(s: State) -> Array:
    return correct(s, "mse").d1


#: What a step may be given, by name, at one point: the judge's own values.
GIVEN: Dict[str, Compute] = {
    "x": lambda s: s.x, "y": lambda s: s.y, "w2": lambda s: s.w2, "a1": lambda s: s.a1,
    "a2": lambda s: s.a2, "d2": _d2, "d1": _d1,
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One quantity of the chain: its right form (``formula``, never said to a student:
    the hints lead to it), the names of what its function is ``given`` (:data:`GIVEN`),
    its shape in words, its right value, and the mistakes known of it (words, value),
    made when asked (not once at import, where no mutant of the mutation run is active)."""

    quantity: str
    formula: str
    given: Tuple[str, ...]
    shape: str
    right: Compute
    mistakes: Callable[[], Tuple[Tuple[str, Compute], ...]]


def _entries(changes: str) -> Tuple[Tuple[str, Compute], ...]:
    """The catalogue's mistakes of the delta ``changes``, at a right d2 for d1."""
    if changes == "d2":
        return tuple(
            (e.words, e.compute) for e in CATALOGUE if e.changes == "d2" and e.name != "mse"
        )
    return tuple(
        (e.words, lambda s, e=e: e.compute(s, _d2(s)))
        for e in CATALOGUE
        if e.changes == "d1" and not e.step_only
    )


def _gradient(right: Compute) -> Tuple[Tuple[str, Compute], ...]:
    """The mistakes of a gradient: a mean over the rows, the sign."""
    return (
        ("divided by the number of rows (a mean over samples): it should be the sum over the"
         " rows", lambda s: right(s) / s.n),
        (FLIPPED, lambda s: -right(s)),
    )  # fmt: skip


#: A step whose sign is flipped, in words (a step has no update to climb the loss).
FLIPPED = "its sign is flipped: it is minus the right value"


def _dw2(s: State) -> Array:
    return correct(s, "mse").dw2


def _dw1(s: State) -> Array:
    return correct(s, "mse").dw1


#: The steps, in the order the exercise asks for them.
STEPS: Dict[str, Step] = {
    "d2": Step("d2", "(a2 - y) a2 (1 - a2)", ("a2", "y"), "(n, 3)", _d2,
               lambda: (*_entries("d2"), (FLIPPED, lambda s: -_d2(s)))),
    "dw2": Step("dw2", "a1.T @ d2", ("a1", "d2"), "(h, 3)", _dw2, lambda: _gradient(_dw2)),
    "d1": Step("d1", "(d2 @ w2.T) a1 (1 - a1)", ("d2", "w2", "a1"), "(n, h)", _d1,
               lambda: (*_entries("d1"), (FLIPPED, lambda s: -_d1(s)))),
    "dw1": Step("dw1", "x.T @ d1", ("x", "d1"), "(30, h)", _dw1, lambda: _gradient(_dw1)),
}  # fmt: skip


@dataclass(frozen=True)
class StepVerdict:
    """A step judged: NOT_WRITTEN, "correct", "wrong" or "unchecked", and why
    (``reason`` "copied": it used the project's own code for it)."""

    status: str
    lines: List[str] = field(default_factory=list)
    reason: Optional[str] = None


@cache
def calls(quantity: str) -> Dict[int, Tuple[Arguments, ...]]:
    """What the step's function is called with at every point of the plan."""
    given = STEPS[quantity].given
    return {len(given): tuple(tuple(GIVEN[n](state_at(i)) for n in given)
                              for i in range(len(plan())))}  # fmt: skip


def judge_step(quantity: str, run: Outcome) -> StepVerdict:
    """The verdict on what the function for ``quantity`` returned at the plan's points."""
    step = STEPS[quantity]
    if run.forbidden:
        return StepVerdict("unchecked", [copied(run)], "copied")
    if run.reason is not None:
        return StepVerdict("unchecked", [f"{run.reason}: {run.detail}".strip(": ")])
    if run.given != len(step.given):
        return StepVerdict("unchecked", [f"expected f({', '.join(step.given)}) -> {quantity}"])
    rights = [step.right(state_at(index)) for index in range(len(run.calls))]
    found: List[Array] = []
    for index, (call, right) in enumerate(zip(run.calls, rights)):
        got = _returned(step, index, call, right)
        if isinstance(got, StepVerdict):
            return got
        found.append(got)
    return _judged(step, found, rights)


def _returned(step: Step, index: int, call: Returned, right: Array) -> Array | StepVerdict:
    """The array returned at call ``index``, or the verdict if it is none to judge."""
    label = plan()[index].label
    if call.kind == "raised":
        if call.error == "NotImplementedError":
            return StepVerdict(NOT_WRITTEN)
        return StepVerdict("unchecked", [f"it raised {call.error}: {call.message} (at {label})"])
    if call.types == ("NoneType",):
        return StepVerdict(NOT_WRITTEN)
    mine = call.arrays[0] if call.kind == "other" and call.arrays else None
    if mine is None:
        returned = ", ".join(call.types)
        expected = f"expected an array, {step.quantity} of shape {step.shape}"
        return StepVerdict("unchecked", [f"{expected}; it returned {returned}"])
    if not np.isfinite(mine).all():
        return StepVerdict(
            "unchecked", [f"the function returned NaN or infinite values in {step.quantity}"
                          f" (at {label})"])  # fmt: skip
    if mine.shape != right.shape:
        said = f"{step.quantity} has shape {mine.shape}, expected {right.shape} (at {label})"
        if mine.shape == right.T.shape and _close(mine, right.T):
            said += f": it is {step.quantity} transposed, its values are right"
        return StepVerdict("wrong", [said])
    return mine


def _close(mine: Array, right: Array) -> bool:
    tol = FLOAT32 if mine.dtype == np.float32 else GRADIENT
    return bool(errors(mine, right)[1] <= tol)


def _judged(step: Step, found: List[Array], rights: List[Array]) -> StepVerdict:
    """Right at every point; a known mistake at every point; or how it differs."""
    states = [state_at(i) for i in range(len(found))]
    off = [i for i, (mine, right) in enumerate(zip(found, rights)) if not _close(mine, right)]
    if not off:
        return StepVerdict("correct", [f"{step.quantity} is right at every point"])
    for words, compute in step.mistakes():
        if all(_close(mine, compute(s)) for mine, s in zip(found, states)):
            return StepVerdict("wrong", [f"{step.quantity} is wrong: {words}", _look(step)])
    points = [i for i in range(len(found)) if i != REPEAT]  # the first point, once
    wrong = [i for i in off if i != REPEAT]
    where = ""
    if len(wrong) < len(points):
        where = f" at {len(wrong)} of the {len(points)} points (the first: {plan()[off[0]].label})"
    tol = FLOAT32 if any(mine.dtype == np.float32 for mine in found) else GRADIENT
    said = _off(step, found, states, rights, tol)
    return StepVerdict("wrong", [said.words + where, said.pointer])


def _look(step: Step) -> str:
    return f"look at the line that computes {step.quantity}"


def _off(
    step: Step, found: List[Array], states: List[State], rights: List[Array], tol: float
) -> Said:
    """How a step no mistake matches differs, never saying the right formula: by one
    constant factor; for a delta, its slope or its error term (the trace's words);
    or otherwise."""
    slack = [0.0] * len(found)
    k = constant(found, rights, tol, slack)
    if k is not None:
        shown = apart(k, 1.0)[0]
        return Said(
            f"{step.quantity} is wrong: it is the right {step.quantity} times {shown}",
            f"look at the line that computes {step.quantity}: a factor {shown} that should not"
            " be there",
        )
    said = None
    if step.quantity == "d2":
        said = describe_d2(states, found, "mse", tol, slack)
    elif step.quantity == "d1":
        said = describe_d1(states, found, [_d2(s) for s in states], tol, slack)
    if said is not None and step.formula not in said.words:  # (the trace's last words name it)
        return said
    return Said(
        f"{step.quantity} is wrong: it is neither the right {step.quantity} nor a constant times"
        " it, nor a mistake the catalogue knows",
        _look(step),
    )
