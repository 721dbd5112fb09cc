"""Reading what a student's function returned for a described network
(reference/judge/described.py: refuse_described, check_call, read): a run that stopped
short, a call that raised, returned too few items or something else than a tuple, or an
item that is no array of finite numbers, each refused in one line that says what came
back and where; a bias gradient summed over the wrong axis read as the sums it holds,
whatever axes of length one it keeps, and a shape no mistake explains refused."""

from dataclasses import replace

import numpy as np
import pytest

from reference.judge import StudentError, diagnose_described
from reference.judge.described import expected, plan, read, refuse_described
from reference.sandbox import Call
from reference.witnesses.networks import BUILT_IN
from tests.helpers import run_described

SOFTMAX = BUILT_IN["relu-softmax"]
COLUMNS = BUILT_IN["columns"]
RETURNS = "(dw1, db1, dw2, db2)"


def _at_first_call(d, call):
    """A right run of ``d`` whose first call is ``call`` instead."""
    run = run_described(d, lambda i, right, e: right)
    return replace(run, calls=[call, *run.calls[1:]])


def _refused(d, run):
    with pytest.raises(StudentError) as caught:
        refuse_described(run, d)
    return caught.value


def test_a_run_that_stopped_before_the_last_point_is_refused_in_one_line():
    run = run_described(SOFTMAX, lambda i, right, e: right)
    short = replace(run, calls=run.calls[:-1])
    assert str(_refused(SOFTMAX, short)) == "backprop was not run at every point"


def test_a_call_that_raised_is_said_with_its_error_its_point_and_its_line():
    raised = Call("raised", error="ValueError", message="shapes (5,3) (8,3)", line=12)
    err = _refused(SOFTMAX, _at_first_call(SOFTMAX, raised))
    assert str(err) == (
        f"backprop raised ValueError: shapes (5,3) (8,3) (at {plan(SOFTMAX)[0].label})"
    )
    assert (err.reason, err.line) == ("raised", 12)


def test_too_few_items_or_something_else_than_a_tuple_is_said_as_what_came_back():
    label = plan(SOFTMAX)[0].label
    right = run_described(SOFTMAX, lambda i, right, e: right).calls[0]
    three = Call("values", right.arrays[:3], right.types[:3], 3)  # db2 left out
    err = _refused(SOFTMAX, _at_first_call(SOFTMAX, three))
    assert str(err) == f"backprop returned 3 items: expected a tuple {RETURNS} (at {label})"
    assert err.reason == "bad-output"
    one = Call("other", (right.arrays[0],), ("ndarray",))  # dw1 alone, not in a tuple
    err = _refused(SOFTMAX, _at_first_call(SOFTMAX, one))
    assert str(err) == f"backprop returned ndarray: expected a tuple {RETURNS} (at {label})"


def test_an_item_that_is_no_array_of_finite_numbers_is_named():
    label = plan(SOFTMAX)[0].label
    right = run_described(SOFTMAX, lambda i, right, e: right).calls[0]
    for item, kind in ((None, "str"), (np.full(right.arrays[1].shape, np.nan), "ndarray")):
        arrays = (right.arrays[0], item, *right.arrays[2:])
        call = replace(right, arrays=arrays, types=(right.types[0], kind, *right.types[2:]))
        err = _refused(SOFTMAX, _at_first_call(SOFTMAX, call))
        assert str(err) == f"db1 is not an array of finite real numbers (at {label})"


@pytest.mark.parametrize(("d", "keep"), [(COLUMNS, 0), (SOFTMAX, 1)])
def test_a_bias_gradient_summed_over_the_wrong_axis_is_read_as_one_sum_an_example(d, keep):
    """Summed over the units, not the examples, its axis kept: (1, n) in columns, (n, 1)
    in rows; it holds one number an example, the output delta summed over the units."""
    p, e = plan(d)[0], expected(d, 0)
    n, db2 = len(p.x), d.returns[3]
    sums = e.deltas[2].sum(axis=1)  # rows: one an example
    kept = sums[None, :] if keep == 0 else sums[:, None]
    got = read(d, db2, kept, p, e.deltas)
    assert got.form == "wrong axis" and got.shape == kept.shape == ((1, n), (n, 1))[keep]
    assert got.values.shape == (n,) and np.array_equal(got.values, sums)


def test_a_bias_gradient_of_three_axes_is_no_known_mistake():
    """The examples' sums with two axes of length one: no shape a backprop makes."""
    p = plan(COLUMNS)[0]
    n = len(p.x)
    cube = lambda i, right, e: {  # noqa: E731
        **right, "db2": e.deltas[2].sum(axis=1)[None, :, None]}  # fmt: skip
    with pytest.raises(StudentError) as caught:
        diagnose_described(run_described(COLUMNS, cube), COLUMNS)
    assert str(caught.value) == (
        f"db2 has shape (1, {n}, 1) at {p.label}, neither b2's (3, 1) nor a known mistake's:"
        " it cannot be checked"
    )
