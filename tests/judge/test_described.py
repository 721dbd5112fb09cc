"""The verdict on a described network's backprop (reference/judge/described_verdict.py)
on answers made here: each student written as a formula of the judge's own gradients
(tests.helpers.run_described), handed to the judge as a child would report it, so that
every word can be derived from the formula: each mistake of the catalogue named for
every built-in, the shape said beside the values, the 1/n of a mean, the sign, a factor,
the order returned, an answer that changes between calls, where to look."""

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from reference.judge import StudentError, described_contract, diagnose_described
from reference.judge.answers import FLOAT32_ROUNDING, FLOAT64
from reference.judge.contract import Contract
from reference.judge.described import expected, near, plan
from reference.judge.languages import said
from reference.judge.layered import Mistake, Twist, catalogue
from reference.witnesses.compare import errors
from reference.witnesses.networks import BUILT_IN, parse
from reference.witnesses.tolerances import GRADIENT
from tests.helpers import english_left, run_described, twisted

SOFTMAX = BUILT_IN["relu-softmax"]
COLUMNS = BUILT_IN["columns"]
BIAS = BUILT_IN["article-bias"]
CE = "the softmax cross-entropy -sum(y log p), averaged over the examples"


def judged(d, student, **kw):
    return diagnose_described(run_described(d, student, **kw), d)


def test_a_correct_student_is_correct_in_every_word():
    found = judged(SOFTMAX, lambda i, right, e: right)
    assert found.ok and found.origin is None and found.pointer == "" and found.notes == []
    assert found.text().splitlines() == [
        f"checking f(x, y, w1, b1, w2, b2) -> (dw1, db1, dw2, db2) against {CE} (network"
        " relu-softmax)",
        "run at: 12 points; sizes 6-5-3, 6-3-3, 6-8-3; batches of 4 to 9 examples, every class"
        " among the labels but at seed 1 (the last absent); seeds 0..2 and a saturated start;"
        " the first point twice",
        *(f"{r}: correct for {CE} (largest relative difference 0e+00)" for r in SOFTMAX.returns),
        f"ok: every gradient is the gradient of {CE}",
    ]
    assert found.parts == {"dw1": True, "db1": True, "dw2": True, "db2": True, "sizes": True}
    assert found.score == 5 and found.as_dict()["network"] == "relu-softmax"


@pytest.mark.parametrize("network", sorted(BUILT_IN))
def test_every_mistake_of_the_catalogue_is_named_where_it_starts(network):
    d = BUILT_IN[network]
    for m in catalogue(d):
        found = judged(d, lambda i, right, e, m=m: twisted(d, e, m.name))
        changed = [v for v in found.layers if not v.correct]
        assert changed and not found.ok, m.name
        assert all(v.mistakes == [m.name] and f"matches *{m.words}*" in v.words for v in changed)
        assert found.origin == m.origin and found.pointer == (
            f"look at the line that computes {m.origin}: {m.words}")  # fmt: skip
        assert {f"d{v.name}" for v in changed} >= {r for r in d.returns if r[-1] == m.origin[-1]}


def test_the_mean_lost_in_every_gradient_starts_at_the_output_delta():
    n = {i: len(p.x) for i, p in enumerate(plan(SOFTMAX))}
    found = judged(SOFTMAX, lambda i, right, e: {r: n[i] * g for r, g in right.items()})
    assert [v.mistakes for v in found.layers] == [["1/n of the mean lost"]] * 4
    assert found.origin == "dz2" and found.pointer.startswith(
        "look at where the 1/n is applied (in dz2, or in each gradient's own line): every"
        " gradient has one mistake, the mean's 1/n lost"
    )


def test_a_scale_in_one_gradient_is_said_of_it_alone():
    n = {i: len(p.x) for i, p in enumerate(plan(SOFTMAX))}
    cases = [(lambda i: 1 / n[i], "1/n of the mean taken twice"), (lambda i: -1.0, "sign flipped"),
             (lambda i: 0.5, "constant factor")]  # fmt: skip
    for factor, name in cases:
        found = judged(SOFTMAX, lambda i, right, e, k=factor: {**right, "dw1": k(i) * right["dw1"]})
        assert [v.mistakes for v in found.layers] == [[name], [], [], []]
        assert found.origin == "dw1" and found.pointer.startswith(
            "look at the line that computes dw1: ")  # fmt: skip
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": 0.5 * right["dw1"]})
    assert "dw1: the correct gradient times 0.5 everywhere" in found.layers[0].words


def test_a_mean_where_the_loss_sums_is_named():
    n = {i: len(p.x) for i, p in enumerate(plan(BIAS))}
    found = judged(BIAS, lambda i, right, e: {r: g / n[i] for r, g in right.items()})
    assert [v.mistakes for v in found.layers] == [["a mean where the loss sums"]] * 4


def test_a_bias_gradient_missing_its_axis_of_length_one_is_wrong_and_says_why():
    found = judged(COLUMNS, lambda i, right, e: {**right, "db1": right["db1"][:, 0]})
    v = found.layers[1]
    assert not found.ok and not v.correct and v.mistakes == ["db1 missing an axis of length one"]
    assert v.words == ("db1: its values are right, its shape is not: (5,), not b1's (5, 1)"
                       " (b1 - lr * db1 would be (5, 5))")  # fmt: skip
    assert found.origin == "db1"


def test_a_bias_gradient_shaped_as_its_weight_at_some_calls_only_is_not_correct():
    """Summed at the first points, left unsummed (one row an example) at the others: each
    call's values are right for its shape, but the shape is not the weight's at them all."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db1": right["db1"] if i < 2
                                                 else e.deltas[1]})  # fmt: skip
    assert not found.ok and found.layers[1].mistakes == ["bias gradient not summed"]


def test_a_bias_gradient_transposed_is_named_so_and_its_broadcast_said():
    """(1, 5) where b1 is (5, 1): as many axes, a transpose, said as the weights' is."""
    found = judged(COLUMNS, lambda i, right, e: {**right, "db1": right["db1"].T})
    v = found.layers[1]
    assert v.mistakes == ["db1 transposed"]
    assert v.words == ("db1: its values are right, its shape is not: (1, 5), not b1's (5, 1)"
                       " (b1 - lr * db1 would be (5, 5))")  # fmt: skip


def test_a_transposed_gradient_and_an_unsummed_bias_are_named():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw2": right["dw2"].T,
                                                 "db1": e.deltas[1]})  # fmt: skip
    assert [v.mistakes for v in found.layers] == [
        [], ["bias gradient not summed"], ["dw2 transposed"], []]  # fmt: skip
    assert found.origin == "dw2"  # the output layer's gradients come first in the backward pass
    found = judged(COLUMNS, lambda i, right, e: {**right, "db2": e.deltas[2].sum(axis=1)})
    assert found.layers[3].mistakes == ["bias summed over the wrong axis"]


def test_an_extra_axis_and_an_unsummed_bias_are_said_in_the_networks_layout():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db1": right["db1"][None, :]})
    assert found.layers[1].mistakes == ["db1 with an extra axis of length one"]
    assert found.layers[1].words == ("db1: its values are right, its shape is not: (1, 5), not"
                                     " b1's (5,) (b1 - lr * db1 would be (1, 5))")  # fmt: skip
    rows = judged(SOFTMAX, lambda i, right, e: {**right, "db1": e.deltas[1]})
    assert rows.layers[1].words == (
        "db1 not summed over the examples: it holds dz1, one row an example, shape (4, 5); b1's"
        " gradient is their sum, shape (5,)")  # fmt: skip
    columns = judged(COLUMNS, lambda i, right, e: {**right, "db2": e.deltas[2].T})
    assert columns.layers[3].words == (
        "db2 not summed over the examples: it holds dZ2, one column an example, shape (3, 6);"
        " b2's gradient is their sum, shape (3, 1)")  # fmt: skip


def test_gradients_returned_in_another_order_are_all_wrong():
    found = judged(COLUMNS, lambda i, right, e: right)  # the same arrays ...
    assert found.ok
    run = run_described(COLUMNS, lambda i, right, e: right)
    calls = [replace(c, arrays=(*c.arrays[2:], *c.arrays[:2])) for c in run.calls]
    swapped = replace(run, calls=calls)  # ... returned as (dW2, db2, dW1, db1)
    found = diagnose_described(swapped, COLUMNS)
    assert not found.ok and found.origin == "return"
    assert found.pointer == ("look at the return line: the gradients come back as (dW2, db2,"
                             " dW1, db1), not (dW1, db1, dW2, db2)")  # fmt: skip
    assert all(v.mistakes == ["gradients returned in another order"] for v in found.layers)
    assert not any(v.unmatched for v in found.layers)  # each is named: the order
    assert found.verdict == "FAIL: the gradients are returned in another order"


def test_an_answer_that_changes_between_calls_is_wrong_at_its_first_call_right():
    found = judged(
        SOFTMAX, lambda i, right, e: {r: g * (2 if i == 1 else 1) for r, g in right.items()}
    )
    assert not found.ok and found.origin == "update"
    assert all(v.mistakes == ["accumulates across calls"] for v in found.layers)
    assert found.verdict == (
        "FAIL: called twice with the same inputs it returns two different answers")  # fmt: skip
    assert [n.words for n in found.notes] == [
        f"{r} changes between two calls with the same inputs" for r in SOFTMAX.returns
    ]


def test_an_answer_whose_shape_changes_between_calls_changes_between_calls():
    """The repeat of the first point (call 1) returns db1 not summed, or dw2 transposed,
    where the first call returned them right: two answers to the same inputs, not one."""
    unsummed = {"db1": lambda e, g: e.deltas[1], "dw2": lambda e, g: g.T}
    for r, change in unsummed.items():
        found = judged(SOFTMAX, lambda i, right, e, r=r, change=change: {
            **right, r: change(e, right[r]) if i == 1 else right[r]})  # fmt: skip
        assert not found.ok and found.origin == "update", r
        assert [n.words for n in found.notes] == [
            f"{r} changes between two calls with the same inputs"]  # fmt: skip


def test_a_gradient_transposed_to_another_gradients_shape_is_read_as_transposed():
    """In a 4-5-4 network dw1 (4, 5) transposed has dw2's shape (5, 4): it is dw1
    transposed, and no swap of the two."""
    d = _network(sizes=[4, 5, 4], activations=["tanh", "identity"], layout="rows",
                 parameters=["x", "y", "w1", "w2"], returns=["dw1", "dw2"])  # fmt: skip
    found = judged(d, lambda i, right, e: {**right, "dw1": right["dw1"].T})
    assert [v.mistakes for v in found.layers] == [["dw1 transposed"], []]
    assert not found.ok and found.origin == "dw1"


def test_what_no_mistake_explains_is_traced_to_the_first_gradient_to_go_wrong():
    def noise(i, shape):  # the same at the first call and its repeat
        return np.random.default_rng(0 if i == 1 else i).normal(size=shape)

    found = judged(SOFTMAX, lambda i, right, e: {
        **right, "dw1": right["dw1"] + noise(i, right["dw1"].shape),
        "db1": right["db1"] + 1})  # fmt: skip
    assert found.origin == "dz1" and found.pointer == (
        "look at the line that computes dz1: dw1 and db1 are wrong, while those of the layers"
        " after it are right")  # fmt: skip
    assert [v.unmatched for v in found.layers] == [True, True, False, False]
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db2": right["db2"] + 1})
    assert found.origin == "db2"


def test_a_gradients_own_line_is_pointed_to_with_its_words_less_its_name():
    """Where a named mistake of one gradient alone is the first to go wrong, the pointer
    says its words, less the 'dw1: ' they start with (a factor of 0.5), or whole where
    they start otherwise (db1 not summed)."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": 0.5 * right["dw1"]})
    why = "the correct gradient times 0.5 everywhere (a constant factor)"
    assert found.layers[0].words == f"dw1: {why}"
    assert found.pointer == f"look at the line that computes dw1: {why}"
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db1": e.deltas[1]})
    assert found.layers[1].words.startswith("db1 not summed over the examples: ")
    assert found.pointer == f"look at the line that computes db1: {found.layers[1].words}"


def test_a_gradient_wrong_in_its_values_and_its_shape_is_said_wrong_in_both():
    """A bias gradient not summed and doubled, a weight's transposed and doubled: no known
    mistake matches their values, and their shapes are not their parameters' either (in
    Chinese too, as a clause of its own)."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db1": 2 * e.deltas[1],
                                                 "dw2": 2 * right["dw2"].T})  # fmt: skip
    db1, dw2 = found.layers[1].words, found.layers[2].words
    assert db1.startswith("db1: not the gradient of") and not found.ok
    assert db1.endswith("; its shape is (4, 5), not b1's (5,)")  # the first batch: 4 rows
    assert dw2.endswith("; its shape is (3, 5), not w2's (5, 3)")
    assert said(db1, "zh").endswith("；形状也不对：是 (4, 5)，而 b1 的形状是 (5,)")  # noqa: RUF001


def test_every_gradient_wrong_with_no_mistake_named_is_traced_to_the_output_delta():
    """Noise in every gradient: the output layer's are the first wrong, and every one of
    the layers before it too; no layer comes after the output's, so none is said right."""

    def noise(i, shape):  # the same at the first call and its repeat
        return np.random.default_rng(0 if i == 1 else i).normal(size=shape)

    found = judged(SOFTMAX, lambda i, right, e: {r: g + noise(i, g.shape)
                                                 for r, g in right.items()})  # fmt: skip
    assert found.origin == "dz2" and found.pointer == (
        "look at the line that computes dz2: dw2 and db2 are wrong, and so is every gradient"
        " of the layers before it")  # fmt: skip


def test_the_other_sizes_are_a_part_the_teacher_may_require():
    wrong_elsewhere = lambda i, right, e: {  # noqa: E731
        r: g * (1 if plan(SOFTMAX)[i].group == 0 else 2) for r, g in right.items()
    }
    found = judged(SOFTMAX, wrong_elsewhere)
    assert found.ok and not found.parts["sizes"]
    assert (
        found.verdict == f"ok: every gradient is the gradient of {CE}; not required here, and"
        " not holding: sizes"
    )
    strict = described_contract(SOFTMAX, "sizes", "dw1=2")
    found = diagnose_described(run_described(SOFTMAX, wrong_elsewhere), SOFTMAX, strict)
    assert not found.ok and found.verdict == "FAIL: required and not holding: sizes"
    assert found.score == 5  # 2 + 1 + 1 + 1, the sizes' point not


def test_float32_is_judged_at_float32s_rounding():
    found = judged(COLUMNS, lambda i, right, e: right, dtype=np.float32)
    assert found.ok and found.precision == "float32"
    assert found.layers[0].words.endswith("to float32 rounding (largest relative difference"
                                          f" {found.layers[0].max_rel:.0e})")  # fmt: skip


def test_what_cannot_be_checked_is_said_in_one_line_naming_the_array():
    with pytest.raises(StudentError, match=r"^dw1 has shape \(30,\) at seed 0, sizes 6-5-3, 4"
                       r" examples, neither"
                       r" w1's \(6, 5\) nor a known mistake's: it cannot be checked$"):  # fmt: skip
        judged(SOFTMAX, lambda i, right, e: {**right, "dw1": right["dw1"].ravel()})
    run = run_described(SOFTMAX, lambda i, right, e: right)
    run.given = 4
    with pytest.raises(StudentError, match=r"expected f\(x, y, w1, b1, w2, b2\) -> \(dw1, db1,"):
        diagnose_described(run, SOFTMAX)


def test_a_contract_names_the_networks_parts():
    with pytest.raises(ValueError, match=r"--require: unknown 'step': choose from dw1, db1, dw2,"
                       r" db2, sizes"):  # fmt: skip
        described_contract(SOFTMAX, "step")
    assert described_contract(COLUMNS).required == {"dW1", "db1", "dW2", "db2"}


def _network(**change):
    """A description of this test's own: 3 layers, no biases, columns, unless changed."""
    data = dict(sizes=[4, 5, 5, 5], activations=["tanh", "relu", "identity"], biases=False,
                loss="mse", divisor=2, reduction="mean", layout="columns",
                parameters=["X", "Y", "W1", "W2", "W3"], returns=["dW1", "dW2", "dW3"])  # fmt: skip
    data.update(change)
    return parse({k: v for k, v in data.items() if v is not None}, "mine.toml")


def test_one_output_is_run_with_labels_0_and_1_and_a_batch_of_its_own_size_at_each_seed():
    one = _network(sizes=[3, 4, 1], activations=["tanh", "sigmoid"], loss="bce", divisor=None,
                   parameters=["X", "Y", "W1", "W2"], returns=["dW1", "dW2"])  # fmt: skip
    for p in plan(one):
        assert set(np.unique(p.y)) == {0.0, 1.0} and p.y.shape[1] == 1
    for d in (COLUMNS, SOFTMAX, one):
        firsts = [p for p in plan(d)[1:] if p.group == 0]
        sizes = [len(p.x) for p in firsts]
        assert len(set(sizes)) == 4 and not set(sizes) & set(d.sizes)
    seed1 = [p for p in plan(SOFTMAX) if p.label.startswith("seed 1,")]
    assert all(p.y[:, -1].sum() == 0 for p in seed1)  # the last class absent at seed 1
    assert all(p.y.sum(axis=0).min() > 0 for p in plan(SOFTMAX) if p not in seed1)
    ignores_y = judged(one, lambda i, right, e: twisted(one, e, "one-hot term missing"))
    assert not ignores_y.ok


def test_each_array_is_judged_at_its_own_precision():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "db2": right["db2"].astype(np.float16),
                                                 "dw1": 1.004 * right["dw1"]})  # fmt: skip
    assert not found.ok and not found.layers[0].correct  # dw1's float64 is held to float64
    assert found.layers[3].correct and found.precision == "float16"
    cast = judged(COLUMNS, lambda i, right, e: {r: g.astype(np.float32).astype(np.float64)
                                                for r, g in right.items()})  # fmt: skip
    assert cast.ok and "to float32 rounding" in cast.layers[0].words


def test_two_mistakes_are_traced_to_the_first_where_it_starts():
    noise = {i: np.random.default_rng(0 if i == 1 else i) for i in range(len(plan(SOFTMAX)))}
    found = judged(SOFTMAX, lambda i, right, e: {
        **twisted(SOFTMAX, e, "extra slope at the output"),
        "dw1": right["dw1"] + noise[i].normal(size=right["dw1"].shape)})  # fmt: skip
    assert found.origin == "dz2" and "multiplied by the softmax's slope" in found.pointer


def test_an_output_deltas_mistakes_are_said_in_the_networks_own_names():
    """Where the output's slope cancels with its loss: each mistake's words, its twist at
    the output layer and the delta it starts in, said with the softmax's p and the labels
    y (relu-softmax), the sigmoid's A2 and Y (columns, its weights upper case), or a2
    and the labels' own Y (weights lower case); every class's 1 - p a softmax's alone."""
    ce = "with the softmax cross-entropy the slope cancels, dz2 = p - y"
    assert catalogue(SOFTMAX)[:3] == [
        Mistake("extra slope at the output", "dz2 multiplied by the softmax's slope p (1 - p)"
                f" as well: {ce}", Twist(2, output="extra slope"), "dz2"),
        Mistake("one-hot term missing", "the labels left out of dz2: p alone instead of p - y",
                Twist(2, output="p alone"), "dz2"),
        Mistake("1 subtracted at every class", "1 subtracted from every class's p in dz2"
                " (p - 1), not at the label's class alone (p - y)", Twist(2, output="p - 1"),
                "dz2"),
    ]  # fmt: skip
    bce = "with the binary cross-entropy the slope cancels, dZ2 = A2 - Y"
    assert [m.words for m in catalogue(COLUMNS) if m.twist.output] == [
        f"dZ2 multiplied by the sigmoid's slope A2 (1 - A2) as well: {bce}",
        "the labels left out of dZ2: A2 alone instead of A2 - Y",
    ]
    mixed = _network(sizes=[3, 4, 1], activations=["tanh", "sigmoid"], loss="bce", divisor=None,
                     layout="rows", parameters=["x", "Y", "w1", "w2"],
                     returns=["dw1", "dw2"])  # fmt: skip
    assert catalogue(mixed)[1].words == "the labels left out of dz2: a2 alone instead of a2 - Y"


def test_without_biases_a_layers_delta_is_where_its_gradient_and_those_before_go_wrong():
    d = _network()
    found = judged(d, lambda i, right, e: {**right, "dW2": 2.5 * right["dW2"] + 1,
                                           "dW1": right["dW1"] + 1})  # fmt: skip
    assert found.origin == "dZ2" and found.pointer == (
        "look at the line that computes dZ2: dW2 is wrong, and so is every gradient of the"
        " layers before it, while those of the layers after it are right")  # fmt: skip
    found = judged(d, lambda i, right, e: {**right, "dW2": right["dW2"] + 1})
    assert found.origin == "dW2"  # dW1 right: dZ2 is
    found = judged(d, lambda i, right, e: {**right, "dW1": right["dW1"] + 1})
    assert found.origin == "dW1" and found.pointer.startswith(
        "look at the lines that compute dZ1 and dW1: ")  # fmt: skip


def test_equal_shapes_swapped_or_a_square_gradient_transposed_are_named():
    d = _network()  # W2 and W3 are both (5, 5)
    found = judged(d, lambda i, right, e: {**right, "dW2": right["dW3"], "dW3": right["dW2"]})
    assert found.origin == "return" and not found.ok
    assert found.pointer.endswith("come back as (dW1, dW3, dW2), not (dW1, dW2, dW3)")
    found = judged(d, lambda i, right, e: {**right, "dW3": right["dW3"].T})
    assert found.layers[2].mistakes == ["dW3 transposed"]


def test_zeros_a_scalar_bias_and_a_crash_at_other_sizes_are_said_as_what_they_are():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw2": 0 * right["dw2"]})
    assert found.layers[2].mistakes == ["zeros"]
    found = judged(COLUMNS, lambda i, right, e: {**right, "db1": right["db1"].sum()})
    assert found.layers[1].mistakes == ["bias summed over every axis"]
    run = run_described(SOFTMAX, lambda i, right, e: right)
    calls = [c if plan(SOFTMAX)[i].group == 0 else replace(c, kind="raised", error="ValueError",
             message="shapes (5,3) (8,3)") for i, c in enumerate(run.calls)]  # fmt: skip
    found = diagnose_described(replace(run, calls=calls), SOFTMAX)
    assert found.ok and not found.parts["sizes"]
    assert str(found.notes[0]).startswith(
        "at another hidden size it could not be checked (7 more): backprop raised ValueError"
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"sizes": [4, 2, 2, 2, 2, 2], "activations": ["tanh"] * 5, "biases": True,
          "parameters": ["X", "Y", *(n for k in range(1, 6) for n in (f"W{k}", f"b{k}"))],
          "returns": [f"d{n}" for k in range(1, 6) for n in (f"W{k}", f"b{k}")]},
         "a function returns at most 8 gradients here (the sandbox keeps 8): this one would"
         " return 10"),
        ({"returns": [["dW1"], "dW2", "dW3"]}, "returns names each weight's gradient once"),
        ({"activations": ["tanh", "relu", "softmax"], "loss": "softmax-ce", "sizes": [4, 5, 5, 1],
          "divisor": None}, "a softmax output goes with the loss softmax-ce, and 2 or more"),
        ({"divisor": 1e-320}, "divisor is a number from 0.001 to 1000"),
        ({"parameters": ["X", "Y", "W1", "W2", "lambda"]}, "parameters is a list of Python names"),
        ({"name": "ok\nFAIL"}, "name is 1 to 60 letters, digits"),
    ],
)  # fmt: skip
def test_a_description_no_judge_can_run_is_refused(change, words):
    from reference.witnesses.networks import DescriptionError

    with pytest.raises(DescriptionError, match=re.escape(words)):
        _network(**change)


def test_a_wide_relu_layer_is_run_clear_of_its_kinks():
    wide = _network(sizes=[100, 100, 3], activations=["relu", "sigmoid"], loss="bce", divisor=None,
                    parameters=["X", "Y", "W1", "W2"], returns=["dW1", "dW2"])  # fmt: skip
    assert judged(wide, lambda i, right, e: right).ok


def test_the_sandbox_keeps_as_many_arrays_as_a_description_may_return():
    from reference.sandbox.records import ITEMS_KEPT
    from reference.witnesses.networks import MOST_RETURNED

    assert MOST_RETURNED == ITEMS_KEPT


#: Code a Chinese sentence keeps as it is: the activations and losses by their names, the
#: built-ins' names, and the names of what a loss is written with.
CODE = {"relu", "softmax", "log", "mse", "bce", "delta", "article", "bias", "columns",
        "mine", "backprop", "dropout"}  # fmt: skip


def _every_verdict():
    """A verdict for each thing the judge can say of a described network."""
    for d in (SOFTMAX, COLUMNS, BIAS, _network()):
        for m in catalogue(d):
            yield judged(d, lambda i, right, e, m=m, d=d: twisted(d, e, m.name))
    n = {i: len(p.x) for i, p in enumerate(plan(SOFTMAX))}
    for scale in (lambda i: n[i], lambda i: 1 / n[i], lambda i: -1, lambda i: 0, lambda i: 3):
        yield judged(SOFTMAX, lambda i, right, e, k=scale: {**right, "dw2": k(i) * right["dw2"]})
        yield judged(SOFTMAX, lambda i, right, e, k=scale: {r: k(i) * g for r, g in right.items()})
    yield judged(BIAS, lambda i, right, e: {r: g / len(plan(BIAS)[i].x) for r, g in right.items()})
    forms = [("db1", lambda r, e: r["db1"][:, 0]), ("db1", lambda r, e: r["db1"].sum()),
             ("db1", lambda r, e: r["db1"].T),
             ("dW1", lambda r, e: r["dW1"].T), ("db2", lambda r, e: e.deltas[2].T),
             ("db2", lambda r, e: e.deltas[2].sum(axis=1)),
             ("db1", lambda r, e: r["db1"] + 1)]  # fmt: skip
    for name, form in forms:
        yield judged(COLUMNS, lambda i, right, e, f=form, k=name: {**right, k: f(right, e)})
    yield judged(
        COLUMNS, lambda i, right, e: {r: g * (2 if i == 1 else 1) for r, g in right.items()}
    )
    yield judged(COLUMNS, lambda i, right, e: right, dtype=np.float32)
    d = _network()
    yield judged(d, lambda i, right, e: {**right, "dW2": right["dW3"], "dW3": right["dW2"]})
    for change in ({"dW2": 1.5, "dW1": 1.5}, {"dW1": 1.5}):
        yield judged(d, lambda i, right, e, c=change: {r: g * c.get(r, 1) + (r in c)
                                                       for r, g in right.items()})  # fmt: skip


def test_every_sentence_of_a_described_networks_verdict_is_said_in_chinese():
    from reference.judge.languages import said

    every = list(_every_verdict())
    lines = {line for found in every for line in found.text().splitlines()}
    lines |= {found.verdict for found in every}
    lines |= {m for found in every for v in found.layers for m in v.mistakes}  # the table's
    for line in sorted(lines):
        chinese = said(line, "zh")
        left = [w for w in english_left(chinese) if w not in CODE]
        assert left == [], (line, chinese)


def test_a_twist_is_named_only_where_every_gradient_it_changes_is_wrong():
    # dW1 as the hidden slope missing would make it, db1 right: dZ1 is right, dW1's own
    # line is not (the mask left out of it alone)
    found = judged(COLUMNS, lambda i, right, e: {
        **right, "dW1": twisted(COLUMNS, e, "hidden slope missing")["dW1"]})  # fmt: skip
    assert found.layers[0].mistakes == [] and found.origin == "dW1"
    assert found.pointer.startswith("look at the line that computes dW1: ")


def test_two_transposed_gradients_whose_shapes_are_each_others_are_read_as_transposed():
    square = _network(sizes=[4, 5, 4], activations=["tanh", "identity"], layout="rows",
                      parameters=["x", "y", "w1", "w2"], returns=["dw1", "dw2"])  # fmt: skip
    found = judged(square, lambda i, right, e: {r: g.T for r, g in right.items()})
    assert [v.mistakes for v in found.layers] == [["dw1 transposed"], ["dw2 transposed"]]
    assert found.verdict == "FAIL: the values right, the shape not: dw1, dw2"


def test_an_order_is_kept_as_returned_where_another_reads_no_more_values_right():
    # returned as (dw1.T, dw1): as returned, dw1 is right transposed; in the other order
    # its shapes tell, dw1 is right as it is: one each, so the order returned stands
    square = _network(sizes=[4, 5, 4], activations=["tanh", "identity"], layout="rows",
                      parameters=["x", "y", "w1", "w2"], returns=["dw1", "dw2"])  # fmt: skip
    found = judged(square, lambda i, right, e: {"dw1": right["dw1"].T, "dw2": right["dw1"]})
    assert found.origin == "dw2"  # its own line: dw1's values are right, dz2 is not wrong
    assert [v.mistakes for v in found.layers] == [["dw1 transposed"], []]
    # and likewise (db1.T, db1) in place of (db1, dW2), db1 (5, 1) and dW2 (1, 5)
    one = _network(sizes=[4, 5, 1], activations=["tanh", "sigmoid"], loss="bce", divisor=None,
                   biases=True, parameters=["X", "Y", "W1", "b1", "W2", "b2"],
                   returns=["dW1", "db1", "dW2", "db2"])  # fmt: skip
    found = judged(one, lambda i, right, e: {**right, "db1": right["db1"].T,
                                             "dW2": right["db1"]})  # fmt: skip
    assert found.origin == "dW2" and found.layers[0].mistakes == found.layers[3].mistakes == []
    assert found.layers[1].words.startswith("db1: its values are right, its shape is not: (1, 5)")


def test_finite_differences_are_an_approximation_and_a_sums_n_is_said_as_n():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": right["dw1"] * (1 + 1e-7)})
    assert found.layers[0].approximate and found.layers[0].mistakes == []

    def jitter(i, g):  # the same at the first call and its repeat
        return g + 1e-6 * np.random.default_rng(0 if i == 1 else i).normal(size=g.shape)

    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": jitter(i, right["dw1"])})
    assert found.layers[0].approximate and found.origin is None
    assert found.pointer.startswith("no line of a backprop gives such differences")
    n = {i: len(p.x) for i, p in enumerate(plan(BIAS))}
    found = judged(BIAS, lambda i, right, e: {r: n[i] * g for r, g in right.items()})
    assert [v.mistakes for v in found.layers] == [["times the number of examples"]] * 4
    assert found.layers[0].words == (
        "dw1: n times the right gradient at every point (n the number of examples)")  # fmt: skip


def test_a_description_whose_parameters_are_out_of_order_or_that_no_point_fits_is_refused(
    tmp_path,
):
    from reference.grading.single import asked_for
    from reference.witnesses.networks import DescriptionError

    with pytest.raises(DescriptionError, match=r"parameters: 'W2' stands where a bias goes"):
        _network(biases=True, parameters=["X", "Y", "W1", "W2", "b1", "b2", "W3", "b3"],
                 returns=["dW1", "db1", "dW2", "db2", "dW3", "db3"])  # fmt: skip
    deep = dict(sizes=[2, 1, 1, 1, 1, 1, 1, 1, 2], activations=["relu"] * 7 + ["identity"],
                layout="rows", parameters=["x", "y", *(f"w{k}" for k in range(1, 9))],
                returns=[f"dw{k}" for k in range(1, 9)])  # fmt: skip
    with pytest.raises(ValueError, match=r"no inputs found that keep every ReLU unit clear"):
        asked_for(str(_written(tmp_path / "deep.toml", deep)), None)


def _written(path, change):
    """``_network``'s description with ``change``, written as a teacher's TOML file."""
    data = dict(sizes=[4, 5, 5, 5], activations=["tanh", "relu", "identity"], biases=False,
                loss="mse", divisor=2, reduction="mean", layout="columns",
                parameters=["X", "Y", "W1", "W2", "W3"], returns=["dW1", "dW2", "dW3"])  # fmt: skip
    data.update(change)
    text = "".join(f"{k} = {json.dumps(v)}\n" for k, v in data.items())
    path.write_text(text)  # JSON writes these values as TOML does
    return path


def test_parts_a_contract_counts_that_the_network_has_not_never_hold():
    """The article's contract asked of a described network: its 'rows' is no part of
    the network's, so it does not hold, said beside the other sizes where they fail."""
    found = diagnose_described(run_described(SOFTMAX, lambda i, right, e: right), SOFTMAX,
                               Contract())  # fmt: skip
    assert (
        found.verdict == f"ok: every gradient is the gradient of {CE}; not required here, and"
        " not holding: rows"
    )
    wrong_elsewhere = lambda i, right, e: {  # noqa: E731
        r: g * (1 if plan(SOFTMAX)[i].group == 0 else 2) for r, g in right.items()
    }
    run = run_described(SOFTMAX, wrong_elsewhere)
    found = diagnose_described(run, SOFTMAX, Contract())
    assert found.verdict.endswith("; not required here, and not holding: sizes, rows")
    found = diagnose_described(run, SOFTMAX, Contract.parse("sizes,rows"))
    assert found.verdict == "FAIL: required and not holding: sizes, rows"


def test_a_verdict_says_each_kind_of_failure_and_the_text_where_to_look():
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": 2 * right["dw1"],
                                                 "dw2": right["dw2"].T})  # fmt: skip
    assert found.verdict == (f"FAIL: not the gradient of {CE}: dw1; the values right, the shape"
                             " not: dw2")  # fmt: skip
    assert found.pointer.startswith("look at the line that computes dw2: ")
    assert found.text().splitlines()[-2:] == [found.pointer, found.verdict]


def test_a_float32_answer_is_ok_to_float32_rounding_in_the_last_line():
    found = judged(COLUMNS, lambda i, right, e: right, dtype=np.float32)
    loss = COLUMNS.loss_words()
    assert found.verdict == f"ok: every gradient is the gradient of {loss} (to float32 rounding)"


def test_two_factors_are_the_same_to_a_millionth_of_the_second_or_ten_float32_tolerances():
    """Relative to the second factor, however small it is (1/n of a batch); in float32,
    ten times its tolerance, 1e-4."""
    assert near(0.1 * (1 + 0.5e-6), 0.1) and not near(0.1 * (1 + 5e-6), 0.1)
    assert near(1 + 0.9e-4, 1.0, FLOAT32_ROUNDING) and not near(1 + 1.05e-4, 1.0, FLOAT32_ROUNDING)


@pytest.mark.parametrize(
    ("factor", "name"),
    [(lambda n: n, "1/n of the mean lost"), (lambda n: 1 / n, "1/n of the mean taken twice"),
     (lambda n: -1.0, "sign flipped"), (lambda n: 0.5, "constant factor")],
)  # fmt: skip
def test_a_float32_gradients_factor_may_drift_by_ten_times_float32s_tolerance(factor, name):
    """In float32 a ratio to the right gradient is read within 1e-4 of n, 1/n, -1 or the
    first point's: 2e-5 off at the first point (and its repeat) is the same factor."""
    n = {i: len(p.x) for i, p in enumerate(plan(SOFTMAX))}
    drift = {0: 1 + 2e-5, 1: 1 + 2e-5}
    scaled = lambda i, right, e: {  # noqa: E731
        **right, "dw1": factor(n[i]) * drift.get(i, 1.0) * right["dw1"]}  # fmt: skip
    found = judged(SOFTMAX, scaled, dtype=np.float32)
    assert found.precision == "float32"
    assert [v.mistakes for v in found.layers] == [[name], [], [], []]
    if name == "constant factor":  # the first point's factor, to six digits
        assert found.layers[0].words.startswith("dw1: the correct gradient times 0.50001 ")


# --- each verdict's numbers, each branch of the reading -------------------------------


def test_a_correct_gradient_is_off_by_nothing_and_is_no_mistake():
    """The judge's own arrays, returned as they are: not one bit off the right gradient."""
    found = judged(SOFTMAX, lambda i, right, e: right)
    for v in found.layers:
        assert v.correct is True and v.mistakes == [] and v.unmatched is False
        assert v.max_rel == 0.0 and v.off_correct == 0.0
    assert [v["off_correct"] for v in found.as_dict()["layers"]] == [0.0] * 4


def test_right_values_in_another_shape_are_off_by_nothing_and_named_by_their_shape():
    """dw2 transposed, db1 left unsummed: each holds the right numbers exactly (0 off the
    right gradient, 0 off what its shape names), and neither is correct."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw2": right["dw2"].T,
                                                 "db1": e.deltas[1]})  # fmt: skip
    for v in (found.layers[1], found.layers[2]):
        assert v.correct is False and v.unmatched is False
        assert v.max_rel == 0.0 and v.off_correct == 0.0
    assert found.as_dict()["layers"][2]["correct"] is False
    assert found.verdict == "FAIL: the values right, the shape not: db1, dw2"


def test_a_named_mistake_is_off_its_match_by_nothing_and_off_the_right_gradient_as_said():
    """Every gradient the hidden slope missing makes: the mistake's own arrays (0 off the
    match), off the right gradient by the number its words print."""
    found = judged(SOFTMAX, lambda i, right, e: twisted(SOFTMAX, e, "hidden slope missing"))
    for v in found.layers[:2]:
        assert v.correct is False and v.mistakes == ["hidden slope missing"]
        assert v.unmatched is False and v.max_rel == 0.0
        said = v.words.rsplit("the correct gradient differs by ", 1)[1]
        assert v.off_correct > 0 and f"{v.off_correct:.2g}" == said
    assert [v.correct for v in found.layers[2:]] == [True, True]


def test_an_approximation_is_off_by_its_own_relative_error_in_words_and_numbers():
    """dw1 (1 + 1e-7): 1e-7 off the right gradient, relative, and nothing names it."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": right["dw1"] * (1 + 1e-7)})
    v = found.layers[0]
    assert v.name == "w1" and v.correct is False and v.approximate and v.mistakes == []
    assert v.unmatched is False
    assert v.max_rel == pytest.approx(1e-7, rel=1e-6)
    assert v.off_correct == pytest.approx(1e-7, rel=1e-6)
    tol = FLOAT64.tolerance
    assert v.words == (f"dw1: approximately the gradient of {CE}, off by up to 1e-07, where"
                       f" backprop is exact to float64 rounding ({tol:g})")  # fmt: skip


def test_a_constant_factor_is_off_the_right_gradient_by_one_minus_it():
    """0.5 dw1: the right gradient times 0.5 exactly, so half of it off, relative."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": 0.5 * right["dw1"]})
    v = found.layers[0]
    assert v.correct is False and v.mistakes == ["constant factor"] and v.unmatched is False
    assert v.factor == 0.5 and v.max_rel == 0.0 and v.off_correct == 0.5


def test_the_labels_run_at_are_said_by_the_number_of_outputs():
    """One output: labels 0 and 1; two: every class at every point (no last class to
    leave out while another remains); three or more: the last absent at seed 1."""
    net = dict(activations=["tanh", "sigmoid"], loss="bce", divisor=None,
               parameters=["X", "Y", "W1", "W2"], returns=["dW1", "dW2"])  # fmt: skip
    one, two = _network(sizes=[3, 4, 1], **net), _network(sizes=[3, 4, 2], **net)
    assert all(p.y.sum(axis=0).min() > 0 for p in plan(two))
    run_at = [judged(d, lambda i, right, e: right).text().splitlines()[1] for d in (one, two)]
    assert run_at[0].endswith(" examples, labels 0 and 1; seeds 0..2 and a saturated start;"
                              " the first point twice")  # fmt: skip
    assert run_at[1].endswith(" examples, every class among the labels; seeds 0..2 and a"
                              " saturated start; the first point twice")  # fmt: skip


def test_the_other_sizes_hold_by_the_calls_at_the_other_sizes_alone():
    """Wrong at the description's sizes alone, the other sizes hold; wrong at the first
    other sizes alone (not at the second), they do not."""
    group = [p.group for p in plan(SOFTMAX)]
    assert sorted(set(group)) == [0, 1, 2]
    here = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": (2 if group[i] == 0 else 1)
                                                * right["dw1"]})  # fmt: skip
    assert here.parts == {"dw1": False, "db1": True, "dw2": True, "db2": True, "sizes": True}
    there = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": (2 if group[i] == 1 else 1)
                                                 * right["dw1"]})  # fmt: skip
    assert there.ok and there.parts["sizes"] is False


def test_one_call_that_cannot_be_checked_is_said_with_no_count_of_others():
    run = run_described(SOFTMAX, lambda i, right, e: right)
    last = len(run.calls) - 1  # the saturated start at the second other sizes
    calls = [c if i != last else replace(c, kind="raised", error="ValueError",
             message="shapes (5,3) (8,3)") for i, c in enumerate(run.calls)]  # fmt: skip
    found = diagnose_described(replace(run, calls=calls), SOFTMAX)
    assert found.ok and not found.parts["sizes"]
    assert [str(n) for n in found.notes] == [
        "at another hidden size it could not be checked: backprop raised ValueError: shapes"
        f" (5,3) (8,3) (at {plan(SOFTMAX)[last].label})"
    ]


def test_one_gradient_returned_in_anothers_place_as_well_is_no_swap():
    """dW3's gradient returned as dW2 too (both (5, 5)): dW2 holds dW3's values, dW3 its
    own; one of the two is right in the other's place, not both, so no order is said."""
    d = _network()
    found = judged(d, lambda i, right, e: {**right, "dW2": right["dW3"]})
    assert found.origin == "dW2" and [v.correct for v in found.layers] == [True, False, True]
    assert found.layers[1].unmatched and found.layers[1].mistakes == []


def test_a_bias_summed_over_the_wrong_axis_or_every_axis_and_wrong_is_said_wrong_in_both():
    """Twice the wrong axis's sum, twice every axis's: no mistake matches values in a
    shape that holds other numbers, and the shape is said beside them."""
    found = judged(COLUMNS, lambda i, right, e: {**right, "db2": 2 * e.deltas[2].sum(axis=1)})
    v = found.layers[3]
    assert v.mistakes == [] and v.unmatched and not v.correct
    assert v.words.endswith("; its shape is (6,), not b2's (3, 1)")  # the first batch: 6
    found = judged(COLUMNS, lambda i, right, e: {**right, "db1": 2 * right["db1"].sum()})
    v = found.layers[1]
    assert v.mistakes == [] and v.unmatched and v.words.endswith("; its shape is (), not b1's"
                                                                  " (5, 1)")  # fmt: skip


def test_one_mistake_in_a_delta_is_where_to_look_beside_a_later_gradient_transposed():
    """The hidden slope missing makes dw1 and db1 wrong, and they alone are wrong in their
    values: the twist explains them all, and its line is the one to look at, though dw2,
    of the layer after, is transposed (its values right)."""
    found = judged(SOFTMAX, lambda i, right, e: {**twisted(SOFTMAX, e, "hidden slope missing"),
                                                 "dw2": right["dw2"].T})  # fmt: skip
    m = next(m for m in catalogue(SOFTMAX) if m.name == "hidden slope missing")
    assert [v.mistakes for v in found.layers] == [
        [m.name], [m.name], ["dw2 transposed"], []]  # fmt: skip
    assert (
        found.origin == "dz1" and found.pointer == f"look at the line that computes dz1: {m.words}"
    )


def _saturated(d):
    """The call of the saturated start at the description's sizes."""
    return next(i for i, p in enumerate(plan(d)) if p.group == 0 and "saturated" in p.label)


def test_an_error_smaller_than_the_floor_scaled_for_float32_is_float32_rounding():
    """At the saturated start, where dW2 (at most 0.34 of the floor) is smaller than the
    floor: one entry off by 3e-5 floors is 3e-5 / 6 = 5e-6 of the floor scaled for
    float32 (6 floors), within float32's 1e-5 -- right to float32 rounding, whether
    dW2 is right or a mistake's (the match is judged against the same floor)."""
    d = _network()
    at = _saturated(d)
    assert np.abs(expected(d, at).right["W2"]).max() < expected(d, at).floor

    def off(i, grads, e):
        if i != at:
            return grads
        bumped = grads["dW2"].copy()
        bumped[0, 0] += 3e-5 * e.floor
        return {**grads, "dW2": bumped}

    found = judged(d, lambda i, right, e: off(i, right, e), dtype=np.float32)
    assert found.ok and found.layers[1].correct
    assert found.layers[1].max_rel == pytest.approx(3e-5 / FLOAT32_ROUNDING.floor_scale, rel=0.01)
    assert found.layers[1].words.endswith("to float32 rounding (largest relative difference"
                                          " 5e-06)")  # fmt: skip
    m = "layer 2 slope missing"  # it changes dW2 and dW1 (the layer's delta and below)
    assert np.abs(expected(d, at).twisted[m]["W2"]).max() < expected(d, at).floor
    found = judged(d, lambda i, right, e: off(i, twisted(d, e, m), e), dtype=np.float32)
    assert [v.mistakes for v in found.layers] == [[m], [m], []] and found.origin == "dZ2"


def test_a_named_mistake_near_the_right_gradient_is_named_not_an_approximation():
    """The ReLU mask taken of the gradient at a ReLU output is within 1% of the right
    gradients in dW2 .. db3 here: still that mistake, not an approximation, and the line
    to look at is its delta's, while dW1 and db1, near the right ones but the mistake's
    neither, are approximations."""
    d = _network(sizes=[4, 3, 3, 1], activations=["relu", "tanh", "relu"], biases=True,
                 parameters=["X", "Y", "W1", "b1", "W2", "b2", "W3", "b3"],
                 returns=["dW1", "db1", "dW2", "db2", "dW3", "db3"])  # fmt: skip
    m = next(m for m in catalogue(d) if m.name == "relu mask of the gradient at the output")
    found = judged(d, lambda i, right, e: {**twisted(d, e, m.name),
                                           "dW1": right["dW1"] * (1 + 1e-7),
                                           "db1": right["db1"] * (1 + 1e-7)})  # fmt: skip
    assert all(0 < v.off_correct <= 0.01 for v in found.layers[2:])
    assert [v.mistakes for v in found.layers] == [[], []] + [[m.name]] * 4
    assert [v.approximate for v in found.layers] == [True, True, False, False, False, False]
    assert (
        found.origin == "dZ3" and found.pointer == f"look at the line that computes dZ3: {m.words}"
    )


def test_a_description_of_one_layer_whose_gradient_is_scaled_points_to_its_delta():
    """One weight, no hidden layer: its gradient times 2 is every gradient's one mistake."""
    one = _network(sizes=[4, 3], activations=["identity"], parameters=["X", "Y", "W1"],
                   returns=["dW1"])  # fmt: skip
    found = judged(one, lambda i, right, e: {"dW1": 2 * right["dW1"]})
    assert found.origin == "dZ1" and found.pointer == (
        "look at the line that computes dZ1: every gradient has one mistake, the correct"
        " gradient times 2 everywhere (a constant factor)")  # fmt: skip


def test_every_gradient_scaled_alike_points_to_where_its_scale_comes_from():
    """The sign flipped everywhere: the error's sign; the mean's 1/n taken twice (a mean)
    or n times (a sum) everywhere: where the 1/n is applied."""
    found = judged(SOFTMAX, lambda i, right, e: {r: -g for r, g in right.items()})
    assert found.pointer == (
        "look at the sign of the error in dz2 (a - y, not y - a), or before each gradient: every"
        " gradient has one mistake, sign flipped (the update climbs the loss)")  # fmt: skip
    n = {i: len(p.x) for i, p in enumerate(plan(SOFTMAX))}
    found = judged(SOFTMAX, lambda i, right, e: {r: g / n[i] for r, g in right.items()})
    assert found.pointer == (
        "look at where the 1/n is applied (in dz2, or in each gradient's own line): every"
        " gradient has one mistake, the mean's 1/n taken twice: the right gradient divided by n"
        " once more (n the number of examples)")  # fmt: skip
    n = {i: len(p.x) for i, p in enumerate(plan(BIAS))}
    found = judged(BIAS, lambda i, right, e: {r: n[i] * g for r, g in right.items()})
    assert found.pointer == (
        "look at where the 1/n is applied (in dz2, or in each gradient's own line): every"
        " gradient has one mistake, n times the right gradient at every point (n the number of"
        " examples)")  # fmt: skip


def test_a_loss_summed_over_the_examples_is_said_so():
    assert BIAS.reduction == "sum" and BIAS.divisor == 3
    assert BIAS.loss_words() == "the squared error sum((a - y)^2) / 3, summed over the examples"


def test_a_gradient_that_changes_between_calls_is_judged_at_its_first_call_and_named():
    """Doubled at the repeat of the first point, tripled at every other point: judged at
    its first call, each is right there, its one mistake that it changes; the pointer
    says 'is' of one gradient, 'are' of two."""
    found = judged(SOFTMAX, lambda i, right, e: {r: g * (1 if i == 0 else 2 if i == 1 else 3)
                                                 for r, g in right.items()})  # fmt: skip
    assert [v.words for v in found.layers] == [
        f"{r}: correct for {CE} (largest relative difference 0e+00)" for r in SOFTMAX.returns
    ]
    assert all(v.mistakes == ["accumulates across calls"] for v in found.layers)
    assert not any(v.unmatched for v in found.layers)  # each is named
    why = (" kept between calls: called twice with the same inputs it returned two different"
           " answers (gradients added up across calls and never reset, or something random such"
           " as dropout: the answer must depend on the inputs alone, and it is judged here at"
           " its first call)")  # fmt: skip
    for names, kept in ((["dw1"], "dw1 is"), (["dw1", "dw2"], "dw1, dw2 are")):
        found = judged(SOFTMAX, lambda i, right, e, k=names: {
            r: g * (2 if i == 1 and r in k else 1) for r, g in right.items()})  # fmt: skip
        assert found.origin == "update" and found.pointer == f"look at where {kept}{why}"


def test_float32_rounding_at_the_first_call_is_no_change_from_its_exact_repeat():
    """The first call rounded to float32, its repeat exact: they differ by float32's
    rounding, which the first call's precision allows."""

    def rounded(right):
        return {r: g.astype(np.float32).astype(np.float64) for r, g in right.items()}

    found = judged(SOFTMAX, lambda i, right, e: rounded(right) if i == 0 else right)
    assert found.ok and found.notes == [] and found.origin is None


def test_a_scaled_gradient_and_one_no_mistake_explains_carry_their_numbers():
    """Times 0.5: the factor 0.5, exactly its match (max_rel 0), named; noise: not named,
    correct False (as JSON too), as far from its match as from the right one (none), and
    its words with no shape said (its shape is its weight's)."""
    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": 0.5 * right["dw1"]})
    v = found.layers[0]
    assert v.factor == pytest.approx(0.5, rel=1e-12) and v.max_rel == 0.0 and v.off_correct > 0
    assert v.unmatched is False and v.mistakes == ["constant factor"]

    def noise(i, shape):  # the same at the first call and its repeat
        return np.random.default_rng(0 if i == 1 else i).normal(size=shape)

    found = judged(SOFTMAX, lambda i, right, e: {**right, "dw1": right["dw1"] + noise(
        i, right["dw1"].shape)})  # fmt: skip
    v = found.layers[0]
    assert v.correct is False and v.as_dict()["correct"] is False and v.unmatched
    assert v.max_rel == v.off_correct > 0
    assert v.words == (f"dw1: not the gradient of {CE}, and no known mistake matches it"
                       f" (largest relative difference {v.off_correct:.2g})")  # fmt: skip


def test_a_diagnosis_names_the_loss_and_that_gradients_were_judged():
    found = judged(SOFTMAX, lambda i, right, e: right)
    assert found.as_dict()["loss"] == SOFTMAX.loss == "softmax-ce"
    assert found.as_dict()["shape"] == "gradient"  # not a step


def test_a_mistake_in_one_layers_delta_is_named_beside_a_shape_mistake_in_another():
    """The hidden slope missing (dw1, db1 wrong: one mistake in dz1) and dw2 transposed
    (its values right): the mistake that explains every wrong value is where to look."""
    m = next(m for m in catalogue(SOFTMAX) if m.name == "hidden slope missing")
    found = judged(SOFTMAX, lambda i, right, e: {**twisted(SOFTMAX, e, m.name),
                                                 "dw2": right["dw2"].T})  # fmt: skip
    assert found.origin == m.origin == "dz1"
    assert found.pointer == f"look at the line that computes dz1: {m.words}"
    assert [v.mistakes for v in found.layers] == [[m.name], [m.name], ["dw2 transposed"], []]


def test_the_order_is_read_at_the_first_call_and_each_call_by_its_shapes():
    """Returned in order at the first call, as (dw2, db1, dw1, db2) at the other sizes (or
    at the first point's repeat), whose shapes tell the two weights' gradients apart: each
    call read in the order its shapes tell, every one right."""
    swapped = lambda right: {**right, "dw1": right["dw2"], "dw2": right["dw1"]}  # noqa: E731
    found = judged(SOFTMAX, lambda i, right, e: right if plan(SOFTMAX)[i].group == 0
                   else swapped(right))  # fmt: skip
    assert found.ok and found.parts["sizes"] and found.notes == []
    found = judged(SOFTMAX, lambda i, right, e: swapped(right) if i == 1 else right)
    assert found.ok and found.origin is None


def test_two_bias_gradients_returned_in_each_others_place_are_said_even_when_all_are_wrong():
    """(dW1, db2, dW2, db1), every gradient doubled: as returned, db1's place holds a (3, 1)
    that is no shape of b1's mistakes; in the order the shapes tell, each is read."""
    found = judged(COLUMNS, lambda i, right, e: {
        "dW1": 2 * right["dW1"], "db1": 2 * right["db2"], "dW2": 2 * right["dW2"],
        "db2": 2 * right["db1"]})  # fmt: skip
    assert found.origin == "return" and found.pointer == (
        "look at the return line: the gradients come back as (dW1, db2, dW2, db1), not"
        " (dW1, db1, dW2, db2)")  # fmt: skip


def test_equal_shapes_swapped_are_each_read_in_the_others_place():
    d = _network()  # W2 and W3 are both (5, 5): their values tell which is which
    found = judged(d, lambda i, right, e: {**right, "dW2": right["dW3"], "dW3": right["dW2"]})
    assert [v.words for v in found.layers] == [
        f"{r}: correct for {d.loss_words()} (largest relative difference 0e+00)" for r in d.returns
    ]
    assert all(v.mistakes == ["gradients returned in another order"] for v in found.layers)


def test_the_output_deltas_mistakes_are_the_formulas_their_words_say():
    """At the first point, from the right output delta dz = (a - y) / n (a mean): a = n dz
    + y; the output bias's gradient is the sum of its delta: with the slope as well,
    dz a (1 - a); the labels left out, a / n; 1 subtracted at every class, (a - 1) / n."""
    for d in (SOFTMAX, COLUMNS):
        p, e = plan(d)[0], expected(d, 0)
        n, dz = len(p.x), e.deltas[2]
        a, b2 = n * dz + p.y, d.named("b", 2)
        assert d.reduction == "mean"
        twists = {"extra slope at the output": dz * a * (1 - a), "one-hot term missing": a / n}
        if d is SOFTMAX:
            twists["1 subtracted at every class"] = (a - 1) / n
        for name, delta in twists.items():
            assert errors(e.twisted[name][b2], delta.sum(axis=0))[1] <= GRADIENT, name
