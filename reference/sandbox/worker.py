"""A worker of the Runner: one sandbox's server, and what goes with it (its folder, its
output file, what its server says), and how a submission's file is read and its
process's environment made. :mod:`reference.sandbox.runner` asks; this is where.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import subprocess
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple, Union

from reference.sandbox.isolation import Isolation, Setting, server_command
from reference.sandbox.janitor import MARKED, sweep
from reference.sandbox.records import Message, Request, Task
from reference.sandbox.server import kill_group

#: Characters of a submission's printed output that are kept.
OUTPUT_SHOWN = 2000
#: Bytes of a file read as a submission (a larger one is refused as it is).
SOURCE_LIMIT = 8 * 2**20


@dataclass
class Ticket:
    """One submission under way: its task, its worker, when it started, and what
    its server has said of it so far."""

    task: Task
    worker: Any  # a Worker (or Unread)
    started: float
    begun: bool = False  # its server has said it started
    loaded: bool = False
    report: bytes = b""
    ended: Optional[Message] = None


class Worker:
    """One server, and the folder, output file and messages that go with it."""

    def __init__(self, folder: str, found: Isolation, inputs: str, mark: str, room: Optional[int]):
        os.makedirs(folder, exist_ok=True)
        self.folder, self.mark, self.level = folder, mark, found.level
        self.output = os.open(os.path.join(folder, "output.txt"), os.O_RDWR | os.O_CREAT, 0o600)
        env = {**child_environment(), MARKED: mark}
        command = server_command(found, Setting(ROOT, inputs, env, [self.output], room))
        self.log = os.path.join(folder, "server.log")
        with open(self.log, "ab") as log:
            self.server = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
                cwd=folder, pass_fds=[self.output], start_new_session=True,
            )  # fmt: skip
        self.pending = b""
        self.ticket: Optional[Ticket] = None
        self.served = 0  # the children its server has started

    def fileno(self) -> int:
        assert self.server.stdout is not None
        return self.server.stdout.fileno()

    def send(self, request: Request) -> None:
        assert self.server.stdin is not None
        self.server.stdin.write(request.line())
        self.server.stdin.flush()

    def read(self) -> bool:
        """Read what the server said; False when it has ended, or said something no
        server says (then it is no longer trusted: the caller ends it)."""
        data = b""
        with contextlib.suppress(OSError):
            data = os.read(self.fileno(), 1 << 20)
        self.pending += data
        try:
            while self._message():
                pass
        except ValueError:
            return False
        return bool(data)

    def _message(self) -> bool:
        """Take one whole message (with a report's bytes) off what was read, if there is one."""
        line, sep, rest = self.pending.partition(b"\n")
        if not sep:
            return False
        message = Message.parse(line)
        if len(rest) < message.size:  # a report whose bytes are not all here yet
            return False
        self.pending = rest[message.size :]  # only a report has a size
        ticket = self.ticket
        if ticket is not None:
            if message.kind == "started":
                ticket.begun, self.served = True, self.served + 1
            elif message.kind == "loaded":
                ticket.loaded = True
            elif message.kind == "report":
                ticket.report = rest[: message.size]
            elif message.kind == "ended":
                ticket.ended = message
        return True

    def printed(self) -> Tuple[str, int]:
        """What the last child printed (cut to OUTPUT_SHOWN characters), and how many
        characters it printed (bytes that are not UTF-8 counted as one each)."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        shown, count, offset = "", 0, 0
        while True:
            data = os.pread(self.output, 1 << 20, offset)
            text = decoder.decode(data, final=not data)
            shown += text[: OUTPUT_SHOWN - len(shown)]
            count, offset = count + len(text), offset + len(data)
            if not data:
                return shown, count

    def alive(self) -> bool:
        return self.server.poll() is None

    def stop(self, wait: float = 5.0) -> None:
        """End the server (at the end of its input; killed if it does not go) and close."""
        with contextlib.suppress(OSError):
            assert self.server.stdin is not None
            self.server.stdin.close()
        try:
            self.server.wait(wait)
        except subprocess.TimeoutExpired:
            self.kill()
        self.close()

    def kill(self) -> None:
        """End the server now, and with it its namespace, or its children and whatever
        carries its mark."""
        if self.level == "process" and self.server.poll() is None:
            self.server.terminate()  # it ends what its child left, then itself
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.wait(1.0)
        kill_group(self.server.pid)  # it leads a group of its own
        self.server.wait()
        sweep(self.mark)

    def said(self) -> str:
        """The last line the server wrote on its standard error (why it could not start)."""
        with contextlib.suppress(OSError):
            with open(self.log, "rb") as f:
                lines = f.read().decode(errors="replace").strip().splitlines()
            return lines[-1] if lines else ""
        return ""

    def close(self) -> None:
        for stream in (self.server.stdin, self.server.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        with contextlib.suppress(OSError):
            os.close(self.output)


class Unread:
    """The worker of a submission whose file could not be read (``why``): it printed nothing."""

    def __init__(self, why: str) -> None:
        self.why = why


def read_source(path: str) -> Union[bytes, str]:
    """The file's bytes, or why they are not read (a string): only a regular file is
    (never a link, which could lead anywhere, nor a pipe or a device), and only up to
    SOURCE_LIMIT bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "it is a link: a submission is read only as a file of its own"
        return err.strerror or type(err).__name__
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "it is not a file (a folder, a pipe or a device)"
        data = os.read(fd, SOURCE_LIMIT + 1)
        while len(data) <= SOURCE_LIMIT:
            more = os.read(fd, SOURCE_LIMIT + 1 - len(data))
            if not more:
                return data
            data += more
        return f"it is over {SOURCE_LIMIT // 2**20} MiB"
    finally:
        os.close(fd)


def name_of(path: str) -> str:
    """The name the submission's copy gets: its own, where that is a plain file name."""
    name = os.path.basename(path)
    plain = name.isascii() and name.isprintable() and name.endswith(".py")
    return name if plain and not name.startswith(".") else "submission.py"


def child_environment() -> Dict[str, str]:
    """The environment a submission runs in: PASSED and NUMPY_IMPL_* from this one,
    the project on PYTHONPATH, one BLAS thread (a class is graded side by side)."""
    env = {k: v for k, v in os.environ.items() if k in PASSED or k.startswith("NUMPY_IMPL_")}
    threads = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {**env, "PYTHONPATH": ROOT, "PYTHONDONTWRITEBYTECODE": "1", **threads}


#: What of the grader's environment a submission's process is given: the rest
#: (credentials, tokens, a harness's switches) stays behind. The project's own
#: variables (NUMPY_IMPL_*) pass, so that a process can be told whose it is.
PASSED = ("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def environment(**extra: str) -> Dict[str, str]:
    """This process's environment for another interpreter of the project (the
    exercise's judge): the repository root on PYTHONPATH (so ``reference`` is
    found), and ``extra``."""
    path = os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, **extra}


#: The folder that holds ``reference``: the repository, or site-packages.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
