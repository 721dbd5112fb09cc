"""Saving and loading trained weights as a plain .npz file (no pickle).

The file holds ``w1`` (30, h), ``w2`` (h, 3), the per-epoch ``loss`` history
and one 0-d array for each setting of the run (seed, init, rule, alpha,
epochs, hidden, dtype, batch_size) plus ``numpy_version``.
"""

from __future__ import annotations

import os
import zipfile
from typing import Any, Dict, NamedTuple

import numpy as np

from numpy_impl import memory
from numpy_impl.data import N_CLASSES, N_PIXELS
from numpy_impl.files import write_atomically
from numpy_impl.network import Array, TrainResult


class WeightsFileError(ValueError):
    """A weights file that is missing, unreadable or not a valid network."""


class SavedWeights(NamedTuple):
    w1: Array
    w2: Array
    settings: Dict[str, Any]


def save_weights(path: os.PathLike[str] | str, result: TrainResult) -> None:
    """Write ``result`` to ``path`` (exactly that name; no '.npz' is appended).

    Written to a temporary file first and renamed into place, so a failure or
    an interruption never leaves a half-written file behind; the file gets
    the mode the user's umask gives (0644 under umask 022).
    """
    path = os.fspath(path)
    arrays: Dict[str, Any] = {
        "w1": result.w1,
        "w2": result.w2,
        "loss": result.loss,
        "numpy_version": np.asarray(np.__version__),
    }
    arrays.update((k, np.asarray(v)) for k, v in result.settings.items())
    with write_atomically(path) as f:
        np.savez(f, **arrays)


def load_weights(path: os.PathLike[str] | str) -> SavedWeights:
    """Read and check a file written by :func:`save_weights`.

    Raises :class:`WeightsFileError` (one line) if the file is missing, is not
    an .npz archive, lacks ``w1`` or ``w2``, has shapes other than (30, h) and
    (h, 3), a non-float dtype, or any NaN or infinite weight;
    :class:`numpy_impl.memory.NotEnoughMemory` if its arrays (the loss
    history aside, which is not read) cannot fit in the memory available.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise WeightsFileError(f"no such weights file: {path}")
    try:
        # Opened here, not by np.load, so the file is closed even when np.load fails.
        with open(path, "rb") as f:
            archive = np.load(f, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):  # a lone .npy array
                raise ValueError("a single array, not an archive of w1 and w2")
            with archive:
                # The loss history is not needed here; the rest is read whole.
                names = [name for name in archive.files if name != "loss"]
                members = archive.zip.infolist() if archive.zip is not None else []
                stored = sum(m.file_size for m in members if m.filename != "loss.npy")
                memory.require(f"reading {path}", {"its arrays": 2 * stored})
                contents = {name: archive[name] for name in names}
    except memory.NotEnoughMemory:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise WeightsFileError(f"{path} is not a readable .npz weights file ({err})") from None
    for name in ("w1", "w2"):
        if name not in contents:
            raise WeightsFileError(f"{path} has no array {name!r}")
    w1, w2 = contents.pop("w1"), contents.pop("w2")
    if (
        w1.ndim != 2
        or w2.ndim != 2
        or w1.shape[0] != N_PIXELS
        or w2.shape != (w1.shape[1], N_CLASSES)
        or w1.shape[1] < 1
    ):
        raise WeightsFileError(
            f"{path}: w1 must be (30, h) and w2 (h, 3), got {w1.shape} and {w2.shape}"
        )
    for name, w in (("w1", w1), ("w2", w2)):
        if w.dtype not in (np.float32, np.float64):
            raise WeightsFileError(f"{path}: {name} must be float32 or float64, got {w.dtype}")
        if not np.isfinite(w).all():
            raise WeightsFileError(f"{path}: {name} holds NaN or infinite values")
    if w1.dtype != w2.dtype:
        raise WeightsFileError(f"{path}: w1 and w2 differ in dtype ({w1.dtype}, {w2.dtype})")
    settings = {k: v.item() for k, v in contents.items() if v.ndim == 0}
    return SavedWeights(w1, w2, settings)
