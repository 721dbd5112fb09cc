"""A notebook handed in: the student's cells made a module the sandbox can run.

A student hands in the exercise notebook (``.ipynb``) as they ran it: the cells
they wrote, and the cells that check it and train the network. The grader runs
none of the latter: of each code cell it keeps what the student's functions
need (imports, except of the project's checks; function and class definitions;
names bound to constants, lambdas or other names) and leaves out every other
statement (a check, a training loop, a print), unless it binds again a name
the module keeps, or defines a function inside an ``if`` or a ``try``: the
module's names are then the notebook's last, as the kernel had them, never a
stale definition judged in place of the one the student ran last. A cell magic's cell is left
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
from typing import Dict, List, Optional, Set, Tuple, Union

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
    parsed = [_statements(text) for text in sources]
    # a name a kept statement binds, bound again by a statement left out (or a def left
    # out inside an if or a try): that statement is kept too, so that the module's name
    # is the notebook's last, as the kernel had it (it runs in the sandbox, like the rest)
    bound = {n for cell in parsed for node, _, _ in cell if node is not None and _wanted(node)
             for n in _binds(node)}  # fmt: skip
    out: List[str] = []
    lines: Dict[int, Tuple[str, int]] = {}
    for number, (text, cell) in enumerate(zip(sources, parsed), start=1):
        kept = [(first, segment) for node, first, segment in cell
                if node is None or _wanted(node) or _rebinds(node, bound)]  # fmt: skip
        if not kept:
            continue
        label = _label(text, number)
        out.append("")
        for first, segment in kept:
            for offset, line in enumerate(segment):
                out.append(line)
                lines[len(out)] = (label, first + offset)
    return Cells(("\n".join(out) + "\n").encode("utf-8"), lines)


def _statements(text: str) -> List[Tuple[Optional[ast.stmt], int, List[str]]]:
    """A cell's top-level statements, each with its first line and its lines (None: the
    cell whole, which Python cannot read: the child says where)."""
    if text.lstrip().startswith("%%"):
        return []  # a cell magic: the cell is not Python
    lines = _blanked(text)
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [(None, 1, lines)]
    return [(node, node.lineno, lines[node.lineno - 1 : node.end_lineno]) for node in tree.body]


def _binds(node: ast.stmt) -> Set[str]:
    """The names a statement binds, anywhere in it but inside a function or a class."""
    found: Set[str] = set()
    waiting: List[ast.AST] = [node]
    while waiting:
        part = waiting.pop()
        if isinstance(part, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(part.name)
            continue
        if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Store):
            found.add(part.id)
        elif isinstance(part, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).partition(".")[0] for a in part.names}
        waiting += list(ast.iter_child_nodes(part))
    return found


def _rebinds(node: ast.stmt, bound: Set[str]) -> bool:
    """Is a statement left out one that binds again a name the module keeps, or defines
    a function or a class (in an if or a try)? Never an import of the project's checks."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return False
    defines = any(isinstance(part, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  for part in ast.walk(node))  # fmt: skip
    return defines or bool(_binds(node) & bound)


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
