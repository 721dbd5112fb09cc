"""Check your own backprop: every student implementation in tests/students/ gets
exactly the diagnosis its docstring expects (reference/diagnose.py, through
scripts/diff_gradients.py --against)."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from reference import diagnose
from reference.tolerances import GRADIENT
from tests.helpers import DIFF_SCRIPT as SCRIPT
from tests.helpers import ROOT, STUDENTS
from tests.helpers import run_diff as run


def expectation(path):
    """The file's ``expect:`` line, as a dict: function, loss, exit, w1, w2 or error."""
    line = re.search(r"^expect: (.*)$", path.read_text(), flags=re.M).group(1)
    fields = dict(part.strip().split(" ", 1) for part in line.split(";"))
    fields["exit"] = int(fields["exit"])
    return fields


def mistakes(words):
    """'correct' -> [], 'nothing' -> None, 'a + b' -> ['a', 'b']."""
    if words == "correct":
        return []
    return None if words == "nothing" else words.split(" + ")


@pytest.mark.parametrize("path", sorted(STUDENTS.glob("*.py")), ids=lambda p: p.stem)
def test_each_student_gets_its_diagnosis(path, capsys):
    want = expectation(path)
    argv = ["--against", f"{path}:{want['function']}", "--loss", want["loss"], "--json"]
    status, out = run(*argv)
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


def test_the_folder_covers_the_catalogue():
    # one student per catalogued mistake, several correct ones for each loss
    seen, correct = set(), {"mse": 0, "bce": 0}
    for path in STUDENTS.glob("*.py"):
        want = expectation(path)
        for layer in ("w1", "w2"):
            seen.update(mistakes(want.get(layer, "nothing")) or [])
        if want["exit"] == 0:
            correct[want["loss"]] += 1
    catalogue = set(diagnose.OUTPUT_DELTAS) | set(diagnose.HIDDEN_DELTAS) | {"sign flipped"}
    catalogue -= {"mse", "correct"}  # the exact MSE and the correct hidden delta
    assert catalogue <= seen, f"no student for {sorted(catalogue - seen)}"
    assert len(catalogue) >= 8
    assert correct["mse"] >= 3 and correct["bce"] >= 2


def test_the_words_say_what_the_issue_asks():
    status, out = run("--against", f"{STUDENTS / 'hidden_slope_missing.py'}:grads")
    assert status == 1
    w1, w2 = (line for line in out.splitlines() if line.startswith("dL/d"))
    assert w1.startswith("dL/dw1: matches *hidden sigmoid derivative missing")
    assert "the correct gradient differs by" in w1
    assert w2.startswith("dL/dw2: correct for the MSE")
    assert out.rstrip().splitlines()[-1].startswith("FAIL: dL/dw1 not the gradient")


def test_nothing_matches_says_where_and_hints_a_constant_factor():
    status, out = run("--against", f"{STUDENTS / 'fixed_learning_rate.py'}:back_prop")
    assert status == 1
    assert "matches nothing in the catalogue" in out
    assert "the correct gradient times 0.1 everywhere" in out  # 0.01 used where alpha = 0.1
    assert "the differences are largest in hidden units" in out and "pixels" in out


def test_what_a_function_does_not_accept_is_noted():
    status, out = run("--against", f"{STUDENTS / 'mse_vectors_1d.py'}:step")
    assert status == 0, out
    assert "note: not checked with several rows at once" in out


def test_one_sample_at_a_time_is_judged_so_and_said():
    # mse_loops reads only the first row: right per sample, not for a batch
    status, out = run("--against", f"{STUDENTS / 'mse_loops.py'}:backprop")
    assert status == 0, out
    assert "does not return the sum of the rows' gradients" in out


def test_a_step_in_place_does_not_touch_the_checks_inputs():
    # mse_vectors_1d updates w1 and w2 in place: the check hands it copies
    point = diagnose.points(5)[0]
    before = point.w1.copy()
    fn = diagnose.load_function(f"{STUDENTS / 'mse_vectors_1d.py'}:step")
    diagnose.call(fn, "step", point)
    np.testing.assert_array_equal(point.w1, before)


def test_recovered_gradients_are_within_the_derived_slack():
    # the step shape loses accuracy in (w - new_w) / alpha; the slack allows it
    point = diagnose.points(5)[0]
    fn = diagnose.load_function(f"{STUDENTS / 'mse_step_article_style.py'}:back_prop")
    g1, _ = diagnose.call(fn, "step", point)
    exact, _ = diagnose.candidate_gradients(point, diagnose.Candidate("mse", "correct", 1))
    slack = diagnose.recovery_slack(point.w1, g1, diagnose.ALPHA)
    assert np.abs(g1 - exact).max() <= slack + GRADIENT * np.abs(exact).max()
    assert slack < 1e-13  # and it is small: mistakes differ by far more


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("nowhere.py:grads", "no such file: nowhere.py"),
        ("tests/students/raises.py", "--against takes PATH.py:FUNCTION"),
        ("tests/students/raises.py:missing", "has no function 'missing' (functions there: grads)"),
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
    assert err.strip() == f"error: {broken} raised RuntimeError: no data file here while loading"


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
