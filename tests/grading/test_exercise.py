"""The exercise's backprop check, when the backprop calls a forward pass of the
student's own: a wrong forward pass is said first (the backprop's words would send
the student to lines that may be right), a right one changes nothing."""

import pytest

from reference.grading.exercise import Copy, Uncopyable, judge_backprop
from reference.grading.single import forward_file, forward_first, forwards_called
from reference.judge import Contract
from reference.sandbox import Limits
from tests.helpers import STUDENTS

FORWARD = """
import numpy as np


def forward(x, w1, w2):
    a1 = 1 / (1 + np.exp(-(x @ w1)))
    return a1, {output}


def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    d2 = {factor} * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
"""
SIGMOID = "1 / (1 + np.exp(-(a1 @ w2)))"


def written(tmp_path, output, factor="2 / 3"):
    path = tmp_path / "submission.py"
    path.write_text(FORWARD.format(output=output, factor=factor))
    return f"{path}:backprop"


def test_a_wrong_forward_pass_the_backprop_uses_is_said_first(tmp_path):
    found = judge_backprop(written(tmp_path, "a1 @ w2"), "mse")  # its output sigmoid left out
    assert found["status"] == "wrong" and len(found["lines"]) == 1
    assert found["lines"][0].startswith("backprop calls forward, which is not right yet (")
    assert "fix forward first" in found["lines"][0]
    assert not any("look at the line" in line for line in found["lines"])


def test_with_its_forward_pass_right_the_backprop_gets_its_own_words(tmp_path):
    assert judge_backprop(written(tmp_path, SIGMOID), "mse")["status"] == "correct"
    found = judge_backprop(written(tmp_path, SIGMOID, factor="1 / 3"), "mse")
    assert found["status"] == "wrong"
    assert found["lines"][-1].startswith("look at the line that computes d2: factor 2 lost")


def test_a_forward_pass_file_runs_under_the_limits_and_the_sandbox_given(tmp_path, sandbox):
    """single.forward_file as an engineer calls it: its sandbox started by the runner
    handed in, under the limits handed in (not the default 10 s and 2 GiB)."""
    used = []

    def recording(limits, level):
        used.append(limits)
        return sandbox(limits, level)

    spec = written(tmp_path, SIGMOID).replace(":backprop", ":forward")
    assert forward_file(spec, Limits(5.0, 2**30), runner=recording).status == "correct"
    assert used == [Limits(5.0, 2**30)]


def test_the_forward_passes_a_function_calls_are_read_from_its_source(tmp_path):
    path = tmp_path / "s.py"
    path.write_text(
        FORWARD.format(output=SIGMOID, factor="1") + "\ndef other(a, b, c):\n    pass\n"
    )
    assert forwards_called(path.read_bytes(), "backprop") == ["forward"]
    assert forwards_called(path.read_bytes(), "forward") == []  # it calls no function of three
    assert forwards_called(path.read_bytes(), "missing") == []
    (tmp_path / "bad.py").write_text("def backprop(:\n")
    assert forwards_called((tmp_path / "bad.py").read_bytes(), "backprop") == []


def test_only_the_functions_of_three_the_module_defines_are_read_as_forward_passes(tmp_path):
    """A builtin called by name (float), and a helper of the module's of one parameter,
    are not forward passes the backprop calls; forward is."""
    path = tmp_path / "s.py"
    helper = "\ndef halved(d):\n    return d / 2\n"
    path.write_text(FORWARD.format(output=SIGMOID, factor="float(halved(4 / 3))") + helper)
    assert forwards_called(path.read_bytes(), "backprop") == ["forward"]


def test_the_words_for_a_forward_pass_not_right_yet_say_why_in_brackets():
    """The exercise's check says why the forward pass is not right, after its name."""
    why = "a2 is not sigmoid(a1 @ w2)"
    assert forward_first("backprop", "forward", why) == (
        "backprop calls forward, which is not right yet (a2 is not sigmoid(a1 @ w2)): fix"
        " forward first; until then the words on backprop may point at lines that are right"
    )


def test_the_exercise_applies_the_teachers_requirements(tmp_path):
    spec = f"{STUDENTS / 'fixed_hidden_size.py'}:backprop"
    found = judge_backprop(spec, "mse")
    assert found["status"] == "correct"
    assert found["lines"][-1].endswith("not required here, and not holding: other hidden sizes"
                                       " (3 and 8)")  # fmt: skip
    found = judge_backprop(spec, "mse", Contract.parse("sizes"))
    assert found["status"] == "wrong"
    assert found["lines"][-1] == "FAIL: required and not holding: other hidden sizes (3 and 8)"


NOTEBOOK = """import math as m
import numpy as np
from numpy import exp as e

HALF, NAN, SHAPE, TABLE = 0.5, float("nan"), (2, 3), np.arange(6.0).reshape(2, 3)
counter = iter(range(3))


def helper(z):
    return 1 / (1 + e(-z))


act = helper
square = lambda t: t * t  # noqa: E731


def checked(z):
    if np.isnan(NAN) and SHAPE == TABLE.shape:
        return act(z) * HALF + square(m.pi) + TABLE.sum()
    return None


def uses_an_object(z):
    return next(counter) + z


class Act:
    pass


def uses_a_class(z):
    return Act()


def with_default(z, scale=SHAPE[0] * HALF):
    return z * scale
"""


def _module(tmp_path):
    import importlib.util

    path = tmp_path / "cells.py"
    path.write_text(NOTEBOOK)
    spec = importlib.util.spec_from_file_location("cells", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_check_copies_what_the_function_uses_as_the_notebook_ran_it(tmp_path):
    module = _module(tmp_path)
    copy = Copy.of(module.checked)
    space = {}
    exec(compile(copy.source, "copy.py", "exec"), space)  # a module of its own: it runs alone
    assert space["checked"](0.3) == module.checked(0.3)
    # the checked function sits on its own lines; a helper's lines are told as its own
    lines = copy.source.splitlines()
    original = NOTEBOOK.splitlines()
    for at, (name, line) in copy.cells.items():
        assert lines[at - 1] == original[line - 1] and name in (
            "the cell that defines " + n for n in ("checked", "helper", "square")
        )
    first = original.index("def checked(z):") + 1
    at = lines.index("def checked(z):") + 1
    assert copy.cells[at] == ("the cell that defines checked", first)
    said = copy.in_cells(f"the function raised X (at A, line {at + 2})", "/tmp/f.py")
    assert said == f"the function raised X (at A, the cell that defines checked, line {first + 2})"
    assert copy.in_cells("/tmp/f.py is not valid Python (line 999)", "/tmp/f.py") == (
        "the notebook is not valid Python (line 999)")  # fmt: skip


def test_a_name_the_check_cannot_copy_is_said_by_name(tmp_path):
    module = _module(tmp_path)
    with pytest.raises(Uncopyable, match="uses counter, a range_iterator"):
        Copy.of(module.uses_an_object)
    with pytest.raises(Uncopyable, match="uses Act, a type"):  # the notebook's own class
        Copy.of(module.uses_a_class)


def test_a_name_in_a_default_is_copied_before_the_function(tmp_path):
    space = {}
    exec(Copy.of(_module(tmp_path).with_default).source, space)
    assert space["with_default"](2.0) == 2.0 * 2 * 0.5
