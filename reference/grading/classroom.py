"""Grade a whole class: every submission run apart, timed, and judged in words.

The sums behind ``scripts/grade.py``; its command line is
:mod:`reference.grading.cli`, what it shows and writes (the table, JSON, CSV
and feedback files) :mod:`reference.grading.gradebook`.

Each submission runs in a child process of its own (:mod:`reference.sandbox`),
under the same limits, several at a time; each is judged here as it ends
(:func:`reference.judge.diagnosis`), by candidates this process computes and
the submissions never touch. Every submission gets a :class:`Verdict`:
``correct``, ``wrong`` or ``unchecked`` (with the reason: timeout, exited,
crashed, raised, memory, syntax, missing, bad-output, copied: it used the project's
own code for its answer), and the class a
:class:`Summary`: how many are correct, and the most common mistakes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

from numpy_impl.progress import Progress
from reference.grading.notebook import Cells, cells_of, top_names
from reference.grading.single import (
    FORBIDDEN,
    Sandbox,
    backprop_calls,
    forward_first,
    forwards_called,
    judged,
    started,
)
from reference.judge import (
    DEFAULT,
    Contract,
    Diagnosis,
    StudentError,
    forward_calls,
    judge_forward,
)
from reference.sandbox import Limits, Run, Task, read_source
from reference.witnesses.losses import LOSSES
from reference.witnesses.networks import Description

#: The stages a grading tells its progress callback of, and what each counts.
STAGES = {"grading": "submissions"}


@dataclass
class Verdict:
    """One submission's grade: its status, why it could not be checked (if so),
    the diagnosis (if it could), what it printed, and how long it took."""

    file: str
    function: str
    loss: str
    status: str  # "correct", "wrong" or "unchecked"
    reason: Optional[str] = None  # why unchecked
    message: str = ""  # the reason in one line, for the student
    line: Optional[int] = None  # the line of the student's file it points to
    diagnosis: Optional[Diagnosis] = None
    output: str = ""  # what it printed, cut to a readable length
    output_length: int = 0
    seconds: float = 0.0
    contract: Contract = DEFAULT  # what the teacher required, and the points
    forward: Optional[Forward] = None  # the forward pass's, where it was judged too
    network: Optional[Description] = None  # the network described, None: the article's

    @property
    def loss_words(self) -> str:
        """What the function is checked against, in words."""
        if self.network is not None:
            return f"{self.network.loss_words()} (network {self.network.name})"
        return LOSSES[self.loss].words

    @property
    def score(self) -> float:
        """The points of the parts that hold (none, unchecked), and the forward pass's
        where it was judged and is correct."""
        found = self.diagnosis.score if self.diagnosis is not None else 0.0
        right = self.forward is not None and self.forward.status == "correct"
        return found + (self.contract.forward if right else 0.0)

    @property
    def max_score(self) -> float:
        judged = self.contract.forward if self.forward is not None else 0.0
        return sum(self.contract.points.values()) + judged

    @property
    def mistakes(self) -> List[str]:
        """The catalogue's names of its mistakes, each once."""
        if self.diagnosis is None:
            return []
        names = [m for layer in self.diagnosis.layers for m in layer.mistakes]
        return list(dict.fromkeys(names))

    @property
    def unmatched(self) -> List[str]:
        """The layers no entry of the catalogue matches."""
        if self.diagnosis is None:
            return []
        return [layer.name for layer in self.diagnosis.layers if layer.unmatched]


@dataclass(frozen=True)
class Forward:
    """A submission's forward pass, judged beside its backprop (``--forward``): the
    function, its status (correct, wrong, unchecked, or not written yet), the words,
    and why it was not checked (``reason``, as a :class:`Verdict`'s)."""

    function: str
    status: str
    lines: List[str]
    reason: Optional[str] = None


@dataclass
class Summary:
    """The class at a glance."""

    submissions: int
    correct: int
    wrong: int
    unchecked: int
    mistakes: List[Tuple[str, int]] = field(default_factory=list)  # most common first
    reasons: List[Tuple[str, int]] = field(default_factory=list)  # of the unchecked ones
    outside: int = 0  # wrong with a layer outside the catalogue
    forwards: int = 0  # forward passes judged (--forward)
    forwards_correct: int = 0

    @property
    def all_correct(self) -> bool:
        """Every submission correct, and every forward pass judged too."""
        return self.correct == self.submissions and self.forwards_correct == self.forwards


#: The files a submission may be: a module, or a notebook (reference/grading/notebook.py).
SUFFIXES = (".py", ".ipynb")


def submissions(paths: Sequence[str], function: str) -> List[Tuple[str, str]]:
    """(file, function) for every submission: a file, ``file.py:function``, or a
    folder (its ``*.py`` and ``*.ipynb`` files, in order). ``ValueError`` (one line)
    for a path that is not there, or a folder without such files. ``function`` may
    name several, by commas: each file's is the first it defines."""
    found: List[Tuple[str, str]] = []
    for given in paths:
        path, name = given, function
        if not os.path.exists(given) and ":" in given:
            path, _, name = given.rpartition(":")
        if os.path.isdir(path):
            files = sorted(str(p) for p in Path(path).iterdir() if p.suffix in SUFFIXES)
            if not files:
                raise ValueError(f"no .py or .ipynb files in {path}")
            found += [(f, name) for f in files]
        elif os.path.isfile(path):
            if not path.endswith(SUFFIXES):
                raise ValueError(f"not a .py or .ipynb file: {path}")
            found.append((path, name))
        else:
            raise ValueError(f"no such file or folder: {path}")
    if not found:
        raise ValueError("no submissions given")
    return found


def verdict_on(
    run: Run, loss: str, contract: Contract = DEFAULT, network: Optional[Description] = None
) -> Verdict:
    """The verdict on one run, under the teacher's ``contract`` (of the described
    ``network``, when one is given): its diagnosis, or why it has none."""
    loss = network.loss if network is not None else loss
    verdict = Verdict(
        run.path, run.function, loss, "unchecked", output=run.output,
        output_length=run.output_length, seconds=run.seconds, contract=contract,
        network=network,
    )  # fmt: skip
    try:
        found = judged(run, loss, contract, network)
    except StudentError as err:
        verdict.reason, verdict.message, verdict.line = err.reason, str(err), err.line
        return verdict
    except Exception as err:  # one submission's answers never end a class's grading
        verdict.reason = "bad-output"
        verdict.message = f"what it returned could not be read ({type(err).__name__}: {err})"
        return verdict
    verdict.diagnosis = found
    verdict.status = "correct" if found.ok else "wrong"
    return verdict


def grade(
    given: Sequence[Tuple[str, str]], loss: str = "mse", limits: Optional[Limits] = None,
    jobs: int = 1, progress: Optional[Progress] = None, *, runner: Optional[Sandbox] = None,
    sandbox: str = "auto", contract: Contract = DEFAULT, forward: str = "",
    network: Optional[Description] = None,
) -> List[Verdict]:  # fmt: skip
    """Grade every (file, function), ``jobs`` at a time, under ``limits`` (by default
    10 s and 2 GiB each) and the teacher's ``contract``; the verdicts in the order given.
    ``forward``: the forward pass's names, by commas, to judge it too ("": not);
    ``network``: the network described (None: the article's)."""
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    verdicts: Dict[int, Verdict] = {}
    forwards: Dict[int, Forward] = {}
    called: Dict[int, List[str]] = {}  # the forward passes each backprop calls by name
    waiting = list(enumerate(given))
    ready: List[Tuple[int, str, Task]] = []  # made, waiting for a worker: (index, kind, task)
    if progress is not None:
        progress("grading", 0, len(given))
    with started(runner, limits, sandbox) as apart:
        running: Dict[int, Tuple[int, str]] = {}  # ticket -> the submission's index, kind
        cells: Dict[int, Optional[Cells]] = {}  # a notebook's, by the submission's index
        left: Dict[int, int] = {}  # the submission's tasks not finished yet
        while waiting or ready or running:
            while (waiting or ready) and len(running) < jobs:
                if ready:
                    index, kind, task = ready.pop(0)
                    running[apart.start(task)] = (index, kind)
                    continue
                index, (path, function) = waiting.pop(0)
                made = prepared(path, function, network)
                if isinstance(made, str):  # a notebook that is none
                    verdicts[index] = _unread(path, function, made, contract, forward,
                                              network=network, loss=loss)  # fmt: skip
                    continue
                task, cells[index] = made
                ready.append((index, "backprop", task))
                left[index] = 1
                if forward:
                    ready.append((index, "forward", forward_task(task, forward)))
                    called[index] = forwards_called(task.source or b"", task.function)
                    left[index] = 2
            if not running:  # the last ones were notebooks that are none
                continue
            apart.wait(list(running))
            now = time.monotonic()
            for ticket in [t for t in running if t in apart.ended or now >= apart.deadline(t)]:
                index, kind = running.pop(ticket)
                run, notebook = apart.finish(ticket), cells[index]
                left[index] -= 1
                if not left[index]:
                    del cells[index]
                if kind == "forward":
                    forwards[index] = forward_of(run, loss, notebook)
                    continue
                found = verdict_on(run, loss, contract, network)
                if notebook is not None:  # a line of the module said as a line of its cell
                    found.message, found.line = notebook.said(found.message), None
                verdicts[index] = found
                if progress is not None:
                    progress("grading", len(verdicts), len(given))
    for index, part in forwards.items():
        _with_forward(verdicts[index], part, called[index])
    return [verdicts[i] for i in range(len(given))]


def _with_forward(verdict: Verdict, forward: Forward, called: List[str]) -> None:
    """``verdict`` with its forward pass; a wrong backprop that calls (``called``: the
    forward passes it calls by name) a forward pass not right yet says so first (its words
    could send the student to lines that are right)."""
    verdict.forward = forward
    if verdict.status != "wrong" or forward.status == "correct" or forward.reason == "copied":
        return
    if forward.function in called:
        verdict.message = forward_first(verdict.function, forward.function)


def _unread(
    path: str, function: str, why: str, contract: Contract, forward: str, *,
    network: Optional[Description], loss: str,
) -> Verdict:  # fmt: skip
    """The verdict on a notebook that is none (``why``), its forward pass's too if asked;
    said of the ``network`` described and under its loss, as every verdict of the class."""
    message = f"{path} was not read: {why}"
    loss = network.loss if network is not None else loss
    found = Verdict(path, function.split(",")[0], loss, "unchecked", "unreadable", message,
                    contract=contract, network=network)  # fmt: skip
    if forward:
        found.forward = Forward(forward.split(",")[0], "unchecked", [message], "unreadable")
    return found


def forward_task(task: Task, names: str) -> Task:
    """The task that runs a submission's forward pass (the first of ``names``, by commas,
    its module defines) on the same bytes as its backprop's ``task``."""
    function = defined(task.source, names.split(",")) if task.source else names.split(",")[0]
    return Task(task.path, function, forward_calls(), FORBIDDEN["forward"], task.source)


def forward_of(run: Run, loss: str, notebook: Optional[Cells] = None) -> Forward:
    """The forward pass judged: a run that ended early is said as a backprop's is."""
    said = notebook.said if notebook is not None else (lambda line: line)
    if run.reason is not None:
        ended = verdict_on(run, loss)
        return Forward(run.function, "unchecked", [said(ended.message)], ended.reason)
    found = judge_forward(run)
    reason = found.reason or ("bad-output" if found.status == "unchecked" else None)
    return Forward(run.function, found.status, [said(line) for line in found.lines], reason)


def prepared(
    path: str, function: str, network: Optional[Description] = None
) -> Union[Tuple[Task, Optional[Cells]], str]:
    """The task of one submission (and a notebook's cells), or why a notebook is none.
    ``function``: the names asked for, by commas; the first the module defines;
    ``network``: the network described (None: the article's)."""
    data = read_source(path)  # read once: the sandbox is handed these bytes
    notebook: Optional[Cells] = None
    if path.endswith(".ipynb"):
        made = cells_of(data) if isinstance(data, bytes) else data
        if isinstance(made, str):
            return made
        data, notebook = made.source, made
    chosen = defined(data, function.split(","))
    source = data if isinstance(data, bytes) else None  # None: the sandbox says why not
    return Task(path, chosen, backprop_calls(network), FORBIDDEN["backprop"], source), notebook


def defined(source: Union[bytes, str], names: Sequence[str]) -> str:
    """The first of ``names`` the module ``source`` binds at its top level (a def, an
    assignment, in an if or a try too); the first name, when it binds none or cannot be
    read here (the sandbox will say so)."""
    top = top_names(source) if isinstance(source, bytes) else set()
    return next((name for name in names if name in top), names[0])


def summarize(verdicts: Sequence[Verdict]) -> Summary:
    """How many are correct, wrong, unchecked; the mistakes and reasons, most common first."""
    statuses = Counter(v.status for v in verdicts)
    mistakes = Counter(m for v in verdicts for m in v.mistakes)
    reasons = Counter(v.reason for v in verdicts if v.reason)
    return Summary(
        submissions=len(verdicts),
        correct=statuses["correct"],
        wrong=statuses["wrong"],
        unchecked=statuses["unchecked"],
        mistakes=sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0])),
        reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        outside=sum(1 for v in verdicts if v.status == "wrong" and v.unmatched),
        forwards=sum(v.forward is not None for v in verdicts),
        forwards_correct=sum(
            v.forward is not None and v.forward.status == "correct" for v in verdicts
        ),
    )
