"""The plan a described network is run at (reference/judge/described.py), each value
derived from its docstring: the other hidden sizes (each hidden size s as s - 2, s + 1
where that is below 2, then s + 3), said as the contract's "sizes" part; each seed's
batch (the first four numbers from c + 1, 3 at least, that are none of the sizes); the
arguments in the description's layout; and a bias gradient summed over every axis read
as the one number it holds."""

import numpy as np
import pytest

from reference.judge.described import arguments, batch_sizes, hidden_sizes, plan, read
from reference.judge.described_verdict import parts
from reference.witnesses.networks import parse


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
