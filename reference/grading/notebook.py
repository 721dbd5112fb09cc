"""A notebook handed in: the student's cells made a module the sandbox can run.

A student hands in the exercise notebook (``.ipynb``) as they ran it: the cells
they wrote, and the cells that check it and train the network. The grader runs
none of the latter: of each code cell it keeps what the student's functions
need (imports, except of the project's checks; function and class definitions;
names bound to constants, lambdas or other names) and leaves out every other
statement (a check, a training loop, a print). A cell magic's cell is left
out, and a line magic's or a shell command's line left blank. A cell Python
cannot read is kept whole, so that its syntax error is said at its line. Every
line of the module remembers the cell and the line it came from
(:meth:`Cells.said`), so that what the judge says of a line is said of the
student's cell.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Dict, List, Tuple, Union

#: The statements kept: what a function needs, and nothing that does work at load.
KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: What a name kept may be bound to (the parts of the expression, all of them).
CONSTANT = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.BinOp, ast.UnaryOp,
            ast.Name, ast.Attribute, ast.Lambda, ast.Load, ast.Store, ast.operator,
            ast.unaryop, ast.expr_context, ast.arguments, ast.arg)  # fmt: skip


@dataclass(frozen=True)
class Cells:
    """The module made of a notebook's cells: its ``source``, and for each of its lines
    the cell it came from (its words: "the cell that defines backprop", or "code cell 4")
    and the line there."""

    source: bytes
    lines: Dict[int, Tuple[str, int]]

    def said(self, text: str) -> str:
        """``text`` with each "line N" of the module said as the line of its cell."""

        def where(match: re.Match[str]) -> str:
            at = self.lines.get(int(match.group(2)))
            return match.group(0) if at is None else f"{match.group(1)}{at[0]}, line {at[1]}"

        return re.sub(r"(\(|, )line (\d+)", where, text)


def cells_of(data: bytes) -> Union[Cells, str]:
    """The module of the notebook whose file holds ``data``, or why there is none."""
    try:
        notebook = json.loads(data.decode("utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                   for c in code]  # fmt: skip
    except (ValueError, KeyError, TypeError, RecursionError):  # UnicodeDecodeError included
        return "it is not a Jupyter notebook (JSON with cells)"
    if not all(isinstance(s, str) for s in sources):
        return "it is not a Jupyter notebook (a cell's source is not text)"
    out: List[str] = []
    lines: Dict[int, Tuple[str, int]] = {}
    for number, text in enumerate(sources, start=1):
        kept = _kept(text)
        if not kept:
            continue
        label = _label(text, number)
        out.append("")
        for first, segment in kept:
            for offset, line in enumerate(segment):
                out.append(line)
                lines[len(out)] = (label, first + offset)
    return Cells(("\n".join(out) + "\n").encode("utf-8"), lines)


def _kept(text: str) -> List[Tuple[int, List[str]]]:
    """The statements of a cell the module keeps, each as (its first line, its lines)."""
    if text.lstrip().startswith("%%"):
        return []  # a cell magic: the cell is not Python
    lines = _blanked(text)
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [(1, lines)]  # kept whole: the child says where it cannot be read
    return [(node.lineno, lines[node.lineno - 1 : node.end_lineno])
            for node in tree.body if _wanted(node)]  # fmt: skip


def _wanted(node: ast.stmt) -> bool:
    """Is the statement one the student's functions may need?"""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").partition(".")[0] != "reference"
    if isinstance(node, ast.Import):
        return all(alias.name.partition(".")[0] != "reference" for alias in node.names)
    if isinstance(node, KEPT):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return all(isinstance(part, CONSTANT) for part in ast.walk(node.value))
    return False


def _label(text: str, number: int) -> str:
    """A cell in words: by the first function it defines, else by its number."""
    try:
        tree = ast.parse("\n".join(_blanked(text)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return f"code cell {number}"
    defined = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return f"the cell that defines {defined[0]}" if defined else f"code cell {number}"


def _blanked(text: str) -> List[str]:
    """A cell's lines, a line magic's or a shell command's left blank."""
    return ["" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines()]
