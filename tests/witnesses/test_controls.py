"""Negative controls: every tolerance's check shown able to fail, not only to pass.

For each entry of the table in reference/witnesses/tolerances.py, the comparison it
governs, on values computed as the tests compute them, with the compared value
moved by ``factor`` times the tolerance: at ten times it must fail, at a tenth
it must pass. A new entry without a control fails
test_every_tolerance_has_a_negative_control. (None of these comparisons enters
the verification report.)
"""

import mpmath
import numpy as np
import pytest

import numpy_impl as ni
from numpy_impl.sweep import sweep
from reference.diff import sums as diff
from reference.judge.answers import read_answers
from reference.judge.catalogue import correct
from reference.judge.plan import ALPHA
from reference.judge.unmatched import approximate, gradients_returned
from reference.witnesses.article_transcript import article_training, forward_output
from reference.witnesses.cases import letter_case
from reference.witnesses.compare import Check, errors, ulps
from reference.witnesses.oracles import central_difference, complex_step, loss_function
from reference.witnesses.tolerances import (
    APPROXIMATE,
    CENTRAL,
    CENTRAL_FLOOR,
    FACTOR,
    FLOAT16,
    FLOAT16_FLOOR_SCALE,
    FLOAT32,
    FLOAT32_DRIFT,
    FLOAT32_FLOOR_SCALE,
    FORWARD,
    GRADIENT,
    ONE_ULP,
    RATIO,
    RECOGNISED,
    REGROUPED,
    SHORT_RUN,
    SIGMOID_EXACT_ULPS,
    SIGMOID_ULPS,
    TABLE,
    TRAJECTORY,
    TRANSCRIPT,
    TWO_ULP,
    gradient_floor,
)
from tests.helpers import run_described, run_of

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


def moved(value, tol, factor):
    """``value`` moved by ``factor`` times the relative tolerance ``tol``."""
    return np.asarray(value, dtype=np.float64) * (1 + factor * tol)


def one_ulp(factor):
    # sigmoid(t) + sigmoid(-t) = 1, as the property test checks it (t = 0: exactly 1)
    total = moved(ni.sigmoid(0.0) + ni.sigmoid(-0.0), ONE_ULP, factor)
    assert abs(float(total) - 1.0) <= ONE_ULP


def two_ulp(factor):
    # the sigmoid of log 3 and log 1/3 against their exact values, 3/4 and 1/4
    ours = moved(ni.sigmoid(np.log([3.0, 1 / 3])), TWO_ULP, factor)
    np.testing.assert_allclose(ours, [0.75, 0.25], rtol=TWO_ULP, atol=0)


def sigmoid_ulps(factor):
    # the sigmoid against the textbook formula, in ulp, where the output is normal
    t = np.linspace(-30, 30, 601)
    naive = 1 / (1 + np.exp(-t))
    ours = ni.sigmoid(t) + factor * SIGMOID_ULPS * np.spacing(np.abs(naive))
    assert ulps(ours, naive).max() <= SIGMOID_ULPS


def sigmoid_exact_ulps(factor):
    # the sigmoid against 40-digit arithmetic, in ulp
    mpmath.mp.dps = 40
    t = np.linspace(-40, 40, 81)
    exact = np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(v)))) for v in t])
    ours = ni.sigmoid(t) + factor * SIGMOID_EXACT_ULPS * np.spacing(np.abs(exact))
    assert ulps(ours, exact).max() <= SIGMOID_EXACT_ULPS


def regrouped(factor):
    # one row of a batch against the row alone
    w1, w2 = ni.init_weights(1)
    x, _ = ni.dataset()
    batch = ni.forward(x, w1, w2).a2[:1]
    alone = ni.forward(x[:1], w1, w2).a2
    np.testing.assert_allclose(moved(batch, REGROUPED, factor), alone, rtol=REGROUPED)


def forward(factor):
    # the forward pass against another implementation (the article's, transcribed)
    case = letter_case(2, 1)
    theirs = forward_output(case.x, case.w1, case.w2)
    ours = ni.forward(case.x, case.w1, case.w2).a2
    Check("forward", FORWARD, "transcript", keep=False)("a2", moved(ours, FORWARD, factor), theirs)


def short_run(factor):
    # 50 epochs of the article's loop against its transcript
    _, _, history = article_training(3, epochs=50)
    ours = ni.train(seed=3, epochs=50).loss
    check = Check("article's loop", SHORT_RUN, "transcript", elementwise=True, keep=False)
    check("loss history", moved(ours, SHORT_RUN, factor), history)


def gradient(factor):
    # a rule's gradient against the complex step of its loss
    case = letter_case(0, 0)
    ours = ni.gradients(*case, "mse")
    witness = complex_step(loss_function(case.x, case.y, "mse"), case.w1, case.w2)
    check = Check("gradient", GRADIENT, "complex step", floor=case.grad_floor, keep=False)
    check.layers([moved(g, GRADIENT, factor) for g in ours], witness)


def ratio(factor):
    # the finding's ratio, d2(article) / dL/dz2(mse), against 3 / (2 a2 (1 - a2))
    case = letter_case(0, 0)
    found = diff.finding(*case, "article", "mse")
    for r in found.checked:
        measured = float(moved(r.measured, RATIO, factor))
        rel = abs(measured - r.predicted) / abs(r.predicted)
        assert diff.Ratio(r.sample, r.output, r.a2, measured, r.predicted, rel).ok


def transcript(factor):
    # the article's job against the article's loop transcribed (a shorter run)
    w1, w2, _ = article_training(4, epochs=300)
    ours = ni.train(seed=4, epochs=300)
    check = Check("article's loop", TRANSCRIPT, "transcript", keep=False)
    check.layers([moved(w, TRANSCRIPT, factor) for w in (ours.w1, ours.w2)], (w1, w2), "{}")


def trajectory(factor):
    # a network of the sweep against training it alone
    together = sweep(networks=2, epochs=200, seed=5)
    alone = ni.train(epochs=200, seed=6)
    check = Check("sweep vs alone", TRAJECTORY, "train", keep=False)
    check("w1", moved(together.w1[1], TRAJECTORY, factor), alone.w1)


def central(factor):
    # a rule's gradient against central differences of its loss
    case = letter_case(1, 2)
    ours = ni.gradients(*case, "article")
    witness = central_difference(loss_function(case.x, case.y, "bce"), case.w1, case.w2)
    check = Check("gradient", CENTRAL, "central diff", floor=CENTRAL_FLOOR, keep=False)
    check.layers([moved(g, CENTRAL, factor) for g in ours], witness)


def float32(factor):
    # a float32 gradient against float64's
    case = letter_case(0, 1)
    ours = ni.gradients(*(a.astype(np.float32) for a in case), "mse")
    exact = ni.gradients(*case, "mse")
    floor = FLOAT32_FLOOR_SCALE * gradient_floor(case.w2)
    check = Check("gradient", FLOAT32, "float64", floor=floor, dtype="float32", keep=False)
    check.layers([moved(g, FLOAT32, factor) for g in ours], exact)


def float16(factor):
    # a float16 gradient against float64's, as the judge compares them (max difference
    # over the gradient's size, or the floor scaled for float16 where it is smaller)
    case = letter_case(0, 1)
    with np.errstate(all="ignore"):  # the sigmoid's exp overflows in float16
        ours = ni.gradients(*(a.astype(np.float16) for a in case), "mse")
    exact = ni.gradients(*case, "mse")
    floor = FLOAT16_FLOOR_SCALE * gradient_floor(case.w2)
    for g, e in zip(ours, exact):
        g = moved(g, FLOAT16, factor)
        assert np.abs(g - e).max() <= FLOAT16 * max(np.abs(e).max(), floor)


def shifted(s, size):
    """The correct MSE gradients at ``s``, each moved by ``size`` of its scale (its largest
    entry, or the floor where that is smaller), as the judge measures a difference."""
    found = correct(s, "mse")
    floor = gradient_floor(s.w2, upstream=s.n)
    return tuple(g + size * max(np.abs(g).max(), floor) for g in (found.dw1, found.dw2))


def approximate_(factor):
    # a gradient off everywhere by factor x APPROXIMATE of its scale: an approximation
    # within it, a mistake beyond
    answers = read_answers(run_of(lambda s, i: shifted(s, factor * APPROXIMATE)))
    assert approximate(answers.all, "w2", "mse", answers.precision)


def recognised(factor):
    # a step that returned the gradients, off by factor x RECOGNISED of their scale
    def student(s, i):
        returned = shifted(s, factor * RECOGNISED)
        return tuple((w - r) / ALPHA for w, r in zip((s.w1, s.w2), returned))

    assert gradients_returned(read_answers(run_of(student, step=True)), "mse") == "mse"


def factor_(factor):
    # a described network's gradients n (1 + factor x FACTOR) times the right ones: the
    # mean's 1/n lost within it, no such thing beyond
    from reference.judge import diagnose_described
    from reference.judge.described import plan
    from reference.witnesses.networks import BUILT_IN

    d = BUILT_IN["relu-softmax"]
    n = {i: len(p.x) for i, p in enumerate(plan(d))}
    run = run_described(d, lambda i, right, e: {r: moved(n[i] * g, FACTOR, factor)
                                                for r, g in right.items()})  # fmt: skip
    assert diagnose_described(run, d).layers[0].mistakes == ["1/n of the mean lost"]


def float32_drift(factor):
    # how far a float32 training drifts from float64 (a shorter run)
    f64 = ni.train(epochs=300)
    f32 = ni.train(epochs=300, dtype="float32")
    _, drift, _ = errors(moved(f32.loss, FLOAT32_DRIFT, factor), f64.loss, elementwise=True)
    assert drift < FLOAT32_DRIFT


#: The comparison each tolerance governs, by the tolerance's name in the table.
CONTROLS = {
    "ONE_ULP": one_ulp,
    "TWO_ULP": two_ulp,
    "SIGMOID_ULPS": sigmoid_ulps,
    "SIGMOID_EXACT_ULPS": sigmoid_exact_ulps,
    "REGROUPED": regrouped,
    "FORWARD": forward,
    "SHORT_RUN": short_run,
    "GRADIENT": gradient,
    "RATIO": ratio,
    "TRANSCRIPT": transcript,
    "TRAJECTORY": trajectory,
    "CENTRAL": central,
    "FLOAT32": float32,
    "FLOAT16": float16,
    "APPROXIMATE": approximate_,
    "RECOGNISED": recognised,
    "FACTOR": factor_,
    "FLOAT32_DRIFT": float32_drift,
}


def test_every_tolerance_has_a_negative_control():
    assert set(CONTROLS) == set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_check_fails_at_ten_times_its_tolerance(name):
    with pytest.raises(AssertionError):
        CONTROLS[name](10)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_check_passes_at_a_tenth_of_it(name):
    CONTROLS[name](0.1)  # each control asserts its comparison; here it must not fail
