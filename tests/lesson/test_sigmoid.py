"""The numerically stable sigmoid (NumPy alone; the torch comparison is separate)."""

import mpmath
import numpy as np
import pytest

from numpy_impl import sigmoid
from reference.witnesses.compare import ulps
from reference.witnesses.tolerances import ONE_ULP, SIGMOID_EXACT_ULPS, SIGMOID_ULPS, TWO_ULP

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell

TINY = np.finfo(np.float64).tiny  # smallest normal float64


def naive(t):
    return 1 / (1 + np.exp(-t))


def ulp_distance(ours, exact):
    """|ours - exact| in units of the spacing of floats at exact."""
    return ulps(ours, exact)


def test_exact_limits_and_nan():
    out = sigmoid(np.array([np.inf, -np.inf, np.nan, 0.0, -0.0]))
    assert out[0] == 1.0 and out[1] == 0.0
    assert np.isnan(out[2])
    assert out[3] == out[4] == 0.5


def test_no_overflow_for_any_float():
    # filterwarnings = error turns any NumPy overflow warning into a failure.
    big = np.array([-np.finfo(np.float64).max, -1e308, -1000.0, -745.2, 745.2, 1e308])
    out = sigmoid(big)
    np.testing.assert_array_equal(out, [0, 0, 0, 0, 1, 1])


def test_keeps_subnormal_values_where_the_naive_formula_would_overflow():
    # For -745 < t < -709.8 exp(-t) overflows, but sigmoid(t) ~ exp(t) is a
    # subnormal float, not 0.
    t = np.array([-710.0, -720.0, -740.0])
    out = sigmoid(t)
    assert np.all(out > 0) and np.all(out < TINY)
    np.testing.assert_array_equal(out, np.exp(t))  # 1 + exp(t) rounds to 1 here


def test_agrees_with_the_textbook_formula_where_it_does_not_overflow():
    # Where 1/(1+exp(-t)) is finite and its result normal, the two differ only by
    # the rounding of a few operations: each formula is within ~2 ulp of the
    # exact value, so they are within 4 ulp of each other.
    t = np.concatenate(
        [np.linspace(-700, 700, 200_001), np.random.default_rng(0).normal(0, 5, 10_000)]
    )
    ours, textbook = sigmoid(t), naive(t)
    assert np.all(textbook >= TINY)
    assert ulp_distance(ours, textbook).max() <= SIGMOID_ULPS


def test_exact_on_points_where_the_value_is_known():
    assert sigmoid(0.0) == 0.5
    # sigmoid(log 3) = 3/4 and sigmoid(-log 3) = 1/4. fl(log 3) is off by half an
    # ulp, which moves sigmoid by only 3/16 of that; the rest is the formula's
    # own rounding, at most 2 ulp (2 * 2.2e-16 relative).
    np.testing.assert_allclose(sigmoid(np.log([3.0, 1 / 3])), [0.75, 0.25], rtol=TWO_ULP, atol=0)


def test_symmetry():
    t = np.linspace(-30, 30, 6001)
    np.testing.assert_allclose(sigmoid(t) + sigmoid(-t), 1.0, rtol=0, atol=ONE_ULP)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keeps_float_dtype_and_shape(dtype):
    t = np.linspace(-5, 5, 12, dtype=dtype).reshape(3, 4)
    out = sigmoid(t)
    assert out.dtype == dtype and out.shape == (3, 4)


def test_integers_become_float64():
    out = sigmoid(np.array([-1, 0, 1]))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, naive(np.array([-1.0, 0.0, 1.0])), rtol=TWO_ULP)


def test_within_2_ulp_of_the_exact_value():
    # The docstring's claim, against 40-digit arithmetic (mpmath, a test dependency).
    mpmath.mp.dps = 40
    rng = np.random.default_rng(5)
    t = np.concatenate([np.linspace(-745, 745, 6001), rng.normal(0, 8, 6000)])
    exact = np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(v)))) for v in t])
    normal = exact >= TINY
    assert ulp_distance(sigmoid(t)[normal], exact[normal]).max() <= SIGMOID_EXACT_ULPS
