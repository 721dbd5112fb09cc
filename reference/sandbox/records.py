"""What crosses between the grader's process and a child: one schema, written and read here.

A :class:`Task` asks for one submission to be run: the file, the function,
and the calls to make, by the number of positional parameters the function
turns out to take (a gradient ``f(x, y, w1, w2)`` and a step
``f(x, y, w1, w2, alpha)`` are given different arguments; the sandbox does
not know which is which, it picks the list whose count fits). An argument is
an array or a number.

The child writes a :class:`Report` (JSON, and the arrays the function
returned in an ``.npz`` file, without pickle); the grader's side reads it
back into a :class:`Run`, adding what only it can see: how the child ended,
what it printed, how long it took. Both sides import this module, so the
record is defined once: :meth:`Report.write` and :meth:`Report.read`.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, cast

import numpy as np

#: One argument of a call: an array, or a number (passed to the function as a Python float).
Argument = Union[np.ndarray, float]
Arguments = Tuple[Argument, ...]
#: The calls to make, by the number of positional parameters of the function.
Calls = Mapping[int, Sequence[Arguments]]

#: The files a child leaves in its task folder.
REPORT, ARRAYS, OUTPUT, LOADED = "report.json", "arrays.npz", "output.txt", "loaded"


@dataclass(frozen=True)
class Task:
    """One submission to run: ``function`` of the file at ``path``, at ``calls``."""

    path: str
    function: str
    calls: Calls


@dataclass(frozen=True)
class Call:
    """What one call of the function did.

    kind "values": it returned a tuple or a list of ``length`` items, each
    kept in ``arrays`` as an array (its dtype as returned, when real numbers)
    or None, with ``types`` naming what each was (for at most
    :data:`ITEMS_KEPT` items); "other": it returned something else (``types``
    names it); "raised": it raised (``error``, ``message``, ``line`` in the
    submission's file)."""

    kind: str
    arrays: Tuple[Optional[np.ndarray], ...] = ()
    types: Tuple[str, ...] = ()
    length: Optional[int] = None
    error: str = ""
    message: str = ""
    line: Optional[int] = None


#: Items of a returned tuple or list that are kept (a longer one is described by its length).
ITEMS_KEPT = 8


@dataclass
class Report:
    """What the child says of its run: why it stopped early (``reason``, None if it
    called the function at every input), the file's functions, the function's
    positional parameters (-1: they cannot be read), each call, and how many
    characters it printed."""

    reason: Optional[str] = None
    detail: str = ""
    line: Optional[int] = None
    functions: List[str] = field(default_factory=list)
    parameters: Optional[int] = None
    calls: List[Call] = field(default_factory=list)
    printed: int = 0

    def write(self, folder: str) -> None:
        """The record as JSON, and the returned arrays in an ``.npz`` file (no pickle)."""
        arrays = {
            f"{i}_{k}": a
            for i, call in enumerate(self.calls)
            for k, a in enumerate(call.arrays)
            if a is not None
        }
        np.savez(os.path.join(folder, ARRAYS), **cast(Dict[str, Any], arrays))
        data = asdict(self)
        data["calls"] = [{**vars(c), "arrays": len(c.arrays)} for c in self.calls]
        with open(os.path.join(folder, REPORT), "w") as f:
            json.dump(data, f)

    @classmethod
    def read(cls, folder: str) -> Optional[Report]:
        """The record the child left in ``folder``, or None when there is none that reads
        (the child ended first, or the submission spoiled it)."""
        with contextlib.suppress(ValueError, OSError, TypeError, KeyError):
            with open(os.path.join(folder, REPORT)) as f:
                data = json.load(f)
            with np.load(os.path.join(folder, ARRAYS), allow_pickle=False) as saved:
                arrays = {name: saved[name] for name in saved.files}
            calls = [_call(c, i, arrays) for i, c in enumerate(data.pop("calls"))]
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in known}, calls=calls)
        return None


def _call(data: Dict[str, Any], index: int, arrays: Mapping[str, np.ndarray]) -> Call:
    kept = tuple(arrays.get(f"{index}_{k}") for k in range(data.pop("arrays")))
    return Call(**{**data, "arrays": kept, "types": tuple(data["types"])})


@dataclass
class Run:
    """What a submission did, as its child reported it (or as its end showed).

    ``reason`` is None when the file loaded and the function was called at
    every input; otherwise why not: "timeout", "exited" (``detail`` the status
    or message), "crashed" (``detail`` the signal's name), "raised" (while
    loading; ``detail`` the exception, ``line`` where), "memory", "syntax"
    (``line``), "missing" (``functions``: those the file does have)."""

    path: str
    function: str
    reason: Optional[str] = None
    detail: str = ""
    line: Optional[int] = None
    functions: List[str] = field(default_factory=list)
    parameters: Optional[int] = None  # the function's positional parameters
    loaded: bool = False  # whether the file had loaded (False: it ended while loading)
    calls: List[Call] = field(default_factory=list)
    output: str = ""  # what it printed, cut to OUTPUT_SHOWN characters
    output_length: int = 0  # how many characters it printed in all
    seconds: float = 0.0


def save_calls(path: str, calls: Calls) -> None:
    """Every argument of every call in one ``.npz`` file, numbers as 0-d arrays."""
    arrays = {
        f"{count}_{i}_{k}": np.asarray(a)
        for count, made in calls.items()
        for i, arguments in enumerate(made)
        for k, a in enumerate(arguments)
    }
    np.savez(path, **cast(Dict[str, Any], arrays))


def load_calls(path: str) -> Dict[int, List[Arguments]]:
    """The calls :func:`save_calls` wrote, a 0-d array back as a Python number."""
    found: Dict[int, Dict[int, Dict[int, Argument]]] = {}
    with np.load(path, allow_pickle=False) as saved:
        for name in saved.files:
            count, i, k = (int(part) for part in name.split("_"))
            value = saved[name]
            found.setdefault(count, {}).setdefault(i, {})[k] = (
                value.item() if value.ndim == 0 else value
            )
    return {
        count: [tuple(made[i][k] for k in sorted(made[i])) for i in sorted(made)]
        for count, made in found.items()
    }


@dataclass(frozen=True)
class Request:
    """One line from the grader's side to the fork server: run ``path``'s ``function`` in
    the folder ``task``, at the calls saved in ``inputs``, under ``memory`` bytes."""

    task: str
    inputs: str
    path: str
    function: str
    memory: Optional[int]

    def line(self) -> bytes:
        return (json.dumps(asdict(self)) + "\n").encode()

    @classmethod
    def parse(cls, line: bytes) -> Request:
        return cls(**json.loads(line))
