"""A described network's backward pass, and its catalogue of mistakes, layer by layer.

For a network a teacher describes (:class:`~reference.witnesses.networks.Description`)
the judge computes the gradients itself, by hand, in the rows layout (its own
forward pass is the witnesses'; :mod:`reference.witnesses.torch_networks` checks
this against autograd)::

    delta_L = dL/dz_L = scale (a_L - y)                          bce, softmax-ce
            = scale (2 / divisor) (a_L - y) act_L'(z_L)          mse
    delta_l = (delta_{l+1} @ W_{l+1}.T) act_l'(z_l)              each hidden layer
    dW_l    = a_{l-1}.T @ delta_l,   db_l = delta_l summed over the examples

(scale: 1/n for a mean over the n examples, 1 for a sum). A :class:`Twist` is one
mistake in that chain -- a layer's slope missing, another activation's, taken of
z, the ReLU mask on the gradient or a itself, the output delta's extra slope or
misplaced one-hot term -- and :func:`catalogue` lists the twists a description
admits, each with its words, the layer first (the output) that it changes. The
mistakes made on one returned array alone (its layout, a bias not summed, the
mean's 1/n) are read from the array (reference/judge/described.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Mapping, Tuple

import numpy as np

from reference.judge.catalogue import RELU, SIGMOID, TANH, Slope
from reference.witnesses.networks import Description, forward

Array = np.ndarray

#: Each activation's slope, as a student writes it: the catalogue's table of slopes
#: (reference/judge/catalogue.py), by the activation's name.
SLOPE_OF: Dict[str, Slope] = {"sigmoid": SIGMOID, "tanh": TANH, "relu": RELU}


@dataclass(frozen=True)
class Twist:
    """One mistake in the chain: at ``layer`` (1 .. L), the slope taken as ``slope``
    ("none", another activation's name, "of z", "mask of gradient", "times a") or, at
    a fused output delta, ``output`` ("extra slope", "p alone", "p - 1")."""

    layer: int
    slope: str = ""
    output: str = ""


@dataclass(frozen=True)
class Mistake:
    """A twist of the catalogue: its ``name`` (the gradebook's), its ``words`` and the
    quantity it starts in (a layer's delta, by the description's names)."""

    name: str
    words: str
    twist: Twist
    origin: str


def delta_name(d: Description, layer: int) -> str:
    """The name of layer ``layer``'s delta dL/dz: 'dZ2' where the weights are upper case
    ('W2'), else 'dz2'."""
    return f"d{'Z' if d.named('W', layer)[0].isupper() else 'z'}{layer}"


def _names(d: Description, layer: int) -> Tuple[str, str]:
    """The layer's activation and logit, as the words write them: ('a1', 'z1')."""
    upper = d.named("W", layer)[0].isupper()
    return (f"{'A' if upper else 'a'}{layer}", f"{'Z' if upper else 'z'}{layer}")


def _slope_words(d: Description, layer: int, which: str) -> str:
    a, z = _names(d, layer)
    return SLOPE_OF[which].formula.format(a=a, z=z)


def catalogue(d: Description) -> List[Mistake]:
    """Every twist the description admits, the output layer's first."""
    found: List[Mistake] = []
    for layer in range(d.layers, 0, -1):
        if layer == d.layers and d.loss in ("bce", "softmax-ce"):
            found += _fused_output(d, layer)
        elif d.activations[layer - 1] != "identity":
            found += _slopes(d, layer)
    return found


def _fused_output(d: Description, layer: int) -> List[Mistake]:
    """The mistakes of an output delta whose slope cancels with its loss (a sigmoid with
    the binary cross-entropy, a softmax with its cross-entropy): (a - y) scale."""
    act, delta = d.activations[layer - 1], delta_name(d, layer)
    p = "p" if act == "softmax" else _names(d, layer)[0]
    right = f"{delta} = {p} - {'y' if d.parameters[1].islower() else 'Y'}"
    loss = {"bce": "the binary cross-entropy", "softmax-ce": "the softmax cross-entropy"}[d.loss]
    found = [
        Mistake("extra slope at the output", f"{delta} multiplied by the {act}'s slope"
                f" {p} (1 - {p}) as well: with {loss} the slope cancels, {right}",
                Twist(layer, output="extra slope"), delta),
        Mistake("one-hot term missing", f"the labels left out of {delta}: {p} alone instead"
                f" of {right.split(' = ')[1]}", Twist(layer, output="p alone"), delta),
    ]  # fmt: skip
    if act == "softmax":
        said = (f"1 subtracted from every class's p in {delta} (p - 1), not at the"
                f" label's class alone (p - y)")  # fmt: skip
        found.append(Mistake("1 subtracted at every class", said, Twist(layer, output="p - 1"),
                             delta))  # fmt: skip
    return found


def _slopes(d: Description, layer: int) -> List[Mistake]:
    """The mistakes in a layer's slope: missing, another activation's, taken of z, and
    ReLU's mask taken of the gradient or the activation used for it."""
    act, delta = d.activations[layer - 1], delta_name(d, layer)
    at = "the output" if layer == d.layers else "the hidden layer"
    where = "output" if layer == d.layers else "hidden"
    if d.layers > 2 and layer < d.layers:
        at, where = f"layer {layer}", f"layer {layer}"
    a, z = _names(d, layer)
    right = _slope_words(d, layer, act)
    found = [Mistake(f"{where} slope missing", f"{where} {act} slope {right} missing from"
                     f" {delta}", Twist(layer, "none"), delta)]  # fmt: skip
    found += [Mistake(f"{other} slope at {at}", f"{where} slope taken as {other}'s"
                      f" {_slope_words(d, layer, other)} instead of {act}'s {right} in {delta}",
                      Twist(layer, other), delta)
              for other in SLOPE_OF if other != act]  # fmt: skip
    if act in ("sigmoid", "tanh"):
        of_z = SLOPE_OF[act].formula.format(a=z, z=z)
        found.append(Mistake(f"{where} slope of z", f"{where} slope taken of the"
                             f" pre-activation: {of_z} instead of {right} in {delta}",
                             Twist(layer, "of z"), delta))  # fmt: skip
    if act == "relu":
        up = f"d{a}"
        found.append(Mistake(f"relu mask of the gradient at {at}", f"{where} ReLU mask taken of"
                             f" the gradient ({up} > 0) instead of the pre-activation ({z} > 0)"
                             f" in {delta}", Twist(layer, "mask of gradient"), delta))  # fmt: skip
        found.append(Mistake(f"relu times a at {at}", f"{where} ReLU slope taken as {a} itself"
                             f" instead of the mask ({z} > 0) in {delta}", Twist(layer, "times a"),
                             delta))  # fmt: skip
    return found


@dataclass(frozen=True)
class Backward:
    """The backward pass at one point (rows layout): each weight's gradient by name, and
    each layer's delta dL/dz (n, units), by layer."""

    gradients: Dict[str, Array]
    deltas: Dict[int, Array]


def backward(
    d: Description, x: Array, y: Array, weights: Mapping[str, Array], twist: Twist = Twist(0)
) -> Backward:
    """Every weight's gradient and every layer's delta, with ``twist``."""
    layers = forward(d, x, weights)
    scale = 1 / len(x) if d.reduction == "mean" else 1.0
    grads: Dict[str, Array] = {}
    deltas: Dict[int, Array] = {}
    upstream = np.zeros(0)
    for layer in range(d.layers, 0, -1):
        z, a = layers[layer - 1]
        mine = twist.layer == layer
        if layer == d.layers and d.loss != "mse":
            delta = _output_delta(a, y, scale, twist.output if mine else "")
        elif layer == d.layers:
            upstream = (2 / d.divisor) * (a - y) * scale
            delta = upstream * _slope(d.activations[-1], a, z, upstream,
                                      twist.slope if mine else "")  # fmt: skip
        else:
            upstream = delta @ weights[d.named("W", layer + 1)].T
            delta = upstream * _slope(d.activations[layer - 1], a, z, upstream,
                                      twist.slope if mine else "")  # fmt: skip
        deltas[layer] = delta
        below = layers[layer - 2][1] if layer > 1 else x
        grads[d.named("W", layer)] = below.T @ delta
        if d.biases:
            grads[d.named("b", layer)] = delta.sum(axis=0)
    return Backward(grads, deltas)


def _output_delta(a: Array, y: Array, scale: float, how: str) -> Array:
    """A fused output delta (bce, softmax-ce): (a - y) scale, or a twist of it."""
    if how == "extra slope":
        return np.asarray((a - y) * a * (1 - a) * scale)
    if how == "p alone":
        return a * scale
    if how == "p - 1":
        return (a - 1) * scale
    return np.asarray((a - y) * scale)


def _slope(act: str, a: Array, z: Array, upstream: Array, how: str) -> Array:
    """A layer's slope: its activation's (``how`` ""), or a twist of it."""
    if how == "none" or (act == "identity" and not how):
        return np.ones_like(a)
    if how == "of z":
        return np.asarray(SLOPE_OF[act].of(z, z))
    if how == "mask of gradient":
        return (upstream > 0).astype(float)
    if how == "times a":
        return a
    slope: Array = np.asarray(SLOPE_OF[how or act].of(a, z))
    return slope
