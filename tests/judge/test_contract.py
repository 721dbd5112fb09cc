"""The teacher's contract: what must hold, the shape asked for, the points of each
part; read from the command line in one line, and applied to a verdict."""

import pytest

from reference.judge import PARTS, Contract, diagnose
from reference.judge.catalogue import correct
from reference.judge.network import state
from tests.helpers import run_of


def right(s):
    found = correct(s, "mse")
    return found.dw1, found.dw2


def one_row_only(s, i):
    """Right for one sample; for a batch, the first row's gradient alone."""
    return right(state(s.x[:1], s.y[:1], s.w1, s.w2, s.alpha))


def test_the_default_requires_both_layers_in_either_shape_each_part_worth_one():
    c = Contract.parse()
    assert c == Contract() and c.required == {"dw1", "dw2"} and c.shape is None
    assert c.points == {p: 1.0 for p in PARTS} and c.leans_on_default


@pytest.mark.parametrize(
    ("require", "points", "required", "shape", "worth"),
    [
        ("sizes,rows", "", {"dw1", "dw2", "sizes", "rows"}, None, {}),
        (" step ", "dw1=2, rows=0.5", {"dw1", "dw2"}, "step", {"dw1": 2.0, "rows": 0.5}),
        ("", "forward=3", {"dw1", "dw2"}, None, {}),
        ("gradient,gradient,sizes", "sizes=0", {"dw1", "dw2", "sizes"}, "gradient",
         {"sizes": 0.0}),
    ],
)  # fmt: skip
def test_a_contract_is_read_from_the_command_line(require, points, required, shape, worth):
    c = Contract.parse(require, points)
    assert (c.required, c.shape) == (required, shape)
    assert c.points == {**{p: 1.0 for p in PARTS}, **worth}
    assert c.forward == (3.0 if "forward" in points else 1.0)


@pytest.mark.parametrize(
    ("require", "points", "message"),
    [
        ("size", "", "--require: unknown 'size': choose from dw1, dw2, sizes, rows, gradient,"
         " step"),
        ("step,gradient", "", "--require: a function is a gradient or a step, not both"),
        ("", "dw3=1", "--points: 'dw3=1' is not PART=NUMBER (parts: dw1, dw2, sizes, rows,"
         " forward)"),
        ("", "dw1", "--points: 'dw1' is not PART=NUMBER (parts: dw1, dw2, sizes, rows,"
         " forward)"),
        ("", "dw1=two", "--points: 'two' is not a number"),
        ("", "dw1=2=3", "--points: '2=3' is not a number"),
        ("", "dw1=-1", "--points: 'dw1=-1': points are a number 0 or more"),
        ("", "dw1=nan", "--points: 'dw1=nan': points are a number 0 or more"),
        ("", "dw1=inf", "--points: 'dw1=inf': points are a number 0 or more"),
    ],
)  # fmt: skip
def test_a_contract_that_means_nothing_is_refused_in_one_line(require, points, message):
    with pytest.raises(ValueError) as caught:
        Contract.parse(require, points)
    assert str(caught.value) == message


def test_a_part_not_required_never_ends_in_a_bare_ok_and_one_required_fails():
    run = run_of(one_row_only)
    found = diagnose(run)
    assert found.ok and found.parts == {"dw1": True, "dw2": True, "sizes": True, "rows": False}
    assert found.verdict.endswith(
        "; not required here, and not holding: a batch of rows (the sum of its rows' gradients)"
    )
    assert (found.score, found.as_dict()["max_score"]) == (3.0, 4.0)
    found = diagnose(run, contract=Contract.parse("rows", "rows=2"))
    assert not found.ok and found.score == 3.0 and found.as_dict()["max_score"] == 5.0
    assert found.verdict == (
        "FAIL: required and not holding: a batch of rows (the sum of its rows' gradients)"
    )
    both = diagnose(run_of(lambda s, i: right(s)), contract=Contract.parse("sizes,rows"))
    assert both.ok and both.verdict == "ok: both layers are the gradient of the MSE," \
        " sum((a2 - y)^2) / 3" and both.score == 4.0  # fmt: skip


def test_a_shape_not_asked_for_fails_and_scores_nothing():
    found = diagnose(run_of(lambda s, i: right(s)), contract=Contract.parse("step"))
    assert not found.ok and found.score == 0.0
    assert found.verdict == "FAIL: asked for one SGD step, f(x, y, w1, w2, alpha) ->" \
        " (new_w1, new_w2)"  # fmt: skip
    assert diagnose(run_of(lambda s, i: right(s), step=True), contract=Contract.parse("step")).ok


def test_each_part_is_judged_at_its_own_points():
    # a mean over the rows of a batch: both layers wrong (at the batch), yet right at
    # the other hidden sizes, which that part is worth
    found = diagnose(run_of(lambda s, i: tuple(g / s.n for g in right(s))))
    assert not found.ok and found.layers[1].mistakes == ["mean over rows"]
    assert found.parts == {"dw1": False, "dw2": False, "sizes": True, "rows": False}
    assert found.score == 1.0


def off_at(*parts):
    """Right, but for dL/dw1 doubled at the other hidden sizes and at a batch, as asked."""

    def student(s, i):
        dw1, dw2 = right(s)
        off = ("sizes" in parts and s.w1.shape[1] != 5) or ("rows" in parts and len(s.x) > 1)
        return (2 * dw1 if off else dw1), dw2

    return student


MSE = "the gradient of the MSE, sum((a2 - y)^2) / 3"
SIZES, ROWS = "other hidden sizes (3 and 8)", "a batch of rows (the sum of its rows' gradients)"


@pytest.mark.parametrize(
    ("off", "step", "require", "calls", "said"),
    [
        ((), False, "step", None, "FAIL: asked for one SGD step, f(x, y, w1, w2, alpha) ->"
         " (new_w1, new_w2)"),
        ((), True, "gradient", None, "FAIL: asked for a gradient, f(x, y, w1, w2) -> (dw1, dw2)"),
        (("rows",), True, "sizes,rows", None, f"FAIL: required and not holding: {ROWS}"),
        (("sizes", "rows"), False, "sizes,rows", None, f"FAIL: dL/dw1 not {MSE}; required and"
         f" not holding: {SIZES}, {ROWS}"),
        ((), False, "", 20, f"ok: both layers are {MSE}; not required here, and not holding:"
         f" {SIZES}, {ROWS}"),
    ],
)  # fmt: skip
def test_the_last_line_names_the_shape_asked_for_and_each_part_not_holding(
    off, step, require, calls, said
):
    # (calls=20: the plan's first twenty points, hidden size 5 one row at a time)
    found = diagnose(run_of(off_at(*off), step=step, calls=calls), "mse", Contract.parse(require))
    assert found.verdict == said
    parts = {part["part"]: part["holds"] for part in found.as_dict()["parts"]}
    assert parts == {"dw1": "sizes" not in off, "dw2": True,
                     **{p: p not in off and calls is None for p in ("sizes", "rows")}}  # fmt: skip


OWN = {"dw1": "dw1", "db1": "db1", "sizes": "other hidden sizes (6-3-3, 6-8-3)"}


def test_a_contract_of_parts_of_its_own_names_them_and_has_no_forward_pass():
    c = Contract.parse("", "db1=2", OWN, ("dw1", "db1"))
    assert c.words == OWN and c.points == {"dw1": 1.0, "db1": 2.0, "sizes": 1.0}
    with pytest.raises(
        ValueError, match=r"'forward=2' is not PART=NUMBER \(parts: dw1, db1, sizes\)"
    ):
        Contract.parse("", "forward=2", OWN, ("dw1", "db1"))
