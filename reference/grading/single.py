"""One file checked: ``PATH.py:FUNCTION`` run in the sandbox at the judge's points, and judged.

    from reference.grading.single import diagnose_file
    print(diagnose_file("my_network.py:backprop").text())

This is ``scripts/diff_gradients.py --against`` and the exercise's backprop
check: the sandbox (:mod:`reference.sandbox`) runs the function in a child
process; the judge (:mod:`reference.judge`) gives the verdict in this one.
``sandbox`` is the level asked for (reference/sandbox/isolation.py: "auto",
"required" or "process"); ``runner`` is what starts the sandbox (a test hands
in one that replays).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from reference.judge import (
    DEFAULT,
    OWN_FUNCTIONS,
    OWN_ROOMS,
    Contract,
    Diagnosis,
    ForwardVerdict,
    StudentError,
    calls,
    described_calls,
    described_contract,
    diagnose,
    diagnose_described,
    forward_calls,
    judge_forward,
    step_calls,
)
from reference.sandbox import Calls, Forbidden, Limits, Run, Runner, Task
from reference.sandbox.isolation import WANTED, SandboxUnavailable, isolation

__all__ = [
    "FORBIDDEN",
    "WANTED",
    "Asked",
    "Contract",
    "Sandbox",
    "SandboxUnavailable",
    "asked_for",
    "backprop_calls",
    "diagnose_file",
    "forward_file",
    "forward_first",
    "forwards_called",
    "isolation",
    "judged",
    "run_file",
    "split_spec",
    "started",
]
from reference.witnesses.losses import loss_named
from reference.witnesses.networks import Description, is_article
from reference.witnesses.networks import read as read_network

#: What a submission may not use, by what it is asked for: the project's own code that
#: computes the answer (the judge says so, and judges nothing else).
FORBIDDEN = {kind: Forbidden(functions, OWN_ROOMS) for kind, functions in OWN_FUNCTIONS.items()}

#: What starts a sandbox under given limits, at a level asked for (the Runner itself, or
#: one that replays runs).
Sandbox = Callable[[Limits, str], Runner]


def started(runner: Optional[Sandbox], limits: Optional[Limits], sandbox: str = "auto") -> Runner:
    """A sandbox started by ``runner`` (by default the Runner) under ``limits`` (by
    default 10 s and 2 GiB), at the level ``sandbox`` asks for."""
    return (runner or Runner)(limits if limits is not None else Limits(), sandbox)


def backprop_calls(network: Optional[Description] = None) -> Calls:
    """The calls a backprop is run at: the article's network's, or ``network``'s."""
    return described_calls(network) if network is not None else calls()


def judged(
    run: Run, loss: str, contract: Contract, network: Optional[Description] = None
) -> Diagnosis:
    """The verdict on a backprop's ``run``: the article's network under ``loss``, or the
    described ``network`` (its loss is its own)."""
    if network is not None:
        return diagnose_described(run, network, contract)
    return diagnose(run, loss, contract)


@dataclass(frozen=True)
class Asked:
    """What a command line asks a backprop to be checked as: the ``network`` it names
    (None: the article's) and the teacher's ``contract`` for it."""

    network: Optional[Description]
    contract: Contract


def asked_for(network: str, loss: Optional[str], require: str = "", points: str = "") -> Asked:
    """The network a command line names (None: the article's, by default or by name, or a
    file that describes it exactly) and the teacher's contract for it; ValueError (one
    line) for a description that is none, or a ``loss`` given with another network."""
    found = None if network in ("", "article") else read_network(network)
    if found is None or is_article(found):
        return Asked(None, Contract.parse(require, points))
    if loss is not None:
        raise ValueError(f"--loss goes with the article's network: the network {found.name}"
                         f" has its own loss, {found.loss_words()}")  # fmt: skip
    backprop_calls(found)  # a description no point can be found for is said here, in one line
    return Asked(found, described_contract(found, require, points))


def split_spec(spec: str) -> Tuple[str, str]:
    """``PATH.py:FUNCTION`` -> (path, function); StudentError for anything else."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise StudentError(f"--against takes PATH.py:FUNCTION, got {spec!r}")
    if not Path(path).is_file():
        raise StudentError(f"no such file: {path}")
    return path, name


def run_file(
    spec: str,
    kind: str = "backprop",
    limits: Optional[Limits] = None,
    *,
    runner: Optional[Sandbox] = None,
    sandbox: str = "auto",
    network: Optional[Description] = None,
) -> Run:
    """Run ``PATH.py:FUNCTION`` in the sandbox at the judge's points for ``kind``
    ("backprop", "forward", or a step of the backward pass: "d2", "dw2", "d1", "dw1"),
    without the project's own code for it (:data:`FORBIDDEN`); a backprop of the
    described ``network`` at its own points."""
    path, function = split_spec(spec)
    points: Calls
    if kind == "backprop":
        points = backprop_calls(network)
    else:
        points = forward_calls() if kind == "forward" else step_calls(kind)
    with started(runner, limits, sandbox) as apart:
        return apart.run(Task(path, function, points, FORBIDDEN[kind]))


def diagnose_file(
    spec: str,
    loss: str = "mse",
    limits: Optional[Limits] = None,
    *,
    runner: Optional[Sandbox] = None,
    sandbox: str = "auto",
    contract: Contract = DEFAULT,
    network: Optional[Description] = None,
) -> Diagnosis:
    """Run ``PATH.py:FUNCTION`` in the sandbox (under ``limits``: by default 10 s and
    2 GiB) and judge its backprop here, under the teacher's ``contract``; for the
    described ``network`` when one is given."""
    split_spec(spec)  # a spec that is none is said before the loss
    loss_named(loss)  # an unknown loss is refused before anything runs
    run = run_file(spec, "backprop", limits, runner=runner, sandbox=sandbox, network=network)
    return judged(run, loss, contract, network)


def forward_file(
    spec: str, limits: Optional[Limits] = None, *, runner: Optional[Sandbox] = None
) -> ForwardVerdict:
    """Run the forward pass ``PATH.py:FUNCTION`` in the sandbox and judge it here."""
    return judge_forward(run_file(spec, "forward", limits, runner=runner))


def forwards_called(source: bytes, function: str) -> List[str]:
    """The functions of the module ``source``, of three parameters as a forward pass
    f(x, w1, w2) has, that ``function`` calls by name: read from its source, never run."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    defined = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if function not in defined:
        return []
    called = {node.func.id for node in ast.walk(defined[function])
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}  # fmt: skip
    return sorted(name for name in called - {function}
                  if name in defined and len(defined[name].args.args) == 3)  # fmt: skip


def forward_first(function: str, forward: str, why: str = "") -> str:
    """The words for a wrong ``function`` that calls a forward pass of its own that is not
    right yet (``why``): said first, since its own words could point at lines that are
    right."""
    said = f" ({why})" if why else ""
    return (
        f"{function} calls {forward}, which is not right yet{said}: fix {forward} first; until"
        f" then the words on {function} may point at lines that are right"
    )
