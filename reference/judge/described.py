"""The verdict on a backprop of a network a teacher describes (``--network``).

The plan (:func:`plan`): four starts (seeds 0, 1, 2, and seed 3 with the hidden
layers' weights and biases times 8, so that sigmoid and tanh units saturate), at
the description's hidden sizes and at two others (each hidden layer's size s, then
max(2, s - 2) and s + 3), each a batch of c + 1 to c + 3 examples (more where that
is a layer's size: a bias gradient summed over the wrong axis is then told by its
shape) whose labels cover every one of the c classes (many mistakes are invisible on
one example); the first point twice. The inputs are drawn so that no ReLU unit sits within 0.01 of
its kink, and the output's logits are scaled into [-4, 4] (a correct backprop that
computes dL/da and then the slope loses eps / (1 - a) there: 1e-14 at most).

What the function returned is read array by array (:func:`read`), in the
description's layout: an array shaped as its weight is compared as it is; one
that differs from it by an axis of length one, one transposed, a bias gradient
left unsummed or summed over the wrong axis, are compared as what they hold,
and the shape is said; any other shape cannot be checked. Each gradient is then
compared with the judge's own (:mod:`reference.judge.layered`) and with every
twist of the catalogue, and said in :mod:`reference.judge.described_words`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations
from typing import Dict, List, Optional, Tuple

import numpy as np

from reference.judge.answers import (
    FLOAT16_ROUNDING,
    FLOAT32_ROUNDING,
    FLOAT64,
    Outcome,
    Precision,
    StudentError,
    refuse,
)
from reference.judge.layered import backward, catalogue
from reference.witnesses.networks import Description, forward
from reference.witnesses.tolerances import delta_floor

Array = np.ndarray

#: The output's logits at every point lie within this (see the module's docstring).
LOGIT_BOUND = 4.0
#: No ReLU unit's pre-activation is nearer its kink than this.
KINK_MARGIN = 0.01
SATURATED = 8.0
#: The call that repeats the first (its answer must be the first's).
REPEAT = 1


@dataclass(frozen=True)
class Point:
    """One place the function is run: its words, the sizes, x and y (rows), the weights
    (rows, by name), and the group (the hidden sizes' index: 0 the description's)."""

    label: str
    group: int
    sizes: Tuple[int, ...]
    x: Array
    y: Array
    weights: Dict[str, Array]


def hidden_sizes(d: Description) -> List[Tuple[int, ...]]:
    """The sizes the function is run at: the description's, then each hidden layer's
    size s as max(2, s - 2), then s + 3 (the description's alone without a hidden layer)."""
    if d.layers < 2:
        return [d.sizes]
    inner = d.sizes[1:-1]
    return [d.sizes, (d.sizes[0], *(max(2, s - 2) for s in inner), d.sizes[-1]),
            (d.sizes[0], *(s + 3 for s in inner), d.sizes[-1])]  # fmt: skip


def _draw(d: Description, sizes: Tuple[int, ...], seed: int, attempt: int) -> Point:
    rng = np.random.default_rng([seed, attempt, *sizes])
    classes = sizes[-1]
    n = classes + 1 + seed % 3
    while n in sizes:  # a bias summed over the wrong axis would take a bias's shape
        n += 1
    labels = rng.permutation(np.arange(n) % classes)
    weights: Dict[str, Array] = {}
    for k in range(1, len(sizes)):
        grow = SATURATED if seed == 3 and k < len(sizes) - 1 else 1.0
        weights[d.named("W", k)] = grow * rng.normal(
            0, 1 / np.sqrt(sizes[k - 1]), sizes[k - 1 : k + 1]
        )
        if d.biases:
            weights[d.named("b", k)] = grow * rng.normal(0, 0.5, sizes[k])
    start = f"seed {seed}" + (", hidden weights x 8 (saturated)" if seed == 3 else "")
    label = f"{start}, sizes {'-'.join(map(str, sizes))}, {n} examples"
    return Point(label, 0, sizes, rng.normal(size=(n, sizes[0])), np.eye(classes)[labels], weights)


def _bounded(d: Description, p: Point) -> Point:
    """``p`` with the output layer's weights scaled so that its logits lie in [-4, 4]."""
    z = forward(d.at(p.sizes), p.x, p.weights)[-1][0]
    top = float(np.abs(z).max())
    if top <= LOGIT_BOUND:
        return p
    out = {k: v * (LOGIT_BOUND / top) if d.place(k)[1] == len(p.sizes) - 1 else v
           for k, v in p.weights.items()}  # fmt: skip
    return Point(p.label, p.group, p.sizes, p.x, p.y, out)


def _clear_of_kinks(d: Description, p: Point) -> bool:
    layers = forward(d.at(p.sizes), p.x, p.weights)
    return all(float(np.abs(z).min()) >= KINK_MARGIN
               for (z, _), act in zip(layers, d.activations) if act == "relu")  # fmt: skip


def point(d: Description, sizes: Tuple[int, ...], seed: int, group: int) -> Point:
    """The point for ``seed`` at ``sizes``: the first draw clear of every ReLU kink."""
    for attempt in range(1000):
        p = _bounded(d, _draw(d, sizes, seed, attempt))
        if _clear_of_kinks(d, p):
            return Point(p.label, group, p.sizes, p.x, p.y, p.weights)
    raise ValueError(f"no point clear of the ReLU kinks at sizes {sizes}")  # pragma: no cover


@lru_cache(maxsize=16)
def plan(d: Description) -> Tuple[Point, ...]:
    """Every call, in order: the first point twice, then the rest."""
    every = [point(d, sizes, seed, group)
             for group, sizes in enumerate(hidden_sizes(d)) for seed in range(4)]  # fmt: skip
    return (every[0], every[0], *every[1:])


def arguments(d: Description, p: Point) -> Tuple[Array, ...]:
    """A point's arguments, in the description's layout and order."""
    given = {d.parameters[0]: p.x, d.parameters[1]: p.y, **p.weights}
    return tuple(d.from_rows(n, v) if n in d.weights else (v if d.layout == "rows" else v.T)
                 for n, v in ((n, given[n]) for n in d.parameters))  # fmt: skip


def calls(d: Description) -> Dict[int, Tuple[Tuple[Array, ...], ...]]:
    """What the function is called with, by its number of parameters."""
    return {len(d.parameters): tuple(arguments(d, p) for p in plan(d))}


# --- the judge's own gradients ------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """At one point: the right gradients, each twist's, and the deltas (rows), with the
    floor of the comparison."""

    right: Dict[str, Array]
    twisted: Dict[str, Dict[str, Array]]
    deltas: Dict[int, Array]
    floor: float


@lru_cache(maxsize=64)
def expected(d: Description, index: int) -> Expected:
    """The judge's own gradients at call ``index`` (the same for every submission)."""
    p = plan(d)[index]
    at = d.at(p.sizes)
    right = backward(at, p.x, p.y, p.weights)
    twisted = {m.name: backward(at, p.x, p.y, p.weights, m.twist).gradients for m in catalogue(d)}
    deltas = right.deltas
    upstream = 1.0 if d.reduction == "mean" else float(len(p.x))
    top = max(float(np.abs(v).max()) for k, v in p.weights.items() if d.place(k)[0] == "W")
    return Expected(right.gradients, twisted, deltas, delta_floor(upstream) * (1 + top))


# --- reading what came back -----------------------------------------------------------


#: How a returned array's shape stands to its weight's.
FORMS = ("as the weight", "an axis of length one", "transposed", "not summed", "wrong axis")


@dataclass(frozen=True)
class Read:
    """One returned gradient at one point: how its shape stands (:data:`FORMS`) and its
    values, laid out as what it holds (the weight, or the delta for a bias not summed)."""

    form: str
    shape: Tuple[int, ...]
    values: Array


def precision_of(run: Outcome) -> Precision:
    """float16 or float32 when any array returned is; else float64."""
    kinds = {a.dtype for call in run.calls for a in call.arrays if a is not None}
    if any(k == np.float16 for k in kinds):
        return FLOAT16_ROUNDING
    return FLOAT32_ROUNDING if any(k == np.float32 for k in kinds) else FLOAT64


def refuse_described(run: Outcome, d: Description) -> None:
    """StudentError (one line) for a run that cannot be checked against ``d``."""
    refuse(run, (len(d.parameters),), d.signature())
    for index, call in enumerate(run.calls):
        if call.kind == "raised":
            raise StudentError(f"{run.function} raised {call.error}: {call.message}"
                               f" (call {index + 1})", "raised", call.line)  # fmt: skip
        if call.kind != "values" or call.length != len(d.returns):
            what = f"{call.length} items" if call.kind == "values" else ", ".join(call.types)
            raise StudentError(f"{run.function} returned {what}: expected a tuple"
                               f" ({', '.join(d.returns)})")  # fmt: skip
        for name, array in zip(d.returns, call.arrays):
            if array is None or not np.all(np.isfinite(array)):
                raise StudentError(f"{name} is not an array of finite real numbers")
    if len(run.calls) != len(plan(d)):
        raise StudentError(f"{run.function} was not run at every point")


def order(d: Description, run: Outcome) -> Tuple[int, ...]:
    """Where each returned name's array is: the order returned, or the one permutation of
    it whose shapes are the weights' (a tuple returned in another order)."""
    first, p = run.calls[0].arrays, plan(d)[0]
    wanted = [d.shape(d.gradient_of(r), p.sizes) for r in d.returns]
    shapes = [np.shape(a) if a is not None else None for a in first]
    if shapes == wanted:
        return tuple(range(len(wanted)))
    for perm in permutations(range(len(wanted))):
        if [shapes[i] for i in perm] == wanted:
            return perm
    return tuple(range(len(wanted)))


def read(
    d: Description, returned: str, array: Optional[Array], p: Point, deltas: Dict[int, Array]
) -> Read:
    """One returned array at point ``p`` (StudentError for a shape that is none)."""
    weight = d.gradient_of(returned)
    at = d.at(p.sizes)
    assert array is not None  # refuse_described refused a None
    wanted, shape = at.shape(weight, p.sizes), np.shape(array)
    values = np.asarray(array, dtype=np.float64)
    if shape == wanted:
        return Read("as the weight", shape, values)
    if values.size == int(np.prod(wanted)) and tuple(s for s in shape if s != 1) == tuple(
        s for s in wanted if s != 1
    ):
        return Read("an axis of length one", shape, values.reshape(wanted))
    if len(shape) == 2 and shape == wanted[::-1] and at.place(weight)[0] == "W":
        return Read("transposed", shape, values.T)
    kind, layer = at.place(weight)
    if kind == "b":
        unsummed = deltas[layer] if d.layout == "rows" else deltas[layer].T
        if shape == unsummed.shape:
            return Read("not summed", shape, values)
        if values.size == len(p.x) and values.ndim <= 2:
            return Read("wrong axis", shape, values.reshape(-1))
    raise StudentError(
        f"{returned} has shape {shape} at the first point, neither {weight}'s {wanted}"
        f" nor a known mistake's: it cannot be checked"
    )


@dataclass
class Fit:
    """One returned gradient, judged: right, or what matches, and how far it is."""

    returned: str
    form: str
    shape: Tuple[int, ...]
    right: bool
    off: float
    matches: List[str] = field(default_factory=list)  # the twists matching it
    scaled: str = ""  # "1/n lost", "1/n twice", "sign", "factor"
    factor: float = 1.0


def near(a: float, b: float) -> bool:
    """Two factors the same to six digits."""
    return abs(a - b) <= 1e-6 * max(abs(b), 1e-12)
