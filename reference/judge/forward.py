"""The verdict on a student's forward pass ``f(x, w1, w2) -> (a1, a2)`` (the exercise's
first step): a1 and a2 at every point of the plan, against the judge's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Dict, List, Optional, Tuple

import numpy as np

from reference.judge.answers import Outcome, Returned, copied
from reference.judge.plan import Arguments, Point, plan, state_at
from reference.witnesses.compare import errors
from reference.witnesses.tolerances import FLOAT32, GRADIENT

#: The status of a function left as handed out (it raises NotImplementedError, or returns None).
NOT_WRITTEN = "not written yet"
#: The function's shape, in the words.
SHAPE = "f(x, w1, w2) -> (a1, a2)"


@dataclass(frozen=True)
class ForwardVerdict:
    """A forward pass judged: NOT_WRITTEN, "correct", "wrong" or "unchecked", and why
    (``reason`` "copied": it used the project's own forward pass)."""

    status: str
    lines: List[str] = field(default_factory=list)
    reason: Optional[str] = None


@cache
def calls() -> Dict[int, Tuple[Arguments, ...]]:
    """What a forward pass is called with at every point of the plan: (x, w1, w2)."""
    return {3: tuple((p.x, p.w1, p.w2) for p in plan())}


def judge_forward(run: Outcome) -> ForwardVerdict:
    """The verdict on what the forward pass returned at the plan's points."""
    if run.forbidden:
        return ForwardVerdict("unchecked", [copied(run)], "copied")
    if run.reason is not None:
        return ForwardVerdict("unchecked", [f"{run.reason}: {run.detail}".strip(": ")])
    if run.given != 3:
        return ForwardVerdict("unchecked", [f"expected {SHAPE}"])
    for index, (p, call) in enumerate(zip(plan(), run.calls)):
        found = _at(index, p, call)
        if found is not None:
            return found
    return ForwardVerdict("correct", ["a1 and a2 are right at every point"])


def _at(index: int, p: Point, call: Returned) -> ForwardVerdict | None:
    """The verdict at one point, if it is not right there."""
    if call.kind == "raised":
        if call.error == "NotImplementedError":
            return ForwardVerdict(NOT_WRITTEN)
        return ForwardVerdict(
            "unchecked", [f"it raised {call.error}: {call.message} (at {p.label})"]
        )
    if call.kind != "values" or call.length != 2 or any(a is None for a in call.arrays):
        if call.types == ("NoneType",):
            return ForwardVerdict(NOT_WRITTEN)
        return ForwardVerdict("unchecked", ["expected two arrays, (a1, a2)"])
    s = state_at(index)
    returned = [np.asarray(a) for a in call.arrays]
    tol = FLOAT32 if any(a.dtype == np.float32 for a in returned) else GRADIENT
    for name, mine, right, before, z in (("a1", returned[0], s.a1, s.z1, "x @ w1"),
                                         ("a2", returned[1], s.a2, s.z2, "a1 @ w2")):  # fmt: skip
        if mine.shape != right.shape:
            return ForwardVerdict(
                "wrong", [f"{name} has shape {mine.shape}, expected {right.shape} (at {p.label})"]
            )
        if errors(mine, right)[1] > tol:
            hint = f": it is {z}, without the sigmoid" if errors(mine, before)[1] <= tol else ""
            return ForwardVerdict("wrong", [f"{name} is not sigmoid({z}){hint} (at {p.label})"])
    return None
