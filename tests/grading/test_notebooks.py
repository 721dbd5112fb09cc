"""The notebooks in docs/: made from their Markdown pages (a stale one fails),
and the exercises' checks answering as they should in a real Jupyter kernel:
"not written yet" as handed out, "correct" with the solutions, the mistake's
name with a catalogued mistake pasted in. (``nox -s notebooks`` also runs every
notebook top to bottom under nbval, comparing what each cell prints.)"""

import json
import shutil
import subprocess
import sys

import pytest

from reference.judge.catalogue import ENTRIES
from reference.judge.languages import said
from tests.grading.exercise_solutions import COPIED, MISTAKES, OTHERWISE, SOLUTIONS, asks
from tests.helpers import ROOT

DOCS = ROOT / "docs"
MAKE = ROOT / "scripts" / "make_notebooks.py"
EXERCISES = sorted(SOLUTIONS)


def test_the_committed_notebooks_are_made_from_their_pages():
    done = subprocess.run([sys.executable, str(MAKE), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_stale_notebook_fails_the_check(tmp_path):
    shutil.copytree(DOCS, tmp_path, dirs_exist_ok=True)
    page = tmp_path / "walkthrough.md"
    page.write_text(page.read_text().replace("three letters", "three letters (edited)", 1))
    done = subprocess.run(
        [sys.executable, str(MAKE), "--check", "--docs", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: stale notebook(s): walkthrough.ipynb: run python scripts/make_notebooks.py"
    )


#: The functions the exercise asks for, in order, the same in both editions.
ASKED = {
    "forward": "def forward(x, w1, w2):",
    "d2": "def output_delta(a2, y):",
    "dw2": "def grad_w2(a1, d2):",
    "d1": "def hidden_delta(d2, w2, a1):",
    "dw1": "def grad_w1(x, d1):",
    "backprop": "def backprop(x, y, w1, w2):",
}


def test_both_editions_ask_for_the_same_functions_each_cell_tagged():
    for name in EXERCISES:
        cells = json.loads((DOCS / name).read_text())["cells"]
        tagged = [c for c in cells if asks(c) is not None]
        assert [asks(c) for c in tagged] == list(ASKED), name
        for cell in tagged:
            source = "".join(cell["source"])
            assert source.startswith(ASKED[asks(cell)]), source
            assert "raise NotImplementedError" in source  # handed out without a solution


def _run(name, forward=None, backprop=None):
    """Execute the exercise notebook in a fresh kernel, its exercise cells replaced;
    returns the text each cell printed, cell by cell."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(DOCS / name, as_version=4)
    for cell in nb.cells:
        replacement = {"forward": forward, "backprop": backprop}.get(asks(cell))
        if replacement is not None:
            cell.source = replacement
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    ).execute()
    printed = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            printed.append(
                "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            )
    return nb, printed


def _checked(name, forward, backprop):
    """The notebook run with these cells pasted in: what the forward pass's and the
    backprop's checks printed, and what each cell printed."""
    nb, printed = _run(name, forward, backprop)
    checks = _checks(nb, printed)
    return checks[0], checks[-1], printed


def _checks(nb, printed):
    """What the check cells printed, in order (the forward pass's, each step's, the
    backprop's)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [p for c, p in zip(code, printed)
            if "_result = check_" in c.source and "import" not in c.source]  # fmt: skip


@pytest.mark.notebook
@pytest.mark.product_in_child
@pytest.mark.parametrize("name", EXERCISES)
def test_left_blank_the_exercise_runs_to_the_end_and_says_not_written_yet(name):
    nb, printed = _run(name)
    checks = _checks(nb, printed)
    assert len(checks) == len(ASKED)
    assert all("not written yet" in p for p in checks), checks
    # and what the committed notebook shows is what today's code prints there, cell by cell
    committed = [c for c in json.loads((DOCS / name).read_text())["cells"]
                 if c["cell_type"] == "code"]  # fmt: skip
    ran = [c for c in nb.cells if c.cell_type == "code"]
    assert [_shown(c["outputs"]) for c in committed] == [_shown(c.outputs) for c in ran]


def _shown(outputs):
    """The text a cell's outputs show: what it printed, and the value it ended with."""
    return "".join(
        "".join(o.get("text", ""))
        if o["output_type"] == "stream"
        else "".join(o.get("data", {}).get("text/plain", ""))
        for o in outputs
    )


@pytest.mark.notebook
@pytest.mark.product_in_child
@pytest.mark.parametrize("name", EXERCISES)
def test_the_teachers_edition_runs_and_every_check_says_correct(name):
    nb, printed = _run(f"teacher/{name}")  # the student's edition with the solutions in
    checks = _checks(nb, printed)
    assert len(checks) == len(ASKED)
    assert all(p.splitlines()[0] in ("correct", "正确 (correct)") for p in checks), checks
    assert "['A', 'B', 'C']" in printed[-1]  # and the student's own network learns


@pytest.mark.notebook
@pytest.mark.product_in_child
@pytest.mark.parametrize("name", EXERCISES)
def test_a_catalogued_mistake_is_named(name):
    mistake, code = MISTAKES[name]
    forward_check, backward_check, printed = _checked(name, SOLUTIONS[name]["forward"], code)
    assert forward_check.splitlines()[0] in ("correct", "正确 (correct)")
    language = "zh" if ".zh." in name else "en"
    assert "not correct yet" in backward_check
    assert f"*{said(ENTRIES[mistake].words, language)}*" in backward_check
    assert printed[-1] == ""  # no training with a wrong gradient


@pytest.mark.notebook
@pytest.mark.product_in_child
@pytest.mark.parametrize("name", EXERCISES)
def test_the_projects_own_answers_are_refused_by_name(name):
    forward_check, backward_check, printed = _checked(name, *COPIED[name])
    language = "zh" if ".zh." in name else "en"
    for check, used, function in ((forward_check, "forward", "forward"),
                                  (backward_check, "gradients", "backprop")):  # fmt: skip
        assert check.startswith(("cannot be checked", "无法检查")), check
        refused = (f"the notebook uses numpy_impl.network.{used}, the project's own code: its"
                   " answers would be the project's, not yours, so they are not judged; write"
                   f" {function} without it")  # fmt: skip
        assert said(refused, language) in check, check
    assert printed[-1] == ""  # no training either


@pytest.mark.notebook
@pytest.mark.product_in_child
@pytest.mark.parametrize("name", EXERCISES)
def test_the_check_judges_the_code_as_the_notebook_ran_it(name):
    forward_check, backward_check, printed = _checked(name, *OTHERWISE[name])
    assert forward_check.splitlines()[0] in ("correct", "正确 (correct)"), forward_check
    assert backward_check.splitlines()[0] in ("correct", "正确 (correct)"), backward_check
    language = "zh" if ".zh." in name else "en"
    printed_by = said("what backprop printed, at the check's points:", language)
    assert f"{printed_by}\na2 has shape (1, 3)" in backward_check
    assert "['A', 'B', 'C']" in printed[-1]


@pytest.mark.parametrize("name", EXERCISES)
def test_the_students_edition_holds_no_line_of_the_solution(name):
    handed = "".join("".join(c["source"]) for c in json.loads((DOCS / name).read_text())["cells"])
    solved = [line.strip() for code in SOLUTIONS[name].values() for line in code.splitlines()]
    lines = [line for line in solved if line and not line.startswith(("def ", '"""', "###"))]
    assert len(lines) >= 6
    assert [line for line in lines if line in handed] == []
    assert "### BEGIN SOLUTION" not in handed and "### BEGIN HANDOUT" not in handed
    teacher = json.loads((DOCS / "teacher" / name).read_text())["cells"]
    assert all("raise NotImplementedError" not in "".join(c["source"]) for c in teacher)


@pytest.mark.notebook
@pytest.mark.product_in_child
def test_the_exercise_for_a_described_network_says_not_written_yet_then_correct():
    nb, printed = _run("exercise-columns.ipynb")
    assert [p for p in _checks(nb, printed)] == ["not written yet\n"]
    # and what the committed notebook shows is what today's code prints there, cell by cell
    committed = [c for c in json.loads((DOCS / "exercise-columns.ipynb").read_text())["cells"]
                 if c["cell_type"] == "code"]  # fmt: skip
    ran = [c for c in nb.cells if c.cell_type == "code"]
    assert [_shown(c["outputs"]) for c in committed] == [_shown(c.outputs) for c in ran]
    nb, printed = _run("teacher/exercise-columns.ipynb")
    said = _checks(nb, printed)[0].splitlines()
    assert said[0] == "correct" and [line.split(":")[0] for line in said[1:]] == [
        "dW1", "db1", "dW2", "db2"]  # fmt: skip
    assert all(": correct for the binary cross-entropy" in line for line in said[1:])
    assert printed[-1] == "True\n"  # and the student's gradients classify the examples
    pasted = (  # db1 without its axis of length one
        "def backprop(X, Y, W1, b1, W2, b2):\n"
        "    m = X.shape[1]\n"
        "    Z1, A1, A2 = forward(X, W1, b1, W2, b2)\n"
        "    dZ2 = (A2 - Y) / m\n"
        "    dZ1 = (W2.T @ dZ2) * (Z1 > 0)\n"
        "    return dZ1 @ X.T, dZ1.sum(axis=1), dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)\n"
    )
    nb, printed = _run("exercise-columns.ipynb", backprop=pasted)
    said = _checks(nb, printed)[0].splitlines()
    assert said[0] == "not correct yet"
    assert "db1: its values are right, its shape is not: (5,), not b1's (5, 1)" in said[2]
