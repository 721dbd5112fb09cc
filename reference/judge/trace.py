"""Where a wrong gradient starts, when no entry of the catalogue matches it.

The chain is d2 -> dw2 = a1.T @ d2, and d2 -> d1 = (d2 @ w2.T) * slope ->
dw1 = x.T @ d1. For one sample, a1 is known, so a student's dw2 gives back
the student's d2 (dw2 is the outer product a1.T d2: d2 = a1 @ dw2 / |a1|^2);
and x is 0 or 1 pixel by pixel, so the rows of dw1 where a pixel is 1 are the
student's d1 (the other rows must be 0). With those, the judge says which
quantity is the first to go wrong and, in the terms the student wrote, how:
whether the error term is right and the slope is not (and, where the slope
is a simple function of a2 or z2, a1 or z1, which one), or the other way round.

All of it is computed in the judge's process (reference/judge/network.py's
forward pass), judged at the tolerance of the answers' precision; the slopes
it names are the catalogue's table (reference/judge/catalogue.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from reference.judge.answers import Answer
from reference.judge.catalogue import ENTRIES, NO_SLOPE, SIGMOID, SLOPES, Slope, hidden_delta
from reference.judge.network import State
from reference.witnesses.tolerances import delta_floor

Array = np.ndarray

#: Error terms a student may write for a2 - y, by name.
ERRORS: Dict[str, Callable[[State], Array]] = {
    "(a2 - y)^2": lambda s: (s.a2 - s.y) ** 2,
    "a2 alone": lambda s: s.a2,
    "y alone": lambda s: s.y,
    "a2 + y": lambda s: s.a2 + s.y,
}


#: What a student may send back through w2 in place of d2, by name.
BACK_ERRORS: Dict[str, Callable[[State], Array]] = {
    "a2 - y": lambda s: s.a2 - s.y,
    "(2/3) (a2 - y) a2 (1 - a2), the MSE's d2": lambda s: 2 / 3 * (s.a2 - s.y) * s.a2 * (1 - s.a2),
}


@dataclass(frozen=True)
class Said:
    """How one quantity goes wrong, in ``words``, and the line to look at (``pointer``)."""

    words: str
    pointer: str


@dataclass(frozen=True)
class FoundSlope:
    """A slope of the catalogue's table and the constant ``c`` a gradient is made with:
    target = c error slope(a, z) at every point."""

    slope: Slope
    c: float


@dataclass(frozen=True)
class Trace:
    """What the recovered quantities say: ``origin`` ("d2", "d1", "dw1", "dw2", "a1"
    or None) and the words for each layer and for the line to look at."""

    origin: Optional[str]
    w1: str  # how dL/dw1 goes wrong ("" when it is right or matched)
    w2: str
    pointer: str

    def said(self, weight: str) -> str:
        """How the gradient of ``weight`` goes wrong ("" when it is right or matched)."""
        return self.w1 if weight == "w1" else self.w2


def _close(ours: Array, ref: Array, tol: float, floor: float, slack: float = 0.0) -> bool:
    """max |ours - ref| <= tol max(max |ref|, floor) + slack."""
    scale = max(float(np.abs(ref).max()), floor)
    return float(np.abs(ours - ref).max()) <= tol * scale + slack


def recover_d2(s: State, dw2: Array, tol: float, slack: float = 0.0) -> Optional[Array]:
    """The student's d2 from their dw2 at one sample, or None if dw2 is not a1.T @ d2
    (``slack``: the absolute error dw2 may carry, a step's recovery slack)."""
    a1 = s.a1[0]
    d2 = (a1 @ dw2 / (a1 @ a1))[None, :]
    # the projection onto a1's direction at most doubles dw2's own error, entry by entry
    return d2 if _close(np.outer(a1, d2[0]), dw2, tol, 1e-300, 2 * slack) else None


def other_a1(s: State, dw2: Array, tol: float, slack: float = 0.0) -> Optional[str]:
    """For a dw2 that is no a1.T @ d2 at one sample: whether it is u.T @ d2 for
    another u, and what u is ("x @ w1": the pre-activation, its sigmoid left out;
    "another": some other; "zero": dw2 is 0, which tells nothing), or None (dw2 is
    no outer product at all)."""
    left, sizes, right = np.linalg.svd(dw2)
    if not sizes[0]:
        return "zero"
    if not _close(sizes[0] * np.outer(left[:, 0], right[0]), dw2, tol, 1e-300,
                                  2 * slack):  # fmt: skip
        return None
    z1 = s.z1[0]
    c = float(z1 @ left[:, 0]) / float(z1 @ z1) if z1.any() else 0.0
    return "x @ w1" if c and _close(c * z1, left[:, 0], tol, 1e-300) else "another"


def recover_d1(s: State, dw1: Array, tol: float, slack: float = 0.0) -> Optional[Array]:
    """The student's d1 from their dw1 at one sample (its rows where the pixel
    is 1), or None if dw1 is not x.T @ d1."""
    lit = s.x[0] == 1
    if not lit.any() or not np.all((s.x[0] == 0) | lit):
        return None
    d1 = dw1[lit].mean(axis=0)[None, :]
    # each lit row carries dw1's error, and so does their mean: x.T @ d1 is off by both
    return d1 if _close(s.x.T @ d1, dw1, tol, 1e-300, 2 * slack) else None


def constant(
    targets: Sequence[Array], bases: Sequence[Array], tol: float, slacks: Sequence[float]
) -> Optional[float]:
    """The one constant c with target = c basis at every point (each within
    ``tol`` of its largest entry and its slack), or None."""
    t = np.concatenate([a.ravel() for a in targets])
    b = np.concatenate([a.ravel() for a in bases])
    if not b.any():
        return None
    c = float(b @ t / (b @ b))
    ok = all(_close(c * bi, ti, tol, 1e-300, e) for ti, bi, e in zip(targets, bases, slacks))
    return c if ok else None


def slope_of(
    targets: Sequence[Array], errors: Sequence[Array], acts: Sequence[Tuple[Array, Array]],
    tol: float, slacks: Sequence[float],
) -> Optional[FoundSlope]:  # fmt: skip
    """The slope f of the catalogue's table and the constant c with target = c error
    f(a, z) at every point (``acts``: (a, z) at each), or None."""
    for slope in SLOPES:
        bases = [e * slope.of(a, z) for e, (a, z) in zip(errors, acts)]
        c = constant(targets, bases, tol, slacks)
        if c is not None:
            return FoundSlope(slope, c)
    return None


def trace(answers: Sequence[Answer], loss: str, tol: float, right: Dict[str, bool]) -> Trace:
    """Trace the wrong layers back through the chain at single-sample ``answers``
    (each with the absolute error it may carry, its slack); ``right``: whether
    each layer was found right."""
    states = [a.state for a in answers]
    d2s = [recover_d2(a.state, a.gradient["w2"], tol, a.slack["w2"]) for a in answers]
    d1s = [recover_d1(a.state, a.gradient["w1"], tol, a.slack["w1"]) for a in answers]
    # what the recovered d2 and d1 may carry: d2 = a1 @ dw2 / |a1|^2 is off by at
    # most sqrt(h) e2 / |a1| (Cauchy-Schwarz); d1, a mean of lit rows, by e1
    e2s = [
        a.slack["w2"] * np.sqrt(a.state.a1.size) / max(float(np.linalg.norm(a.state.a1)), 1e-300)
        for a in answers
    ]
    e1s = [a.slack["w1"] for a in answers]
    true_d2 = [ENTRIES[loss].compute(s) for s in states]
    d2_right = right["w2"] or (
        all(d is not None for d in d2s)
        and all(_close(d, t, tol, delta_floor()) for d, t in zip(d2s, true_d2))  # type: ignore[arg-type]
    )
    found = Trace(None, "", "", "")
    if not d2_right:
        if any(d is None for d in d2s):
            found = _not_outer(answers, tol, right["w1"])
        else:
            said = describe_d2(states, d2s, loss, tol, e2s)  # type: ignore[arg-type]
            found = Trace("d2", "", said.words, said.pointer)
    if right["w1"]:
        return found
    return _trace_d1(states, Recovered(d2s, d1s, true_d2, e2s, e1s), tol, found)


def _not_outer(answers: Sequence[Answer], tol: float, w1_right: bool) -> Trace:
    """The trace (its origin, dw2's words, its pointer) of a dw2 that is no a1.T @ d2: the
    outer product of another a1 (the sigmoid left out, or another), or none at all.
    With dL/dw1 right, the student's a1 is right: the dw2 line took another."""
    found = {other_a1(a.state, a.gradient["w2"], tol, a.slack["w2"]) for a in answers} - {"zero"}
    if found == {"x @ w1"} and w1_right:
        return Trace(
            "dw2",
            "",
            "it is z1.T @ d2, z1 = x @ w1, where it should be a1.T @ d2",
            "look at the line that computes dw2: it uses x @ w1 where it should use a1",
        )
    if None not in found and w1_right:
        return Trace(
            "dw2",
            "",
            "it is u.T @ d2 for a u that is not the hidden activations a1 = sigmoid(x @ w1)",
            "look at the line that computes dw2: the activations it uses are not a1",
        )
    if found == {"x @ w1"}:
        return Trace(
            "a1",
            "",
            "it is a1.T @ d2 for an a1 that is x @ w1, the hidden layer's sigmoid left out",
            "look at the a1 that dw2 uses: it is x @ w1, where a1 is sigmoid(x @ w1)",
        )
    if None not in found:
        return Trace(
            "a1",
            "",
            "it is u.T @ d2 for a u that is not the hidden activations a1 = sigmoid(x @ w1)",
            "look at the a1 that dw2 uses: it is not sigmoid(x @ w1)",
        )
    return Trace(
        "dw2",
        "",
        "it is not a1.T @ d2 for any d2",
        "look at the line that computes dw2: it should be a1.T @ d2",
    )


@dataclass(frozen=True)
class Recovered:
    """What the trace recovered at each sample: the student's d2 and d1 (None where
    the gradient is no outer product), the right d2, and what each may carry."""

    d2s: List[Optional[Array]]
    d1s: List[Optional[Array]]
    true_d2: List[Array]
    e2s: List[float]
    e1s: List[float]


def _trace_d1(states: Sequence[State], found: Recovered, tol: float, so_far: Trace) -> Trace:
    """dL/dw1 traced, given what the trace found of dL/dw2 (``so_far``)."""
    origin, pointer = so_far.origin, so_far.pointer
    if any(d is None for d in found.d1s):
        if origin in (None, "dw2"):  # dw1 is before dw2 in the judge's order (network.ARTICLE)
            origin, pointer = "dw1", "look at the line that computes dw1: it should be x.T @ d1"
        return Trace(origin, "it is not x.T @ d1 for any d1", so_far.w2, pointer)
    # the student's own d2 (recovered) when it can be; else the right one
    given = [d if d is not None else t for d, t in zip(found.d2s, found.true_d2)]
    expected = [hidden_delta(s, d2, None) for s, d2 in zip(states, given)]
    # d1 from the recovered d2 carries d2's error through w2 and the slope (<= 1/4)
    allow = [
        e1 + 0.75 * float(np.abs(s.w2).max()) * e2
        for s, e1, e2 in zip(states, found.e1s, found.e2s)
    ]
    if all(_close(d, e, tol, 1e-300, x) for d, e, x in zip(found.d1s, expected, allow)):  # type: ignore[arg-type]
        # d1 follows from the d2 it was given: a d2 mistake it inherits, or none the
        # samples show
        w1_words = (
            "inherits d2's mistake: its own step, d1 = (d2 @ w2.T) a1 (1 - a1), is right"
            if origin == "d2"
            else ""
        )
        return Trace(origin, w1_words, so_far.w2, pointer)
    said = describe_d1(states, found.d1s, given, tol, found.e1s)  # type: ignore[arg-type]
    words, hint = said.words, said.pointer
    if origin == "d2":  # a d2 found wrong, that d1 carries too
        words += ", as well as inheriting d2's mistake"
    elif any(d is None for d in found.d2s):  # no d2 could be read from dw2
        words += " (of the network's d2: yours could not be read back from dw2)"
    if origin in (None, "dw2"):  # d1 comes before dw2 (network.ARTICLE.order)
        origin, pointer = "d1", hint
    return Trace(origin, words, so_far.w2, pointer)


def describe_d2(
    states: Sequence[State], d2s: List[Array], loss: str, tol: float, slacks: List[float]
) -> Said:
    """How the student's d2 differs: its constant, its slope, or its error term."""
    errors = [s.a2 - s.y for s in states]
    acts = [(s.a2, s.z2) for s in states]
    found = slope_of(d2s, errors, acts, tol, slacks)
    # the right d2 is c (a2 - y) f with (f, c): the sigmoid's slope and 2/3 for the
    # MSE, no slope and 1 for the summed BCE
    want, want_c = (SIGMOID, 2 / 3) if loss == "mse" else (NO_SLOPE, 1.0)
    formula = "(a2 - y) a2 (1 - a2)" if loss == "mse" else "(a2 - y)"
    if found is not None and found.slope == want:
        given, should = apart(found.c, want_c)
        return Said(
            f"d2 is wrong: it is {given} {formula}, the right form with another constant"
            f" (it should be {should})",
            f"look at the line that computes d2: the constant in front of {formula} is"
            f" {given}, not {should}",
        )
    if found is not None:
        slope, c = found.slope, found.c
        return Said(
            f"d2 is wrong: the error a2 - y is right, the slope is not (d2 = {c:.4g}"
            f" (a2 - y) x {slope.written('2')})",
            f"look at the line that computes d2: the slope there is {slope.named('2')}, not"
            f" {want.written('2')}",
        )
    found_term = _error_term(states, d2s, tol, slacks) if loss == "mse" else None
    if found_term is not None:
        return found_term
    return Said(
        f"d2 is wrong: it is not {formula} times a constant, nor the error a2 - y times a simple"
        " slope",
        "look at the line that computes d2",
    )


def _error_term(
    states: Sequence[State], d2s: List[Array], tol: float, slacks: List[float]
) -> Optional[Said]:
    """An MSE d2 whose slope is right and whose error term is another (ERRORS), in words."""
    slopes = [SIGMOID.of(s.a2, s.z2) for s in states]
    for error, term in ERRORS.items():
        k = constant(d2s, [term(s) * f for s, f in zip(states, slopes)], tol, slacks)
        if k is not None:
            return Said(
                f"d2 is wrong: the slope a2 (1 - a2) is right, the error term is not"
                f" (d2 = {k:.4g} x {error} x a2 (1 - a2))",
                f"look at the line that computes d2: its error term is {error}, not a2 - y",
            )
    return None


def describe_d1(
    states: Sequence[State], d1s: List[Array], d2s: List[Array], tol: float, slacks: List[float]
) -> Said:
    """How the student's d1 differs from (d2 @ w2.T) a1 (1 - a1), given its own d2."""
    errors = [d2 @ s.w2.T for s, d2 in zip(states, d2s)]
    acts = [(s.a1, s.z1) for s in states]
    found = slope_of(d1s, errors, acts, tol, slacks)
    if found is not None and found.slope == SIGMOID:
        factor = apart(found.c, 1.0)[0]
        return Said(
            f"d1 is wrong: it is {factor} (d2 @ w2.T) a1 (1 - a1), the right form with"
            " another constant (it should be 1)",
            f"look at the line that computes d1: a factor {factor} that should not be there",
        )
    if found is not None:
        slope, c = found.slope, found.c
        shown = f"{c:.4g} x " if abs(c - 1) > 1e-9 else ""
        return Said(
            "d1 is wrong: the back-propagated error d2 @ w2.T is right, the slope is not"
            f" (it is {shown}{slope.written('1')})",
            f"look at the line that computes d1: the slope there is {slope.named('1')}, not"
            " a1 (1 - a1)",
        )
    # the other way round: the slope right, the error sent back another one
    slopes = [SIGMOID.of(s.a1, s.z1) for s in states]
    for error, term in BACK_ERRORS.items():
        k = constant(d1s, [term(s) @ s.w2.T * f for s, f in zip(states, slopes)], tol, slacks)
        if k is not None:
            shown = f"{k:.4g} x " if abs(k - 1) > 1e-9 else ""
            return Said(
                "d1 is wrong: the slope a1 (1 - a1) is right, the back-propagated error is not"
                f" (it is {shown}({error}) @ w2.T, where dw2 has d2)",
                f"look at the line that computes d1: it sends back {error}, not the d2 of dw2",
            )
    return Said(
        "d1 is wrong: it is not the back-propagated error d2 @ w2.T times a simple slope",
        "look at the line that computes d1: the error sent back through w2, or its slope",
    )


def apart(c: float, other: float, least: int = 4) -> Tuple[str, str]:
    """``c`` and ``other`` to the fewest significant digits, at least ``least``,
    that tell them apart: ('1.000000000001', '1') where four digits would show 1 and 1."""
    for digits in range(least, 18):
        shown = f"{c:.{digits}g}", f"{other:.{digits}g}"
        if shown[0] != shown[1]:
            break
    return shown
