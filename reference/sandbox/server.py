"""A sandbox's server: one per worker of the Runner, the namespace's first process.

    python -m reference.sandbox LEVEL OUTPUT_FD     # a server, as the Runner starts one

A server (:class:`Server`, at the level of :mod:`reference.sandbox.isolation`)
imports NumPy once, then reads one request a line
(:class:`~reference.sandbox.records.Request`) and runs it: it writes the
submission's bytes into a fresh working folder and forks a child
(:func:`reference.sandbox.child.run_child`), hands it the write end of a pipe
for its report, enforces its time limit, ends every process the submission
left (the namespace's; or, at the process level, those it adopted as their
reaper), wipes the folders, and tells the grader's side what happened
(:class:`~reference.sandbox.records.Message`).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import time
from typing import Any, FrozenSet, List, Optional, Set

from reference.sandbox.child import (
    LOADED,
    PR_SET_CHILD_SUBREAPER,
    PR_SET_DUMPABLE,
    PR_SET_PDEATHSIG,
    prctl,
    run_child,
)
from reference.sandbox.forbid import preload
from reference.sandbox.isolation import SHM, WORK
from reference.sandbox.janitor import MARKED, sweep
from reference.sandbox.records import REPORT_LIMIT, Message, Request

#: The exit status of a server that could not make its folders fresh for the next submission.
DIRTY = 3


def kill_group(pid: int) -> None:
    """SIGKILL a process's group: the process and everything in its group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)  # before it had a group of its own


class Server:
    """One worker's server: at ``level`` "namespaces" the first process of its own
    namespaces (whatever is left of a submission is every other process there);
    at "process" a plain process, the reaper of what a submission leaves."""

    def __init__(self, level: str, output: int) -> None:
        self.level, self.output = level, output
        self.inside = level == "namespaces" and os.getpid() == 1
        self.work = WORK if self.inside else os.path.abspath("work")
        self.tmp = "/tmp" if self.inside else os.path.abspath("tmp")
        self.mounts: Optional[FrozenSet[str]] = None  # mounted in the folders, kept
        prctl(PR_SET_DUMPABLE, 0)  # no child may read or change its memory
        if not self.inside:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # it ends with the grader
            prctl(PR_SET_CHILD_SUBREAPER, 1)  # what a submission leaves is adopted here
            for number in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, self._ended)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
        self.wake_read, wake_write = os.pipe()
        for fd in (self.wake_read, wake_write):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.out = sys.stdout.buffer

    def _ended(self, *_: Any) -> None:
        self.clean()
        os._exit(0)

    def serve(self) -> None:
        """Run requests, one a line, until the end of the input."""
        while True:
            line = sys.stdin.buffer.readline()
            if not line:
                self.clean()
                return
            self.run(Request.parse(line))

    def say(self, message: Message, data: bytes = b"") -> None:
        self.out.write(message.line() + data)
        self.out.flush()

    def run(self, request: Request) -> None:
        """Fork a child for ``request``, watch it to its end or its time limit, end
        whatever it left, and say what happened."""
        why = self.fresh()
        if why:  # something of the last submission's could not be removed: the Runner
            print(f"server: {why}", file=sys.stderr, flush=True)  # gives this one to a new
            os._exit(DIRTY)  # server (and says why, if it is the first)
        preload(request.forbidden)  # once a server, not once a child
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with open(os.open(os.path.join(self.work, request.name), flags, 0o600), "wb") as f:
            f.write(request.source)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (its coverage is its own process's)
            os.close(read)
            signal.set_wakeup_fd(-1)
            for number in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, signal.SIG_DFL)
            run_child(request, write, self.output, (self.work, self.tmp), self.inside)
        os.close(write)
        self.say(Message("started"))
        data, status, timed_out = self.watch(pid, read, time.monotonic() + request.timeout)
        self.clean()
        data += _drain(read, REPORT_LIMIT - len(data))
        os.close(read)
        if data.startswith(LOADED):
            data = data[len(LOADED) :]
        if data:
            self.say(Message("report", size=len(data)), data)
        self.say(Message("ended", code=status, timed_out=timed_out))

    def watch(self, pid: int, read: int, deadline: float) -> Any:
        """Read what the child writes until it ends or ``deadline``: (the bytes, its
        exit status or minus its signal, whether its time ran out)."""
        data, said = b"", False
        while True:
            left = deadline - time.monotonic()
            ended = _reaped(pid)
            if ended is not None or left <= 0:
                if ended is None:
                    kill_group(pid)
                return data, (ended if ended is not None else -signal.SIGKILL), ended is None
            with contextlib.suppress(InterruptedError):
                ready, _, _ = select.select([read, self.wake_read], [], [], left)
                if self.wake_read in ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wake_read, 4096)
                if read in ready:
                    data += _drain(read, REPORT_LIMIT - len(data), once=True)
            if not said and data.startswith(LOADED):
                said = True
                self.say(Message("loaded"))

    def fresh(self) -> str:
        """The folders empty (made again if they were removed) and the output file
        empty: "" when they are, else why not (a folder that could not be emptied, or
        what is mounted in them moved since the first submission)."""
        mounts: Set[str] = set()
        try:
            for folder in (self.work, self.tmp, *([SHM] if self.inside else [])):
                if not self.inside:
                    os.makedirs(folder, exist_ok=True)
                found = wipe(folder)
                if found is None:
                    return f"{folder} could not be emptied"
                mounts |= found
        except (OSError, RecursionError) as err:
            return f"the folders could not be emptied ({type(err).__name__}: {err})"
        if self.mounts is None:
            self.mounts = frozenset(mounts)
        if mounts != self.mounts:  # a folder leading to one was moved: not the same system
            return "what is mounted in the folders has moved"
        os.ftruncate(self.output, 0)
        os.lseek(self.output, 0, os.SEEK_SET)
        return ""

    def clean(self) -> None:
        """End every process a submission left, and reap them."""
        if self.inside:  # every process of the namespace but this one
            with contextlib.suppress(ProcessLookupError):
                os.kill(-1, signal.SIGKILL)
        elif os.environ.get(MARKED):  # what carries this server's mark, wherever it went
            sweep(os.environ[MARKED], seconds=1.0)
        for _ in range(200):
            left = _children()
            for pid in left:
                kill_group(pid)
            with contextlib.suppress(ChildProcessError):
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
            if not left:
                return
            time.sleep(0.01)


def _reaped(pid: int) -> Optional[int]:
    """The child's exit status (minus the signal that ended it), if it has ended."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return -signal.SIGKILL
    if done == 0:
        return None
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _children() -> List[int]:
    """This process's children (alive or not yet reaped), from /proc where there is one."""
    me, found = os.getpid(), list[int]()
    if not os.path.isdir("/proc"):  # pragma: no cover - not Linux
        return found
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with (
            contextlib.suppress(OSError, ValueError, IndexError),
            open(f"/proc/{name}/stat", "rb") as f,
        ):
            if int(f.read().rsplit(b")", 1)[1].split()[1]) == me:
                found.append(int(name))
    return found


def _drain(fd: int, room: int, once: bool = False) -> bytes:
    """What can be read from ``fd`` now (once: one read), at most ``room`` bytes kept."""
    os.set_blocking(fd, False)
    kept = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except (BlockingIOError, InterruptedError):
            return kept
        kept += chunk[: max(0, room - len(kept))]
        if not chunk or once:
            return kept


def wipe(folder: str) -> Optional[FrozenSet[str]]:
    """Remove everything in ``folder``, whatever a submission did to it: every folder
    in it made the owner's to list and change first (a folder one can enter but not
    list would be left behind by a plain removal, and a file in it with it), links
    removed and never followed, no file opened (a pipe would block). What is mounted
    there (Python's own folders, bound read-only where they are, may lie under /tmp)
    is kept, with the folders that lead to it. Returns those mount points, or None
    if anything else is left; OSError if it cannot be removed (a path too deep)."""
    device = os.lstat(folder).st_dev
    below: List[str] = [folder]
    mounts: Set[str] = set()
    for path in below:  # top down: a folder is listed once it may be
        os.chmod(path, 0o700)
        for entry in os.scandir(path):
            if entry.is_dir(follow_symlinks=False):
                same = entry.stat(follow_symlinks=False).st_dev == device
                (below.append if same else mounts.add)(entry.path)
    keep = set(mounts)
    for mount in mounts:  # and the folders that lead to it
        while mount != folder:
            mount = os.path.dirname(mount)
            keep.add(mount)
    for path in reversed(below):  # bottom up: a folder is removed once it is empty
        for entry in os.scandir(path):
            if entry.path in keep:
                continue
            if entry.is_dir(follow_symlinks=False):
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
    left = [e.path for path in below if path in keep for e in os.scandir(path)]
    return frozenset(mounts) if all(path in keep for path in left) else None


def main(argv: List[str]) -> None:
    """``python -m reference.sandbox LEVEL OUTPUT_FD``: serve until the end of input."""
    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", here)]  # a submission's folder is not
    Server(argv[0], int(argv[1])).serve()
