"""The house rules the code is held to, checked: the lesson stays the lesson,
the rooms stay apart, and no call needs a count of its arguments.

    numpy_impl/ (the product)  <-  reference/ (five rooms)  <-  scripts/, tests/

Inside reference/, each room is a package that imports only through its doors
(DOORS): the rooms listed in the order ROOMS, none importing one after it.
"""

import ast
import functools
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import tokenize
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
        if into in ("", room) or (len(parts) == 1 and into in rooms):
            continue  # import reference, or from reference import <a room it may enter>
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
    assert not wrong("grading", "import reference\nfrom reference import sandbox, judge\n")
    assert not wrong("judge", "from .plan import calls\nfrom reference.judge.fit import Fit\n")
    assert not wrong(
        "grading", "from reference.judge import diagnose, said\nimport reference.sandbox\n"
    )
    assert not wrong("diff", "from reference.grading import diagnose_file\n")


#: What would start a process, or stand in for one: never in the judge.
PROCESS_MODULES = ("subprocess", "multiprocessing", "concurrent", "pty", "asyncio", "pexpect",
                   "ctypes", "reference.sandbox")  # fmt: skip
#: os's functions that start or replace a process, by how their names begin.
PROCESS_CALLS = ("fork", "exec", "spawn", "posix_spawn", "system", "popen", "startfile")


def starts_a_process(path: Path, source=None) -> set:
    """What of ``path`` could start a process: a module of PROCESS_MODULES imported, one
    of os's PROCESS_CALLS (imported from os, or read off os under any name), exec or eval."""
    tree = ast.parse(source if source is not None else path.read_text())
    found = set()
    for module, name in imports(path, source):
        full = f"{module}.{name}" if name else module
        if any(full == m or full.startswith(m + ".") for m in PROCESS_MODULES):
            found.add(full)
        if module == "os" and (name or "").startswith(PROCESS_CALLS):
            found.add(full)
    oses = {"os"} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "os" and alias.asname
    }
    for node in ast.walk(tree):
        called = isinstance(node, ast.Attribute) and node.attr.startswith(PROCESS_CALLS)
        if called and getattr(node.value, "id", "") in oses:
            found.add(f"os.{node.attr}")
        if isinstance(node, ast.Name) and node.id in ("exec", "eval", "__import__"):
            found.add(node.id)
    return found


@pytest.mark.parametrize("path", sorted((REFERENCE / "judge").glob("*.py")), ids=lambda p: p.name)
def test_the_judge_starts_no_process(path):
    # the judge is handed what a run returned: it starts none, and runs no submission
    assert not starts_a_process(path), path.name


@pytest.mark.parametrize(
    "source",
    ["import subprocess\n", "from multiprocessing import Pool\n", "import os\nos.fork()\n",
     "from os import fork\n", "import os as o\no.system('ls')\n", "os.spawnlp(0, 'ls')\n",
     "os.execlp('ls')\n", "import asyncio\n", "exec('1')\n",
     "from reference.sandbox import Runner\n",
     "from concurrent.futures import ProcessPoolExecutor\n", "os.posix_spawnp('ls', [], {})\n"],
)  # fmt: skip
def test_a_process_in_the_judge_would_be_seen(source):
    # the check's own control: each way in, and what is no process
    assert starts_a_process(REFERENCE / "judge" / "x.py", source), source


def test_what_starts_no_process_is_not_taken_for_one():
    harmless = "import os\nos.path.join('a')\nos.environ.get('A')\nfrom os import path\n"
    assert not starts_a_process(REFERENCE / "judge" / "x.py", harmless)


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
TEXT_ENDINGS = (".py", ".md", ".toml", ".ipynb", ".cff", ".cfg", ".yml", "/run")
#: Folders that are not the project's own text: made by tools, or copies of it.
NOT_TEXT = {".git", ".nox", "mutants", "__pycache__", ".venv", ".venv-ci", "build", "dist"}


def texts():
    """The project's text files: those git tracks, or (no git here) those of the tree
    outside what tools make, each but this file (whose examples name files not there)."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode().split("\0")  # fmt: skip
    else:  # pragma: no cover - a copy of the tree (mutmut's)
        listed = []
        for folder, inside, names in os.walk(ROOT):
            inside[:] = [n for n in inside if n not in NOT_TEXT and not n.endswith(".egg-info")]
            listed += [os.path.relpath(os.path.join(folder, n), ROOT) for n in names]
    found = [ROOT / name for name in listed if ("/" + name).endswith(TEXT_ENDINGS)]
    return [p for p in found if p.name != "test_structure.py" and p.is_file()]


def _written(path: Path) -> str:
    """The words of ``path`` a reader takes for prose: a Python file's comments and
    strings (not its code, where ``reference`` may be a variable), any other file whole."""
    text = path.read_text(errors="replace")
    if path.suffix != ".py":
        return text
    kept = (tokenize.COMMENT, tokenize.STRING)
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return "\n".join(t.string for t in tokens if t.type in kept)


@functools.cache
def _parsed(module: Path) -> ast.Module:
    return ast.parse(module.read_text())


def _defines(module: Path, name: str) -> bool:
    """Whether ``module`` binds ``name`` at its top (a def, a class, an assignment, an
    import; under an ``if`` too), or has a submodule of that name."""
    inside = module.parent / name
    if module.name == "__init__.py" and (inside.with_suffix(".py").is_file() or inside.is_dir()):
        return True
    tree = _parsed(module)
    top = [*tree.body, *(n for i in tree.body if isinstance(i, ast.If) for n in i.body + i.orelse)]
    for node in top:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = {node.name}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            continue
        if name in bound:
            return True
    return False


def named_nowhere(dotted: str) -> bool:
    """Whether ``dotted`` (reference.judge.trace.describe_d1, numpy_impl.RULE_LOSS)
    names no module of the project, or nothing its module binds."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:k])
        module = base.with_suffix(".py")
        module = module if module.is_file() else base / "__init__.py"
        if module.is_file():
            return k < len(parts) and not _defines(module, parts[k])
    return True


def mutmuts(name: str) -> bool:
    """A mutant's name (x_f__mutmut_3, with the class's mark), or the start of one."""
    return "\u01c1" in name or name.endswith("__") or "__mutmut_" in name


def test_every_file_and_name_the_text_gives_is_there():
    # a file or a name from before a move (reference/diagnose.py, reference.runner.Runner)
    # leads a reader nowhere
    path_named = re.compile(
        r"(?<![\w/.])(?:reference|numpy_impl|scripts|tests)/[\w/]+\.(?:py|toml|npz)"
    )
    dotted = re.compile(r"(?<![\w/.])(?:reference|numpy_impl)(?:\.[A-Za-z]\w*)+")
    found = texts()
    assert len(found) > 100, len(found)  # the tree was read
    missing = set()
    for path in found:
        said = path.read_text(errors="replace")
        missing |= {f"{path.relative_to(ROOT)}: {name}" for name in path_named.findall(said)
                    if not (ROOT / name).exists() and "*" not in name}  # fmt: skip
        missing |= {f"{path.relative_to(ROOT)}: {name}" for name in dotted.findall(_written(path))
                    if named_nowhere(name) and not mutmuts(name)}  # fmt: skip
    assert not missing, sorted(missing)


def test_a_file_or_a_name_from_before_the_move_would_be_seen():
    # the check's own control
    assert named_nowhere("reference.diagnose.check") and named_nowhere("reference.runner")
    assert named_nowhere("reference.sandbox.runner.child_environment")  # in the worker
    assert not named_nowhere("reference.sandbox.worker.child_environment")
    assert not named_nowhere("reference.witnesses.tolerances.GRADIENT")
    assert not named_nowhere("numpy_impl.RULE_LOSS") and not named_nowhere("reference.judge")
    assert not named_nowhere("reference.sandbox.isolation.isolation")
    assert named_nowhere("numpy_impl.no_such_name")
