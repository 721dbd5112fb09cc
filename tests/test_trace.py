"""The trace's margins (reference/trace.py): a layer's delta is recovered from a
gradient that is an outer product within the tolerance (relative to the
gradient's own size) and the absolute slack it may carry, doubled by the
recovery, and from no gradient farther off; a constant factor likewise."""

import numpy as np
import pytest

from reference import answers, catalogue
from reference.tolerances import GRADIENT
from reference.trace import constant, recover_d1, recover_d2

TOL = GRADIENT


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
    s = answers.state_at(0)
    _, d1, dw1, dw2 = catalogue.correct(s, "mse")
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
    t = catalogue.state(grey, s.y, s.w1, s.w2, s.alpha)
    assert recover_d1(t, catalogue.correct(t, "mse")[2], TOL) is None
    dark = catalogue.state(np.zeros_like(s.x), s.y, s.w1, s.w2, s.alpha)
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
