"""The child's side of the sandbox: the fork server and what each child does.

This module (with :mod:`reference.sandbox.records`) is all a child process has
of the project: it imports NumPy and the standard library, nothing of
``numpy_impl`` or of the judge. The fork server (:func:`serve`, a second
interpreter started by the grader's :class:`~reference.sandbox.runner.Runner`)
reads one request a line, forks a child for each (:func:`run_child`) and
reports each child's end. A child puts itself under its limits, reads the
calls, loads the submission from a copy in a fresh working folder, calls the
function at the calls for its number of parameters, writes what came back (a
:class:`~reference.sandbox.records.Report`) and exits at once.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import runpy
import select
import shutil
import signal
import sys
import traceback
import warnings
from typing import Any, Dict, List, Optional, Set

import numpy as np

from reference.sandbox.records import (
    ITEMS_KEPT,
    LOADED,
    OUTPUT,
    Arguments,
    Call,
    Report,
    Request,
    load_calls,
)

#: The size past which the file of a child's printed output stops growing.
OUTPUT_FILE_LIMIT = 64 * 2**20
#: Characters of printed output a child keeps (the judge shows fewer).
KEPT = 2**20


def kill_group(pid: int) -> None:
    """SIGKILL the child's process group: the child and everything it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)  # before it had a group of its own


def serve() -> None:
    """The fork server: read requests (one JSON object a line) on stdin, fork a
    child for each and answer "started PID"; answer "ended PID CODE" for each
    child that ends (CODE negative: killed by that signal). At the end of its
    input it ends every child left, and itself."""
    wake_read, wake_write = os.pipe()
    for fd in (wake_read, wake_write):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    children: Set[int] = set()
    pending, out = b"", sys.stdout.buffer
    while True:
        try:
            ready, _, _ = select.select([0, wake_read], [], [])
        except InterruptedError:
            ready = []
        if wake_read in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_read, 4096)
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                for pid in children:
                    kill_group(pid)
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = Request.parse(line)
                pid = os.fork()
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    for number in (signal.SIGCHLD, signal.SIGINT):
                        signal.signal(number, signal.SIG_DFL)
                    os.close(wake_read)
                    os.close(wake_write)
                    run_child(request)
                children.add(pid)
                out.write(f"started {pid}\n".encode())
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            children.discard(pid)
            out.write(f"ended {pid} {_exit_code(status)}\n".encode())
        out.flush()


def _exit_code(status: int) -> int:
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


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


def run_child(request: Request) -> None:
    """In the child: limits, the inputs, the file, the calls, the report; then exit at once."""
    os.setsid()  # a process group of its own, which the grader can kill whole
    _limit(request.memory)
    calls = load_calls(request.inputs)
    out = open(os.path.join(request.task, OUTPUT), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    sys.stdin = open(os.devnull)  # noqa: SIM115
    sys.stdout = sys.stderr = _Capped(out, KEPT)
    work = os.path.join(request.task, "work")
    os.chdir(work)
    copy = os.path.join(work, os.path.basename(request.path))
    shutil.copyfile(request.path, copy)
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(request.path))  # its own helper modules, if it has any
    report = Report()
    try:
        _load_and_call(copy, request.function, calls, report)
    except MemoryError:
        report.reason, report.detail = "memory", "MemoryError"
    with contextlib.suppress(BaseException):
        report.printed = sys.stdout.written
        report.write(request.task)
        out.flush()
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
    copy: str, function: str, calls: Dict[int, List[Arguments]], report: Report
) -> None:
    """Load the file, find the function and call it at the calls for its number of
    positional parameters (none: the report says how many it takes, and no call is made)."""
    namespace = _load(copy, report)
    if namespace is None:
        return
    open(os.path.join(os.path.dirname(os.path.dirname(copy)), LOADED), "w").close()
    report.functions = sorted(k for k, v in namespace.items() if inspect.isfunction(v))
    target = namespace.get(function)
    if not callable(target):
        report.reason = "missing"
        return
    report.parameters = _positional(target)
    for arguments in calls.get(report.parameters, []):
        given = [a.copy() if isinstance(a, np.ndarray) else a for a in arguments]
        try:
            with np.errstate(all="ignore"):
                value = target(*given)
        except SystemExit as err:
            report.reason, report.detail = "exited", _exit_detail(err)
            return
        except MemoryError:
            raise
        except BaseException as err:
            message = _one_line(err, bare=True)
            report.calls.append(Call("raised", error=type(err).__name__, message=message,
                                     line=_line_in(copy, err)))  # fmt: skip
        else:
            report.calls.append(_described(value))


def _load(copy: str, report: Report) -> Optional[Dict[str, Any]]:
    """The file's namespace, run as a module; None (the report says why) if it did not load."""
    warnings.simplefilter("ignore")  # its warnings are its own
    try:
        return runpy.run_path(copy, run_name="student")
    except SystemExit as err:
        report.reason, report.detail = "exited", _exit_detail(err)
    except SyntaxError as err:
        report.reason, report.line = "syntax", err.lineno
        report.detail = f"{type(err).__name__}: {err.msg}"
    except MemoryError:
        raise
    except BaseException as err:  # KeyboardInterrupt included: whatever it raised
        report.reason, report.detail = "raised", _one_line(err)
        report.line = _line_in(copy, err)
    return None


def _positional(function: Any) -> int:
    """How many positional parameters ``function`` takes (-1: its signature cannot be read)."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return -1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in kinds for p in params)


def _described(value: Any) -> Call:
    """What the function returned: the items of a tuple or a list (each as an array,
    when it is one of real numbers), or what it was."""
    if not isinstance(value, (tuple, list)):
        return Call("other", types=(type(value).__name__,))
    if len(value) > ITEMS_KEPT:
        return Call("values", length=len(value))
    arrays: List[Optional[np.ndarray]] = []
    for item in value:
        try:
            array: Optional[np.ndarray] = np.array(item)  # a copy: the function may change it later
        except Exception:
            array = None
        if array is not None and array.dtype.kind in "biu":
            array = array.astype(np.float64)
        arrays.append(array if array is not None and array.dtype.kind == "f" else None)
    types = tuple(type(item).__name__ for item in value)
    return Call("values", tuple(arrays), types, len(value))


def _exit_detail(err: SystemExit) -> str:
    code = err.code
    if code is None or isinstance(code, int):
        return f"status {0 if code is None else code}"
    return str(code).strip().splitlines()[0][:200] if str(code).strip() else "status 1"


def _one_line(err: BaseException, bare: bool = False) -> str:
    text = str(err).strip().splitlines()
    first = text[0][:200] if text else ""
    if bare:
        return first
    return f"{type(err).__name__}: {first}" if first else type(err).__name__


def _line_in(copy: str, err: BaseException) -> Optional[int]:
    """The last line of the student's file that the traceback passes through."""
    lines = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == copy]
    return lines[-1] if lines else None
