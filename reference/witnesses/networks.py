"""Networks a teacher describes: sizes, activations, biases, the loss, the layout, the names.

A :class:`Description` is a small feed-forward network as a class assigns it::

    layer l:  z_l = a_{l-1} W_l + b_l,   a_l = act_l(z_l)        (rows: x (n, d))
              Z_l = W_l A_{l-1} + b_l,   A_l = act_l(Z_l)        (columns: X (d, m))

with a_0 = x; the activations sigmoid, tanh, ReLU or the identity (softmax at
the output); biases or none; and a loss per example -- ``mse``: sum((a - y)^2) /
divisor, ``bce``: -sum(y log a + (1 - y) log(1 - a)) with a sigmoid output,
``softmax-ce``: -sum(y log p) with a softmax output -- summed or averaged over
the examples. The student's function takes the inputs, the labels and every
layer's weights (and bias), by the names given, and returns their gradients.

It is read from a small TOML file (:func:`read`, one-line errors) or named
(:data:`BUILT_IN`: the files in ``reference/witnesses/built_in_networks/``). Here too is
its forward pass and loss (:func:`forward`, :func:`loss`), written once for
real and complex arrays: the complex step (:func:`complex_step`) differentiates
it, and the PyTorch mirror (:mod:`reference.witnesses.torch_networks`) computes
it again with torch, in the description's own layout.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Tuple

import numpy as np

from reference.witnesses.losses import LOSSES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9 and 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

Array = np.ndarray

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity", "softmax")
REDUCTIONS = ("sum", "mean")
LAYOUTS = ("rows", "columns")
#: The folder of the built-in descriptions, one TOML file each.
FOLDER = Path(__file__).with_name("built_in_networks")
KEYS = ("name", "sizes", "activations", "biases", "loss", "reduction", "divisor", "layout",
        "parameters", "returns")  # fmt: skip


class DescriptionError(ValueError):
    """A description that is none: one line, naming the file and what is wrong."""


@dataclass(frozen=True)
class Description:
    """A network: ``sizes`` (inputs, each hidden layer's units, outputs), each layer's
    ``activations``, ``biases`` or none, the ``loss`` per example and its ``reduction``
    over the examples (``divisor``: the squared error's), the ``layout`` (rows or
    columns), and the student's function: its ``parameters`` (inputs, labels, then each
    layer's weights and bias) and what it ``returns`` (each weight's gradient by name)."""

    name: str
    sizes: Tuple[int, ...]
    activations: Tuple[str, ...]
    biases: bool
    loss: str
    reduction: str
    divisor: float
    layout: str
    parameters: Tuple[str, ...]
    returns: Tuple[str, ...]

    @property
    def layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def weights(self) -> Tuple[str, ...]:
        """The weights' and biases' names, in the order the function takes them."""
        return self.parameters[2:]

    def place(self, name: str) -> Tuple[str, int]:
        """What a weight is: ("W", l) or ("b", l), l = 1 .. layers."""
        index = self.weights.index(name)
        per = 2 if self.biases else 1
        return ("W" if index % per == 0 else "b"), index // per + 1

    def named(self, kind: str, layer: int) -> str:
        """The name of layer ``layer``'s weight ("W") or bias ("b")."""
        per = 2 if self.biases else 1
        return self.weights[(layer - 1) * per + (0 if kind == "W" else 1)]

    def gradient_of(self, returned: str) -> str:
        """The weight a returned name is the gradient of: 'dW1' -> 'W1'."""
        return returned[1:]

    def shape(self, name: str, sizes: Tuple[int, ...]) -> Tuple[int, ...]:
        """A weight's shape in the description's layout, at ``sizes``."""
        kind, k = self.place(name)
        inner, outer = sizes[k - 1], sizes[k]
        if kind == "W":
            return (inner, outer) if self.layout == "rows" else (outer, inner)
        return (outer,) if self.layout == "rows" else (outer, 1)

    def at(self, sizes: Tuple[int, ...]) -> Description:
        return replace(self, sizes=tuple(sizes))

    def loss_words(self) -> str:
        words = LOSSES[self.loss].formula.format(divisor=f"{self.divisor:g}")
        over = "averaged over" if self.reduction == "mean" else "summed over"
        return f"{words}, {over} the examples"

    def signature(self) -> str:
        return f"f({', '.join(self.parameters)}) -> ({', '.join(self.returns)})"

    # --- the layout ---------------------------------------------------------------

    def from_rows(self, name: str, value: Array) -> Array:
        """A weight's gradient from the rows layout to the description's."""
        if self.layout == "rows":
            return value
        return value.T if self.place(name)[0] == "W" else value[:, None]


# --- reading ------------------------------------------------------------------------


def built_in_names() -> List[str]:
    """The built-in descriptions' names: the files of ``built_in_networks/``."""
    return sorted(path.stem for path in FOLDER.glob("*.toml"))


def read(source: str) -> Description:
    """A built-in's name, or a TOML file's path, as a :class:`Description`
    (DescriptionError, one line, for anything else)."""
    path = FOLDER / f"{source}.toml" if source in built_in_names() else Path(source)
    if not path.is_file():
        names = ", ".join(["article", *built_in_names()])
        raise DescriptionError(f"--network: {source!r} is no built-in ({names}) and no file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DescriptionError(f"{path}: not TOML: {err}") from None
    return parse(data, str(path))


#: The most arrays a function may return: what the sandbox keeps of a returned tuple
#: (reference/sandbox/records.py's ITEMS_KEPT; this room does not import that one).
MOST_RETURNED = 8
#: The largest layer: the judge's points and a student's function stay well within the
#: sandbox's 10 s and its report's 64 MiB.
LARGEST = 100
#: The squared error's divisor: a number a loss is written with, not one that makes
#: every gradient overflow or vanish.
DIVISORS = (1e-3, 1e3)


def parse(data: Mapping[str, Any], where: str = "the description") -> Description:
    """A :class:`Description` from TOML's table, every field checked
    (DescriptionError, one line, naming ``where`` and what is wrong)."""

    def fail(why: str) -> DescriptionError:
        return DescriptionError(f"{where}: {why}")

    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (keys: {', '.join(KEYS)})")
    missing = [k for k in KEYS if k not in data and k not in ("divisor", "name")]
    if missing:
        raise fail(f"{missing[0]!r} is missing")
    sizes, acts = _layers(data, fail)
    params, returns = _names(data, len(sizes) - 1, fail)
    divisor = data.get("divisor", sizes[-1])
    if type(divisor) not in (int, float) or not DIVISORS[0] <= divisor <= DIVISORS[1]:
        raise fail(f"divisor is a number from {DIVISORS[0]:g} to {DIVISORS[1]:g}")
    name = data.get("name", re.sub(r"[^\w.-]", "-", Path(where).stem, flags=re.ASCII)[:60])
    if not (isinstance(name, str) and re.fullmatch(r"[\w.-]{1,60}", name, re.ASCII)):
        raise fail("name is 1 to 60 letters, digits, '-', '_' or '.'")
    return Description(name, tuple(sizes), tuple(acts), data["biases"], data["loss"],
                       data["reduction"], float(divisor), data["layout"], tuple(params),
                       tuple(returns))  # fmt: skip


def _layers(
    data: Mapping[str, Any], fail: Callable[[str], Exception]
) -> Tuple[List[int], List[str]]:
    """The sizes and activations, the loss and the rest that go with them, checked."""
    sizes = data["sizes"]
    if not (isinstance(sizes, list) and len(sizes) >= 2
            and all(type(s) is int and 1 <= s <= LARGEST for s in sizes)):  # fmt: skip
        raise fail(f"sizes is a list of 2 or more whole numbers from 1 to {LARGEST}"
                   " (inputs, ..., outputs)")  # fmt: skip
    acts = data["activations"]
    if not (isinstance(acts, list) and all(isinstance(a, str) and a in ACTIVATIONS for a in acts)):
        raise fail(f"activations is a list of {', '.join(ACTIVATIONS)}")
    if len(acts) != len(sizes) - 1:
        raise fail(f"activations has {len(acts)} entries, sizes gives {len(sizes) - 1} layers")
    if "softmax" in acts[:-1]:
        raise fail("softmax is an output layer's activation only")
    for key, allowed in (("loss", tuple(LOSSES)), ("reduction", REDUCTIONS), ("layout", LAYOUTS)):
        if not (isinstance(data[key], str) and data[key] in allowed):
            raise fail(f"{key} is one of {', '.join(allowed)}, not {data[key]!r}")
    if type(data["biases"]) is not bool:
        raise fail("biases is true or false")
    needs = LOSSES[data["loss"]].output
    if needs is not None and acts[-1] != needs:
        raise fail(f"the loss {data['loss']} needs a {needs} output, not {acts[-1]}")
    if acts[-1] == "softmax" and (data["loss"] != "softmax-ce" or sizes[-1] < 2):
        raise fail("a softmax output goes with the loss softmax-ce, and 2 or more outputs")
    if "divisor" in data and data["loss"] != "mse":
        raise fail("divisor goes with the loss mse only")
    return sizes, acts


def _names(
    data: Mapping[str, Any], layers: int, fail: Callable[[str], Exception]
) -> Tuple[List[str], List[str]]:
    """The function's parameters and what it returns, checked."""
    per = 2 if data["biases"] else 1
    params, count = data["parameters"], 2 + per * layers
    named = isinstance(params, list) and all(isinstance(p, str) for p in params)
    if not (named and all(p.isidentifier() and not keyword.iskeyword(p) for p in params)):
        raise fail("parameters is a list of Python names")
    if len(params) != count or len(set(params)) != count:
        raise fail(f"parameters names {count} different arguments: inputs, labels, then"
                   f" {'each weight and its bias' if per == 2 else 'each weight'}")  # fmt: skip
    for index, name in enumerate(params[2:]):  # a bias where a weight goes, or the other way
        bias = per == 2 and index % 2 == 1
        if name[0] in ("wW" if bias else "bB"):
            raise fail(f"parameters: {name!r} stands where {'a bias' if bias else 'a weight'}"
                       f" goes: after the inputs and labels, each layer's weight"
                       f"{', then its bias' if per == 2 else ''}, layer by layer")  # fmt: skip
    if count - 2 > MOST_RETURNED:
        raise fail(f"a function returns at most {MOST_RETURNED} gradients here (the sandbox keeps"
                   f" {MOST_RETURNED}): this one would return {count - 2}")  # fmt: skip
    returns = data["returns"]
    wanted = {f"d{p}" for p in params[2:]}
    if not (isinstance(returns, list) and all(isinstance(r, str) for r in returns)
            and len(returns) == len(wanted) and set(returns) == wanted):  # fmt: skip
        raise fail(f"returns names each weight's gradient once: {', '.join(sorted(wanted))}")
    return params, returns


def is_article(d: Description) -> bool:
    """Whether ``d`` is the article's own network (30-5-3, the judge trying hidden sizes 3
    and 8 too, sigmoids, no biases, sum((a2 - y)^2) / 3 summed over the rows,
    f(x, y, w1, w2) -> (dw1, dw2)): the judge's words for it are the article's."""
    return (d.sizes == (30, 5, 3)
            and d.activations == ("sigmoid", "sigmoid") and not d.biases and d.loss == "mse"
            and d.divisor == 3 and d.reduction == "sum" and d.layout == "rows"
            and d.parameters == ("x", "y", "w1", "w2") and d.returns == ("dw1", "dw2"))  # fmt: skip


#: The built-in descriptions by name, read once (the article's own network is the judge's
#: default, and no description: its words are the article's). :func:`read` reads a
#: built-in's file when it is named.
BUILT_IN: Dict[str, Description] = {name: read(name) for name in built_in_names()}


# --- the forward pass and the loss, for real or complex arrays ---------------------------


def activate(name: str, z: Array) -> Array:
    """act(z), row-wise for softmax; for complex z too (the complex step)."""
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z)) if np.iscomplexobj(z) else _sigmoid(z)
    if name == "tanh":
        return np.asarray(np.tanh(z))
    if name == "relu":
        return np.where(z.real > 0, z, 0)
    if name == "identity":
        return z
    e = np.exp(z - z.real.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return np.asarray(np.where(z >= 0, 1 / (1 + e), e / (1 + e)))


def forward(d: Description, x: Array, weights: Mapping[str, Array]) -> List[Tuple[Array, Array]]:
    """Each layer's (z, a), in the rows layout, from x (n, d) and the weights (rows)."""
    a, out = x, []
    for k in range(1, d.layers + 1):
        z = a @ weights[d.named("W", k)]
        if d.biases:
            z = z + weights[d.named("b", k)]
        a = activate(d.activations[k - 1], z)
        out.append((z, a))
    return out


def loss(d: Description, x: Array, y: Array, weights: Mapping[str, Array]) -> Any:
    """The loss at x (n, d), y (n, c) and the weights, in the rows layout."""
    z, a = forward(d, x, weights)[-1]
    if d.loss == "mse":
        each = ((a - y) ** 2).sum(axis=1) / d.divisor
    elif d.loss == "bce":  # log a = -log(1 + e^-z), log(1 - a) = -log(1 + e^z)
        each = (y * _softplus(-z) + (1 - y) * _softplus(z)).sum(axis=1)
    else:
        shifted = z - z.real.max(axis=1, keepdims=True)
        each = -(y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))).sum(axis=1)
    return each.sum() / (len(x) if d.reduction == "mean" else 1)


def _softplus(z: Array) -> Array:
    if np.iscomplexobj(z):
        return np.asarray(np.log(1 + np.exp(z)))
    return np.asarray(np.logaddexp(0.0, z))


def complex_step(
    d: Description, x: Array, y: Array, weights: Mapping[str, Array], h: float = 1e-30
) -> Dict[str, Array]:
    """Each weight's gradient by the complex step, Im L(w + ih e) / h, entry by entry
    (rows layout): exact to rounding, no subtraction (ReLU away from its kink)."""
    grads = {}
    for name, w in weights.items():
        g = np.zeros_like(w, dtype=np.float64)
        for index in np.ndindex(w.shape):
            moved = dict(weights)
            moved[name] = w.astype(complex)
            moved[name][index] += 1j * h
            g[index] = loss(d, x, y, moved).imag / h
        grads[name] = g
    return grads
