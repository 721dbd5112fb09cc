"""However the single check, the grader or the exercise's check is ended in the middle of
a submission that loops (SIGTERM, SIGHUP or SIGKILL; to it alone, or to its whole
process group, as closing a terminal, ``timeout`` or a job scheduler does), it
ends in one line with the shell's status, and no process of it is left."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.helpers import DIFF_SCRIPT, NAMESPACES, ROOT, marked

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

LOOP = "def backprop(x, y, w1, w2):\n    while True:\n        pass\n"
#: A loop that forks first: the fork, which has no parent-death signal of its own, loops too.
FORKS = "import os\n\ndef backprop(x, y, w1, w2):\n    os.fork()\n    while True:\n        pass\n"
#: What ends it, and the status and the line it ends with (SIGKILL: none, it cannot say).
SIGNALS = {
    "SIGTERM": (signal.SIGTERM, 128 + signal.SIGTERM, "ended (SIGTERM)"),
    "SIGHUP": (signal.SIGHUP, 128 + signal.SIGHUP, "ended (SIGHUP)"),
    "SIGKILL": (signal.SIGKILL, -signal.SIGKILL, None),
}
#: The processes there are once the loop runs: the command, and per level its server
#: (bwrap and the server, in namespaces) and the child.
RUNNING = {"required": 4, "process": 3}


def command(kind, folder, level, body=LOOP):
    """The single check or the grader, on a folder holding one looping submission."""
    loop = folder / "loop.py"
    loop.write_text(body)
    if kind == "check":
        return [sys.executable, str(DIFF_SCRIPT), "--against", f"{loop}:backprop",
                "--sandbox", level]  # fmt: skip
    return [sys.executable, str(ROOT / "scripts" / "grade.py"), str(folder), "--timeout", "60",
            "--sandbox", level]  # fmt: skip


def started(argv, marker, running):
    """The command started in a session of its own, once its submission loops."""
    env = {**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=ROOT)  # fmt: skip
    deadline = time.monotonic() + 60
    while len(marked(marker)) < running and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the child is in its loop
    return proc


def left(marker):
    for _ in range(100):  # what was ended is reaped by the system
        found = marked(marker)
        if not found:
            return []
        time.sleep(0.05)
    return found


CASES = [
    pytest.param(kind, name, whole, level, marks=[NAMESPACES] if level == "required" else [])
    for level in ("required", "process")
    for kind in ("check", "grader")
    for name in SIGNALS
    for whole in (False, True)
    if level == "required" or name == "SIGKILL"
]


@pytest.mark.parametrize(("kind", "name", "whole", "level"), CASES)
def test_ended_in_the_middle_of_a_loop_it_leaves_nothing(tmp_path, kind, name, whole, level):
    ended_leaves_nothing(command(kind, tmp_path, level), name, whole, RUNNING[level])


@pytest.mark.parametrize("name", SIGNALS)
@pytest.mark.parametrize("level", [pytest.param("required", marks=NAMESPACES), "process"])
def test_a_fork_of_the_loop_ends_with_the_grader_too(tmp_path, level, name):
    # at the process level, by the janitor: the fork has no parent-death signal
    ended_leaves_nothing(command("grader", tmp_path, level, FORKS), name, True, 1 + RUNNING[level])


def ended_leaves_nothing(argv, name, whole, running):
    number, status, line = SIGNALS[name]
    marker = uuid.uuid4().hex
    proc = started(argv, marker, running)
    try:
        assert len(marked(marker)) >= running
        (os.killpg if whole else os.kill)(proc.pid, number)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    if line is not None:
        assert err.decode().strip() == line and out == b""
    assert left(marker) == []


@NAMESPACES
def test_the_exercises_check_ends_with_its_kernel(tmp_path):
    # a kernel checking a looping backprop, killed outright: its judge and the
    # sandbox go with it
    marker = uuid.uuid4().hex
    kernel = tmp_path / "kernel.py"
    kernel.write_text(
        f"from reference.grading.exercise import check_backprop\n\n{LOOP}\n\n"
        "check_backprop(backprop)\n"
    )
    proc = started([sys.executable, str(kernel)], marker, 1 + RUNNING["required"])
    try:
        assert len(marked(marker)) >= 1 + RUNNING["required"]  # the kernel, its judge, a sandbox
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert left(marker) == []
