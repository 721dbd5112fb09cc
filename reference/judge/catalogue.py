"""The catalogue of known mistakes in a backprop: one table, one entry a mistake.

Each :class:`Entry` names a mistake, gives the words a student is shown, says
which quantity of the chain it changes, and computes that quantity the
mistaken way. The chain, for one sample or a batch of rows (n rows)::

    d2  = dL/dz2                      (n, 3)   the output delta
    dw2 = a1.T @ d2                   (h, 3)
    d1  = (d2 @ w2.T) * a1 (1 - a1)   (n, h)   the hidden delta
    dw1 = x.T @ d1                    (30, h)

and the pair (dw1, dw2) the function returns. The judge
(reference/judge/diagnosis.py) matches a student's answers against every
:class:`Chain`: an output delta (the two losses' exact ones, or a mistake),
a hidden delta (the correct one, or a mistake) and a sign, after undoing a
mistake in how the pair is laid out (swapped, transposed). Adding a mistake
is adding an entry here, and a student file to tests/judge/students/ that
makes it.

The slopes a student may write for a layer's derivative are one table too
(:data:`SLOPES`): the catalogue's slope mistakes are made from it, and the
trace (reference/judge/trace.py) reads it to name a slope no entry has.

Everything here is computed in float64 in the judge's process, by the
formulas written out below, from the judge's own forward pass
(:class:`~reference.judge.network.State`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

import numpy_impl as ni
from reference.judge.network import State

Array = np.ndarray


# --- The slopes ---------------------------------------------------------------


@dataclass(frozen=True)
class Slope:
    """A function a layer's slope (its activation's derivative) may be written as,
    ``of(a, z)``: of the layer's activation a and its logit z.

    ``formula`` is written with {a} and {z} for the layer's own (a2 and z2, or
    a1 and z1); ``whose`` says what it is: the activation it is the derivative
    of ("tanh's", when ``activation``), or what else ("half of ...")."""

    formula: str
    whose: str
    of: Callable[[Array, Array], Array]
    activation: bool = False

    def written(self, layer: str) -> str:
        """The formula at a layer: '{a} (1 - {a})' at '2' is 'a2 (1 - a2)'."""
        return self.formula.format(a=f"a{layer}", z=f"z{layer}")

    def named(self, layer: str) -> str:
        """The formula and what it is: 'a2 (1 - a2), the sigmoid's'."""
        return self.written(layer) + (f", {self.whose.format(a=f'a{layer}')}" if self.whose else "")

    def taken_as(self, layer: str) -> str:
        """In a mistake's words: "tanh's 1 - a2^2", or the formula alone."""
        return f"{self.whose} {self.written(layer)}" if self.activation else self.written(layer)


SIGMOID = Slope("{a} (1 - {a})", "the sigmoid's", lambda a, z: a * (1 - a), activation=True)
TANH = Slope("1 - {a}^2", "tanh's", lambda a, z: 1 - a**2, activation=True)
RELU = Slope("({z} > 0)", "ReLU's", lambda a, z: (z > 0).astype(float), activation=True)
NO_SLOPE = Slope("1 (no slope at all)", "", lambda a, z: np.ones_like(a))
OF_LOGIT = Slope("{z} (1 - {z})", "", lambda a, z: z * (1 - z))
OF_ACTIVATION = Slope(
    "sigmoid({a}) (1 - sigmoid({a}))", "", lambda a, z: ni.sigmoid(a) * (1 - ni.sigmoid(a))
)
#: Every slope a student may write, the right one (the sigmoid's) first.
SLOPES: Tuple[Slope, ...] = (
    SIGMOID, TANH, RELU, NO_SLOPE,
    Slope("{a} alone", "half of {a} (1 - {a})", lambda a, z: a),
    Slope("1 - {a} alone", "half of {a} (1 - {a})", lambda a, z: 1 - a),
    OF_LOGIT, OF_ACTIVATION,
)  # fmt: skip


def wrong_slope(layer: str, slope: Slope) -> str:
    """A slope mistake's words: 'output derivative taken as tanh's 1 - a2^2 instead of
    the sigmoid's a2 (1 - a2)'."""
    where = {"2": "output", "1": "hidden"}[layer]
    right = SIGMOID.taken_as(layer) if slope.activation else SIGMOID.written(layer)
    return f"{where} derivative taken as {slope.taken_as(layer)} instead of {right}"


# --- The entries ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One mistake (or, for d2, one loss's exact delta: "mse", "bce").

    ``changes``: the quantity it computes the wrong way, "d2", "d1", "dw1",
    "dw2", "dw" (either layer's gradient) or "pair" (the pair returned);
    ``compute``: how, from a :class:`State` (d2), from the state and the d2
    it is given (d1), or from the right gradient (dw: the student's array).
    ``step_only``: only where the function takes an SGD step; ``line``: where
    to look for it, when that is not the line computing the quantity."""

    name: str
    words: str
    changes: str
    compute: Callable[..., Any]
    step_only: bool = False
    line: str = ""


def _output(constant: float, slope: Slope, s: State) -> Array:
    """d2 = constant (a2 - y) slope(a2, z2). An entry holds this function itself
    (``partial(_output, constant, slope)``, or a lambda that calls it), looked up when a
    verdict is given: the mutation run swaps a function for its mutant at each call,
    which a lambda made at import would never reach."""
    d2: Array = constant * (s.a2 - s.y) * slope.of(s.a2, s.z2)
    return d2


def _hidden(slope: Slope, s: State, d2: Array) -> Array:
    """d1 = (d2 @ w2.T) slope(a1, z1), held by an entry as ``partial(_hidden, slope)``."""
    d1: Array = d2 @ s.w2.T * slope.of(s.a1, s.z1)
    return d1


CATALOGUE: Tuple[Entry, ...] = (
    # --- the output delta d2 ---
    Entry("mse", "the exact MSE gradient, d2 = (2/3) (a2 - y) a2 (1 - a2)", "d2",
          partial(_output, 2 / 3, SIGMOID)),
    Entry("bce", "the article's rule d2 = a2 - y, the gradient of the summed binary"
          " cross-entropy", "d2", lambda s: s.a2 - s.y),
    Entry("output slope missing", "output sigmoid derivative missing: d2 = (2/3) (a2 - y)", "d2",
          partial(_output, 2 / 3, NO_SLOPE)),
    Entry("factor 2 lost", "factor 2 lost: d2 = (1/3) (a2 - y) a2 (1 - a2)", "d2",
          partial(_output, 1 / 3, SIGMOID)),
    Entry("divisor 3 lost", "divisor 3 lost: d2 = 2 (a2 - y) a2 (1 - a2)", "d2",
          partial(_output, 2, SIGMOID)),
    Entry("2/3 dropped", "constant 2/3 dropped: d2 = (a2 - y) a2 (1 - a2), the gradient of half"
          " the summed squared error", "d2", partial(_output, 1, SIGMOID)),
    Entry("mean over rows", "MSE divided by the number of rows as well (a mean over samples)",
          "d2", lambda s: _output(2 / 3, SIGMOID, s) / s.n,
          line="where the gradients are divided by the number of rows (in d2, or after)"),
    Entry("output slope of sigmoid(a2)", wrong_slope("2", OF_ACTIVATION), "d2",
          partial(_output, 2 / 3, OF_ACTIVATION)),
    Entry("tanh slope at the output", wrong_slope("2", TANH), "d2", partial(_output, 2 / 3, TANH)),
    Entry("relu slope at the output", wrong_slope("2", RELU), "d2", partial(_output, 2 / 3, RELU)),
    # --- the hidden delta d1, from the d2 it is given ---
    Entry("hidden slope missing", "hidden sigmoid derivative missing: d1 = d2 @ w2.T", "d1",
          partial(_hidden, NO_SLOPE)),
    Entry("hidden slope of sigmoid(a1)", wrong_slope("1", OF_ACTIVATION), "d1",
          partial(_hidden, OF_ACTIVATION)),
    Entry("hidden slope from z1", wrong_slope("1", OF_LOGIT), "d1", partial(_hidden, OF_LOGIT)),
    Entry("tanh slope at the hidden layer", wrong_slope("1", TANH), "d1", partial(_hidden, TANH)),
    Entry("relu slope at the hidden layer", wrong_slope("1", RELU), "d1", partial(_hidden, RELU)),
    Entry("w2 updated before d1", "w2 updated before d1 is computed (d1 uses the new w2)", "d1",
          lambda s, d2: d2 @ (s.w2 - s.alpha * s.a1.T @ d2).T * SIGMOID.of(s.a1, s.z1),
          step_only=True),
    # --- each gradient, and the pair ---
    Entry("sign flipped", "sign flipped (the update climbs the loss)", "dw", lambda g: -g),
    Entry("dw1 transposed", "dw1 transposed: its values are right, its layout is (h, 30),"
          " not w1's (30, h)", "dw1", lambda g: g.T),
    Entry("dw2 transposed", "dw2 transposed: its values are right, its layout is (3, h),"
          " not w2's (h, 3)", "dw2", lambda g: g.T),
    Entry("gradients swapped", "the two gradients returned in the other order: (dw2, dw1)",
          "pair", lambda g1, g2: (g2, g1)),
    Entry("accumulates across calls", "the answer depends on earlier calls: called twice with"
          " the same inputs it returned two different gradients (gradients added up across"
          " calls and never reset)", "dw", lambda g, earlier: g + earlier,
          line="where dw1 and dw2 are kept between calls (they must start from zero at each)"),
)  # fmt: skip

ENTRIES: Dict[str, Entry] = {e.name: e for e in CATALOGUE}
OUTPUTS = [e.name for e in CATALOGUE if e.changes == "d2"]
HIDDEN = [e.name for e in CATALOGUE if e.changes == "d1"]


# --- The chains -----------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """One way of computing a layer's gradient: an output delta, a hidden delta
    (None: the correct one; dL/dw1 only) and a sign."""

    output: str
    hidden: Optional[str]
    sign: int

    def mistakes(self, loss: str) -> List[str]:
        """The catalogue's names of what this chain gets wrong, for ``loss``."""
        names = [self.output] if self.output != loss else []
        names += [self.hidden] if self.hidden else []
        return names + (["sign flipped"] if self.sign < 0 else [])

    def as_dict(self) -> Dict[str, Any]:
        return {"output": self.output, "hidden": self.hidden, "sign": self.sign}


def chains(layer: str, step: bool) -> List[Chain]:
    """Every chain for ``layer`` ("w1" or "w2"); step-only entries where there is a step."""
    hidden: List[Optional[str]] = [None]
    if layer == "w1":
        hidden += [h for h in HIDDEN if step or not ENTRIES[h].step_only]
    return [Chain(o, h, s) for o in OUTPUTS for h in hidden for s in (1, -1)]


def gradients(s: State, layer: str, found: List[Chain]) -> Array:
    """Each chain's gradient for ``layer`` at ``s``, stacked: (C, 30, h) or (C, h, 3)."""
    d2 = {name: ENTRIES[name].compute(s) for name in OUTPUTS}
    flip = ENTRIES["sign flipped"].compute
    stack = []
    for c in found:
        g = (
            s.a1.T @ d2[c.output]
            if layer == "w2"
            else s.x.T @ hidden_delta(s, d2[c.output], c.hidden)
        )
        stack.append(g if c.sign > 0 else flip(g))
    return np.stack(stack)


def hidden_delta(s: State, d2: Array, name: Optional[str]) -> Array:
    """d1 from ``d2``: the correct one (None), or the entry ``name``'s."""
    d1: Array = _hidden(SIGMOID, s, d2) if name is None else ENTRIES[name].compute(s, d2)
    return d1


@dataclass(frozen=True)
class Correct:
    """The right chain at one point, for one loss: d2, d1 and both gradients."""

    d2: Array
    d1: Array
    dw1: Array
    dw2: Array

    def gradient(self, weight: str) -> Array:
        """dL/d``weight``: ``dw1`` for "w1"."""
        found: Array = getattr(self, f"d{weight}")
        return found


def correct(s: State, loss: str) -> Correct:
    """The right d2, d1, dw1 and dw2 for ``loss`` at ``s``."""
    d2 = ENTRIES[loss].compute(s)
    d1 = hidden_delta(s, d2, None)
    return Correct(d2, d1, s.x.T @ d1, s.a1.T @ d2)
