"""A notebook handed in: the student's cells made a module the sandbox can run.

A student hands in the exercise notebook (``.ipynb``) as they ran it: the cells
they wrote, and the cells that check it and train the network. The grader runs
none of the latter: of each code cell it keeps what the student's functions
need (imports, except of the project's checks; function and class definitions;
names bound to what the module can compute: constants, lambdas, the names it
keeps, NumPy's and math's functions of those) and leaves out every other
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
import builtins
import json
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple, Union

#: The statements kept whole: what a function needs, and nothing that does work at load.
KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: The import of the project's checks, whose cells the module leaves out (another import
#: of the project's code is kept: the sandbox refuses it, and says so).
CHECKS = "reference.grading"
#: A cell Python cannot read is kept (to say its error) when it defines something.
DEFINES = re.compile(r"^\s*(async\s+def|def|class)\s", flags=re.M)
#: The modules whose functions a kept name may be computed with.
NUMERIC = ("numpy", "math")
#: What a name kept may be bound to (the parts of the expression, all of them).
CONSTANT = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.BinOp, ast.UnaryOp,
            ast.Name, ast.Attribute, ast.Lambda, ast.Load, ast.Store, ast.operator,
            ast.unaryop, ast.expr_context, ast.arguments, ast.arg)  # fmt: skip


#: Characters of code a notebook (or a module whose functions are looked for) may hold to
#: be read in the grader's own process: an exercise's is a few thousand.
CODE_LIMIT = 256 * 1024
#: The cell magics whose body IPython runs as Python in the notebook's namespace.
AS_PYTHON = ("%%time", "%%timeit", "%%capture", "%%prun")
#: A line IPython reads as a magic, a shell command or a help request (np.dot? or
#: ?np.dot), not as Python.
MAGIC = re.compile(r"^\s*(%%?[A-Za-z_]|![^=]|\?|[\w.]+\?{1,2}\s*$|[\w, ]+=\s*(%[A-Za-z_]|![^=]))")


@dataclass(frozen=True)
class Cells:
    """The module made of a notebook's cells: its ``source``, and for each of its lines
    the cell it came from (its words: "cell 9 (backprop)", the cells counted from the
    top, Markdown ones too, and the functions it defines) and the line there."""

    source: bytes
    lines: Dict[int, Tuple[str, int]]

    def said(self, text: str) -> str:
        return said_of_cells(text, self.lines)


def said_of_cells(text: str, lines: Dict[int, Tuple[str, int]]) -> str:
    """``text`` with the "line N" of a module it ends with said as a line of a cell
    (``lines``: a line of the module -> the cell in words, and the line there)."""

    def where(match: re.Match[str]) -> str:
        at = lines.get(int(match.group(2)))
        return match.group(0) if at is None else f"{match.group(1)}{at[0]}, line {at[1]})"

    return re.sub(r"(\(|, )line (\d+)\)$", where, text)


def cells_of(data: bytes) -> Union[Cells, str]:
    """The module of the notebook whose file holds ``data``, or why there is none."""
    try:
        notebook = json.loads(data.decode("utf-8"))
        code = [(n, c["source"]) for n, c in enumerate(notebook["cells"], start=1)
                if c["cell_type"] == "code"]  # fmt: skip
        sources = [(n, "".join(s) if isinstance(s, list) else s) for n, s in code]
    except (ValueError, KeyError, TypeError, RecursionError):  # UnicodeDecodeError included
        return "it is not a Jupyter notebook (JSON with cells)"
    if not all(isinstance(s, str) for _, s in sources):
        return "it is not a Jupyter notebook (a cell's source is not text)"
    if sum(len(s) for _, s in sources) > CODE_LIMIT:
        return f"it holds over {CODE_LIMIT // 1024} KiB of code"
    parsed = [(n, _statements(text)) for n, text in sources]
    nodes = [node for _, cell in parsed for node, _, _ in cell if node is not None]
    wanted = _chosen(nodes)
    # a name the module keeps, bound again by a statement left out (or a def left out
    # inside an if or a try): that statement is kept too, so that the module's names are
    # the notebook's last, as the kernel had them (it runs in the sandbox, like the rest)
    names = {name for node in nodes if id(node) in wanted for name in _binds(node)}
    out: List[str] = []
    lines: Dict[int, Tuple[str, int]] = {}
    for number, cell in parsed:
        chosen = [(first, segment) for node, first, segment in cell
                  if node is None or id(node) in wanted or _rebinds(node, names)]  # fmt: skip
        if not chosen:
            continue
        label = _label(number, cell)
        unread = cell[0][0] is None  # a cell Python cannot read, kept whole for its error
        out.append("pass" if unread else "")  # at the margin: it continues no block above
        for first, segment in chosen:
            for offset, line in enumerate(segment):
                out.append(line)
                lines[len(out)] = (label, first + offset)
        if unread:  # its error is the module's: no cell after it may close its brackets
            break
    try:
        return Cells(("\n".join(out) + "\n").encode("utf-8"), lines)
    except UnicodeEncodeError:
        return "a cell holds text that is not Unicode (a lone surrogate)"


def top_names(source: bytes) -> Set[str]:
    """The names a module binds at its top level (in an if or a try too); none when it
    cannot be read here (or is past CODE_LIMIT: the sandbox will say what it is)."""
    if len(source) > CODE_LIMIT:
        return set()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {name for node in tree.body for name in _binds(node)}


def _statements(text: str) -> List[Tuple[Optional[ast.stmt], int, List[str]]]:
    """A cell's top-level statements, each with its first line (its first decorator's)
    and its lines (None: the cell whole, which Python cannot read: the child says where)."""
    lines = re.split(r"\r\n|\r|\n", text)
    # the kernel drops the blank lines above the first: its indent is the cell's, and a
    # cell magic is there
    top = next((n for n, line in enumerate(lines) if line.strip()), 0)
    indent = _indent(lines[top])
    if indent:  # a cell indented whole: the kernel takes its first line's indent off each
        lines = [line[len(indent) :] if line.startswith(indent) else line for line in lines]
    magic = lines[top].split()[0] if lines[top].startswith("%%") else ""
    if magic and magic not in AS_PYTHON:
        return []  # the cell is not Python (%%bash, %%writefile, %%html...)
    lines = [""] * (top + 1) + lines[top + 1 :] if magic else lines
    tree = _parsed(lines)
    if tree is None:  # a magic in it: read again with each magic's line a pass at its indent
        lines = [_indent(line) + "pass" if MAGIC.match(line) else line for line in lines]
        tree = _parsed(lines)
    if tree is None:  # kept whole if it defines something (its error is then said where)
        return [(None, 1, lines)] if DEFINES.search(text) else []
    found: List[Tuple[Optional[ast.stmt], int, List[str]]] = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        found.append((node, first, lines[first - 1 : node.end_lineno]))
    return found


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _parsed(lines: List[str]) -> Optional[ast.Module]:
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


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


def _rebinds(node: ast.stmt, names: Set[str]) -> bool:
    """Is a statement left out one that binds again a name the module keeps, or that
    defines a function or a class (in an if or a try)? Never an import of the project's."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return False
    defines = any(isinstance(part, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  for part in ast.walk(node))  # fmt: skip
    return defines or bool(_binds(node) & names)


def _chosen(nodes: List[ast.stmt]) -> Set[int]:
    """The statements the student's functions may need (by id), in the notebook's order:
    imports (not of the project's checks), definitions, and names bound to what the
    module can compute from what it already has: constants, the names it keeps, and
    calls of NumPy's or math's functions on those (np.float64(2 / 3))."""
    known = set(dir(builtins))
    numeric: Set[str] = set()  # the names NumPy and math are imported as
    kept: Set[int] = set()
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            from_ = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
            names = [from_] if from_ else [a.name for a in node.names]
            if any(n == CHECKS or n.startswith(CHECKS + ".") for n in names):
                continue  # the checks' import: their cells are not the module's
            numeric |= {(a.asname or a.name).partition(".")[0] for a in node.names
                        if (from_ or a.name) in NUMERIC}  # fmt: skip
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            if node.value is None or not _computable(node.value, known, numeric):
                continue
        elif not isinstance(node, KEPT):
            continue
        kept.add(id(node))
        known |= _binds(node)
    return kept


def _computable(value: ast.expr, known: Set[str], numeric: Set[str]) -> bool:
    """Can the module compute ``value`` from constants, the names it has, and NumPy's or
    math's functions, without anything else the notebook ran?"""
    waiting: List[ast.AST] = [value]
    while waiting:
        part = waiting.pop()
        if isinstance(part, ast.Lambda):
            continue  # its body is read when it is called, not when it is bound
        waiting += list(ast.iter_child_nodes(part))
        if isinstance(part, ast.Call):
            root = part.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if not (isinstance(root, ast.Name) and root.id in numeric):
                return False
        elif isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load):
            if part.id not in known and part.id not in numeric:
                return False
        elif not isinstance(part, (*CONSTANT, ast.Call, ast.keyword)):
            return False
    return True


def _label(number: int, cell: List[Tuple[Optional[ast.stmt], int, List[str]]]) -> str:
    """A cell in words: its number from the top, and the functions it defines."""
    defined = [n.name for n, _, _ in cell if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return f"cell {number}" + (f" ({', '.join(defined)})" if defined else "")
