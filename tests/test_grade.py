"""scripts/grade.py on a whole class (tests/classroom/): every submission runs
apart and gets the status its docstring expects; the folder is unchanged, no
process is left behind, and the JSON, CSV and feedback say the same."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from reference import catalogue, diagnose
from reference.grade import submissions, summarize
from reference.grade_cli import memory_size
from tests.helpers import ROOT, expectation

pytestmark = pytest.mark.product_in_child  # the class has a submission that patches numpy_impl

CLASSROOM = ROOT / "tests" / "classroom"
SCRIPT = ROOT / "scripts" / "grade.py"
FILES = sorted(CLASSROOM.glob("*.py"))


def snapshot(folder):
    """Every file below ``folder``, with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def marked(marker):
    """The processes still alive whose environment carries ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def grade(*argv, marker, **kw):
    env = {**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *argv], capture_output=True, text=True, env=env, **kw
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The whole class graded once, as a teacher would: with --timeout 3."""
    out = tmp_path_factory.mktemp("grades")
    before = snapshot(CLASSROOM)
    marker = uuid.uuid4().hex
    began = time.monotonic()
    done = grade(
        str(CLASSROOM), "--timeout", "3", "--json", str(out / "g.json"), "--csv",
        str(out / "g.csv"), "--feedback", str(out / "notes"), marker=marker, cwd=out,
    )  # fmt: skip
    seconds = time.monotonic() - began
    time.sleep(0.2)  # the orphans of killed groups are reaped by the system
    return {
        "done": done, "out": out, "before": before, "after": snapshot(CLASSROOM),
        "left": marked(marker), "seconds": seconds,
        "json": json.loads((out / "g.json").read_text()),
    }  # fmt: skip


def test_the_class_is_graded(graded):
    done = graded["done"]
    assert done.returncode == 1, done.stderr  # some are wrong or unchecked
    assert done.stderr == ""
    # two submissions take their 3 s each, side by side on two cores; the rest are quick
    print(f"grading {len(FILES)} submissions with --timeout 3 took {graded['seconds']:.1f} s")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_submission_gets_its_verdict(graded, path):
    want = expectation(path)
    (got,) = [s for s in graded["json"]["submissions"] if Path(s["file"]).name == path.name]
    assert got["status"] == want["status"], got
    assert got["reason"] == want.get("reason"), got
    if "mistakes" in want:
        assert got["mistakes"] == want["mistakes"].split(" + "), got
    if got["status"] == "unchecked":
        assert got["message"] and got["layers"] == []
    else:
        assert {layer["layer"] for layer in got["layers"]} == {"w1", "w2"}
    assert set(got) >= {"file", "function", "status", "reason", "loss", "layers", "output",
                        "seconds"}  # fmt: skip


def test_the_reasons_say_what_happened(graded):
    by_name = {Path(s["file"]).name: s for s in graded["json"]["submissions"]}
    assert "SIGSEGV" in by_name["segfault.py"]["message"]
    assert "please run me as a script" in by_name["exits_at_import.py"]["message"]
    assert "while loading" in by_name["exits_at_import.py"]["message"]
    assert "while running the function" in by_name["os_exit.py"]["message"]
    assert by_name["syntax_error.py"]["line"] == 9
    assert "EOFError" in by_name["asks_for_input.py"]["message"]
    assert by_name["asks_for_input.py"]["output"] == "learning rate? "
    assert "back_prop, sigmoid" in by_name["missing.py"]["message"]
    assert by_name["raises.py"]["line"] == 10
    assert by_name["loops_forever.py"]["seconds"] < 3 + 2  # ended at its limit
    printed = by_name["prints_megabytes.py"]
    assert len(printed["output"]) <= 2000 < printed["output_length"]  # cut, and counted


def test_nothing_is_left_behind(graded):
    assert graded["after"] == graded["before"]  # no file written, none changed
    assert graded["left"] == []  # no child, grandchild or server still running
    assert not list(Path(graded["out"]).glob("training.log"))  # not in the grader's folder


def test_json_csv_and_feedback_agree(graded):
    result = graded["json"]
    verdicts = result["submissions"]
    assert [Path(v["file"]).name for v in verdicts] == [p.name for p in FILES]
    summary = result["summary"]
    assert summary["submissions"] == len(FILES)
    assert summary["correct"] == sum(v["status"] == "correct" for v in verdicts)
    assert summary["unchecked"] == sum(v["status"] == "unchecked" for v in verdicts)
    assert summary["mistakes"]["factor 2 lost"] == 1
    with open(graded["out"] / "g.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(FILES)
    for row, v in zip(rows, verdicts):
        assert (row["file"], row["status"], row["reason"]) == (
            v["file"],
            v["status"],
            v["reason"] or "",
        )
        layers = {x["layer"]: "; ".join(x["mistakes"]) for x in v["layers"]}
        assert row["w1_mistakes"] == layers.get("w1", "")
    notes = sorted((graded["out"] / "notes").glob("*.md"))
    assert [n.stem for n in notes] == [p.stem for p in FILES]
    text = (graded["out"] / "notes" / "factor_2_lost.md").read_text()
    assert "factor 2 lost" in text and "look at the line that computes d2" in text.lower()
    assert "Not checked" in (graded["out"] / "notes" / "loops_forever.md").read_text()


def test_feedback_never_shows_the_reference_gradient(graded):
    s = diagnose.state_at(0)
    _, _, dw1, dw2 = catalogue.correct(s, "mse")
    values = np.concatenate([dw1.ravel(), dw2.ravel()])
    shown = [f"{v:.4g}" for v in values[np.abs(values) > 1e-3]]
    for note in (graded["out"] / "notes").glob("*.md"):
        text = note.read_text()
        assert not [v for v in shown if v in text], note.name


def test_the_table_and_the_summary(graded):
    out = graded["done"].stdout.splitlines()
    assert out[0].split()[:3] == ["submission", "status", "seconds"]
    assert len([line for line in out if line.endswith(".py") or ".py " in line]) == len(FILES)
    assert any(line.startswith(f"{graded['json']['summary']['correct']} of {len(FILES)} correct")
               for line in out)  # fmt: skip
    assert any(line.startswith("most common mistakes: ") for line in out)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_ctrl_c_ends_the_grader_and_every_child(tmp_path):
    marker = uuid.uuid4().hex
    env = {**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}
    slow = [str(CLASSROOM / "loops_forever.py"), str(CLASSROOM / "loops_at_import.py")]
    child = subprocess.Popen(
        [sys.executable, str(SCRIPT), *slow, "--timeout", "60"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while len(marked(marker)) < 4 and time.monotonic() < deadline:  # grader, server, 2 children
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130 and err.strip() == "interrupted" and out == ""
    time.sleep(0.2)
    assert marked(marker) == []


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["/no/such/folder"], "no such file or folder: /no/such/folder"),
        (["tests/students/README.md"], "not a .py file"),
        (["docs/img"], "no .py files in docs/img"),
        (["tests/classroom", "--timeout", "0"], "not a time limit in seconds"),
        (["tests/classroom", "--memory", "lots"], "not a memory size"),
        (["tests/classroom", "--jobs", "0"], "--jobs takes a whole number >= 1"),
        (["tests/classroom", "--loss", "hinge"], "invalid choice: 'hinge'"),
        (["tests/classroom", "--json", "/no/such/folder/g.json"], "--json: no such folder"),
    ],
)
def test_bad_invocations(argv, fragment):
    done = grade(*argv, marker="-", cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], done.stderr


def test_paths_are_files_functions_and_folders():
    found = submissions([str(CLASSROOM / "correct.py"), f"{CLASSROOM / 'missing.py'}:back_prop"],
                        "backprop")  # fmt: skip
    assert [f for _, f in found] == ["backprop", "back_prop"]
    assert len(submissions([str(CLASSROOM)], "backprop")) == len(FILES)


def test_a_missing_function_named_right_is_graded(tmp_path):
    done = grade(f"{CLASSROOM / 'missing.py'}:back_prop", "--json", str(tmp_path / "g.json"),
                 marker="-", cwd=ROOT)  # fmt: skip
    (verdict,) = json.loads((tmp_path / "g.json").read_text())["submissions"]
    assert verdict["function"] == "back_prop" and verdict["status"] == "wrong", done.stdout


def test_memory_sizes():
    assert memory_size("2G") == memory_size("2GiB") == 2 * 2**30
    assert memory_size("512m") == 512 * 2**20 and memory_size("1000") == 1000
    assert memory_size("none") is None


def test_an_empty_summary_is_all_zero():
    s = summarize([])
    assert (s.submissions, s.correct, s.wrong, s.unchecked, s.mistakes) == (0, 0, 0, 0, [])
