"""reference/witnesses/compare.py, the error measure every check uses: what it counts as
agreement and what as an error, including the cases where one side is NaN or
infinite (a NaN from our code beside a finite reference must never pass)."""

import math

import numpy as np
import pytest

from reference.witnesses.compare import (
    RECORDS,
    Check,
    Record,
    assert_close,
    errors,
    merge,
    record,
    ulps,
)

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


@pytest.fixture
def records(monkeypatch):
    """The records of this test alone (its deliberate failures are not the suite's)."""
    import reference.witnesses.compare

    monkeypatch.setattr(reference.witnesses.compare, "RECORDS", {})
    return reference.witnesses.compare


def test_by_default_a_comparison_is_normwise_without_a_floor_and_is_recorded(records):
    # a relative error of 1e-3 of a tiny reference fails: no floor unless one is given
    with pytest.raises(AssertionError, match=r"^s: t differs from torch: max abs"):
        assert_close("s", "t", [1.001e-20], [1e-20], 1e-13)
    assert_close("s", "t", [1.001e-20], [1e-20], 1e-13, floor=1.0)
    # a history whose small entry is off by 1e-3 of itself passes normwise only
    history, off = np.array([1.0, 1e-9]), np.array([1.0, 1.001e-9])
    assert_close("s", "h", off, history, 1e-10)
    with pytest.raises(AssertionError, match="at index"):
        assert_close("s", "h", off, history, 1e-10, elementwise=True)
    kept = records.RECORDS
    assert kept[("s", "t", "torch", "float64")].checks == 2
    assert kept[("s", "h", "torch", "float64")].checks == 2
    assert kept[("s", "t", "torch", "float64")].note == ""


def test_the_dtype_recorded_is_ours_unless_named(records):
    assert_close("s", "t", np.array([1.0], dtype=np.float32), [1.0], 1e-6)
    assert_close("s", "t", [1.0], [1.0], 1e-6)
    assert_close("s", "t", np.array([1.0]), [1.0], 1e-6, dtype="float32 (as float64)")
    assert {k[3] for k in records.RECORDS} == {"float32", "float64", "float32 (as float64)"}


def test_check_hands_every_setting_to_the_comparison(records):
    check = Check("s", 1e-10, "fixtures", where="seed 4", dtype="float32", elementwise=True)
    check.layers(([1.0], [2.0]), ([1.0], [2.0]))
    assert set(records.RECORDS) == {("s", f"dL/d{w}", "fixtures", "float32") for w in ("w1", "w2")}
    with pytest.raises(AssertionError, match=r"^s: dL/dw1 differs from fixtures \(seed 4\)"):
        check.layers(([1.0, 1.001e-9], [2.0]), ([1.0, 1e-9], [2.0]))
    check.at(keep=False)("kept?", [1.0], [1.0])
    assert ("s", "kept?", "fixtures", "float32") not in records.RECORDS


class Tensorish:
    """Shaped like a torch tensor as compare.py reads one: a dtype named
    "torch.float32", and .detach().cpu().double().numpy()."""

    dtype = "torch.float32"

    def __init__(self, values):
        self.values = np.asarray(values, dtype=np.float32)

    def detach(self):
        return self

    cpu = double = detach

    def numpy(self):
        return self.values.astype(np.float64)


def test_a_tensor_is_read_as_float64_and_recorded_as_its_dtype(records):
    assert errors(Tensorish([0.5, 2.0]), [0.5, 2.0]) == (0.0, 0.0, (0,))
    assert_close("s", "t", Tensorish([0.5]), [0.5], 1e-13)
    assert set(records.RECORDS) == {("s", "t", "torch", "float32")}


def test_booleans_and_integers_compare_as_numbers():
    assert errors([True, False], [True, False])[:2] == (0.0, 0.0)
    assert errors([3, 1], [3.0, 1.5])[:2] == (0.5, 0.5 / 3)


def test_the_measure_is_normwise_by_default_and_warns_of_nothing():
    history, off = np.array([1.0, 1e-9]), np.array([1.0, 1.001e-9])
    assert errors(off, history)[1] < 1e-11
    assert errors(off, history, elementwise=True)[1] == pytest.approx(1e-3)
    # an entry against an exact 0 is an infinite relative error, silently
    assert errors([1.0, 0.0], [0.0, 0.0], elementwise=True)[1] == math.inf


def test_an_error_exactly_at_the_tolerance_passes():
    assert assert_close("s", "t", [1.5], [1.0], 0.5, keep=False) == 0.5
    with pytest.raises(AssertionError):
        assert_close("s", "t", [1.5], [1.0], 0.4999, keep=False)


def test_a_scalars_failure_names_no_index():
    with pytest.raises(AssertionError) as failed:
        assert_close("loss", "L", 2.0, 1.0, 1e-13, keep=False)
    assert str(failed.value) == (
        "loss: L differs from torch: max abs error 1.000e+00, max rel error 1.000e+00 > 1e-13"
    )


def test_ulps():
    assert ulps(1.0 + 2 * np.spacing(1.0), 1.0) == 2.0
    assert ulps([0.5], [0.5])[0] == 0.0
