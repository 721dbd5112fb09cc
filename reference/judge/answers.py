"""What a submission answered, read once: each call's gradients in the weights' layout,
in float64, or one line saying why they cannot be checked.

The judge is handed what a run returned (:class:`Outcome`: the sandbox's
record, read here through the attributes the judge needs and no others) and
runs nothing itself. :func:`refuse` says why a run that ended badly cannot be
checked (:class:`StudentError`); :func:`read_answers` turns every call into
an :class:`Answer`, group by group, with the layout the pair was returned in
(:class:`Layout`) and the precision it was computed in (:class:`Precision`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Protocol, Sequence, Tuple

import numpy as np

from reference.judge.catalogue import ENTRIES
from reference.judge.network import ARTICLE, State
from reference.judge.plan import ALPHA, GROUPS, REPEAT, Group, Point, plan, state_at
from reference.witnesses.tolerances import (
    FLOAT16,
    FLOAT16_FLOOR_SCALE,
    FLOAT32,
    FLOAT32_FLOOR_SCALE,
    GRADIENT,
)

Array = np.ndarray


# --- What the judge reads of a run ----------------------------------------------


class Returned(Protocol):
    """What one call returned (the sandbox's ``Call``): kind "values" (``arrays``,
    ``types``, ``length``), "other" (``types``) or "raised" (``error``,
    ``message``, ``line``)."""

    @property
    def kind(self) -> str: ...
    @property
    def arrays(self) -> Tuple[Optional[Array], ...]: ...
    @property
    def types(self) -> Tuple[str, ...]: ...
    @property
    def length(self) -> Optional[int]: ...
    @property
    def error(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> Optional[int]: ...


class Outcome(Protocol):
    """What a run returned (the sandbox's ``Run``): how it ended, the function's
    positional parameters (``required``: those without a default; ``defaulted``: the
    names of the others), how many arguments each call was given, and each call."""

    @property
    def path(self) -> str: ...
    @property
    def function(self) -> str: ...
    @property
    def reason(self) -> Optional[str]: ...
    @property
    def detail(self) -> str: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def functions(self) -> Sequence[str]: ...
    @property
    def parameters(self) -> Optional[int]: ...
    @property
    def required(self) -> Optional[int]: ...
    @property
    def defaulted(self) -> Sequence[str]: ...
    @property
    def given(self) -> Optional[int]: ...
    @property
    def loaded(self) -> Optional[bool]: ...
    @property
    def calls(self) -> Sequence[Returned]: ...
    @property
    def forbidden(self) -> Sequence[str]: ...


class StudentError(ValueError):
    """The submission cannot be checked; ``reason`` says why (for the gradebook:
    timeout, exited, crashed, raised, memory, syntax, missing, unreadable, bad-output,
    copied)."""

    def __init__(self, message: str, reason: str = "bad-output", line: Optional[int] = None):
        super().__init__(message)
        self.reason, self.line = reason, line


def refuse(run: Outcome, counts: Sequence[int] = (), expected: str = "") -> None:
    """StudentError (one line) for a submission that could not be run to the end, or
    that used the project's own code (reason "copied"), or whose number of parameters is
    not one of ``counts`` (by default the article's gradient's or step's; ``expected``:
    the signature said)."""
    name = Path(run.path).name
    if run.forbidden:
        raise StudentError(copied(run), "copied")
    line = f" (line {run.line})" if run.line else ""
    # where it was, when that is known
    stage = {True: " while running the function", False: " while loading", None: ""}[run.loaded]
    words = {
        "timeout": f"{name} did not finish within the time limit"
        + (f" of {run.detail}" if run.detail else "")
        + stage,
        "exited": f"{name} exited{stage} ({run.detail})",
        "crashed": f"{name} crashed{stage} ({run.detail})",
        "raised": f"{run.path} raised {run.detail} while loading{line}",
        "memory": f"{name} ran out of memory{stage} (past the memory limit)",
        "syntax": f"{run.path} is not valid Python: {run.detail}{line}",
        "missing": f"{run.path} has no function {run.function!r} (functions there: "
        f"{', '.join(run.functions) or 'none'})",
        "unreadable": f"{run.path} was not read: {run.detail}",
    }
    if run.reason is not None:
        raise StudentError(words[run.reason], run.reason, run.line)
    counts = counts or (ARTICLE.parameters(False), ARTICLE.parameters(True))
    expected = expected or f"{ARTICLE.signature(False)} or {ARTICLE.signature(True)}"
    if run.given not in counts:
        without = f", {run.required} without a default" if run.defaulted else ""
        given = (
            "the function's parameters cannot be read"
            if run.parameters == -1
            else f"the function takes {run.parameters} positional parameters{without}"
        )
        raise StudentError(
            f"{given}: expected {expected}",
            "missing",
        )


def copied(run: Outcome) -> str:
    """The words for a submission that used the project's own code."""
    used = ", ".join(run.forbidden)
    return (
        f"{Path(run.path).name} uses {used}, the project's own code: its answers would be"
        f" the project's, not yours, so they are not judged; write {run.function} without it"
    )


# --- What the answers are ----------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    """The precision answers were computed in, and what the judge allows for it: the
    tolerance, and how much the saturation floor is scaled."""

    name: str
    tolerance: float
    floor_scale: float


FLOAT64 = Precision("float64", GRADIENT, 1.0)
FLOAT32_ROUNDING = Precision("float32", FLOAT32, FLOAT32_FLOOR_SCALE)
FLOAT16_ROUNDING = Precision("float16", FLOAT16, FLOAT16_FLOOR_SCALE)
PRECISIONS = {p.name: p for p in (FLOAT16_ROUNDING, FLOAT32_ROUNDING, FLOAT64)}


@dataclass(frozen=True)
class Layout:
    """How the gradients were returned: in the other order, each transposed or not."""

    swapped: bool
    transposed: Dict[str, bool]

    def mistakes(self, weight: str) -> List[str]:
        """The catalogue's names of the layout's mistakes, as they touch ``weight``'s gradient."""
        own = [f"{ARTICLE.gradient(weight)} transposed"] if self.transposed[weight] else []
        return (["gradients swapped"] if self.swapped else []) + own


@dataclass(frozen=True, eq=False)
class Answer:
    """The student's gradient at one call of the plan, by weight, in float64, with
    the absolute error each may carry (``slack``: a step's recovery)."""

    call: int
    point: Point
    state: State
    gradient: Dict[str, Array]
    slack: Dict[str, float]


@dataclass(frozen=True)
class Note:
    """A note beside the verdict: the judge's own ``words``, and what was said of the
    submission's own doing (``said``: a message that quotes its exception or its
    type; "" when none), kept apart, so that whoever shows it shows the quote as
    quoted (in Markdown, as code)."""

    words: str
    said: str = ""

    def __str__(self) -> str:
        return f"{self.words}: {self.said}" if self.said else self.words


@dataclass(frozen=True)
class Answers:
    """Every answer read, by group (a group that could not be read is left out, and
    noted), with the layout and the precision found."""

    groups: Dict[str, List[Answer]]
    notes: List[Note]
    layout: Layout
    precision: Precision
    step: bool

    @property
    def all(self) -> List[Answer]:
        return [a for answers in self.groups.values() for a in answers]

    @property
    def first(self) -> List[Answer]:
        """The first group's answers (one sample each), the repeat included."""
        return self.groups[GROUPS[0].label]

    @property
    def singles(self) -> List[Answer]:
        """The first group's answers, each point once."""
        return [a for a in self.first if a.call != REPEAT]


def recovery_slack(w: Array, g: Array, alpha: float, eps: float = 2.220446049250313e-16) -> float:
    """The absolute error of a gradient g recovered as (w - new_w) / alpha.

    new_w = fl(w - fl(alpha g)) carries a rounding of up to eps/2 |new_w|,
    and |new_w| <= |w| + alpha |g|; dividing by alpha magnifies it to
    eps/2 (|w| + alpha |g|) / alpha. The product, the subtraction and the
    division add three roundings of |g| each, which the tolerance covers. The
    slack is twice the first term, for a user who computed alpha * g in another
    order (``eps``: the precision the step was computed in)."""
    return eps * (float(np.abs(w).max()) + alpha * float(np.abs(g).max())) / alpha


def in_float32(a: Array, narrow: Any = np.float32) -> bool:
    """Every value exactly a float32 (or another ``narrow`` type), not all of them
    whole numbers: computed in float32 and returned as float64 (a float64
    computation almost never is)."""
    with np.errstate(all="ignore"):  # a value too large for float16 casts to inf
        exact = np.array_equal(a.astype(narrow), a)
    return bool(exact) and not np.array_equal(np.round(a), a)


#: The narrow float types an answer may be computed in, narrowest first.
NARROW = {"float16": np.float16, "float32": np.float32}


# --- Reading them ----------------------------------------------------------------


class _Reading:
    """What reading the calls has found so far: the layout (at the first call) and
    the dtypes."""

    def __init__(self, step: bool) -> None:
        self.step = step
        self.names = ARTICLE.returns(step)
        self.layout: Optional[Layout] = None
        self.returned = {name: False for name in NARROW}  # an array of that type
        self.exact = {name: True for name in NARROW}  # every value one of that type

    def answer(self, index: int, point: Point, call: Returned) -> Answer:
        raw = _arrays(call, point, self.names)
        if self.layout is None:
            self.layout = _layout(raw, point, self.names)
        arranged = _arrange(raw, self.layout, point, self.names)
        for name, narrow in NARROW.items():
            self.returned[name] = self.returned[name] or any(a.dtype == narrow for a in raw)
            self.exact[name] = self.exact[name] and all(in_float32(a, narrow) for a in raw)
        return _recover(index, point, arranged, raw, self.step)

    @property
    def precision(self) -> Precision:
        """The narrowest type an answer was returned as, or every value was exactly."""
        found = [n for n in NARROW if self.returned[n] or self.exact[n]]
        return PRECISIONS[found[0]] if found else FLOAT64


def read_answers(run: Outcome) -> Answers:
    """The student's gradients, group by group (a group that fails is noted, but
    the first must work), the notes, and the layout and precision found."""
    step = run.given == ARTICLE.parameters(True)
    reading = _Reading(step)
    found: Dict[str, List[Answer]] = {}
    notes: List[Note] = []
    if run.defaulted and run.given == run.required:  # the kind is told by the others
        kind = "one SGD step" if step else "a gradient"
        notes.append(Note(f"judged as {kind}, {ARTICLE.signature(step)}, from its "
                          f"{run.given} parameters without a default; left to their "
                          "defaults", ", ".join(run.defaulted)))  # fmt: skip
    for group in GROUPS:
        try:
            found[group.label] = _group(reading, group, run.calls)
        except StudentError as err:
            if not found:
                raise
            notes.append(Note(f"not checked with {group.label}", str(err)))
    assert reading.layout is not None  # the first group was read
    if step and reading.precision is FLOAT16_ROUNDING:
        raise StudentError(
            "a step computed in float16 cannot be judged: its gradients, read back as"
            " (w - new_w) / alpha, carry w's float16 rounding over alpha, as much as a"
            " mistake would change them; compute the step in float32 or float64, or return"
            " the gradients"
        )
    return Answers(found, notes, reading.layout, reading.precision, step)


def _group(reading: _Reading, group: Group, calls: Sequence[Returned]) -> List[Answer]:
    """The answers at every call of ``group``; StudentError at the first that fails."""
    indexes = [i for i, p in enumerate(plan()) if p.group == group]
    if indexes[-1] >= len(calls):
        raise StudentError("the function was not run at every point")
    return [reading.answer(i, plan()[i], calls[i]) for i in indexes]


def _arrays(call: Returned, p: Point, what: Tuple[str, ...]) -> Tuple[Array, ...]:
    """The arrays a call returned, or StudentError saying what it returned instead."""
    if call.kind == "raised":
        line = f", line {call.line}" if call.line else ""
        message = f": {call.message}" if call.message else ""
        raise StudentError(
            f"the function raised {call.error}{message} (at {p.label}{line})", "raised", call.line
        )
    if call.kind != "values" or call.length != len(what):
        got = f"{call.length} values" if call.kind == "values" else call.types[0]
        raise StudentError(f"the function returned {got}: expected two arrays ({', '.join(what)})")
    for name, array, kind in zip(what, call.arrays, call.types):
        if array is None:
            raise StudentError(f"the function returned {kind} for {name}, not an array")
    return tuple(a for a in call.arrays if a is not None)


def _layout(raw: Tuple[Array, ...], p: Point, what: Tuple[str, ...]) -> Layout:
    """How the pair is laid out, from its shapes; StudentError if it is none of the weights'."""
    shapes = [a.shape for a in raw]
    w1, w2 = (p.weight(w) for w in ARTICLE.weights)
    for swapped in (False, True):
        first, second = shapes[::-1] if swapped else shapes
        if first in (w1.shape, w1.T.shape) and second in (w2.shape, w2.T.shape):
            return Layout(swapped, {"w1": first != w1.shape, "w2": second != w2.shape})
    raise StudentError(_shape_error(raw, p, what))


def _shape_error(raw: Tuple[Array, ...], p: Point, what: Tuple[str, ...]) -> str:
    for name, array, weight in zip(what, raw, ARTICLE.weights):
        if array.shape != p.weight(weight).shape:
            return (
                f"the function returned shape {array.shape} for {name}, expected"
                f" {p.weight(weight).shape} (at {p.label})"
            )
    # each has its weights' shape, laid out otherwise than the first answer was
    return (
        f"the function returned shapes {raw[0].shape} and {raw[1].shape} (at {p.label}), laid out"
        " otherwise than at the first point"
    )


def _arrange(
    raw: Tuple[Array, ...], layout: Layout, p: Point, what: Tuple[str, ...]
) -> Dict[str, Array]:
    """The gradients by weight, in the weights' layouts, float64; StudentError if they are not."""
    # each mistake undone as the catalogue computes it (its own inverse)
    first, second = ENTRIES["gradients swapped"].compute(*raw) if layout.swapped else raw
    arranged = {
        "w1": ENTRIES["dw1 transposed"].compute(first) if layout.transposed["w1"] else first,
        "w2": ENTRIES["dw2 transposed"].compute(second) if layout.transposed["w2"] else second,
    }
    for name, weight in zip(what, ARTICLE.weights):
        if arranged[weight].shape != p.weight(weight).shape:
            raise StudentError(_shape_error(raw, p, what))
        if not np.isfinite(arranged[weight]).all():
            raise StudentError(f"the function returned NaN or infinite values in {name}")
    return {w: np.asarray(a, dtype=np.float64) for w, a in arranged.items()}


def _recover(
    index: int, p: Point, arranged: Dict[str, Array], raw: Tuple[Array, ...], step: bool
) -> Answer:
    """The answer at one call: the gradients as returned, or recovered from a step
    as (w - new_w) / alpha, with the slack that recovery costs."""
    if not step:
        return Answer(index, p, state_at(index), arranged, {w: 0.0 for w in arranged})
    narrow = np.float16 if any(a.dtype == np.float16 for a in raw) else np.float32
    eps = float(np.finfo(np.result_type(*raw, narrow)).eps)
    g = {w: (p.weight(w) - new) / ALPHA for w, new in arranged.items()}
    slack = {w: recovery_slack(p.weight(w), gw, ALPHA, eps) for w, gw in g.items()}
    return Answer(index, p, state_at(index), g, slack)
