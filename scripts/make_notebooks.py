"""Make the notebooks in docs/ from their Markdown pages: one source, no drift.

    python scripts/make_notebooks.py            # write the notebooks of docs/ from their pages
    python scripts/make_notebooks.py --check    # exit 1, naming it, if a notebook is stale

Each notebook of NOTEBOOKS is made from its page (walkthrough.md ->
walkthrough.ipynb). The exercise has one source, the teacher's page
(docs/teacher/exercise.md), whose exercise cells hold the lines handed out
(between ``### BEGIN HANDOUT`` and ``### END HANDOUT``) and the solution
(between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, after the hand-out's
``raise``, so the page itself runs as handed out); it makes two editions: the
student's (docs/exercise.ipynb, no solution) and the teacher's
(docs/teacher/exercise.ipynb, the solution marked as nbgrader and otter mark
it, its outputs not stored). The prose becomes Markdown cells; the ``>>>`` examples of
a ``python`` block become code cells (prompts removed), one cell up to each
example that shows an output, with the output the page shows stored as the
cell's output (not the output of a run: what the page says the code prints),
so that running the notebook under nbval compares what the code prints now
with what the page says (an output with ``...`` in it is not compared: the
cell is tagged ``nbval-ignore-output``).
A block fenced as ```` ```python notebook ```` (code without prompts: the
pictures) becomes a code cell whose output is not compared. Words after
``python`` in a fence are the cell's tags (``exercise``, ``exercise-backprop``).
Every other fenced block (console, text) stays in the Markdown.

The tests run the pages as doctests (tests/lesson/test_walkthrough.py), the
notebooks in a fresh Jupyter kernel (``nox -s notebooks``), and fail if a
committed notebook is not what this script makes of its page.
"""

from __future__ import annotations

import argparse
import ast
import base64
import contextlib
import doctest
import io
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: Each notebook made, from its page, in its edition (None: the page as it is; "student":
#: its solutions left out; "teacher": its hand-out lines left out, its solutions marked).
NOTEBOOKS = {
    "walkthrough.ipynb": ("walkthrough.md", None),
    "walkthrough.zh.ipynb": ("walkthrough.zh.md", None),
    "exercise.ipynb": ("teacher/exercise.md", "student"),
    "exercise.zh.ipynb": ("teacher/exercise.zh.md", "student"),
    "teacher/exercise.ipynb": ("teacher/exercise.md", "teacher"),
    "teacher/exercise.zh.ipynb": ("teacher/exercise.zh.md", "teacher"),
    "exercise-columns.ipynb": ("teacher/exercise-columns.md", "student"),
    "teacher/exercise-columns.ipynb": ("teacher/exercise-columns.md", "teacher"),
}
#: The marks of the exercise's source (the teacher's page), each alone on a line of code.
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HANDOUT = ("### BEGIN HANDOUT", "### END HANDOUT")
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$\n?", flags=re.M | re.S)


def notebook(markdown: str, language: str) -> Dict[str, Any]:
    """The notebook of one page, as nbformat 4.5 JSON."""
    cells: List[Dict[str, Any]] = []
    prose: List[str] = []
    at = 0
    for fence in FENCE.finditer(markdown):
        info = fence.group(1).split()
        if not info or info[0] != "python":
            continue  # console, text...: part of the prose
        prose.append(markdown[at : fence.start()])
        at = fence.end()
        _markdown_cell(cells, "".join(prose))
        prose = []
        tags = info[1:]
        if "notebook" in tags:
            tags = [t for t in tags if t != "notebook"] + ["figure", "nbval-ignore-output"]
            cells.append(_code_cell(fence.group(2).rstrip("\n"), tags, []))
            continue
        # the examples of a block, one cell up to each one that shows an output
        sources: List[str] = []
        for example in doctest.DocTestParser().get_examples(fence.group(2)):
            sources.append(example.source.rstrip("\n"))
            wanted = example.want
            if wanted:
                source, sources = "\n".join(sources), []
                ignore = ["nbval-ignore-output"] if "..." in wanted else []
                cells.append(_code_cell(source, tags + ignore, _outputs(source, wanted)))
        if sources:
            cells.append(_code_cell("\n".join(sources), tags, []))
    _markdown_cell(cells, "".join([*prose, markdown[at:]]))
    count = 0
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
        if cell["cell_type"] == "code":  # numbered as a run from the top would number them
            count += 1
            cell["execution_count"] = count
            for output in cell["outputs"]:
                if output["output_type"] == "execute_result":
                    output["execution_count"] = count
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "numpy_impl": {"made_from": f"docs/{language}", "by": "scripts/make_notebooks.py"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _markdown_cell(cells: List[Dict[str, Any]], text: str) -> None:
    text = text.strip("\n")
    if text.strip():
        cells.append({"cell_type": "markdown", "metadata": {}, "source": _lines(text)})


def _code_cell(source: str, tags: List[str], outputs: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": tags} if tags else {},
        "outputs": outputs,
        "source": _lines(source),
    }


def _outputs(source: str, wanted: str) -> List[Dict[str, Any]]:
    """What the cell shows: the value of a last bare expression (not a print), or
    what it prints."""
    if not wanted:
        return []
    try:
        last = ast.parse(source).body[-1]
    except SyntaxError:
        last = None
    is_value = isinstance(last, ast.Expr) and not (
        isinstance(last.value, ast.Call) and getattr(last.value.func, "id", "") == "print"
    )
    if is_value:
        return [{"output_type": "execute_result", "execution_count": None, "metadata": {},
                 "data": {"text/plain": _lines(wanted.rstrip("\n"))}}]  # fmt: skip
    return [{"output_type": "stream", "name": "stdout", "text": _lines(wanted)}]


def _lines(text: str) -> List[str]:
    return text.splitlines(keepends=True)


def edition(markdown: str, which: str) -> str:
    """The exercise's page as one edition has it: the student's without the lines
    from BEGIN SOLUTION to END SOLUTION, the hand-out's marks dropped; the teacher's
    without the lines from BEGIN HANDOUT to END HANDOUT, the solution's marks kept
    (as nbgrader and otter mark a solution)."""
    cut, dropped = (SOLUTION, HANDOUT) if which == "student" else (HANDOUT, ())
    kept, inside = [], False
    for line in markdown.splitlines(keepends=True):
        mark = line.lstrip(">. ").strip()
        if mark == cut[0]:
            inside = True
        elif mark == cut[1]:
            inside = False
        elif not inside and mark not in dropped:
            kept.append(line)
    return "".join(kept)


def render(docs: Path, name: str, draw: bool = True) -> str:
    """The notebook ``name`` (a key of NOTEBOOKS) as the text written to disk; ``draw``:
    each figure drawn into its cell (else the cell is left without its picture)."""
    page, which = NOTEBOOKS[name]
    text = (docs / page).read_text(encoding="utf-8")
    made = notebook(text if which is None else edition(text, which), page)
    if which == "teacher":  # what its checks print is the solved notebook's: not compared
        for cell in made["cells"]:
            if cell["cell_type"] == "code":
                tags = cell["metadata"].get("tags", [])
                cell["outputs"] = []
                cell["metadata"] = {"tags": [*tags, "nbval-ignore-output"]}
                if "exercise" in tags:  # a solution cell, in nbgrader's own metadata
                    cell["metadata"]["nbgrader"] = {
                        "grade": False, "grade_id": exercise_of(tags), "locked": False,
                        "schema_version": 3, "solution": True, "task": False}  # fmt: skip
    figures = [c for c in made["cells"] if "figure" in c.get("metadata", {}).get("tags", [])]
    for cell, image in zip(figures, drawn(text) if draw and figures else []):
        cell["outputs"] = [{"output_type": "execute_result", "execution_count":
                            cell["execution_count"], "metadata": {},
                            "data": {"image/png": image, "text/plain": ["<Figure>"]}}]  # fmt: skip
    return json.dumps(made, indent=1, ensure_ascii=False) + "\n"


def exercise_of(tags: List[str]) -> str:
    """What an exercise cell asks for, from its tags: the ``exercise-NAME`` tag's NAME
    (``backprop``, a step of it: ``d2``...), or the forward pass (the first, untagged)."""
    named = [t.removeprefix("exercise-") for t in tags if t.startswith("exercise-")]
    return named[0] if named else "forward"


def drawn(markdown: str) -> List[str]:
    """The pictures a page's ``python notebook`` blocks draw, in order, each as a notebook
    shows the figure its block ends with (PNG, base64, cut to what is drawn): the page's
    code run top to bottom in one namespace, as a kernel would run the notebook."""
    import matplotlib

    matplotlib.use("Agg")
    space: Dict[str, Any] = {"__name__": "__page__"}
    images: List[str] = []
    with contextlib.redirect_stdout(io.StringIO()):
        for fence in FENCE.finditer(markdown):
            info = fence.group(1).split()
            if not info or info[0] != "python":
                continue
            if "notebook" not in info:
                for example in doctest.DocTestParser().get_examples(fence.group(2)):
                    exec(compile(example.source, "<page>", "exec"), space)
                continue
            tree = ast.parse(fence.group(2))
            last = tree.body.pop()
            assert isinstance(last, ast.Expr), "a figure's block ends with the figure"
            exec(compile(tree, "<page>", "exec"), space)
            figure = eval(compile(ast.Expression(last.value), "<page>", "eval"), space)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
            images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    return images


def _without_pictures(text: str) -> Any:
    """A notebook's JSON with its pictures' bytes left out (they differ from one
    matplotlib to the next; the notebooks' tests compare the pictures themselves)."""
    made = json.loads(text)
    for cell in made["cells"]:
        if "figure" in cell.get("metadata", {}).get("tags", []):
            cell["outputs"] = []
    return made


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook is stale")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the folder of the pages")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        target = args.docs / name
        text = render(args.docs, name, draw=not args.check)
        if args.check:
            same = target.exists() and _without_pictures(target.read_text(encoding="utf-8")) == (
                _without_pictures(text))  # fmt: skip
            if not same:
                stale.append(name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(args.docs.parent)}")
    if stale:
        print(
            f"error: stale notebook(s): {', '.join(stale)}: run python scripts/make_notebooks.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
