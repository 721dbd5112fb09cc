"""What a submission answered, read in the judge's process (reference/answers.py):
the one-line reason for each way a run can end badly, and every shape of answer
a child can hand back (pairs, other values, exceptions, wrong shapes, NaN, a
swapped or transposed layout, float32, a step), built here as the child would
report them, so that each message is checked word for word."""

import numpy as np
import pytest

from reference.judge import answers
from reference.judge import catalogue
from reference.judge.answers import GROUPS, StudentError, plan, read_answers, refuse
from reference.sandbox.runner import Call, Run

PATH = "/class/ana.py"
EXPECTED = ": expected f(x, y, w1, w2) -> (dw1, dw2) or f(x, y, w1, w2, alpha) -> (new_w1, new_w2)"


def ended(reason=None, detail="", line=None, loaded=False, functions=(), parameters=4):
    return Run(PATH, "grads", reason, detail, line, list(functions), parameters, loaded)


@pytest.mark.parametrize(
    ("run", "message", "line"),
    [
        (ended("timeout"), "ana.py did not finish while loading within the time limit", None),
        (
            ended("timeout", loaded=True),
            "ana.py did not finish while running the function within the time limit",
            None,
        ),
        (ended("exited", "status 3"), "ana.py exited while loading (status 3)", None),
        (
            ended("exited", "status 0", loaded=True),
            "ana.py exited while running the function (status 0)",
            None,
        ),
        (
            ended("crashed", "SIGSEGV", loaded=True),
            "ana.py crashed while running the function (SIGSEGV)",
            None,
        ),
        (ended("crashed", "SIGKILL"), "ana.py crashed while loading (SIGKILL)", None),
        (
            ended("raised", "OSError: no data", line=4),
            "/class/ana.py raised OSError: no data while loading (line 4)",
            4,
        ),
        (ended("raised", "KeyError"), "/class/ana.py raised KeyError while loading", None),
        (
            ended("memory", loaded=True),
            "ana.py ran out of memory while running the function (past the memory limit)",
            None,
        ),
        (
            ended("memory"),
            "ana.py ran out of memory while loading (past the memory limit)",
            None,
        ),
        (
            ended("syntax", "SyntaxError: invalid syntax", line=9),
            "/class/ana.py is not valid Python: SyntaxError: invalid syntax (line 9)",
            9,
        ),
        (
            ended("missing", functions=["back_prop", "sigmoid"], loaded=True),
            "/class/ana.py has no function 'grads' (functions there: back_prop, sigmoid)",
            None,
        ),
        (
            ended("missing", loaded=True),
            "/class/ana.py has no function 'grads' (functions there: none)",
            None,
        ),
    ],
)
def test_each_bad_end_is_said_in_one_line(run, message, line):
    with pytest.raises(StudentError) as caught:
        refuse(run)
    assert str(caught.value) == message
    assert (caught.value.reason, caught.value.line) == (run.reason, line)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (-1, "the function's parameters cannot be read" + EXPECTED),
        (0, "the function takes 0 positional parameters" + EXPECTED),
        (3, "the function takes 3 positional parameters" + EXPECTED),
        (6, "the function takes 6 positional parameters" + EXPECTED),
    ],
)
def test_a_function_of_another_shape_is_refused(parameters, message):
    with pytest.raises(StudentError) as caught:
        refuse(ended(loaded=True, parameters=parameters))
    assert (str(caught.value), caught.value.reason, caught.value.line) == (message, "missing", None)


@pytest.mark.parametrize("parameters", [4, 5])
def test_a_run_to_the_end_is_not_refused(parameters):
    assert refuse(ended(loaded=True, parameters=parameters)) is None


# --- What the function returned, call by call ------------------------------


def right(index, step=False, dtype=np.float64):
    """The correct pair (MSE) at call ``index`` of the plan, as a gradient or a step."""
    s = answers.state_at(index)
    _, _, dw1, dw2 = catalogue.correct(s, "mse")
    if step:
        dw1, dw2 = s.w1 - answers.ALPHA * dw1, s.w2 - answers.ALPHA * dw2
    return dw1.astype(dtype), dw2.astype(dtype)


def pair(a, b):
    return Call("pair", (a, b), (type(a).__name__, type(b).__name__))


def answered(calls, step=False):
    run = Run(PATH, "grads", parameters=5 if step else 4, loaded=True, calls=calls)
    return read_answers(run, step)


def every_call(make=lambda i: pair(*right(i))):
    return [make(i) for i in range(len(plan()))]


def refused(calls, step=False):
    with pytest.raises(StudentError) as caught:
        answered(calls, step)
    return caught.value


def test_the_plan_is_each_group_in_order_with_the_first_point_twice():
    labels = [label for label, _ in plan()]
    sizes = {"hidden size 5": 12 + 1, "hidden size 3": 12, "hidden size 8": 12}
    assert labels == [g for g, _, _ in GROUPS for _ in range(sizes.get(g, 4))]
    assert plan()[0] == plan()[1]
    assert [p.w1.shape[1] for _, p in plan()[:13]] == [5] * 13
    assert [p.label for _, p in plan()[10:13]] == [
        f"{letter}, seed 3, weights x 8 (saturated), hidden 5" for letter in "ABC"
    ]
    assert plan()[-1][1].label == "A, B, C as rows, seed 3, weights x 8 (saturated)"
    assert {len(p.x) for label, p in plan() if label == "several rows at once"} == {3}
    assert len(answers.inputs()) == len(plan()) == 41


def test_correct_gradients_are_read_group_by_group():
    found, notes, (layout, f32) = answered(every_call())
    assert list(found) == [g for g, _, _ in GROUPS] and notes == []
    assert (layout, f32) == ((False, False, False), False)
    calls = [a.call for group in found.values() for a in group]
    assert calls == list(range(len(plan())))
    for group in found.values():
        for a in group:
            want = right(a.call)
            assert a.slack == (0.0, 0.0)
            assert all(np.array_equal(g, w) for g, w in zip(a.g, want))


def test_a_step_is_read_back_as_a_gradient_with_its_slack():
    found, _, _ = answered(every_call(lambda i: pair(*right(i, step=True))), step=True)
    for a in found["hidden size 5"]:
        s, want = answers.state_at(a.call), right(a.call)
        for g, w, slack, weights in zip(a.g, want, a.slack, (s.w1, s.w2)):
            assert slack == answers.recovery_slack(weights, g, answers.ALPHA) > 0
            assert np.abs(g - w).max() <= slack + 1e-12 * np.abs(w).max()


def test_float32_answers_are_found_and_their_slack_is_float32s():
    found, _, (_, f32) = answered(every_call(lambda i: pair(*right(i, True, np.float32))), True)
    assert f32
    s = answers.state_at(0)
    g = found["hidden size 5"][0].g[0]
    eps = float(np.finfo(np.float32).eps)
    assert found["hidden size 5"][0].slack[0] == answers.recovery_slack(s.w1, g, 0.1, eps)
    # float32 values returned as float64 are found too; whole numbers are not float32's mark
    wide = every_call(lambda i: pair(*(a.astype(np.float64) for a in right(i, True, np.float32))))
    assert answered(wide, step=True)[2][1]
    assert answers.in_float32(np.float32([0.1, 2.5]).astype(np.float64))
    assert not answers.in_float32(np.array([0.1, 2.5]))
    assert not answers.in_float32(np.array([1.0, 2.0, -3.0]))


@pytest.mark.parametrize(
    ("swap", "t1", "t2"), [(True, False, False), (False, True, False), (False, False, True),
                           (True, True, True)],
)  # fmt: skip
def test_a_layout_is_found_once_and_undone(swap, t1, t2):
    def laid_out(i):
        a, b = right(i)
        a, b = (a.T if t1 else a), (b.T if t2 else b)
        return pair(*((b, a) if swap else (a, b)))

    found, _, (layout, _) = answered(every_call(laid_out))
    assert layout == (swap, t1, t2)
    for a in found["several rows at once"]:
        assert all(np.array_equal(g, w) for g, w in zip(a.g, right(a.call)))


def broken_at(index, call):
    calls = every_call()
    calls[index] = call
    return calls


def test_what_the_first_group_returned_instead_of_two_arrays():
    at = "at A, seed 0, hidden 5"
    err = refused(broken_at(0, Call("raised", error="ValueError", message="boom", line=7)))
    assert (str(err), err.reason, err.line) == (
        f"the function raised ValueError: boom ({at}, line 7)", "raised", 7)  # fmt: skip
    err = refused(broken_at(0, Call("raised", error="KeyError")))
    assert (str(err), err.reason, err.line) == (f"the function raised KeyError ({at})", "raised",
                                                None)  # fmt: skip
    err = refused(broken_at(2, Call("other", types=("tuple",), length=3)))
    assert str(err) == "the function returned 3 values: expected two arrays (dw1, dw2)"
    assert err.reason == "bad-output"
    err = refused(broken_at(0, Call("other", types=("float",))), step=True)
    assert str(err) == "the function returned float: expected two arrays (new_w1, new_w2)"
    err = refused(broken_at(0, Call("pair", (right(0)[0], None), ("ndarray", "str"))))
    assert str(err) == "the function returned str for dw2, not an array"
    err = refused(broken_at(0, Call("pair", (None, None), ("list", "str"))), step=True)
    assert str(err) == "the function returned list for new_w1, not an array"


def test_shapes_that_are_not_the_weights_are_named():
    a, b = right(0)
    said = "the function returned shape"
    err = refused(broken_at(0, pair(a[:, :4], b)))
    assert str(err) == f"{said} (30, 4) for dw1, expected (30, 5) (at A, seed 0, hidden 5)"
    err = refused(broken_at(0, pair(a, b[:, :2])), step=True)
    assert str(err) == f"{said} (5, 2) for new_w2, expected (5, 3) (at A, seed 0, hidden 5)"
    # the layout found at the first call holds for the rest: a transposed answer later is wrong
    err = refused(broken_at(3, pair(right(3)[0].T, right(3)[1])))
    assert str(err) == f"{said} (5, 30) for dw1, expected (30, 5) (at C, seed 0, hidden 5)"
    assert err.reason == "bad-output"
    # swapped at the first call, in order at a later one: each shape is a weight's, the layout not
    calls = every_call(lambda i: pair(*right(i)[::-1]))
    calls[5] = pair(*right(5))
    err = refused(calls)
    assert str(err) == (
        "the function returned shapes (30, 5) and (5, 3) (at B, seed 1, hidden 5), laid out"
        " otherwise than at the first point"
    )


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_answers_are_refused(bad):
    a, b = right(4)
    b = b.copy()
    b[2, 1] = bad
    err = refused(broken_at(4, pair(a, b)))
    assert str(err) == "the function returned NaN or infinite values in dw2"
    a = a.copy()
    a[0, 0] = bad
    err = refused(broken_at(4, pair(a, right(4)[1])), step=True)
    assert str(err) == "the function returned NaN or infinite values in new_w1"


def test_a_group_that_fails_after_the_first_is_noted_and_left_out():
    index = [label for label, _ in plan()].index("hidden size 8") + 5
    found, notes, _ = answered(broken_at(index, Call("other", types=("NoneType",))))
    assert list(found) == ["hidden size 5", "hidden size 3", "several rows at once"]
    assert notes == [
        "not checked with hidden size 8: the function returned NoneType: expected two arrays"
        " (dw1, dw2)"
    ]
    # a run that stopped early: the groups it did not reach are noted, not guessed at
    found, notes, _ = answered(every_call()[:20])
    assert list(found) == ["hidden size 5"]
    assert notes == [
        f"not checked with {label}: the function was not run at every point"
        for label in ("hidden size 3", "hidden size 8", "several rows at once")
    ]
    err = refused(every_call()[:12])
    assert str(err) == "the function was not run at every point"


def test_float32_is_said_of_any_answer_computed_in_it():
    # one float32 array among float64 ones is enough; float64 answers are not float32
    calls = every_call()
    calls[7] = pair(right(7)[0], right(7)[1].astype(np.float32))
    assert answered(calls)[2][1]
    assert not answered(every_call())[2][1]


def test_the_recovery_slack_is_derived_from_the_weights_and_the_gradient():
    w, g = np.array([[3.0, -1.0]]), np.array([[0.5, -2.0]])
    eps = 2.0**-52
    assert answers.recovery_slack(w, g, 0.1) == eps * (3.0 + 0.1 * 2.0) / 0.1
    assert answers.recovery_slack(w, g, 0.5, eps=1.0) == (3.0 + 0.5 * 2.0) / 0.5


def test_answers_are_read_as_float64_whatever_their_dtype():
    # float32 and integer answers: compared in float64, float32 rounding judged as such
    for dtype in (np.float32, np.int64):
        cast = every_call(lambda i, t=dtype: pair(*(a.astype(t) for a in right(i))))
        found, _, _ = answered(cast)
        for a in found["hidden size 3"]:
            assert a.g[0].dtype == a.g[1].dtype == np.float64
    # a step that returns integers (rounded weights) is recovered with float64's eps
    rounded = every_call(lambda i: pair(*(np.round(a).astype(np.int64) for a in right(i, True))))
    found, _, _ = answered(rounded, step=True)
    a = found["hidden size 5"][0]
    s = answers.state_at(0)
    assert a.slack[1] == answers.recovery_slack(s.w2, a.g[1], answers.ALPHA)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_the_right_gradients_are_nowhere_zero_at_the_plans_points(loss):
    # the judge divides by their size (the constant-factor hint): no point may make it 0
    for i in range(len(plan())):
        _, _, dw1, dw2 = catalogue.correct(answers.state_at(i), loss)
        assert np.abs(dw1).max() > 0 and np.abs(dw2).max() > 0
