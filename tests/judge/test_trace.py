"""The trace's margins (reference/judge/trace.py): a layer's delta is recovered from a
gradient that is an outer product within the tolerance (relative to the
gradient's own size) and the absolute slack it may carry, doubled by the
recovery, and from no gradient farther off; a constant factor likewise."""

import numpy as np
import pytest

from reference.judge import catalogue, diagnose
from reference.judge.answers import Answer
from reference.judge.network import state
from reference.judge.plan import plan, state_at
from reference.judge.trace import constant, other_a1, recover_d1, recover_d2, trace
from reference.witnesses.tolerances import GRADIENT
from tests.helpers import run_of

TOL = GRADIENT


def traced(calls, given, slacks, w1_right, w2_right):
    """The trace of ``given`` (dw1, dw2) at the plan's ``calls``, each with its slacks."""
    found = [
        Answer(i, plan()[i], state_at(i), {"w1": g1, "w2": g2}, {"w1": e1, "w2": e2})
        for i, (g1, g2), (e1, e2) in zip(calls, given, slacks)
    ]
    return trace(found, "mse", TOL, {"w1": w1_right, "w2": w2_right})


def orthogonal(a, rows, columns):
    """A (rows, columns) matrix E with a @ E = 0 and max |E| = 1: the part of an
    error that no outer product with ``a`` can absorb."""
    v = np.zeros(rows)
    v[0], v[1] = a[1], -a[0]
    e = np.zeros((rows, columns))
    e[:, 0] = v / np.abs(v).max()
    return e


@pytest.fixture
def point():
    s = state_at(0)
    right = catalogue.correct(s, "mse")
    d1, dw1, dw2 = right.d1, right.dw1, right.dw2
    return s, d1, dw1, dw2


def test_d2_is_recovered_within_the_tolerance_of_dw2s_size(point):
    s, _, _, dw2 = point
    e = orthogonal(s.a1[0], *dw2.shape)
    size = np.abs(dw2).max()
    assert size < 0.5  # so that an absolute floor of 1 would be a looser test
    assert recover_d2(s, dw2 + 0.5 * TOL * size * e, TOL) is not None
    assert recover_d2(s, dw2 + 2 * TOL * size * e, TOL) is None


def test_d2_is_recovered_within_twice_the_slack(point):
    s, _, _, dw2 = point
    e = orthogonal(s.a1[0], *dw2.shape)
    slack = 1e6 * TOL * np.abs(dw2).max()  # the tolerance's own share is negligible beside it
    assert recover_d2(s, dw2 + 1.5 * slack * e, TOL, slack) is not None
    assert recover_d2(s, dw2 + 2.5 * slack * e, TOL, slack) is None
    assert recover_d2(s, dw2 + 1.5 * slack * e, TOL) is None  # no slack unless given


def lit_rows_apart(s, columns):
    """An error on two lit rows of dw1, opposite: their mean, d1, is unchanged."""
    lit = np.flatnonzero(s.x[0] == 1)
    e = np.zeros((s.x.shape[1], columns))
    e[lit[0], 0], e[lit[1], 0] = 1.0, -1.0
    return e


def test_d1_is_recovered_within_the_tolerance_and_twice_the_slack(point):
    s, d1, dw1, _ = point
    e = lit_rows_apart(s, dw1.shape[1])
    size = np.abs(dw1).max()
    assert size < 0.5
    found = recover_d1(s, dw1 + 0.5 * TOL * size * e, TOL)
    np.testing.assert_allclose(found, d1, rtol=1e-12)
    assert recover_d1(s, dw1 + 2 * TOL * size * e, TOL) is None
    slack = 1e6 * TOL * size
    assert recover_d1(s, dw1 + 1.5 * slack * e, TOL, slack) is not None
    assert recover_d1(s, dw1 + 2.5 * slack * e, TOL, slack) is None
    assert recover_d1(s, dw1 + 1.5 * slack * e, TOL) is None


def test_d1_is_recovered_only_from_pixels_that_are_0_or_1(point):
    s, _, _, _ = point
    grey = s.x.copy()
    grey[0, np.flatnonzero(grey[0] == 0)[0]] = 0.5
    t = state(grey, s.y, s.w1, s.w2, s.alpha)
    assert recover_d1(t, catalogue.correct(t, "mse").dw1, TOL) is None
    dark = state(np.zeros_like(s.x), s.y, s.w1, s.w2, s.alpha)
    assert recover_d1(dark, np.zeros_like(s.w1), TOL) is None


def test_a_constant_factor_within_the_tolerance_and_the_slack():
    base = np.array([[0.01, -0.02, 0.005]])
    e = np.array([[2.0, 1.0, 0.0]]) / 2.0  # orthogonal to base, max 1
    assert abs(float(base.ravel() @ e.ravel())) < 1e-18
    size = 3 * np.abs(base).max()
    assert constant([3 * base + 0.5 * TOL * size * e], [base], TOL, [0.0]) == pytest.approx(3)
    assert constant([3 * base + 2 * TOL * size * e], [base], TOL, [0.0]) is None
    slack = 1e6 * TOL * size
    assert constant([3 * base + 0.5 * slack * e], [base], TOL, [slack]) == pytest.approx(3)
    assert constant([3 * base + 1.5 * slack * e], [base], TOL, [slack]) is None
    assert constant([base], [np.zeros_like(base)], TOL, [0.0]) is None


def crossed(u, d):
    """An outer product e f.T with max |e f.T| = 1, e orthogonal to ``u`` and f to ``d``:
    a second singular pair beside u d.T, which leaves u's direction the first."""
    e, f = orthogonal(u, len(u), 1)[:, 0], orthogonal(d, len(d), 1)[:, 0]
    return np.outer(e, f) / np.abs(np.outer(e, f)).max()


def test_another_a1_is_read_within_the_tolerance_of_dw2s_size(point):
    s, _, _, dw2 = point
    z1, d2 = s.z1[0], catalogue.correct(s, "mse").d2[0]
    from_z1 = np.outer(z1, d2)
    size = np.abs(from_z1).max()
    assert size < 0.75  # so that an absolute floor of 1 would be a looser test
    assert other_a1(s, from_z1 + 0.5 * TOL * size * crossed(z1, d2), TOL) == "x @ w1"
    assert other_a1(s, from_z1 + 0.9 * TOL * crossed(z1, d2), TOL) is None
    # one column alone (its d2 one entry) is an outer product still, not zero
    assert other_a1(s, np.outer(z1, [0.0, 0.3, 0.0]), TOL) == "x @ w1"
    assert other_a1(s, np.zeros_like(dw2), TOL) == "zero"


def test_another_a1_is_read_within_twice_the_slack(point):
    s, _, _, _ = point
    z1, d2 = s.z1[0], catalogue.correct(s, "mse").d2[0]
    from_z1, e = np.outer(z1, d2), crossed(z1, d2)
    slack = 1e6 * TOL * np.abs(from_z1).max()
    assert other_a1(s, from_z1 + 1.5 * slack * e, TOL, slack) == "x @ w1"
    assert other_a1(s, from_z1 + 2.5 * slack * e, TOL, slack) is None
    assert other_a1(s, from_z1 + 1.5 * slack * e, TOL) is None  # no slack unless given


def test_a1_is_x_at_w1_when_dw2s_direction_is_z1s_within_the_tolerance(point):
    # u = z1 + t p, p orthogonal to z1: the unit vector read is u / |u|, and z1 scaled
    # onto it misses it by t p / |u|, judged against its largest entry, max |u| / |u|
    s, _, _, _ = point
    z1, d2 = s.z1[0], catalogue.correct(s, "mse").d2[0]
    p = orthogonal(z1, len(z1), 1)[:, 0]
    assert np.linalg.norm(z1) > 1.2 * np.abs(z1).max()  # so that a floor of 1 is looser
    for within, t in ((True, 0.5 * np.abs(z1).max()), (False, np.linalg.norm(z1))):
        found = other_a1(s, np.outer(z1 + TOL * t * p, d2), TOL)
        assert found == ("x @ w1" if within else "another"), t
    # a z1 of zeros has no direction to be: another
    dark = state(np.zeros_like(s.x), s.y, s.w1, s.w2, s.alpha)
    assert other_a1(dark, np.outer(dark.a1[0], d2), TOL) == "another"


def test_a_step_dw2_from_z1_is_traced_within_its_slack():
    # dw2 = z1.T @ d2 off by 1.5 slacks, none of it along z1 or d2: read as from x @ w1
    calls = (0, 2, 3)
    given, slacks = [], []
    for i in calls:
        s = state_at(i)
        right = catalogue.correct(s, "mse")
        z1, d2 = s.z1[0], right.d2[0]
        slack = 1e6 * TOL * np.abs(np.outer(z1, d2)).max()
        given.append((right.dw1, np.outer(z1, d2) + 1.5 * slack * crossed(z1, d2)))
        slacks.append((0.0, slack))
    found = traced(calls, given, slacks, w1_right=True, w2_right=False)
    assert (found.origin, found.w2) == (
        "dw2", "it is z1.T @ d2, z1 = x @ w1, where it should be a1.T @ d2")  # fmt: skip


# --- Each way the trace words a wrong d2 or d1, from a student written as a formula


def slope(a):
    return a * (1 - a)


def made(s, d2, d1=None):
    """(dw1, dw2) from the deltas a student computed (d1 by default the right one from d2)."""
    d1 = catalogue.hidden_delta(s, d2, None) if d1 is None else d1
    return s.x.T @ d1, s.a1.T @ d2


def mse_d2(s):
    return catalogue.correct(s, "mse").d2


def mse_d1(s):
    return catalogue.hidden_delta(s, mse_d2(s), None)


def from_tanh(s, a1):
    """(dw1, dw2) of a student whose hidden layer is ``a1`` = tanh(x @ w1), slope and all."""
    return s.x.T @ (mse_d2(s) @ s.w2.T * (1 - a1**2)), a1.T @ mse_d2(s)


NOT_A1 = "it is u.T @ d2 for a u that is not the hidden activations a1 = sigmoid(x @ w1)"
INHERITS = "inherits d2's mistake: its own step, d1 = (d2 @ w2.T) a1 (1 - a1), is right"
D2_FORM = "the error a2 - y is right, the slope is not"
D2_TERM = "the slope a2 (1 - a2) is right, the error term is not"
NOT_D2 = "nor the error a2 - y times a simple slope"

TRACED = {
    "d2 with z2's slope": ("mse", lambda s: made(s, 2 / 3 * (s.a2 - s.y) * slope(s.z2)), "d2",
        f"{D2_FORM} (d2 = 0.6667 (a2 - y) x z2 (1 - z2))", INHERITS,
        "look at the line that computes d2: the slope there is z2 (1 - z2), not a2 (1 - a2)"),
    "the BCE's d2 with tanh's slope": ("bce", lambda s: made(s, (s.a2 - s.y) * (1 - s.a2**2)),
        "d2", f"{D2_FORM} (d2 = 1 (a2 - y) x 1 - a2^2)", INHERITS,
        "look at the line that computes d2: the slope there is 1 - a2^2, tanh's, not 1 (no slope"
        " at all)"),
    "d2 from a squared error": ("mse", lambda s: made(s, 2 / 3 * (s.a2 - s.y) ** 2 * slope(s.a2)),
        "d2", f"{D2_TERM} (d2 = 0.6667 x (a2 - y)^2 x a2 (1 - a2))", INHERITS,
        "look at the line that computes d2: its error term is (a2 - y)^2, not a2 - y"),
    "d2 from a2 alone": ("mse", lambda s: made(s, -s.a2 * slope(s.a2)), "d2",
        f"{D2_TERM} (d2 = -1 x a2 alone x a2 (1 - a2))", INHERITS,
        "look at the line that computes d2: its error term is a2 alone, not a2 - y"),
    "d2 from y alone": ("mse", lambda s: made(s, 3 * s.y * slope(s.a2)), "d2",
        f"{D2_TERM} (d2 = 3 x y alone x a2 (1 - a2))", INHERITS,
        "look at the line that computes d2: its error term is y alone, not a2 - y"),
    "d2 from a2 + y": ("mse", lambda s: made(s, 0.5 * (s.a2 + s.y) * slope(s.a2)), "d2",
        f"{D2_TERM} (d2 = 0.5 x a2 + y x a2 (1 - a2))", INHERITS,
        "look at the line that computes d2: its error term is a2 + y, not a2 - y"),
    "d2 cubed": ("mse", lambda s: made(s, (s.a2 - s.y) ** 3), "d2",
        f"it is not (a2 - y) a2 (1 - a2) times a constant, {NOT_D2}", INHERITS,
        "look at the line that computes d2"),
    "the BCE's d2 cubed": ("bce", lambda s: made(s, (s.a2 - s.y) ** 3), "d2",
        f"it is not (a2 - y) times a constant, {NOT_D2}", INHERITS,
        "look at the line that computes d2"),
    "d1 with a1 for its slope": ("mse", lambda s: made(s, mse_d2(s), mse_d2(s) @ s.w2.T * s.a1),
        "d1", None,
        "the back-propagated error d2 @ w2.T is right, the slope is not (it is a1 alone)",
        "look at the line that computes d1: the slope there is a1 alone, half of a1 (1 - a1), not"
        " a1 (1 - a1)"),
    "d1 with 2 a1 for its slope": ("mse",
        lambda s: made(s, mse_d2(s), 2 * mse_d2(s) @ s.w2.T * s.a1), "d1", None,
        "the back-propagated error d2 @ w2.T is right, the slope is not (it is 2 x a1 alone)",
        "look at the line that computes d1: the slope there is a1 alone, half of a1 (1 - a1), not"
        " a1 (1 - a1)"),
    "d1 from three times a2 - y": ("mse",
        lambda s: made(s, mse_d2(s), 3 * (s.a2 - s.y) @ s.w2.T * slope(s.a1)), "d1", None,
        "the slope a1 (1 - a1) is right, the back-propagated error is not (it is 3 x (a2 - y) @"
        " w2.T, where dw2 has d2)",
        "look at the line that computes d1: it sends back a2 - y, not the d2 of dw2"),
    "d1 from the MSE's d2 against the BCE": ("bce",
        lambda s: made(s, s.a2 - s.y, 5 * mse_d2(s) @ s.w2.T * slope(s.a1)), "d1", None,
        "the slope a1 (1 - a1) is right, the back-propagated error is not (it is 5 x ((2/3)"
        " (a2 - y) a2 (1 - a2), the MSE's d2) @ w2.T, where dw2 has d2)",
        "look at the line that computes d1: it sends back (2/3) (a2 - y) a2 (1 - a2), the MSE's"
        " d2, not the d2 of dw2"),
    "d1 squared": ("mse", lambda s: made(s, mse_d2(s), (mse_d2(s) @ s.w2.T) ** 2 * slope(s.a1)),
        "d1", None,
        "d1 is wrong: it is not the back-propagated error d2 @ w2.T times a simple slope",
        "look at the line that computes d1: the error sent back through w2, or its slope"),
    "dw2 from a1 squared": ("mse", lambda s: (s.x.T @ mse_d1(s), (s.a1**2).T @ mse_d2(s)), "dw2",
        f"{NOT_A1}", None, "look at the line that computes dw2: the activations it uses are not"
        " a1"),
    "a1 from tanh": ("mse", lambda s: from_tanh(s, np.tanh(s.z1)), "a1", f"{NOT_A1}",
        "d1 is wrong: it is not the back-propagated error d2 @ w2.T times a simple slope (of the"
        " network's d2: yours could not be read back from dw2)",
        "look at the a1 that dw2 uses: it is not sigmoid(x @ w1)"),
    "d2 and d1 each off by a constant": ("mse",
        lambda s: made(s, 5 * mse_d2(s), 7 * catalogue.hidden_delta(s, 5 * mse_d2(s), None)),
        "d2", "d2 is wrong: it is 3.333 (a2 - y) a2 (1 - a2), the right form with another"
        " constant (it should be 0.6667)",
        "d1 is wrong: it is 7 (d2 @ w2.T) a1 (1 - a1), the right form with another constant (it"
        " should be 1), as well as inheriting d2's mistake",
        "look at the line that computes d2: the constant in front of (a2 - y) a2 (1 - a2) is"
        " 3.333, not 0.6667"),
    "the BCE's d2 and d1 each off by a constant": ("bce",
        lambda s: made(s, 5 * (s.a2 - s.y), 7 * catalogue.hidden_delta(s, 5 * (s.a2 - s.y), None)),
        "d2", "d2 is wrong: it is 5 (a2 - y), the right form with another constant (it should be"
        " 1)",
        "d1 is wrong: it is 7 (d2 @ w2.T) a1 (1 - a1), the right form with another constant (it"
        " should be 1), as well as inheriting d2's mistake",
        "look at the line that computes d2: the constant in front of (a2 - y) is 5, not 1"),
    "the BCE's d2 with the MSE's slope and a squared error": ("bce",
        lambda s: made(s, (s.a2 - s.y) ** 2 * slope(s.a2)), "d2",
        f"it is not (a2 - y) times a constant, {NOT_D2}", INHERITS,
        "look at the line that computes d2"),
}  # fmt: skip


@pytest.mark.parametrize("name", TRACED)
def test_the_trace_says_how_each_delta_goes_wrong(name):
    loss, student, origin, w2, w1, pointer = TRACED[name]
    found = diagnose(run_of(lambda s, i: student(s)), loss)
    words = {layer.name: layer.words for layer in found.layers}
    assert all(layer.match is None for layer in found.layers if not layer.correct)
    assert (found.origin, found.pointer) == (origin, pointer)
    if w2 is None:
        assert found.layers[1].correct
    else:
        assert words["w2"].endswith(w2), words["w2"]
    if w1 is None:
        assert found.layers[0].correct
    else:
        assert words["w1"].endswith(w1), words["w1"]


def test_a_back_propagated_error_sent_as_it_is_shows_no_factor():
    # the judge matches this one with the catalogue (the BCE's d2 sent back); the trace
    # itself, asked directly, words it without a factor 1
    calls = (0, 2, 3, 4)
    states = [state_at(i) for i in calls]
    given = [made(s, mse_d2(s), (s.a2 - s.y) @ s.w2.T * slope(s.a1)) for s in states]
    found = traced(calls, given, [(0.0, 0.0)] * 4, w1_right=False, w2_right=True)
    assert (found.origin, found.w2) == ("d1", "")
    assert found.w1 == (
        "d1 is wrong: the slope a1 (1 - a1) is right, the back-propagated error is not (it is"
        " (a2 - y) @ w2.T, where dw2 has d2)"
    )
    assert found.pointer == (
        "look at the line that computes d1: it sends back a2 - y, not the d2 of dw2"
    )


def off_by(d, size, s):
    """``d`` with an error of largest entry ``size`` at its first point, orthogonal to
    the right d2's form there ((a2 - y) a2 (1 - a2)), so no constant absorbs it."""
    b = ((s.a2 - s.y) * slope(s.a2))[0]
    v = np.array([1.0, -2.0, 0.5])
    v = v - (v @ b) / (b @ b) * b
    return d + size * v / np.abs(v).max()


@pytest.mark.parametrize(("off", "found"), [(0.5, True), (2.0, False)])
def test_a_recovered_d2_carries_dw2s_slack_through_the_recovery(off, found):
    # d2 = a1 @ dw2 / |a1|^2 is off by at most sqrt(h) e2 / |a1| where dw2 is off by e2
    # entry by entry; |a1|^2 = 3.3 here, so a bound off by a factor |a1|^2, or by h, shows
    calls = (0, 2, 3)
    states = [state_at(i) for i in calls]
    e2 = 1e-6  # far above the tolerance's share (1e-13 of d2's size)
    bound = e2 * np.sqrt(5) / np.linalg.norm(states[0].a1)
    assert np.linalg.norm(states[0].a1) ** 2 > 3
    given = [made(s, 5 * mse_d2(s)) for s in states]
    given[0] = made(states[0], off_by(5 * mse_d2(states[0]), off * bound, states[0]))
    found_d2 = traced(calls, given, [(0.0, e2)] * 3, w1_right=True, w2_right=False)
    constant_form = "d2 is wrong: it is 3.333 (a2 - y) a2 (1 - a2), the right form with another"
    assert found_d2.w2.startswith(constant_form) is found, found_d2.w2


@pytest.mark.parametrize(("off", "inherits"), [(0.5, True), (2.0, False)])
def test_a_d1_from_a_recovered_d2_is_allowed_its_error_through_w2(off, inherits):
    # d1 = (d2 @ w2.T) a1 (1 - a1) carries d2's error e times at most max|w2| (3 outputs'
    # worth, a slope of at most 1/4): 0.75 max|w2| e; max|w2| = 1.9 here
    calls = (0, 2, 3)
    states = [state_at(i) for i in calls]
    e2 = 1e-6
    e2_of_d2 = e2 * np.sqrt(5) / np.linalg.norm(states[0].a1)
    allowed = 0.75 * np.abs(states[0].w2).max() * e2_of_d2
    assert 1.5 < np.abs(states[0].w2).max() < 2.2
    given = []
    for k, s in enumerate(states):
        d2 = 5 * mse_d2(s)
        d1 = catalogue.hidden_delta(s, d2, None)
        if k == 0:
            d1 = d1 + off * allowed * np.eye(1, d1.shape[1])
        given.append(made(s, d2, d1))
    found = traced(calls, given, [(0.0, e2)] * 3, w1_right=False, w2_right=False)
    assert found.w1.startswith("inherits d2's mistake") is inherits, found.w1
