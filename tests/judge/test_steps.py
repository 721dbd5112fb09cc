"""The verdict on one step of the backward pass (reference/judge/steps.py), on answers
made here as a child would report them: each student a formula of what the step
is given, so that the words can be derived from it."""

import numpy as np
import pytest

from reference.judge import NOT_WRITTEN, STEPS, StepVerdict, judge_step
from reference.judge.catalogue import correct
from reference.judge.languages import said
from reference.judge.plan import plan, state_at
from reference.judge.steps import calls
from reference.sandbox import Call, Run
from tests.helpers import english_left, returned


def run_of(quantity, student, dtype=np.float64):
    """What a child reports for ``student``, called with what the step is given."""
    ((count, made),) = calls(quantity).items()
    found = []
    for arguments in made:
        try:
            value = student(*arguments)
        except NotImplementedError:
            found.append(Call("raised", error="NotImplementedError"))
            continue
        kept = None if value is None else np.asarray(value).astype(dtype)
        found.append(Call("other", (kept,), (type(value).__name__,)))
    return Run("/class/ana.py", "step", parameters=count, given=count, loaded=True, calls=found)


def slope(a):
    return a * (1 - a)


def test_each_step_is_given_the_judges_own_values_at_every_point():
    for i, p in enumerate(plan()):
        s, right = state_at(i), correct(state_at(i), "mse")
        given = {q: calls(q) for q in STEPS}
        assert [a.shape for a in given["d2"][2][i]] == [s.a2.shape, s.y.shape]
        assert all(np.array_equal(a, b) for a, b in zip(given["d2"][2][i], (s.a2, p.y)))
        assert all(np.array_equal(a, b) for a, b in zip(given["dw2"][2][i], (s.a1, right.d2)))
        assert all(np.array_equal(a, b) for a, b in zip(given["d1"][3][i], (right.d2, p.w2, s.a1)))
        assert all(np.array_equal(a, b) for a, b in zip(given["dw1"][2][i], (p.x, right.d1)))


RIGHT = {
    "d2": lambda a2, y: 2 / 3 * (a2 - y) * slope(a2),
    "dw2": lambda a1, d2: a1.T @ d2,
    "d1": lambda d2, w2, a1: d2 @ w2.T * slope(a1),
    "dw1": lambda x, d1: x.T @ d1,
}


@pytest.mark.parametrize("quantity", STEPS)
def test_a_right_step_is_correct_in_float64_and_float32(quantity):
    found = judge_step(quantity, run_of(quantity, RIGHT[quantity]))
    assert (found.status, found.lines) == ("correct", [f"{quantity} is right at every point"])
    assert judge_step(quantity, run_of(quantity, RIGHT[quantity], np.float32)).status == "correct"
    # a float64 answer off by float32's rounding is not
    rounded = run_of(quantity, lambda *a: RIGHT[quantity](*a).astype(np.float32))
    assert judge_step(quantity, rounded).status == "wrong"


#: The line to look at, never with the right formula (the hints lead to it).
LOOK = {q: f"look at the line that computes {q}" for q in STEPS}
MISTAKES = [
    ("d2", lambda a2, y: a2 - y, "the article's rule d2 = a2 - y, the gradient of the summed"
     " binary cross-entropy"),
    ("d2", lambda a2, y: 2 / 3 * (a2 - y), "output sigmoid derivative missing: d2 = (2/3)"
     " (a2 - y)"),
    ("d2", lambda a2, y: (a2 - y) * slope(a2) / 3, "factor 2 lost: d2 = (1/3) (a2 - y) a2"
     " (1 - a2)"),
    ("d2", lambda a2, y: 2 / 3 * (a2 - y) * slope(a2) / len(a2), "MSE divided by the number of"
     " rows as well (a mean over samples)"),
    ("d2", lambda a2, y: 2 / 3 * (y - a2) * slope(a2), "its sign is flipped: it is minus the"
     " right value"),
    ("dw2", lambda a1, d2: a1.T @ d2 / len(a1), "divided by the number of rows (a mean over"
     " samples): it should be the sum over the rows"),
    ("dw2", lambda a1, d2: -(a1.T @ d2), "its sign is flipped: it is minus the right value"),
    ("d1", lambda d2, w2, a1: d2 @ w2.T, "hidden sigmoid derivative missing: d1 = d2 @ w2.T"),
    ("d1", lambda d2, w2, a1: d2 @ w2.T * (1 - a1**2), "hidden derivative taken as tanh's"
     " 1 - a1^2 instead of the sigmoid's a1 (1 - a1)"),
    ("dw1", lambda x, d1: x.T @ d1 / len(x), "divided by the number of rows (a mean over"
     " samples): it should be the sum over the rows"),
]  # fmt: skip


@pytest.mark.parametrize(("quantity", "student", "words"), MISTAKES)
def test_a_known_mistake_is_named_in_the_catalogues_words(quantity, student, words):
    found = judge_step(quantity, run_of(quantity, student))
    assert (found.status, found.lines) == (
        "wrong",
        [f"{quantity} is wrong: {words}", LOOK[quantity]],
    )


NEITHER = "{q} is wrong: it is neither the right {q} nor a constant times it, nor a mistake the"
NEITHER += " catalogue knows"
DESCRIBED = [
    ("d2", lambda a2, y: (a2 - y) * (1 - a2**2), "d2 is wrong: the error a2 - y is right, the"
     " slope is not (d2 = 1 (a2 - y) x 1 - a2^2)", "look at the line that computes d2: the slope"
     " there is 1 - a2^2, tanh's, not a2 (1 - a2)"),
    ("d2", lambda a2, y: 5 * (a2 - y) * slope(a2), "d2 is wrong: it is the right d2 times 7.5",
     "look at the line that computes d2: a factor 7.5 that should not be there"),
    ("d2", lambda a2, y: (a2 - y) ** 3, NEITHER.format(q="d2"), LOOK["d2"]),
    ("d1", lambda d2, w2, a1: d2 @ w2.T * a1, "d1 is wrong: the back-propagated error d2 @ w2.T"
     " is right, the slope is not (it is a1 alone)", "look at the line that computes d1: the"
     " slope there is a1 alone, half of a1 (1 - a1), not a1 (1 - a1)"),
    ("dw1", lambda x, d1: 2 * x.T @ d1, "dw1 is wrong: it is the right dw1 times 2", "look at"
     " the line that computes dw1: a factor 2 that should not be there"),
    ("dw2", lambda a1, d2: (a1**2).T @ d2, NEITHER.format(q="dw2"), LOOK["dw2"]),
]  # fmt: skip


@pytest.mark.parametrize(("quantity", "student", "words", "pointer"), DESCRIBED)
def test_a_mistake_the_catalogue_has_not_is_described(quantity, student, words, pointer):
    found = judge_step(quantity, run_of(quantity, student))
    assert (found.status, found.lines) == ("wrong", [words, pointer])


def test_a_step_wrong_at_some_points_says_how_many_and_the_first():
    # right one sample at a time, the first row's alone for a batch
    found = judge_step("dw2", run_of("dw2", lambda a1, d2: a1[:1].T @ d2[:1]))
    batches = [i for i, p in enumerate(plan()) if len(p.x) > 1]
    first = plan()[batches[0]].label
    assert found.lines[0] == (
        f"{NEITHER.format(q='dw2')} at {len(batches)} of the {len(plan()) - 1} points (the"
        f" first: {first})"
    )


def test_a_shape_or_an_answer_that_is_none_is_said():
    found = judge_step("dw2", run_of("dw2", lambda a1, d2: d2.T @ a1))
    assert (found.status, found.lines) == ("wrong", [
        "dw2 has shape (3, 5), expected (5, 3) (at A, seed 0, hidden 5): it is dw2 transposed,"
        " its values are right"])  # fmt: skip
    found = judge_step("d2", run_of("d2", lambda a2, y: a2.sum(axis=1)))
    assert found.lines == ["d2 has shape (1,), expected (1, 3) (at A, seed 0, hidden 5)"]
    assert judge_step("d1", run_of("d1", none)) == StepVerdict(NOT_WRITTEN)
    assert judge_step("d1", run_of("d1", unwritten)) == judge_step("d1", run_of("d1", none))
    found = judge_step("dw1", run_of("dw1", lambda x, d1: x.T @ d1 + np.nan))
    assert (found.status, found.lines) == (
        "unchecked",
        ["the function returned NaN or infinite values in dw1 (at A, seed 0, hidden 5)"],
    )


def unwritten(d2, w2, a1):
    raise NotImplementedError


def none(d2, w2, a1):
    return None


def test_a_run_that_ended_returned_other_or_was_not_called_is_unchecked():
    ended = Run("/class/ana.py", "step", reason="timeout", detail="did not finish")
    assert judge_step("d2", ended).lines == ["timeout: did not finish"]
    other = run_of("d2", RIGHT["d2"])
    other.calls[3] = Call("other", (None,), ("str",))
    assert judge_step("d2", other).lines == [
        "expected an array, d2 of shape (n, 3); it returned str"
    ]
    raised = run_of("d2", RIGHT["d2"])
    raised.calls[0] = Call("raised", error="KeyError", message="'w3'")
    assert judge_step("d2", raised).lines == ["it raised KeyError: 'w3' (at A, seed 0, hidden 5)"]
    called = Run("/class/ana.py", "step", parameters=3, given=None, loaded=True)
    found = judge_step("d2", called)
    assert (found.status, found.lines) == ("unchecked", ["expected f(a2, y) -> d2"])
    copied = Run("/class/ana.py", "step", forbidden=["numpy_impl.network.output_delta"])
    assert (judge_step("d2", copied).status, judge_step("d2", copied).reason) == (
        "unchecked", "copied")  # fmt: skip


def test_what_is_left_unchecked_is_said_so_in_its_status_and_its_words():
    # a run that ended with no detail is its reason alone; a detail keeps its last letter
    ended = Run("/class/ana.py", "step", reason="timeout", loaded=True)
    assert judge_step("d2", ended) == StepVerdict("unchecked", ["timeout"])
    raised = Run("/class/ana.py", "step", reason="raised", detail="ValueError: not a matrix X")
    assert judge_step("d2", raised).lines == ["raised: ValueError: not a matrix X"]
    failed = run_of("d2", RIGHT["d2"])
    failed.calls[0] = Call("raised", error="KeyError", message="'w3'")
    assert judge_step("d2", failed) == StepVerdict(
        "unchecked", ["it raised KeyError: 'w3' (at A, seed 0, hidden 5)"])  # fmt: skip
    # a tuple of two arrays is no array, whichever comes first
    paired = run_of("d2", RIGHT["d2"])
    paired.calls[3] = returned(np.ones((1, 3)), np.ones((1, 3)))
    expected = "expected an array, d2 of shape (n, 3); it returned ndarray, ndarray"
    assert judge_step("d2", paired) == StepVerdict("unchecked", [expected])
    copied = Run("/class/ana.py", "step", forbidden=["numpy_impl.network.output_delta"])
    assert judge_step("d2", copied) == StepVerdict("unchecked", [
        "ana.py uses numpy_impl.network.output_delta, the project's own code: its answers would"
        " be the project's, not yours, so they are not judged; write step without it"],
        "copied")  # fmt: skip


def test_a_constant_factor_is_found_at_the_precision_the_step_was_computed_in():
    # float32's rounding hides no factor; float64 off by far more than its rounding has none
    times = judge_step("d2", run_of("d2", lambda a2, y: 5 * (a2 - y) * slope(a2), np.float32))
    assert times.lines[0] == "d2 is wrong: it is the right d2 times 7.5"
    noise = np.random.default_rng(0)

    def noisy(a2, y):
        return 5 * (a2 - y) * slope(a2) * (1 + 1e-8 * noise.standard_normal(a2.shape))

    assert judge_step("d2", run_of("d2", noisy)).lines == [NEITHER.format(q="d2"), LOOK["d2"]]
    # a factor near 1 is shown to the digits that tell it from 1
    near_one = judge_step("dw1", run_of("dw1", lambda x, d1: 1.000001 * x.T @ d1))
    assert near_one.lines[0] == "dw1 is wrong: it is the right dw1 times 1.000001"


@pytest.mark.parametrize(
    ("quantity", "student"),
    [(q, RIGHT[q]) for q in STEPS] + [m[:2] for m in MISTAKES] + [d[:2] for d in DESCRIBED],
)
def test_every_line_of_a_steps_check_is_said_in_chinese(quantity, student):
    for line in judge_step(quantity, run_of(quantity, student)).lines:
        assert english_left(said(line, "zh")) == [], line


@pytest.mark.parametrize(("quantity", "student"), [m[:2] for m in MISTAKES + DESCRIBED])
def test_a_wrong_step_is_never_told_the_right_formula(quantity, student):
    # (a mistake the catalogue names is said as the student wrote it, which is the point)
    words, pointer = judge_step(quantity, run_of(quantity, student)).lines
    named = any(student is m[1] for m in MISTAKES)
    assert STEPS[quantity].formula not in (pointer if named else words + pointer)
