"""scripts/diff_gradients.py's trajectory mode: numpy_impl and the PyTorch
mirror trained side by side, and a drift that must fail."""

import pytest

import numpy_impl as ni
import numpy_impl.network
from reference.witnesses.tolerances import TRAJECTORY
from tests.helpers import run_diff as run


@pytest.mark.parametrize("batch_size", ["1", "3"])
def test_trajectory_mode(batch_size):
    status, out = run(
        "--trajectory", "60", "--every", "20", "--rule", "mse", "--batch-size", batch_size
    )
    assert status == 0, out
    rows = [line.split() for line in out.splitlines() if line.strip()[:2].isdigit()]
    assert [int(r[0]) for r in rows] == [20, 40, 60]
    assert all(float(v) <= TRAJECTORY for r in rows for v in r[1:])
    assert f"tolerance {TRAJECTORY:.0e}: ok" in out


def test_a_wrong_trajectory_fails(monkeypatch):
    real = ni.sgd_step
    monkeypatch.setattr(
        numpy_impl.network, "sgd_step", lambda w1, w2, g, a: real(w1, w2, g, a * (1 + 1e-6))
    )
    status, out = run("--trajectory", "40", "--every", "20")
    assert status == 1
    assert "FAIL: the implementations drift apart" in out
