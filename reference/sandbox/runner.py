"""Running a submission apart: a student's code runs only in a child process.

Whoever asks (the grading room) hands a :class:`~reference.sandbox.records.Task`:
a file, a function and the calls to make. A child process loads the file,
calls the function at each of them and hands back what it returned, as plain
arrays in an ``.npz`` file (no pickle) and a JSON report
(:mod:`reference.sandbox.records`, the one schema both sides read). The
sandbox knows nothing of gradients or of verdicts: what the values mean is
the judge's business, in another process that never runs the submission.
Nothing a submission does to NumPy, to ``numpy_impl``, to global state or to
its own process reaches the process that asked.

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
reference/sandbox/child.py (:func:`reference.sandbox.child.serve`), so a
submission costs its own work, not a fresh interpreter importing NumPy. The
isolation protects against accidents (loops, exits, crashes, stray files,
patched libraries), not against deliberate attacks: the child runs as the
same user.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from reference.sandbox.child import kill_group
from reference.sandbox.records import LOADED, OUTPUT, Report, Request, Run, Task, save_calls

#: Characters of a submission's printed output that are kept.
OUTPUT_SHOWN = 2000


@dataclass(frozen=True)
class Limits:
    """What a submission may use: seconds of wall-clock time, bytes of memory (None: no cap)."""

    timeout: float = 10.0
    memory: Optional[int] = 2 * 2**30


# --- The side that asks ------------------------------------------------------


class Runner:
    """Starts children and collects what they did; one per grading (or one check).
    Use it as a context manager, so that no child, nor the fork server, outlives it.

    The fork server is a second interpreter that has imported NumPy and this
    module, with one BLAS thread; it reads one request a line, forks a child
    for each, and reports each child's end (:func:`reference.sandbox.child.serve`)."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self.folder = tempfile.mkdtemp(prefix="numpy-impl-grading-")
        env = child_environment()
        command = [sys.executable, "-c", "from reference.sandbox.child import serve; serve()"]
        self.server = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=self.folder
        )
        self.ended: Dict[int, int] = {}  # pid -> exit code (negative: the signal)
        self.running: Dict[int, Tuple[Task, str, float]] = {}  # pid -> (task, its folder, start)
        self.pending = b""
        self.written: Tuple[Any, str] = (None, "")  # the calls last written, and their file

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self, task: Task) -> int:
        """Start a child that runs ``task``; returns its process id."""
        folder = tempfile.mkdtemp(dir=self.folder)
        os.mkdir(os.path.join(folder, "work"))
        if self.written[0] is not task.calls:  # a class is called at the same calls: written once
            saved = os.path.join(self.folder, f"inputs-{len(os.listdir(self.folder))}.npz")
            save_calls(saved, task.calls)
            self.written = (task.calls, saved)
        request = Request(folder, self.written[1], os.path.abspath(task.path), task.function,
                          self.limits.memory)  # fmt: skip
        assert self.server.stdin is not None
        self.server.stdin.write(request.line())
        self.server.stdin.flush()
        while True:
            message = self._message(None)
            if message is not None and message[0] == "started":
                pid = int(message[1])
                self.running[pid] = (task, folder, time.monotonic())
                return pid

    def deadline(self, pid: int) -> float:
        """When (time.monotonic) the child ``pid`` runs out of time."""
        return self.running[pid][2] + self.limits.timeout

    def wait(self, pids: Sequence[int]) -> None:
        """Until one of ``pids`` has ended or the first of their deadlines."""
        until = min(self.deadline(pid) for pid in pids)
        while not any(pid in self.ended for pid in pids):
            left = until - time.monotonic()
            if left <= 0 or self._message(left) is None:
                return

    def finish(self, pid: int) -> Run:
        """Wait for the child (until its deadline), end whatever is left of it,
        and read what it did."""
        task, folder, started = self.running[pid]
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
            run = _read(folder, task, self.ended.pop(pid), timed_out)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        run.seconds = seconds
        return run

    def run(self, task: Task) -> Run:
        """One submission, start to end."""
        return self.finish(self.start(task))

    def tasks(self) -> Dict[int, Task]:
        """The tasks of the children still running, by process id."""
        return {pid: task for pid, (task, _, _) in self.running.items()}

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
    """This process's environment for another interpreter of the project (the
    exercise's judge): the repository root on PYTHONPATH (so ``reference`` is
    found), and ``extra``."""
    path = os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, **extra}


#: What of the grader's environment a submission's process is given: the rest
#: (credentials, tokens, a harness's switches) stays behind. The project's own
#: variables (NUMPY_IMPL_*) pass, so that a process can be told whose it is.
PASSED = ("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def child_environment() -> Dict[str, str]:
    """The environment a submission runs in: PASSED and NUMPY_IMPL_* from this one,
    the project on PYTHONPATH, one BLAS thread (a class is graded side by side)."""
    env = {k: v for k, v in os.environ.items() if k in PASSED or k.startswith("NUMPY_IMPL_")}
    threads = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {**env, "PYTHONPATH": ROOT, **threads}


#: The folder that holds ``reference``: the repository, or site-packages.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _read(folder: str, task: Task, exitcode: Optional[int], timed_out: bool) -> Run:
    """The child's report, or why there is none."""
    run = Run(path=task.path, function=task.function)
    output = os.path.join(folder, OUTPUT)
    if os.path.exists(output):
        with open(output, encoding="utf-8", errors="replace") as f:
            text = f.read(OUTPUT_SHOWN + 1)
        run.output, run.output_length = text[:OUTPUT_SHOWN], os.path.getsize(output)
    run.loaded = os.path.exists(os.path.join(folder, LOADED))
    report = None if timed_out else Report.read(folder)
    if report is None:
        run.reason, run.detail = _ending(exitcode, timed_out)
        return run
    run.output_length = max(run.output_length, report.printed)
    run.reason, run.detail, run.line = report.reason, report.detail, report.line
    run.functions, run.parameters, run.calls = report.functions, report.parameters, report.calls
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
