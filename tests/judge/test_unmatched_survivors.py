"""What is said of a layer no chain matches (reference/judge/unmatched.py), each student
written out here as a formula, its forward pass and deltas by hand, not from the judge's
own: where no point differs, the first point is where the differences are read, alone;
a gradient of zeros is the correct one times 0, exactly (no tolerance needed to say
so); and a layer with no such constant carries no allowance for one."""

from dataclasses import replace

import numpy as np

from reference.judge import diagnose
from reference.judge.answers import FLOAT64, Answer
from reference.judge.plan import plan, state_at
from reference.judge.unmatched import differing, factor, relative, spread
from reference.witnesses.tolerances import GRADIENT, gradient_floor
from tests.helpers import run_of


def sigmoid(t):
    return 1 / (1 + np.exp(-t))


def right(s, i=None):
    """The MSE's (dw1, dw2), written out: d2 = (2/3) (a2 - y) a2 (1 - a2),
    d1 = (d2 @ w2.T) a1 (1 - a1), dw1 = x.T @ d1, dw2 = a1.T @ d2."""
    a1 = sigmoid(s.x @ s.w1)
    a2 = sigmoid(a1 @ s.w2)
    d2 = 2 / 3 * (a2 - s.y) * a2 * (1 - a2)
    d1 = d2 @ s.w2.T * a1 * (1 - a1)
    return s.x.T @ d1, a1.T @ d2


def answers_of(student, calls):
    """The answers of ``student`` (s -> (dw1, dw2)) at the plan's ``calls``, no slack."""
    made = []
    for i in calls:
        s = state_at(i)
        dw1, dw2 = student(s)
        made.append(Answer(i, plan()[i], s, {"w1": dw1, "w2": dw2}, {"w1": 0.0, "w2": 0.0}))
    return made


def test_where_no_point_differs_the_first_is_read_alone():
    found = answers_of(right, (0, 2, 3))
    for weight in ("w1", "w2"):
        said = spread(found, weight, "mse", FLOAT64)
        assert len(said.off) == 1 and said.off[0] is found[0], weight
        assert said.total == 3


def zero_dw2(s, i=None):
    return right(s)[0], np.zeros_like(s.w2)


def test_a_gradient_of_zeros_is_the_correct_one_times_zero():
    # 0 = 0 x the correct gradient, to the last bit: k = 0 and nothing is left over
    assert factor(answers_of(zero_dw2, (0, 2, 3)), "w2", "mse", FLOAT64.tolerance) == (0.0, 0.0)
    found = diagnose(run_of(zero_dw2), "mse")
    assert found.layers[0].correct
    w2 = found.layers[1]
    assert w2.factor == 0.0
    assert "but it is the correct gradient times 0 everywhere (a fixed factor?); " in w2.words


def z2s_slope(s, i=None):
    """d2 with z2's slope, (2/3) (a2 - y) z2 (1 - z2), and d1 from it: no constant
    factor of the correct gradients, in either layer."""
    a1 = sigmoid(s.x @ s.w1)
    z2 = a1 @ s.w2
    d2 = 2 / 3 * (sigmoid(z2) - s.y) * z2 * (1 - z2)
    return s.x.T @ (d2 @ s.w2.T * a1 * (1 - a1)), a1.T @ d2


def test_a_layer_with_no_factor_is_allowed_none():
    # the allowance is how far a factor may be off: none without a factor, as for a
    # layer the catalogue matches
    found = diagnose(run_of(z2s_slope), "mse")
    for layer in found.layers:
        assert layer.match is None and layer.factor is None, layer.words
        assert layer.allowed == 0.0, layer.name


def twice_dw2(s, i=None):
    dw1, dw2 = right(s)
    return dw1, 2 * dw2


def test_an_answer_off_by_exactly_the_tolerance_is_not_differing():
    # the tolerance is the largest difference allowed: at it, an answer still agrees
    (found,) = answers_of(twice_dw2, (0,))
    at = replace(FLOAT64, tolerance=relative(found, "w2", "mse", FLOAT64))
    assert at.tolerance > 0
    assert differing([found], "w2", "mse", at) == []
    assert differing([found], "w2", "mse", replace(at, tolerance=at.tolerance / 2)) == [found]


def test_a_batch_is_judged_against_the_floor_of_its_rows_summed():
    # the saturated batch of rows (A, B, C at once): dL/dw1 is far below the floor there,
    # which for a sum of n = 3 rows is the floor of one row times 3 (gradient_floor)
    (i,) = [i for i, p in enumerate(plan()) if p.group.rows and "saturated" in p.label]
    (found,) = answers_of(lambda s: (right(s)[0] + 1e-3, right(s)[1]), (i,))
    s = found.state
    floor = gradient_floor(s.w2, upstream=3)
    assert s.n == 3 and np.abs(right(s)[0]).max() < floor
    assert abs(relative(found, "w1", "mse", FLOAT64) - 1e-3 / floor) <= GRADIENT * 1e-3 / floor
