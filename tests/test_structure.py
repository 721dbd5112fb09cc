"""The house rules the code is held to, checked: the lesson stays the lesson,
the rooms stay apart, and no call needs a count of its arguments.

    numpy_impl/ (the product)  <-  reference/ (five rooms)  <-  scripts/, tests/

Inside reference/, each room is a package that imports only through its doors
(DOORS): the rooms listed in the order ROOMS, none importing one after it.
"""

import ast
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

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


def imports(path: Path, source=None):
    """What ``path`` imports, as (module, name) pairs: ``import a.b`` gives ("a.b", None),
    ``from a.b import c`` gives ("a.b", "c"), ``from .x import c`` is read from the
    package of ``path``, and ``importlib.import_module("a.b")`` or ``__import__("a.b")``
    with a module named in the code gives ("a.b", None); at the top or in a function."""
    package = list(path.relative_to(ROOT).with_suffix("").parts)
    package = package[:-1]  # a module's package; an __init__'s is its own folder
    found = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.update((module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            called = node.func.id if isinstance(node.func, ast.Name) else called
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add((node.args[0].value, None))
    return found


def imported(path: Path, source=None):
    """Every module ``path`` imports (``from a.b import c`` gives a.b and a.b.c)."""
    pairs = imports(path, source)
    return {m for m, _ in pairs} | {f"{m}.{n}" for m, n in pairs if n is not None}


def room_of(path: Path) -> str:
    """The room a module of reference/ is in (its package)."""
    return path.relative_to(REFERENCE).parts[0]


def face(room: str) -> set:
    """What another room may import of ``room``: the names of its ``__init__``'s
    ``__all__``, and those of its modules listed there (the witnesses, each standing
    alone, list only their modules)."""
    for node in ast.parse((REFERENCE / room / "__init__.py").read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__":
            return set(ast.literal_eval(node.value))
    return set()


#: The rooms whose face is their modules (each one a witness of its own), not names.
SHELVES = ("witnesses",)


def modules_of(room: str) -> set:
    return {p.stem for p in (REFERENCE / room).glob("*.py")} - {"__init__"}


def wrong_doors(room: str, pairs) -> set:
    """The imports (module, name) of a module of ``room`` that go through no door of
    it: into a room it may not import, past another room's face, or of a private name."""
    rooms, product = DOORS[room]
    wrong = set()
    for module, name in pairs:
        parts = module.split(".")
        if parts[0] == "numpy_impl" and not product:
            wrong.add((module, name))
        private = (name or "").startswith("_")
        if private:
            wrong.add((module, name))
        if parts[0] != "reference" or private:
            continue
        into = parts[1] if len(parts) > 1 else (name or "")
        if into == room:
            continue
        if into not in rooms:
            wrong.add((module, name))
        elif len(parts) > 2:  # reference.<room>.<module>: a module its face lists
            if parts[2] not in face(into) & modules_of(into):
                wrong.add((module, name))
        elif name is not None and name not in face(into):
            wrong.add((module, name))  # past the room's face (its __init__)
    return wrong


REFERENCE_MODULES = sorted(REFERENCE.rglob("*.py"))


def test_every_module_of_reference_is_in_a_room():
    assert [p.name for p in REFERENCE.glob("*.py")] == ["__init__.py"]
    packages = sorted(p.name for p in REFERENCE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert packages == sorted(ROOMS)
    for room in ROOMS:  # each room says what it is, and names each of its modules
        said = ast.get_docstring(ast.parse((REFERENCE / room / "__init__.py").read_text()))
        assert said, room
        for module in sorted((REFERENCE / room).glob("*.py")):
            named = f"reference.{room}.{module.stem}`"
            assert module.stem == "__init__" or named in said, (room, module.name)
    for room in SHELVES:  # every witness is on its shelf's face, and nothing else is
        assert face(room) == modules_of(room), room


def test_no_name_on_a_rooms_face_hides_a_module_of_the_room():
    # ``isolation`` the function on the sandbox's face would make
    # ``import reference.sandbox.isolation as m`` the function, not the module
    import importlib
    import types

    for room in ROOMS:
        package = importlib.import_module(f"reference.{room}")
        for module in modules_of(room):
            assert isinstance(getattr(package, module, types), types.ModuleType), (room, module)


def test_the_doors_open_one_way_only():
    for index, room in enumerate(ROOMS):
        assert set(DOORS[room][0]) <= set(ROOMS[:index]), room  # never a room above it


@pytest.mark.parametrize("path", REFERENCE_MODULES, ids=lambda p: str(p.relative_to(REFERENCE)))
def test_each_module_imports_through_its_rooms_doors(path):
    if path.parent == REFERENCE:
        return
    assert not wrong_doors(room_of(path), imports(path)), path


def test_an_import_through_a_wrong_door_is_seen():
    # the check's own control: each kind of wrong door, and the right ones
    judge, sandbox = REFERENCE / "judge" / "x.py", REFERENCE / "sandbox" / "x.py"

    def wrong(room, source, path=judge):
        return wrong_doors(room, imports(path, source))

    assert wrong("judge", "from reference.sandbox import Runner\n") == {
        ("reference.sandbox", "Runner")
    }
    assert wrong("judge", "def f():\n    from reference.grading.single import diagnose_file\n")
    assert wrong("sandbox", "import numpy_impl as ni\n", sandbox) == {("numpy_impl", None)}
    assert wrong("witnesses", "from reference.judge import catalogue\n")
    assert wrong("judge", "from ..grading import single\n")  # relative, from the judge's package
    assert wrong("sandbox", "from ..judge import words\n", sandbox)
    assert wrong("sandbox", "from reference import judge\n", sandbox)
    assert wrong("judge", "import importlib\nimportlib.import_module('reference.grading')\n")
    assert wrong("judge", "__import__('reference.sandbox.runner')\n")
    # past another room's face: a module of it, a name not on its face, a private name
    assert wrong("grading", "import reference.judge.plan\n")
    assert wrong("grading", "from reference.sandbox.runner import Runner\n")
    assert wrong("grading", "from reference.judge import Point\n")
    assert wrong("judge", "from reference.witnesses.tolerances import _reason\n")
    assert wrong("judge", "from reference.witnesses import nowhere\n")
    assert wrong("judge", "from .plan import _private\n")  # even inside its own room
    # and the right ones
    assert not wrong("judge", "from reference.witnesses.losses import LOSSES\n")
    assert not wrong("judge", "from reference.witnesses import tolerances\n")
    assert not wrong("grading", "from reference.sandbox.isolation import WANTED\n")  # listed
    assert not wrong("judge", "from .plan import calls\nfrom reference.judge.fit import Fit\n")
    assert not wrong(
        "grading", "from reference.judge import diagnose, said\nimport reference.sandbox\n"
    )
    assert not wrong("diff", "from reference.grading import diagnose_file\n")


#: What would start a process, or stand in for one: never in the judge.
PROCESS_MODULES = ("subprocess", "multiprocessing", "concurrent", "pty", "reference.sandbox")
PROCESS_CALLS = ("fork", "forkpty", "system", "popen", "posix_spawn", "posix_spawnp", "spawnv",
                 "spawnve", "spawnl", "execv", "execve", "execl", "execvp")  # fmt: skip


@pytest.mark.parametrize("path", sorted((REFERENCE / "judge").glob("*.py")), ids=lambda p: p.name)
def test_the_judge_starts_no_process(path):
    # the judge is handed what a run returned: it starts none, and runs no submission
    tree = ast.parse(path.read_text())
    for name in imported(path):
        assert not any(name == m or name.startswith(m + ".") for m in PROCESS_MODULES), name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PROCESS_CALLS:
            assert getattr(node.value, "id", "") != "os", (path.name, node.attr)
        assert not (isinstance(node, ast.Name) and node.id in ("exec", "eval")), path.name


def test_a_process_in_the_judge_would_be_seen(tmp_path):
    # the check's own control
    for source in ("import subprocess\n", "from multiprocessing import Pool\n"):
        names = imported(REFERENCE / "judge" / "x.py", source)
        assert any(n.split(".")[0] in PROCESS_MODULES for n in names), source


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
            given += [f"*{x.arg}" for x in (a.vararg, a.kwarg) if x is not None]
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


# --- The mutation run's own tools ------------------------------------------------------


def test_under_a_mutant_the_quickest_files_of_tests_run_first(tmp_path):
    from tests.conftest import first_run_seconds, quickest_files_first

    stats = tmp_path / "mutmut-stats.json"
    seconds = {"a.py::x": 5.0, "a.py::y": 1.0, "b.py::x": 2.0, "c.py::z": 0.5}
    stats.write_text(json.dumps({"duration_by_test": seconds}))
    items = [
        SimpleNamespace(nodeid=n) for n in ("a.py::x", "b.py::x", "a.py::y", "c.py::z", "d.py::t")
    ]
    ordered = [item.nodeid for item in quickest_files_first(items, first_run_seconds(stats))]
    # a file no test of which was timed (0 s) first; a.py's tests kept in their own order
    assert ordered == ["d.py::t", "c.py::z", "b.py::x", "a.py::x", "a.py::y"]


def test_under_a_mutant_a_test_past_ten_times_its_time_is_stopped(tmp_path, monkeypatch):
    from tests import conftest

    stats = tmp_path / "mutmut-stats.json"
    stats.write_text(json.dumps({"duration_by_test": {"a.py::x": 5.0, "a.py::y": 1.0}}))
    items = [SimpleNamespace(nodeid=n) for n in ("a.py::x", "a.py::y", "b.py::z")]
    limits = conftest.hang_limits(items, conftest.first_run_seconds(str(stats)))
    assert limits == {"a.py::x": 50.0, "a.py::y": 30.0, "b.py::z": 30.0}
    monkeypatch.setitem(conftest.HANG_LIMITS, "a.py::x", 0.1)
    wrapper = conftest.pytest_runtest_call(SimpleNamespace(nodeid="a.py::x"))

    def a_test_that_hangs():
        next(wrapper)  # the test starts (its alarm set)
        time.sleep(10)

    with pytest.raises(conftest.Hung, match=r"^a\.py::x ran past 0\.1 s under a mutant$"):
        a_test_that_hangs()
    with pytest.raises(StopIteration):
        next(wrapper)  # the test ends: no alarm is left set
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    unlimited = conftest.pytest_runtest_call(SimpleNamespace(nodeid="a.py::y"))
    next(unlimited)  # no limit given (not under a mutant): no alarm set
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


PROGRESS = ROOT / "scripts" / "mutation_progress.py"


def _progress(*args):
    return subprocess.run([sys.executable, str(PROGRESS), *map(str, args)],
                          capture_output=True, text=True)  # fmt: skip


def _meta(codes, hashes):
    return {"exit_code_by_key": codes, "hash_by_function_name": hashes,
            "type_check_error_by_key": {}, "durations_by_key": {"k": 1.5},
            "estimated_durations_by_key": {}}  # fmt: skip


def test_a_mutation_runs_outcomes_are_kept_and_restored_but_its_timeouts(tmp_path):
    codes = {"pkg.mod.x_f__mutmut_1": 1, "pkg.mod.x_f__mutmut_2": 0, "pkg.mod.x_f__mutmut_3": None,
             "pkg.mod.xǁCǁm__mutmut_1": -24, "pkg.mod.xǁCǁm__mutmut_2": 33}  # fmt: skip
    hashes = {"x_f": "aaa", "xǁCǁm": "bbb", "x_g": "ccc"}
    meta = tmp_path / "mutants" / "pkg" / "mod.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps(_meta(codes, hashes)))
    record = tmp_path / "progress.json"
    saved = _progress("save", "--record", record, "--mutants", tmp_path / "mutants")
    assert saved.returncode == 0 and saved.stdout.startswith("3 outcomes saved")

    restored = _progress("restore", "--record", record, "--mutants", tmp_path / "fresh")
    assert restored.returncode == 0 and restored.stdout.startswith("3 outcomes restored")
    again = json.loads((tmp_path / "fresh" / "pkg" / "mod.py.meta").read_text())
    assert again == _meta({**codes, "pkg.mod.xǁCǁm__mutmut_1": None}, hashes) | {
        "durations_by_key": {}
    }

    # a file mutmut has outcomes of is left as it is
    (tmp_path / "fresh" / "pkg" / "mod.py.meta").write_text("{}")
    kept = _progress("restore", "--record", record, "--mutants", tmp_path / "fresh")
    assert kept.stdout.startswith("0 outcomes restored")
    assert (tmp_path / "fresh" / "pkg" / "mod.py.meta").read_text() == "{}"


def test_a_mutation_progress_not_there_is_said_in_one_line(tmp_path):
    for args in (("restore", "--record", tmp_path / "none.json"),
                 ("save", "--mutants", tmp_path / "none")):  # fmt: skip
        done = _progress(*args)
        assert done.returncode == 2 and not done.stdout
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


#: The text a newcomer reads for where things are: docs, docstrings, comments, commands.
TEXTS = sorted(
    p
    for pattern in ("*.py", "*.md", "*.toml", "*.ipynb", "*.cff", "*.cfg", "*.yml", "run")
    for p in ROOT.rglob(pattern)
    if not {".git", ".nox", "mutants", "__pycache__", ".venv-ci", "site-packages"} & set(p.parts)
    and p.name != "test_structure.py"  # whose examples name files that are not there
)


def test_every_file_of_reference_the_text_names_is_there():
    # a file named after a move (reference/diagnose.py, reference/grade_cli.py) leads nowhere
    named = re.compile(r"(?<![\w/.])(?:reference|numpy_impl|scripts|tests)/[\w/]+\.(?:py|toml|npz)")
    missing = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in TEXTS
        for name in named.findall(path.read_text(errors="replace"))
        if not (ROOT / name).exists() and "*" not in name
    }
    assert not missing, sorted(missing)
    assert named.findall("see reference/diagnose.py and scripts/grade.py") == [
        "reference/diagnose.py",
        "scripts/grade.py",
    ]
