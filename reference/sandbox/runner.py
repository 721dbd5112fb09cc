"""Running a submission apart: a student's code runs only in a child process.

The judge (:mod:`reference.judge.diagnose`) never imports or runs a submission. It
hands this module the inputs to call the function at; a child process loads
the file, calls the function at each of them and hands back what it
returned, as plain arrays in a ``.npz`` file (no pickle) and a JSON record
(or what went wrong). The child computes no verdict: nothing a submission
does to NumPy, to ``numpy_impl``, to global state or to its own process can
reach the judge's process.

Every child runs under limits (:class:`Limits`):

* a wall-clock time limit: past it the child and everything it started are
  killed (the child leads a process group of its own);
* a memory cap (``RLIMIT_AS``, on Linux): an allocation past it fails with
  ``MemoryError``;
* stdin closed (``input()`` gets ``EOFError``);
* a fresh temporary working folder, removed afterwards, where the file is run
  from a copy: a file the submission writes never lands beside the teacher's;
  no bytecode is written;
* its printed output captured (stdout and stderr together) and cut to a
  readable length.

Children are forked from a fork server that has already imported NumPy and
reference/child.py (:func:`reference.sandbox.child.serve`), so a submission costs its
own work, not a fresh interpreter importing NumPy. The isolation protects
against accidents (loops, exits, crashes, stray files, patched libraries),
not against deliberate attacks: the child runs as the same user.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, cast

import numpy as np

from reference.sandbox.child import kill_group

#: What one call of the function is given: x, y, w1, w2 (and alpha, for a step).
Inputs = Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
#: Characters of a submission's printed output that are kept.
OUTPUT_SHOWN = 2000


@dataclass(frozen=True)
class Limits:
    """What a submission may use: seconds of wall-clock time, bytes of memory (None: no cap)."""

    timeout: float = 10.0
    memory: Optional[int] = 2 * 2**30


@dataclass(frozen=True)
class Call:
    """What one call of the function did.

    kind "pair": it returned two things, ``arrays`` each an array (its dtype as
    returned, when real numbers) or None, with ``types`` naming what each was;
    "other": it returned something else (``types`` names it, ``length`` its
    length if it has one); "raised": it raised (``error``, ``message``,
    ``line`` in the student's file)."""

    kind: str
    arrays: Tuple[Optional[np.ndarray], ...] = ()
    types: Tuple[str, ...] = ()
    length: Optional[int] = None
    error: str = ""
    message: str = ""
    line: Optional[int] = None


@dataclass
class Run:
    """What a submission did, as the child reported it (or as its end showed).

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


# --- The judge's side -------------------------------------------------------


class Runner:
    """Starts children and collects what they did; one per grading. Use it as a
    context manager, so that no child, nor the fork server, outlives it.

    The fork server is a second interpreter that has imported NumPy and this
    module, with one BLAS thread; it reads one request a line, forks a child
    for each, and reports each child's end (:func:`reference.sandbox.child.serve`)."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self.folder = tempfile.mkdtemp(prefix="numpy-impl-grading-")
        env = environment(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        command = [sys.executable, "-c", "from reference.sandbox.child import serve; serve()"]
        self.server = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=self.folder
        )
        self.ended: Dict[int, int] = {}  # pid -> exit code (negative: the signal)
        self.running: Dict[int, Tuple[str, float]] = {}  # pid -> (task folder, start)
        self.pending = b""
        self.written: Tuple[Any, str] = (None, "")  # the inputs last written, and their file

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self, path: str, function: str, inputs: Sequence[Inputs], alpha: float) -> int:
        """Start a child that loads ``path`` and calls ``function`` at every one of
        ``inputs`` (with ``alpha`` as well, if it takes five parameters: a step);
        returns its process id."""
        task = tempfile.mkdtemp(dir=self.folder)
        os.mkdir(os.path.join(task, "work"))
        if self.written[0] is not inputs:  # a class is called at the same inputs: written once
            saved = os.path.join(self.folder, f"inputs-{len(os.listdir(self.folder))}.npz")
            arrays = {f"{i}_{k}": a for i, call in enumerate(inputs) for k, a in enumerate(call)}
            np.savez(saved, **cast(Dict[str, Any], arrays))
            self.written = (inputs, saved)
        request = {
            "task": task, "inputs": self.written[1], "path": os.path.abspath(path),
            "function": function,
            "count": len(inputs), "memory": self.limits.memory, "alpha": alpha,
        }  # fmt: skip
        assert self.server.stdin is not None
        self.server.stdin.write((json.dumps(request) + "\n").encode())
        self.server.stdin.flush()
        while True:
            message = self._message(None)
            if message is not None and message[0] == "started":
                pid = int(message[1])
                self.running[pid] = (task, time.monotonic())
                return pid

    def deadline(self, pid: int) -> float:
        """When (time.monotonic) the child ``pid`` runs out of time."""
        return self.running[pid][1] + self.limits.timeout

    def wait(self, pids: Sequence[int]) -> None:
        """Until one of ``pids`` has ended or the first of their deadlines."""
        until = min(self.deadline(pid) for pid in pids)
        while not any(pid in self.ended for pid in pids):
            left = until - time.monotonic()
            if left <= 0 or self._message(left) is None:
                return

    def finish(self, pid: int, path: str, function: str) -> Run:
        """Wait for the child (until its deadline), end whatever is left of it,
        and read what it did."""
        task, started = self.running[pid]
        while pid not in self.ended:
            left = self.deadline(pid) - time.monotonic()
            if left <= 0:
                break
            self._message(left)
        timed_out = pid not in self.ended
        kill_group(pid)  # the child, if it is still there, and all it started
        while pid not in self.ended:
            self._message(None)
        seconds = time.monotonic() - started
        del self.running[pid]
        try:
            run = _read(task, path, function, self.ended.pop(pid), timed_out)
        finally:
            shutil.rmtree(task, ignore_errors=True)
        run.seconds = seconds
        return run

    def run(self, path: str, function: str, inputs: Sequence[Inputs], alpha: float) -> Run:
        """One submission, start to end."""
        return self.finish(self.start(path, function, inputs, alpha), path, function)

    def close(self) -> None:
        """End every child still running, and the fork server; remove the folders."""
        for pid in self.running:
            kill_group(pid)
        self.running.clear()
        with contextlib.suppress(OSError):
            assert self.server.stdin is not None
            self.server.stdin.close()  # the server ends at the end of its input
        try:
            self.server.wait(5)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        if self.server.stdout is not None:
            self.server.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _message(self, timeout: Optional[float]) -> Optional[List[str]]:
        """The server's next line ("started PID" or "ended PID CODE"), waiting up
        to ``timeout`` seconds (None: as long as it takes); None if none came."""
        assert self.server.stdout is not None
        fd = self.server.stdout.fileno()
        while b"\n" not in self.pending:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return None
            data = os.read(fd, 65536)
            if not data:
                raise RuntimeError("the grader's fork server ended unexpectedly")
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        message = line.decode().split()
        if message[0] == "ended":
            self.ended[int(message[1])] = int(message[2])
        return message


def environment(**extra: str) -> Dict[str, str]:
    """This process's environment for a child interpreter of the project: the
    repository root on PYTHONPATH (so ``reference`` is found), and ``extra``."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, **extra}


def _read(task: str, path: str, function: str, exitcode: Optional[int], timed_out: bool) -> Run:
    """The child's record, or why there is none."""
    run = Run(path=path, function=function)
    output = os.path.join(task, "output.txt")
    if os.path.exists(output):
        with open(output, encoding="utf-8", errors="replace") as f:
            text = f.read(OUTPUT_SHOWN + 1)
        run.output, run.output_length = text[:OUTPUT_SHOWN], os.path.getsize(output)
    record_path = os.path.join(task, "record.json")
    record = None
    if not timed_out and os.path.exists(record_path):
        with contextlib.suppress(ValueError, OSError), open(record_path) as f:
            record = json.load(f)
    run.loaded = os.path.exists(os.path.join(task, "loaded"))
    if record is None:
        run.reason, run.detail = _ending(exitcode, timed_out)
        return run
    run.output_length = max(run.output_length, record.get("printed", 0))
    run.reason, run.detail, run.line = record["reason"], record["detail"], record["line"]
    run.functions, run.parameters = record["functions"], record["parameters"]
    arrays: Dict[str, np.ndarray] = {}
    if os.path.exists(os.path.join(task, "arrays.npz")):
        with np.load(os.path.join(task, "arrays.npz"), allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    for i, call in enumerate(record["calls"]):
        found = tuple(arrays.get(f"{i}_{k}") for k in range(len(call["types"])))
        run.calls.append(
            Call(
                kind=call["kind"],
                arrays=found if call["kind"] == "pair" else (),
                types=tuple(call["types"]),
                length=call["length"],
                error=call["error"],
                message=call["message"],
                line=call["line"],
            )
        )
    return run


def _ending(exitcode: Optional[int], timed_out: bool) -> Tuple[str, str]:
    """Why a child left no record: (reason, detail)."""
    if timed_out:
        return "timeout", ""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return "crashed", name
    return "exited", f"status {exitcode}"
