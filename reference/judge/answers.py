"""What a submission is asked, and what it answered: the points, and the answers read.

The judge's side of the exchange with a child process (reference/runner.py):
the plan of calls (:func:`plan`: each letter from the article's starts for
seeds 0, 1 and 2 and a saturated start, hidden sizes 5, 3 and 8, the letters
as a batch of rows, and the first point twice), and :func:`read_answers`,
which turns what the child handed back into the student's gradients, in the
weights' layout, in float64, or says in one line why they cannot be checked
(:class:`StudentError`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple

import numpy as np

import numpy_impl as ni
from reference.judge.catalogue import ENTRIES, Chain, State, gradients, state
from reference.sandbox.runner import Run

#: The learning rate passed to a step function: not the article's 0.01, so that
#: a step that ignores its ``alpha`` and uses a fixed 0.01 shows.
ALPHA = 0.1

Array = np.ndarray


class StudentError(ValueError):
    """The submission cannot be checked; ``reason`` says why (for the gradebook:
    timeout, exited, crashed, raised, memory, syntax, missing, bad-output)."""

    def __init__(self, message: str, reason: str = "bad-output", line: Optional[int] = None):
        super().__init__(message)
        self.reason, self.line = reason, line


class Point(NamedTuple):
    """One place the function is run."""

    label: str
    x: Array
    y: Array
    w1: Array
    w2: Array


def points(hidden: int = 5, rows: bool = False) -> List[Point]:
    """Each letter from the article's starts for seeds 0..2 and a saturated start
    (weights x 8), at hidden size ``hidden``; with ``rows``, the three letters at
    once as one batch instead."""
    xs, ys = ni.dataset()
    starts = [(f"seed {s}", *ni.init_weights(s, "article", hidden)) for s in range(3)]
    w1, w2 = ni.init_weights(3, "article", hidden)
    starts.append(("seed 3, weights x 8 (saturated)", 8 * w1, 8 * w2))
    if rows:
        return [Point(f"A, B, C as rows, {name}", xs, ys, a, b) for name, a, b in starts]
    return [
        Point(f"{letter}, {name}, hidden {hidden}", xs[i : i + 1], ys[i : i + 1], a, b)
        for name, a, b in starts
        for i, letter in enumerate(ni.LETTERS)
    ]


#: The groups of points: hidden size 5 must work; the others are noted when they do not.
GROUPS = (("hidden size 5", 5, False), ("hidden size 3", 3, False),
          ("hidden size 8", 8, False), ("several rows at once", 5, True))  # fmt: skip


@cache
def plan() -> Tuple[Tuple[str, Point], ...]:
    """Every call, in order, with its group: the first point twice, then the rest."""
    calls = [(label, p) for label, hidden, rows in GROUPS for p in points(hidden, rows)]
    return (calls[0], calls[0], *calls[1:])


def inputs() -> List[Tuple[Array, Array, Array, Array]]:
    """What the child calls the function with, call by call."""
    return [(p.x, p.y, p.w1, p.w2) for _, p in plan()]


@cache
def state_at(index: int) -> State:
    """The judge's forward pass at call ``index`` of the plan (computed once)."""
    p = plan()[index][1]
    return state(p.x, p.y, p.w1, p.w2, ALPHA)


class Candidates(NamedTuple):
    """Every chain for one layer at one call, its gradient there (stacked:
    (C, 30, h) or (C, h, 3)) and the largest entry of each."""

    chains: List[Chain]
    stack: Array
    sizes: Array


@cache
def candidates_at(index: int, layer: str, step: bool) -> Candidates:
    """Every chain's gradient at call ``index`` of the plan (computed once: the same
    for every submission of a class)."""
    found, stack = gradients(state_at(index), layer, step)
    return Candidates(found, stack, np.abs(stack).max(axis=(1, 2)))


def recovery_slack(w: Array, g: Array, alpha: float, eps: float = 2.220446049250313e-16) -> float:
    """The absolute error of a gradient g recovered as (w - new_w) / alpha.

    new_w = fl(w - fl(alpha g)) carries a rounding of up to eps/2 |new_w|,
    and |new_w| <= |w| + alpha |g|; dividing by alpha magnifies it to
    eps/2 (|w| + alpha |g|) / alpha. The product, the subtraction and the
    division add three roundings of |g| each, which the tolerance covers. The
    slack is twice the first term, for a user who computed alpha * g in another
    order (``eps``: the precision the step was computed in)."""
    return eps * (float(np.abs(w).max()) + alpha * float(np.abs(g).max())) / alpha


# --- What the submission returned -------------------------------------------


class Answer(NamedTuple):
    """The student's (dw1, dw2) at one call of the plan, as float64, and the slack of each."""

    call: int
    g: Tuple[Array, Array]
    slack: Tuple[float, float]


def refuse(run: Run) -> None:
    """StudentError (one line) for a submission that could not be run to the end."""
    name = Path(run.path).name
    line = f" (line {run.line})" if run.line else ""
    stage = "while running the function" if run.loaded else "while loading"
    words = {
        "timeout": f"{name} did not finish {stage} within the time limit",
        "exited": f"{name} exited {stage} ({run.detail})",
        "crashed": f"{name} crashed {stage} ({run.detail})",
        "raised": f"{run.path} raised {run.detail} while loading{line}",
        "memory": f"{name} ran out of memory {stage} (past the memory limit)",
        "syntax": f"{run.path} is not valid Python: {run.detail}{line}",
        "missing": f"{run.path} has no function {run.function!r} (functions there: "
        f"{', '.join(run.functions) or 'none'})",
    }
    if run.reason is not None:
        raise StudentError(words[run.reason], run.reason, run.line)
    if run.parameters not in (4, 5):
        given = (
            "the function's parameters cannot be read"
            if run.parameters == -1
            else f"the function takes {run.parameters} positional parameters"
        )
        raise StudentError(
            f"{given}: expected f(x, y, w1, w2) -> (dw1, dw2) or "
            "f(x, y, w1, w2, alpha) -> (new_w1, new_w2)",
            "missing",
        )


def _layout(arrays: Tuple[Array, ...], w1: Array, w2: Array) -> Tuple[bool, bool, bool]:
    """How the pair is laid out: (swapped, dw1 transposed, dw2 transposed)."""
    shapes = [a.shape for a in arrays]
    for swapped in (False, True):
        first, second = shapes[::-1] if swapped else shapes
        if first in (w1.shape, w1.T.shape) and second in (w2.shape, w2.T.shape):
            return swapped, first != w1.shape, second != w2.shape
    raise ValueError


def read_answers(run: Run, step: bool) -> Tuple[Dict[str, List[Answer]], List[str], Any]:
    """The student's gradients, group by group (a group that fails is noted,
    but the first must work), the notes, and the layout and precision found."""
    what = ("new_w1", "new_w2") if step else ("dw1", "dw2")
    found: Dict[str, List[Answer]] = {}
    notes: List[str] = []
    layout: Optional[Tuple[bool, bool, bool]] = None
    dtypes: Set[Any] = set()
    representable = True
    calls = list(zip(plan(), run.calls))
    for label, _, _ in GROUPS:
        group = [(i, p, c) for i, ((g, p), c) in enumerate(calls) if g == label]
        try:
            if len(group) < sum(g == label for g, _ in plan()):
                raise StudentError("the function was not run at every point")
            answers = []
            for i, p, c in group:
                raw = _arrays(c, p, what)
                if layout is None:
                    try:
                        layout = _layout(raw, p.w1, p.w2)
                    except ValueError:
                        raise StudentError(_shape_error(raw, p, what)) from None
                arranged = _arrange(raw, layout, p, what)
                dtypes.update(a.dtype for a in raw)
                representable = representable and all(in_float32(a) for a in raw)
                answers.append(_recover(i, arranged, p, step))
        except StudentError as err:
            if not found:
                raise
            notes.append(f"not checked with {label}: {err}")
            continue
        found[label] = answers
    return found, notes, (layout, np.dtype(np.float32) in dtypes or representable)


def _arrays(call: Any, p: Point, what: Tuple[str, str]) -> Tuple[Array, Array]:
    """The two arrays a call returned, or StudentError saying what it returned instead."""
    if call.kind == "raised":
        line = f", line {call.line}" if call.line else ""
        message = f": {call.message}" if call.message else ""
        raise StudentError(
            f"the function raised {call.error}{message} (at {p.label}{line})", "raised", call.line
        )
    if call.kind == "other":
        got = f"{call.length} values" if call.length is not None else call.types[0]
        raise StudentError(f"the function returned {got}: expected two arrays ({', '.join(what)})")
    for name, array, kind in zip(what, call.arrays, call.types):
        if array is None:
            raise StudentError(f"the function returned {kind} for {name}, not an array")
    return call.arrays[0], call.arrays[1]


def _shape_error(raw: Tuple[Array, Array], p: Point, what: Tuple[str, str]) -> str:
    for name, array, like in zip(what, raw, (p.w1, p.w2)):
        if array.shape != like.shape:
            return (
                f"the function returned shape {array.shape} for {name}, expected {like.shape}"
                f" (at {p.label})"
            )
    # each has its weights' shape, laid out otherwise than the first answer was
    return (
        f"the function returned shapes {raw[0].shape} and {raw[1].shape} (at {p.label}), laid out"
        " otherwise than at the first point"
    )


def _arrange(raw: Tuple[Array, Array], layout: Any, p: Point, what: Tuple[str, str]) -> Any:
    """The pair as (dw1, dw2) in w1's and w2's layouts, float64; StudentError if it is not."""
    swapped, t1, t2 = layout  # each mistake undone as the catalogue computes it (its own inverse)
    first, second = ENTRIES["gradients swapped"].compute(*raw) if swapped else raw
    arranged = (
        ENTRIES["dw1 transposed"].compute(first) if t1 else first,
        ENTRIES["dw2 transposed"].compute(second) if t2 else second,
    )
    for name, array, like in zip(what, arranged, (p.w1, p.w2)):
        if array.shape != like.shape:
            raise StudentError(_shape_error(raw, p, what))
        if not np.isfinite(array).all():
            raise StudentError(f"the function returned NaN or infinite values in {name}")
    return tuple(np.asarray(a, dtype=np.float64) for a in arranged), raw


def _recover(index: int, arranged: Any, p: Point, step: bool) -> Answer:
    (a1, a2), raw = arranged
    if not step:
        return Answer(index, (a1, a2), (0.0, 0.0))
    eps = float(np.finfo(np.result_type(*raw, np.float32)).eps)
    g = ((p.w1 - a1) / ALPHA, (p.w2 - a2) / ALPHA)
    slack = tuple(recovery_slack(w, gw, ALPHA, eps) for w, gw in zip((p.w1, p.w2), g))
    return Answer(index, g, (slack[0], slack[1]))


def in_float32(a: Array) -> bool:
    """Every value exactly a float32, not all of them whole numbers: computed in
    float32 and returned as float64 (a float64 computation almost never is)."""
    return bool(np.array_equal(a.astype(np.float32), a)) and not np.array_equal(np.round(a), a)
