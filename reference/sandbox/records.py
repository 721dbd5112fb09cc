"""What crosses between the grader's process and a sandbox: one schema, written and read here.

A :class:`Task` asks for one submission to be run: the file, the function,
and the calls to make, by the number of arguments (a gradient ``f(x, y, w1,
w2)`` and a step ``f(x, y, w1, w2, alpha)`` are given different arguments;
the sandbox does not know which is which: it picks the list for the number of
positional parameters the function requires, those without a default, or
else for the number it takes). An argument is an array or a number.

The grader's side sends a sandbox's server a :class:`Request` (one line: the
file's bytes, the function, the limits); the child that runs it writes a
:class:`Report` (bytes: an ``.npz`` archive, without pickle, holding the
arrays the function returned and the report itself) on a pipe it was given
before the submission was loaded; the server passes it on, and says how the
child ended (:class:`Message`). The grader's side makes of it all a
:class:`Run`. Both sides import this module, so each record is defined once.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, cast

import numpy as np

#: One argument of a call: an array, or a number (passed to the function as a Python float).
Argument = Union[np.ndarray, float]
Arguments = Tuple[Argument, ...]
#: The calls to make, by their number of arguments.
Calls = Mapping[int, Sequence[Arguments]]

#: Items of a returned tuple or list that are kept (a longer one is described by its length).
ITEMS_KEPT = 8
#: The largest report read (bytes): the arrays of every call, with room to spare.
REPORT_LIMIT = 64 * 2**20


@dataclass(frozen=True)
class Forbidden:
    """What a submission may not use: ``functions`` it may not call (``module.function``;
    every name bound to one in its package's loaded modules stands for it) and
    ``modules`` it may not import (with everything under them). A use is refused (it
    raises); one while the function is called, or one that stops the file loading, is
    named in the report (reference/sandbox/forbid.py)."""

    functions: Tuple[str, ...] = ()
    modules: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    """One submission to run: ``function`` of the file at ``path``, at ``calls``, without
    what ``forbidden`` names; ``source``: the module's bytes, when they are not the file's
    (a notebook's cells made a module: its name is then the file's stem and ``.py``)."""

    path: str
    function: str
    calls: Calls
    forbidden: Forbidden = Forbidden()
    source: Optional[bytes] = None


@dataclass(frozen=True)
class Call:
    """What one call of the function did.

    kind "values": it returned a tuple or a list of ``length`` items, each
    kept in ``arrays`` as an array (its dtype as returned, when real numbers)
    or None, with ``types`` naming what each was (for at most
    :data:`ITEMS_KEPT` items); "other": it returned something else (``types``
    names it; ``arrays`` holds it as an array when it is one of real numbers, else
    None); "raised": it raised (``error``, ``message``, ``line`` in the
    submission's file)."""

    kind: str
    arrays: Tuple[Optional[np.ndarray], ...] = ()
    types: Tuple[str, ...] = ()
    length: Optional[int] = None
    error: str = ""
    message: str = ""
    line: Optional[int] = None


@dataclass
class Report:
    """What the child says of its run: why it stopped early (``reason``, None if it
    called the function at every input), the file's functions, the function's
    positional parameters (``parameters``, -1: they cannot be read; ``required``:
    those without a default; ``defaulted``: the names of the others), how many
    arguments each call was given (``given``, None: it was not called), each
    call, how many characters it printed, and what it used of what was forbidden
    (``forbidden``, the names, in the order first used)."""

    reason: Optional[str] = None
    detail: str = ""
    line: Optional[int] = None
    functions: List[str] = field(default_factory=list)
    parameters: Optional[int] = None
    required: Optional[int] = None
    defaulted: List[str] = field(default_factory=list)
    given: Optional[int] = None
    calls: List[Call] = field(default_factory=list)
    printed: int = 0
    forbidden: List[str] = field(default_factory=list)  # what it used that it may not

    def to_bytes(self) -> bytes:
        """The report as one ``.npz`` archive: the returned arrays, and the rest as JSON."""
        arrays = {
            f"{i}_{k}": a
            for i, call in enumerate(self.calls)
            for k, a in enumerate(call.arrays)
            if a is not None
        }
        data = asdict(self)
        data["calls"] = [{**vars(c), "arrays": len(c.arrays)} for c in self.calls]
        text = np.frombuffer(json.dumps(data).encode(), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez(buffer, report=text, **cast(Dict[str, Any], arrays))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Optional[Report]:
        """The report in ``data``, or None when it does not read as one, field by field
        (the child ended while writing it, or the submission wrote something else
        there: a report it forged must still be one a child could have written)."""
        try:
            arrays = read_archive(data)
            found = json.loads(arrays.pop("report").tobytes().decode())
            calls = [_call(c, i, arrays) for i, c in enumerate(found.pop("calls"))]
            known = {f.name for f in fields(cls)} - {"calls"}
            report = cls(**{k: v for k, v in found.items() if k in known}, calls=calls)
        except Exception:  # whatever the bytes were, they are no report
            return None
        return report if report.well_formed() else None

    def well_formed(self) -> bool:
        """Is every field of a kind a child writes?"""
        counts = (self.line, self.parameters, self.required, self.given)
        return (
            self.reason in CHILD_REASONS
            and isinstance(self.detail, str)
            and all(_count(n) for n in counts)
            and _strings(self.functions)
            and _strings(self.defaulted)
            and _strings(self.forbidden)
            and _count(self.printed)
            and all(_well_formed(c) for c in self.calls)
        )


def read_archive(data: bytes) -> Dict[str, np.ndarray]:
    """The arrays of an ``.npz`` archive written by ``np.savez``, read so that it
    cannot claim more memory than its own bytes: every member stored, never
    compressed (a compressed one could inflate a thousandfold), and every array
    exactly as long as its header says (no array is made before that is
    checked). ValueError otherwise."""
    arrays = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.compress_type != zipfile.ZIP_STORED or member.file_size > len(data):
                raise ValueError(f"{member.filename}: not a stored member")
            stream = io.BytesIO(archive.read(member))
            version = np.lib.format.read_magic(stream)
            header = {(1, 0): np.lib.format.read_array_header_1_0,
                      (2, 0): np.lib.format.read_array_header_2_0}[version]  # fmt: skip
            shape, fortran, dtype = header(stream)
            body = stream.read()
            if dtype.hasobject or len(body) != int(np.prod(shape)) * dtype.itemsize:
                raise ValueError(f"{member.filename}: not an array of its header's size")
            array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C")
            arrays[member.filename.removesuffix(".npy")] = array.copy()
    return arrays


#: The reasons a child gives for stopping early (the others are the grader's side's).
CHILD_REASONS = (None, "exited", "syntax", "raised", "missing", "memory")


def _count(value: Any) -> bool:
    """None or a whole number (-1 stands for "cannot be read")."""
    return value is None or (type(value) is int and value >= -1)


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(s) is str for s in value)


def _well_formed(call: Call) -> bool:
    """Is ``call`` one a child writes: its kind, its arrays of real numbers, its names?"""
    arrays = all(a is None or (a.dtype.kind == "f" and a.dtype.hasobject is False)
                 for a in call.arrays)  # fmt: skip
    length = call.length if type(call.length) is int and call.length >= 0 else None
    kept = length is not None and length <= ITEMS_KEPT
    shape = {  # a tuple or list's items, each named; or, past ITEMS_KEPT, its length alone
        "values": length is not None
        and len(call.types) == len(call.arrays) == (length if kept else 0),
        "other": len(call.types) == 1 and len(call.arrays) <= 1,
        "raised": not call.arrays and not call.types,
    }
    names = [call.error, call.message, *call.types]
    text = all(type(s) is str for s in names)
    return bool(shape.get(call.kind)) and arrays and text and _count(call.line)


def _call(data: Dict[str, Any], index: int, arrays: Mapping[str, np.ndarray]) -> Call:
    count = data.pop("arrays")
    if type(count) is not int or not 0 <= count <= ITEMS_KEPT:
        raise ValueError("not a count of arrays")
    kept = tuple(arrays.get(f"{index}_{k}") for k in range(count))
    return Call(**{**data, "arrays": kept, "types": tuple(data["types"])})


@dataclass
class Run:
    """What a submission did, as its child reported it (or as its end showed).

    ``reason`` is None when the file loaded and the function was called at
    every input; otherwise why not: "timeout" (``detail`` the limit, "10 s"), "exited"
    (``detail`` the status
    or message), "crashed" (``detail`` the signal's name, or what ended it),
    "raised" (while loading; ``detail`` the exception, ``line`` where),
    "memory", "syntax" (``line``), "missing" (``functions``: those the file
    does have), "unreadable" (``detail``: why the file was not read)."""

    path: str
    function: str
    reason: Optional[str] = None
    detail: str = ""
    line: Optional[int] = None
    functions: List[str] = field(default_factory=list)
    parameters: Optional[int] = None  # the function's positional parameters
    required: Optional[int] = None  # of which without a default
    defaulted: List[str] = field(default_factory=list)  # the names of those with one
    given: Optional[int] = None  # the arguments each call was given (None: not called)
    loaded: Optional[bool] = False  # whether the file had loaded (None: not known)
    calls: List[Call] = field(default_factory=list)
    output: str = ""  # what it printed, cut to OUTPUT_SHOWN characters
    output_length: int = 0  # how many characters it printed in all
    seconds: float = 0.0
    forbidden: List[str] = field(default_factory=list)  # what it used of Task.forbidden


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
            argument = value.item() if value.ndim == 0 else value
            found.setdefault(count, {}).setdefault(i, {})[k] = argument
    return {
        count: [tuple(made[i][k] for k in sorted(made[i])) for i in sorted(made)]
        for count, made in found.items()
    }


@dataclass(frozen=True)
class Request:
    """One line from the grader's side to a sandbox's server: run ``function`` of the
    file ``name`` (its bytes, ``source``) at the calls saved in ``inputs``, under
    ``memory`` bytes and ``timeout`` seconds, without what ``forbidden`` names."""

    name: str
    source: bytes
    function: str
    inputs: str
    memory: Optional[int]
    timeout: float
    forbidden: Forbidden = Forbidden()

    def line(self) -> bytes:
        data = {**asdict(self), "source": base64.b64encode(self.source).decode()}
        return (json.dumps(data) + "\n").encode()

    @classmethod
    def parse(cls, line: bytes) -> Request:
        data = json.loads(line)
        forbidden = Forbidden(**{k: tuple(v) for k, v in data["forbidden"].items()})
        return cls(**{**data, "source": base64.b64decode(data["source"]), "forbidden": forbidden})


@dataclass(frozen=True)
class Message:
    """One line from a server to the grader's side: a child "started", the submission
    "loaded", a "report" of ``size`` bytes follows, or the child "ended" (``code``:
    its exit status, or minus the signal that ended it; ``timed_out``)."""

    kind: str
    size: int = 0
    code: int = 0
    timed_out: bool = False

    def line(self) -> bytes:
        return f"{self.kind} {self.size} {self.code} {int(self.timed_out)}\n".encode()

    @classmethod
    def parse(cls, line: bytes) -> Message:
        """The message on ``line``; ValueError if it is not one a server writes (a size
        on a report alone, a status or a time limit on an end alone)."""
        kind, size, code, timed_out = line.decode("ascii").split()
        message = cls(kind, int(size), int(code), timed_out == "1")
        sized = 0 <= message.size <= REPORT_LIMIT and (kind == "report" or message.size == 0)
        ends = kind == "ended" or (message.code == 0 and timed_out == "0")
        if kind not in MESSAGES or not sized or not ends or timed_out not in ("0", "1"):
            raise ValueError(f"not a server's message: {line[:80]!r}")
        return message


#: What a server says.
MESSAGES = ("started", "loaded", "report", "ended")
