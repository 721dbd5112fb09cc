"""Make the notebooks in docs/ from their Markdown pages: one source, no drift.

    python scripts/make_notebooks.py            # write docs/*.ipynb from docs/*.md
    python scripts/make_notebooks.py --check    # exit 1, naming it, if a notebook is stale

Each page in PAGES becomes a notebook beside it (walkthrough.md ->
walkthrough.ipynb). The prose becomes Markdown cells; the ``>>>`` examples of
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
import doctest
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = ("walkthrough.md", "walkthrough.zh.md", "exercise.md", "exercise.zh.md")
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
            tags = [t for t in tags if t != "notebook"] + ["nbval-ignore-output"]
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


def render(page: Path) -> str:
    """The notebook of ``page`` as the text written to disk."""
    made = notebook(page.read_text(encoding="utf-8"), page.name)
    return json.dumps(made, indent=1, ensure_ascii=False) + "\n"


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook is stale")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the folder of the pages")
    args = parser.parse_args(argv)
    stale = []
    for name in PAGES:
        page = args.docs / name
        target = page.with_suffix(".ipynb")
        text = render(page)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
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
