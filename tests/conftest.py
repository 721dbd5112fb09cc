"""Shared test set-up: which tests need torch, and the verification summary
printed (and saved) after a run."""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import importlib.metadata
import json
import os
import platform
import signal
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pytest

from reference.sandbox import Limits, Run, Runner, Task
from reference.witnesses.compare import RECORDS, merge

# torch is optional; looked up without importing it (an import costs seconds)
try:
    TORCH: Optional[str] = importlib.metadata.version("torch")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - depends on the environment
    TORCH = None

# The one rule for what needs torch: the files named test_parity_*.py, the live
# comparisons with the PyTorch mirror, and no others. Without torch they are
# not collected (the summary says so); with it, each of their tests carries
# the "torch" marker, which nox's torch sessions select.
PARITY = "test_parity_*.py"
collect_ignore_glob = [f"*/{PARITY}"] if TORCH is None else []  # in every room's folder

# mutmut's first run (nox -s mutation), which notes the functions each test reaches,
# counts calls in this process only (mutmut keeps its own copy of the setting, which
# the trampolines read when the variable is gone), and a grader a test starts from a
# folder of its own would look for mutmut's settings there and fail: the processes
# the tests start run the code unmutated for that run; this process still knows it.
STATS = os.environ.get("MUTANT_UNDER_TEST") == "stats"
if STATS:
    del os.environ["MUTANT_UNDER_TEST"]


def mutant_under_test() -> Optional[str]:
    """The mutant mutmut runs the tests under ("stats" in its first run), or None."""
    return "stats" if STATS else os.environ.get("MUTANT_UNDER_TEST")


def pytest_collection_modifyitems(items: List[Any]) -> None:
    for item in items:
        if fnmatch.fnmatch(item.path.name, PARITY):
            item.add_marker(pytest.mark.torch)
    if mutant_under_test() not in (None, "stats", "fail") and os.path.isfile(MUTMUT_STATS):
        seconds = first_run_seconds(MUTMUT_STATS)
        items[:] = quickest_files_first(items, seconds)
        HANG_LIMITS.update(hang_limits(items, seconds))


# Under a mutant, mutmut runs the tests that reach its function and stops at the first
# that fails, in no chosen order: a file of quick tests that kills the mutant could come
# after minutes of others. Its first run timed each test (the file mutmut keeps in the
# folder the tests run from): the files are run quickest first, each file's tests in
# their own order (its fixtures shared as before). What runs is the same; only sooner.
MUTMUT_STATS = "mutmut-stats.json"


def first_run_seconds(stats: str) -> Dict[str, float]:
    """Each test's time in mutmut's first run (its "duration_by_test" in ``stats``)."""
    with open(stats) as f:
        seconds: Dict[str, float] = json.load(f).get("duration_by_test", {})
    return seconds


def quickest_files_first(items: List[Any], seconds: Dict[str, float]) -> List[Any]:
    """``items`` grouped by file, the files in order of their tests' ``seconds`` (by
    node id), in their own order within a file."""

    def file_of(item: Any) -> str:
        return str(item.nodeid.split("::")[0])

    per_file: Dict[str, float] = {}
    for item in items:
        per_file[file_of(item)] = per_file.get(file_of(item), 0.0) + seconds.get(item.nodeid, 0.0)
    return sorted(items, key=lambda item: (per_file[file_of(item)], file_of(item)))


# Under a mutant, a test that runs ten times as long as it did in mutmut's first run
# (30 s at least) is stopped there and fails: a mutant that makes the sandbox wait
# forever is killed at ten times one test's time, not at mutmut's bound for all its
# tests together (a quarter of an hour for the sandbox's). A hang is a kill either way;
# the first run timed the tests while it traced them, slower than they run under a
# mutant. Only a test's call is bounded: a fixture that hangs is left to mutmut's bound
# (its setup was not timed apart).
HANG_FACTOR, HANG_FLOOR = 10.0, 30.0
HANG_LIMITS: Dict[str, float] = {}


class Hung(BaseException):
    """A test stopped at its hang limit (under a mutant only): not an Exception, so that
    code that turns any Exception into a verdict does not catch it and go on."""


def hang_limits(items: List[Any], seconds: Dict[str, float]) -> Dict[str, float]:
    """Each test's limit: HANG_FACTOR times its ``seconds``, HANG_FLOOR at least."""
    return {i.nodeid: max(HANG_FLOOR, HANG_FACTOR * seconds.get(i.nodeid, 0.0)) for i in items}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: Any) -> Any:
    limit = HANG_LIMITS.get(item.nodeid)
    if limit is None:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Hung(f"{item.nodeid} ran past {limit:g} s under a mutant")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def environment() -> Dict[str, Any]:
    """What the checks ran on: Python, NumPy, torch, BLAS, platform."""
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")  # NumPy >= 1.26
        blas_info = config.get("Build Dependencies", {}).get("blas", {})
        blas = f"{blas_info.get('name', '?')} {blas_info.get('version', '')}".strip()
    except TypeError:  # older NumPy: show_config has no mode
        blas = "see numpy.show_config()"
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": TORCH,
        "blas": blas,
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


# With pytest-xdist (-n), each worker keeps its own records: it hands them to
# the controller when it finishes, and the controller merges them.
def pytest_sessionfinish(session: Any) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # this process is an xdist worker
        workeroutput["verification"] = [vars(r) for r in RECORDS.values()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for entry in getattr(node, "workeroutput", {}).get("verification", []):
        merge(entry)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not RECORDS:
        return
    tr = terminalreporter
    tr.section("verification summary (largest errors seen; rel = max abs / max |reference|)")
    tr.write_line(
        f"{'step':24s} {'tensor':22s} {'oracle':14s} {'dtype':8s} "
        f"{'max abs':>10s} {'max rel':>10s} {'tolerance':>10s} {'checks':>7s}"
    )
    for r in sorted(RECORDS.values(), key=lambda r: (r.step, r.tensor, r.oracle, r.dtype)):
        tr.write_line(
            f"{r.step:24s} {r.tensor:22s} {r.oracle:14s} {r.dtype:8s} {r.max_abs:10.2e} "
            f"{r.max_rel:10.2e} {r.tolerance:10.0e} {r.checks:7d}"
            + (f"  {r.note}" if r.note else "")
        )
    if TORCH is None:
        tr.write_line(
            f"torch is not installed: the live PyTorch comparisons ({PARITY}) were not "
            "run; numpy_impl was checked against the golden vectors and the NumPy oracles."
        )
    path = os.environ.get("NUMPY_IMPL_VERIFICATION_JSON")
    if path:
        payload = {
            "session": os.environ.get("NUMPY_IMPL_SESSION", "pytest"),
            "environment": environment(),
            "records": [vars(r) for r in RECORDS.values()],
        }
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump(payload, f, indent=1, default=float)
        tr.write_line(f"verification record written to {path}")


@pytest.fixture(scope="session")
def article_job() -> Any:
    """numpy_impl.train() with no arguments, the article's job, trained once per
    test process for the tests that only need a trained network."""
    import numpy_impl as ni

    return ni.train()


# --- The sandbox a test hands in, and under nox -s mutation ------------------
# mutmut names the mutant under test in MUTANT_UNDER_TEST ("stats" while it maps
# tests to functions). A submission's child runs the sandbox's child side and
# the submission, in an environment that does not carry MUTANT_UNDER_TEST
# (reference.sandbox.worker.child_environment), so it runs the unmutated code:
# what it hands back is the same under every mutant but those of the sandbox
# (SANDBOX), and is recorded the first time (live) and replayed after that,
# which makes the judge's mutants testable in the session's time. The tests
# that run submissions through the grading room hand in the fixture
# ``sandbox``: the Runner itself, or under a mutant the ReplayingRunner. Under
# a mutant of the sandbox every run is live, but in the tests marked
# replayed_runs, which check the judge's verdicts (the sandbox's own tests
# check it live). Another process of the project a test starts (the exercise's
# judge: the product_in_child tests) runs the unmutated copy too: the mutant
# lives in the test's own process alone.

_RECORDED: Dict[Tuple[Any, ...], Run] = {}
#: The sandbox, and the grader's loop that drives it (its timing, its children):
#: their mutants run every child live.
SANDBOX = ("reference.sandbox.", "reference.grading.classroom.x_grade__")


def _key(task: Task, limits: Limits) -> Any:
    """What a child's run depends on: the file's bytes, the function, every
    argument of every call, and the limits (a file not there: its error's number)."""
    try:
        with open(task.path, "rb") as f:
            digest = hashlib.sha256(f.read())
    except OSError as error:  # the child says what it is; that run is recorded too
        digest = hashlib.sha256(f"errno {error.errno}".encode())
    for count, made in sorted(task.calls.items()):
        digest.update(f"{count}:".encode())
        for arguments in made:
            for a in map(np.asarray, arguments):
                digest.update(f"{a.dtype.str}{a.shape}".encode() + a.tobytes())
    return (os.path.abspath(task.path), digest.hexdigest(), task.function, limits)


class ReplayingRunner(Runner):
    """A Runner that replays a run recorded with the same key (its tickets negative);
    the sandbox is started only when a run is not recorded yet."""

    def __init__(self, limits: Limits, sandbox: str = "auto") -> None:
        self.limits, self.sandbox, self.live = limits, sandbox, False
        self.ended, self.running, self.replayed, self.keys = set(), {}, {}, {}
        self.replays = 0  # each replay's ticket is minus its number: never one in use

    def start(self, task: Task) -> int:
        key = _key(task, self.limits)
        if key in _RECORDED:
            self.replays += 1
            ticket = -self.replays
            self.replayed[ticket] = (task, copy.deepcopy(_RECORDED[key]))
            self.ended.add(ticket)
            return ticket
        if not self.live:
            ended = self.ended
            Runner.__init__(self, self.limits, self.sandbox)
            self.ended.update(ended)
            self.live = True
        ticket = Runner.start(self, task)
        self.keys[ticket] = key
        return ticket

    def deadline(self, ticket: int) -> float:
        return time.monotonic() if ticket in self.replayed else Runner.deadline(self, ticket)

    def wait(self, tickets: Sequence[int]) -> None:
        if not any(t in self.replayed for t in tickets):
            Runner.wait(self, tickets)

    def finish(self, ticket: int) -> Run:
        if ticket in self.replayed:
            self.ended.remove(ticket)
            return self.replayed.pop(ticket)[1]
        run = Runner.finish(self, ticket)
        _RECORDED[self.keys.pop(ticket)] = copy.deepcopy(run)
        return run

    def tasks(self) -> Dict[int, Task]:
        return {**{t: task for t, (task, _) in self.replayed.items()}, **Runner.tasks(self)}

    def close(self) -> None:
        if self.live:
            Runner.close(self)


@pytest.fixture
def sandbox(request: Any) -> Any:
    """What starts the sandbox, for a test that runs submissions through the grading
    room: the Runner, or under a mutant (but the sandbox's own) the ReplayingRunner."""
    mutant = mutant_under_test()
    if mutant is None:
        return Runner
    if mutant.startswith(SANDBOX) and not request.node.get_closest_marker("replayed_runs"):
        return Runner
    return ReplayingRunner


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_as_a_terminal_sends_it() -> Any:
    """A run started where SIGINT is ignored (mutmut's fork server, a shell's `cmd &`)
    hands that on to every child: the Ctrl-C tests' children get it back."""
    interrupt = signal.getsignal(signal.SIGINT)
    if interrupt == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, interrupt)


@pytest.fixture(scope="session", autouse=True)
def _caches_cleared_under_a_mutant() -> None:
    if mutant_under_test() is not None:  # what the judge computed once, again
        _clear_caches()


@pytest.fixture(scope="module")
def unmutated_children() -> Any:
    """For a module-scoped fixture that starts processes of the product: they
    run the unmutated copy (mutmut keeps the mutant's name in this process)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MUTANT_UNDER_TEST", raising=False)
        yield


def _clear_caches() -> None:
    """Forget what the judge computed once (plan, calls, state_at, candidates_at)."""
    for module in [m for name, m in sys.modules.items() if name.startswith("reference.")]:
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture(autouse=True)
def _under_a_mutant(request: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    mutant = mutant_under_test()
    if mutant is None:
        return
    if mutant == "stats":  # so that every test is seen to reach what the caches hold
        _clear_caches()
    if request.node.get_closest_marker("product_in_child"):
        monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)  # mutmut keeps its own copy
