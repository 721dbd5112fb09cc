"""The exercise notebooks' checks: a student's forward pass and backprop, judged apart.

In a notebook, the student's code runs in the notebook's own kernel, so the
judge cannot live there: what the student did to NumPy or ``numpy_impl`` in
that kernel would reach it. A check therefore writes the student's function as
the notebook ran it to a file (:class:`Copy`: the function on its own lines,
the notebook's functions it calls, and every name they use: modules imported
in any form, functions imported by name, constants) and starts a separate
judge process
(``python -m reference.grading.exercise``), which runs that file in a child process of
its own (reference/sandbox/runner.py) and computes every candidate itself
(reference/judge/diagnosis.py for the backprop; the forward pass likewise, here).
The kernel only prints the words that come back: a line of the file said as
the line of the student's cell, the time limit a loop ran into, and the first
lines of what the function printed.

    from reference.grading.exercise import check_backprop, check_forward, check_step
    check_forward(forward)      # f(x, w1, w2) -> (a1, a2)
    check_step("d2", output_delta)   # a step of the backward pass: d2, dw2, d1, dw1
    check_backprop(backprop)    # f(x, y, w1, w2) -> (dw1, dw2), or the article's step

Each says "not written yet" for a function left as handed out (it raises
NotImplementedError, or returns nothing), "correct", or what is wrong.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from reference.grading.notebook import said_of_cells
from reference.grading.single import (
    asked_for,
    forward_file,
    forward_first,
    forwards_called,
    judged,
    run_file,
    split_spec,
)
from reference.judge import DEFAULT, NOT_WRITTEN, STEPS, Contract, StudentError, said
from reference.judge import judge_forward as forward_verdict
from reference.judge import judge_step as step_verdict
from reference.sandbox import Run, die_with_parent, environment
from reference.witnesses.networks import Description

#: The status lines in the notebooks' languages.
STATUS = {
    "en": {NOT_WRITTEN: NOT_WRITTEN, "correct": "correct", "wrong": "not correct yet",
           "unchecked": "cannot be checked"},
    "zh": {NOT_WRITTEN: "还没有写 (not written yet)", "correct": "正确 (correct)",
           "wrong": "还不正确 (not correct yet)", "unchecked": "无法检查 (cannot be checked)"},
}  # fmt: skip


@dataclass
class Result:
    """What a check found: its status and the lines it printed."""

    status: str  # NOT_WRITTEN, "correct", "wrong" or "unchecked"
    lines: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "correct"


def check_forward(function: Callable[..., Any], language: str = "en") -> Result:
    """Check a forward pass ``f(x, w1, w2) -> (a1, a2)``, in a separate judge process."""
    return _check("forward", function, "mse", language)


def check_step(quantity: str, function: Callable[..., Any], language: str = "en") -> Result:
    """Check one step of the backward pass (``quantity``: "d2", "dw2", "d1" or "dw1",
    reference/judge/steps.py), in a separate judge process."""
    if quantity not in STEPS:
        raise ValueError(f"unknown step {quantity!r}: choose one of {', '.join(STEPS)}")
    return _check(quantity, function, "mse", language)


def check_backprop(
    function: Callable[..., Any], loss: str = "mse", language: str = "en", require: str = "",
    network: str = "",
) -> Result:  # fmt: skip
    """Check a backprop ``f(x, y, w1, w2) -> (dw1, dw2)`` (or the article's step
    ``f(x, y, w1, w2, alpha) -> (new_w1, new_w2)``) for ``loss``, in a separate judge
    process; ``require``: what the teacher requires beyond both layers at hidden size
    5 ("sizes,rows", and "gradient" or "step"), as ``--require`` takes it; ``network``:
    a network a teacher describes, as ``--network`` takes it ("relu-softmax", or a TOML
    file), whose backprop has its own parameters and loss."""
    # a teacher's typo is said here, in one line
    asked_for(network, loss if loss != "mse" else None, require)
    return _check("backprop", function, loss, language, require, network=network)


def _check(
    kind: str, function: Callable[..., Any], loss: str, language: str, require: str = "",
    *, network: str = "",
) -> Result:  # fmt: skip
    try:
        copy = Copy.of(function)
    except Uncopyable as err:
        result = Result("unchecked", [said(str(err), language)])
    else:
        result = _judged(kind, function.__name__, copy, loss, require, language, network=network)
    print(STATUS[language][result.status])
    for line in result.lines:
        print(line)
    return result


def _judged(
    kind: str, name: str, copy: Copy, loss: str, require: str, language: str = "en",
    *, network: str = "",
) -> Result:  # fmt: skip
    """The verdict of a separate judge process on ``copy``: the judge's lines in the cells'
    words and in ``language``, then what the function printed, as it printed it."""
    folder = tempfile.mkdtemp(prefix="exercise-")
    path = os.path.join(folder, "submission.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(copy.source)
    command = [
        sys.executable,
        "-m",
        "reference.grading.exercise",
        kind,
        f"{path}:{name}",
        f"--parent={os.getpid()}",  # it ends with this kernel, whatever ends it
        f"--require={require}",
        f"--network={network}",
    ]
    try:
        done = subprocess.run(
            [*command, loss], capture_output=True, text=True, env=environment(),
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"the judge failed: {done.stderr.strip().splitlines()[-1:]}")
    found = json.loads(done.stdout)
    lines = [said(copy.in_cells(line, path), language) for line in found["lines"]]
    printed = found["output"].rstrip("\n").splitlines()
    if printed:
        more = len(printed) - PRINTED_LINES
        lines += [said(f"what {name} printed, at the check's points:", language)]
        lines += printed[:PRINTED_LINES]
        lines += [said(f"... and {more} lines more", language)] if more > 0 else []
    return Result(found["status"], lines)


#: Lines of what a function printed shown under its verdict.
PRINTED_LINES = 12


class Uncopyable(ValueError):
    """A name the student's function uses whose value cannot be written out of the notebook."""


#: Modules where a function or class imported by name (``from numpy import exp``) is
#: looked for, besides the one it says it is from.
HOMES = ("numpy", "math", "numpy.linalg", "numpy.random")


@dataclass
class Copy:
    """The student's function as the notebook ran it, as a module of its own: each name
    the functions use (a module imported in any form, a function or class imported by
    name, a constant: a number, a string, an array...), then the function and every
    function of the notebook it calls. ``cells``: a line of the module -> (the function
    it belongs to, its line in that function's cell)."""

    source: str
    cells: Dict[int, Tuple[str, int]]

    @classmethod
    def of(cls, function: Callable[..., Any]) -> Copy:
        names = function.__globals__
        functions, values = _used(function, names)
        lines = ["import numpy as np", "import math"]  # first: a default may use them
        lines += [_written(name, value, function.__module__) for name, value in values.items()
                  if not _is_notebooks(value, function)]  # fmt: skip
        cells: Dict[int, Tuple[str, int]] = {}
        for bound, f in functions.items():
            source, first = inspect.getsourcelines(f)
            label = "the cell that defines " + (bound if f.__name__ == "<lambda>" else f.__name__)
            lines.append("")
            for i, text in enumerate(source):
                lines.append(text.rstrip("\n"))
                cells[len(lines)] = (label, first + i)
        lines += [
            _written(name, value, function.__module__)
            for name, value in values.items()
            if _is_notebooks(value, function)
        ]  # another name of a function above
        text = "\n".join(lines) + "\n"
        try:
            ast.parse(text)
        except SyntaxError:  # a lambda's line that is more than its own statement, say
            raise Uncopyable(
                f"{function.__name__} or a function it calls cannot be copied out of the"
                " notebook as it is written: define each with def, in a cell of its own"
            ) from None
        return cls(text, cells)

    def in_cells(self, line: str, path: str) -> str:
        """A line of the judge's, its lines of the module said as lines of the cells."""
        line = line.replace(path, "the notebook").replace(os.path.basename(path), "the notebook")
        return said_of_cells(line, self.cells)


def _used(
    function: Callable[..., Any], names: Dict[str, Any]
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The notebook's functions ``function`` reaches (itself first), by the name it is
    called by, and every other global name they use, with its value."""
    functions: Dict[str, Any] = {function.__name__: function}
    values: Dict[str, Any] = {}
    waiting = [function]
    while waiting:  # grows as calls are found
        found = waiting.pop(0)
        for name in [*_names(found.__code__), *_source_names(found)]:
            if name not in names or name in values or name in functions:
                continue
            value = names[name]
            if inspect.isfunction(value) and value.__module__ == function.__module__:
                if value not in functions.values():
                    functions[name] = value
                    waiting.append(value)
                if name != value.__name__ and value.__name__ != "<lambda>":
                    values[name] = value  # bound to another name too: act = sigmoid
            else:
                values[name] = value
    return functions, values


def _is_notebooks(value: Any, function: Callable[..., Any]) -> bool:
    """Is ``value`` a function of the notebook (of the checked function's module)?"""
    return inspect.isfunction(value) and value.__module__ == function.__module__


def _source_names(function: Callable[..., Any]) -> List[str]:
    """The names a function's source reads outside its body as well (its defaults, its
    decorators), which its code object does not hold."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return []
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]


def _names(code: types.CodeType) -> List[str]:
    """The global names a code object (and those nested in it) may read."""
    found = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += _names(const)
    return found


def _written(name: str, value: Any, module: str) -> str:
    """The line that binds ``name`` to ``value`` in the module; Uncopyable if none can
    (``module``: the notebook's, whose functions are copied whole)."""
    if isinstance(value, types.ModuleType):
        return f"import {value.__name__} as {name}"
    if inspect.isfunction(value) and value.__module__ == module:
        return f"{name} = {value.__name__}"  # a function of the notebook, by another name
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        return f"{name} = {_literal(value)}"
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        data = np.ascontiguousarray(value)
        return (f"{name} = np.frombuffer(bytes.fromhex({data.tobytes().hex()!r}),"
                f" dtype={data.dtype.str!r}).reshape({data.shape}).copy()")  # fmt: skip
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return f"{name} = np.{value.dtype.name}({_literal(value.item())})"
    if isinstance(value, (tuple, list)) and all(_plain(v) for v in value):
        return f"{name} = {type(value).__name__}([{', '.join(_literal(v) for v in value)}])"
    home = _home(value, module)
    if home is not None:
        return f"from {home} import {value.__name__} as {name}"
    raise Uncopyable(
        f"the function uses {name}, a {type(value).__name__} of the notebook that the check"
        f" cannot copy out of it: make it inside the function, or from numbers"
    )


def _plain(value: Any) -> bool:
    return isinstance(value, (bool, int, float, complex, str, type(None)))


def _literal(value: Any) -> str:
    """A number or a string as Python source that reads back as the same value."""
    if isinstance(value, float) and not np.isfinite(value):
        return f"float({str(value)!r})"
    if isinstance(value, complex):
        return f"complex({_literal(value.real)}, {_literal(value.imag)})"
    return repr(value)


def _home(value: Any, notebook: str) -> Optional[str]:
    """The module a function or class is imported from by its own name, if any (never
    the notebook's: what it defines is not there for the copy to import)."""
    own = getattr(value, "__name__", None)
    if not isinstance(own, str) or not own.isidentifier():
        return None
    for home in (getattr(value, "__module__", None), *HOMES):
        if not isinstance(home, str) or home in (notebook, "__main__"):
            continue
        try:
            if getattr(importlib.import_module(home), own, None) is value:
                return home
        except ImportError:
            continue
    return None


# --- The judge process --------------------------------------------------------


def judge_backprop(
    spec: str, loss: str, contract: Contract = DEFAULT, network: Optional[Description] = None
) -> Dict[str, Any]:
    """The verdict on a backprop (of the described ``network``, when one is given), and
    what it printed."""
    run = run_file(spec, "backprop", network=network)
    return {**_backprop_verdict(run, spec, loss, contract, network), "output": run.output}


def _backprop_verdict(
    run: Run, spec: str, loss: str, contract: Contract, network: Optional[Description]
) -> Dict[str, Any]:
    try:
        found = judged(run, loss, contract, network)
    except StudentError as err:
        if _not_written(str(err)):
            return {"status": NOT_WRITTEN, "lines": []}
        return {"status": "unchecked", "lines": [str(err)]}
    if not found.ok:  # a forward pass of its own that is wrong is said first
        path, function = split_spec(spec)
        for name in forwards_called(_read(path), function):
            forward = forward_file(f"{path}:{name}")
            # a forward of its own that uses the lesson's (which a backprop may) is no fault
            if forward.status != "correct" and forward.reason != "copied":
                why = "; ".join(forward.lines) or forward.status
                return {"status": "wrong", "lines": [forward_first(function, name, why)]}
    lines = [layer.words for layer in found.layers] + ([found.pointer] if found.pointer else [])
    if found.short_of_parts:
        lines.append(found.verdict)  # what does not hold beyond the layers, required or not
    return {"status": "correct" if found.ok else "wrong", "lines": lines}


def judge_part(spec: str, kind: str) -> Dict[str, Any]:
    """The verdict on a forward pass (``kind`` "forward") or one step of the backward
    pass ("d2", "dw2", "d1", "dw1"), and what it printed."""
    run = run_file(spec, kind)
    found = forward_verdict(run) if kind == "forward" else step_verdict(kind, run)
    return {"status": found.status, "lines": found.lines, "output": run.output}


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _not_written(message: str) -> bool:
    return "NotImplementedError" in message or "returned NoneType" in message


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m reference.grading.exercise forward|backprop|d2|dw2|d1|dw1 FILE.py:FUNCTION
    [LOSS] [--require=PARTS] [--network=NAME|FILE.toml] [--parent=PID]``: the verdict as
    JSON on stdout."""
    given = list(argv if argv is not None else sys.argv[1:])
    options = {a.partition("=")[0]: a.partition("=")[2] for a in given if a.startswith("--")}
    if "--parent" in options:
        die_with_parent(int(options["--parent"]))
    kind, spec, *rest = [a for a in given if not a.startswith("--")]
    loss = rest[0] if rest else "mse"
    asked = asked_for(options.get("--network", ""), None, options.get("--require", ""))
    network, contract = asked.network, asked.contract
    if kind == "backprop":
        found = judge_backprop(spec, loss, contract, network)
    else:
        found = judge_part(spec, kind)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
