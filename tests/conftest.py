"""Shared test set-up: which tests need torch, and the verification summary
printed (and saved) after a run."""

from __future__ import annotations

import fnmatch
import importlib.metadata
import json
import os
import platform
from typing import Any, Dict, List, Optional

import numpy as np
import pytest

from reference.compare import RECORDS, merge

# torch is optional; looked up without importing it (an import costs seconds)
try:
    TORCH: Optional[str] = importlib.metadata.version("torch")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - depends on the environment
    TORCH = None

# The one rule for what needs torch: the files named test_parity_*.py, the live
# comparisons with the PyTorch mirror, and no others. Without torch they are
# not collected (the summary says so); with it, each of their tests carries
# the "torch" marker, which nox's torch sessions select.
PARITY = "test_parity_*.py"
collect_ignore_glob = [PARITY] if TORCH is None else []


def pytest_collection_modifyitems(items: List[Any]) -> None:
    for item in items:
        if fnmatch.fnmatch(item.path.name, PARITY):
            item.add_marker(pytest.mark.torch)


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
        "torch": TORCH,
        "blas": blas,
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


# With pytest-xdist (-n), each worker keeps its own records: it hands them to
# the controller when it finishes, and the controller merges them.
def pytest_sessionfinish(session: Any) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # this process is an xdist worker
        workeroutput["verification"] = [vars(r) for r in RECORDS.values()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for entry in getattr(node, "workeroutput", {}).get("verification", []):
        merge(entry)


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
    if TORCH is None:
        tr.write_line(
            f"torch is not installed: the live PyTorch comparisons ({PARITY}) were not "
            "run; numpy_impl was checked against the golden vectors and the NumPy oracles."
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


@pytest.fixture(scope="session")
def article_job() -> Any:
    """numpy_impl.train() with no arguments, the article's job, trained once per
    test process for the tests that only need a trained network."""
    import numpy_impl as ni

    return ni.train()
