"""How much memory a run needs, and whether this machine has it.

A mistyped number (``--hidden 1000000000``, ``--epochs 100000000000``) should
be told at once, in one line, not found out by NumPy minutes later as a
MemoryError traceback, or by the operating system killing the program. So
before allocating anything big, ``train``, ``sweep``, ``noisy.evaluate`` and
``load_weights`` add up what their run will hold at its peak (the estimates
below, each an upper bound checked against measured peaks by
tests/lesson/test_memory.py) and call :func:`require`, which raises
:class:`NotEnoughMemory` (a ``ValueError``) when the total exceeds
:func:`available`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Dict, List, Optional

#: Bytes of one float64 (the losses, the noisy bitmaps and the draws are float64).
FLOAT64 = 8
#: A Python float in a list: the object (24 bytes) and the list's pointer to it
#: (8, plus the list's spare room): the loss history that train() keeps.
PYTHON_FLOAT_IN_LIST = 48
#: What NumPy and Python allocate on their own along the way (a generous bound).
SCRATCH = 2**20
#: Floats of scratch per block of the noisy-letter accuracy (noisy.accuracy).
BLOCK = 2_000_000


class NotEnoughMemory(ValueError):
    """A run that needs more memory than is available (one line)."""


def require(what: str, parts: Dict[str, float]) -> None:
    """Raise :class:`NotEnoughMemory` unless ``parts`` (bytes by what they hold)
    fit into :func:`available`; ``what`` names the run in the message."""
    needed = sum(parts.values())
    have = available()
    if have is None or needed <= have:
        return
    largest = max(parts, key=lambda name: parts[name])
    raise NotEnoughMemory(
        f"{what} needs about {size(needed)} of memory ({largest} alone: {size(parts[largest])}),"
        f" but only {size(have)} is available"
    )


def size(n_bytes: float) -> str:
    """A number of bytes for people: '224 GiB', '1.5 MiB'."""
    units = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    power = min(int(math.log(max(n_bytes, 1), 1024)), len(units) - 1)
    value = n_bytes / 1024**power
    return f"{value:.3g} {units[power]}" if power else f"{int(n_bytes)} bytes"


# --- What a run needs -------------------------------------------------------


def for_training(
    epochs: int, inputs: int, hidden: int, outputs: int, samples: int, itemsize: int
) -> Dict[str, float]:
    """network.train: weights (inputs + outputs) h of ``itemsize`` bytes, ``epochs`` epochs.

    An SGD step holds, at its peak, the old weights, the gradient, alpha times
    the gradient and the new weights: 4 copies (the float64 draws of the
    starting weights and their rounding to the dtype hold fewer bytes). The
    loss history is a list of Python floats, one per epoch, turned into an
    array at the end. A batch's activations and deltas are a few (n, h)
    arrays, and NumPy and Python take some scratch of their own.
    """
    weights = (inputs + outputs) * hidden
    return {
        "the weights": weights * max(4 * itemsize, FLOAT64 + itemsize),
        "the loss history": epochs * (PYTHON_FLOAT_IN_LIST + FLOAT64),
        "the activations": 8 * samples * (hidden + outputs) * itemsize,
        "scratch": SCRATCH,
    }


def for_sweep(
    networks: int, epochs: int, hidden: int, batch_size: int, itemsize: int, history: bool
) -> Dict[str, float]:
    """sweep.sweep: K networks of h hidden units, b samples a step, side by side.

    The weights of all K networks (33 h K numbers), drawn straight into
    place; a step's activations, deltas and their temporaries, a few (b, h + 3,
    K) arrays; for each network a handful of results and, when its final
    weights are checked on the letters, a few (3, h + 3) arrays; with
    ``history``, one float64 per network and epoch.
    """
    return {
        "the weights": (30 + 3) * hidden * networks * itemsize,
        "a step's activations": 8 * batch_size * (hidden + 3) * networks * itemsize,
        "the per-network results": 16 * (hidden + 3) * networks * FLOAT64,
        "the loss history": epochs * networks * FLOAT64 if history else 0,
        "scratch": SCRATCH,
    }


def for_noisy_letters(
    per_distance: List[int], networks: int, hidden: int, itemsize: int
) -> Dict[str, float]:
    """noisy.evaluate: m bitmaps per letter at each distance (one distance at a time).

    The 3 m bitmaps of 30 float64 pixels, three times over (the letter
    repeated, its flipped pixels, the letters put together), and the flip sets
    drawn for them (30 random numbers and their order per bitmap). The
    accuracy works through blocks of (networks, bitmaps, h) of at most BLOCK
    numbers (or one bitmap's hidden layer, if larger), a few at a time.
    """
    m = max(per_distance, default=0)
    block = min(max(BLOCK, hidden), networks * 3 * m * hidden)
    return {
        "the noisy letters": 3 * m * 30 * FLOAT64 * 3 + m * 30 * 2 * FLOAT64,
        "the accuracy's blocks": 6 * block * max(itemsize, FLOAT64),
        "scratch": SCRATCH,
    }


# --- What this machine has --------------------------------------------------


def available() -> Optional[int]:
    """Bytes this process can still allocate, or None where that cannot be told.

    The smallest of: the memory the system calls available (Linux's
    MemAvailable; elsewhere the physical memory), what is left under the
    process's control-group limit (cgroup v1 or v2, as containers set), and
    what is left under its address-space and data limits (``ulimit -v``,
    ``ulimit -d``).
    """
    limits = [_system_available(), *_cgroup_left(), *_rlimits_left()]
    known = [limit for limit in limits if limit is not None]
    return max(0, min(known)) if known else None


def _system_available() -> Optional[int]:
    meminfo = _read("/proc/meminfo")
    if meminfo is not None:
        for line in meminfo.splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    try:  # macOS and the other Unixes: the physical memory
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None  # Windows


def _cgroup_left() -> List[Optional[int]]:
    """Limit minus usage of this process's memory cgroup and each one above it."""
    left: List[Optional[int]] = []
    for line in (_read("/proc/self/cgroup") or "").splitlines():
        number, controllers, path = line.split(":", 2)
        if number == "0":  # cgroup v2
            root, limit, usage = Path("/sys/fs/cgroup"), "memory.max", "memory.current"
        elif "memory" in controllers.split(","):  # cgroup v1
            root = Path("/sys/fs/cgroup/memory")
            limit, usage = "memory.limit_in_bytes", "memory.usage_in_bytes"
        else:
            continue
        group = root / path.lstrip("/")
        for folder in (group, *group.parents):
            if folder == root.parent:
                break
            cap, used = _read(folder / limit), _read(folder / usage)
            if cap and used and cap.strip().isdigit() and used.strip().isdigit():
                left.append(int(cap) - int(used))
    return left


def _rlimits_left() -> List[Optional[int]]:
    """``ulimit -v`` minus the address space in use; ``ulimit -d`` minus the data segment."""
    try:
        import resource
    except ImportError:  # Windows
        return []
    status = _read("/proc/self/status") or ""
    in_use = {
        line.split(":")[0]: int(line.split()[1]) * 1024
        for line in status.splitlines()
        if line.startswith(("VmSize:", "VmData:"))
    }
    left: List[Optional[int]] = []
    for which, field in ((resource.RLIMIT_AS, "VmSize"), (resource.RLIMIT_DATA, "VmData")):
        soft, _ = resource.getrlimit(which)
        if soft != resource.RLIM_INFINITY:
            left.append(soft - in_use.get(field, 0))
    return left


def _read(path: os.PathLike[str] | str) -> Optional[str]:
    try:
        with open(path, encoding="ascii") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None
