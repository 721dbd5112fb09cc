"""Running a submission apart: a student's code runs only inside a sandbox.

Whoever asks (the grading room) hands a :class:`~reference.sandbox.records.Task`:
a file, a function and the calls to make. A sandbox's server
(:mod:`reference.sandbox.child`) forks a child that loads the file, calls the
function at each call and hands back what it returned, as plain arrays (no
pickle) and a report (:mod:`reference.sandbox.records`, the one schema both
sides read). The sandbox knows nothing of gradients or of verdicts: what the
values mean is the judge's business, in this process, where no submission
runs. Nothing a submission does to NumPy, to ``numpy_impl``, to global state
or to its own process reaches it.

Each worker (one per submission run at once) has a server of its own, which
has imported NumPy once, so a submission costs its own work; at the
namespaces level (:mod:`reference.sandbox.isolation`) each server is a
bubblewrap sandbox. Every child runs under limits (:class:`Limits`):

* a wall-clock time limit: past it the child and everything it started are
  ended (the server enforces it; the Runner ends the server itself if that
  does not come);
* a memory cap (``RLIMIT_AS``, on Linux): an allocation past it fails with
  ``MemoryError``;
* stdin closed (``input()`` gets ``EOFError``);
* a fresh working folder and ``/tmp``, emptied after it, with a copy of its
  own file: nothing it writes lands beside the teacher's files; no bytecode
  is written;
* its printed output captured (stdout and stderr together) and cut to a
  readable length;
* an environment of its own (:func:`child_environment`), not the grader's.

A server that ends (a submission at the process level can end it) is started
again for the next submission; the one it was running is reported as
crashed. Whatever the grader's end (Ctrl-C, a signal, a kill), no server,
child or anything a child started outlives it (at the process level, what a
child starts in the background survives a grader killed outright).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from reference.sandbox.child import PR_SET_PDEATHSIG, prctl
from reference.sandbox.isolation import (
    INPUTS,
    SandboxUnavailable,
    isolation,
)
from reference.sandbox.janitor import remove
from reference.sandbox.records import Message, Report, Request, Run, Task, save_calls
from reference.sandbox.worker import (
    Ticket,
    Unread,
    Worker,
    name_of,
    read_source,
)

#: Seconds past a child's time limit the Runner waits for its server to say it ended.
GRACE = 2.0
#: Seconds a server has to start a child once asked (it empties its folders and
#: forks; a new one starts its namespace and imports NumPy first).
STARTING = 60.0


@dataclass(frozen=True)
class Limits:
    """What a submission may use: seconds of wall-clock time, bytes of memory (None: no cap)."""

    timeout: float = 10.0
    memory: Optional[int] = 2 * 2**30


# --- The side that asks ------------------------------------------------------


class Runner:
    """Starts children and collects what they did; one per grading (or one check).
    Use it as a context manager, so that no server, nor anything a child started,
    outlives it.

    ``sandbox``: the level asked for ("auto", "required" or "process":
    :mod:`reference.sandbox.isolation`); :attr:`isolation` says which one it runs at."""

    def __init__(self, limits: Limits = Limits(), sandbox: str = "auto") -> None:
        self.limits = limits
        self.isolation = isolation(sandbox)
        self.folder = tempfile.mkdtemp(prefix="numpy-impl-grading-")
        self.mark = uuid.uuid4().hex  # every worker's is this, a dash and its number
        self.janitor = subprocess.Popen(
            [sys.executable, "-I", "-S", JANITOR, self.mark + "-", self.folder],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        self.workers: List[Worker] = []
        self.ended: Set[int] = set()  # the tickets whose child has ended
        self.running: Dict[int, Ticket] = {}
        self.written: Tuple[Any, str] = (None, "")  # the calls last written, and their file
        self.count = 0  # the tickets handed out
        self.made = 0  # the workers made: each is named for its number, its folder its own

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self, task: Task) -> int:
        """Start a child that runs ``task``; returns its ticket."""
        self.count += 1
        source = task.source if task.source is not None else read_source(task.path)
        if not isinstance(source, bytes):  # it cannot be read: that submission's end alone
            return self._refused(task, source)
        named = task.path if task.source is None else os.path.splitext(task.path)[0] + ".py"
        request = Request(name_of(named), source, task.function, self._inputs(task),
                          self.limits.memory, self.limits.timeout, task.forbidden)  # fmt: skip
        while True:
            worker = self._idle()
            ticket = Ticket(task, worker, time.monotonic())
            worker.ticket, self.running[self.count] = ticket, ticket
            if self._started(worker, request):
                ticket.started = time.monotonic()
                return self.count
            if worker.served == 0:  # a new server that could not start
                said = worker.said() or "no reason given"
                raise SandboxUnavailable(f"the sandbox could not start: {said}")
            # a server that ended before it started this one (it could not empty its
            # folders of the last submission's files): the submission has not run, and
            # goes to a new server
            worker.ticket = None
            self.running.pop(self.count)
            self.ended.discard(self.count)

    def _started(self, worker: Worker, request: Request) -> bool:
        """Send ``request`` to ``worker``'s server: has it started a child for it (within
        STARTING seconds)?"""
        ticket = worker.ticket
        assert ticket is not None
        with contextlib.suppress(OSError):
            worker.send(request)
        until = time.monotonic() + STARTING
        while not ticket.begun and ticket.ended is None:
            left = until - time.monotonic()
            if left <= 0:
                self._end_server(worker, timed_out=False)
            else:
                self._messages(left)
        return ticket.begun

    def _refused(self, task: Task, why: str) -> int:
        """A ticket already ended: the file could not be read (``why``)."""
        self.running[self.count] = Ticket(task, Unread(why), time.monotonic())
        self.ended.add(self.count)
        return self.count

    def deadline(self, ticket: int) -> float:
        """When (time.monotonic) the child ``ticket`` runs out of time, its server's
        grace included."""
        return self.running[ticket].started + self.limits.timeout + GRACE

    def wait(self, tickets: Sequence[int]) -> None:
        """Until one of ``tickets`` has ended or the first of their deadlines."""
        until = min(self.deadline(t) for t in tickets)
        while not any(t in self.ended for t in tickets):
            left = until - time.monotonic()
            if left <= 0 or not self._messages(left):
                return

    def finish(self, ticket: int) -> Run:
        """Wait for the child (until its deadline), end its server if that has not
        done so, and read what the child did."""
        while ticket not in self.ended:
            left = self.deadline(ticket) - time.monotonic()
            if left <= 0:
                self._end_server(self.running[ticket].worker, timed_out=True)
                break
            self._messages(left)
        found = self.running.pop(ticket)
        found.worker.ticket = None
        self.ended.discard(ticket)
        run = _read(found, time.monotonic() - found.started)
        if run.reason == "timeout":
            run.detail = f"{self.limits.timeout:g} s"  # the limit it did not finish within
        return run

    def run(self, task: Task) -> Run:
        """One submission, start to end."""
        return self.finish(self.start(task))

    def tasks(self) -> Dict[int, Task]:
        """The tasks of the children still running, by ticket."""
        return {ticket: t.task for ticket, t in self.running.items()}

    def close(self) -> None:
        """End every server (and so every child), and remove the folders."""
        for worker in self.workers:
            if worker.ticket is not None:
                worker.kill()
                worker.close()
            else:
                worker.stop()
        self.workers.clear()
        self.running.clear()
        remove(self.folder)
        assert self.janitor.stdin is not None
        self.janitor.stdin.close()  # it ends what is left, and goes (nothing was written)
        try:
            self.janitor.wait(10)
        except subprocess.TimeoutExpired:
            self.janitor.kill()

    # --- the workers, and what their servers say ---

    def _idle(self) -> Worker:
        """A worker with nothing to do and a live server (a new one if there is none)."""
        for worker in list(self.workers):
            if worker.ticket is None and not worker.alive():
                worker.close()
                self.workers.remove(worker)
        for worker in self.workers:
            if worker.ticket is None:
                return worker
        self.made += 1
        name = f"{self.made}"
        inputs = os.path.join(self.folder, "inputs")
        worker = Worker(os.path.join(self.folder, f"worker-{name}"), self.isolation, inputs,
                        f"{self.mark}-{name}", self.limits.memory)  # fmt: skip
        self.workers.append(worker)
        return worker

    def _inputs(self, task: Task) -> str:
        """The file of the task's calls, as the server sees it (written once a class;
        again if it has gone)."""
        folder = os.path.join(self.folder, "inputs")
        os.makedirs(folder, exist_ok=True)
        if self.written[0] is not task.calls or not os.path.exists(self.written[1]):
            saved = os.path.join(folder, f"inputs-{uuid.uuid4().hex}.npz")  # never one in use
            save_calls(saved, task.calls)
            self.written = (task.calls, saved)
        name = os.path.basename(self.written[1])
        inside = self.isolation.level == "namespaces"
        return f"{INPUTS}/{name}" if inside else self.written[1]

    def _messages(self, timeout: Optional[float]) -> bool:
        """Read what the servers say, waiting up to ``timeout`` seconds (None: as long as
        it takes); False if nothing came."""
        busy = [w for w in self.workers if w.ticket is not None]
        if not busy:
            return False
        ready, _, _ = select.select(busy, [], [], timeout)
        for worker in ready:
            if not worker.read():
                self._end_server(worker, timed_out=False)
        for ticket_id, ticket in self.running.items():
            if ticket.ended is not None:
                self.ended.add(ticket_id)
        return bool(ready)

    def _end_server(self, worker: Worker, timed_out: bool) -> None:
        """A server that ended, or is ended here (``timed_out``: its child ran out of
        time and it did not say so): its child's end is said for it."""
        worker.kill()
        ticket = worker.ticket
        if ticket is not None and ticket.ended is None:  # (its code is read only if not timed out)
            ticket.ended = Message("ended", code=SERVER_ENDED, timed_out=timed_out)
        self.ended.update(t for t, found in self.running.items() if found is ticket)


#: The code said of a child whose server ended before it did.
SERVER_ENDED = -1000


def die_with_parent(parent: int) -> None:
    """Let this process end when the one that started it (``parent``) does (on Linux,
    by the parent-death signal): for a process that runs a sandbox on another's
    behalf, as the exercise's judge does for a notebook's kernel."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the signal was set
        os._exit(1)


#: The janitor's script (run as a script: the standard library is all it needs).
JANITOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "janitor.py")


def _read(ticket: Ticket, seconds: float) -> Run:
    """The run: the child's report, or why there is none."""
    task = ticket.task
    run = Run(path=task.path, function=task.function, loaded=ticket.loaded, seconds=seconds)
    if isinstance(ticket.worker, Unread):
        run.reason, run.detail = "unreadable", ticket.worker.why
        return run
    run.output, run.output_length = ticket.worker.printed()
    ended = ticket.ended
    assert ended is not None  # finish reads a ticket once its end is said (or said for it)
    report = None if ended.timed_out else Report.from_bytes(ticket.report)
    if report is None:
        run.reason, run.detail = _ending(ended)
        if ended.code == SERVER_ENDED and not ticket.loaded:
            run.loaded = None  # its server ended before it could say
        return run
    run.output_length = max(run.output_length, report.printed)
    run.reason, run.detail, run.line = report.reason, report.detail, report.line
    run.functions, run.parameters, run.calls = report.functions, report.parameters, report.calls
    run.required, run.defaulted, run.given = report.required, report.defaulted, report.given
    run.forbidden = report.forbidden
    return run


def _ending(ended: Message) -> Tuple[str, str]:
    """Why a child left no report: (reason, detail)."""
    if ended.timed_out:
        return "timeout", ""
    if ended.code == SERVER_ENDED:
        return "crashed", "the process that ran it was ended"
    if ended.code < 0:
        try:
            name = signal.Signals(-ended.code).name
        except ValueError:
            name = f"signal {-ended.code}"
        return "crashed", name
    return "exited", f"status {ended.code}"
