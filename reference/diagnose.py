"""Check your own backprop: run a student's function and say, in words, what it computes.

    python scripts/diff_gradients.py --against my_network.py:backprop
    python scripts/diff_gradients.py --against my_network.py:train_step --loss bce

    from reference.diagnose import diagnose
    print(diagnose(backprop).text())

Two shapes of function are accepted, told apart by their parameters:

* a gradient function ``f(x, y, w1, w2) -> (dw1, dw2)``;
* the article's shape, one SGD step ``f(x, y, w1, w2, alpha) -> (new_w1, new_w2)``;
  the gradient is recovered as ``(w - new_w) / alpha`` (see :func:`recovery_slack`
  for what that subtraction costs in accuracy).

Inputs follow the article: x (1, 30), y (1, 3), w1 (30, h), w2 (h, 3), float64.
The function runs at several points: each letter from the article's starts for
seeds 0, 1 and 2, a start whose units saturate, hidden sizes 3 and 8 as well
as 5, and the three letters at once as a batch of rows, where it accepts them.

Each layer's gradient is compared with candidates computed here exactly, in
float64, by formulas written out below: the exact gradient of the article's MSE
sum((a2 - y)^2) / 3, the exact gradient of the summed binary cross-entropy
(what the article's d2 = a2 - y computes), and the known mistakes of
:data:`OUTPUT_DELTAS`, :data:`HIDDEN_DELTAS` and a flipped sign, alone or
combined. A candidate matches a layer when it agrees at every point within
:data:`reference.tolerances.GRADIENT` (with the saturation floor, and the
recovery slack for the step shape). The answer names the simplest candidate
that matches; when none does, where the differences lie.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math
import runpy
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import numpy as np

import numpy_impl as ni
from reference.tolerances import GRADIENT, gradient_floor

#: The learning rate passed to a step function: not the article's 0.01, so that
#: a step that ignores its ``alpha`` and uses a fixed 0.01 shows.
ALPHA = 0.1
#: The losses a user may name, in words.
LOSSES = {"mse": "the MSE, sum((a2 - y)^2) / 3", "bce": "the summed binary cross-entropy"}

Array = np.ndarray


class StudentError(ValueError):
    """The function cannot be checked: it is missing, raises, or returns the wrong thing."""


# --- The candidates ---------------------------------------------------------
# Each is a way of computing d2 = dL/dz2 (the output delta) or d1 (the hidden
# delta). ``n`` is the number of rows in the batch.


def _slope(a: Array) -> Array:
    slope: Array = a * (1 - a)  # sigmoid'(z) written with a = sigmoid(z)
    return slope


#: name -> (words, d2 from a2, y and n)
OUTPUT_DELTAS: Dict[str, Tuple[str, Callable[[Array, Array, int], Array]]] = {
    "mse": ("the exact MSE gradient", lambda a2, y, n: 2 / 3 * (a2 - y) * _slope(a2)),
    "bce": (
        "the article's rule d2 = a2 - y, the gradient of the summed binary cross-entropy",
        lambda a2, y, n: a2 - y,
    ),
    "output slope missing": (
        "output sigmoid derivative missing: d2 = (2/3) (a2 - y)",
        lambda a2, y, n: 2 / 3 * (a2 - y),
    ),
    "factor 2 lost": (
        "factor 2 lost: d2 = (1/3) (a2 - y) a2 (1 - a2)",
        lambda a2, y, n: 1 / 3 * (a2 - y) * _slope(a2),
    ),
    "divisor 3 lost": (
        "divisor 3 lost: d2 = 2 (a2 - y) a2 (1 - a2)",
        lambda a2, y, n: 2 * (a2 - y) * _slope(a2),
    ),
    "2/3 dropped": (
        "constant 2/3 dropped: d2 = (a2 - y) a2 (1 - a2), the gradient of half the summed"
        " squared error",
        lambda a2, y, n: (a2 - y) * _slope(a2),
    ),
    "mean over rows": (
        "MSE divided by the number of rows as well (a mean over samples)",
        lambda a2, y, n: 2 / 3 * (a2 - y) * _slope(a2) / n,
    ),
    "output slope of sigmoid(a2)": (
        "output derivative taken as sigmoid(a2) (1 - sigmoid(a2)) instead of a2 (1 - a2)",
        lambda a2, y, n: 2 / 3 * (a2 - y) * _slope(ni.sigmoid(a2)),
    ),
}


class Point(NamedTuple):
    """One place the function is run: inputs, weights, and what we know there."""

    label: str
    x: Array
    y: Array
    w1: Array
    w2: Array


def _hidden_deltas(point: Point, d2: Array, fwd: ni.Forward) -> Dict[str, Array]:
    """The hidden delta d1 (n, h) as the candidates compute it."""
    back = d2 @ point.w2.T
    updated_w2 = point.w2 - ALPHA * (fwd.a1.T @ d2)  # the step already taken on w2
    return {
        "correct": back * _slope(fwd.a1),
        "hidden slope missing": back,
        "hidden slope of sigmoid(a1)": back * _slope(ni.sigmoid(fwd.a1)),
        "hidden slope from z1": back * _slope(fwd.z1),
        "w2 updated before d1": (d2 @ updated_w2.T) * _slope(fwd.a1),
    }


#: name -> words, for the hidden deltas of :func:`_hidden_deltas`.
HIDDEN_DELTAS = {
    "correct": "",
    "hidden slope missing": "hidden sigmoid derivative missing: d1 = d2 @ w2.T",
    "hidden slope of sigmoid(a1)": (
        "hidden derivative taken as sigmoid(a1) (1 - sigmoid(a1)) instead of a1 (1 - a1)"
    ),
    "hidden slope from z1": "hidden derivative taken as z1 (1 - z1) instead of a1 (1 - a1)",
    "w2 updated before d1": "w2 updated before d1 is computed (d1 uses the new w2)",
}
SIGN_WORDS = "sign flipped (the update climbs the loss)"


class Candidate(NamedTuple):
    """One way of computing a layer's gradient: an output delta, a hidden delta
    (dL/dw1 only) and a sign."""

    output: str
    hidden: str
    sign: int

    def keys(self, loss: str) -> List[str]:
        """The catalogue's names for what this candidate gets wrong (empty: correct)."""
        keys = [self.output] if self.output != loss else []
        keys += [self.hidden] if self.hidden != "correct" else []
        return keys + (["sign flipped"] if self.sign < 0 else [])

    def mistakes(self, loss: str) -> List[str]:
        """The words for what this candidate gets wrong, for the loss ``loss``."""
        words = []
        if self.output != loss:
            words.append(OUTPUT_DELTAS[self.output][0])
        if self.hidden != "correct":
            words.append(HIDDEN_DELTAS[self.hidden])
        if self.sign < 0:
            words.append(SIGN_WORDS)
        return words


def candidates(layer: str, step: bool) -> List[Candidate]:
    """Every candidate for ``layer`` ("w1" or "w2"); "w2 updated before d1" only
    where there is an update (the step shape)."""
    hidden = [h for h in HIDDEN_DELTAS if step or h != "w2 updated before d1"]
    if layer == "w2":
        hidden = ["correct"]  # dL/dw2 = a1.T @ d2 does not see the hidden delta
    return [Candidate(o, h, s) for o in OUTPUT_DELTAS for h in hidden for s in (1, -1)]


def candidate_gradients(point: Point, c: Candidate) -> Tuple[Array, Array]:
    """(dL/dw1, dL/dw2) at ``point`` as candidate ``c`` computes them."""
    fwd = ni.forward(point.x, point.w1, point.w2)
    d2 = OUTPUT_DELTAS[c.output][1](fwd.a2, point.y, len(point.x))
    d1 = _hidden_deltas(point, d2, fwd)[c.hidden]
    return c.sign * (point.x.T @ d1), c.sign * (fwd.a1.T @ d2)


# --- The points -------------------------------------------------------------


def points(hidden: int = 5, rows: bool = False) -> List[Point]:
    """Where the function is run for hidden size ``hidden``: each letter from
    the article's starts for seeds 0..2 and a saturated start (weights x 8);
    with ``rows``, the three letters at once as one batch instead."""
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


# --- Running the student's function -----------------------------------------


def load_function(spec: str) -> Callable[..., Any]:
    """``PATH.py:FUNCTION`` -> the function, loaded without running the file as
    a script (its ``if __name__ == "__main__"`` block stays unrun) and with
    whatever it prints at import swallowed."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise StudentError(f"--against takes PATH.py:FUNCTION, got {spec!r}")
    if not Path(path).is_file():
        raise StudentError(f"no such file: {path}")
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            namespace = runpy.run_path(path, run_name="student")
    except Exception as err:
        raise StudentError(f"{path} raised {_one_line(err)} while loading") from None
    function = namespace.get(name)
    if not callable(function):
        found = sorted(k for k, v in namespace.items() if inspect.isfunction(v))
        raise StudentError(
            f"{path} has no function {name!r} (functions there: {', '.join(found) or 'none'})"
        )
    return function  # type: ignore[no-any-return]


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(err).__name__}: {first[:200]}" if first else type(err).__name__


def shape_of(function: Callable[..., Any]) -> str:
    """ "gradient" for f(x, y, w1, w2), "step" for f(x, y, w1, w2, alpha)."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        raise StudentError("cannot read the function's parameters") from None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in params if p.kind in kinds]
    if len(positional) == 4:
        return "gradient"
    if len(positional) == 5:
        return "step"
    raise StudentError(
        f"the function takes {len(positional)} positional parameters: expected "
        "f(x, y, w1, w2) -> (dw1, dw2) or f(x, y, w1, w2, alpha) -> (new_w1, new_w2)"
    )


def call(function: Callable[..., Any], shape: str, point: Point) -> Tuple[Array, Array]:
    """The function's gradients at ``point`` (for a step: (w - new_w) / ALPHA).

    It gets copies, so an in-place update cannot touch the point. Raises
    StudentError if it raises or returns anything but two finite arrays of
    the weights' shapes."""
    args = [a.copy() for a in (point.x, point.y, point.w1, point.w2)]
    if shape == "step":
        args.append(ALPHA)
    try:
        with contextlib.ExitStack() as quiet:  # its prints and warnings are not ours
            quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))
            quiet.enter_context(np.errstate(all="ignore"))
            quiet.enter_context(warnings.catch_warnings())
            warnings.simplefilter("ignore")
            out = function(*args)
    except Exception as err:
        raise StudentError(f"the function raised {_one_line(err)} (at {point.label})") from None
    what = ("new_w1", "new_w2") if shape == "step" else ("dw1", "dw2")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        got = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        raise StudentError(f"the function returned {got}: expected two arrays ({', '.join(what)})")
    arrays = []
    for name, value, like in zip(what, out, (point.w1, point.w2)):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise StudentError(
                f"the function returned {type(value).__name__} for {name}, not an array"
            ) from None
        if array.shape != like.shape:
            raise StudentError(
                f"the function returned shape {array.shape} for {name}, expected {like.shape}"
                f" (at {point.label})"
            )
        if not np.isfinite(array).all():
            raise StudentError(f"the function returned NaN or infinite values in {name}")
        arrays.append(array)
    if shape == "step":
        return (point.w1 - arrays[0]) / ALPHA, (point.w2 - arrays[1]) / ALPHA
    return arrays[0], arrays[1]


def recovery_slack(w: Array, g: Array, alpha: float) -> float:
    """The absolute error of a gradient g recovered as (w - new_w) / alpha.

    new_w = fl(w - fl(alpha g)) carries a rounding of up to eps/2 |new_w|,
    and |new_w| <= |w| + alpha |g|; dividing by alpha magnifies it to
    eps/2 (|w| + alpha |g|) / alpha. The product, the subtraction and the
    division add three roundings of |g| each, which GRADIENT covers. The slack
    is twice the first term, for a user who computed alpha * g in another order."""
    eps = float(np.finfo(np.float64).eps)
    return eps * (float(np.abs(w).max()) + alpha * float(np.abs(g).max())) / alpha


# --- The diagnosis ----------------------------------------------------------


@dataclass
class Layer:
    """What one layer's gradient is, in words and numbers."""

    name: str
    correct: bool
    words: str
    match: Optional[Candidate]
    mistakes: List[str]  # the catalogue's names of the match's mistakes (empty: correct)
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
    """The answer for one function: per layer, and what was run."""

    loss: str
    shape: str
    layers: List[Layer]
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
        if self.ok:
            lines.append(f"ok: both layers are the gradient of {LOSSES[self.loss]}")
        else:
            wrong = [f"dL/d{layer.name}" for layer in self.layers if not layer.correct]
            lines.append(f"FAIL: {', '.join(wrong)} not the gradient of {LOSSES[self.loss]}")
        return "\n".join(lines)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "mode": "against",
            "loss": self.loss,
            "shape": self.shape,
            "checked": self.checked,
            "notes": self.notes,
            "layers": [layer.as_dict() for layer in self.layers],
            "ok": self.ok,
        }


def _relative(ours: Array, ref: Array, floor: float, slack: float) -> float:
    """max |ours - ref| / max(max |ref|, floor), with ``slack`` forgiven first."""
    diff = max(float(np.abs(ours - ref).max()) - slack, 0.0)
    scale = max(float(np.abs(ref).max()), floor)
    return diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf)


def _run_everywhere(function: Callable[..., Any], shape: str) -> Tuple[List[Any], List[str]]:
    """Run the function at every point it accepts: hidden size 5 must work;
    hidden sizes 3 and 8 and a batch of rows are noted when they do not."""
    runs, notes = [], []
    for p in points(5):
        runs.append((p, call(function, shape, p)))
    for hidden, rows, label in (
        (3, False, "hidden size 3"),
        (8, False, "hidden size 8"),
        (5, True, "several rows at once"),
    ):
        try:
            runs += [(p, call(function, shape, p)) for p in points(hidden, rows)]
        except StudentError as err:
            notes.append(f"not checked with {label}: {err}")
    return runs, notes


def diagnose(function: Callable[..., Any], loss: str = "mse") -> Diagnosis:
    """Run ``function`` everywhere and name what each layer's gradient is."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: choose one of {', '.join(LOSSES)}")
    shape = shape_of(function)
    runs, notes = _run_everywhere(function, shape)
    correct = Candidate(loss, "correct", 1)
    layers = []
    for index, name in enumerate(("w1", "w2")):
        fit = _fits(runs, index, shape)  # candidate -> (relative difference to match, to show)
        match = _simplest(fit, loss)
        if match is None and any(len(p.x) > 1 for p, _ in runs):
            # right one sample at a time, wrong for several rows at once?
            single = _simplest(_fits([r for r in runs if len(r[0].x) == 1], index, shape), loss)
            if single is not None:
                match = single
                notes.append(
                    f"dL/d{name}: given several rows at once, the function does not return the"
                    " sum of the rows' gradients (it is judged one sample at a time)"
                )
                runs_for_layer = [r for r in runs if len(r[0].x) == 1]
                fit = _fits(runs_for_layer, index, shape)
        shown = {c: s for c, (_, s) in fit.items()}
        off = max(_fit(p, g, index, correct, shape)[1] for p, g in runs)
        layers.append(
            _layer(
                name, loss, match, shown, off, runs=runs, index=index, correct=correct, shape=shape
            )
        )
    first_point, first_grads = runs[0]
    return Diagnosis(
        loss=loss,
        shape=shape,
        layers=layers,
        checked=_summary_of(runs),
        notes=notes,
        first=(first_grads, candidate_gradients(first_point, correct)),
    )


def _fit(
    point: Point, grads: Tuple[Array, Array], index: int, c: Candidate, shape: str
) -> Tuple[float, float]:
    """How far the user's gradient of layer ``index`` is from candidate ``c`` at
    ``point``, relative: (forgiving the step's recovery slack, as it is)."""
    theirs = candidate_gradients(point, c)[index]
    slack = _slack(point, grads, index, shape)
    floor = _floor(point)
    return (
        _relative(grads[index], theirs, floor, slack),
        _relative(grads[index], theirs, floor, 0.0),
    )


def _slack(point: Point, grads: Tuple[Array, Array], index: int, shape: str) -> float:
    """The recovery slack of a step's gradient (:func:`recovery_slack`); 0 otherwise."""
    if shape != "step":
        return 0.0
    return recovery_slack((point.w1, point.w2)[index], grads[index], ALPHA)


def _fits(runs: List[Any], index: int, shape: str) -> Dict[Candidate, Tuple[float, float]]:
    """For every candidate, the largest of :func:`_fit` over the runs."""
    name = ("w1", "w2")[index]
    out = {}
    for c in candidates(name, shape == "step"):
        pairs = [_fit(p, g, index, c, shape) for p, g in runs]
        out[c] = (max(a for a, _ in pairs), max(b for _, b in pairs))
    return out


def _simplest(fit: Dict[Candidate, Tuple[float, float]], loss: str) -> Optional[Candidate]:
    """The candidate that matches (within GRADIENT everywhere) with the fewest
    mistakes; the catalogue's order breaks ties. None: nothing matches."""
    matching = [c for c, (rel, _) in fit.items() if rel <= GRADIENT]
    return min(matching, key=lambda c: len(c.keys(loss)), default=None)


def _floor(point: Point) -> float:
    return gradient_floor(point.w2, upstream=len(point.x))


def _layer(
    name: str,
    loss: str,
    match: Optional[Candidate],
    shown: Dict[Candidate, float],
    off: float,
    *,
    runs: List[Any],
    index: int,
    correct: Candidate,
    shape: str,
) -> Layer:
    label = f"dL/d{name}"
    if match is not None and not match.mistakes(loss):
        words = (
            f"{label}: correct for {LOSSES[loss]} (largest relative difference {shown[match]:.0e})"
        )
        return Layer(name, True, words, match, [], shown[match], off)
    if match is not None:
        named = " + ".join(f"*{m}*" for m in match.mistakes(loss))
        words = (
            f"{label}: matches {named} (largest relative difference {shown[match]:.0e}); "
            f"the correct gradient differs by {off:.2g}"
        )
        return Layer(name, False, words, match, match.keys(loss), shown[match], off)
    where = _where(runs, index, correct)
    words = (
        f"{label}: matches nothing in the catalogue; the correct gradient differs by {off:.2g}, "
        + _proportional(runs, index, correct, shape)
        + "the differences are largest in "
        + " and ".join(f"{k} {', '.join(map(str, v))}" for k, v in where.items())
    )
    return Layer(name, False, words, None, [], shown[correct], off, where)


def _where(runs: List[Any], index: int, correct: Candidate) -> Dict[str, List[int]]:
    """Where the differences from the correct gradient lie, at the first point:
    the hidden units (and, for dL/dw1, the pixels) with the largest ones."""
    point, grads = runs[0]
    diff = np.abs(grads[index] - candidate_gradients(point, correct)[index])
    if index == 0:  # (30, h): rows are pixels, columns hidden units
        units = np.argsort(-diff.max(axis=0))[:3]
        pixels = np.argsort(-diff.max(axis=1))[:5]
        return {
            "hidden units": sorted(int(u) for u in units),
            "pixels": sorted(int(p) for p in pixels),
        }
    units = np.argsort(-diff.max(axis=1))[:3]  # (h, 3): rows are hidden units
    return {"hidden units": sorted(int(u) for u in units)}


def _proportional(runs: List[Any], index: int, correct: Candidate, shape: str) -> str:
    """A hint when the gradient is the correct one times one constant everywhere."""
    ratios = []  # (k, how far k may be off at that point)
    for point, grads in runs:
        ref = candidate_gradients(point, correct)[index]
        scale = float(ref.ravel() @ ref.ravel())
        if scale == 0:
            continue
        k = float(grads[index].ravel() @ ref.ravel()) / scale
        slack = _slack(point, grads, index, shape)
        floor = abs(k) * _floor(point)
        if _relative(grads[index], k * ref, floor, slack) > GRADIENT:
            return ""
        # what the tolerance and the slack allow, as an error in k
        size = float(np.abs(ref).max())
        ratios.append((k, (GRADIENT * max(abs(k) * size, floor) + slack) / size))
    first, allowed = ratios[0] if ratios else (0.0, 0.0)
    if ratios and all(abs(k - first) <= tol + allowed for k, tol in ratios):
        return (
            f"but it is the correct gradient times {first:.6g} everywhere"
            " (a fixed factor, or a learning rate other than alpha?); "
        )
    return ""


def _summary_of(runs: List[Any]) -> List[str]:
    hidden = sorted({p.w1.shape[1] for p, _ in runs})
    rows = any(len(p.x) > 1 for p, _ in runs)
    out = [f"{len(runs)} points", f"hidden sizes {', '.join(map(str, hidden))}"]
    out.append("letters A, B, C one at a time" + (" and as a batch of rows" if rows else ""))
    out.append("article starts for seeds 0..2 and a saturated one")
    return out
