"""What a submission answered, read in the judge's process (reference/judge/answers.py):
the one-line reason for each way a run can end badly, and every shape of answer
a child can hand back (pairs, other values, exceptions, wrong shapes, NaN, a
swapped or transposed layout, float32, a step), built here as the child would
report them, so that each message is checked word for word."""

import warnings

import numpy as np
import pytest

from reference.judge import answers, catalogue, plan
from reference.judge.answers import Note, StudentError, read_answers, refuse
from reference.judge.plan import GROUPS
from reference.sandbox import Call, Run
from tests.helpers import returned as pair

PATH = "/class/ana.py"
EXPECTED = ": expected f(x, y, w1, w2) -> (dw1, dw2) or f(x, y, w1, w2, alpha) -> (new_w1, new_w2)"


def ended(reason=None, detail="", line=None, loaded=False, functions=(), parameters=4):
    given = parameters if parameters in (4, 5) else None  # what the child would call with
    return Run(PATH, "grads", reason, detail, line, list(functions), parameters,
               given=given, loaded=loaded)  # fmt: skip


@pytest.mark.parametrize(
    ("run", "message", "line"),
    [
        (ended("timeout"), "ana.py did not finish within the time limit while loading", None),
        (
            ended("timeout", loaded=True),
            "ana.py did not finish within the time limit while running the function",
            None,
        ),
        (ended("exited", "status 3"), "ana.py exited while loading (status 3)", None),
        (ended("exited", "status 1", loaded=None), "ana.py exited (status 1)", None),
        (
            ended("timeout", "10 s", loaded=True),
            "ana.py did not finish within the time limit of 10 s while running the function",
            None,
        ),
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


def test_a_run_that_used_the_projects_own_code_names_everything_it_used():
    run = ended(loaded=True)
    run.forbidden = ["numpy_impl.network.forward", "numpy_impl.network.backprop"]
    with pytest.raises(StudentError) as caught:
        refuse(run)
    assert str(caught.value) == (
        "ana.py uses numpy_impl.network.forward, numpy_impl.network.backprop, the project's own"
        " code: its answers would be the project's, not yours, so they are not judged; write"
        " grads without it"
    )
    assert caught.value.reason == "copied"


@pytest.mark.parametrize("parameters", [4, 5])
def test_a_run_to_the_end_is_not_refused(parameters):
    assert refuse(ended(loaded=True, parameters=parameters)) is None


# --- What the function returned, call by call ------------------------------


def right(index, step=False, dtype=np.float64):
    """The correct pair (MSE) at call ``index`` of the plan, as a gradient or a step."""
    s = plan.state_at(index)
    found = catalogue.correct(s, "mse")
    dw1, dw2 = found.dw1, found.dw2
    if step:
        dw1, dw2 = s.w1 - plan.ALPHA * dw1, s.w2 - plan.ALPHA * dw2
    return dw1.astype(dtype), dw2.astype(dtype)


def answered(calls, step=False):
    count = 5 if step else 4
    run = Run(PATH, "grads", parameters=count, given=count, loaded=True, calls=calls)
    return read_answers(run)


def every_call(make=lambda i: pair(*right(i))):
    return [make(i) for i in range(len(plan.plan()))]


def labels():
    return [p.group.label for p in plan.plan()]


def gradients(answer):
    return answer.gradient["w1"], answer.gradient["w2"]


def refused(calls, step=False):
    with pytest.raises(StudentError) as caught:
        answered(calls, step)
    return caught.value


def test_the_plan_is_each_group_in_order_with_the_first_point_twice():
    points = plan.plan()
    sizes = {"hidden size 5": 12 + 1, "hidden size 3": 12, "hidden size 8": 12}
    assert labels() == [g.label for g in GROUPS for _ in range(sizes.get(g.label, 4))]
    assert points[0] is points[1] and plan.REPEAT == 1
    assert [p.w1.shape[1] for p in points[:13]] == [5] * 13
    assert [p.label for p in points[10:13]] == [
        f"{letter}, seed 3, weights x 8 (saturated), hidden 5" for letter in "ABC"
    ]
    assert points[-1].label == "A, B, C as rows, seed 3, weights x 8 (saturated)"
    assert {len(p.x) for p in points if p.group.rows} == {3}
    assert len(points) == 41


def test_the_calls_are_the_plans_points_for_a_gradient_and_for_a_step():
    made = plan.calls()
    assert sorted(made) == [4, 5] and plan.calls() is made  # made once: written once a class
    for p, gradient, step in zip(plan.plan(), made[4], made[5]):
        assert all(a is b for a, b in zip(gradient, (p.x, p.y, p.w1, p.w2)))
        assert step[:4] == gradient and step[4] == plan.ALPHA == 0.1


def test_correct_gradients_are_read_group_by_group():
    found = answered(every_call())
    assert list(found.groups) == [g.label for g in GROUPS] and found.notes == []
    assert found.layout == answers.Layout(False, {"w1": False, "w2": False})
    assert found.precision == answers.FLOAT64 and not found.step
    assert [a.call for a in found.all] == list(range(len(plan.plan())))
    assert [a.call for a in found.singles] == [0, *range(2, 13)]
    for a in found.all:
        assert a.point is plan.plan()[a.call] and a.state is plan.state_at(a.call)
        assert a.slack == {"w1": 0.0, "w2": 0.0}
        assert all(np.array_equal(g, w) for g, w in zip(gradients(a), right(a.call)))


def test_a_step_is_read_back_as_a_gradient_with_its_slack():
    found = answered(every_call(lambda i: pair(*right(i, step=True))), step=True)
    assert found.step
    for a in found.groups["hidden size 5"]:
        s, want = plan.state_at(a.call), right(a.call)
        for g, w, slack, weights in zip(gradients(a), want, a.slack.values(), (s.w1, s.w2)):
            assert slack == answers.recovery_slack(weights, g, plan.ALPHA) > 0
            assert np.abs(g - w).max() <= slack + 1e-12 * np.abs(w).max()


def test_float32_answers_are_found_and_their_slack_is_float32s():
    found = answered(every_call(lambda i: pair(*right(i, True, np.float32))), True)
    assert found.precision == answers.FLOAT32_ROUNDING
    s = plan.state_at(0)
    g = found.first[0].gradient["w1"]
    eps = float(np.finfo(np.float32).eps)
    assert found.first[0].slack["w1"] == answers.recovery_slack(s.w1, g, 0.1, eps)
    # float32 values returned as float64 are found too; whole numbers are not float32's mark
    wide = every_call(lambda i: pair(*(a.astype(np.float64) for a in right(i, True, np.float32))))
    assert answered(wide, step=True).precision.name == "float32"
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

    found = answered(every_call(laid_out))
    assert found.layout == answers.Layout(swap, {"w1": t1, "w2": t2})
    assert found.layout.mistakes("w2") == ["gradients swapped"] * swap + ["dw2 transposed"] * t2
    for a in found.groups["several rows at once"]:
        assert all(np.array_equal(g, w) for g, w in zip(gradients(a), right(a.call)))


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
    err = refused(broken_at(2, Call("values", types=("ndarray",) * 3, length=3)))
    assert str(err) == "the function returned 3 values: expected two arrays (dw1, dw2)"
    assert err.reason == "bad-output"
    err = refused(broken_at(0, Call("other", types=("float",))), step=True)
    assert str(err) == "the function returned float: expected two arrays (new_w1, new_w2)"
    err = refused(broken_at(0, Call("values", (right(0)[0], None), ("ndarray", "str"), 2)))
    assert str(err) == "the function returned str for dw2, not an array"
    err = refused(broken_at(0, Call("values", (None, None), ("list", "str"), 2)), step=True)
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
    index = labels().index("hidden size 8") + 5
    found = answered(broken_at(index, Call("other", types=("NoneType",))))
    assert list(found.groups) == ["hidden size 5", "hidden size 3", "several rows at once"]
    assert found.notes == [
        Note("not checked with hidden size 8",
             "the function returned NoneType: expected two arrays (dw1, dw2)")
    ]  # fmt: skip
    # a run that stopped early: the groups it did not reach are noted, not guessed at
    found = answered(every_call()[:20])
    assert list(found.groups) == ["hidden size 5"]
    assert found.notes == [
        Note(f"not checked with {label}", "the function was not run at every point")
        for label in ("hidden size 3", "hidden size 8", "several rows at once")
    ]
    err = refused(every_call()[:12])
    assert str(err) == "the function was not run at every point"


def test_float32_is_said_of_any_answer_computed_in_it():
    # one float32 array among float64 ones is enough; float64 answers are not float32
    calls = every_call()
    calls[7] = pair(right(7)[0], right(7)[1].astype(np.float32))
    assert answered(calls).precision.name == "float32"
    assert answered(every_call()).precision.name == "float64"


def test_the_recovery_slack_is_derived_from_the_weights_and_the_gradient():
    w, g = np.array([[3.0, -1.0]]), np.array([[0.5, -2.0]])
    eps = 2.0**-52
    assert answers.recovery_slack(w, g, 0.1) == eps * (3.0 + 0.1 * 2.0) / 0.1
    assert answers.recovery_slack(w, g, 0.5, eps=1.0) == (3.0 + 0.5 * 2.0) / 0.5


def test_answers_are_read_as_float64_whatever_their_dtype():
    # float32 and integer answers: compared in float64, float32 rounding judged as such
    for dtype in (np.float32, np.int64):
        cast = every_call(lambda i, t=dtype: pair(*(a.astype(t) for a in right(i))))
        found = answered(cast)
        for a in found.groups["hidden size 3"]:
            assert a.gradient["w1"].dtype == a.gradient["w2"].dtype == np.float64
    # a step that returns integers (rounded weights) is recovered with float64's eps
    rounded = every_call(lambda i: pair(*(np.round(a).astype(np.int64) for a in right(i, True))))
    a = answered(rounded, step=True).first[0]
    s = plan.state_at(0)
    assert a.slack["w2"] == answers.recovery_slack(s.w2, a.gradient["w2"], plan.ALPHA)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_the_right_gradients_are_nowhere_zero_at_the_plans_points(loss):
    # the judge divides by their size (the constant-factor hint): no point may make it 0
    for i in range(len(plan.plan())):
        found = catalogue.correct(plan.state_at(i), loss)
        assert np.abs(found.dw1).max() > 0 and np.abs(found.dw2).max() > 0


def test_parameters_with_defaults_are_left_to_them_and_said():
    # f(x, y, w1, w2, l2=0.0): the child calls it with the four without a default
    run = Run(PATH, "grads", parameters=5, required=4, defaulted=["l2"], given=4, loaded=True,
              calls=every_call())  # fmt: skip
    found = read_answers(run)
    assert not found.step
    assert [str(n) for n in found.notes] == [
        "judged as a gradient, f(x, y, w1, w2) -> (dw1, dw2), from its 4 parameters without"
        " a default; left to their defaults: l2"
    ]
    assert found.notes[0].said == "l2"  # the student's own name, quoted where it is shown
    # six parameters, three without a default: neither shape, and the words say why
    with pytest.raises(StudentError) as caught:
        refuse(Run(PATH, "grads", parameters=6, required=3, defaulted=["a", "b", "c"],
                   loaded=True))  # fmt: skip
    assert str(caught.value) == (
        "the function takes 6 positional parameters, 3 without a default" + EXPECTED
    )


def test_a_step_computed_in_float16_is_refused_in_one_whole_sentence():
    with pytest.raises(StudentError) as refused:
        answered(every_call(lambda i: pair(*right(i, step=True, dtype=np.float16))), step=True)
    assert str(refused.value) == (
        "a step computed in float16 cannot be judged: its gradients, read back as"
        " (w - new_w) / alpha, carry w's float16 rounding over alpha, as much as a"
        " mistake would change them; compute the step in float32 or float64, or return"
        " the gradients"
    )


def test_a_value_too_large_for_float16_is_not_one_and_warns_of_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a cast that overflows to inf would warn
        assert not answers.in_float32(np.array([1e6, 0.5]), np.float16)
        assert answers.in_float32(np.array([1e6, 0.5]))  # both exact float32 values
