"""The child a sandbox's server forks for each submission: what runs beside the student's code.

This module (with :mod:`reference.sandbox.records`) is all a sandbox has of
the project besides its server: it imports NumPy and the standard library,
nothing of ``numpy_impl`` or of the judge but the modules of the functions it
is asked to refuse (:mod:`reference.sandbox.forbid`). A child puts itself
under its limits, reads the calls, loads the submission as a module (registered, so
that multiprocessing can pickle its functions), calls the function at the
calls for its number of parameters and writes what came back (a
:class:`~reference.sandbox.records.Report`) on the pipe it was handed before
the submission was loaded, never through what the submission can replace;
then it exits at once. What the function returned is read as it is, by
NumPy's own conversion: no length, item or value that an object of the
submission's claims is asked for.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import inspect
import os
import signal
import sys
import tempfile
import traceback
import warnings
from types import FunctionType
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from reference.sandbox.forbid import Refused, Tripwire, forbid
from reference.sandbox.records import ITEMS_KEPT, Arguments, Call, Report, Request, load_calls

#: The size past which the file of a child's printed output stops growing.
OUTPUT_FILE_LIMIT = 64 * 2**20
#: Characters of printed output a child keeps (the grader shows fewer).
KEPT = 2**20
#: The byte a child writes on its report pipe once the submission has loaded.
LOADED = b"L"
#: prctl's options (linux/prctl.h).
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36


def prctl(option: int, value: int) -> None:
    """prctl(2), where there is one (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


class _Capped:
    """A text stream that keeps the first ``limit`` characters written and counts the rest."""

    def __init__(self, stream: Any, limit: int) -> None:
        self.stream, self.limit, self.written = stream, limit, 0

    def write(self, text: str) -> int:
        keep = max(0, min(len(text), self.limit - self.written))
        if keep:
            self.stream.write(text[:keep])
        self.written += len(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(Exception):
            self.stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return int(self.stream.fileno())

    def __getattr__(self, name: str) -> Any:  # encoding, buffer, ...: the file's own
        return getattr(self.stream, name)


def run_child(
    request: Request, report: int, output: int, folders: Tuple[str, str], inside: bool
) -> None:
    """In the child: limits, the calls, the file, the calls made, the report written
    on ``report``; then exit at once. ``folders``: its working folder and its /tmp."""
    work, tmp = folders
    os.setsid()  # a process group of its own, which the server can end whole
    if not inside:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # it ends with its server
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(report, 3)
    os.closerange(4, 65536)  # the server's pipes, and anything else it had open
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    _limit(request.memory)
    calls = load_calls(request.inputs)  # read before the submission can touch anything
    capped = _Capped(open(1, "w", encoding="utf-8", errors="replace", closefd=False), KEPT)  # noqa: SIM115
    sys.stdin = open(os.devnull)  # noqa: SIM115
    sys.stdout = sys.stderr = capped
    os.chdir(work)
    os.environ.update(TMPDIR=tmp, HOME=work)  # its temporary files, its home: its own folders
    tempfile.tempdir = None
    sys.dont_write_bytecode = True
    found = Report()
    wire = forbid(request.forbidden, found)
    try:
        _load_and_call(os.path.join(work, request.name), request.function, calls, found, wire)
    except MemoryError:
        found.reason, found.detail = "memory", "MemoryError"
    for stream in (sys.stdout, sys.stderr, capped):  # the submission's own streams too
        with contextlib.suppress(BaseException):
            stream.flush()
    with contextlib.suppress(BaseException):
        found.printed = capped.written
        data = memoryview(found.to_bytes())
        while data:
            data = data[os.write(3, data) :]
    os._exit(0)  # at once: no atexit handler, no non-daemon thread waited for


def _limit(memory: Optional[int]) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_FILE_LIMIT, OUTPUT_FILE_LIMIT))
    if memory is not None and sys.platform.startswith("linux"):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _load_and_call(
    copy: str, function: str, calls: Dict[int, List[Arguments]], report: Report, wire: Tripwire
) -> None:
    """Load the file, find the function and call it at the calls for the number of
    positional parameters it requires (those without a default), or else for the number
    it takes (none: the report says how many it takes, and no call is made)."""
    namespace = _load(copy, report)
    if namespace is None:
        return
    os.write(3, LOADED)
    # what each name is, not what it says it is (a property named __class__ could say
    # anything, or raise); a name that is not a string is no function's
    report.functions = sorted(
        k for k, v in list(namespace.items()) if type(k) is str and type(v) is FunctionType
    )
    target = namespace.get(function)
    if not callable(target):
        report.reason = "missing"
        return
    _signature(target, report)
    report.given = next((n for n in (report.required, report.parameters) if n in calls), None)
    for arguments in calls.get(report.given, []) if report.given is not None else []:
        given = [a.copy() if isinstance(a, np.ndarray) else a for a in arguments]
        try:
            wire.calling = True
            with np.errstate(all="ignore"):
                value = target(*given)
        except SystemExit as err:
            report.reason, report.detail = "exited", _exit_detail(err)
            return
        except MemoryError:
            raise
        except BaseException as err:
            wire.calling = False
            message = _one_line(err, bare=True)
            report.calls.append(Call("raised", error=_name(err), message=message,
                                     line=_line_in(copy, err)))  # fmt: skip
        else:
            wire.calling = False
            try:
                report.calls.append(_described(value))
            except Exception:  # a value that cannot even be looked at
                report.calls.append(Call("other", types=(_type_name(value),)))


def _load(copy: str, report: Report) -> Optional[Dict[str, Any]]:
    """The file's namespace, run as a module registered in sys.modules (so that its
    functions can be pickled, as multiprocessing does); None (the report says why)
    if it did not load."""
    warnings.simplefilter("ignore")  # its warnings are its own
    name = _module_name(copy)
    sys.path.insert(0, os.path.dirname(copy))  # its own folder, as a script's would be
    try:
        spec = importlib.util.spec_from_file_location(name, copy)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return vars(module)
    except SystemExit as err:
        report.reason, report.detail = "exited", _exit_detail(err)
    except SyntaxError as err:
        report.reason, report.line = "syntax", err.lineno
        report.detail = f"{type(err).__name__}: {err.msg}"
    except MemoryError:
        raise
    except Refused as err:  # it did not load for what it used of the project's
        report.forbidden.append(err.name)
        report.reason, report.detail = "raised", _one_line(err)
    except BaseException as err:  # KeyboardInterrupt included: whatever it raised
        report.reason, report.detail = "raised", _one_line(err)
        report.line = _line_in(copy, err)
    return None


def _module_name(copy: str) -> str:
    """The name the submission is loaded under: its own, unless that would stand for
    another module (a file named like one of the standard library's), else 'submission'."""
    stem = os.path.splitext(os.path.basename(copy))[0]
    with contextlib.suppress(Exception):
        if stem.isidentifier() and importlib.util.find_spec(stem) is None:
            return stem
    return "submission"


def _signature(function: Any, report: Report) -> None:
    """The function's positional parameters, as the report tells them: how many, how many
    have no default, and the names of those that have one (-1: it cannot be read)."""
    try:
        params = list(inspect.signature(function).parameters.values())
    except BaseException:  # a __signature__ of its own that raises, SystemExit included
        report.parameters = report.required = -1
        return
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in params if p.kind in kinds]
    report.parameters = len(positional)
    report.required = sum(p.default is inspect.Parameter.empty for p in positional)
    report.defaulted = [str(p.name) for p in positional if p.default is not inspect.Parameter.empty]


def _described(value: Any) -> Call:
    """What the function returned: the items of a tuple or a list (each as an array,
    when it is one of real numbers), or what it was (as an array, when it is one). The
    items are read as the tuple or list holds them: a length or items a user class
    claims are not asked."""
    actual = type(value)  # what it is, not what it says it is
    kind = tuple if issubclass(actual, tuple) else list if issubclass(actual, list) else None
    if kind is None or _says_otherwise(actual, kind):  # (kept as an array if it is one)
        return Call("other", (_array(value),), (_type_name(value),))
    length = kind.__len__(value)
    if length > ITEMS_KEPT:
        return Call("values", length=length)
    items = [kind.__getitem__(value, i) for i in range(length)]
    arrays = tuple(_array(item) for item in items)
    return Call("values", arrays, tuple(_type_name(item) for item in items), length)


def _says_otherwise(actual: type, kind: type) -> bool:
    """Does a subclass of tuple or list (``kind``) tell its own length, items or
    iteration (which could say other than what it holds)?"""
    own = actual.__mro__[: actual.__mro__.index(kind)]
    return any(name in vars(c) for c in own for name in ("__len__", "__iter__", "__getitem__"))


def _array(item: Any) -> Optional[np.ndarray]:
    """``item`` as a copy by NumPy's own conversion, float64 for whole numbers, when
    it is an array or numbers (nested in plain lists or tuples); None for anything else."""
    if issubclass(type(item), np.ndarray):  # a subclass's own methods are not asked
        item = np.ndarray.view(item, np.ndarray)
    if not _plain(item, 0):
        return None
    try:
        array = np.array(item, copy=True)
    except Exception:
        return None
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    return array if array.dtype.kind == "f" else None


def _plain(item: Any, depth: int) -> bool:
    """Is ``item`` made of NumPy's own numbers only (no object of the submission's that
    could tell its own length or values)?"""
    kind = type(item)
    if kind is np.ndarray or (issubclass(kind, np.generic) and kind.__module__ == "numpy"):
        return bool(item.dtype.kind in "biuf")
    if kind in (bool, int, float):
        return True
    if kind in (list, tuple) and depth < 32:
        return all(_plain(x, depth + 1) for x in item)
    return False


def _type_name(value: Any) -> str:
    with contextlib.suppress(Exception):
        return str(type(value).__name__)
    return "object"


def _name(err: BaseException) -> str:
    return _type_name(err)


def _exit_detail(err: SystemExit) -> str:
    try:
        code = err.code
        if code is None or isinstance(code, int):
            return f"status {0 if code is None else code}"
        text = str(code).strip()
        return text.splitlines()[0][:200] if text else "status 1"
    except Exception:
        return "status 1"


def _one_line(err: BaseException, bare: bool = False) -> str:
    try:
        text = str(err).strip().splitlines()
    except Exception:  # an exception that cannot say what it is
        text = []
    first = text[0][:200] if text else ""
    if bare:
        return first
    return f"{_name(err)}: {first}" if first else _name(err)


def _line_in(copy: str, err: BaseException) -> Optional[int]:
    """The last line of the student's file that the traceback passes through."""
    with contextlib.suppress(Exception):
        lines = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == copy]
        return lines[-1] if lines else None
    return None
