"""The sandbox (reference/sandbox/) on small submissions written here, at both levels
(namespaces, where bubblewrap works, and the plain process): what a child hands
back (arrays as returned, the calls for its number of parameters, what it
printed), each way a child can end (its own exit, a signal, a named and an
unnamed one, its time limit, its server ended), the calls written once for a
class, the records read back as they were written, and nothing left behind."""

import contextlib
import errno
import inspect
import io
import json
import os
import signal
import site
import stat
import struct
import subprocess
import sys
import tempfile
import time
import types
import uuid
import zipfile

import numpy as np
import pytest

from reference.sandbox import OUTPUT_SHOWN, Call, Forbidden, Limits, Runner, Task, records
from reference.sandbox import isolation as isolation_module
from reference.sandbox import runner as runner_module
from reference.sandbox import worker as worker_module
from reference.sandbox.isolation import PROJECT, SandboxUnavailable, isolation
from tests.helpers import NAMESPACES, ROOT, alive, marked

X = np.arange(6.0).reshape(2, 3)
INPUTS = [(X, X + 1, X + 2, X + 3), (2 * X, 2 * X + 1, 2 * X + 2, 2 * X + 3)]
#: The calls a class is given: four arguments, or five with a number last.
CALLS = {4: INPUTS, 5: [(*call, 0.1) for call in INPUTS]}
#: The levels a sandbox runs at here: namespaces where bubblewrap makes them.
LEVELS = [pytest.param("required", marks=NAMESPACES), "process"]


def task(path, function="f", calls=CALLS):
    return Task(path, function, calls)


@pytest.fixture(scope="module", params=LEVELS)
def runner(request):
    with Runner(Limits(timeout=5.0), request.param) as r:
        yield r


def submission(tmp_path, body, name="ana.py"):
    path = tmp_path / name
    path.write_text("import numpy as np\nimport os, signal, sys, time\n\n" + body)
    return str(path)


def test_what_a_function_returned_comes_back_as_it_was(tmp_path, runner):
    body = "def f(x, y, w1, w2):\n    return w1 * x, (w2 - y).astype(np.float32)\n"
    path = submission(tmp_path, body)
    run = runner.run(task(path))
    assert (run.reason, run.detail, run.loaded, run.parameters) == (None, "", True, 4)
    assert (run.path, run.function, run.output, run.output_length) == (path, "f", "", 0)
    assert [c.kind for c in run.calls] == ["values", "values"]
    for call, (x, y, w1, w2) in zip(run.calls, INPUTS):
        assert (call.types, call.length) == (("ndarray", "ndarray"), 2)
        assert np.array_equal(call.arrays[0], w1 * x) and call.arrays[0].dtype == np.float64
        assert np.array_equal(call.arrays[1], (w2 - y).astype(np.float32))
        assert call.arrays[1].dtype == np.float32
    assert 0 < run.seconds < 5


def test_a_function_is_given_the_calls_for_its_number_of_parameters(tmp_path, runner):
    path = submission(tmp_path, "def step(x, y, w1, w2, alpha):\n    return w1 - alpha, w2\n")
    run = runner.run(task(path, "step", {4: INPUTS, 5: [(*INPUTS[0], 0.25)]}))
    assert run.parameters == 5 and len(run.calls) == 1
    assert np.array_equal(run.calls[0].arrays[0], INPUTS[0][2] - 0.25)
    # a number is passed as a Python float; a function of another count is not called
    body = "def f(a, b, c):\n    return np.array([float(type(c) is float)]), a\n"
    path = submission(tmp_path, body, "three.py")
    run = runner.run(task(path, calls={3: [(X, X, 2.5)]}))
    assert run.parameters == 3 and run.calls[0].arrays[0].tolist() == [1.0]
    run = runner.run(task(path))
    assert (run.reason, run.parameters, run.calls) == (None, 3, [])


def test_other_values_and_exceptions_are_described(tmp_path, runner):
    path = submission(
        tmp_path,
        "def f(x, y, w1, w2):\n"
        "    if x[0, 1] == 1:\n"
        "        return (w1, w2, x)\n"
        "    raise KeyError('w3')\n",
    )
    first, second = runner.run(task(path)).calls
    assert (first.kind, first.types, first.length) == ("values", ("ndarray",) * 3, 3)
    assert [a.shape for a in first.arrays] == [(2, 3)] * 3
    assert (second.kind, second.error, second.line) == ("raised", "KeyError", 7)
    assert "w3" in second.message
    alone = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1 if x[0, 1] == 1 else 'w1'\n")
    array, text = runner.run(task(alone)).calls  # a lone array is kept, as it is
    assert (array.kind, array.types, array.length) == ("other", ("ndarray",), None)
    assert np.array_equal(array.arrays[0], INPUTS[0][2])
    assert (text.kind, text.types, text.arrays) == ("other", ("str",), (None,))


def test_returned_values_are_read_as_they_are_not_as_they_say(tmp_path, runner):
    # a sequence whose length lies, one whose len() raises, an object posing as a
    # tuple, an array subclass that lies about its values, numbers in plain lists
    path = submission(tmp_path, (
        "class Lying(tuple):\n    def __len__(self):\n        return 2\n"
        "    def __getitem__(self, i):\n        return np.zeros((2, 3))\n"
        "class Raising(list):\n    def __len__(self):\n        raise RuntimeError('no')\n"
        "class Posing:\n    __class__ = tuple\n"
        "class Fake(np.ndarray):\n    def __array__(self, *a, **k):\n        return np.zeros(3)\n"
        "def f(x, y, w1, w2):\n"
        "    if x[0, 1] == 1:\n        return Lying((w1, w2, x))\n"
        "    return Raising([w1, w2])\n"
        "def g(x, y, w1, w2):\n    return Posing()\n"
        "def h(x, y, w1, w2):\n    return w1.view(Fake), [[1, 2.5], [3, 4]]\n"
        "class Plain(tuple):\n    pass\n"
        "def k(x, y, w1, w2):\n    return Plain((w1, w2))\n"
    ))  # fmt: skip
    lying, raising = runner.run(task(path)).calls  # named, not read
    assert [(c.kind, c.types) for c in (lying, raising)] == [("other", ("Lying",)),
                                                             ("other", ("Raising",))]  # fmt: skip
    (posing, _) = runner.run(task(path, "g")).calls
    assert (posing.kind, posing.types) == ("other", ("Posing",))
    (viewed, _) = runner.run(task(path, "h")).calls
    assert np.array_equal(viewed.arrays[0], INPUTS[0][2])  # its own values, not the lie
    assert viewed.arrays[1].tolist() == [[1.0, 2.5], [3.0, 4.0]]
    (plain, _) = runner.run(task(path, "k")).calls  # a tuple of its own that says nothing else
    assert (plain.kind, plain.length) == ("values", 2)


def test_printed_output_is_cut_and_counted(tmp_path, runner):
    path = submission(tmp_path, "print('x' * 5000)\n\ndef f(x, y, w1, w2):\n    return w1, w2\n")
    run = runner.run(task(path, calls={4: INPUTS[:1]}))
    assert run.output == "x" * OUTPUT_SHOWN
    assert run.output_length == 5001  # the line and its newline


@pytest.mark.parametrize(
    ("name", "given", "named"),
    [
        ("lab.py", False, "lab.py"),  # a plain file: its own name
        ("lab.txt", False, "submission.py"),  # not a .py file's name: the sandbox's own
        (".lab.py", False, "submission.py"),  # a hidden file's name: the sandbox's own
        ("lab.ipynb", True, "lab.py"),  # a notebook's cells made a module: its stem and .py
    ],
)
def test_a_submission_runs_under_its_own_name_where_that_is_plain(
    tmp_path, runner, name, given, named
):
    body = "print(os.path.basename(__file__))\n\ndef f(x, y, w1, w2):\n    return w1, w2\n"
    path = submission(tmp_path, body, name)
    source = (tmp_path / name).read_bytes() if given else None
    if given:  # the file itself is no module: only the source given is run
        (tmp_path / name).write_text("{}")
    run = runner.run(Task(path, "f", {4: INPUTS[:1]}, source=source))
    assert (run.reason, run.output) == (None, named + "\n")  # no reason: f ran at every call


@pytest.mark.parametrize(
    ("body", "reason", "detail", "loaded"),
    [
        ("os._exit(7)\n", "exited", "status 7", False),
        ("def f(x, y, w1, w2):\n    os._exit(0)\n", "exited", "status 0", True),
        ("def f(x, y, w1, w2):\n    os.kill(os.getpid(), signal.SIGSEGV)\n", "crashed",
         "SIGSEGV", True),
        ("os.kill(os.getpid(), signal.SIGTERM)\n", "crashed", "SIGTERM", False),
        # a signal without a name of its own: its number
        ("os.kill(os.getpid(), signal.SIGRTMIN + 3)\n", "crashed",
         f"signal {int(signal.SIGRTMIN) + 3}", False),
    ],
)  # fmt: skip
@pytest.mark.skipif(sys.platform != "linux", reason="signal.SIGRTMIN")
def test_each_way_a_child_ends_is_told(tmp_path, runner, body, reason, detail, loaded):
    run = runner.run(task(submission(tmp_path, body)))
    assert (run.reason, run.detail, run.loaded, run.calls) == (reason, detail, loaded, [])


@pytest.mark.parametrize("level", LEVELS)
def test_a_child_past_its_time_is_ended_at_its_limit(tmp_path, level):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    while True:\n        pass\n")
    with Runner(Limits(timeout=1.0), level) as r:
        began = time.monotonic()
        ticket = r.start(task(path))
        # the server ends it at its limit; the Runner's own deadline is a backstop past it
        assert began + 1.0 + runner_module.GRACE <= r.deadline(ticket) <= time.monotonic() + 3.0
        r.wait([ticket])
        assert ticket in r.ended and time.monotonic() < r.deadline(ticket)
        run = r.finish(ticket)
        assert (run.reason, run.detail, run.loaded) == ("timeout", "1 s", True)
        assert 1.0 <= run.seconds < 1.0 + runner_module.GRACE
        (worker,) = r.workers
        again = r.run(task(submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")))
        # the same server runs the next one
        assert again.reason is None and r.workers == [worker] and worker.served == 2


def test_wait_returns_when_the_first_child_ends(tmp_path):
    slow = submission(tmp_path, "time.sleep(3)\n", "slow.py")
    quick = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n", "quick.py")
    with Runner(Limits(timeout=10.0)) as r:
        tickets = [r.start(task(slow)), r.start(task(quick))]
        r.wait(tickets)
        assert tickets[1] in r.ended and tickets[0] not in r.ended  # back before the slow one
        assert r.finish(tickets[1]).reason is None
        assert r.finish(tickets[0]).reason == "missing"  # it slept, then had no f
        assert len(r.workers) == 2  # one server each, side by side


def test_a_class_at_the_same_inputs_has_them_written_once(tmp_path):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits()) as r:
        for _ in range(3):
            r.run(task(path))
        inputs = os.path.join(r.folder, "inputs")
        written = os.listdir(inputs)
        other = [tuple(a + 1 for a in call) for call in INPUTS]
        run = r.run(task(path, calls={4: other}))
        assert np.array_equal(run.calls[0].arrays[0], INPUTS[0][2] + 1)
        again = os.listdir(inputs)
        (latest,) = set(again) - set(written)
        os.remove(os.path.join(inputs, latest))  # gone: written again
        assert r.run(task(path, calls={4: other})).reason is None
        folder = r.folder
    assert len(written) == 1 and len(again) == 2
    assert not os.path.exists(folder)  # removed on close, with every worker's folder


def test_the_calls_of_one_class_are_never_written_over_by_the_next(tmp_path):
    # not even once an earlier class's file has gone: a child of the class before may
    # yet be reading its own
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    shifted = [{4: [tuple(a + k for a in call) for call in INPUTS]} for k in (1, 2)]
    with Runner(Limits(), "process") as r:
        inputs = os.path.join(r.folder, "inputs")
        assert r.run(task(path)).reason is None
        (first,) = os.listdir(inputs)
        assert r.run(task(path, calls=shifted[0])).reason is None
        (second,) = set(os.listdir(inputs)) - {first}
        os.remove(os.path.join(inputs, first))
        assert r.run(task(path, calls=shifted[1])).reason is None
        kept = records.load_calls(os.path.join(inputs, second))
        assert len(os.listdir(inputs)) == 2
    assert np.array_equal(kept[4][0][0], INPUTS[0][0] + 1)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("level", LEVELS)
def test_closing_ends_every_server_and_child(tmp_path, monkeypatch, level):
    marker = uuid.uuid4().hex
    monkeypatch.setenv("NUMPY_IMPL_RUNNER_TEST", marker)
    path = submission(tmp_path, "time.sleep(60)\n")
    r = Runner(Limits(timeout=60.0), level)
    [r.start(task(path)) for _ in range(2)]
    servers = [w.server for w in r.workers]
    assert len(marked(marker)) >= 2
    r.close()
    assert all(s.poll() is not None for s in servers) and r.running == {}
    time.sleep(0.2)  # the killed children are reaped
    assert marked(marker) == []


@pytest.mark.parametrize("level", LEVELS)
def test_a_server_that_ends_ends_its_submission_alone(tmp_path, level):
    # its submission is said to have been ended (while it loaded or not: its server
    # could not say); the next one gets a new server
    path = submission(tmp_path, "time.sleep(30)\n")
    with Runner(Limits(timeout=30.0), level) as r:
        ticket, other = r.start(task(path)), r.start(task(path))
        worker = r.workers[0]
        worker.kill()
        r.wait([ticket, other])  # the ended server's submission alone has ended
        assert ticket in r.ended and other not in r.ended
        run = r.finish(ticket)
        assert (run.reason, run.detail) == ("crashed", "the process that ran it was ended")
        assert run.loaded is None
        again = r.run(task(submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")))
        assert again.reason is None and len(r.workers) == 2 and worker not in r.workers


def test_a_server_that_falls_silent_is_ended_at_its_childs_deadline(tmp_path):
    # a stopped server never says its child ran out of time: past the limit and the
    # grace, the Runner ends it and says the time limit was reached
    path = submission(tmp_path, "time.sleep(30)\n")
    with Runner(Limits(timeout=0.5), "process") as r:
        ticket = r.start(task(path))
        (worker,) = r.workers
        os.kill(worker.server.pid, signal.SIGSTOP)
        r.wait([ticket])  # returns at the deadline, though nothing was said
        assert ticket not in r.ended and time.monotonic() >= r.deadline(ticket)
        run = r.finish(ticket)
        assert (run.reason, run.detail) == ("timeout", "0.5 s")
        assert ticket not in r.ended and worker.server.poll() is not None
        later = r.start(task(path))
        r.wait([later])
        assert later in r.ended and r.finish(later).reason == "timeout"


def test_the_childs_environment_is_little_of_the_graders(monkeypatch):
    # the project first on the path, one BLAS thread; of the grader's own, only the
    # innocuous and the project's
    root = str(ROOT)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    monkeypatch.setenv("API_TOKEN", "secret")
    monkeypatch.setenv("NUMPY_IMPL_MARK", "mine")
    env = worker_module.child_environment()
    assert env["PYTHONPATH"] == root and env["OMP_NUM_THREADS"] == "1"
    assert env["NUMPY_IMPL_MARK"] == "mine" and env["HOME"] == os.environ["HOME"]
    own = {name for name in env if not name.startswith("NUMPY_IMPL_")}  # nox sets some
    assert "API_TOKEN" not in env and own <= {
        *worker_module.PASSED, "PYTHONPATH", "PYTHONDONTWRITEBYTECODE",
        "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
    }  # fmt: skip
    # another interpreter of the project (the exercise's judge) keeps all of this one's
    full = worker_module.environment(OMP_NUM_THREADS="1")
    assert full["PYTHONPATH"] == os.pathsep.join([root, "/elsewhere"])
    assert full["API_TOKEN"] == "secret" and full["OMP_NUM_THREADS"] == "1"
    monkeypatch.delenv("PYTHONPATH")
    assert worker_module.environment()["PYTHONPATH"] == root


@pytest.mark.parametrize("level", LEVELS)
def test_run_ends_a_function_that_never_returns_at_its_limit(tmp_path, level):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    while True:\n        pass\n")
    with Runner(Limits(timeout=1.0), level) as r:
        run = r.run(task(path))
    assert (run.reason, run.loaded) == ("timeout", True) and 1.0 <= run.seconds < 11.0


def test_wait_is_for_the_children_named(tmp_path):
    # another child's end is no reason to stop waiting for these
    slow = submission(tmp_path, "time.sleep(1.5)\n", "slow.py")
    quick = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n", "quick.py")
    with Runner(Limits(timeout=10.0)) as r:
        other = r.start(task(quick))
        named = r.start(task(slow))
        r.wait([named])
        assert named in r.ended and other in r.ended


@contextlib.contextmanager
def on_the_tests_clock(r, limit, then=lambda: True):
    """Runner ``r`` on a clock of the test's: its first listen hears a message (that
    ends and starts nothing) half a second before ``limit``; its second takes all the
    time given and hears what ``then()`` says (True: something came); a third fails the
    test. Yields the timeouts listened for and the clock (a one-item list), to assert
    on once the listening is done."""
    now, asked = [0.0], []

    def messages(timeout):
        asked.append(timeout)
        assert len(asked) <= 2, f"listened again, for {timeout} s, at the limit"
        if len(asked) == 1:
            now[0] = limit - 0.5
            return True
        now[0] += timeout
        return then()

    with pytest.MonkeyPatch.context() as clock:  # undone before the Runner closes
        clock.setattr(r, "_messages", messages)
        clock.setattr(runner_module, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
        yield asked, now


def test_wait_waits_to_the_deadline_after_a_message_that_ends_none_of_its_children(tmp_path):
    """A server's message that ends none of the children waited for, however little time
    is left, is no reason to stop waiting: wait listens again for what is left, up to the
    deadline (on a clock of the test's, a message half a second before it)."""
    with Runner(Limits(timeout=1.0), "process") as r:
        r.running[1] = worker_module.Ticket(task(str(tmp_path / "a.py")), None, started=0.0)
        until = r.deadline(1)
        with on_the_tests_clock(r, until, then=lambda: False) as (asked, now):
            r.wait([1])  # one message, then nothing more
        r.running.clear()
    assert asked == [until, 0.5] and now[0] == until


class NotedWorker:
    """A worker that has no server: it prints nothing and notes what was done to it."""

    def __init__(self, ticket=None, living=True):
        self.ticket, self.done, self.living, self.served = ticket, [], living, 0

    def alive(self):
        return self.living

    def said(self):
        return ""

    def send(self, request):
        self.done.append("send")

    def printed(self):
        return "", 0

    def kill(self):
        self.done.append("kill")

    def close(self):
        self.done.append("close")

    def stop(self):
        self.done.append("stop")


def test_close_kills_a_busy_server_and_lets_an_idle_one_stop():
    # a busy server would read the end of its input only when its child is done
    busy, idle = NotedWorker(ticket=object()), NotedWorker()
    r = Runner(Limits(), "process")
    r.workers += [busy, idle]
    r.close()
    assert (busy.done, idle.done, r.workers) == (["kill", "close"], ["stop"], [])


def test_a_busy_server_ended_at_the_process_level_ends_what_carries_no_mark(tmp_path):
    # a process the child started with an environment of its own carries no mark to be
    # swept by; the server, asked to end before it is killed, ends its child's group
    # and with it that process
    noted = tmp_path / "started"
    body = (
        "import subprocess\n"
        "def f(x, y, w1, w2):\n"
        "    p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], env={})\n"
        f"    open({str(noted)!r}, 'w').write(str(p.pid))\n"
        "    time.sleep(60)\n"
    )
    started = None
    try:
        with Runner(Limits(timeout=60.0), "process") as r:
            r.start(task(submission(tmp_path, body)))
            for _ in range(1000):
                if noted.exists() and noted.read_text():
                    break
                time.sleep(0.01)
            started = int(noted.read_text())
            assert alive(started) and started not in marked(r.mark)  # no mark to sweep by
        for _ in range(100):  # killed; reaped by whoever took it in
            if not alive(started):
                break
            time.sleep(0.01)
        assert not alive(started)
    finally:
        if started is not None and alive(started):
            os.kill(started, signal.SIGKILL)


def test_a_server_that_ends_before_starting_the_next_child_is_replaced_for_it(tmp_path):
    # a server that served before (so the sandbox can be made) but ends as it is asked
    # to start the next one: that submission has not run, and runs on a new server
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    time.sleep(0.5)\n    return w1, w2\n")
    with Runner(Limits(timeout=5.0), "process") as r:
        assert r.run(task(path)).reason is None
        (ended,) = r.workers

        def send(request):
            ended.server.kill()
            ended.server.wait()

        ended.send = send
        ticket = r.start(task(path))
        assert ticket not in r.ended and r.workers != [ended] and len(r.workers) == 1
        run = r.finish(ticket)
    assert run.reason is None and ended.served == 1


def test_a_server_found_ended_when_idle_is_closed_and_replaced(tmp_path):
    # its pipes closed, not left open for the rest of the grading
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(), "process") as r:
        ended = NotedWorker(living=False)
        r.workers.append(ended)
        assert r.run(task(path)).reason is None
        assert ended.done == ["close"] and ended not in r.workers and len(r.workers) == 1


@pytest.mark.parametrize("end", ["stop", "close"])
def test_a_worker_whose_server_is_gone_with_a_request_unsent_ends_without_an_error(tmp_path, end):
    # a request sent to a server already gone stays in the writer's buffer (the flush
    # fails); stopping or closing that worker still closes it, raising nothing, so that
    # closing a Runner goes on to its other servers
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(), "process") as r:
        assert r.run(task(path)).reason is None
        (worker,) = r.workers
        r.workers.remove(worker)
    worker.server.kill()
    worker.server.wait()
    with pytest.raises(BrokenPipeError):
        worker.send(records.Request("a.py", b"", "grads", "/inputs/1.npz", None, 1.0))
    getattr(worker, end)()
    assert worker.server.stdin.closed and worker.server.stdout.closed


def test_a_server_that_does_not_end_at_the_end_of_its_input_is_killed_when_stopped(tmp_path):
    # a server that does not go (here frozen) is killed once stop's wait is over:
    # closing a Runner never hangs on one
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(), "process") as r:
        assert r.run(task(path)).reason is None
        (worker,) = r.workers
        r.workers.remove(worker)
        os.kill(worker.server.pid, signal.SIGSTOP)
        worker.stop(wait=0.2)
        assert worker.server.returncode == -signal.SIGKILL


def test_a_worker_takes_a_report_once_whole_and_gives_up_a_server_it_cannot_read(
    tmp_path, monkeypatch
):
    # what a worker reads comes here from a pipe of the test's own: a report is taken
    # once its last byte is there, not before; a line no server writes, or a read that
    # fails, says the server is over (read is False), and what was pending stays as it was
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(), "process") as r:
        assert r.run(task(path)).reason is None
        (worker,) = r.workers
        r.workers.remove(worker)
    fds = []
    try:
        said, says = os.pipe()
        fds += [said, says]
        unreadable = os.open(os.devnull, os.O_WRONLY)
        fds.append(unreadable)
        monkeypatch.setattr(worker, "fileno", lambda: said)
        worker.ticket = ticket = worker_module.Ticket(task(path), worker, 0.0)
        line = records.Message("report", 3).line()
        os.write(says, line + b"ab")
        assert worker.read() is True
        assert (ticket.report, worker.pending) == (b"", line + b"ab")  # a byte to come
        os.write(says, b"c")
        assert worker.read() is True
        assert (ticket.report, worker.pending) == (b"abc", b"")
        os.write(says, b"nothing a server says\n")
        assert worker.read() is False
        assert (ticket.report, ticket.ended) == (b"abc", None)
        assert worker.pending == b"nothing a server says\n"
        monkeypatch.setattr(worker, "fileno", lambda: unreadable)
        assert worker.read() is False
        assert worker.pending == b"nothing a server says\n"
    finally:
        for fd in fds:
            os.close(fd)
        worker.stop()


@pytest.mark.parametrize("ends", [True, False])
def test_finish_waits_to_the_deadline_and_not_a_moment_less(tmp_path, ends):
    """finish listens up to the child's deadline, however little time is left, and no
    longer. On a clock of the test's, a first message (ending nothing) comes half a
    second before the deadline; finish then listens for that last half second. A child
    whose end is said in it is told as it ended; one that has said nothing by the
    deadline is ended there, as out of time, and finish listens no more."""
    with Runner(Limits(timeout=1.0), "process") as r:
        worker = NotedWorker()
        found = worker_module.Ticket(task(str(tmp_path / "a.py")), worker, started=0.0)
        r.running[1] = worker.ticket = found
        until = r.deadline(1)

        def then():
            if ends:  # the child's end, said in the last half second
                found.ended = records.Message("ended", code=3)
                r.ended.add(1)
            return True

        with on_the_tests_clock(r, until, then) as (asked, now):
            run = r.finish(1)
    assert asked == [until, 0.5] and now[0] == until
    assert (run.reason, run.detail) == (("exited", "status 3") if ends else ("timeout", "1 s"))
    assert worker.done == ([] if ends else ["kill"]) and worker.ticket is None
    assert 1 not in r.running


def test_a_child_ended_at_its_deadline_is_out_of_time_though_its_report_came(tmp_path):
    """A child ended at its deadline is told as out of time, even if its whole report
    came in the instant before: the report is not read, so no verdict stands on it."""
    came = records.Report(calls=[Call("raised", error="KeyError", message="w3")])
    assert records.Report.from_bytes(came.to_bytes()) is not None  # a report, well formed
    with Runner(Limits(timeout=1.0), "process") as r:
        worker = NotedWorker()
        found = worker_module.Ticket(task(str(tmp_path / "a.py")), worker, started=0.0)
        found.report, found.ended = came.to_bytes(), records.Message("ended", timed_out=True)
        r.running[1] = worker.ticket = found
        r.ended.add(1)
        run = r.finish(1)
    assert (run.reason, run.detail, run.calls) == ("timeout", "1 s", [])


def test_a_server_that_starts_no_child_in_time_is_ended_at_its_limit(tmp_path):
    """A new server asked to start a child listens up to STARTING seconds for it to say
    it has, however little time is left, and no longer; then it is ended, and the
    sandbox said not to start. On a clock of the test's, a first message (starting
    nothing) comes half a second before the limit."""
    with Runner(Limits(timeout=1.0), "process") as r:
        silent = NotedWorker()
        r.workers.append(silent)
        refused = pytest.raises(SandboxUnavailable, match=r"could not start: no reason given$")
        with on_the_tests_clock(r, runner_module.STARTING) as (asked, now), refused:
            r.start(task(submission(tmp_path, "")))
    assert asked == [runner_module.STARTING, 0.5] and now[0] == runner_module.STARTING
    assert silent.done[:2] == ["send", "kill"]


def test_a_childs_end_said_stands_when_its_server_ends_before_it_is_read(tmp_path):
    """A child that exited, and whose server said so, is told as it exited, not as ended
    with its server, when that server ends before the run is read."""
    quitter = submission(tmp_path, "os._exit(3)\n", "quitter.py")
    slow = submission(tmp_path, "time.sleep(0.5)\n", "slow.py")
    with Runner(Limits(timeout=3.0), "process") as r:
        ended = r.start(task(quitter))
        r.wait([ended])
        assert ended in r.ended
        other = r.start(task(slow))
        r.workers[0].kill()  # the quitter's server, its child's end already said
        r.wait([other])  # which reads, on the way, that the quitter's server ended
        run = r.finish(ended)
        assert (run.reason, run.detail) == ("exited", "status 3")


@pytest.mark.skipif(sys.platform != "linux", reason="prctl(2)")
def test_die_with_parent_sets_the_parent_death_signal_and_leaves_an_orphan(monkeypatch):
    """The exercise's judge, run for a kernel, asks to be killed (SIGKILL) when its
    parent ends, and leaves at once (status 1) if the parent named is no longer its
    own. Here, in this process: its signal set back after, its leaving caught."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def death_signal():
        found = ctypes.c_int(-1)
        assert libc.prctl(2, ctypes.byref(found), 0, 0, 0) == 0  # PR_GET_PDEATHSIG
        return found.value

    class Left(Exception):
        pass

    def leave(status):
        raise Left(status)

    monkeypatch.setattr(os, "_exit", leave)
    before = death_signal()
    try:
        libc.prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG: none, to see it set
        runner_module.die_with_parent(os.getppid())  # its parent: it stays
        assert death_signal() == signal.SIGKILL
        libc.prctl(1, 0, 0, 0, 0)
        with pytest.raises(Left) as left:
            runner_module.die_with_parent(os.getppid() + 1)  # a parent it no longer has
        assert left.value.args == (1,) and death_signal() == signal.SIGKILL
    finally:
        libc.prctl(1, before, 0, 0, 0)
    assert death_signal() == before


def test_nothing_a_child_writes_reaches_the_next_or_the_submissions_folder(tmp_path, runner):
    writer = submission(tmp_path, "import tempfile\nopen('left.txt', 'w').write('x')\n"
                        "open(os.path.join(tempfile.gettempdir(), 'left.txt'), 'w').write('x')\n\n"
                        "def f(x, y, w1, w2):\n    return w1, w2\n")  # fmt: skip
    runner.run(task(writer))
    assert sorted(os.listdir(tmp_path)) == ["ana.py"]  # its copy's folder is its own
    reader = submission(tmp_path, (
        "import tempfile\n"
        "t = tempfile.gettempdir()\n"  # its files (Python's folders may be mounted under /tmp)
        "files = [n for n in os.listdir(t) if os.path.isfile(os.path.join(t, n))]\n"
        "seen = os.listdir('.') + files\n"
        "def f(x, y, w1, w2):\n    return w1, np.array([float(len(seen))])\n"
    ), "reader.py")  # fmt: skip
    (call, _) = runner.run(task(reader)).calls
    assert call.arrays[1].tolist() == [1.0]  # its own file, and nothing of the one before


def test_a_child_has_one_blas_thread_and_the_project_on_its_path(tmp_path, runner):
    # one BLAS thread a child (a class graded side by side), the project on PYTHONPATH
    project = PROJECT if runner.isolation.level == "namespaces" else str(ROOT)
    body = (
        "import reference.sandbox.records\n"
        "def f(x, y, w1, w2):\n"
        "    names = ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')\n"
        "    ones = [os.environ.get(n) == '1' for n in names]\n"
        f"    first = os.environ['PYTHONPATH'].split(os.pathsep)[0] == {project!r}\n"
        "    return np.array(ones, dtype=float), np.array([first], dtype=float)\n"
    )
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert run.calls[0].arrays[0].tolist() == [1.0, 1.0, 1.0]
    assert run.calls[0].arrays[1].tolist() == [1.0]


def test_a_new_server_never_gets_the_folder_or_mark_of_one_still_running(tmp_path):
    # two servers that ended (here killed, as at their children's deadlines) are
    # replaced while a third still runs: the new one has a folder and a mark of its own
    # (ending a server ends whatever carries its mark), and the third runs on
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    time.sleep(60)\n")
    with Runner(Limits(timeout=60.0), "process") as r:
        tickets = [r.start(task(path, calls={4: INPUTS[:1]})) for _ in range(3)]
        for ticket in tickets[:2]:
            r.running[ticket].worker.kill()
            r.wait([ticket])
            r.finish(ticket)
        r.start(task(path, calls={4: INPUTS[:1]}))
        third = r.running[tickets[2]].worker
        folders, marks = [w.folder for w in r.workers], [w.mark for w in r.workers]
        assert len(folders) == len(set(folders)) == len(set(marks)) == 2 and third.alive()


@pytest.mark.parametrize("level", LEVELS)
def test_a_runners_folders_are_its_own_and_go_with_it(tmp_path, monkeypatch, level):
    # every folder it makes is inside one, named for what it is and the grader's user's
    # alone (as each output file in it), removed on close, even with children running
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    os.mkdir(tmp_path / "tmp")
    os.mkdir(tmp_path / "here")
    monkeypatch.chdir(tmp_path / "here")  # where the grader runs: nothing is made there
    path = submission(tmp_path, "time.sleep(60)\n")
    with Runner(Limits(timeout=60.0), level) as r:
        (name,) = os.listdir(tmp_path / "tmp")
        assert name.startswith("numpy-impl-grading-")
        r.start(task(path))
        assert os.listdir(tmp_path / "here") == []
        (worker,) = r.workers
        output = os.path.join(worker.folder, "output.txt")
        assert [stat.S_IMODE(os.stat(p).st_mode) for p in (r.folder, output)] == [0o700, 0o600]
    assert os.listdir(tmp_path / "tmp") == [] and os.listdir(tmp_path / "here") == []


@pytest.mark.parametrize("level", LEVELS)
def test_the_janitor_and_each_server_are_in_a_session_of_their_own(tmp_path, level):
    # so that a signal to the grader's process group or session (a ^C, a kill of the
    # group) does not end the janitor with it: it is the one left to end what the
    # grader started (tests/grading/test_ended.py kills a grader to show it); a
    # server's group is what is killed to end it and what its child left
    with Runner(Limits(), level) as r:
        assert (
            r.run(task(submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n"))).reason
            is None
        )
        for pid in (r.janitor.pid, *(w.server.pid for w in r.workers)):
            assert os.getsid(pid) == pid and os.getpgid(pid) == pid
            assert os.getsid(pid) != os.getsid(0) and os.getpgid(pid) != os.getpgid(0)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_janitor_ends_what_is_left_once_its_input_closes(tmp_path, monkeypatch):
    # as it closes when the grader ends in any way: every process of the grading's mark
    # is ended, the folder is gone, and the janitor says no error; a module on the
    # grader's PYTHONPATH named like one of the standard library's is not its
    (tmp_path / "shadow").mkdir()
    (tmp_path / "shadow" / "shutil.py").write_text("raise SystemExit(3)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "shadow"))
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    time.sleep(60)\n")
    with Runner(Limits(timeout=60.0), "process") as r:
        r.start(task(path, calls={4: INPUTS[:1]}))
        assert marked(r.mark) != []  # the server and its child
        assert r.janitor.stdin is not None
        r.janitor.stdin.close()
        assert r.janitor.wait(30) == 0
        assert marked(r.mark) == [] and not os.path.exists(r.folder)


def test_what_a_child_printed_is_counted_past_what_is_kept(tmp_path, runner):
    # 3 MiB printed: the file keeps 1 MiB, the count is all of it; bytes that are
    # not UTF-8 are shown replaced, not a reason to fail
    body = "sys.stdout.buffer.write(b'\\xff\\xfe ok\\n')\nprint('x' * (3 * 2**20))\n\n"
    body += "def f(x, y, w1, w2):\n    return w1, w2\n"
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert run.reason is None
    assert run.output.startswith("\ufffd\ufffd ok\nxxx") and len(run.output) == OUTPUT_SHOWN
    assert run.output_length == 3 * 2**20 + 1  # the characters printed (the bytes went round)


def test_what_a_child_that_left_no_report_printed_is_counted_from_its_output(tmp_path, runner):
    # no report, so no count of the child's own: the characters in its output file,
    # a sequence cut short at the end counted as one replaced character
    body = "sys.stdout.buffer.write(b'x' * 5000 + b'\\xe2\\x82')\nsys.stdout.flush()\nos._exit(3)\n"
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert (run.reason, run.detail) == ("exited", "status 3")
    assert run.output == "x" * OUTPUT_SHOWN and run.output_length == 5001


@pytest.mark.parametrize(
    "spoil", ["os.write(3, b'not a report')", "os.close(3)", "sys.stdout = open(os.devnull, 'w')"]
)
def test_a_report_the_submission_spoiled_is_no_report(tmp_path, runner, spoil):
    # on its own report's pipe, something else: the run is judged by its end; its
    # standard output replaced: the report does not go through it
    run = runner.run(task(submission(tmp_path, f"{spoil}\nos._exit(3)\n"), calls={4: INPUTS[:1]}))
    assert (run.reason, run.detail) == ("exited", "status 3")
    inside = spoil if "stdout" in spoil else "pass"
    body = f"def f(x, y, w1, w2):\n    {inside}\n    print('after')\n    return w1, w2\n"
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert run.reason is None and len(run.calls) == 1


def test_an_unreadable_file_is_that_submissions_end_alone(tmp_path, runner):
    # a folder, a pipe (which would block whoever opens it), a link (which could lead to
    # a file of the teacher's), a missing file: none is read, each said in words
    secret = tmp_path / "secret.txt"
    secret.write_text("sk_TOKEN = 42\n")
    (tmp_path / "a folder.py").mkdir()
    os.mkfifo(tmp_path / "a pipe.py")
    (tmp_path / "a link.py").symlink_to(secret)
    said = {
        "a folder.py": "it is not a file (a folder, a pipe or a device)",
        "a pipe.py": "it is not a file (a folder, a pipe or a device)",
        "a link.py": "it is a link: a submission is read only as a file of its own",
        "nowhere.py": "No such file or directory",
    }
    for name, detail in said.items():
        run = runner.run(task(str(tmp_path / name)))
        assert (run.reason, run.detail, run.calls) == ("unreadable", detail, []), name
    assert runner.run(task(submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")))


@pytest.mark.parametrize("most", [None, 3 * 2**20])
def test_a_file_is_read_up_to_its_limit_and_refused_one_byte_past_it(tmp_path, monkeypatch, most):
    # also where each read gives at most ``most`` bytes (as a network file system may)
    if most is not None:
        read = os.read
        monkeypatch.setattr(os, "read", lambda fd, n: read(fd, min(n, most)))
    limit = worker_module.SOURCE_LIMIT
    at, past = tmp_path / "at.py", tmp_path / "past.py"
    at.write_bytes(b"#" * limit)
    past.write_bytes(b"#" * (limit + 1))
    assert worker_module.read_source(str(at)) == b"#" * limit
    assert worker_module.read_source(str(past)) == "it is over 8 MiB"  # 8 * 2**20 bytes


@pytest.mark.parametrize(
    ("says", "told"),
    [(b"bwrap: no room\nsetting up uid map: denied", "setting up uid map: denied"),
     (b"", "no reason given"),
     # bytes that are not UTF-8, a blank line: the last line with words
     (b"bwrap: \xff\nuid map: denied\n\nthen: \xfe gone\n  \n", "then: \ufffd gone")],
)  # fmt: skip
def test_a_new_server_that_cannot_start_is_refused_with_its_last_word(
    tmp_path, monkeypatch, says, told
):
    # once, in one line: the sandbox cannot be made here, and another server would fail
    # the same way (one that had served before and ended is replaced instead)
    made = []

    def failing(found, setting):
        made.append(found.level)
        assert len(made) == 1, "a second server started after the first could not"
        return [sys.executable, "-c", f"import sys; sys.stderr.buffer.write({says!r}); sys.exit(1)"]

    monkeypatch.setattr(worker_module, "server_command", failing)
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(timeout=5.0), "process") as r, pytest.raises(SandboxUnavailable) as refused:
        r.start(task(path))
    assert str(refused.value) == f"the sandbox could not start: {told}"


def test_a_new_server_that_cannot_start_and_leaves_no_log_gives_no_reason(tmp_path, monkeypatch):
    # its log (in the folder it runs in) removed before it ends: no reason, and no error
    gone = [sys.executable, "-c", "import os; os.remove('server.log'); raise SystemExit(1)"]
    monkeypatch.setattr(worker_module, "server_command", lambda found, setting: gone)
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits(timeout=5.0), "process") as r, pytest.raises(SandboxUnavailable) as refused:
        r.start(task(path))
    assert str(refused.value) == "the sandbox could not start: no reason given"


def test_the_level_asked_for_by_default_is_auto():
    assert isolation() == isolation("auto")


def test_namespaces_required_and_missing_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nowhere")
    from reference.sandbox import isolation as module

    module._namespaces.cache_clear()
    try:
        found = isolation("auto")
        assert found.level == "process" and "bubblewrap (bwrap) is not installed" in found.why
        assert found.notice.startswith("note: bubblewrap (bwrap) is not installed: each")
        with pytest.raises(SandboxUnavailable, match=r"^--sandbox required, but bubblewrap"):
            Runner(Limits(), "required")
        assert isolation("process").notice == ""  # asked for: nothing to say
    finally:
        module._namespaces.cache_clear()


def test_a_report_reads_back_as_it_was_written():
    # the one schema: what the child writes is what the grader's side reads
    a = np.arange(4.0).reshape(2, 2).astype(np.float32)
    calls = [
        Call("values", (a, None), ("ndarray", "str"), 2),
        Call("values", length=12),
        Call("other", types=("NoneType",)),
        Call("raised", error="KeyError", message="w3 \udcff", line=7),
    ]
    written = records.Report(
        "raised", "OSError: x", 4, ["f", "g"], 5, required=4, defaulted=["decay"], given=4,
        calls=calls, printed=120,
    )  # fmt: skip
    read = records.Report.from_bytes(written.to_bytes())
    assert read is not None and read.calls[0].arrays[1] is None
    assert np.array_equal(read.calls[0].arrays[0], a) and read.calls[0].arrays[0].dtype == a.dtype
    assert [c.arrays[1:] for c in read.calls[1:]] == [()] * 3
    assert [(c.kind, c.types, c.length, c.error, c.message, c.line) for c in read.calls] == [
        (c.kind, c.types, c.length, c.error, c.message, c.line) for c in calls
    ]
    assert (read.reason, read.detail, read.line, read.functions, read.printed) == (
        "raised", "OSError: x", 4, ["f", "g"], 120)  # fmt: skip
    assert (read.parameters, read.required, read.defaulted, read.given) == (5, 4, ["decay"], 4)
    for spoiled in (b"", b"PK", written.to_bytes()[:-10], b"x" * 100):
        assert records.Report.from_bytes(spoiled) is None


@pytest.mark.parametrize(
    "forged",
    [
        {"reason": "bogus"}, {"reason": "timeout"}, {"printed": "lots"}, {"printed": -5},
        {"functions": [1, 2]}, {"defaulted": "alpha"}, {"line": True}, {"given": 4.0},
        {"detail": None},
    ],
)  # fmt: skip
def test_a_forged_report_of_a_kind_no_child_writes_is_no_report(forged):
    # what a submission may write on its own report's pipe: a report, but not one
    # that would lead the grader astray
    fine = records.Report(calls=[Call("values", (X, X), ("ndarray", "ndarray"), 2)])
    assert records.Report.from_bytes(fine.to_bytes()) is not None
    assert records.Report.from_bytes(records.Report(**forged).to_bytes()) is None
    for call in [
        Call("other", types=()), Call("other", (X, X), ("ndarray",)), Call("raised", (X,)),
        Call("values", (X,), ("ndarray", "ndarray"), 2), Call("values", (), (), 2),
        Call("values", (X.astype("U3"),), ("ndarray",), 1), Call("bogus"),
        Call("values", (X,), (3,), 1), Call("values", length=-1),
    ]:  # fmt: skip
        assert records.Report.from_bytes(records.Report(calls=[call]).to_bytes()) is None, call


def test_a_tuple_of_no_items_or_of_as_many_as_are_kept_reads_back():
    """A function that returned an empty tuple, or one of exactly ITEMS_KEPT arrays,
    has its call read back as written, every array with it."""
    kept = tuple(X + k for k in range(records.ITEMS_KEPT))
    calls = [Call("values", (), (), 0), Call("values", kept, ("ndarray",) * len(kept), len(kept))]
    read = records.Report.from_bytes(records.Report(calls=calls).to_bytes())
    assert read is not None and [c.length for c in read.calls] == [0, records.ITEMS_KEPT]
    assert read.calls[0].arrays == () and len(read.calls[1].arrays) == len(kept)
    assert all(np.array_equal(a, b) for a, b in zip(read.calls[1].arrays, kept))


def test_a_count_is_a_whole_number_from_minus_one():
    """-1 (a signature that cannot be read) is a count a child writes; -2, a whole number
    given as a float, or a call's line given as text is not."""
    unreadable = records.Report(parameters=-1, required=-1)
    read = records.Report.from_bytes(unreadable.to_bytes())
    assert read is not None and (read.parameters, read.required) == (-1, -1)
    assert records.Report.from_bytes(records.Report(given=-2).to_bytes()) is None
    floated = Call("values", (X, X), ("ndarray", "ndarray"), 2.0)
    assert records.Report.from_bytes(records.Report(calls=[floated]).to_bytes()) is None
    texted = Call("raised", error="KeyError", message="w3", line="7")
    assert records.Report.from_bytes(records.Report(calls=[texted]).to_bytes()) is None


def archived(**arrays):
    """``arrays`` as np.savez writes them."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_a_forged_count_of_a_calls_arrays_is_no_report():
    """A report whose JSON gives a call a count of arrays no child writes (below 0) is no
    report, though the call would otherwise pass."""
    data = records.Report(calls=[Call("raised", error="KeyError", message="w3")]).to_bytes()
    arrays = records.read_archive(data)
    found = json.loads(arrays.pop("report").tobytes().decode())
    assert found["calls"][0]["arrays"] == 0
    for count, readable in ((0, True), (-1, False)):
        found["calls"][0]["arrays"] = count
        text = np.frombuffer(json.dumps(found).encode(), dtype=np.uint8)
        forged = archived(report=text, **arrays)
        assert (records.Report.from_bytes(forged) is not None) is readable, count


def rezipped(data, compress=zipfile.ZIP_STORED, header=None):
    """The archive ``data`` again, each member compressed so, the array's header (its
    first 128 bytes) replaced by ``header`` where given."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", compress) as new:
        for member in old.infolist():
            body = old.read(member)
            new.writestr(member.filename, (header or body[:128]) + body[128:])
    return out.getvalue()


def test_a_report_claims_no_more_memory_than_its_own_bytes():
    # a compressed member could inflate a thousandfold (a small report, gigabytes of
    # zeros); a header may claim a shape its bytes do not hold
    data = records.Report(calls=[Call("values", (X, X), ("ndarray", "ndarray"), 2)]).to_bytes()
    assert records.Report.from_bytes(rezipped(data)) is not None
    assert records.Report.from_bytes(rezipped(data, zipfile.ZIP_DEFLATED)) is None
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (10**12,)})  # fmt: skip
    assert len(buffer.getvalue()) == 128  # as long as the header it replaces
    with pytest.raises(ValueError, match=r"^report\.npy: not an array of its header's size$"):
        records.read_archive(rezipped(data, header=buffer.getvalue()))
    with pytest.raises(ValueError, match=r"^report\.npy: not a stored member$"):
        records.read_archive(rezipped(data, zipfile.ZIP_DEFLATED))


def test_a_member_may_say_it_holds_the_whole_archive_and_no_more():
    # the size a member gives in the archive's directory is read as a claim on memory:
    # as many bytes as the archive has, but not one more
    data = bytearray(archived(a=np.arange(3.0)))
    at = data.index(b"PK\x01\x02") + 24  # the member's uncompressed size, in the directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert struct.unpack("<I", data[at : at + 4])[0] == archive.getinfo("a.npy").file_size
    data[at : at + 4] = struct.pack("<I", len(data))
    assert np.array_equal(records.read_archive(bytes(data))["a"], np.arange(3.0))
    data[at : at + 4] = struct.pack("<I", len(data) + 1)
    with pytest.raises(ValueError, match=r"^a\.npy: not a stored member$"):
        records.read_archive(bytes(data))


def test_an_array_reads_back_in_its_order_and_either_header_version():
    # a returned array may be in Fortran order (a transpose); a header too long for
    # version 1.0 is written in version 2.0
    fortran = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    with zipfile.ZipFile(io.BytesIO(archived(a=fortran))) as archive:
        stream = io.BytesIO(archive.read("a.npy"))
    np.lib.format.read_magic(stream)
    assert np.lib.format.read_array_header_1_0(stream)[1]  # stored in Fortran order
    read = records.read_archive(archived(a=fortran))["a"]
    assert np.array_equal(read, fortran)
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.arange(3.0), version=(2, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.npy", buffer.getvalue())
    assert np.lib.format.read_magic(io.BytesIO(buffer.getvalue())) == (2, 0)
    assert np.array_equal(records.read_archive(out.getvalue())["a"], np.arange(3.0))


@pytest.mark.parametrize(
    "line",
    [b"numpy", b"import numpy as np", b"started 0 0", b"hello 0 0 0", b"report -1 0 0",
     b"report 99999999999 0 0", f"report {records.REPORT_LIMIT + 1} 0 0".encode(),
     b"ended 0 0 2", b"ended 0 x 0", "started 0 0 \u00e9".encode(),
     b"started 3 0 0", b"ended 3 0 0", b"loaded 0 1 0", b"report 5 -9 0", b"started 0 0 1"],
)  # fmt: skip
def test_a_line_no_server_writes_is_no_message(line):
    # a server whose messages are spoiled (a submission's bytes written into its pipe)
    # is ended, not believed
    with pytest.raises(ValueError):
        records.Message.parse(line)


def test_calls_read_back_as_they_were_saved(tmp_path):
    path = str(tmp_path / "calls.npz")
    records.save_calls(path, {4: INPUTS, 5: [(*INPUTS[1], 0.25)]})
    loaded = records.load_calls(path)
    assert sorted(loaded) == [4, 5] and len(loaded[4]) == 2
    assert all(np.array_equal(a, b) for a, b in zip(loaded[4][1], INPUTS[1]))
    assert type(loaded[5][0][4]) is float and loaded[5][0][4] == 0.25
    np.savez(path, **{"4_0_0": np.array([{"a": 1}], dtype=object)})
    with pytest.raises(ValueError, match="allow_pickle=False"):  # no object is unpickled
        records.load_calls(path)


def test_a_request_and_a_message_are_one_line_and_read_back():
    made = records.Request(
        "ana.py", b"\x00\xffdef f(): pass\n", "grads", "/inputs/1.npz", None, 2.5
    )
    line = made.line()
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert records.Request.parse(line) == made
    for message in (records.Message("started"), records.Message("report", size=12),
                    records.Message("report", size=records.REPORT_LIMIT),  # the most allowed
                    records.Message("ended", code=-9, timed_out=True)):  # fmt: skip
        line = message.line()
        assert line.count(b"\n") == 1 and records.Message.parse(line[:-1]) == message


def test_alive_tells_a_process_from_a_zombie():
    assert alive(os.getpid()) and not alive(2**22 + 12345)


def run_inside(tmp_path, body, limits=None):
    """``body``'s f run once, at one call, in a sandbox of its own in namespaces."""
    with Runner(limits or Limits(), "required") as r:
        return r.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))


@NAMESPACES
def test_in_a_namespace_only_its_folders_are_writable_not_the_kernels_settings(tmp_path):
    # no capability (as root too), every mount read-only but its three folders, none of
    # which keeps anything for the next submission
    body = (
        "import tempfile\n"
        "def can_write(path):\n"
        "    try:\n"
        "        with open(path, 'w') as f:\n"
        "            f.write('x')\n"
        "        return 1.0\n"
        "    except OSError:\n"
        "        return 0.0\n"
        "def can_open(path):  # for writing, never written: the kernel's own settings\n"
        "    try:\n"
        "        os.close(os.open(path, os.O_WRONLY))\n"
        "        return 1.0\n"
        "    except OSError:\n"
        "        return 0.0\n"
        "def f(x, y, w1, w2):\n"
        "    caps = [line.split()[1] for line in open('/proc/self/status')\n"
        "            if line.startswith('CapEff')]\n"
        "    places = ['/opt/numpy-impl/resource.py', '/plant.py', '/dev/plant', '/inputs/x',\n"
        "              sys.prefix + '/plant.py', '/tmp/mine', '/home/student/mine',\n"
        "              '/dev/shm/mine']\n"
        "    kernel = ['/proc/sys/kernel/core_pattern', '/proc/sys/vm/drop_caches',\n"
        "              '/proc/sys/kernel/pid_max', '/proc/self/oom_score_adj']\n"
        "    return (np.array([float(int(caps[0], 16))]),\n"
        "            np.array([can_write(p) for p in places] + [can_open(p) for p in kernel]))\n"
    )
    with Runner(Limits(), "required") as r:
        (call,) = r.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]})).calls
        assert call.arrays[0].tolist() == [0.0]  # CapEff: none
        assert call.arrays[1].tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]
        seen = (
            "def f(x, y, w1, w2):\n    return np.array([float(len(os.listdir('/dev/shm')))]), w2\n"
        )
        (again,) = r.run(task(submission(tmp_path, seen, "next.py"), calls={4: INPUTS[:1]})).calls
        assert again.arrays[0].tolist() == [0.0]  # the last one's /dev/shm is gone


@NAMESPACES
def test_each_of_a_submissions_folders_holds_no_more_than_its_memory_limit(tmp_path):
    # /tmp, its home and /dev/shm are each sized to the memory limit, so that what a
    # submission leaves in them cannot take more of the machine's memory than that;
    # it writes 8 MiB files (under the file-size limit) until one fails, to 256 MiB
    room = 192 * 2**20
    body = (
        "def fill(folder):\n"
        "    block, held = b'x' * 2**20, 0\n"
        "    try:\n"
        "        for n in range(32):\n"
        "            with open(f'{folder}/fill-{n}', 'wb') as f:\n"
        "                for _ in range(8):\n"
        "                    held += f.write(block)\n"
        "    except OSError:\n"
        "        pass\n"
        "    return float(held)\n"
        "def f(x, y, w1, w2):\n"
        "    return np.array([fill(p) for p in ('/tmp', '/home/student', '/dev/shm')]), w2\n"
    )
    (call,) = run_inside(tmp_path, body, Limits(memory=room)).calls
    held = call.arrays[0].tolist()
    assert all(0 < each <= room for each in held), held


def command_for_a_fake_bwrap(tmp_path, listed, room):
    """The server command made for a bwrap (a script in ``tmp_path``) whose --help lists
    ``listed``, each folder to hold ``room`` bytes."""
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\nprintf 'usage: bwrap [OPTIONS...] COMMAND\\n{listed}'\n")
    fake.chmod(0o755)
    found = isolation_module.Isolation("namespaces", str(fake))
    setting = isolation_module.Setting(str(ROOT), str(tmp_path), {}, [], room)
    return isolation_module.server_command(found, setting)


@pytest.mark.parametrize("has", [True, False])
def test_bwrap_is_given_only_the_options_its_version_lists(tmp_path, has):
    # --disable-userns and --size only where its --help lists them (older versions have
    # neither): a bwrap given an option it does not know starts no server at all
    listed = "    --disable-userns  ...\n    --size BYTES  ...\n" if has else ""
    command = command_for_a_fake_bwrap(tmp_path, listed, 2**20)
    assert ("--disable-userns" in command) == has
    assert command.count("--size") == (3 if has else 0)  # /tmp, its home and /dev/shm


#: The system's top folders, bound as they are: links into /usr, or folders.
TOPS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")


def kind_of(path):
    """A top folder as numbers (a submission returns arrays): 2 and where a link
    leads, 1 for a folder, 0 for nothing."""
    if os.path.islink(path):
        return [2.0, *map(float, os.readlink(path).encode())]
    return [float(os.path.isdir(path))]


@NAMESPACES
def test_in_a_namespace_the_systems_top_folders_are_as_outside(tmp_path):
    # so that a program the submission runs finds its shell and its libraries
    returns = f"    return tuple(np.array(kind_of(t)) for t in {TOPS!r})\n"
    body = inspect.getsource(kind_of) + "def f(x, y, w1, w2):\n" + returns
    (call,) = run_inside(tmp_path, body).calls
    assert [a.tolist() for a in call.arrays] == [kind_of(t) for t in TOPS]


#: What the dynamic linker reads and the time zone, bound where the host has them.
LINKER_AND_ZONE = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime")


def checksum_of(path):
    """A file's CRC-32, or a folder's over its entries' names and files' bytes (where
    a link leads, for a link: it may lead where the sandbox binds nothing); -1 for
    nothing there."""
    import pathlib
    import zlib

    place = pathlib.Path(path)
    if place.is_dir():
        data = b"".join(
            p.name.encode()
            + (
                os.readlink(p).encode()
                if p.is_symlink()
                else p.read_bytes()
                if p.is_file()
                else b""
            )
            for p in sorted(place.iterdir())
        )
    elif place.is_file():
        data = place.read_bytes()
    else:
        return -1.0
    return float(zlib.crc32(data))


@NAMESPACES
def test_in_a_namespace_the_linkers_settings_and_the_time_zone_are_the_hosts(tmp_path):
    # a program the submission runs finds its libraries where the host's would, and
    # the submission's clock reads in the grader's time zone
    returns = f"    return np.array([checksum_of(p) for p in {LINKER_AND_ZONE!r}]), w2\n"
    body = inspect.getsource(checksum_of) + "def f(x, y, w1, w2):\n" + returns
    (call,) = run_inside(tmp_path, body).calls
    assert call.arrays[0].tolist() == [checksum_of(p) for p in LINKER_AND_ZONE]


def test_top_folders_that_are_folders_are_bound_as_they_are(tmp_path, monkeypatch):
    # on a system whose /usr is not merged (/bin, /lib... folders, /lib32 there too),
    # each is bound read-only where it is; this one's are links, so they are faked
    islink, isdir = os.path.islink, os.path.isdir
    monkeypatch.setattr(os.path, "islink", lambda p: p not in TOPS and islink(p))
    monkeypatch.setattr(os.path, "isdir", lambda p: p in TOPS or isdir(p))
    command = command_for_a_fake_bwrap(tmp_path, "", None)
    bound = {tuple(command[i : i + 3]) for i in range(len(command) - 2)}
    assert all(("--ro-bind", top, top) in bound for top in TOPS)
    assert "--symlink" not in command  # none made a link


def test_a_pythons_folder_named_through_a_link_in_the_system_is_bound_where_it_is(
    tmp_path, monkeypatch
):
    # a link in the system's folder is there inside already (bwrap cannot bind onto it,
    # that folder being read-only): only where it leads is bound
    system = tmp_path / "usr"
    system.mkdir()
    (system / "local").symlink_to(sys.prefix)
    monkeypatch.setattr(isolation_module, "SYSTEM", str(system))
    monkeypatch.setattr(sys, "prefix", str(system / "local"))
    folders = isolation_module.python_folders()
    real = os.path.realpath(sys.prefix)
    assert str(system / "local") not in folders
    assert any(real == f or real.startswith(f + os.sep) for f in folders)


@NAMESPACES
def test_in_a_namespace_home_and_the_temporary_folder_are_the_submissions(tmp_path):
    # not the grader's home (its HOME is not passed on as it is), and a program the
    # submission runs is told where its temporary files go
    body = (
        "import tempfile\n"
        "def f(x, y, w1, w2):\n"
        "    seen = [os.environ.get('HOME', ''), os.environ.get('TMPDIR', ''),\n"
        "            os.path.expanduser('~'), tempfile.gettempdir()]\n"
        "    return tuple(np.array([float(c) for c in s.encode()]) for s in seen)\n"
    )
    (call,) = run_inside(tmp_path, body).calls
    seen = [bytes(int(c) for c in a.tolist()).decode() for a in call.arrays]
    assert seen == [isolation_module.WORK, "/tmp", isolation_module.WORK, "/tmp"]


@NAMESPACES
def test_in_a_namespace_no_user_namespace_can_be_made(tmp_path):
    # a user namespace of its own would give a submission every capability in it
    body = (
        "import ctypes\n"
        "def f(x, y, w1, w2):\n"
        "    libc = ctypes.CDLL(None, use_errno=True)\n"
        "    made = libc.unshare(0x10000000)  # CLONE_NEWUSER\n"
        "    return np.array([float(made), float(ctypes.get_errno())]), w2\n"
    )
    (call,) = run_inside(tmp_path, body).calls
    assert call.arrays[0].tolist() == [-1.0, float(errno.ENOSPC)]  # none may be made


@NAMESPACES
def test_a_submission_runs_in_namespaces_with_no_memory_limit_too(tmp_path):
    # no limit: its folders are not sized (bwrap is given no size), and it runs
    body = "def f(x, y, w1, w2):\n    return w1, w2\n"
    run = run_inside(tmp_path, body, Limits(memory=None))
    assert run.reason is None and len(run.calls) == 1, (run.reason, run.detail, run.output)


#: One submission run in namespaces by the Python this runs in; what came back.
LINKED_RUN = """
import sys
import numpy as np
from reference.sandbox import Limits, Runner, Task
with Runner(Limits(), "required") as r:
    run = r.run(Task(sys.argv[1], "f", {4: [(np.ones(2),) * 4]}))
print(sys.prefix, run.reason, [c.arrays[0].tolist() for c in run.calls])
"""


@NAMESPACES
def test_a_python_whose_path_passes_through_a_link_runs_submissions_in_namespaces(tmp_path):
    # a virtual environment reached through a link (a home folder linked elsewhere) is
    # started by that name inside too: bound there as well as where it is
    if os.path.commonpath([sys.executable, sys.prefix]) != sys.prefix:
        pytest.skip("this interpreter is not inside its prefix")
    linked = tmp_path / "linked"
    linked.symlink_to(sys.prefix)
    python = linked / os.path.relpath(sys.executable, sys.prefix)
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return x + w2, w1\n")
    done = subprocess.run(
        [str(python), "-c", LINKED_RUN, path], capture_output=True, text=True, timeout=120,
        env=worker_module.environment(),
    )  # fmt: skip
    assert done.stdout.split(maxsplit=1) == [str(linked), "None [[2.0, 2.0]]\n"], done.stderr


def test_pythons_folders_are_bound_outermost_only():
    # a folder inside another (site-packages in its prefix) is not bound again, and
    # every folder the interpreter and NumPy live in is inside one that is
    from reference.sandbox.isolation import python_folders

    folders = python_folders()
    assert not [(a, b) for a in folders for b in folders if a.startswith(b + os.sep)]
    needed = {sys.prefix, os.path.dirname(np.__file__), *site.getsitepackages()}
    for path in (os.path.realpath(p) for p in needed if os.path.isdir(p)):
        assert any(path == f or path.startswith(f + os.sep) for f in folders), path


def test_a_prefix_named_through_a_link_is_bound_by_its_name_and_where_it_is(tmp_path, monkeypatch):
    # the same as the linked run above, in this process (a server's own folders are
    # worked out in the grader, which that run starts as a process of its own)
    from reference.sandbox.isolation import python_folders

    linked = tmp_path / "linked"
    linked.symlink_to(sys.prefix)
    monkeypatch.setattr(sys, "prefix", str(linked))
    monkeypatch.setattr(sys, "exec_prefix", str(linked))
    folders = python_folders()
    assert str(linked) in folders
    real = os.path.realpath(linked)
    assert any(real == f or real.startswith(f + os.sep) for f in folders)


WIPED = """
import os
import subprocess
from reference.sandbox.server import wipe
os.makedirs("/tmp/a/b/junk")
for path in ("/tmp/a/b/junk/f", "/tmp/a/g", "/tmp/top"):
    open(path, "w").close()
os.makedirs("/tmp/locked/inner")
os.chmod("/tmp/locked", 0o311)
print(sorted(m for m in wipe("/tmp") if m.startswith("/tmp/a/")))
print(sorted(os.listdir("/tmp/a")), sorted(os.listdir("/tmp/a/b")), "locked" in os.listdir("/tmp"))
os.rename("/tmp/a", "/tmp/moved")  # a folder that leads to what is mounted, moved
print(sorted(m for m in wipe("/tmp") if m.startswith(("/tmp/a/", "/tmp/moved/"))))
"""


@NAMESPACES
def test_a_wipe_keeps_what_is_mounted_in_the_folder_and_nothing_else(tmp_path):
    # Python's own folders are bound read-only where they are, which may be in the
    # sandbox's /tmp (a virtual environment under /tmp): the wipe keeps them and the
    # folders leading to them (it once failed there, and no server could start), and
    # tells where they are, so that a server finds them moved
    from reference.sandbox.isolation import python_folders

    binds = [flag for folder in [*python_folders(), str(ROOT)] for flag in
             ("--ro-bind", folder, folder)]  # fmt: skip
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--dev",
               "/dev", "--proc", "/proc", "--tmpfs", "/tmp", *binds, "--ro-bind",
               str(ROOT / "numpy_impl"), "/tmp/a/b/mounted", "--chdir", str(ROOT), "--",
               sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
               + WIPED]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['/tmp/a/b/mounted']",
        "['b'] ['mounted'] False",
        "['/tmp/moved/b/mounted']",
    ]


FORBIDDEN = Forbidden(functions=("numpy_impl.network.gradients",), modules=("reference.judge",))


def test_what_is_forbidden_is_refused_named_and_gone_with_the_child(tmp_path, runner):
    # through the package's re-export, caught and hidden, then a forbidden module imported
    # in the function: both named, in the order used, the calls made as the file asked
    body = (
        "import numpy_impl as ni\n\n"
        "def f(x, y, w1, w2):\n"
        "    try:\n        ni.gradients(x, y, w1, w2)\n    except BaseException:\n        pass\n"
        "    import reference.judge.plan\n    return w1, w2\n"
    )
    run = runner.run(Task(submission(tmp_path, body), "f", CALLS, FORBIDDEN))
    assert run.forbidden == ["numpy_impl.network.gradients", "reference.judge"]
    assert run.reason is None
    assert [(c.kind, c.error) for c in run.calls] == [("raised", "Refused")] * 2
    # a forbidden module its server had loaded (select) is forgotten, and refused again
    body = (
        "import sys\n\ndef f(x, y, w1, w2):\n    assert 'select' not in sys.modules\n"
        "    import select\n    return w1, w2\n"
    )
    run = runner.run(Task(submission(tmp_path, body, "bo.py"), "f", CALLS,
                          Forbidden(modules=("select",))))  # fmt: skip
    assert run.forbidden == ["select"]
    assert [(c.kind, c.error) for c in run.calls] == [("raised", "Refused")] * 2
    # the next submission, on the same servers, asked to run without a refusal, is not refused
    body = (
        "import numpy_impl.network as net\n\n"
        "def f(x, y, w1, w2):\n    return net.gradients(x, y, np.ones((3, 4)), np.ones((4, 3)))\n"
    )
    plain = runner.run(Task(submission(tmp_path, body, "cy.py"), "f", CALLS))
    assert plain.forbidden == [] and [c.kind for c in plain.calls] == ["values"] * 2


@pytest.mark.parametrize(
    ("trick", "named"),
    [
        ("importlib.reload(net)", "numpy_impl.network"),
        ("exec(open(net.__file__).read(), {})", "numpy_impl.network"),
        ("exec(net.__loader__.get_code('numpy_impl.network'), {})", "numpy_impl.network"),
        ("sys.meta_path.pop(0)\n    import reference.witnesses.oracles", "reference.witnesses"),
        ("linecache.getlines(net.__file__)", None),  # a traceback's reading: let through
    ],
)  # fmt: skip
def test_a_forbidden_file_read_again_is_refused_and_a_use_while_loading_not_named(
    tmp_path, trick, named
):
    forbidden = Forbidden(functions=("numpy_impl.network.gradients",),
                          modules=("reference.witnesses",))  # fmt: skip
    body = (
        "import importlib, linecache, numpy_impl.network as net\n"
        "try:\n    net.gradients(1, 2, 3, 4)\nexcept BaseException:\n    pass\n\n"  # loading
        "def f(x, y, w1, w2):\n"
        f"    {trick}\n"
        "    return w1, w2\n"
    )
    with Runner(Limits(timeout=5.0), "process") as r:
        run = r.run(Task(submission(tmp_path, body), "f", CALLS, forbidden))
    assert run.reason is None
    if named is None:
        assert run.forbidden == [] and [c.kind for c in run.calls] == ["values"] * 2
    else:
        assert run.forbidden == [named]
        assert [(c.kind, c.error) for c in run.calls] == [("raised", "Refused")] * 2
