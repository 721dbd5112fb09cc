"""The verdict on a forward pass (reference/judge/forward.py), on answers made here as
a child would report them: right, left as handed out, without its sigmoid, of
the wrong shape, raising, or returning something else."""

import numpy as np
import pytest

from reference.judge import NOT_WRITTEN, forward
from reference.judge.languages import said
from reference.judge.plan import plan, state_at
from reference.sandbox import Call, Run
from tests.helpers import english_left, returned


def run_of(activations, parameters=3, calls=None):
    """What a child reports for a forward pass ``activations(state) -> (a1, a2)``."""
    made = [returned(*activations(state_at(i))) for i in range(calls or len(plan()))]
    given = parameters if parameters == 3 else None  # what the child would call with
    return Run("/class/ana.py", "forward", parameters=parameters, given=given, loaded=True,
               calls=made)  # fmt: skip


def judged(activations, **kw):
    found = forward.judge_forward(run_of(activations, **kw))
    return found.status, found.lines


def test_the_calls_are_x_w1_w2_at_every_point():
    (made,) = forward.calls().values()
    assert list(forward.calls()) == [3] and len(made) == len(plan())
    for p, call in zip(plan(), made):
        assert all(a is b for a, b in zip(call, (p.x, p.w1, p.w2)))


def test_right_activations_are_correct_in_float64_and_float32():
    assert judged(lambda s: (s.a1, s.a2)) == ("correct", ["a1 and a2 are right at every point"])
    f32 = judged(lambda s: (s.a1.astype(np.float32), s.a2.astype(np.float32)))
    assert f32[0] == "correct"
    # a float64 answer off by float32's rounding is not
    assert judged(lambda s: (s.a1.astype(np.float32).astype(float), s.a2))[0] == "wrong"


@pytest.mark.parametrize(("layer", "z"), [("a1", "x @ w1"), ("a2", "a1 @ w2")])
def test_a_missing_sigmoid_is_named_and_another_mistake_is_not(layer, z):
    def without(s):
        return (s.z1, s.a2) if layer == "a1" else (s.a1, s.z2)

    at = "A, seed 0, hidden 5"
    assert judged(without) == ("wrong", [f"{layer} is not sigmoid({z}): it is {z}, without the"
                                         f" sigmoid (at {at})"])  # fmt: skip

    def doubled(s):
        return (2 * s.a1, s.a2) if layer == "a1" else (s.a1, 2 * s.a2)

    assert judged(doubled) == ("wrong", [f"{layer} is not sigmoid({z}) (at {at})"])


def test_a_mistake_at_a_later_point_is_said_there():
    def late(s):
        return (s.a1, s.a2 + (s.n > 1))

    assert judged(late) == ("wrong", ["a2 is not sigmoid(a1 @ w2) (at A, B, C as rows, seed 0)"])


def test_shapes_left_as_handed_out_and_other_answers():
    assert judged(lambda s: (s.a1.T, s.a2)) == (
        "wrong", ["a1 has shape (5, 1), expected (1, 5) (at A, seed 0, hidden 5)"])  # fmt: skip
    run = run_of(lambda s: (s.a1, s.a2))
    for call, verdict in [
        (Call("raised", error="NotImplementedError"), (NOT_WRITTEN, [])),
        (Call("other", types=("NoneType",)), (NOT_WRITTEN, [])),
        (Call("raised", error="ValueError", message="no"),
         ("unchecked", ["it raised ValueError: no (at A, seed 0, hidden 5)"])),
        (Call("values", (np.ones(3),), ("ndarray",), 1),
         ("unchecked", ["expected two arrays, (a1, a2)"])),
        (Call("values", (np.ones(3), None), ("ndarray", "str"), 2),
         ("unchecked", ["expected two arrays, (a1, a2)"])),
    ]:  # fmt: skip
        run.calls[0] = call
        found = forward.judge_forward(run)
        assert (found.status, found.lines) == verdict


def test_a_run_that_ended_or_a_function_of_another_shape_is_unchecked():
    ended = Run("/class/ana.py", "forward", reason="timeout", loaded=True)
    assert forward.judge_forward(ended) == forward.ForwardVerdict("unchecked", ["timeout"])
    crashed = Run("/class/ana.py", "forward", reason="crashed", detail="SIGSEGV")
    assert forward.judge_forward(crashed).lines == ["crashed: SIGSEGV"]
    copied = Run("/class/ana.py", "forward", forbidden=["numpy_impl.network.forward"])
    assert forward.judge_forward(copied) == forward.ForwardVerdict("unchecked", [
        "ana.py uses numpy_impl.network.forward, the project's own code: its answers would be"
        " the project's, not yours, so they are not judged; write forward without it"],
        "copied")  # fmt: skip
    raised = Run("/class/ana.py", "forward", reason="raised", detail="AssertionError: X")
    assert forward.judge_forward(raised).lines == ["raised: AssertionError: X"]
    found = forward.judge_forward(run_of(lambda s: (s.a1, s.a2), parameters=4, calls=0))
    assert (found.status, found.lines) == ("unchecked", ["expected f(x, w1, w2) -> (a1, a2)"])


def test_every_line_of_the_check_is_said_in_chinese():
    for activations in (lambda s: (s.a1, s.a2), lambda s: (s.a1, s.z2),
                        lambda s: (s.a1, s.a2.T), lambda s: (s.a1, np.tanh(s.z2))):  # fmt: skip
        for line in forward.judge_forward(run_of(activations)).lines:
            assert english_left(said(line, "zh")) == [], line
