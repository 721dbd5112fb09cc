"""The exercise notebooks' checks: a student's forward pass and backprop, judged apart.

In a notebook, the student's code runs in the notebook's own kernel, so the
judge cannot live there: what the student did to NumPy or ``numpy_impl`` in
that kernel would reach it. A check therefore writes the source of the
notebook's functions to a file and starts a separate judge process
(``python -m reference.grading.exercise``), which runs that file in a child process of
its own (reference/runner.py) and computes every candidate itself
(reference/diagnose.py for the backprop; the forward pass likewise, here).
The kernel only prints the words that come back.

    from reference.grading.exercise import check_forward, check_backprop
    check_forward(forward)      # f(x, w1, w2) -> (a1, a2)
    check_backprop(backprop)    # f(x, y, w1, w2) -> (dw1, dw2), or the article's step

Each says "not written yet" for a function left as handed out (it raises
NotImplementedError, or returns nothing), "correct", or what is wrong.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from reference.grading.single import diagnose_file, forward_file, split_spec
from reference.judge import DEFAULT, NOT_WRITTEN, Contract, StudentError
from reference.sandbox import die_with_parent, environment

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


def check_backprop(
    function: Callable[..., Any], loss: str = "mse", language: str = "en", require: str = ""
) -> Result:
    """Check a backprop ``f(x, y, w1, w2) -> (dw1, dw2)`` (or the article's step
    ``f(x, y, w1, w2, alpha) -> (new_w1, new_w2)``) for ``loss``, in a separate judge
    process; ``require``: what the teacher requires beyond both layers at hidden size
    5 ("sizes,rows", and "gradient" or "step"), as ``--require`` takes it."""
    Contract.parse(require)  # a teacher's typo is said here, in one line
    return _check("backprop", function, loss, language, require)


def _check(
    kind: str, function: Callable[..., Any], loss: str, language: str, require: str = ""
) -> Result:
    folder = tempfile.mkdtemp(prefix="exercise-")
    path = os.path.join(folder, "submission.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source_of(function))
    command = [
        sys.executable,
        "-m",
        "reference.grading.exercise",
        kind,
        f"{path}:{function.__name__}",
        f"--parent={os.getpid()}",  # it ends with this kernel, whatever ends it
        f"--require={require}",
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
    result = Result(found["status"], found["lines"])
    print(STATUS[language][result.status])
    for line in result.lines:
        print(line)
    return result


def source_of(function: Callable[..., Any]) -> str:
    """A module holding the student's function and every other function and module
    of its notebook (or file), so that it runs there as it did in the notebook."""
    names = function.__globals__
    module = function.__module__
    lines = ["import math", "import numpy as np", ""]
    for name, value in list(names.items()):
        if isinstance(value, types.ModuleType) and not name.startswith("_"):
            lines.append(f"import {value.__name__} as {name}")
    lines.append("")
    for value in list(names.values()):
        if inspect.isfunction(value) and value.__module__ == module:
            try:
                lines.append(inspect.getsource(value))
            except (OSError, TypeError):
                continue
    return "\n".join(lines) + "\n"


# --- The judge process --------------------------------------------------------


def judge_backprop(spec: str, loss: str, contract: Contract = DEFAULT) -> Dict[str, Any]:
    try:
        found = diagnose_file(spec, loss, contract=contract)
    except StudentError as err:
        if _not_written(str(err)):
            return {"status": NOT_WRITTEN, "lines": []}
        # the project's own answers are never the student's: not correct, and said why
        return {"status": "wrong" if err.reason == "copied" else "unchecked", "lines": [str(err)]}
    if not found.ok:  # a forward pass of its own that is wrong is said first
        path, function = split_spec(spec)
        for name in forwards_called(path, function):
            forward = forward_file(f"{path}:{name}")
            if forward.status != "correct":
                why = "; ".join(forward.lines) or forward.status
                return {"status": "wrong", "lines": [
                    f"{function} calls {name}, which is not right yet ({why}): fix {name}"
                    " first; until then the backprop's words would point at lines that may"
                    " be right"]}  # fmt: skip
    lines = [layer.words for layer in found.layers] + ([found.pointer] if found.pointer else [])
    if found.short_of_parts:
        lines.append(found.verdict)  # what does not hold beyond the layers, required or not
    return {"status": "correct" if found.ok else "wrong", "lines": lines}


def forwards_called(path: str, function: str) -> List[str]:
    """The functions of the file, of three parameters as a forward pass f(x, w1, w2)
    has, that ``function`` calls by name: read from its source, never run here."""
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return []
    defined = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if function not in defined:
        return []
    called = {node.func.id for node in ast.walk(defined[function])
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}  # fmt: skip
    return sorted(name for name in called - {function}
                  if name in defined and len(defined[name].args.args) == 3)  # fmt: skip


def judge_forward(spec: str) -> Dict[str, Any]:
    found = forward_file(spec)
    return {"status": found.status, "lines": found.lines}


def _not_written(message: str) -> bool:
    return "NotImplementedError" in message or "returned NoneType" in message


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m reference.grading.exercise forward|backprop FILE.py:FUNCTION [LOSS]
    [--require=PARTS] [--parent=PID]``: the verdict as JSON on stdout."""
    given = list(argv if argv is not None else sys.argv[1:])
    options = {a.partition("=")[0]: a.partition("=")[2] for a in given if a.startswith("--")}
    if "--parent" in options:
        die_with_parent(int(options["--parent"]))
    kind, spec, *rest = [a for a in given if not a.startswith("--")]
    contract = Contract.parse(options.get("--require", ""))
    loss = rest[0] if rest else "mse"
    found = judge_forward(spec) if kind == "forward" else judge_backprop(spec, loss, contract)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
