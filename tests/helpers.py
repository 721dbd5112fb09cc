"""What several test files share: paths, the hypothesis strategies, the diff
run in-process. (Test files import from here, never from one another.)"""

import doctest
import io
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = Path(__file__).parent / "judge" / "students"
DIFF_SCRIPT = ROOT / "scripts" / "diff_gradients.py"
WALKTHROUGH = ROOT / "docs" / "walkthrough.md"
#: The walkthrough in each of its languages, and the exercises: every page with examples.
WALKTHROUGHS = (WALKTHROUGH, ROOT / "docs" / "walkthrough.zh.md")
PAGES = (*WALKTHROUGHS, *(ROOT / "docs" / "teacher" / f"exercise{s}.md"
                          for s in ("", ".zh", "-columns")))  # fmt: skip
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

#: hypothesis, derandomized: every run (and CI) sees the same examples.
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def networks(draw):
    """(x, y, w1, w2): n rows in [0, 1], one-hot labels, random weights (hidden
    1..16, 1..4 rows, weight scales 0.01..20: |z| up to ~60)."""
    seed = draw(st.integers(0, 2**32 - 1))
    hidden = draw(st.integers(1, 16))
    rows = draw(st.integers(1, 4))
    scale = draw(st.floats(0.01, 20.0))
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (rows, 30))
    y = np.eye(3)[rng.integers(0, 3, rows)]
    return x, y, rng.normal(0, scale, (30, hidden)), rng.normal(0, scale, (hidden, 3))


def expectation(path):
    """A student's or a submission's ``expect:`` line, as a dict of its fields
    ("expect: status wrong; mistakes factor 2 lost" -> {"status": "wrong", ...})."""
    import re

    line = re.search(r"^expect: (.*)$", path.read_text(encoding="utf-8"), flags=re.M).group(1)
    return dict(part.strip().split(" ", 1) for part in line.split(";"))


def run_of(student, step=False, dtype=np.float64, calls=None):
    """What a child would report for a student written as a formula,
    ``student(state, i) -> (dw1, dw2)`` at every call ``i`` of the judge's plan
    (or the first ``calls``): the gradients, or the SGD step they make
    (reference.judge.plan.ALPHA), as ``dtype``."""
    from reference.judge import plan
    from reference.sandbox import Run

    made = []
    for i in range(len(plan.plan()) if calls is None else calls):
        s = plan.state_at(i)
        g1, g2 = student(s, i)
        if step:
            g1, g2 = s.w1 - plan.ALPHA * g1, s.w2 - plan.ALPHA * g2
        made.append(returned(g1.astype(dtype), g2.astype(dtype)))
    count = 5 if step else 4
    return Run("/class/ana.py", "grads", parameters=count, given=count, loaded=True, calls=made)


def returned(*values):
    """What a child reports of a call that returned the tuple ``values`` (arrays)."""
    from reference.sandbox import Call

    types = tuple(type(v).__name__ for v in values)
    return Call("values", tuple(values), types, len(values))


def run_diff(*argv, runner=None):
    """scripts/diff_gradients.py in-process: (exit status, stdout); ``runner``
    starts the sandbox (by default the Runner)."""
    from reference.diff import cli

    out = io.StringIO()
    status = cli.main(list(argv), out=out, **({"runner": runner} if runner else {}))
    return status, out.getvalue()


def _namespaces_here():
    from reference.sandbox.isolation import isolation

    return isolation("auto").level == "namespaces"


#: For a test of the namespaces level: skipped where bubblewrap cannot make them, but
#: never on CI (CI=true), where .ci/run installs it: there it must run.
NAMESPACES = pytest.mark.skipif(
    not _namespaces_here() and not os.environ.get("CI"),
    reason="no namespaces here (bubblewrap missing, or it cannot make them)",
)


def marked(marker):
    """The processes still alive whose environment carries ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes() and alive(int(proc.name)):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def alive(pid):
    """Whether ``pid`` is a process still running (not a zombie left to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


#: The words a Chinese line of the judge's may keep: names of code and of the points.
KEPT_IN_CHINESE = {"sigmoid", "tanh", "ReLU", "NaN", "seed", "hidden", "weights", "saturated",
                   "sum", "alpha", "new", "float", "return", "rounding", "traceback",
                   "Python", "Jupyter"}  # fmt: skip


def english_left(line):
    """The English words left in a line said in Chinese (reference/judge/languages.py)."""
    import re

    return [w for w in re.findall(r"[A-Za-z]{3,}", line) if w not in KEPT_IN_CHINESE]


def described():
    """A hypothesis strategy: a random network description (1 to 3 layers of 1 to 5
    units, any hidden activation, an output and loss that go together, biases or none,
    rows or columns, the squared error's divisor), read as a teacher's TOML would be."""
    from hypothesis import strategies as st

    from reference.witnesses.networks import parse

    @st.composite
    def make(draw):
        layers = draw(st.integers(1, 3))
        sizes = [draw(st.integers(1, 5)) for _ in range(layers)] + [draw(st.integers(2, 4))]
        hidden = ["sigmoid", "tanh", "relu", "identity"]
        acts = [draw(st.sampled_from(hidden)) for _ in range(layers - 1)]
        out, loss = draw(st.sampled_from([("sigmoid", "bce"), ("softmax", "softmax-ce"),
                                          *((a, "mse") for a in hidden)]))  # fmt: skip
        biases, layout = draw(st.booleans()), draw(st.sampled_from(["rows", "columns"]))
        w, x = ("W", "X") if layout == "columns" else ("w", "x")
        weights = [n for k in range(1, layers + 1) for n in (f"{w}{k}", f"b{k}")[: 1 + biases]]
        data = dict(sizes=sizes, activations=[*acts, out], biases=biases, loss=loss,
                    reduction=draw(st.sampled_from(["sum", "mean"])), layout=layout,
                    parameters=[x, x.replace("x", "y").replace("X", "Y"), *weights],
                    returns=[f"d{n}" for n in weights])  # fmt: skip
        if loss == "mse":
            data["divisor"] = draw(st.sampled_from([1, 2, 3.5]))
        return parse(data, "random.toml")

    return make()


def run_described(d, student, dtype=np.float64):
    """What a child would report for a student of the described network ``d`` written
    as a formula, ``student(i, right, e) -> {returned name: array}`` at every call ``i``
    of its plan: ``right`` the judge's gradients in the description's layout, ``e`` all
    it computes there (reference/judge/described.py's Expected); in the names' order."""
    from reference.judge.described import expected, plan
    from reference.sandbox import Run

    made = []
    for i, p in enumerate(plan(d)):
        at, e = d.at(p.sizes), expected(d, i)
        right = {f"d{w}": at.from_rows(w, g) for w, g in e.right.items()}
        out = student(i, right, e)
        made.append(returned(*(np.asarray(out[r]).astype(dtype) for r in d.returns)))
    count = len(d.parameters)
    return Run("/class/ana.py", "backprop", parameters=count, given=count, loaded=True,
               calls=made)  # fmt: skip


def twisted(d, e, name):
    """The gradients of the catalogue's mistake ``name`` at a point, by returned name, in
    the description's layout (``e``: the judge's Expected there)."""
    return {f"d{w}": d.from_rows(w, g) for w, g in e.twisted[name].items()}
