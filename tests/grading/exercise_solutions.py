"""What the exercise notebooks' tests paste into the ``exercise``-tagged cells: the
solutions, read from the teacher's edition (docs/teacher/, made from the one source;
the student's edition holds none), and mistakes, copies and other ways of writing."""

import json

from tests.helpers import ROOT


def asks(cell):
    """What an exercise cell asks for, by its tags ("forward", "d2"... "backprop"), or
    None for a cell that is no exercise (the nbgrader grade_id make_notebooks.py gives)."""
    tags = cell.get("metadata", {}).get("tags", [])
    if "exercise" not in tags:
        return None
    named = [t.removeprefix("exercise-") for t in tags if t.startswith("exercise-")]
    return named[0] if named else "forward"


def _solutions(name):
    """The solved exercise cells of the teacher's edition (docs/teacher/), the one source."""
    cells = json.loads((ROOT / "docs" / "teacher" / name).read_text(encoding="utf-8"))["cells"]
    return {asks(c): "".join(c["source"]) for c in cells if asks(c) is not None}


SOLUTIONS = {name: _solutions(name) for name in ("exercise.ipynb", "exercise.zh.ipynb")}

#: A catalogued mistake pasted into the backward cell, and its name in the catalogue.
MISTAKES = {
    "exercise.ipynb": (
        "factor 2 lost",
        """def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    d2 = (a2 - y) / 3 * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2""",
    ),
    "exercise.zh.ipynb": (
        "hidden slope missing",
        """def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2.dot(w2.T)
    return x.T.dot(d1), a1.T.dot(d2)""",
    ),
}

#: Each exercise with the project's own answers called instead of the work: each check
#: must refuse them, by name.
COPIED = {
    "exercise.ipynb": (
        """def forward(x, w1, w2):
    return tuple(ni.forward(x, w1, w2))""",
        """def backprop(x, y, w1, w2):
    return ni.gradients(x, y, w1, w2, rule="mse")""",
    ),
    "exercise.zh.ipynb": (
        """def forward(x, w1, w2):
    found = ni.forward(x, w1, w2)
    return found.a1, found.a2""",
        """def backprop(x, y, w1, w2):
    found = ni.gradients(x, y, w1, w2, rule="mse")
    return found.w1, found.w2""",
    ),
}

#: Each exercise solved with what a notebook allows and a copied module did not: an
#: import by name and a constant in the exercise's cell, a print in the function.
OTHERWISE = {
    "exercise.ipynb": (
        """from numpy import exp

HALF = 0.5


def forward(x, w1, w2):
    a1 = 1 / (1 + exp(-(x @ w1)))
    return a1, HALF + HALF * np.tanh(HALF * (a1 @ w2))""",
        """TWO_THIRDS = 2 / 3


def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    print("a2 has shape", a2.shape)
    d2 = TWO_THIRDS * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2""",
    ),
    "exercise.zh.ipynb": (
        """from numpy import exp as e


def forward(x, w1, w2):
    a1 = 1 / (1 + e(-x.dot(w1)))
    return a1, 1 / (1 + e(-a1.dot(w2)))""",
        """RATE_FREE = 2 / 3


def backprop(x, y, w1, w2):
    a1, a2 = forward(x, w1, w2)
    print("a2 has shape", a2.shape)
    d2 = RATE_FREE * (a2 - y) * a2 * (1 - a2)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2""",
    ),
}
