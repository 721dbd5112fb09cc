"""The verdict on a backprop of a network a teacher describes (``--network``).

The plan (:func:`plan`): four starts (seeds 0, 1, 2, and seed 3 with the hidden
layers' weights and biases times 8, so that sigmoid and tanh units saturate), at
the description's hidden sizes and at two others (each hidden layer's size s, then
s - 2, or s + 1 where s - 2 is below 2, and s + 3), each a batch of examples (many
mistakes are invisible on one example): each seed its own number of them, none a layer's size
(:func:`batch_sizes`), their labels every class but at seed 1, where the last is
absent (:func:`labels`); the first point twice. No ReLU unit is within 1e-6 of its
kink, and the output's logits are scaled into [-4, 4] (a correct backprop that
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
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from reference.judge.answers import (
    FLOAT16_ROUNDING,
    FLOAT32_ROUNDING,
    FLOAT64,
    Outcome,
    Precision,
    StudentError,
    in_float32,
    refuse,
)
from reference.judge.layered import backward, catalogue
from reference.witnesses.networks import Description, forward
from reference.witnesses.tolerances import factor_limit, network_floor

Array = np.ndarray

#: The output's logits at every point lie within this (see the module's docstring).
LOGIT_BOUND = 4.0
#: No ReLU unit's pre-activation is nearer its kink than this: far above the rounding
#: of z computed in another order (1e-15 |z|), so that every correct mask agrees.
KINK_MARGIN = 1e-6
#: The hidden layers' weights and biases at seed 3, times this: |z| of 8 to 30, where a
#: sigmoid's slope is 3e-4 to 1e-13 and tanh's smaller (the article's saturated start).
SATURATED = 8.0


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
    size s as s - 2 (s + 1 where that is below 2), then s + 3 (the description's alone
    without a hidden layer)."""
    if d.layers < 2:
        return [d.sizes]
    inner = d.sizes[1:-1]
    return [d.sizes, (d.sizes[0], *(s - 2 if s - 2 >= 2 else s + 1 for s in inner), d.sizes[-1]),
            (d.sizes[0], *(s + 3 for s in inner), d.sizes[-1])]  # fmt: skip


def batch_sizes(sizes: Tuple[int, ...]) -> List[int]:
    """Each seed's number of examples: the first four numbers from c + 1 (3 at least)
    that are none of the sizes (a bias gradient summed over the wrong axis, or a gradient
    left per example, is then told by its shape; and each seed has its own n)."""
    found: List[int] = []
    n = max(sizes[-1] + 1, 3)
    while len(found) < 4:
        found += [n] if n not in sizes else []
        n += 1
    return found


def labels(rng: np.random.Generator, n: int, classes: int, seed: int) -> Array:
    """One-hot labels (n, c), every class present but at seed 1, where the last is absent
    (c >= 3: code that counts the classes from the labels shows there); one output: labels
    0 and 1, both present."""
    if classes == 1:
        return rng.permutation(np.arange(n) % 2)[:, None].astype(float)
    present = classes - 1 if seed == 1 and classes >= 3 else classes
    found: Array = np.eye(classes)[rng.permutation(np.arange(n) % present)]
    return found


def _draw(d: Description, sizes: Tuple[int, ...], seed: int, attempt: int) -> Point:
    rng = np.random.default_rng([seed, attempt, *sizes])
    n = batch_sizes(sizes)[seed]
    y = labels(rng, n, sizes[-1], seed)
    weights: Dict[str, Array] = {}
    for k in range(1, len(sizes)):
        grow = SATURATED if seed == 3 and k < len(sizes) - 1 else 1.0
        weights[d.named("W", k)] = grow * rng.normal(
            0, 1 / np.sqrt(sizes[k - 1]), sizes[k - 1 : k + 1]
        )
        if d.biases:
            weights[d.named("b", k)] = grow * rng.normal(0, 0.5, sizes[k])
    saturated = seed == 3 and len(sizes) > 2
    start = f"seed {seed}" + (", hidden weights x 8 (saturated)" if saturated else "")
    label = f"{start}, sizes {'-'.join(map(str, sizes))}, {n} examples"
    return Point(label, 0, sizes, rng.normal(size=(n, sizes[0])), y, weights)


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
    raise ValueError(
        f"--network: no inputs found that keep every ReLU unit clear of its kink at sizes"
        f" {'-'.join(map(str, sizes))} (a ReLU layer of one unit without a bias?)"
    )


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
    weights = [v for k, v in p.weights.items() if d.place(k)[0] == "W"]
    return Expected(right.gradients, twisted, deltas, network_floor(weights, upstream))


# --- reading what came back -----------------------------------------------------------


#: How a returned array's shape stands to its weight's.
FORMS = ("as the weight", "an axis of length one", "transposed", "not summed", "wrong axis",
         "every axis")  # fmt: skip


@dataclass(frozen=True)
class Read:
    """One returned gradient at one point: how its shape stands (:data:`FORMS`), its
    values laid out as what they hold (the weight's gradient, or the delta for a bias
    gradient not summed), and the precision it was computed in."""

    form: str
    shape: Tuple[int, ...]
    values: Array
    precision: Precision


def precision_of(array: Array) -> Precision:
    """The precision an array was computed in: its type's, or float32's (float16's) where
    a float64 array holds only float32 (float16) numbers, a result cast back."""
    if array.dtype == np.float16 or (array.dtype != np.float32 and in_float32(array, np.float16)):
        return FLOAT16_ROUNDING
    if array.dtype == np.float32 or in_float32(array):
        return FLOAT32_ROUNDING
    return FLOAT64


def refuse_described(run: Outcome, d: Description) -> None:
    """StudentError (one line) for a run that cannot be checked against ``d``: it did not
    run to the end, or a call at the description's sizes did not return what is asked."""
    refuse(run, (len(d.parameters),), d.signature())
    if len(run.calls) != len(plan(d)):
        raise StudentError(f"{run.function} was not run at every point")
    for index, p in enumerate(plan(d)):
        if p.group == 0:
            check_call(d, run, index)


def check_call(d: Description, run: Outcome, index: int) -> None:
    """StudentError (one line) for a call that raised, or returned anything but as many
    arrays of finite real numbers as ``d`` names."""
    call, label = run.calls[index], plan(d)[index].label
    if call.kind == "raised":
        raise StudentError(f"{run.function} raised {call.error}: {call.message} (at {label})",
                           "raised", call.line)  # fmt: skip
    if call.kind != "values" or call.length != len(d.returns):
        what = f"{call.length} items" if call.kind == "values" else ", ".join(call.types)
        raise StudentError(f"{run.function} returned {what}: expected a tuple"
                           f" ({', '.join(d.returns)}) (at {label})")  # fmt: skip
    for name, array in zip(d.returns, call.arrays):
        if array is None or not np.all(np.isfinite(array)):
            raise StudentError(f"{name} is not an array of finite real numbers (at {label})")


def order(d: Description, arrays: Sequence[Optional[Array]], p: Point) -> Tuple[int, ...]:
    """Where each returned name's array is at point ``p``: the order returned, or the one
    permutation of it whose shapes are the weights' (a tuple returned in another order)."""
    wanted = [d.shape(d.gradient_of(r), p.sizes) for r in d.returns]
    shapes = [np.shape(a) if a is not None else None for a in arrays]
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
    weight, at = d.gradient_of(returned), d.at(p.sizes)
    assert array is not None  # check_call refused a None
    wanted, shape = at.shape(weight, p.sizes), np.shape(array)
    values, precision = np.asarray(array, dtype=np.float64), precision_of(np.asarray(array))
    kind, layer = at.place(weight)
    if shape == wanted:
        return Read("as the weight", shape, values, precision)
    if len(shape) == 2 and shape == wanted[::-1] and kind == "W":
        return Read("transposed", shape, values.T, precision)
    if values.size == int(np.prod(wanted)) and [s for s in shape if s != 1] == [
        s for s in wanted if s != 1
    ]:
        return Read("an axis of length one", shape, values.reshape(wanted), precision)
    if kind == "b":
        unsummed = deltas[layer] if d.layout == "rows" else deltas[layer].T
        if shape == unsummed.shape:
            return Read("not summed", shape, values, precision)
        if values.size == len(p.x) and values.ndim <= 2:
            return Read("wrong axis", shape, values.reshape(-1), precision)
        if values.size == 1:
            return Read("every axis", shape, values.reshape(()), precision)
    raise StudentError(
        f"{returned} has shape {shape} at {p.label}, neither {weight}'s {wanted}"
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
    scaled: str = ""  # "1/n lost", "1/n twice", "times n", "sign", "zeros", "factor"
    approximate: bool = False  # near the right one at every point, no mistake's
    factor: float = 1.0
    precision: Precision = FLOAT64  # the loosest its arrays were computed in


def near(a: float, b: float, precision: Precision = FLOAT64) -> bool:
    """Two factors the same to the precision's :func:`factor_limit` (relative to ``b``,
    or absolute where ``b`` is below 1e-12)."""
    return abs(a - b) <= factor_limit(precision.tolerance) * max(abs(b), 1e-12)
