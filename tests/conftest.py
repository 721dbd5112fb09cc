"""Shared test set-up: the verification summary printed (and saved) after a run."""

from __future__ import annotations

import json
import os
import platform
import zlib
from typing import Any, Dict

import numpy as np
import pytest

from tests.compare import RECORDS

try:  # torch is optional: without it the live-reference tests skip
    import torch
except ImportError:  # pragma: no cover - depends on the environment
    torch = None


def environment() -> Dict[str, Any]:
    """What the checks ran on: Python, NumPy, torch, BLAS, platform."""
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")  # NumPy >= 1.26
        blas_info = config.get("Build Dependencies", {}).get("blas", {})
        blas = f"{blas_info.get('name', '?')} {blas_info.get('version', '')}".strip()
    except TypeError:  # older NumPy: show_config has no mode
        blas = "see numpy.show_config()"
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": getattr(torch, "__version__", None),
        "blas": blas,
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not RECORDS:
        return
    tr = terminalreporter
    tr.section("verification summary (largest errors seen; rel = max abs / max |reference|)")
    tr.write_line(
        f"{'step':24s} {'tensor':22s} {'oracle':14s} {'dtype':8s} "
        f"{'max abs':>10s} {'max rel':>10s} {'tolerance':>10s} {'checks':>7s}"
    )
    for r in sorted(RECORDS.values(), key=lambda r: (r.step, r.tensor, r.oracle, r.dtype)):
        tr.write_line(
            f"{r.step:24s} {r.tensor:22s} {r.oracle:14s} {r.dtype:8s} {r.max_abs:10.2e} "
            f"{r.max_rel:10.2e} {r.tolerance:10.0e} {r.checks:7d}"
            + (f"  {r.note}" if r.note else "")
        )
    if torch is None:
        tr.write_line(
            "torch is not installed: the live PyTorch comparisons were SKIPPED; "
            "numpy_impl was checked against tests/fixtures and the complex-step oracle."
        )
    path = os.environ.get("NUMPY_IMPL_VERIFICATION_JSON")
    if path:
        payload = {
            "session": os.environ.get("NUMPY_IMPL_SESSION", "pytest"),
            "environment": environment(),
            "records": [vars(r) for r in RECORDS.values()],
        }
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump(payload, f, indent=1, default=float)
        tr.write_line(f"verification record written to {path}")


# The article's job in the PyTorch reference: seeds 0..4, both rules, weights
# kept every 1000 epochs. One batched run (reference.train_many) serves the
# training parity tests and the fixture freshness test.
SEEDS = range(5)
RULES = ("article", "mse")
EPOCHS = 15000
EVERY = 1000


@pytest.fixture(scope="session")
def reference_runs() -> Dict[Any, Any]:
    if torch is None:
        pytest.skip("the live PyTorch reference needs torch")
    import numpy_impl as ni
    import reference as ref

    networks = [(seed, rule) for rule in RULES for seed in SEEDS]
    results = ref.train_many(
        [ni.init_weights(s, "article") for s, _ in networks],
        [r for _, r in networks],
        epochs=EPOCHS,
        checkpoint_every=EVERY,
    )
    return dict(zip(networks, results))


@pytest.fixture
def rng(request: Any) -> np.random.Generator:
    """A generator seeded from the test's name: reproducible, different per test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
