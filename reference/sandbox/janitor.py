"""The Runner's janitor: what is left of a grading is ended once the grader has ended,
however it ended.

    python -I -S reference/sandbox/janitor.py MARK FOLDER

A process of its own (a session of its own, the standard library only: run
as a script, not as part of the package), started by the Runner with a pipe
on its standard input. It waits until that pipe closes, which happens when
the Runner closes it, or when the grader's process ends in any way, a kill
included; then it ends every process whose environment carries ``MARK`` (the
grading's mark, which every server and child is given, and which a
submission's own processes inherit) and removes the grading's ``FOLDER``.
At the namespaces level the namespace has already ended them; at the process
level this is what ends a pool or a fork a submission left, if the grader
was killed outright.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
from typing import List

#: The variable the grading's mark is given in.
MARKED = "NUMPY_IMPL_SANDBOX"


def marked(mark: str) -> List[int]:
    """The processes (but this one) whose environment carries ``MARKED=mark``, or a
    mark that begins so when ``mark`` ends in "-" (a grading's, for each of its workers')."""
    needle = f"{MARKED}={mark}".encode() + (b"" if mark.endswith("-") else b"\0")
    found: List[int] = []
    if not os.path.isdir("/proc"):  # pragma: no cover - not Linux
        return found
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    if needle in f.read():
                        found.append(int(name))
            except OSError:
                continue
    return found


def sweep(mark: str, seconds: float = 5.0) -> None:
    """SIGKILL every process carrying ``mark``, again until none is left (or ``seconds``)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        found = marked(mark)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        time.sleep(0.02)


def main(argv: List[str]) -> None:
    mark, folder = argv  # the grading's mark: each worker's is it followed by a number
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's; this one waits
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while os.read(0, 4096):
        pass
    sweep(mark)
    remove(folder)


def remove(folder: str) -> None:
    """Remove ``folder`` and all in it, as far as can be: every folder in it made the
    owner's to list first (a submission may have left one that is not), links never
    followed."""
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    for root, folders, _ in os.walk(folder):
        for name in folders:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o700)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
