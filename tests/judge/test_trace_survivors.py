"""Where a wrong gradient starts (reference/judge/trace.py, and the origin read from the
layers judged, reference/judge/fit.py), each student written out here as a formula, its
forward pass and deltas by hand, not from the judge's own: a step's recovered gradients
read back within the slack the recovery costs, in dL/dw2 and in dL/dw1 alike; a recovered
d2 allowed sqrt(h) e2 / |a1| where |a1| < 1; nothing said of a dL/dw1 whose d1 follows
the d2 it was given (where that d2 is not wrong); a d1 wrong after a dw2 that is no
outer product is where it starts, d1 coming before dw2; and one gradient's sign flipped
is that gradient's line, not d2's."""

import numpy as np
import pytest

from reference.judge import diagnose
from reference.judge.answers import Answer
from reference.judge.network import state
from reference.judge.plan import ALPHA, plan, state_at
from reference.judge.trace import trace
from reference.witnesses.tolerances import GRADIENT
from tests.helpers import run_of

TOL = GRADIENT
INHERITS = "inherits d2's mistake: its own step, d1 = (d2 @ w2.T) a1 (1 - a1), is right"


def sigmoid(t):
    return 1 / (1 + np.exp(-t))


def forward(s):
    """z1, a1, z2, a2 at the point ``s``, written out."""
    z1 = s.x @ s.w1
    a1 = sigmoid(z1)
    z2 = a1 @ s.w2
    return z1, a1, z2, sigmoid(z2)


def mse_d2(s):
    """The MSE's d2, (2/3) (a2 - y) a2 (1 - a2)."""
    _, _, _, a2 = forward(s)
    return 2 / 3 * (a2 - s.y) * a2 * (1 - a2)


def hidden(s, d2, slope=None):
    """d1 = (d2 @ w2.T) slope, a1 (1 - a1) by default."""
    _, a1, _, _ = forward(s)
    return d2 @ s.w2.T * (a1 * (1 - a1) if slope is None else slope)


def gradients(s, d2, d1=None):
    """(dw1, dw2) = (x.T @ d1, a1.T @ d2), d1 by default the right one from d2."""
    _, a1, _, _ = forward(s)
    return s.x.T @ (hidden(s, d2) if d1 is None else d1), a1.T @ d2


def traced(states, given, slacks, w1_right, w2_right):
    """The trace of ``given`` (dw1, dw2) at ``states``, each with its slacks (e1, e2)."""
    found = [
        Answer(i, plan()[0], s, {"w1": g1, "w2": g2}, {"w1": e1, "w2": e2})
        for i, (s, (g1, g2), (e1, e2)) in enumerate(zip(states, given, slacks))
    ]
    return trace(found, "mse", TOL, {"w1": w1_right, "w2": w2_right})


# --- a step: its gradients read back as (w - new_w) / alpha, within their slack -------


def small_d2_of_z2s_slope(s, i):
    """d2 = 0.01 (2/3) (a2 - y) z2 (1 - z2): the slope of z2 in place of a2's, and small,
    so that a step's recovery costs more than the tolerance's share of dw2."""
    _, _, z2, a2 = forward(s)
    return gradients(s, 0.01 * 2 / 3 * (a2 - s.y) * z2 * (1 - z2))


def test_a_step_is_traced_within_what_its_recovery_costs():
    run = run_of(small_d2_of_z2s_slope, step=True)
    # the recovered dw2 is off by more than the tolerance allows of its size somewhere:
    # traced without the slack, it would be no outer product a1.T @ d2
    beyond = []
    for i, call in enumerate(run.calls):
        s = state_at(i)
        if s.n == 1:
            wanted = small_d2_of_z2s_slope(s, i)[1]
            back = (s.w2 - call.arrays[1]) / ALPHA
            beyond.append(np.abs(back - wanted).max() > TOL * np.abs(wanted).max())
    assert any(beyond)
    found = diagnose(run, "mse")
    words = {layer.name: layer.words for layer in found.layers}
    assert found.origin == "d2"
    assert words["w2"].endswith(
        "d2 is wrong: the error a2 - y is right, the slope is not (d2 = 0.006667 (a2 - y) x"
        " z2 (1 - z2))"
    ), words["w2"]
    assert words["w1"].endswith(INHERITS), words["w1"]
    assert found.pointer == (
        "look at the line that computes d2: the slope there is z2 (1 - z2), not a2 (1 - a2)"
    )


# --- a recovered d2 where |a1| < 1 ----------------------------------------------------


def dim(i):
    """The plan's point ``i`` with w1 such that z1 = -2 + 0.1 j at hidden unit j: every
    a1 about sigmoid(-2) = 0.12, so |a1| < 1/3."""
    s = state_at(i)
    lit = s.x[0].sum()
    w1 = np.tile((-2 + 0.1 * np.arange(s.w1.shape[1])) / lit, (s.x.shape[1], 1))
    return state(s.x, s.y, w1, s.w2, ALPHA)


def off_the_form(s, d2, size):
    """``d2`` with an error of largest entry ``size``, orthogonal to the right d2's form
    there ((a2 - y) a2 (1 - a2)), so that no constant absorbs it."""
    _, _, _, a2 = forward(s)
    b = ((a2 - s.y) * a2 * (1 - a2))[0]
    v = np.array([1.0, -2.0, 0.5])
    v = v - (v @ b) / (b @ b) * b
    return d2 + size * v / np.abs(v).max()


@pytest.mark.parametrize(("off", "found"), [(0.5, True), (2.0, False)])
def test_a_recovered_d2_is_allowed_its_error_over_a_small_a1(off, found):
    # d2 = a1 @ dw2 / |a1|^2 is off by at most sqrt(h) e2 / |a1| where dw2 is off by e2
    # entry by entry: where |a1| < 1 that is more than sqrt(h) e2, not less
    states = [dim(i) for i in (0, 2, 3)]
    _, a1, _, _ = forward(states[0])
    assert np.linalg.norm(a1) < 1 / 3
    e2 = 1e-6  # far above the tolerance's share (1e-13 of d2's size)
    bound = e2 * np.sqrt(a1.size) / np.linalg.norm(a1)
    d2s = [5 * mse_d2(s) for s in states]
    d2s[0] = off_the_form(states[0], d2s[0], off * bound)
    given = [gradients(s, d2) for s, d2 in zip(states, d2s)]
    said = traced(states, given, [(0.0, e2)] * 3, w1_right=True, w2_right=False)
    constant_form = "d2 is wrong: it is 3.333 (a2 - y) a2 (1 - a2), the right form with another"
    assert said.w2.startswith(constant_form) is found, said.w2


# --- a d1 that follows the d2 it was given ------------------------------------------


def no_outer_product(s, dw2):
    """``dw2`` plus 0.1 on its diagonal: no outer product u.T @ d2 any more."""
    return dw2 + 0.1 * np.eye(*dw2.shape)


@pytest.mark.parametrize(("dw2_of", "origin"), [(lambda s, dw2: dw2, None),
                                                 (no_outer_product, "dw2")])  # fmt: skip
def test_a_d1_that_follows_its_d2_is_said_nothing_of(dw2_of, origin):
    # dL/dw1 not found right (w1_right False), yet at every point here it is x.T @ d1
    # with d1 = (d2 @ w2.T) a1 (1 - a1) of the right d2: no mistake of its own, none
    # inherited (d2 is right, or cannot be read from dw2 and is not said to be wrong)
    states = [state_at(i) for i in (0, 2, 3)]
    given = []
    for s in states:
        dw1, dw2 = gradients(s, mse_d2(s))
        given.append((dw1, dw2_of(s, dw2)))
    said = traced(states, given, [(0.0, 0.0)] * 3, w1_right=False, w2_right=origin is None)
    assert said.origin == origin
    assert said.w1 == ""


# --- where it starts ------------------------------------------------------------------


def d1_of_a1_alone_after_no_outer_product(s, i):
    """d1 with a1 for its slope; dw2 no outer product at all."""
    _, a1, _, _ = forward(s)
    d2 = mse_d2(s)
    dw1, dw2 = gradients(s, d2, hidden(s, d2, a1))
    return dw1, no_outer_product(s, dw2)


def test_a_wrong_d1_comes_before_a_dw2_that_is_no_outer_product():
    # the order the chain is computed in: a1, d2, d1, dw1, dw2; d2 cannot be read from
    # this dw2, and d1 goes wrong from the network's d2: d1 is where it starts
    found = diagnose(run_of(d1_of_a1_alone_after_no_outer_product), "mse")
    words = {layer.name: layer.words for layer in found.layers}
    assert words["w2"].endswith("it is not a1.T @ d2 for any d2"), words["w2"]
    assert words["w1"].endswith(
        "d1 is wrong: the back-propagated error d2 @ w2.T is right, the slope is not (it is"
        " a1 alone) (of the network's d2: yours could not be read back from dw2)"
    ), words["w1"]
    assert found.origin == "d1"
    assert found.pointer == (
        "look at the line that computes d1: the slope there is a1 alone, half of a1 (1 - a1),"
        " not a1 (1 - a1)"
    )


def test_one_gradients_sign_flipped_starts_at_that_gradient():
    # only dw2's sign flipped, dw1 right: not d2's sign (which both would carry), but
    # the line that computes dw2
    def student(s, i):
        dw1, dw2 = gradients(s, mse_d2(s))
        return dw1, -dw2

    found = diagnose(run_of(student), "mse")
    assert found.layers[0].correct
    assert found.layers[1].mistakes == ["sign flipped"]
    assert "(in d2, inherited)" not in found.layers[1].words
    assert found.origin == "dw2"
    assert found.pointer == (
        "look at the line that computes dw2: sign flipped (the update climbs the loss)"
    )
