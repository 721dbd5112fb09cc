"""The catalogue of known mistakes in a backprop: one table, one entry a mistake.

Each :class:`Entry` names a mistake, gives the words a student is shown, says
which quantity of the chain it changes, and computes that quantity the
mistaken way. The chain, for one sample or a batch of rows (n rows)::

    d2  = dL/dz2                      (n, 3)   the output delta
    dw2 = a1.T @ d2                   (h, 3)
    d1  = (d2 @ w2.T) * a1 (1 - a1)   (n, h)   the hidden delta
    dw1 = x.T @ d1                    (30, h)

and the pair (dw1, dw2) the function returns. The judge (reference/diagnose.py)
matches a student's answers against every combination of an output delta
(the two losses' exact ones, or a mistake), a hidden delta (the correct one,
or a mistake) and a sign, after undoing a mistake in how the pair is laid out
(swapped, transposed). Adding a mistake is adding an entry here, and a student
file to tests/judge/students/ that makes it.

Everything here is computed in float64 in the judge's process, by the
formulas written out below, from the judge's own forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import numpy as np

import numpy_impl as ni

Array = np.ndarray


class State(NamedTuple):
    """What every formula may use at one point: the inputs, the forward pass,
    the number of rows, and the learning rate a step is given."""

    x: Array
    y: Array
    w1: Array
    w2: Array
    z1: Array
    a1: Array
    z2: Array
    a2: Array
    n: int
    alpha: float


def state(x: Array, y: Array, w1: Array, w2: Array, alpha: float) -> State:
    fwd = ni.forward(x, w1, w2)
    return State(x, y, w1, w2, fwd.z1, fwd.a1, fwd.z2, fwd.a2, len(x), alpha)


def _slope(a: Array) -> Array:
    slope: Array = a * (1 - a)  # sigmoid'(z) written with a = sigmoid(z)
    return slope


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


CATALOGUE: Tuple[Entry, ...] = (
    # --- the output delta d2 ---
    Entry("mse", "the exact MSE gradient, d2 = (2/3) (a2 - y) a2 (1 - a2)", "d2",
          lambda s: 2 / 3 * (s.a2 - s.y) * _slope(s.a2)),
    Entry("bce", "the article's rule d2 = a2 - y, the gradient of the summed binary"
          " cross-entropy", "d2", lambda s: s.a2 - s.y),
    Entry("output slope missing", "output sigmoid derivative missing: d2 = (2/3) (a2 - y)", "d2",
          lambda s: 2 / 3 * (s.a2 - s.y)),
    Entry("factor 2 lost", "factor 2 lost: d2 = (1/3) (a2 - y) a2 (1 - a2)", "d2",
          lambda s: 1 / 3 * (s.a2 - s.y) * _slope(s.a2)),
    Entry("divisor 3 lost", "divisor 3 lost: d2 = 2 (a2 - y) a2 (1 - a2)", "d2",
          lambda s: 2 * (s.a2 - s.y) * _slope(s.a2)),
    Entry("2/3 dropped", "constant 2/3 dropped: d2 = (a2 - y) a2 (1 - a2), the gradient of half"
          " the summed squared error", "d2", lambda s: (s.a2 - s.y) * _slope(s.a2)),
    Entry("mean over rows", "MSE divided by the number of rows as well (a mean over samples)",
          "d2", lambda s: 2 / 3 * (s.a2 - s.y) * _slope(s.a2) / s.n),
    Entry("output slope of sigmoid(a2)", "output derivative taken as sigmoid(a2)"
          " (1 - sigmoid(a2)) instead of a2 (1 - a2)", "d2",
          lambda s: 2 / 3 * (s.a2 - s.y) * _slope(ni.sigmoid(s.a2))),
    Entry("tanh slope at the output", "output derivative taken as tanh's 1 - a2^2 instead of"
          " the sigmoid's a2 (1 - a2)", "d2", lambda s: 2 / 3 * (s.a2 - s.y) * (1 - s.a2**2)),
    Entry("relu slope at the output", "output derivative taken as ReLU's (z2 > 0) instead of"
          " the sigmoid's a2 (1 - a2)", "d2", lambda s: 2 / 3 * (s.a2 - s.y) * (s.z2 > 0)),
    # --- the hidden delta d1, from the d2 it is given ---
    Entry("hidden slope missing", "hidden sigmoid derivative missing: d1 = d2 @ w2.T", "d1",
          lambda s, d2: d2 @ s.w2.T),
    Entry("hidden slope of sigmoid(a1)", "hidden derivative taken as sigmoid(a1)"
          " (1 - sigmoid(a1)) instead of a1 (1 - a1)", "d1",
          lambda s, d2: d2 @ s.w2.T * _slope(ni.sigmoid(s.a1))),
    Entry("hidden slope from z1", "hidden derivative taken as z1 (1 - z1) instead of a1 (1 - a1)",
          "d1", lambda s, d2: d2 @ s.w2.T * _slope(s.z1)),
    Entry("tanh slope at the hidden layer", "hidden derivative taken as tanh's 1 - a1^2 instead"
          " of the sigmoid's a1 (1 - a1)", "d1", lambda s, d2: d2 @ s.w2.T * (1 - s.a1**2)),
    Entry("relu slope at the hidden layer", "hidden derivative taken as ReLU's (z1 > 0) instead"
          " of the sigmoid's a1 (1 - a1)", "d1", lambda s, d2: d2 @ s.w2.T * (s.z1 > 0)),
    Entry("w2 updated before d1", "w2 updated before d1 is computed (d1 uses the new w2)", "d1",
          lambda s, d2: d2 @ (s.w2 - s.alpha * s.a1.T @ d2).T * _slope(s.a1), step_only=True),
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
#: The losses a student may be judged against, in words; their exact deltas are entries.
LOSSES = {"mse": "the MSE, sum((a2 - y)^2) / 3", "bce": "the summed binary cross-entropy"}


class Chain(NamedTuple):
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


def chains(layer: str, step: bool) -> List[Chain]:
    """Every chain for ``layer`` ("w1" or "w2"); step-only entries where there is a step."""
    hidden: List[Optional[str]] = [None]
    if layer == "w1":
        hidden += [h for h in HIDDEN if step or not ENTRIES[h].step_only]
    return [Chain(o, h, s) for o in OUTPUTS for h in hidden for s in (1, -1)]


def gradients(s: State, layer: str, step: bool) -> Tuple[List[Chain], Array]:
    """Every chain for ``layer`` and its gradient there, stacked: (C, 30, h) or (C, h, 3)."""
    found = chains(layer, step)
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
    return found, np.stack(stack)


def hidden_delta(s: State, d2: Array, name: Optional[str]) -> Array:
    """d1 from ``d2``: the correct one (None), or the entry ``name``'s."""
    d1: Array = d2 @ s.w2.T * _slope(s.a1) if name is None else ENTRIES[name].compute(s, d2)
    return d1


def correct(s: State, loss: str) -> Tuple[Array, Array, Array, Array]:
    """The right d2, d1, dw1 and dw2 for ``loss`` at ``s``."""
    d2 = ENTRIES[loss].compute(s)
    d1 = hidden_delta(s, d2, None)
    return d2, d1, s.x.T @ d1, s.a1.T @ d2
