"""The exercise's backprop check, when the backprop calls a forward pass of the
student's own: a wrong forward pass is said first (the backprop's words would send
the student to lines that may be right), a right one changes nothing."""

from reference.grading.exercise import forwards_called, judge_backprop
from reference.judge import Contract
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


def test_the_forward_passes_a_function_calls_are_read_from_its_source(tmp_path):
    path = tmp_path / "s.py"
    path.write_text(
        FORWARD.format(output=SIGMOID, factor="1") + "\ndef other(a, b, c):\n    pass\n"
    )
    assert forwards_called(str(path), "backprop") == ["forward"]
    assert forwards_called(str(path), "forward") == []  # it calls no function of three
    assert forwards_called(str(path), "missing") == []
    (tmp_path / "bad.py").write_text("def backprop(:\n")
    assert forwards_called(str(tmp_path / "bad.py"), "backprop") == []


def test_the_exercise_applies_the_teachers_requirements(tmp_path):
    spec = f"{STUDENTS / 'fixed_hidden_size.py'}:backprop"
    found = judge_backprop(spec, "mse")
    assert found["status"] == "correct"
    assert found["lines"][-1].endswith("not required here, and not holding: other hidden sizes"
                                       " (3 and 8)")  # fmt: skip
    found = judge_backprop(spec, "mse", Contract.parse("sizes"))
    assert found["status"] == "wrong"
    assert found["lines"][-1] == "FAIL: required and not holding: other hidden sizes (3 and 8)"
