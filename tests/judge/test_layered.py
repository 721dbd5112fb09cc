"""The judge's own backward pass and its catalogue of mistakes (reference/judge/layered.py),
each checked against its formula written out here (tests/judge/test_described.py writes
its students from the judge's own twisted gradients, so a twist computed wrong there
changes the student and the judge alike): every twist's gradients -- a layer's slope
missing, another activation's, taken of z, ReLU's mask taken of the upstream gradient or
a itself, the output delta's extra slope, p alone, p - 1 -- each at its own layer only,
the bias gradient summed over the examples, float64 throughout; and every twist's name
and words in the description's own names ('A1', 'Z1', 'dZ1' where the weights are upper
case, 'a1', 'z1', 'dz1' where not), the hidden layers of three said as 'layer l'."""

import numpy as np
import pytest

from reference.judge.layered import Twist, backward, catalogue
from reference.witnesses.compare import errors
from reference.witnesses.networks import parse
from reference.witnesses.tolerances import GRADIENT

N = 5  # examples at every point here: a mean's scale is 1/5


def _network(sizes, activations, loss="mse", layout="rows", biases=True):
    """A description of this file's own (the squared error's divisor 2, a mean)."""
    w, x = ("W", "X") if layout == "columns" else ("w", "x")
    weights = [n for k in range(1, len(sizes)) for n in (f"{w}{k}", f"b{k}")[: 1 + biases]]
    data = dict(sizes=sizes, activations=activations, biases=biases, loss=loss,
                reduction="mean", layout=layout,
                parameters=[x, x.replace("x", "y").replace("X", "Y"), *weights],
                returns=[f"d{n}" for n in weights])  # fmt: skip
    if loss == "mse":
        data["divisor"] = 2
    return parse(data, "mine.toml")


def _point(d, seed=7):
    """x (5, inputs), y (one-hot for a cross-entropy, labels 0 and 1 for one output, in
    [0, 1] for the squared error) and the weights, rows layout, by name."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, d.sizes[0]))
    c = d.sizes[-1]
    y = rng.uniform(0, 1, (N, c))
    if d.loss != "mse":
        y = np.eye(c)[np.arange(N) % c] if c > 1 else (np.arange(N) % 2.0)[:, None]
    weights = {}
    for k in range(1, d.layers + 1):
        weights[d.named("W", k)] = rng.normal(size=d.sizes[k - 1 : k + 1])
        if d.biases:
            weights[d.named("b", k)] = rng.normal(size=d.sizes[k])
    return x, y, weights


ACTIVATION = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "identity": lambda z: z,
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
}
#: Each slope as a function of (z, a, upstream): the activations' own and the twists'.
ONE = lambda z, a, u: np.ones_like(z)  # noqa: E731
SIGMOID = lambda z, a, u: a * (1 - a)  # noqa: E731
TANH = lambda z, a, u: 1 - a**2  # noqa: E731
RELU = lambda z, a, u: (z > 0).astype(float)  # noqa: E731
SLOPE = {"sigmoid": SIGMOID, "tanh": TANH, "relu": RELU, "identity": ONE}
MASK_OF_GRADIENT = lambda z, a, u: (u > 0).astype(float)  # noqa: E731
TIMES_A = lambda z, a, u: a  # noqa: E731
SIGMOID_OF_Z = lambda z, a, u: z * (1 - z)  # noqa: E731
TANH_OF_Z = lambda z, a, u: 1 - z**2  # noqa: E731


def _by_hand(d, x, y, w, slopes=None, output=None):
    """The gradients written out: z_l = a_{l-1} W_l + b_l, a_l = act_l(z_l); at the output
    delta_L = (a_L - y) / n (a cross-entropy; ``output(a, y) / n`` in its place) or
    u_L act_L'(z_L) with u_L = (2 / 2) (a_L - y) / n (the squared error); below it
    delta_l = u_l act_l'(z_l) with u_l = delta_{l+1} W_{l+1}^T; ``slopes``, by layer, a
    slope(z, a, u) in place of act_l'; dW_l = a_{l-1}^T delta_l, db_l = delta_l summed
    over the examples. Also returns every u_l, by layer."""
    zs, acts = [], [x]
    for k in range(1, d.layers + 1):
        z = acts[-1] @ w[d.named("W", k)] + (w[d.named("b", k)] if d.biases else 0.0)
        zs.append(z)
        acts.append(ACTIVATION[d.activations[k - 1]](z))
    slope = {k: SLOPE.get(act) for k, act in enumerate(d.activations, 1)} | (slopes or {})
    grads, ups, delta = {}, {}, None
    for k in range(d.layers, 0, -1):
        z, a = zs[k - 1], acts[k]
        if k == d.layers and d.loss != "mse":
            delta = (output or (lambda a, y: a - y))(a, y) / N
        else:
            u = (a - y) / N if k == d.layers else delta @ w[d.named("W", k + 1)].T
            ups[k] = u
            delta = u * slope[k](z, a, u)
        grads[d.named("W", k)] = acts[k - 1].T @ delta
        if d.biases:
            grads[d.named("b", k)] = delta.sum(axis=0)
    return grads, ups


def _same(found, wanted, what=""):
    assert set(found) == set(wanted), what
    for name, g in wanted.items():
        assert found[name].dtype == np.float64, (what, name)  # a float array, never objects
        assert errors(found[name], g)[1] <= GRADIENT, (what, name)


#: Three layers, columns: the output's sigmoid (squared error), a ReLU, a tanh; each
#: twist of the catalogue, output first, and its slope at its layer.
THREE = _network([3, 4, 4, 2], ["tanh", "relu", "sigmoid"], layout="columns", biases=False)
THREE_TWISTS = {
    "output slope missing": {3: ONE},
    "tanh slope at the output": {3: TANH},
    "relu slope at the output": {3: RELU},
    "output slope of z": {3: SIGMOID_OF_Z},
    "layer 2 slope missing": {2: ONE},
    "sigmoid slope at layer 2": {2: SIGMOID},
    "tanh slope at layer 2": {2: TANH},
    "relu mask of the gradient at layer 2": {2: MASK_OF_GRADIENT},
    "relu times a at layer 2": {2: TIMES_A},
    "layer 1 slope missing": {1: ONE},
    "sigmoid slope at layer 1": {1: SIGMOID},
    "relu slope at layer 1": {1: RELU},
    "layer 1 slope of z": {1: TANH_OF_Z},
}
#: Two layers, rows, biases: ReLU at the hidden layer and at the output (squared error).
RELUS = _network([3, 4, 3], ["relu", "relu"])
RELUS_TWISTS = {
    "output slope missing": {2: ONE},
    "sigmoid slope at the output": {2: SIGMOID},
    "tanh slope at the output": {2: TANH},
    "relu mask of the gradient at the output": {2: MASK_OF_GRADIENT},
    "relu times a at the output": {2: TIMES_A},
    "hidden slope missing": {1: ONE},
    "sigmoid slope at the hidden layer": {1: SIGMOID},
    "tanh slope at the hidden layer": {1: TANH},
    "relu mask of the gradient at the hidden layer": {1: MASK_OF_GRADIENT},
    "relu times a at the hidden layer": {1: TIMES_A},
}


@pytest.mark.parametrize(("d", "twists"), [(THREE, THREE_TWISTS), (RELUS, RELUS_TWISTS)],
                         ids=["three layers", "relu at both"])  # fmt: skip
def test_each_slope_twist_is_its_formula_at_its_own_layer_alone(d, twists):
    x, y, w = _point(d)
    assert [m.name for m in catalogue(d)] == list(twists)
    _same(backward(d, x, y, w).gradients, _by_hand(d, x, y, w)[0], "right")
    for m in catalogue(d):
        (layer,) = twists[m.name]
        assert m.twist.layer == layer and m.twist.output == ""
        _same(backward(d, x, y, w, m.twist).gradients, _by_hand(d, x, y, w, twists[m.name])[0],
              m.name)  # fmt: skip


def test_relus_mask_of_the_gradient_is_taken_where_the_upstream_gradient_is_0_to_1():
    """(u > 0) and not, say, (u > 1): at both layers some u lies in (0, 1] (a mean's
    1/5), where the mask is 1 and the twist's delta is u itself."""
    x, y, w = _point(RELUS)
    ups = _by_hand(RELUS, x, y, w)[1]
    assert all(((0 < ups[k]) & (ups[k] <= 1)).any() for k in (1, 2))
    for layer in (1, 2):
        got = backward(RELUS, x, y, w, Twist(layer, "mask of gradient")).deltas[layer]
        u = _by_hand(RELUS, x, y, w, {layer: MASK_OF_GRADIENT})[1][layer]
        assert errors(got, np.where(u > 0, u, 0.0))[1] <= GRADIENT, layer


def test_a_relus_slope_taken_of_z_is_its_own_and_an_identity_layer_has_slope_one():
    """ReLU's slope (z > 0) is already of z: its "of z" twist is the right pass; a layer
    with no activation multiplies by ones (float64, as every gradient)."""
    x, y, w = _point(RELUS)
    for layer in (1, 2):
        _same(backward(RELUS, x, y, w, Twist(layer, "of z")).gradients,
              _by_hand(RELUS, x, y, w)[0], f"of z at {layer}")  # fmt: skip
    flat = _network([3, 4, 3], ["identity", "identity"])
    x, y, w = _point(flat)
    _same(backward(flat, x, y, w).gradients, _by_hand(flat, x, y, w)[0], "identity")
    _same(backward(flat, x, y, w, Twist(1, "none")).gradients, _by_hand(flat, x, y, w)[0],
          "identity, slope none")  # fmt: skip


BCE = _network([3, 4, 1], ["tanh", "sigmoid"], loss="bce")
SOFTMAX = _network([3, 4, 3], ["identity", "softmax"], loss="softmax-ce", layout="columns")


@pytest.mark.parametrize(("d", "outputs"), [
    (BCE, {"extra slope at the output": lambda a, y: (a - y) * a * (1 - a),
           "one-hot term missing": lambda a, y: a}),
    (SOFTMAX, {"extra slope at the output": lambda a, y: (a - y) * a * (1 - a),
               "one-hot term missing": lambda a, y: a,
               "1 subtracted at every class": lambda a, y: a - 1}),
], ids=["bce", "softmax-ce"])  # fmt: skip
def test_each_fused_output_twist_is_its_formula(d, outputs):
    """(a - y) a (1 - a) / n, a / n, (a - 1) / n in place of (a - y) / n; the layers below
    as they are (an identity layer admits no twist of its own)."""
    x, y, w = _point(d)
    hidden = [f"{s} slope at the hidden layer" for s in ("sigmoid", "relu")]
    names = [m.name for m in catalogue(d)]
    assert names == list(outputs) + (["hidden slope missing", *hidden, "hidden slope of z"]
                                     if d is BCE else [])  # fmt: skip
    for m in catalogue(d)[: len(outputs)]:
        assert m.twist == Twist(2, output=m.twist.output)
        _same(backward(d, x, y, w, m.twist).gradients,
              _by_hand(d, x, y, w, output=outputs[m.name])[0], m.name)  # fmt: skip


def test_an_output_twist_at_a_layer_not_the_output_changes_nothing():
    """A twist is at its layer: "p alone" at layer 1 (or at none, layer 0) leaves the
    output delta (a - y) / n."""
    x, y, w = _point(BCE)
    for layer in (0, 1):
        _same(backward(BCE, x, y, w, Twist(layer, output="p alone")).gradients,
              _by_hand(BCE, x, y, w)[0], f"p alone at {layer}")  # fmt: skip


def test_every_twists_words_are_in_the_descriptions_own_names():
    """Upper case 'W1': 'A1', 'Z1' and 'dZ1'; a network of three layers says 'layer 2' of
    a hidden layer and 'output' of the last; lower case 'w1': 'a1', 'z1', 'dz1', 'the
    hidden layer'. Each twist starts in its own layer's delta."""
    three = [
        ("output slope missing", "output sigmoid slope A3 (1 - A3) missing from dZ3"),
        ("tanh slope at the output",
         "output slope taken as tanh's 1 - A3^2 instead of sigmoid's A3 (1 - A3) in dZ3"),
        ("relu slope at the output",
         "output slope taken as relu's (Z3 > 0) instead of sigmoid's A3 (1 - A3) in dZ3"),
        ("output slope of z",
         "output slope taken of the pre-activation: Z3 (1 - Z3) instead of A3 (1 - A3) in dZ3"),
        ("layer 2 slope missing", "layer 2 relu slope (Z2 > 0) missing from dZ2"),
        ("sigmoid slope at layer 2",
         "layer 2 slope taken as sigmoid's A2 (1 - A2) instead of relu's (Z2 > 0) in dZ2"),
        ("tanh slope at layer 2",
         "layer 2 slope taken as tanh's 1 - A2^2 instead of relu's (Z2 > 0) in dZ2"),
        ("relu mask of the gradient at layer 2", "layer 2 ReLU mask taken of the gradient"
         " (dA2 > 0) instead of the pre-activation (Z2 > 0) in dZ2"),
        ("relu times a at layer 2",
         "layer 2 ReLU slope taken as A2 itself instead of the mask (Z2 > 0) in dZ2"),
        ("layer 1 slope missing", "layer 1 tanh slope 1 - A1^2 missing from dZ1"),
        ("sigmoid slope at layer 1",
         "layer 1 slope taken as sigmoid's A1 (1 - A1) instead of tanh's 1 - A1^2 in dZ1"),
        ("relu slope at layer 1",
         "layer 1 slope taken as relu's (Z1 > 0) instead of tanh's 1 - A1^2 in dZ1"),
        ("layer 1 slope of z",
         "layer 1 slope taken of the pre-activation: 1 - Z1^2 instead of 1 - A1^2 in dZ1"),
    ]  # fmt: skip
    assert [(m.name, m.words) for m in catalogue(THREE)] == three
    assert [m.origin for m in catalogue(THREE)] == ["dZ3"] * 4 + ["dZ2"] * 5 + ["dZ1"] * 4
    relus = [
        ("output slope missing", "output relu slope (z2 > 0) missing from dz2"),
        ("sigmoid slope at the output",
         "output slope taken as sigmoid's a2 (1 - a2) instead of relu's (z2 > 0) in dz2"),
        ("tanh slope at the output",
         "output slope taken as tanh's 1 - a2^2 instead of relu's (z2 > 0) in dz2"),
        ("relu mask of the gradient at the output", "output ReLU mask taken of the gradient"
         " (da2 > 0) instead of the pre-activation (z2 > 0) in dz2"),
        ("relu times a at the output",
         "output ReLU slope taken as a2 itself instead of the mask (z2 > 0) in dz2"),
        ("hidden slope missing", "hidden relu slope (z1 > 0) missing from dz1"),
        ("sigmoid slope at the hidden layer",
         "hidden slope taken as sigmoid's a1 (1 - a1) instead of relu's (z1 > 0) in dz1"),
        ("tanh slope at the hidden layer",
         "hidden slope taken as tanh's 1 - a1^2 instead of relu's (z1 > 0) in dz1"),
        ("relu mask of the gradient at the hidden layer", "hidden ReLU mask taken of the"
         " gradient (da1 > 0) instead of the pre-activation (z1 > 0) in dz1"),
        ("relu times a at the hidden layer",
         "hidden ReLU slope taken as a1 itself instead of the mask (z1 > 0) in dz1"),
    ]  # fmt: skip
    assert [(m.name, m.words) for m in catalogue(RELUS)] == relus
    assert [m.origin for m in catalogue(RELUS)] == ["dz2"] * 5 + ["dz1"] * 5
