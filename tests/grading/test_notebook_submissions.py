"""Notebooks handed in (reference/grading/notebook.py): the student's cells made a module,
the checks and the training left out; a class of notebooks, in both languages and beside
a .py file, graded in one run, each with the status it must get."""

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from reference.grading.classroom import defined
from reference.grading.cli import main
from reference.grading.notebook import cells_of
from tests.grading.exercise_solutions import COPIED, MISTAKES, OTHERWISE, SOLUTIONS, asks
from tests.helpers import ROOT

pytestmark = pytest.mark.product_in_child  # a copied answer imports numpy_impl
DOCS = ROOT / "docs"


def handed_in(folder, name, page, written, first=None):
    """The exercise notebook ``page`` with its exercise cells filled in as ``written``
    says (by what each asks for: "forward", "d2"... "backprop"), as a student hands it
    in (``first``: a cell of their own put first)."""
    nb = json.loads((DOCS / page).read_text())
    for cell in nb["cells"]:
        cell["source"] = written.get(asks(cell)) or cell["source"]
    if first is not None:
        nb["cells"].insert(0, {"cell_type": "code", "metadata": {}, "source": first,
                               "outputs": [], "execution_count": None})  # fmt: skip
    (folder / name).write_text(json.dumps(nb, ensure_ascii=False))
    return folder / name


def pair(forward=None, backprop=None):
    """The forward pass's and the backprop's cells written so (None: as handed out)."""
    return {"forward": forward, "backprop": backprop}


#: The article's form, a step that returns the updated weights, from the steps.
ARTICLE_STEP = """def back_prop(x, y, w1, w2, alpha):
    a1, a2 = forward(x, w1, w2)
    d2 = output_delta(a2, y)
    d1 = hidden_delta(d2, w2, a1)
    return w1 - alpha * grad_w1(x, d1), w2 - alpha * grad_w2(a1, d2)"""


def test_the_module_keeps_the_students_cells_and_leaves_out_the_checks_and_training(tmp_path):
    first = "%matplotlib inline\n!pip list\nSCALE = 2 * 3\nprint('hello')"
    path = handed_in(tmp_path, "a.ipynb", "exercise.ipynb", pair(*OTHERWISE["exercise.ipynb"]),
                     first)  # fmt: skip
    cells = cells_of(path.read_bytes())
    text = cells.source.decode()
    assert "SCALE = 2 * 3" in text and "from numpy import exp" in text and "HALF = 0.5" in text
    assert "def forward(" in text and "def backprop(" in text and "def train_with(" in text
    for left_out in ("check_forward", "check_backprop", "reference", "print('hello')",
                     "matplotlib", "pip", "ni.dataset()", "train_with(backprop)"):  # fmt: skip
        assert left_out not in text, left_out
    compile(text, "module.py", "exec")
    # every line of the module is a line of its cell, and said so
    lines = text.splitlines()
    backprop_at = lines.index("def backprop(x, y, w1, w2):") + 1
    number = next(i for i, c in enumerate(json.loads(path.read_text())["cells"], start=1)
                  if asks(c) == "backprop")  # fmt: skip
    assert cells.lines[backprop_at] == (f"cell {number} (backprop)", 4)
    said = cells.said(f"raised (at A, line {backprop_at + 1})")
    assert said == f"raised (at A, cell {number} (backprop), line 5)"


@pytest.mark.parametrize(
    ("data", "why"),
    [(b"hello", "JSON with cells"), (b'{"cells": 3}', "JSON with cells"),
     (b'{"cells": [{"cell_type": "code", "source": 5}]}', "a cell's source is not text"),
     (b"\xff\xfe", "JSON with cells")],
)  # fmt: skip
def test_a_file_that_is_no_notebook_is_said_so(data, why):
    assert cells_of(data) == f"it is not a Jupyter notebook ({why})"


def test_a_class_of_notebooks_in_both_languages_is_graded_in_one_run(tmp_path):
    en, zh = "exercise.ipynb", "exercise.zh.ipynb"
    loop = "def backprop(x, y, w1, w2):\n    while True:\n        pass"
    class_ = [
        ("a_correct", en, SOLUTIONS[en], None, "correct"),
        ("b_zh_correct", zh, {**SOLUTIONS[zh], "backprop": ARTICLE_STEP}, None, "correct"),
        ("c_imports", en, pair(*OTHERWISE[en]), "%matplotlib inline\n!ls", "correct"),
        ("d_zh_imports", zh, pair(*OTHERWISE[zh]), None, "correct"),
        ("e_mistake", en, pair(SOLUTIONS[en]["forward"], MISTAKES[en][1]), None, "wrong"),
        ("f_copied", en, pair(*COPIED[en]), None, "unchecked copied"),
        ("g_zh_copied", zh, pair(*COPIED[zh]), None, "unchecked copied"),
        ("h_blank", en, pair(), None, "unchecked raised"),
        ("i_loop", en, pair(None, loop), None, "unchecked timeout"),
        ("j_syntax", en, pair(None, "def backprop(x, y, w1, w2)\n    pass"), None,
         "unchecked syntax"),
    ]  # fmt: skip
    expected = {handed_in(tmp_path, f"{name}.ipynb", page, written, first): status
                for name, page, written, first, status in class_}  # fmt: skip
    (tmp_path / "z_not_a_notebook.ipynb").write_text("{")
    expected[tmp_path / "z_not_a_notebook.ipynb"] = "unchecked unreadable"
    sigmoid = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
    plain = "\n\n\n".join(["import numpy as np", sigmoid, *SOLUTIONS[en].values()]) + "\n"
    (tmp_path / "l_plain.py").write_text(plain)
    expected[tmp_path / "l_plain.py"] = "correct"
    out = io.StringIO()
    status = main([str(tmp_path), "--function", "backprop,back_prop", "--timeout", "3",
                   "--forward", "forward,f_forward", "--json", str(tmp_path / "g.json")],
                  out=out)  # fmt: skip
    assert status == 1
    found = {s["file"]: s for s in json.loads((tmp_path / "g.json").read_text())["submissions"]}
    # the forward pass judged too: as handed out, copied, or right
    forwards = {Path(f).stem: " ".join(filter(None, [s["forward"]["status"],
                                                     s["forward"]["reason"]]))
                for f, s in found.items()}  # fmt: skip
    assert forwards == {
        **{n: "correct" for n in ("a_correct", "b_zh_correct", "c_imports", "d_zh_imports",
                                  "e_mistake", "l_plain")},
        "f_copied": "unchecked copied", "g_zh_copied": "unchecked copied",
        "h_blank": "not written yet", "i_loop": "not written yet",
        "j_syntax": "unchecked syntax", "z_not_a_notebook": "unchecked unreadable",
    }  # fmt: skip
    assert [s["max_score"] for s in found.values()] == [5.0] * len(found)
    got = {p: " ".join(filter(None, [found[str(p)]["status"], found[str(p)]["reason"]]))
           for p in expected}  # fmt: skip
    assert got == expected
    assert found[str(tmp_path / "e_mistake.ipynb")]["mistakes"] == [MISTAKES[en][0]]
    assert found[str(tmp_path / "b_zh_correct.ipynb")]["function"] == "back_prop"
    said = found[str(tmp_path / "j_syntax.ipynb")]["message"]
    cells = json.loads((DOCS / en).read_text())["cells"]
    number = next(i for i, c in enumerate(cells, start=1) if asks(c) == "backprop")
    assert said.endswith(f"SyntaxError: expected ':' (cell {number}, line 1)"), said


def test_a_wrong_backprop_that_calls_a_wrong_forward_pass_says_so_first(tmp_path):
    en = "exercise.ipynb"
    no_sigmoid = "def forward(x, w1, w2):\n    a1 = sigmoid(x @ w1)\n    return a1, a1 @ w2"
    path = handed_in(tmp_path, "a.ipynb", en, {**SOLUTIONS[en], "forward": no_sigmoid})
    out = io.StringIO()
    right = handed_in(tmp_path, "b.ipynb", en, SOLUTIONS[en])
    alone = main([str(right), "--forward", "forward", "--json", str(tmp_path / "b.json")],
                 out=io.StringIO())  # fmt: skip
    (graded,) = json.loads((tmp_path / "b.json").read_text())["submissions"]
    assert alone == 0 and graded["parts"][-1] == {
        "part": "forward", "holds": True, "required": True, "points": 1.0, "of": 1.0}  # fmt: skip
    status = main([str(path), "--forward", "forward", "--points", "forward=2", "--gradescope",
                   str(tmp_path / "r.json"), "--csv", str(tmp_path / "g.csv"),
                   "--feedback", str(tmp_path / "notes")], out=out)  # fmt: skip
    assert status == 1
    first = ("backprop calls forward, which is not right yet: fix forward first; until then"
             " the words on backprop may point at lines that are right")  # fmt: skip
    said = (tmp_path / "notes" / "a.md").read_text()
    assert f"`{first}`" in said and "The forward pass checked: `forward`." in said
    assert "- `a2 is not sigmoid(a1 @ w2): it is a1 @ w2, without the sigmoid (at A" in said
    results = json.loads((tmp_path / "r.json").read_text())
    forward = results["tests"][-1]
    assert (forward["name"], forward["score"], forward["max_score"], forward["status"]) == (
        "the forward pass, forward", 0.0, 2.0, "failed")  # fmt: skip
    assert forward["output"].startswith("wrong; a2 is not sigmoid(a1 @ w2)")
    (row,) = csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text()))
    assert list(row)[-3:] == ["forward_function", "forward", "forward_words"]
    assert (row["forward_function"], row["forward"]) == ("forward", "wrong")
    assert row["forward_words"].startswith("a2 is not sigmoid(a1 @ w2)")
    table = out.getvalue().splitlines()
    assert table[-1] == "forward passes: 0 of 1 correct"
    assert table[0].split() == ["submission", "status", "forward", "seconds", "what"]
    assert table[1].split()[:3] == ["a.ipynb", "wrong", "wrong"]


def test_a_name_bound_again_outside_what_is_kept_is_the_notebooks_last(tmp_path):
    # a right backprop first, then replaced: inside an if, and by an assignment of a call;
    # the module must end with the last, as the kernel did (never judge the stale one)
    for later in ("if True:\n    def backprop(x, y, w1, w2):\n        return w1, w2",
                  "backprop = (lambda f: f)(lambda x, y, w1, w2: (w1, w2))"):  # fmt: skip
        path = handed_in(tmp_path, "a.ipynb", "exercise.ipynb", SOLUTIONS["exercise.ipynb"])
        nb = json.loads(path.read_text())
        nb["cells"].append({"cell_type": "code", "metadata": {}, "source": later,
                            "outputs": [], "execution_count": None})  # fmt: skip
        path.write_text(json.dumps(nb))
        space = {}
        exec(cells_of(path.read_bytes()).source, space)
        w1, w2 = np.ones((30, 5)), np.ones((5, 3))
        assert space["backprop"](np.ones((1, 30)), np.ones((1, 3)), w1, w2)[0] is w1, later


def _notebook(*sources):
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
              "execution_count": None} for s in sources]  # fmt: skip
    return json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}).encode()


RIGHT = "def backprop(x, y, w1, w2):\n    return 'right'"


@pytest.mark.parametrize(
    "later",
    [
        "%%time\ndef backprop(x, y, w1, w2):\n    return 'last'",  # run in the namespace
        "%%capture\nbackprop = lambda x, y, w1, w2: 'last'",
        "def twice(f):\n    return lambda *a: 'last'\n\n@twice\ndef backprop(x, y, w1, w2):\n"
        "    return 'right'",  # the decorator is the kernel's too
        "np.matmul?\nK = (1\n     != 2\n     % 1)\n%timeit 1\nt = %time 1\n!ls\n"
        "def backprop(x, y, w1, w2):\n    return 'last'",  # magics blank, continuations kept
    ],
)  # fmt: skip
def test_the_module_has_the_function_the_kernel_ran_last(later):
    space = {}
    exec(cells_of(_notebook("import numpy as np", RIGHT, later)).source, space)
    assert space["backprop"](1, 2, 3, 4) == "last"


def test_what_is_not_python_or_too_big_is_said_so_and_lines_are_said_of_cells():
    assert cells_of(_notebook("%%bash\nrm -rf /", RIGHT)).source.count(b"def backprop") == 1
    assert cells_of(_notebook("def f():\n    return '\ud800'")) == (
        "a cell holds text that is not Unicode (a lone surrogate)"
    )
    # a cell magic that does not run its body as Python: its definitions are not the kernel's
    written = "%%writefile backprop.py\ndef backprop(x, y, w1, w2):\n    return 'a file'"
    space = {}
    exec(cells_of(_notebook(RIGHT, written)).source, space)
    assert space["backprop"](1, 2, 3, 4) == "right"
    assert "over 256 KiB of code" in cells_of(_notebook("A = [" + "1," * 200_000 + "]"))
    cells = cells_of(
        _notebook("import numpy as np", "K = 1\n" + RIGHT + "\ndef other():\n    pass")
    )
    at = cells.source.decode().splitlines().index("def backprop(x, y, w1, w2):") + 1
    assert cells.said(f"x, line 3.ipynb raised E: at (line 1, line {at})") == (
        "x, line 3.ipynb raised E: at (line 1, cell 2 (backprop, other), line 2)")  # fmt: skip


def test_the_function_asked_for_is_found_however_it_is_bound():
    ways = ("backprop = lambda *a: 0", "if True:\n    def backprop(): pass",
            "from m import backprop", "def back_prop(): pass\nbackprop = back_prop")  # fmt: skip
    for bound in ways:
        assert defined(f"{bound}\n".encode(), ["backprop", "back_prop"]) == "backprop", bound
    assert defined(b"def back_prop(): pass\n", ["backprop", "back_prop"]) == "back_prop"
    assert defined(b"def (", ["backprop", "back_prop"]) == "backprop"


def test_the_module_keeps_what_it_can_compute_and_the_last_value_of_a_name():
    text = cells_of(_notebook(
        "import numpy as np\nimport numpy_impl as ni\nfrom math import sqrt\n"
        "from reference.grading.exercise import check_backprop\n"
        "from reference.witnesses.oracles import complex_step",
        "SCALE = 2 / 3\nHALF = np.float64(0.5) * sqrt(1.0)\nx, y = ni.dataset()\nX_ALL = x\n"
        "act = lambda z: 1 / (1 + np.exp(-z * HALF))",
        "SCALE = float(1)",  # left out alone, kept as it binds SCALE again
        "for HALF in (1, 2):\n    check_backprop(act)",  # binds HALF again: kept too
    )).source.decode()  # fmt: skip
    assert "check_backprop\n" not in text.split("for HALF")[0]  # the checks' import left out
    assert "from reference.witnesses.oracles import complex_step" in text  # the sandbox refuses
    assert "HALF = np.float64(0.5) * sqrt(1.0)" in text and "act = lambda" in text
    assert "ni.dataset()" not in text and "X_ALL = x" not in text  # x is not the module's
    assert text.index("SCALE = 2 / 3") < text.index("SCALE = float(1)")
    assert "for HALF in (1, 2):" in text
