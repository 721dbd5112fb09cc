"""The class grader's loop (classroom.grade) driven by a sandbox that starts no process
(each child's end is scripted here), and the verdict on a run of a described network:
the jobs at a time beside a notebook that is none, that notebook's network, a child
whose deadline is exactly now, the cells of a notebook let go once its runs have
ended, and a verdict's loss. Nothing here runs in a child: a mutant of the grader is
active where these run."""

import json
import weakref
from types import SimpleNamespace
from typing import ClassVar

import pytest

from reference.grading import classroom
from reference.grading.classroom import grade, verdict_on
from reference.sandbox import Limits, Run
from reference.witnesses.networks import read

LIMITS = Limits(3.0, 2**30)
#: The frozen clock of the test of a deadline (time.monotonic as the grader reads it).
NOW = 1000.0
MODULE = "import numpy as np\n\n\ndef backprop(x, y, w1, w2):\n    return w1, w2\n"


class Instant:
    """A sandbox that starts no process: every child ends as soon as it starts (it
    exited, says its run); the most children it had at once."""

    made: ClassVar[list] = []

    def __init__(self, limits, sandbox="auto"):
        self.limits, self.count, self.most = limits, 0, 0
        self.ended, self.running, self.waited = set(), {}, set()
        type(self).made.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.running.clear()

    def start(self, task):
        self.count += 1
        self.running[self.count] = task
        self.most = max(self.most, len(self.running))
        self.child_started(self.count)
        return self.count

    def child_started(self, ticket):
        self.ended.add(ticket)

    def deadline(self, ticket):
        return float("inf")

    def wait(self, tickets):
        self.waited.update(tickets)

    def finish(self, ticket):
        task = self.running.pop(ticket)
        self.ended.discard(ticket)
        return self.run_of(task)

    def run_of(self, task):
        return Run(task.path, task.function, reason="exited", detail="status 0", loaded=True)

    def tasks(self):
        return dict(self.running)


class Late(Instant):
    """A sandbox whose children never end of themselves: each runs until its deadline,
    which is NOW, and is then ended (its run: out of time), as the Runner's finish
    does. Its wait returns at once for a child whose deadline has come, as the
    Runner's does: a grader that waits on such a child again would wait forever, so it
    fails here instead."""

    made: ClassVar[list] = []

    def child_started(self, ticket):
        pass

    def deadline(self, ticket):
        return NOW

    def wait(self, tickets):
        again = [t for t in tickets if t in self.waited and self.deadline(t) <= NOW]
        assert not again, f"waited again on children whose time is up: {again}"
        super().wait(tickets)

    def run_of(self, task):
        return Run(task.path, task.function, reason="timeout",
                   detail=f"{self.limits.timeout:g} s", loaded=True)  # fmt: skip


def _module(folder, name):
    (folder / name).write_text(MODULE)
    return (str(folder / name), "backprop")


def _notebook(folder, name):
    cell = {"cell_type": "code", "metadata": {}, "source": MODULE, "outputs": [],
            "execution_count": None}  # fmt: skip
    (folder / name).write_text(json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5}))
    return (str(folder / name), "backprop")


def _none(folder, name):
    """A notebook that is none: its file is not JSON."""
    (folder / name).write_text("not a notebook")
    return (str(folder / name), "backprop")


def test_a_notebook_that_is_none_takes_no_place_among_the_jobs(tmp_path):
    """Two jobs at a time: the notebook between two modules is not read and starts no
    child, so both modules' children are started before the grader waits on any."""
    Instant.made.clear()
    given = [_module(tmp_path, "a.py"), _none(tmp_path, "b.ipynb"), _module(tmp_path, "c.py")]
    verdicts = grade(given, "mse", LIMITS, 2, runner=Instant)
    (sandbox,) = Instant.made
    assert sandbox.count == 2 and sandbox.most == 2
    assert [(v.status, v.reason) for v in verdicts] == [
        ("unchecked", "exited"), ("unchecked", "unreadable"), ("unchecked", "exited")]  # fmt: skip


def test_a_notebook_that_is_none_is_said_of_the_network_described(tmp_path):
    """A notebook not read, in a class of a described network: its verdict names that
    network (as every verdict of the class does), and its loss is said as the network's."""
    columns = read("columns")
    (found,) = grade([_none(tmp_path, "n.ipynb")], runner=Instant, network=columns)
    assert (found.status, found.reason) == ("unchecked", "unreadable")
    assert found.network is columns
    assert found.loss_words == f"{columns.loss_words()} (network columns)"
    assert found.loss == columns.loss == "bce"  # not the "mse" grade was handed


@pytest.mark.parametrize("jobs", [0, -1])
def test_a_class_graded_with_no_job_at_a_time_is_refused(tmp_path, jobs):
    """No job at a time could never grade anyone: refused, not a loop without end."""
    with pytest.raises(ValueError, match=f"jobs must be 1 or more, not {jobs}"):
        grade([_module(tmp_path, "a.py")], runner=Instant, jobs=jobs)


def test_a_child_whose_deadline_is_exactly_now_is_ended_and_judged(tmp_path, monkeypatch):
    """The grader's clock reads NOW, the child's deadline: its time is up (as the Runner's
    finish has it: no time left at the deadline), so it is finished and judged: out of
    time, not waited on again."""
    monkeypatch.setattr(classroom, "time", SimpleNamespace(monotonic=lambda: NOW))
    Late.made.clear()
    (found,) = grade([_module(tmp_path, "a.py")], "mse", LIMITS, runner=Late)
    assert (found.status, found.reason) == ("unchecked", "timeout")
    (sandbox,) = Late.made
    assert sandbox.running == {}  # finished, by the grader


@pytest.mark.parametrize("forward", ["", "forward"])
def test_a_notebooks_cells_are_let_go_once_its_runs_have_ended(tmp_path, monkeypatch, forward):
    """One job at a time, three notebooks (their backprop, and their forward pass when it
    is judged too): when the grader says the k-th submission is graded, the cells of the
    notebooks before the k-th are held no more (every run of theirs has ended); a class
    of notebooks is never held whole."""
    prepared, kept, seen = classroom.prepared, [], {}

    def watched(path, function, network=None):
        made = prepared(path, function, network)
        kept.append(weakref.ref(made[1]))
        return made

    def progress(stage, done, total):
        seen[done] = [ref() is None for ref in kept[: max(done - 1, 0)]]

    monkeypatch.setattr(classroom, "prepared", watched)
    given = [_notebook(tmp_path, f"n{i}.ipynb") for i in range(3)]
    verdicts = grade(given, "mse", LIMITS, 1, progress, runner=Instant, forward=forward)
    assert [v.reason for v in verdicts] == ["exited"] * 3
    assert [v.forward is not None for v in verdicts] == [bool(forward)] * 3
    assert len(kept) == 3
    assert seen == {0: [], 1: [], 2: [True], 3: [True, True]}


def test_the_verdict_on_a_described_networks_run_is_under_that_networks_loss():
    """The loss given is the article's (mse); the network columns has its own (bce, as its
    description says): a verdict on its run is under bce."""
    columns = read("columns")
    assert columns.loss == "bce"
    found = verdict_on(Run("a.py", "backprop", reason="timeout", detail="3 s"), "mse",
                       network=columns)  # fmt: skip
    assert (found.loss, found.network, found.status) == ("bce", columns, "unchecked")
