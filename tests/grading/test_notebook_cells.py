"""A notebook handed in, read in the grader's own process (reference/grading/notebook.py):
the module made of its cells (what is kept, what is left out, the words for a notebook
that is none), the function a module binds, and a notebook that is none graded. Nothing
here runs a submission (the class of notebooks graded whole, whose copied answers
import numpy_impl in their children, is tests/grading/test_notebook_submissions.py)."""

import json
import os

import pytest

from reference.grading.classroom import Forward, Verdict, defined, grade
from reference.grading.notebook import CODE_LIMIT, Cells, cells_of
from reference.judge import Contract

NAMES = ["backprop", "back_prop"]
RIGHT = "def backprop(x, y, w1, w2):\n    return 'right'"


def _notebook(*sources):
    """A notebook's file: a Markdown cell first, then a code cell for each source."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# The exercise"}]
    cells += [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
               "execution_count": None} for s in sources]  # fmt: skip
    return json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}).encode()


def _loaded(*sources):
    """The namespace of the module made of a notebook of these code cells, run."""
    space = {}
    exec(cells_of(_notebook(*sources)).source, space)
    return space


def test_a_notebook_that_is_none_is_said_so_in_words():
    assert cells_of(b"{") == "it is not a Jupyter notebook (JSON with cells)"
    source_a_number = b'{"cells": [{"cell_type": "code", "source": 5}]}'
    assert cells_of(source_a_number) == (
        "it is not a Jupyter notebook (a cell's source is not text)"
    )
    assert cells_of(_notebook("def f():\n    return '\ud800'")) == (
        "a cell holds text that is not Unicode (a lone surrogate)"
    )


def test_code_up_to_the_limit_is_read_and_past_it_said_so():
    """256 KiB of code is read; a character more is not (in a notebook, or in a module
    whose function is looked for: the first name asked for is then taken)."""
    assert isinstance(cells_of(_notebook("#" * CODE_LIMIT)), Cells)
    assert cells_of(_notebook("#" * (CODE_LIMIT + 1))) == "it holds over 256 KiB of code"
    head = b"def back_prop():\n    pass\n#"
    at_limit = head + b"x" * (CODE_LIMIT - len(head))
    assert len(at_limit) == CODE_LIMIT and defined(at_limit, NAMES) == "back_prop"
    assert defined(at_limit + b"x", NAMES) == "backprop"


def test_the_function_asked_for_is_found_whatever_else_its_statement_binds():
    assert defined(b"from m import back_prop\n", NAMES) == "back_prop"
    assert defined(b"if True:\n    import json\n    back_prop = json.loads\n", NAMES) == (
        "back_prop"
    )
    assert defined(b"if True:\n    back_prop = None\n    def helper():\n        pass\n",
                   NAMES) == "back_prop"  # fmt: skip


def test_a_name_bound_to_what_the_module_has_is_kept():
    """Names bound to a builtin, to an imported module's attribute (of a dotted import
    too), or to names kept before: the functions that use them find them."""
    space = _loaded(
        "import json\nimport os.path",
        "KIND = float\nDUMP = json.dumps\nSEP = os.sep\nHALF = 1 / 2\nQUARTER = HALF * HALF",
        "def names():\n    return KIND, DUMP, SEP, QUARTER",
    )
    assert space["names"]() == (float, json.dumps, os.sep, 0.25)


def test_what_needs_a_name_left_out_is_left_out_and_a_definition_in_an_if_kept():
    """x is left out (a call of a builtin is not the module's to make): a sum, an item
    and a tuple with a lambda made of x are left out too, and the module loads."""
    space = _loaded(
        "x = len('ab')",
        "Y = x + 1\nFIRST = x[0]\nPAIR = (x, lambda z: z)",
        "if True:\n    def helper():\n        return 'helper'",
        RIGHT,
    )
    assert not {"x", "Y", "FIRST", "PAIR"} & set(space)
    assert space["helper"]() == "helper" and space["backprop"](1, 2, 3, 4) == "right"


def test_the_projects_checks_are_left_out_and_magics_read_as_the_kernel_reads_them():
    """The checks' import left out; a %%writefile cell is not the kernel's Python; a line
    of a cell under %%time that starts with % as a continuation is Python; a shell line
    inside a function is a pass; a line Python cannot read in a cell that defines nothing
    is left out."""
    text = cells_of(_notebook("import reference.grading.exercise as ex\nimport numpy as np",
                              RIGHT)).source.decode()  # fmt: skip
    assert "reference" not in text and "import numpy as np" in text
    written = "%%writefile backprop.py\ndef backprop(x, y, w1, w2):\n    return 'a file'"
    space = _loaded(
        RIGHT,
        written,
        "%%time\nN = 3\nK = (7\n     %N)",
        "def listed():\n    !ls\n    return 'listed'",
        "print 'hello'",  # left out: else the module would not load
    )
    assert space["backprop"](1, 2, 3, 4) == "right"
    assert space["K"] == 7 % 3
    assert space["listed"]() == "listed"


def test_each_line_is_said_of_its_cell_with_the_functions_it_defines():
    cells = cells_of(_notebook("K = 1", "def a():\n    pass\ndef b():\n    pass"))
    at = cells.source.decode().splitlines().index("def b():") + 1
    # the Markdown cell is the first: the code cells are the second and the third
    assert cells.lines[at] == ("cell 3 (a, b)", 3)


def test_a_notebook_that_is_none_is_graded_unreadable_with_its_forward_pass(tmp_path, sandbox):
    """What a teacher sees of a notebook that is not JSON: unchecked, unreadable, in one
    line; the backprop's and the forward pass's names the first asked for."""
    path = tmp_path / "a.ipynb"
    path.write_text("{")
    said = f"{path} was not read: it is not a Jupyter notebook (JSON with cells)"
    contract = Contract.parse("", "forward=2")
    (alone,) = grade([(str(path), "backprop,back_prop")], "bce", runner=sandbox,
                     contract=contract)  # fmt: skip
    assert alone == Verdict(str(path), "backprop", "bce", "unchecked", "unreadable", said,
                            contract=contract)  # fmt: skip
    (both,) = grade([(str(path), "backprop,back_prop")], "bce", runner=sandbox,
                    contract=contract, forward="forward,f_forward")  # fmt: skip
    assert both.forward == Forward("forward", "unchecked", [said], "unreadable")
    assert (both.status, both.reason, both.message, both.function, both.loss) == (
        "unchecked", "unreadable", said, "backprop", "bce")  # fmt: skip
    # nothing of the four parts' 1 point each and the forward pass's 2
    assert (both.score, both.max_score) == (0.0, 4 * 1.0 + 2.0)


def test_a_cell_python_cannot_read_is_its_own_error_whatever_cells_surround_it():
    """The kernel runs each cell alone: a cell that does not parse defines nothing, and
    the module fails at that cell's own line, though an open bracket in it could be
    closed by the next cell, or its indented first line continue the cell above."""
    opened = ["def backprop(x, y, w1, w2):\n    return (", "'joined')\ndef other():\n    pass"]
    indented = [RIGHT, "    return 'wrong'\ndef other():\n    pass"]
    # the code cells are numbered after _notebook's Markdown cell; the indented cell read
    # as the kernel reads it, its first line's indent taken off each: its pass, then at
    # the margin under def other():, is the error
    for cells, where in ((opened, ("cell 2", 2)), (indented, ("cell 3", 3))):
        made = cells_of(_notebook(*cells))
        with pytest.raises(SyntaxError) as error:
            compile(made.source, "module", "exec")
        assert made.lines[error.value.lineno] == where


def test_a_cell_the_kernel_runs_is_read_though_a_shell_line_is_a_blocks_body_or_all_indented():
    """A shell line alone in a block, and a cell indented whole (the kernel takes its first
    line's indent off every line), are Python the kernel runs: backprop is defined."""
    shell = "def backprop(x, y, w1, w2):\n    for i in range(2):\n        !echo hi\n    return 2"
    indented = "    def backprop(x, y, w1, w2):\n        return 'right'"
    assert _loaded(shell)["backprop"](0, 0, 0, 0) == 2
    assert _loaded(indented)["backprop"](0, 0, 0, 0) == "right"


def test_a_cell_magic_after_blank_lines_is_the_cells_and_a_help_line_a_pass():
    """The kernel drops a cell's leading blank lines: %%writefile there is still the cell's
    magic (its body never defined backprop), %%time still runs its body; a help request
    written before the name (?np.dot, ??np.dot) is a line the kernel runs, as np.dot? is."""
    written = "\n  \n%%writefile backprop.py\ndef backprop(x, y, w1, w2):\n    return 'a file'"
    timed = "\n%%time\nK = 3"
    helped = "?np.dot\ndef backprop(x, y, w1, w2):\n    ??np.dot\n    return 'helped'"
    space = _loaded(RIGHT, written, timed)
    assert space["backprop"](1, 2, 3, 4) == "right" and space["K"] == 3
    assert _loaded(helped)["backprop"](1, 2, 3, 4) == "helped"
    made = cells_of(_notebook(timed))
    assert made.lines[made.source.decode().splitlines().index("K = 3") + 1] == ("cell 2", 3)


def test_a_name_kept_for_a_later_cell_is_kept_above_a_relative_import():
    """X bound first by what fails, then by NumPy under the name a relative import gave:
    the module keeps both, so it fails where the kernel's first cell did (a ValueError),
    not at the import (the kernel had NumPy as np already)."""
    cells = ['X = int("x")', "from . import numpy as np", "X = np.float64(1)", RIGHT]
    with pytest.raises(ValueError):
        _loaded(*cells)


def test_an_empty_cell_or_one_of_blank_lines_is_read_as_nothing():
    space = _loaded("", RIGHT, "\n  \n")
    assert space["backprop"](1, 2, 3, 4) == "right"


def test_a_future_import_in_the_first_cell_stays_the_modules_first_statement():
    """The kernel runs a cell beginning with ``from __future__ import annotations``; the
    module puts nothing above it (a statement there would make it a SyntaxError)."""
    space = _loaded("from __future__ import annotations\n" + RIGHT)
    assert space["backprop"](1, 2, 3, 4) == "right"


def test_a_cell_that_cannot_be_read_closes_every_block_above_it():
    """An else: alone in a cell is a SyntaxError to the kernel, though the cell above ends
    in an if: the module fails at that cell's first line; and a %%time cell kept whole
    (it cannot be read) has its magic's line blank."""
    above = "if True:\n    def backprop(x, y, w1, w2):\n        return 'right'"
    alone = "else:\n    def backprop(x, y, w1, w2):\n        return 'wrong'"
    made = cells_of(_notebook(above, alone))
    with pytest.raises(SyntaxError) as error:
        compile(made.source, "module", "exec")
    assert made.lines[error.value.lineno] == ("cell 3", 1)
    made = cells_of(_notebook("%%time\ndef backprop(:\n    pass"))
    source = made.source.decode().splitlines()
    (magic,) = [k for k, at in made.lines.items() if at == ("cell 2", 1)]
    assert source[magic - 1] == "" and source[magic] == "def backprop(:"
