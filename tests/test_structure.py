"""The house rules the code is held to, checked: the lesson stays the lesson,
the rooms stay apart, and no call needs a count of its arguments.

    numpy_impl/ (the product)  <-  reference/ (five rooms)  <-  scripts/, tests/

Inside reference/, each room is a package that imports only through its doors
(DOORS): the rooms listed in the order ROOMS, none importing one after it.
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
REFERENCE = ROOT / "reference"

#: The rooms of reference/, bottom up: a room may import only rooms before it.
ROOMS = ("witnesses", "sandbox", "judge", "grading", "diff")
#: The doors: which rooms each room may import, and whether it may import numpy_impl.
DOORS = {
    "witnesses": ((), True),
    "sandbox": ((), False),  # a child has NumPy and the standard library, nothing of ours
    "judge": (("witnesses",), True),
    "grading": (("witnesses", "sandbox", "judge"), True),
    "diff": (("witnesses", "grading"), True),
}


def imported(path: Path, source=None):
    """Every module ``path`` imports (``from a.b import c`` gives a.b and a.b.c),
    at its top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def room_of(path: Path) -> str:
    """The room a module of reference/ is in (its package)."""
    return path.relative_to(REFERENCE).parts[0]


def wrong_doors(room: str, names) -> set:
    """The imports of a module of ``room`` that go through no door of it."""
    rooms, product = DOORS[room]
    allowed = {"reference", f"reference.{room}", *(f"reference.{r}" for r in rooms)}
    wrong = set()
    for name in names:
        parts = name.split(".")
        if parts[0] == "reference" and ".".join(parts[:2]) not in allowed:
            wrong.add(name)
        if parts[0] == "numpy_impl" and not product:
            wrong.add(name)
    return wrong


REFERENCE_MODULES = sorted(REFERENCE.rglob("*.py"))


def test_every_module_of_reference_is_in_a_room():
    assert [p.name for p in REFERENCE.glob("*.py")] == ["__init__.py"]
    packages = sorted(p.name for p in REFERENCE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert packages == sorted(ROOMS)
    for room in ROOMS:
        assert (REFERENCE / room / "__init__.py").read_text().startswith('"""'), room


def test_the_doors_open_one_way_only():
    for index, room in enumerate(ROOMS):
        assert set(DOORS[room][0]) <= set(ROOMS[:index]), room  # never a room above it


@pytest.mark.parametrize("path", REFERENCE_MODULES, ids=lambda p: str(p.relative_to(REFERENCE)))
def test_each_module_imports_through_its_rooms_doors(path):
    if path.parent == REFERENCE:
        return
    assert not wrong_doors(room_of(path), imported(path)), path


def test_an_import_through_a_wrong_door_is_seen():
    # the check's own control: each kind of wrong door, and the right ones
    judge = REFERENCE / "judge" / "x.py"
    assert wrong_doors("judge", imported(judge, "from reference.sandbox import Runner\n")) == {
        "reference.sandbox",
        "reference.sandbox.Runner",
    }
    inside = "def f():\n    from reference.grading.single import diagnose_file\n"
    assert wrong_doors("judge", imported(judge, inside))
    assert wrong_doors("sandbox", imported(judge, "import numpy_impl as ni\n")) == {"numpy_impl"}
    assert wrong_doors("witnesses", imported(judge, "from reference.judge import catalogue\n"))
    assert not wrong_doors("judge", imported(judge, "from reference.witnesses import losses\n"))
    assert not wrong_doors("grading", imported(judge, "import reference.judge.plan\n"))


def test_a_sandbox_has_numpy_the_standard_library_and_its_own_room_only():
    # what runs inside a sandbox: its server, the child, and what they import
    stdlib = getattr(sys, "stdlib_module_names", None)  # Python >= 3.10
    for name in ("server.py", "child.py", "records.py", "isolation.py", "__main__.py"):
        for module in imported(REFERENCE / "sandbox" / name):
            top = module.split(".")[0]
            if top == "reference":
                assert module.startswith("reference.sandbox."), (name, module)
                assert module.split(".")[2] != "runner", (name, module)  # the asking side
            elif top not in ("numpy", "__future__") and stdlib is not None:
                assert top in stdlib, (name, module)


JUDGE = sorted((REFERENCE / "judge").glob("*.py"))


@pytest.mark.parametrize("path", JUDGE, ids=lambda p: p.name)
def test_no_function_of_the_judge_is_over_40_lines_or_takes_over_6_parameters(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            given = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
            given = [x for x in given if x not in ("self", "cls")]
            assert len(given) <= 6, f"{path.name}: {node.name}({', '.join(given)})"
            lines = node.end_lineno - node.lineno + 1
            assert lines <= 40, f"{path.name}: {node.name} is {lines} lines"


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


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_takes_more_than_six_positional_parameters(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            positional = [a.arg for a in node.args.posonlyargs + node.args.args]
            positional = [a for a in positional if a not in ("self", "cls")]
            assert len(positional) <= 6, f"{path.name}: {node.name}({', '.join(positional)})"


@pytest.mark.parametrize("path", REFERENCE_MODULES, ids=lambda p: str(p.relative_to(REFERENCE)))
def test_the_witnesses_use_no_command_line_internals_of_the_product(path):
    assert not {n for n in imported(path) if n.startswith("numpy_impl.cli")}, path.name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_imports_from_the_tests_or_the_scripts(path):
    assert not {n for n in imported(path) if n.split(".")[0] in ("tests", "scripts")}


@pytest.mark.parametrize("path", TESTS, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_no_test_file_imports_from_another(path):
    others = {n for n in imported(path) if n.startswith("tests.") and ".test_" in n}
    assert not others, f"{path.name} imports {sorted(others)}: shared code goes in tests/helpers.py"


def test_the_tests_are_grouped_by_room():
    folders = {p.parent.name for p in TESTS} - {"tests"}
    assert folders == {"lesson", *ROOMS}
    assert [p.name for p in TESTS if p.parent.name == "tests"] == ["test_structure.py"]


@pytest.mark.parametrize("path", REFERENCE_MODULES, ids=lambda p: str(p.relative_to(REFERENCE)))
def test_no_file_of_reference_is_over_450_lines(path):
    assert len(path.read_text().splitlines()) <= 450, path.name


def _functions():
    """Every function of numpy_impl and reference, by its dotted name, with its lines
    stripped and joined by a space."""
    found = {}
    for path in SOURCES:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        lines = path.read_text().splitlines()

        def visit(node, prefix, lines=lines):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = f"{prefix}.{child.name}"
                    body = lines[child.lineno - 1 : child.end_lineno]
                    found[name] = " ".join(line.strip() for line in body)
                    visit(child, name)
                elif isinstance(child, ast.ClassDef):
                    visit(child, f"{prefix}.{child.name}")

        visit(ast.parse(path.read_text()), module)
    return found


def test_every_listed_survivor_is_a_line_of_a_function_of_the_code():
    """reference/mutation_survivors.toml keys each survivor by its function's dotted name
    and its line: a function moved or a line rewritten is said here, not at the next
    mutation run."""
    tomllib = pytest.importorskip("tomllib")
    listed = tomllib.loads((REFERENCE / "mutation_survivors.toml").read_text())["survivor"]
    functions = _functions()
    for entry in listed:
        assert entry["function"] in functions, entry["function"]
        assert entry["before"] in functions[entry["function"]], (entry["function"], entry["before"])
