"""Check your own backprop: every student implementation in tests/judge/students/ gets
exactly the diagnosis its docstring expects (reference/judge/diagnosis.py, through
scripts/diff_gradients.py --against), in text and in JSON alike."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import numpy_impl as ni
from reference.grading.single import diagnose_file
from reference.judge import catalogue, plan
from reference.judge.answers import recovery_slack
from reference.judge.network import ARTICLE
from reference.sandbox import Limits, Runner, Task
from reference.witnesses.tolerances import FLOAT32, GRADIENT
from tests import helpers
from tests.helpers import DIFF_SCRIPT as SCRIPT
from tests.helpers import ROOT, STUDENTS
from tests.helpers import run_diff as run

STUDENT_FILES = sorted(STUDENTS.glob("*.py"))
#: The words and the JSON each student gets, as reviewed: the judge's words are
#: its product, so a change to them shows here, to be read and accepted
#: (``python tests/judge/test_diagnose.py --write-words`` rewrites the file).
WORDS = STUDENTS / "words.json"
#: A difference at rounding level (float32's included, below 1e-5): its digits
#: differ by NumPy and BLAS.
ROUNDING = re.compile(r"\b\d(?:\.\d+)?e-(?:0*[6-9]|[1-9]\d)\b")


#: The JSON's keys that hold points, which no rounding touches.
EXACT = {"points", "of", "score", "max_score"}


def as_reviewed(text, found):
    """The text's lines and the JSON, their rounding-level numbers masked."""

    def masked(value):
        if isinstance(value, float):
            return "<rounding>" if abs(value) < 1e-5 else float(f"{value:.2g}")
        if isinstance(value, str):
            return ROUNDING.sub("<rounding>", value)
        if isinstance(value, dict):  # points are exact: never rounding
            return {k: v if k in EXACT else masked(v) for k, v in value.items()}
        if isinstance(value, list):
            return [masked(v) for v in value]
        return value

    return {"text": masked(text.splitlines()), "json": masked(found)}


def expectation(path):
    """The file's ``expect:`` line: function, loss, exit (an int), w1, w2, origin
    and precision, or error."""
    fields = helpers.expectation(path)
    fields["exit"] = int(fields["exit"])
    return fields


def against(path, want):
    """The diff script's arguments that judge the student file ``path``."""
    return ["--against", f"{path}:{want['function']}", "--loss", want["loss"]]


def mistakes(words):
    """'correct' -> [], 'nothing' -> None, 'a + b' -> ['a', 'b']."""
    if words == "correct":
        return []
    return None if words == "nothing" else words.split(" + ")


@pytest.mark.replayed_runs
@pytest.mark.parametrize("path", STUDENT_FILES, ids=lambda p: p.stem)
def test_each_student_gets_its_diagnosis_in_text_and_json(path, capsys):
    want = expectation(path)
    argv = against(path, want)
    status, out = run(*argv, "--json")
    err = capsys.readouterr().err
    assert status == want["exit"], out + err
    if status == 2:
        lines = err.strip().splitlines()
        assert out == "" and len(lines) == 1, err
        assert lines[0].startswith("error: ") and want["error"] in lines[0], lines[0]
        return
    found = json.loads(out)
    for layer in found["layers"]:
        expected = mistakes(want[layer["layer"]])
        if expected is None:
            assert layer["match"] is None, layer["words"]
        else:
            assert layer["match"] is not None, layer["words"]
            assert sorted(layer["mistakes"]) == sorted(expected), layer["words"]
            assert layer["correct"] == (expected == [])
    assert found["origin"] == (None if want["origin"] == "none" else want["origin"])
    assert found["precision"] == want.get("precision", "float64")
    # the text says the same: each layer's words, the pointer, the verdict
    text_status, text = run(*argv)
    assert text_status == status
    lines = text.splitlines()
    for layer in found["layers"]:
        assert layer["words"] in lines
    assert (
        (found["pointer"] in lines)
        if found["pointer"]
        else not any(line.startswith("look at") for line in lines)
    )
    assert lines[-1].startswith("ok: " if found["ok"] else "FAIL: ")
    # and both are the words reviewed
    reviewed = json.loads(WORDS.read_text())[path.stem]
    got = as_reviewed(text, found)
    for kind in ("text", "json"):
        assert got[kind] == reviewed[kind], f"ours:\n{got[kind]}\nreviewed:\n{reviewed[kind]}"


def test_the_folder_covers_the_catalogue():
    # a student for every entry, several correct ones for each loss, each new situation
    seen, correct, origins = set(), {"mse": 0, "bce": 0}, set()
    for path in STUDENT_FILES:
        want = expectation(path)
        for layer in ("w1", "w2"):
            seen.update(mistakes(want.get(layer, "nothing")) or [])
        if want["exit"] == 0:
            correct[want["loss"]] += 1
        origins.add(want.get("origin"))
    names = {e.name for e in catalogue.CATALOGUE} - {"mse"}  # the exact MSE is the default loss
    assert names <= seen, f"no student for {sorted(names - seen)}"
    assert correct["mse"] >= 3 and correct["bce"] >= 2
    assert {"a1", "d2", "d1", "dw1", "dw2", "update", "none"} <= origins
    for required in ("tanh", "relu", "swap", "transpos", "accumulat"):
        assert any(required in name for name in names), required


#: The place each origin's pointer names, as a student reads it: the quantity the
#: student's file computes wrong first (its docstring's ``origin``), never another.
PLACES = {
    "a1": ("the a1 that dw2 uses",),
    "d2": (
        "the line that computes d2",
        "the sign of the error in d2",
        "where the gradients are divided by the number of rows",
    ),
    "d1": ("the line that computes d1",),
    "dw1": ("the line that computes dw1", "the return line", "where dw1 and dw2 are kept"),
    "dw2": ("the line that computes dw2",),
    "update": ("the update", "what the function returns"),
}


@pytest.mark.parametrize("path", STUDENT_FILES, ids=lambda p: p.stem)
def test_every_pointer_names_the_place_the_student_wrote_wrong(path):
    # the origin in each docstring is what a reader of the file finds wrong first; the
    # words (as reviewed, which the test above holds to the live ones) point there,
    # and call no quantity computed before it wrong
    want = expectation(path)
    if want["exit"] == 2:
        return
    reviewed = json.loads(WORDS.read_text())[path.stem]["json"]
    origin, pointer = want["origin"], reviewed["pointer"] or ""
    if origin == "none":
        assert not pointer.startswith("look at"), pointer
        return
    assert pointer.startswith(tuple(f"look at {place}" for place in PLACES[origin])), pointer
    order = ARTICLE.order
    before = order[: order.index(origin)]
    for layer in reviewed["layers"]:
        for quantity in before:
            for claim in (f"{quantity} is wrong", f"{quantity}'s mistake"):
                assert claim not in layer["words"], (quantity, layer["words"])


def test_a_teachers_requirement_turns_a_pass_on_the_default_into_a_fail(capsys):
    spec = f"{STUDENTS / 'first_row_of_a_batch.py'}:backprop"
    status, out = run("--against", spec, "--require", "rows", "--points", "rows=2", "--json")
    found = json.loads(out)
    assert status == 1 and not found["ok"] and (found["score"], found["max_score"]) == (3, 5)
    assert [p["part"] for p in found["parts"] if not p["holds"]] == ["rows"]
    status, out = run("--against", spec, "--require", "row")
    assert status == 2 and out == ""
    assert capsys.readouterr().err.startswith("error: --require: unknown 'row'")


def test_each_entry_is_named_by_a_student_who_makes_that_mistake_alone():
    # the judge's own control: the file making one mistake is named by that entry,
    # and by no other (test_each_student_gets_its_diagnosis asserts the names exactly)
    alone = set()
    for path in STUDENT_FILES:
        want = expectation(path)
        names = {m for layer in ("w1", "w2") for m in (mistakes(want.get(layer, "nothing")) or [])}
        if len(names) == 1:
            alone |= names
    assert {e.name for e in catalogue.CATALOGUE} <= alone


CORRECT_SCALED = """
import numpy as np

def backprop(x, y, w1, w2):
    x, y, w1, w2 = (a.astype(np.{dtype}) for a in (x, y, w1, w2))
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = {two_thirds} * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    k = np.{dtype}(1 + {factor})
    return k * (x.T @ d1), k * (a1.T @ d2)
"""


@pytest.mark.parametrize(("dtype", "tol"), [("float64", GRADIENT), ("float32", FLOAT32)])
def test_a_correct_function_off_by_ten_times_the_tolerance_is_not_correct(tmp_path, dtype, tol):
    two_thirds = "2 / 3" if dtype == "float64" else "np.float32(2 / 3)"
    for times, judged_correct in ((10, False), (0.1, True)):
        path = tmp_path / f"scaled_{dtype}_{times}.py"
        path.write_text(
            CORRECT_SCALED.format(dtype=dtype, two_thirds=two_thirds, factor=times * tol)
        )
        found = diagnose_file(f"{path}:backprop")
        assert found.precision == dtype
        assert found.ok is judged_correct, [layer.words for layer in found.layers]


def test_the_words_say_what_the_issue_asks():
    status, out = run("--against", f"{STUDENTS / 'hidden_slope_missing.py'}:grads")
    assert status == 1
    w1, w2 = (line for line in out.splitlines() if line.startswith("dL/d"))
    assert w1.startswith("dL/dw1: matches *hidden sigmoid derivative missing")
    assert "the correct gradient differs by" in w1
    assert w2.startswith("dL/dw2: correct for the MSE")
    assert "look at the line that computes d1: hidden sigmoid derivative missing" in out
    assert out.rstrip().splitlines()[-1].startswith("FAIL: dL/dw1 not the gradient")


def test_a_wrong_d2_is_the_cause_and_dw1_inherits_it():
    status, out = run("--against", f"{STUDENTS / 'half_written_slope.py'}:backprop")
    assert status == 1
    w1, w2 = (line for line in out.splitlines() if line.startswith("dL/d"))
    assert "inherits d2's mistake" in w1
    assert "the error a2 - y is right, the slope is not" in w2
    pointer = [line for line in out.splitlines() if line.startswith("look at")]
    assert pointer == [
        "look at the line that computes d2: the slope there is a2 alone, half of a2 (1 - a2),"
        " not a2 (1 - a2)"
    ]


@pytest.mark.parametrize(("layer", "other"), [(1, 2), (2, 1)])
def test_a_gradient_that_is_no_outer_product_is_where_it_goes_wrong(layer, other):
    status, out = run("--against", f"{STUDENTS / f'weight_decay_w{layer}.py'}:backprop", "--json")
    assert status == 1
    found = json.loads(out)
    product = {1: "x.T @ d1", 2: "a1.T @ d2"}[layer]
    assert found["origin"] == f"dw{layer}"
    assert found["pointer"] == f"look at the line that computes dw{layer}: it should be {product}"
    words = {entry["layer"]: entry["words"] for entry in found["layers"]}
    assert words[f"w{layer}"].endswith(f"; it is not {product} for any d{layer}")
    assert words[f"w{other}"].startswith(f"dL/dw{other}: correct for the MSE")


def test_nothing_matches_says_where_and_hints_a_constant_factor():
    status, out = run("--against", f"{STUDENTS / 'fixed_learning_rate.py'}:back_prop")
    assert status == 1
    assert "matches nothing in the catalogue" in out
    assert "the correct gradient times 0.1 everywhere" in out  # 0.01 used where alpha = 0.1
    assert "the differences are largest in hidden units" in out and "pixels" in out


def test_float32_is_judged_at_float32s_tolerance():
    status, out = run("--against", f"{STUDENTS / 'mse_float32.py'}:backprop")
    assert status == 0, out
    assert "to float32 rounding" in out
    # the same answers judged at float64's tolerance would not pass: they are 1e-7 off
    with Runner(Limits()) as runner:
        answers = runner.run(Task(str(STUDENTS / "mse_float32.py"), "backprop", plan.calls()))
    right = catalogue.correct(plan.state_at(0), "mse").dw1
    off = np.abs(answers.calls[0].arrays[0] - right).max()
    assert GRADIENT * np.abs(right).max() < off


def test_what_a_function_does_not_accept_is_noted():
    status, out = run("--against", f"{STUDENTS / 'mse_vectors_1d.py'}:step")
    assert status == 0, out
    assert "note: not checked with several rows at once" in out


def test_one_sample_at_a_time_is_judged_so_and_said():
    # mse_loops reads only the first row: right per sample, not for a batch
    status, out = run("--against", f"{STUDENTS / 'mse_loops.py'}:backprop")
    assert status == 0, out
    assert "does not return the sum of the rows' gradients" in out


def test_recovered_gradients_are_within_the_derived_slack():
    # the step shape loses accuracy in (w - new_w) / alpha; the slack allows it
    with Runner(Limits()) as runner:
        done = runner.run(Task(str(STUDENTS / "mse_step_article_style.py"), "back_prop",
                               plan.calls()))  # fmt: skip
    assert plan.ALPHA == 0.1
    point = plan.plan()[0]
    new_w1 = done.calls[0].arrays[0]
    g1 = (point.w1 - new_w1) / plan.ALPHA
    exact = catalogue.correct(plan.state_at(0), "mse").dw1
    slack = recovery_slack(point.w1, g1, plan.ALPHA)
    assert np.abs(g1 - exact).max() <= slack + GRADIENT * np.abs(exact).max()
    assert slack < 1e-13  # and it is small: mistakes differ by far more


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("nowhere.py:grads", "no such file: nowhere.py"),
        ("tests/judge/students/raises.py", "--against takes PATH.py:FUNCTION"),
        (
            "tests/judge/students/raises.py:missing",
            "has no function 'missing' (functions there: grads)",
        ),
    ],
)
def test_bad_specs(capsys, spec, fragment):
    status, out = run("--against", spec)
    err = capsys.readouterr().err
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err, err


def test_a_file_that_fails_to_load(tmp_path, capsys):
    broken = tmp_path / "broken.py"
    broken.write_text("import numpy as np\nraise RuntimeError('no data file here')\n")
    status, _ = run("--against", f"{broken}:grads")
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == (
        f"error: {broken} raised RuntimeError: no data file here while loading (line 2)"
    )


def test_a_file_that_exits_while_loading(tmp_path, capsys):
    leaving = tmp_path / "leaving.py"
    leaving.write_text('import sys\nsys.exit("please run me as a script")\n')
    status, out = run("--against", f"{leaving}:backprop")
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and out == ""
    assert err == ["error: leaving.py exited while loading (please run me as a script)"]


@pytest.mark.product_in_child
def test_a_patched_library_cannot_talk_the_judge_into_a_pass(tmp_path):
    # the submission replaces numpy_impl's sigmoid and NumPy's exp before its function
    # runs, and uses the lesson's forward pass (which a backprop may): in the child only;
    # the judge's candidates are its own
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "import numpy as np\nimport numpy_impl.network as net\n"
        "net.sigmoid = lambda t: 0.5 + 0 * t\nnp.exp = lambda t: 1.0 + 0 * t\n\n"
        "def backprop(x, y, w1, w2):\n"
        "    fwd = net.forward(x, w1, w2)\n"
        "    d2 = 2 / 3 * (fwd.a2 - y) * fwd.a2 * (1 - fwd.a2)\n"
        "    return x.T @ ((d2 @ w2.T) * fwd.a1 * (1 - fwd.a1)), fwd.a1.T @ d2\n"
    )
    status, out = run("--against", f"{sneaky}:backprop")
    assert status == 1, out
    assert "ok: both layers" not in out and "correct for" not in out
    assert ni.network.sigmoid(0.0) == 0.5 and np.exp(1.0) != 1.0  # ours, as they were
    assert ni.network.sigmoid(np.array([40.0]))[0] == 1.0


def test_as_a_user_runs_it_and_help_shows_an_example():
    student = STUDENTS / "two_mistakes.py"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--against", f"{student}:grads"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1 and done.stderr == ""
    assert "*factor 2 lost" in done.stdout and "*hidden sigmoid derivative missing" in done.stdout
    helped = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert "--against my_net.py:backprop" in helped.stdout


@pytest.mark.plot
def test_plot(tmp_path):
    pytest.importorskip("matplotlib", reason="pictures need matplotlib")
    path = tmp_path / "yours.png"
    status, _ = run(
        "--against", f"{STUDENTS / 'hidden_slope_missing.py'}:grads", "--plot", str(path)
    )
    assert status == 1
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


if __name__ == "__main__" and sys.argv[1:] == ["--write-words"]:
    words = {}
    for path in STUDENT_FILES:
        want = expectation(path)
        argv = against(path, want)
        status, out = run(*argv, "--json")
        if status != 2:
            words[path.stem] = as_reviewed(run(*argv)[1], json.loads(out))
    WORDS.write_text(json.dumps(words, indent=1, ensure_ascii=False) + "\n")
