"""The sandbox (reference/sandbox/) on small submissions written here: what a
child hands back (arrays as returned, the calls for its number of parameters,
what it printed), each way a child can end (its own exit, a signal, a named and
an unnamed one, its time limit), the calls written once for a class, the
report read back as it was written, and nothing left behind."""

import os
import signal
import sys
import tempfile
import time

import numpy as np
import pytest

from reference.sandbox import OUTPUT_SHOWN, Call, Limits, Runner, Task, records
from reference.sandbox import runner as runner_module
from tests.helpers import ROOT

X = np.arange(6.0).reshape(2, 3)
INPUTS = [(X, X + 1, X + 2, X + 3), (2 * X, 2 * X + 1, 2 * X + 2, 2 * X + 3)]
#: The calls a class is given: four arguments, or five with a number last.
CALLS = {4: INPUTS, 5: [(*call, 0.1) for call in INPUTS]}


def task(path, function="f", calls=CALLS):
    return Task(path, function, calls)


@pytest.fixture(scope="module")
def runner():
    with Runner(Limits(timeout=5.0)) as r:
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


def test_printed_output_is_cut_and_counted(tmp_path, runner):
    path = submission(tmp_path, "print('x' * 5000)\n\ndef f(x, y, w1, w2):\n    return w1, w2\n")
    run = runner.run(task(path, calls={4: INPUTS[:1]}))
    assert run.output == "x" * OUTPUT_SHOWN
    assert run.output_length == 5001  # the line and its newline


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


def test_a_child_past_its_time_is_ended_at_its_deadline(tmp_path):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    while True:\n        pass\n")
    with Runner(Limits(timeout=1.0)) as r:
        began = time.monotonic()
        pid = r.start(task(path))
        assert began + 1.0 <= r.deadline(pid) <= time.monotonic() + 1.0  # its start + its limit
        r.wait([pid])  # returns at the deadline, the child still running
        assert pid not in r.ended and time.monotonic() >= r.deadline(pid)
        run = r.finish(pid)
    assert (run.reason, run.detail, run.loaded) == ("timeout", "", True)
    assert 1.0 <= run.seconds < 11.0  # its limit, and ended then (not left to run on)


def test_wait_returns_when_the_first_child_ends(tmp_path):
    slow = submission(tmp_path, "time.sleep(3)\n", "slow.py")
    quick = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n", "quick.py")
    with Runner(Limits(timeout=10.0)) as r:
        pids = [r.start(task(slow)), r.start(task(quick))]
        r.wait(pids)
        assert pids[1] in r.ended and pids[0] not in r.ended  # back before the slow one ended
        assert r.finish(pids[1]).reason is None
        assert r.finish(pids[0]).reason == "missing"  # it slept, then had no f


def test_a_class_at_the_same_inputs_has_them_written_once(tmp_path):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits()) as r:
        for _ in range(3):
            r.run(task(path))
        written = sorted(n for n in os.listdir(r.folder) if n.startswith("inputs-"))
        other = [tuple(a + 1 for a in call) for call in INPUTS]
        run = r.run(task(path, calls={4: other}))
        assert np.array_equal(run.calls[0].arrays[0], INPUTS[0][2] + 1)
        again = sorted(n for n in os.listdir(r.folder) if n.startswith("inputs-"))
        folder = r.folder
    assert len(written) == 1 and len(again) == 2
    assert not os.path.exists(folder)  # removed on close, with every child's folder


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_closing_ends_every_child_and_the_server(tmp_path):
    path = submission(tmp_path, "time.sleep(60)\n")
    r = Runner(Limits(timeout=60.0))
    pids = [r.start(task(path)) for _ in range(2)]
    server = r.server
    r.close()
    assert server.poll() is not None and r.running == {}
    time.sleep(0.2)  # the killed children are reaped
    assert not any(alive(pid) for pid in pids)


def alive(pid):
    """Whether ``pid`` is a process still running (not a zombie left to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def test_a_server_that_ended_is_an_error_not_a_hang(tmp_path):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    return w1, w2\n")
    with Runner(Limits()) as r:
        r.server.kill()
        r.server.wait()
        with pytest.raises((RuntimeError, BrokenPipeError), match=r"ended unexpectedly|Broken"):
            r.run(task(path))


def test_the_childs_environment_is_little_of_the_graders(monkeypatch):
    # the project first on the path, one BLAS thread; of the grader's own, only the
    # innocuous and the project's
    root = str(ROOT)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    monkeypatch.setenv("API_TOKEN", "secret")
    monkeypatch.setenv("NUMPY_IMPL_MARK", "mine")
    env = runner_module.child_environment()
    assert env["PYTHONPATH"] == root and env["OMP_NUM_THREADS"] == "1"
    assert env["NUMPY_IMPL_MARK"] == "mine" and env["HOME"] == os.environ["HOME"]
    assert "API_TOKEN" not in env and set(env) <= {
        *runner_module.PASSED, "PYTHONPATH", "NUMPY_IMPL_MARK",
        "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
    }  # fmt: skip
    # another interpreter of the project (the exercise's judge) keeps all of this one's
    full = runner_module.environment(OMP_NUM_THREADS="1")
    assert full["PYTHONPATH"] == os.pathsep.join([root, "/elsewhere"])
    assert full["API_TOKEN"] == "secret" and full["OMP_NUM_THREADS"] == "1"
    monkeypatch.delenv("PYTHONPATH")
    assert runner_module.environment()["PYTHONPATH"] == root


def test_run_ends_a_function_that_never_returns_at_its_limit(tmp_path):
    path = submission(tmp_path, "def f(x, y, w1, w2):\n    while True:\n        pass\n")
    with Runner(Limits(timeout=1.0)) as r:
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


def test_each_childs_folder_is_removed_when_it_is_finished(tmp_path, runner):
    path = submission(tmp_path, "open('left.txt', 'w').write('x')\n\ndef f(x, y, w1, w2):\n"
                      "    return w1, w2\n")  # fmt: skip
    before = set(os.listdir(runner.folder))
    runner.run(task(path))
    assert set(os.listdir(runner.folder)) <= before | {
        n for n in os.listdir(runner.folder) if n.startswith("inputs-")
    }
    assert not os.path.exists(tmp_path / "left.txt")  # written in the child's own folder


def test_a_child_has_one_blas_thread_and_the_project_on_its_path(tmp_path):
    # one BLAS thread a child (a class graded side by side), the repository on PYTHONPATH
    root = str(ROOT)
    body = (
        "def f(x, y, w1, w2):\n"
        "    names = ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')\n"
        "    ones = [os.environ.get(n) == '1' for n in names]\n"
        f"    first = os.environ['PYTHONPATH'].split(os.pathsep)[0] == {root!r}\n"
        "    return np.array(ones, dtype=float), np.array([first], dtype=float)\n"
    )
    with Runner(Limits()) as r:  # a runner of its own: its making is part of what is checked
        run = r.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert run.calls[0].arrays[0].tolist() == [1.0, 1.0, 1.0]
    assert run.calls[0].arrays[1].tolist() == [1.0]


def test_a_runners_folders_are_its_own_and_go_with_it(tmp_path, monkeypatch):
    # every folder it makes is inside one, named for what it is, removed on close,
    # even with children still running
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    os.mkdir(tmp_path / "tmp")
    path = submission(tmp_path, "time.sleep(60)\n")
    with Runner(Limits(timeout=60.0)) as r:
        (name,) = os.listdir(tmp_path / "tmp")
        assert name.startswith("numpy-impl-grading-")
        r.start(task(path))
    assert os.listdir(tmp_path / "tmp") == []


def test_a_server_that_ended_is_said_in_one_line(tmp_path):
    path = submission(tmp_path, "time.sleep(5)\n")
    with Runner(Limits(timeout=10.0)) as r:
        pid = r.start(task(path))
        r.server.kill()
        with pytest.raises(RuntimeError) as ended:
            r.wait([pid])
    assert str(ended.value) == "the grader's fork server ended unexpectedly"


def test_what_a_child_printed_is_counted_past_what_is_kept(tmp_path, runner):
    # 3 MiB printed: the file keeps 1 MiB, the count is all of it; bytes that are
    # not UTF-8 are shown replaced, not a reason to fail
    body = "sys.stdout.buffer.write(b'\\xff\\xfe ok\\n')\nprint('x' * (3 * 2**20))\n\n"
    body += "def f(x, y, w1, w2):\n    return w1, w2\n"
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert run.reason is None
    assert run.output.startswith("\ufffd\ufffd ok\nxxx") and len(run.output) == OUTPUT_SHOWN
    assert run.output_length == 3 * 2**20 + 1  # the characters printed (the bytes went round)


@pytest.mark.parametrize(
    "spoil", ["open('../report.json', 'w').write('{')", "os.mkdir('../report.json')"]
)
def test_a_record_the_submission_spoiled_is_no_record(tmp_path, runner, spoil):
    # where the child's record would go, something else: the run is judged by its end
    body = f"{spoil}\nos._exit(3)\n"
    run = runner.run(task(submission(tmp_path, body), calls={4: INPUTS[:1]}))
    assert (run.reason, run.detail) == ("exited", "status 3")


def test_a_report_reads_back_as_it_was_written(tmp_path):
    # the one schema: what the child writes is what the grader's side reads
    a = np.arange(4.0).reshape(2, 2).astype(np.float32)
    calls = [
        Call("values", (a, None), ("ndarray", "str"), 2),
        Call("values", length=12),
        Call("other", types=("NoneType",)),
        Call("raised", error="KeyError", message="w3", line=7),
    ]
    written = records.Report("raised", "OSError: x", 4, ["f", "g"], 4, calls, 120)
    written.write(str(tmp_path))
    read = records.Report.read(str(tmp_path))
    assert read is not None and read.calls[0].arrays[1] is None
    assert np.array_equal(read.calls[0].arrays[0], a) and read.calls[0].arrays[0].dtype == a.dtype
    assert [c.arrays[1:] for c in read.calls[1:]] == [()] * 3
    assert [(c.kind, c.types, c.length, c.error, c.message, c.line) for c in read.calls] == [
        (c.kind, c.types, c.length, c.error, c.message, c.line) for c in calls
    ]
    assert (read.reason, read.detail, read.line, read.functions, read.parameters, read.printed) == (
        "raised", "OSError: x", 4, ["f", "g"], 4, 120)  # fmt: skip
    (tmp_path / records.ARRAYS).unlink()
    assert records.Report.read(str(tmp_path)) is None  # half a report is none


def test_calls_read_back_as_they_were_saved(tmp_path):
    path = str(tmp_path / "calls.npz")
    records.save_calls(path, {4: INPUTS, 5: [(*INPUTS[1], 0.25)]})
    loaded = records.load_calls(path)
    assert sorted(loaded) == [4, 5] and len(loaded[4]) == 2
    assert all(np.array_equal(a, b) for a, b in zip(loaded[4][1], INPUTS[1]))
    assert type(loaded[5][0][4]) is float and loaded[5][0][4] == 0.25


def test_a_request_is_one_line_and_reads_back():
    made = records.Request("/t/1", "/t/in.npz", "/c/ana.py", "grads", None)
    line = made.line()
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert records.Request.parse(line) == made
