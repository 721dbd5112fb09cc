"""A class graded with its forward passes (classroom.grade(..., forward=...)): what the
teacher sees of each forward pass (its function, status, words and why it is not
checked) and whether a wrong backprop is sent to its forward pass first. The answers
here are the submissions' own (the one that uses the lesson's forward pass only calls
it: its backprop returns zeros), so nothing here is marked product_in_child: a mutant
of the grader stays active in this process, where the runs are judged."""

import json

from reference.grading.classroom import Forward, grade
from reference.sandbox import Limits

NAMES = "forward,f_forward"  # the names a teacher asks for, the first the file defines
LIMITS = Limits(3.0, 2**30)
SIGMOID = "1 / (1 + np.exp(-({})))"
BACKPROP = """

def backprop(x, y, w1, w2):
    a1, a2 = {forward}(x, w1, w2)
    d2 = {factor} * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
"""

#: A forward pass that returns a2 alone (its backprop computes a1 itself).
ALONE = """import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(x, w1, w2):
    return sigmoid(sigmoid(x @ w1) @ w2)
"""
#: A forward pass that uses the lesson's; its backprop calls it, then returns zeros.
COPIED = """import numpy as np
import numpy_impl as ni


def forward(x, w1, w2):
    found = ni.forward(x, w1, w2)
    return found.a1, found.a2


def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    return np.zeros_like(w1), np.zeros_like(w2)
"""


def _forward(name, output):
    """A module that defines the forward pass ``name``, a2 computed as ``output``."""
    a1 = SIGMOID.format("x @ w1")
    return (
        f"import numpy as np\n\n\ndef {name}(x, w1, w2):\n    a1 = {a1}\n    return a1, {output}\n"
    )


def _written(folder, name, text):
    (folder / name).write_text(text)
    return (str(folder / name), "backprop")


def _graded(sandbox, *given):
    return grade(list(given), "mse", LIMITS, runner=sandbox, forward=NAMES)


def test_a_wrong_backprop_is_sent_to_its_forward_pass_only_when_that_is_not_right(
    tmp_path, sandbox
):
    """A forward pass without the output's sigmoid is wrong (no reason: it was checked)
    and its backprop, wrong through it, is told to fix it first; a right forward pass
    found by the second name asked for leaves the wrong backprop (factor 2 lost) its
    own words (an empty message: the diagnosis says it)."""
    no_sigmoid = _forward("forward", "a1 @ w2") + BACKPROP.format(forward="forward",
                                                                  factor="2 / 3")  # fmt: skip
    right = _forward("f_forward", SIGMOID.format("a1 @ w2"))
    halved = right + BACKPROP.format(forward="f_forward", factor="1 / 3")
    first, second = _graded(sandbox, _written(tmp_path, "a.py", no_sigmoid),
                            _written(tmp_path, "b.py", halved))  # fmt: skip
    # the article's first point is the letter A, the first seed's weights, 5 hidden units
    at = "(at A, seed 0, hidden 5)"
    assert first.forward == Forward(
        "forward", "wrong", [f"a2 is not sigmoid(a1 @ w2): it is a1 @ w2, without the sigmoid {at}"]
    )
    assert first.status == "wrong" and first.message == (
        "backprop calls forward, which is not right yet: fix forward first; until then the"
        " words on backprop may point at lines that are right"
    )
    assert second.forward == Forward("f_forward", "correct", ["a1 and a2 are right at every point"])
    assert (second.status, second.message, second.mistakes) == ("wrong", "", ["factor 2 lost"])


def test_a_forward_pass_not_checked_sends_no_backprop_to_it_but_a_wrong_one(tmp_path, sandbox):
    """A forward pass that returns a2 alone cannot be checked (bad-output), but the
    backprop that uses it is right: it keeps its verdict; a forward pass that uses the
    lesson's (copied) is no fault of a backprop that calls it: the backprop, wrong
    (zeros), keeps its own words."""
    alone = ALONE + BACKPROP.format(forward="forward", factor="2 / 3").replace(
        "a1, a2 = forward(x, w1, w2)", "a1, a2 = sigmoid(x @ w1), forward(x, w1, w2)"
    )
    first, second = _graded(sandbox, _written(tmp_path, "a.py", alone),
                            _written(tmp_path, "b.py", COPIED))  # fmt: skip
    assert first.forward == Forward(
        "forward", "unchecked", ["expected two arrays, (a1, a2)"], "bad-output"
    )
    assert (first.status, first.message) == ("correct", "")
    uses = (
        "b.py uses numpy_impl.network.forward, the project's own code: its answers would"
        " be the project's, not yours, so they are not judged; write forward without it"
    )
    assert second.forward == Forward("forward", "unchecked", [uses], "copied")
    assert (second.status, second.message) == ("wrong", "")


def test_a_forward_pass_whose_run_ends_early_is_said_as_the_backprops(tmp_path, sandbox):
    """A file that cannot be read: the forward pass is the first name asked for, and
    unreadable; a notebook whose cell raises while loading: its forward pass says so at
    the line of that cell, as the backprop does."""
    missing = str(tmp_path / "gone.py")
    cells = ["import numpy as np", "RATE = 1 / 0", "def forward(x, w1, w2):\n    return x, x"]
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
                           "execution_count": None} for s in cells],
                "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook))
    gone, raised = _graded(sandbox, (missing, "backprop"), (str(tmp_path / "n.ipynb"), "backprop"))
    unread = f"{missing} was not read: No such file or directory"
    assert gone.forward == Forward("forward", "unchecked", [unread], "unreadable")
    loading = f"{tmp_path / 'n.ipynb'} raised ZeroDivisionError: division by zero while loading"
    # RATE's cell is the second; its line the first
    assert raised.forward == Forward(
        "forward", "unchecked", [f"{loading} (cell 2, line 1)"], "raised"
    )
    assert (raised.status, raised.reason, raised.message) == (
        "unchecked", "raised", f"{loading} (cell 2, line 1)")  # fmt: skip
