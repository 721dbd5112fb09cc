"""Step 1, the sigmoid: numpy_impl.sigmoid against torch.sigmoid."""

import numpy as np
import torch

import numpy_impl as ni
from reference.witnesses.compare import record
from reference.witnesses.tolerances import SIGMOID_ULPS

TINY = np.finfo(np.float64).tiny


def grid() -> np.ndarray:
    dense = np.linspace(-1000.0, 1000.0, 2_000_001)
    special = [
        np.inf,
        -np.inf,
        np.nan,
        0.0,
        -0.0,
        5e-324,
        -5e-324,
        1e-310,
        -1e-310,
        TINY,
        -TINY,
        709.78,
        -709.78,
        745.13,
        -745.13,
        36.04,
        -36.04,
    ]
    return np.concatenate([dense, special])


def test_sigmoid_within_4_ulp_of_torch_where_the_output_is_normal():
    # Each implementation rounds a handful of operations (exp, add, divide),
    # each within ~1 ulp, so two correct ones differ by at most ~4 ulp.
    t = grid()
    ours = ni.sigmoid(t)
    theirs = torch.sigmoid(torch.from_numpy(t)).numpy()
    normal = np.isfinite(theirs) & (np.abs(theirs) >= TINY)
    ulps = np.abs(ours[normal] - theirs[normal]) / np.spacing(np.abs(theirs[normal]))
    worst = int(np.argmax(ulps))
    most, note = float(ulps.max()), "in ulp of torch's value, normal outputs"
    record(
        "sigmoid",
        "a (ulp)",
        "torch",
        "float64",
        tol=SIGMOID_ULPS,
        max_abs=most,
        max_rel=most,
        note=note,
    )
    assert ulps.max() <= SIGMOID_ULPS, (
        f"sigmoid: at t = {t[normal][worst]!r}: ours {ours[normal][worst]!r} "
        f"vs torch {theirs[normal][worst]!r}"
    )


def test_sigmoid_special_values_agree_with_torch():
    t = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0])
    ours = ni.sigmoid(t)
    theirs = torch.sigmoid(torch.from_numpy(t)).numpy()
    np.testing.assert_array_equal(ours, theirs)  # 1, 0, NaN, 1/2, 1/2 exactly


def test_sigmoid_subnormal_outputs_are_tiny_in_both():
    # Below t ~ -708.4 the exact value is subnormal; torch may flush it to 0
    # where exp(-t) overflows. Both must stay in [0, smallest normal).
    t = np.linspace(-745.0, -709.0, 1001)
    ours = ni.sigmoid(t)
    theirs = torch.sigmoid(torch.from_numpy(t)).numpy()
    assert np.all((ours >= 0) & (ours < TINY)) and np.all((theirs >= 0) & (theirs < TINY))
    assert np.all(ours > 0)  # ours keeps the subnormal value exp(t)
