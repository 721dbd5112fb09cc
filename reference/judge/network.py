"""The network a student's function computes, as the judge knows it: names and shapes as data.

The judge's words name what the student wrote (``dw1``, ``d2``, "the line
that computes d1"), and its reading of an answer needs the weights' names,
their order and what a step returns. They are stated here once, for the
article's network (:data:`ARTICLE`), and read from here by every other
module of the judge; the formulas of the article's chain are the
catalogue's (:mod:`reference.judge.catalogue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

import numpy as np

import numpy_impl as ni

Array = np.ndarray


@dataclass(frozen=True)
class Network:
    """What a student's function is asked for.

    ``weights``: the weights' names, in the order their gradients are returned;
    ``inputs``: the names of the other arguments, before the weights;
    ``order``: the quantities of the chain in the order they are computed (the
    first that goes wrong is where a mistake starts): the hidden activations the
    gradients use, the deltas and the gradients, and a step's update."""

    weights: Tuple[str, ...]
    inputs: Tuple[str, ...]
    order: Tuple[str, ...]

    def gradient(self, weight: str) -> str:
        """A weight's gradient as the student names it: 'w1' -> 'dw1'."""
        return f"d{weight}"

    def label(self, weight: str) -> str:
        """A weight's gradient in the judge's words: 'w1' -> 'dL/dw1'."""
        return f"dL/d{weight}"

    def returns(self, step: bool) -> Tuple[str, ...]:
        """What the function returns, by name: the gradients, or a step's new weights."""
        return tuple(f"new_{w}" if step else self.gradient(w) for w in self.weights)

    def signature(self, step: bool) -> str:
        """'f(x, y, w1, w2) -> (dw1, dw2)', or the step's with alpha."""
        given = ", ".join((*self.inputs, *self.weights, *(["alpha"] if step else [])))
        return f"f({given}) -> ({', '.join(self.returns(step))})"

    def parameters(self, step: bool) -> int:
        """How many positional parameters the function takes."""
        return len(self.inputs) + len(self.weights) + int(step)

    def line(self, quantity: str) -> str:
        """The line a student is pointed to for a quantity (or "pair", the pair returned)."""
        return "the return line" if quantity == "pair" else f"the line that computes {quantity}"


#: The project's own code that computes what a student writes, by what they write: a
#: submission that uses it is not judged (its answers would be the project's). A
#: backprop may use the lesson's forward pass; neither may use the lesson's gradients,
#: nor may a step of the backward pass (d2, dw2, d1, dw1: reference/judge/steps.py).
_GRADIENTS = (
    *(
        f"numpy_impl.network.{f}"
        for f in ("output_delta", "backprop", "gradients", "sgd_step", "train")
    ),
    "numpy_impl.sweep.sweep",
)
OWN_FUNCTIONS = {
    "forward": ("numpy_impl.network.forward", "numpy_impl.network.predict"),
    "backprop": _GRADIENTS,
    **{step: _GRADIENTS for step in ("d2", "dw2", "d1", "dw1")},
}  # fmt: skip
#: The rooms of the project that compute the judge's answers (or call what does).
OWN_ROOMS = ("reference.witnesses", "reference.judge", "reference.diff", "reference.grading")


#: The article's 30-h-3 sigmoid network: f(x, y, w1, w2) -> (dw1, dw2).
ARTICLE = Network(
    weights=("w1", "w2"), inputs=("x", "y"), order=("a1", "d2", "d1", "dw1", "dw2", "update")
)


@dataclass(frozen=True)
class State:
    """What every formula of the catalogue may use at one point: the inputs, the
    judge's own forward pass, the number of rows, and the learning rate a step is given."""

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

    def weight(self, name: str) -> Array:
        """The weights named ``name`` ("w1" or "w2")."""
        found: Array = getattr(self, name)
        return found


def state(x: Array, y: Array, w1: Array, w2: Array, alpha: float) -> State:
    """The judge's forward pass at (x, y, w1, w2), with numpy_impl's steps."""
    fwd = ni.forward(x, w1, w2)
    return State(x, y, w1, w2, fwd.z1, fwd.a1, fwd.z2, fwd.a2, len(x), alpha)
