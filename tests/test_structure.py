"""The house rules the code is held to, checked: the lesson stays the lesson,
the layers stay apart, and no call needs a count of its arguments.

    numpy_impl/ (the product)  <-  reference/ (witnesses, judge)  <-  scripts/, tests/
"""

import ast
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.source

PACKAGES = ("numpy_impl", "reference")
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
TESTS = sorted((ROOT / "tests").rglob("test_*.py"))


def imported(path: Path):
    """Every module ``path`` imports (``from a.b import c`` gives a.b and a.b.c)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_lesson_is_one_file_of_at_most_300_lines():
    lesson = ROOT / "numpy_impl" / "network.py"
    assert len(lesson.read_text().splitlines()) <= 300
    stdlib = getattr(sys, "stdlib_module_names", None)  # Python >= 3.10
    for name in imported(lesson):
        parts = name.split(".")
        if parts[0] == "numpy_impl":  # the package's data and checks, nothing else
            assert name == "numpy_impl" or parts[1] in ("checks", "data", "settings"), name
        elif parts[0] != "numpy" and stdlib is not None:
            assert parts[0] in stdlib, name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_function_takes_more_than_six_positional_parameters(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            positional = [a.arg for a in node.args.posonlyargs + node.args.args]
            positional = [a for a in positional if a not in ("self", "cls")]
            assert len(positional) <= 6, f"{path.name}: {node.name}({', '.join(positional)})"


@pytest.mark.parametrize("path", sorted((ROOT / "reference").rglob("*.py")), ids=lambda p: p.name)
def test_the_witnesses_use_no_command_line_internals_of_the_product(path):
    assert not {n for n in imported(path) if n.startswith("numpy_impl.cli")}, path.name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nothing_imports_from_the_tests_or_the_scripts(path):
    assert not {n for n in imported(path) if n.split(".")[0] in ("tests", "scripts")}


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_no_test_file_imports_from_another(path):
    others = {n for n in imported(path) if n.startswith("tests.") and ".test_" in n}
    assert not others, f"{path.name} imports {sorted(others)}: shared code goes in tests/helpers.py"


@pytest.mark.parametrize("path", sorted((ROOT / "reference").rglob("*.py")), ids=lambda p: p.name)
def test_no_witness_file_is_over_450_lines(path):
    assert len(path.read_text().splitlines()) <= 450, path.name
