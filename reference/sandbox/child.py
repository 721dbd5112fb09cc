"""The child's side of reference/runner.py: the fork server and what each child does.

This module is all a child process has of the project: it imports NumPy and
the standard library, nothing of ``numpy_impl`` or of the judge. The fork
server (:func:`serve`, a second interpreter started by the judge's Runner)
reads one request a line, forks a child for each (:func:`run_child`) and
reports each child's end. A child puts itself under its limits, reads the
inputs, loads the student's file from a copy in a fresh working folder, calls
the function at every input, writes what it returned (arrays in an ``.npz``
file, without pickle, and a JSON record) and exits at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sys
import traceback
from typing import Any, Dict, List, Optional, Set, cast

import numpy as np

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
                request = json.loads(line)
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


def run_child(request: Dict[str, Any]) -> None:
    """In the child: limits, the inputs, the file, the calls, the record; then exit at once."""
    os.setsid()  # a process group of its own, which the judge can kill whole
    task, path, function, count = (request[k] for k in ("task", "path", "function", "count"))
    _limit(request["memory"])
    with np.load(request["inputs"], allow_pickle=False) as saved:
        inputs = [tuple(saved[f"{i}_{k}"] for k in range(4)) for i in range(count)]
    out = open(os.path.join(task, "output.txt"), "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    sys.stdin = open(os.devnull)  # noqa: SIM115
    sys.stdout = sys.stderr = _Capped(out, KEPT)
    work = os.path.join(task, "work")
    os.chdir(work)
    copy = os.path.join(work, os.path.basename(path))
    shutil.copyfile(path, copy)
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(path))  # its own helper modules, if it has any
    record: Dict[str, Any] = {
        "reason": None, "detail": "", "line": None, "functions": [], "parameters": None,
        "calls": [],
    }  # fmt: skip
    arrays: Dict[str, np.ndarray] = {}
    try:
        _load_and_call(copy, function, inputs, request["alpha"], record, arrays)
    except MemoryError:
        record["reason"], record["detail"] = "memory", "MemoryError"
    with contextlib.suppress(BaseException):
        np.savez(os.path.join(task, "arrays.npz"), **cast(Dict[str, Any], arrays))
        record["printed"] = sys.stdout.written
        with open(os.path.join(task, "record.json"), "w") as f:
            json.dump(record, f)
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
    copy: str, function: str, inputs: List[Any], alpha: float, record: Dict[str, Any],
    arrays: Dict[str, np.ndarray],
) -> None:  # fmt: skip
    import inspect
    import runpy
    import warnings

    warnings.simplefilter("ignore")  # its warnings are its own
    try:
        namespace = runpy.run_path(copy, run_name="student")
    except SystemExit as err:
        record["reason"], record["detail"] = "exited", _exit_detail(err)
        return
    except SyntaxError as err:
        record["reason"], record["line"] = "syntax", err.lineno
        record["detail"] = f"{type(err).__name__}: {err.msg}"
        return
    except MemoryError:
        raise
    except BaseException as err:  # KeyboardInterrupt included: whatever it raised
        record["reason"], record["detail"] = "raised", _one_line(err)
        record["line"] = _line_in(copy, err)
        return
    open(os.path.join(os.path.dirname(os.path.dirname(copy)), "loaded"), "w").close()
    record["functions"] = sorted(k for k, v in namespace.items() if inspect.isfunction(v))
    target = namespace.get(function)
    if not callable(target):
        record["reason"] = "missing"
        return
    try:
        params = inspect.signature(target).parameters.values()
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        record["parameters"] = sum(p.kind in kinds for p in params)
    except (TypeError, ValueError):
        record["parameters"] = -1
    if record["parameters"] not in (3, 4, 5):
        return
    for i, given in enumerate(inputs):
        args = [a.copy() for a in given] + ([alpha] if record["parameters"] == 5 else [])
        if record["parameters"] == 3:  # a forward pass, f(x, w1, w2)
            del args[1]
        call: Dict[str, Any] = {
            "kind": "pair", "types": [], "length": None, "error": "", "message": "", "line": None,
        }  # fmt: skip
        try:
            with np.errstate(all="ignore"):
                value = target(*args)
        except SystemExit as err:
            record["reason"], record["detail"] = "exited", _exit_detail(err)
            return
        except MemoryError:
            raise
        except BaseException as err:
            call.update(kind="raised", error=type(err).__name__, message=_one_line(err, bare=True))
            call["line"] = _line_in(copy, err)
        else:
            _describe(value, i, call, arrays)
        record["calls"].append(call)


def _describe(value: Any, index: int, call: Dict[str, Any], arrays: Dict[str, Any]) -> None:
    """Record what the function returned: two arrays (as arrays), or what it was."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        call["kind"] = "other"
        call["types"] = [type(value).__name__]
        call["length"] = len(value) if isinstance(value, (tuple, list)) else None
        return
    for k, item in enumerate(value):
        call["types"].append(type(item).__name__)
        try:
            array = np.array(item)  # a copy: the function may change its arrays later
        except Exception:
            continue
        if array.dtype.kind in "biu":
            array = array.astype(np.float64)
        if array.dtype.kind == "f":
            arrays[f"{index}_{k}"] = array


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
