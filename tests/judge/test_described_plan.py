"""The plan a described network is run at (reference/judge/described.py), each value
derived from its docstring: the other hidden sizes (each hidden size s as s - 2, s + 1
where that is below 2, then s + 3), said as the contract's "sizes" part; each seed's
batch (the first four numbers from c + 1, 3 at least, that are none of the sizes); the
arguments in the description's layout; and a bias gradient summed over every axis read
as the one number it holds."""

import numpy as np
import pytest

from reference.judge import described
from reference.judge.described import (
    KINK_MARGIN,
    LOGIT_BOUND,
    Point,
    _bounded,
    _clear_of_kinks,
    _draw,
    arguments,
    batch_sizes,
    hidden_sizes,
    labels,
    plan,
    point,
    read,
)
from reference.judge.described_verdict import parts
from reference.witnesses.compare import errors
from reference.witnesses.networks import forward, parse
from reference.witnesses.tolerances import FORWARD, ONE_ULP


def _network(sizes, layout="rows", biases=True):
    """Hidden ReLUs and a softmax output, a mean, in ``layout``."""
    w, x = ("W", "X") if layout == "columns" else ("w", "x")
    weights = [n for k in range(1, len(sizes)) for n in (f"{w}{k}", f"b{k}")[: 1 + biases]]
    return parse(dict(sizes=sizes, activations=["relu"] * (len(sizes) - 2) + ["softmax"],
                      biases=biases, loss="softmax-ce", reduction="mean", layout=layout,
                      parameters=[x, x.replace("x", "y").replace("X", "Y"), *weights],
                      returns=[f"d{n}" for n in weights]), "mine.toml")  # fmt: skip


#: A hidden size and the other two it is run at: s - 2 where that is 2 or more, else
#: s + 1 (so never s itself, never below 2), then s + 3.
OTHERS = {1: (2, 4), 2: (3, 5), 3: (4, 6), 4: (2, 7), 5: (3, 8), 6: (4, 9)}


@pytest.mark.parametrize("s", sorted(OTHERS))
def test_each_hidden_size_is_also_run_at_two_others(s):
    smaller, larger = OTHERS[s]
    assert hidden_sizes(_network([6, s, 3])) == [(6, s, 3), (6, smaller, 3), (6, larger, 3)]


def test_every_hidden_layer_of_three_changes_size_and_one_layer_has_none_to_change():
    assert hidden_sizes(_network([2, 3, 6, 4])) == [(2, 3, 6, 4), (2, 4, 4, 4), (2, 6, 9, 4)]
    assert hidden_sizes(_network([5, 3])) == [(5, 3)]


def test_the_other_sizes_are_the_contracts_part_said_with_each():
    """Each returned gradient is a part, and "sizes" the other hidden sizes, dash-joined,
    comma-separated; one layer has no other sizes."""
    two = _network([6, 5, 3])
    assert parts(two) == {"dw1": "dw1", "db1": "db1", "dw2": "dw2", "db2": "db2",
                          "sizes": "other hidden sizes (6-3-3, 6-8-3)"}  # fmt: skip
    three = _network([2, 3, 6, 4], biases=False)
    assert parts(three) == {"dw1": "dw1", "dw2": "dw2", "dw3": "dw3",
                            "sizes": "other hidden sizes (2-4-4-4, 2-6-9-4)"}  # fmt: skip
    assert parts(_network([5, 3])) == {"dw1": "dw1", "db1": "db1"}


@pytest.mark.parametrize(("sizes", "wanted"), [
    ((2, 4), [5, 6, 7, 8]),  # from c + 1 = 5
    ((6, 1), [3, 4, 5, 7]),  # from 3 (c + 1 = 2 is below it), 6 a size
    ((3, 5, 1), [4, 6, 7, 8]),  # from 3: 3 and 5 sizes
    ((4, 6, 5, 2), [3, 7, 8, 9]),  # from 3: 4, 5, 6 sizes
])  # fmt: skip
def test_each_seeds_batch_is_the_next_of_four_numbers_none_a_size(sizes, wanted):
    assert batch_sizes(sizes) == wanted


def test_the_arguments_are_in_the_descriptions_layout_and_order():
    """Rows: x (n, d), y (n, c), each weight as the plan holds it; columns: X (d, n),
    Y (c, n), W (out, in), b (out, 1)."""
    for layout in ("rows", "columns"):
        d = _network([4, 5, 3], layout=layout)
        p = plan(d)[0]
        found = arguments(d, p)
        w1, b1, w2, b2 = (p.weights[n] for n in d.weights)
        wanted = (
            (p.x, p.y, w1, b1, w2, b2)
            if layout == "rows"
            else (p.x.T, p.y.T, w1.T, b1[:, None], w2.T, b2[:, None])
        )
        assert [a.shape for a in found] == [v.shape for v in wanted], layout
        assert all(np.array_equal(a, v) for a, v in zip(found, wanted)), layout


def test_a_bias_gradient_summed_over_every_axis_is_read_as_one_number():
    """db1 (5, 1) returned as [[s]] (columns), or [s] (rows): the shape is said as
    returned, the values are the one number s, with no axis."""
    for layout, returned in (("columns", np.array([[2.5]])), ("rows", np.array([2.5]))):
        d = _network([4, 5, 3], layout=layout)
        p = plan(d)[0]
        deltas = {1: np.ones((len(p.x), 5)), 2: np.ones((len(p.x), 3))}
        found = read(d, "db1", returned, p, deltas)
        assert (found.form, found.shape) == ("every axis", returned.shape)
        assert found.values.shape == () and float(found.values) == 2.5


def test_seed_one_leaves_out_the_last_class_and_the_others_take_turns():
    """At seed 1 with c >= 3 the last class is absent: 8 examples over the 3 classes left
    take turns, 3, 3 and 2 of them; at seed 0 every class is there (2 each of 4)."""
    rng = np.random.default_rng(0)
    assert labels(rng, 8, 4, seed=1).sum(axis=0).tolist() == [3, 3, 2, 0]
    assert labels(rng, 8, 4, seed=0).sum(axis=0).tolist() == [2, 2, 2, 2]


def test_each_points_words_say_its_seed_its_start_its_sizes_and_its_examples():
    """The words are the catalogue's "seed {seed}[, hidden weights x 8 (saturated)],
    sizes {sizes}, {n} examples": saturated at seed 3 only, and only with a hidden layer
    to saturate; n is the seed's batch (4-5-3: 6, 7, 8, 9; 5-3: 4, 6, 7, 8)."""
    d = _network([4, 5, 3])
    found = [point(d, (4, 5, 3), seed, 0).label for seed in range(4)]
    assert found == ["seed 0, sizes 4-5-3, 6 examples", "seed 1, sizes 4-5-3, 7 examples",
                     "seed 2, sizes 4-5-3, 8 examples",
                     "seed 3, hidden weights x 8 (saturated), sizes 4-5-3, 9 examples"]  # fmt: skip
    assert point(_network([5, 3]), (5, 3), 3, 0).label == "seed 3, sizes 5-3, 8 examples"


def test_a_point_is_drawn_again_the_same_with_its_weights_in_the_descriptions_order():
    """The plan is the same for every submission, in every process (its draws are seeded
    by the seed, the attempt and the sizes), and its weights are in the order the
    description takes them (the floor carries the output's deltas back through them)."""
    d = _network([4, 5, 3])
    first, again = point(d, (4, 5, 3), 2, 1), point(d, (4, 5, 3), 2, 1)
    assert first.group == 1 and list(first.weights) == list(d.weights)
    assert np.array_equal(first.x, again.x) and np.array_equal(first.y, again.y)
    assert all(np.array_equal(first.weights[n], again.weights[n]) for n in d.weights)


def _spread(d, seed, name):
    """The spread of one weight's entries at a draw of 100-60-50 at ``seed``."""
    return float(_draw(d, (100, 60, 50), seed, 0).weights[name].std())


def test_seed_three_multiplies_the_hidden_layers_weights_and_biases_by_eight_only():
    """Seed 3's hidden weights and biases are 8 times as spread as seed 0's (6000 and 60
    entries: 8 within their sampling error), the output layer's as spread as seed 0's
    (3000 and 50 entries); seeds 1 and 2 are as spread as seed 0."""
    d = _network([100, 60, 50])
    for name, low, high in (("w1", 7.5, 8.5), ("b1", 6.0, 10.5)):
        assert low < _spread(d, 3, name) / _spread(d, 0, name) < high, name
        for seed in (1, 2):
            assert 0.7 < _spread(d, seed, name) / _spread(d, 0, name) < 1.4, (name, seed)
    for name in ("w2", "b2"):
        assert 0.7 < _spread(d, 3, name) / _spread(d, 0, name) < 1.4, name


def test_the_output_layers_weights_alone_are_scaled_to_bring_its_logits_to_four():
    """A saturated draw whose logits pass 4: the output layer's weight and bias are
    multiplied by 4 / max |z|, the hidden layer's left as they are; the largest logit is
    then 4 exactly (to rounding). A draw within 4 is left whole."""
    d = _network([6, 20, 3])
    p = _draw(d, (6, 20, 3), 3, 0)
    top = float(np.abs(forward(d.at(p.sizes), p.x, p.weights)[-1][0]).max())
    assert top > LOGIT_BOUND  # so that there is something to bound
    found = _bounded(d, p)
    assert all(found.weights[n] is p.weights[n] for n in ("w1", "b1"))
    for n in ("w2", "b2"):
        assert errors(found.weights[n], p.weights[n] * (4 / top))[1] <= ONE_ULP, n
    z = forward(d.at(p.sizes), found.x, found.weights)[-1][0]
    assert abs(float(np.abs(z).max()) - 4) <= 4 * FORWARD  # a forward pass's rounding
    small = Point(p.label, 0, p.sizes, p.x * 0, p.y, {n: v * 0 for n, v in p.weights.items()})
    assert _bounded(d, small) is small


def _one_unit(z1, z2):
    """A point of 1-1-2 (ReLU, softmax) at one example whose hidden pre-activation is
    ``z1`` (> 0) and whose logits are (z2, z1): x = 1, w1 = z1, w2 = (z2 / z1, 1)."""
    weights = {"w1": np.array([[z1]]), "b1": np.zeros(1),
               "w2": np.array([[z2 / z1, 1.0]]), "b2": np.zeros(2)}  # fmt: skip
    return Point("", 0, (1, 1, 2), np.ones((1, 1)), np.array([[1.0, 0.0]]), weights)


def test_a_relu_unit_at_the_margin_is_clear_of_its_kink_and_other_units_are_not_asked():
    """Clear: no ReLU unit nearer its kink than 1e-6, so 1e-6 exactly is clear; a logit
    of 0 (softmax, no kink) does not count; a ReLU unit at half the margin is not clear."""
    d = _network([1, 1, 2])
    assert _clear_of_kinks(d, _one_unit(KINK_MARGIN, 0.0))
    assert not _clear_of_kinks(d, _one_unit(KINK_MARGIN / 2, 1.0))


def test_no_draw_clear_of_the_kinks_is_said_with_the_sizes(monkeypatch):
    d = _network([4, 5, 3])
    monkeypatch.setattr(described, "_clear_of_kinks", lambda d, p: False)
    with pytest.raises(ValueError) as told:
        point(d, (4, 5, 3), 0, 0)
    assert str(told.value) == (
        "--network: no inputs found that keep every ReLU unit clear of its kink at sizes"
        " 4-5-3 (a ReLU layer of one unit without a bias?)"
    )
