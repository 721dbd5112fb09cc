"""Property-based tests (hypothesis) over shapes, seeds, weight scales and rules.

Derandomized, so every run (and CI) sees the same examples; the strategies
still cover hidden sizes 1..16, batches of 1..4 rows, weight scales from 0.01
to 20 (|z| up to ~60) and both rules.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numpy_impl as ni
from reference.witnesses.oracles import check_complex_step
from reference.witnesses.tolerances import ONE_ULP, gradient_floor
from tests.helpers import SETTINGS, networks

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


@SETTINGS
@given(net=networks(), rule=st.sampled_from(["article", "mse"]))
def test_gradient_matches_complex_step(net, rule):
    x, y, w1, w2 = net
    floor = gradient_floor(w2) * len(x)  # a batch sums len(x) rows' rounding
    check_complex_step(x, y, w1, w2, rule, floor=floor)


@SETTINGS
@given(t=st.floats(allow_nan=True, allow_infinity=True))
def test_sigmoid_is_a_probability_and_symmetric(t):
    s, r = float(ni.sigmoid(t)), float(ni.sigmoid(-t))
    if np.isnan(t):
        assert np.isnan(s)
        return
    assert 0.0 <= s <= 1.0
    assert abs(s + r - 1.0) <= ONE_ULP  # each within ~1 ulp of 1 - the other


@SETTINGS
@given(a=st.floats(-800, 800), b=st.floats(-800, 800))
def test_sigmoid_is_monotone(a, b):
    lo, hi = min(a, b), max(a, b)
    assert ni.sigmoid(lo) <= ni.sigmoid(hi)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    hidden=st.integers(1, 16),
    init=st.sampled_from(["article", "normal"]),
)
def test_init_shapes_and_determinism(seed, hidden, init):
    a = ni.init_weights(seed, init, hidden)
    b = ni.init_weights(seed, init, hidden)
    assert a[0].shape == (30, hidden) and a[1].shape == (hidden, 3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    other = ni.init_weights((seed + 1) % 2**32, init, hidden)  # another seed, other weights
    assert not np.array_equal(a[0], other[0])
