"""Golden vectors (tests/fixtures/golden.npz, made by scripts/make_fixtures.py).

Without torch these are the PyTorch reference's answers: numpy_impl is checked
against them. With torch, they are also checked against the live reference,
so a change there (or here) cannot leave them stale.
"""

from pathlib import Path

import numpy as np
import pytest

import numpy_impl as ni
from tests.cases import gradient_floor
from tests.compare import assert_close

PATH = Path(__file__).parent / "fixtures" / "golden.npz"

try:
    import torch

    import reference as ref
except ImportError:
    torch = None


@pytest.fixture(scope="module")
def golden():
    with np.load(PATH, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _cases(golden):
    return sorted({k.split("/")[1] for k in golden if k.startswith("case/")})


def _trainings(golden):
    return sorted({tuple(k.split("/")[1:3]) for k in golden if k.startswith("train/")})


def test_fixture_file_is_complete(golden):
    assert len(_cases(golden)) >= 10
    assert {rule for rule, _ in _trainings(golden)} == {"article", "mse"}


@pytest.mark.parametrize("rule", ["article", "mse"])
def test_numpy_impl_gradients_match_the_golden_vectors(golden, rule):
    for name in _cases(golden):
        x, y, w1, w2 = (golden[f"case/{name}/{k}"] for k in ("x", "y", "w1", "w2"))
        ours = ni.gradients(x, y, w1, w2, rule)
        for w in ("w1", "w2"):
            assert_close(
                f"gradient ({rule} rule)",
                f"dL/d{w}",
                getattr(ours, w),
                golden[f"case/{name}/{rule}/d{w}"],
                1e-13,
                floor=gradient_floor(w2),
                oracle="fixtures",
                where=name,
            )


def test_numpy_impl_training_matches_the_golden_runs(golden):
    for rule, seed in _trainings(golden):
        ours = ni.train(seed=int(seed), rule=rule)
        step = f"training ({rule} rule)"
        assert_close(
            step,
            "loss history",
            ours.loss,
            golden[f"train/{rule}/{seed}/loss"],
            1e-10,
            elementwise=True,
            oracle="fixtures",
            where=f"seed {seed}",
        )
        for w in ("w1", "w2"):
            assert_close(
                step,
                w,
                getattr(ours, w),
                golden[f"train/{rule}/{seed}/{w}"],
                1e-10,
                oracle="fixtures",
                where=f"seed {seed}",
            )


@pytest.mark.torch
@pytest.mark.skipif(torch is None, reason="the live PyTorch reference needs torch")
def test_golden_gradients_are_what_the_live_reference_computes(golden):
    for name in _cases(golden):
        tensors = [ref.as_tensor(golden[f"case/{name}/{k}"]) for k in ("x", "y", "w1", "w2")]
        for rule in ("article", "mse"):
            live = ref.gradients(*tensors, rule)
            for w in ("w1", "w2"):
                # Same formulas, maybe another torch build: rounding differences only.
                assert_close(
                    "fixtures",
                    f"d{w} ({rule})",
                    golden[f"case/{name}/{rule}/d{w}"],
                    getattr(live, w),
                    1e-13,
                    floor=gradient_floor(tensors[3].numpy()),
                    oracle="live torch",
                    where=name,
                )


@pytest.mark.torch
@pytest.mark.slow
@pytest.mark.skipif(torch is None, reason="the live PyTorch reference needs torch")
def test_golden_runs_are_what_the_live_reference_computes(golden, reference_runs):
    for rule, seed in _trainings(golden):
        live = reference_runs[(int(seed), rule)]
        assert_close(
            "fixtures",
            f"loss history ({rule})",
            golden[f"train/{rule}/{seed}/loss"],
            live.loss,
            1e-10,
            elementwise=True,
            oracle="live torch",
        )
        for w in ("w1", "w2"):
            assert_close(
                "fixtures",
                f"{w} ({rule})",
                golden[f"train/{rule}/{seed}/{w}"],
                getattr(live, w),
                1e-10,
                oracle="live torch",
            )
