"""reference/compare.py, the error measure every check uses: what it counts as
agreement and what as an error, including the cases where one side is NaN or
infinite (a NaN from our code beside a finite reference must never pass)."""

import math

import numpy as np
import pytest

from reference.compare import RECORDS, Check, Record, assert_close, errors, merge, record, ulps

pytestmark = pytest.mark.numerics


@pytest.mark.parametrize(
    ("ours", "ref"),
    [([np.nan, 1.0], [0.5, 1.0]), ([0.5, 1.0], [np.nan, 1.0]), ([np.nan], [0.0])],
)
def test_nan_on_one_side_is_an_infinite_error(ours, ref):
    max_abs, max_rel, index = errors(ours, ref)
    assert max_abs == math.inf and max_rel == math.inf and index == (0,)
    with pytest.raises(AssertionError, match="max rel error inf"):
        assert_close("step", "t", ours, ref, 1e-13, keep=False)
    _, rel, _ = errors(ours, ref, elementwise=True)
    assert rel == math.inf


def test_nan_in_the_same_place_and_the_same_infinity_agree():
    assert errors([np.nan, 2.0], [np.nan, 2.0]) == (0.0, 0.0, (0,))
    assert errors([np.inf, -np.inf], [np.inf, -np.inf])[:2] == (0.0, 0.0)
    assert errors([np.inf], [-np.inf])[1] == math.inf
    assert errors([np.inf], [1.0])[1] == math.inf


def test_the_measure_is_normwise_with_a_floor():
    # the largest error over the largest reference entry
    max_abs, max_rel, index = errors([1.0, 10.0 + 1e-9], [1.0, 10.0])
    assert index == (1,) and max_abs == pytest.approx(1e-9) and max_rel == pytest.approx(1e-10)
    assert errors([2e-16], [0.0])[1] == math.inf  # against an all-zero reference
    assert errors([2e-16], [0.0], floor=1.0)[1] == pytest.approx(2e-16)
    assert errors([0.0], [0.0]) == (0.0, 0.0, (0,))
    assert errors([], []) == (0.0, 0.0, ())
    with pytest.raises(AssertionError, match="shapes differ"):
        errors([1.0, 2.0], [1.0])


def test_elementwise_judges_each_entry_against_its_own_value():
    _, rel, index = errors([1.0, 1e-6 * (1 + 1e-3)], [1.0, 1e-6], elementwise=True)
    assert index == (1,) and rel == pytest.approx(1e-3)
    assert errors([1.0, 0.0], [1.0, 0.0], elementwise=True)[1] == 0.0


def test_a_failure_says_where_and_shows_ours_against_the_reference():
    with pytest.raises(AssertionError) as failed:
        assert_close(
            "gradient", "dL/dw1", [1.0, 2.5], [1.0, 2.0], 1e-13, where="seed 3", keep=False
        )
    text = str(failed.value)
    assert text.startswith("gradient: dL/dw1 differs from torch (seed 3): max abs error 5.000e-01")
    assert "at index (1,): ours 2.5 vs reference 2.0" in text


def test_check_carries_its_settings_and_compares_both_layers():
    check = Check("gradient", 1e-13, "complex step", keep=False)
    check.layers(([1.0], [2.0]), ([1.0], [2.0]))
    with pytest.raises(AssertionError, match="dL/dw2 differs from complex step"):
        check.layers(([1.0], [2.0]), ([1.0], [2.1]))
    assert check.at(where="here").where == "here" and check.where == ""


def test_records_keep_the_largest_errors_and_count_the_checks():
    key = ("control step", "t", "o", "float64")
    RECORDS.pop(key, None)
    record(*key, tol=1e-13, max_abs=1e-15, max_rel=2e-15)
    record(*key, tol=1e-12, max_abs=3e-16, max_rel=5e-15, note="worst")
    merge(vars(Record(*key, tolerance=1e-14, max_abs=4e-15, max_rel=1e-16, checks=3)))
    kept = RECORDS.pop(key)
    assert (kept.max_abs, kept.max_rel, kept.tolerance, kept.checks) == (4e-15, 5e-15, 1e-12, 5)
    assert kept.note == "worst"


def test_ulps():
    assert ulps(1.0 + 2 * np.spacing(1.0), 1.0) == 2.0
    assert ulps([0.5], [0.5])[0] == 0.0
