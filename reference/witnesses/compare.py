"""Comparing ours with a reference, and keeping a record of every comparison.

The error measure used throughout: for a tensor ``ours`` against ``ref``,

    max abs error   = max |ours - ref|
    max rel error   = max abs error / max(max |ref|, floor)

a normwise relative error (the largest error against the largest reference
entry), so one entry that is near zero by cancellation does not dominate.
``floor`` is 0 unless a test states why the arithmetic needs one (a quantity
computed by subtracting O(1) numbers carries an absolute rounding error of a
few ulp of 1, however small the exact result is).

Every comparison is recorded in RECORDS (largest errors per step and tensor);
the test suite prints them at the end of the run and can write them as JSON.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np


@dataclass
class Record:
    step: str
    tensor: str
    oracle: str
    dtype: str
    tolerance: float
    max_abs: float = 0.0
    max_rel: float = 0.0
    checks: int = 0
    note: str = ""


RECORDS: Dict[Tuple[str, str, str, str], Record] = {}


def record(
    step: str,
    tensor: str,
    oracle: str,
    dtype: str,
    *,
    tol: float,
    max_abs: float,
    max_rel: float,
    note: str = "",
) -> None:
    """Keep one comparison: for its (step, tensor, oracle, dtype), the largest errors."""
    merge(vars(Record(step, tensor, oracle, dtype, float(tol), max_abs, max_rel, 1, note)))


def merge(entry: Dict[str, Any]) -> None:
    """Add a Record kept elsewhere (as ``vars(record)``, e.g. by a pytest-xdist
    worker) to RECORDS: the largest errors and tolerance, the checks summed."""
    key = (entry["step"], entry["tensor"], entry["oracle"], entry["dtype"])
    mine = RECORDS.setdefault(key, Record(*key, tolerance=entry["tolerance"]))
    mine.max_abs = max(mine.max_abs, entry["max_abs"])
    mine.max_rel = max(mine.max_rel, entry["max_rel"])
    mine.tolerance = max(mine.tolerance, entry["tolerance"])
    mine.checks += entry["checks"]
    mine.note = entry["note"] or mine.note


def _as_array(a: Any) -> np.ndarray:
    if hasattr(a, "detach"):  # a torch tensor
        a = a.detach().cpu().double().numpy()
    return np.asarray(a, dtype=np.float64)


def errors(
    ours: Any, ref: Any, floor: float = 0.0, elementwise: bool = False
) -> Tuple[float, float, Tuple[int, ...]]:
    """(max abs error, max rel error, index of the worst entry). NaN in the same
    place in both counts as agreement; NaN in one only as an infinite error.
    ``elementwise``: each entry's error against its own reference value (used
    for loss histories, which fall by orders of magnitude)."""
    a, b = _as_array(ours), _as_array(ref)
    if a.shape != b.shape:
        raise AssertionError(f"shapes differ: ours {a.shape} vs reference {b.shape}")
    both_nan = np.isnan(a) & np.isnan(b)
    same_inf = np.isinf(a) & (a == b)
    with np.errstate(invalid="ignore"):
        diff = np.where(both_nan | same_inf, 0.0, np.abs(a - b))
    diff = np.where(np.isnan(diff), np.inf, diff)
    if diff.size == 0:
        return 0.0, 0.0, ()
    if elementwise:
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = diff / np.maximum(np.abs(b), floor)
        rel = np.where(diff == 0, 0.0, np.where(np.isnan(rel), np.inf, rel))
        index = np.unravel_index(int(np.argmax(rel)), rel.shape)
        return float(diff.max()), float(rel[index]), tuple(int(i) for i in index)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    max_abs = float(diff[index])
    finite_ref = np.abs(b[np.isfinite(b)])
    scale = max(float(finite_ref.max()) if finite_ref.size else 0.0, floor)
    if max_abs == 0.0:
        max_rel = 0.0
    elif scale > 0:
        max_rel = max_abs / scale
    else:  # an error against an all-zero reference
        max_rel = math.inf
    return max_abs, max_rel, tuple(int(i) for i in index)


def ulps(ours: Any, exact: Any) -> np.ndarray:
    """|ours - exact| in units of the spacing of floats at ``exact`` (ulp)."""
    a, b = _as_array(ours), _as_array(exact)
    return np.asarray(np.abs(a - b) / np.spacing(np.abs(b)))


def assert_close(
    step: str,
    tensor: str,
    ours: Any,
    ref: Any,
    rtol: float,
    *,
    oracle: str = "torch",
    floor: float = 0.0,
    where: str = "",
    dtype: Optional[str] = None,
    elementwise: bool = False,
    keep: bool = True,
) -> float:
    """Assert max rel error <= rtol; on failure say where and by how much.

    The comparison is recorded in RECORDS unless ``keep`` is False (a check
    run on purpose against broken code, as the mutation test does, must not
    enter the verification report)."""
    a, b = _as_array(ours), _as_array(ref)
    max_abs, max_rel, index = errors(a, b, floor, elementwise)
    dt = dtype or (str(ours.dtype).replace("torch.", "") if hasattr(ours, "dtype") else "float64")
    if keep:
        record(step, tensor, oracle, dt, tol=rtol, max_abs=max_abs, max_rel=max_rel)
    if not max_rel <= rtol:
        at = (
            f" at index {index}: ours {float(a[index])!r} vs reference {float(b[index])!r}"
            if index
            else ""
        )
        raise AssertionError(
            f"{step}: {tensor} differs from {oracle}{' (' + where + ')' if where else ''}: "
            f"max abs error {max_abs:.3e}, max rel error {max_rel:.3e} > {rtol:.0e}{at}"
        )
    return max_rel


@dataclass(frozen=True)
class Check:
    """One kind of comparison, named once: its step, tolerance, witness and floor.

    Called on a tensor, ``check("dL/dw1", ours, ref)``, it is
    :func:`assert_close` with these settings; ``check.layers(ours, ref)``
    compares both layers of two (w1, w2) pairs (``Gradients`` or tuples);
    ``check.at(where=...)`` is the same check elsewhere.
    """

    step: str
    rtol: float
    oracle: str = "torch"
    floor: float = 0.0
    where: str = ""
    dtype: Optional[str] = None
    elementwise: bool = False
    keep: bool = True

    def __call__(self, tensor: str, ours: Any, ref: Any) -> float:
        return assert_close(
            self.step,
            tensor,
            ours,
            ref,
            self.rtol,
            oracle=self.oracle,
            floor=self.floor,
            where=self.where,
            dtype=self.dtype,
            elementwise=self.elementwise,
            keep=self.keep,
        )

    def layers(self, ours: Sequence[Any], ref: Sequence[Any], name: str = "dL/d{}") -> None:
        """Both layers: ``ours[0]`` against ``ref[0]`` as w1, then ``ours[1]`` as w2."""
        for layer, mine, theirs in zip(("w1", "w2"), ours, ref):
            self(name.format(layer), mine, theirs)

    def at(self, **changes: Any) -> Check:
        """This check with some of its settings changed (``where``, ``floor``...)."""
        return dataclasses.replace(self, **changes)
