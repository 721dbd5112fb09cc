"""scripts/grade.py on a whole class (tests/grading/classroom/): every submission runs
apart and gets the status its docstring expects; the folder is unchanged, no
process is left behind, and the JSON, CSV and feedback say the same."""

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from reference.grading.classroom import Verdict, submissions, summarize, verdict_on
from reference.grading.classroom import grade as grade_class
from reference.grading.cli import memory_size
from reference.judge import catalogue
from reference.judge.contract import Contract
from reference.judge.diagnosis import Diagnosis, LayerVerdict
from reference.judge.plan import state_at
from reference.sandbox import Call, Limits, Runner
from tests.helpers import ROOT, STUDENTS, english_left, expectation, marked, run_of

pytestmark = pytest.mark.product_in_child  # the class has a submission that patches numpy_impl

CLASSROOM = ROOT / "tests" / "grading" / "classroom"
SCRIPT = ROOT / "scripts" / "grade.py"
FILES = sorted(CLASSROOM.glob("*.py"))


def snapshot(folder):
    """Every file below ``folder``, with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def grade(*argv, marker, **kw):
    env = {**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *argv], capture_output=True, text=True, env=env, **kw
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory, unmutated_children):
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


def test_in_process_the_class_gets_its_verdicts(sandbox):
    # The class graded in this process, as the grader's command line does it:
    # one test, so that nox -s mutation sees every check below reach the judge.
    calls = []
    given = submissions([str(CLASSROOM)], "backprop")
    verdicts = grade_class(given, "mse", Limits(3.0), 2, lambda *a: calls.append(a), runner=sandbox)
    assert [(v.file, v.function, v.loss) for v in verdicts] == [(f, n, "mse") for f, n in given]
    assert calls == [("grading", i, len(FILES)) for i in range(len(FILES) + 1)]
    for path, got in zip(FILES, verdicts):
        want = expectation(path)
        assert (got.status, got.reason) == (want["status"], want.get("reason")), path.name
        if "mistakes" in want:
            assert got.mistakes == want["mistakes"].split(" + "), path.name
        elif got.status != "wrong":
            assert got.mistakes == [], path.name
        assert (got.diagnosis is None) == (got.status == "unchecked"), path.name
        assert bool(got.message) == (got.status == "unchecked"), path.name
        assert 0 < got.seconds < 3 + 2 and got.output_length >= len(got.output), path.name
    by_name = {Path(v.file).name: v for v in verdicts}
    assert "SIGSEGV" in by_name["segfault.py"].message
    assert "while loading" in by_name["exits_at_import.py"].message
    assert by_name["asks_for_input.py"].output == "learning rate? "
    printed = by_name["prints_megabytes.py"]
    assert len(printed.output) == 2000 < printed.output_length
    assert (by_name["syntax_error.py"].line, by_name["raises.py"].line) == (9, 10)
    assert by_name["correct.py"].line is None and by_name["correct.py"].unmatched == []
    # the summary counts them
    summary = summarize(verdicts)
    assert summary.submissions == len(FILES)
    assert (summary.correct, summary.wrong, summary.unchecked) == tuple(
        sum(v.status == s for v in verdicts) for s in ("correct", "wrong", "unchecked")
    )
    assert dict(summary.mistakes)["factor 2 lost"] == 1
    assert dict(summary.reasons) == dict(Counter(v.reason for v in verdicts if v.reason))
    assert summary.outside == sum(1 for v in verdicts if v.status == "wrong" and v.unmatched)


def test_in_process_the_teachers_contract_and_sandbox_reach_every_verdict(sandbox):
    given = [(str(CLASSROOM / n), "backprop") for n in ("correct.py", "article_step.py")]
    contract = Contract.parse("gradient,sizes", "dw1=2")
    verdicts = grade_class(given, "mse", Limits(10.0), runner=sandbox, contract=contract)
    assert [v.contract for v in verdicts] == [contract, contract]
    # the step is right, but not the shape asked for
    assert [v.status for v in verdicts] == ["correct", "wrong"]
    with pytest.raises(
        ValueError, match=r"^unknown sandbox 'none': choose one of auto, required, process$"
    ):
        grade_class(given, sandbox="none")


def test_a_record_the_judge_cannot_read_is_that_submissions_alone():
    # a call that returned fewer arrays than it says (no child writes that record)
    run = run_of(lambda s, i: (np.zeros_like(s.w1), np.zeros_like(s.w2)))
    run.calls[0] = Call("values", (np.zeros((30, 5)),), ("ndarray",), 2)
    found = verdict_on(run, "mse", Contract.parse("rows"))
    assert (found.status, found.reason, found.diagnosis) == ("unchecked", "bad-output", None)
    assert found.message == (
        "what it returned could not be read (ValueError: not enough values to unpack (expected"
        " 2, got 1))"
    )
    assert (found.file, found.function, found.contract) == (run.path, run.function,
                                                            Contract.parse("rows"))  # fmt: skip


def test_in_process_the_default_loss_is_the_mse():
    (verdict,) = grade_class([(str(CLASSROOM / "correct.py"), "backprop")])
    assert (verdict.status, verdict.loss) == ("correct", "mse")
    (verdict,) = grade_class([(str(CLASSROOM / "article_step.py"), "backprop")], "bce")
    assert (verdict.status, verdict.loss) == ("correct", "bce")


def verdict(status, mistakes=(), unmatched=False, reason="raised"):
    """A made-up verdict: its status, w1's mistakes, w2 outside the catalogue or
    not, and (unchecked) its reason."""
    chain = catalogue.chains("w1", False)[0]
    layers = [
        LayerVerdict("w1", not mistakes, "", chain, list(mistakes), 0.0, 0.0),
        LayerVerdict("w2", True, "", None if unmatched else chain, [], 0.0, 0.0),
    ]
    found = Diagnosis("mse", "", "float64", layers, None, "", [], [])
    return Verdict("f.py", "backprop", "mse", status, reason=reason if status == "unchecked"
                   else None, diagnosis=None if status == "unchecked" else found)  # fmt: skip


def test_the_summary_orders_by_count_then_by_name():
    verdicts = [verdict("wrong", ["b"]), verdict("wrong", ["c"]), verdict("wrong", ["c"]),
                verdict("wrong", ["a"], unmatched=True), verdict("unchecked", reason="raised"),
                verdict("unchecked", reason="timeout"), verdict("unchecked", reason="timeout"),
                verdict("unchecked", reason="crashed"),
                verdict("correct", unmatched=True)]  # fmt: skip
    s = summarize(verdicts)
    assert s.mistakes == [("c", 2), ("a", 1), ("b", 1)]
    assert s.reasons == [("timeout", 2), ("crashed", 1), ("raised", 1)]
    assert (s.correct, s.wrong, s.unchecked, s.outside) == (1, 4, 4, 1)


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
    right = catalogue.correct(state_at(0), "mse")
    values = np.concatenate([right.dw1.ravel(), right.dw2.ravel()])
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
    with subprocess.Popen(
        [sys.executable, str(SCRIPT), *slow, "--timeout", "60"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    ) as child:  # fmt: skip
        deadline = time.monotonic() + 30
        while len(marked(marker)) < 4 and time.monotonic() < deadline:  # grader, server, 2 children
            time.sleep(0.05)
        try:
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=30)
        finally:
            child.kill()  # a grader that ignored Ctrl-C is not left running (its server follows)
    assert child.returncode == 130 and err.strip() == "interrupted" and out == ""
    time.sleep(0.2)
    assert marked(marker) == []


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["/no/such/folder"], "no such file or folder: /no/such/folder"),
        (["tests/judge/students/README.md"], "not a .py or .ipynb file"),
        (["docs/img"], "no .py or .ipynb files in docs/img"),
        (["tests/grading/classroom", "--timeout", "0"], "not a time limit in seconds"),
        (["tests/grading/classroom", "--memory", "lots"], "not a memory size"),
        (["tests/grading/classroom", "--jobs", "0"], "--jobs takes a whole number >= 1"),
        (["tests/grading/classroom", "--loss", "hinge"], "invalid choice: 'hinge'"),
        (["tests/grading/classroom", "--json", "/no/such/folder/g.json"], "--json: no such folder"),
        (["tests/grading/classroom", "--gradescope", "{tmp}/r.json"], "grades one submission; 23"),
        (
            ["tests/grading/classroom/correct.py", "--gradescope", "/no/such/r.json"],
            "--gradescope: no such folder",
        ),
        (["tests/grading/classroom", "--visibility", "soon"], "invalid choice: 'soon'"),
    ],
)
def test_bad_invocations(argv, fragment, tmp_path):
    """One line, exit 2; what the grader writes even then (Gradescope's results) goes to
    the test's folder, not the project's."""
    done = grade(*(a.replace("{tmp}", str(tmp_path)) for a in argv), marker="-", cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], done.stderr


def test_paths_are_files_functions_and_folders(tmp_path):
    found = submissions([str(CLASSROOM / "correct.py"), f"{CLASSROOM / 'missing.py'}:back_prop"],
                        "backprop")  # fmt: skip
    assert found == [(str(CLASSROOM / "correct.py"), "backprop"),
                     (str(CLASSROOM / "missing.py"), "back_prop")]  # fmt: skip
    folder = [(str(p), "backprop") for p in FILES]
    assert submissions([str(CLASSROOM)], "backprop") == folder
    first = submissions([str(CLASSROOM / "correct.py"), str(CLASSROOM)], "f")
    assert first[0] == (str(CLASSROOM / "correct.py"), "f") and len(first) == len(FILES) + 1
    assert len(submissions([str(CLASSROOM), str(CLASSROOM)], "f")) == 2 * len(FILES)
    # a file whose own name holds a colon is a file; a spec's function follows the last colon
    odd = tmp_path / "week:1.py"
    odd.write_text("")
    assert submissions([str(odd)], "backprop") == [(str(odd), "backprop")]
    assert submissions([f"{odd}:step"], "backprop") == [(str(odd), "step")]


@pytest.mark.parametrize(
    ("given", "message"),
    [(["nowhere"], "no such file or folder: nowhere"),
     (["pyproject.toml"], "not a .py or .ipynb file: pyproject.toml"),
     (["docs/img"], "no .py or .ipynb files in docs/img"),
     ([], "no submissions given")],
)  # fmt: skip
def test_paths_that_are_not_submissions(given, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(ValueError) as failed:
        submissions(given, "backprop")
    assert str(failed.value) == message


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


class Watched(Runner):
    """The grader's runner, watched: the most children it had at once, and the
    order in which it was asked to finish them."""

    made: ClassVar[list] = []

    def __init__(self, limits, sandbox="auto"):
        super().__init__(limits, sandbox)
        self.most, self.finished = 0, []
        Watched.made.append(self)

    def start(self, task):
        pid = super().start(task)
        self.most = max(self.most, len(self.running))
        return pid

    def finish(self, pid):
        self.finished.append(Path(self.tasks()[pid].path).stem)
        return super().finish(pid)


def test_jobs_at_a_time_each_judged_as_it_ends(tmp_path):
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(6)\n")  # ends with no function after 6 s
    quick = [tmp_path / f"quick{i}.py" for i in range(3)]
    for path in quick:
        path.write_text((CLASSROOM / "correct.py").read_text())
    Watched.made.clear()
    given = [(str(p), "backprop") for p in (slow, *quick)]
    verdicts = grade_class(given, "mse", Limits(30.0), 2, runner=Watched)
    assert [v.status for v in verdicts] == ["unchecked", "correct", "correct", "correct"]
    (watched,) = Watched.made
    # two at a time; the quick ones judged as they end, beside the slow one, which ends last
    assert watched.most == 2
    assert watched.finished == ["quick0", "quick1", "quick2", "slow"]
    # one at a time by default, in the order given
    grade_class(given[1:], runner=Watched)
    assert Watched.made[1].most == 1 and Watched.made[1].finished == ["quick0", "quick1", "quick2"]


def test_a_teachers_requirements_and_points_reach_the_json_and_csv(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CLASSROOM / "correct.py", folder / "a_correct.py")
    shutil.copy(STUDENTS / "first_row_of_a_batch.py", folder / "b_one_row.py")
    done = grade(str(folder), "--require", "rows", "--points", "dw1=3,dw2=3", "--json",
                 str(tmp_path / "g.json"), "--csv", str(tmp_path / "g.csv"), "--feedback",
                 str(tmp_path / "notes"), marker="-", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1, done.stderr
    graded = json.loads((tmp_path / "g.json").read_text())["submissions"]
    assert [(s["status"], s["score"], s["max_score"]) for s in graded] == [
        ("correct", 8, 8), ("wrong", 7, 8)]  # fmt: skip
    with open(tmp_path / "g.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["score"], r["max_score"]) for r in rows] == [("8.0", "8.0"), ("7.0", "8.0")]
    notes = (tmp_path / "notes" / "b_one_row.md").read_text()
    assert "Score: 7 of 8." in notes and "required and not holding: a batch of rows" in notes


def test_the_feedback_and_summary_in_chinese_leave_no_english_but_code_and_names(tmp_path, sandbox):
    # the class's feedback with --language zh: every sentence the table has, in Chinese;
    # what stays is code, names, a file's own words (its exception, what it printed)
    from reference.grading.cli import main
    from reference.judge.catalogue import ENTRIES
    from reference.judge.languages import said as said_in

    out = io.StringIO()
    status = main([str(CLASSROOM), "--timeout", "3", "--language", "zh", "--feedback",
                   str(tmp_path), "--jobs", "2"], out=out, runner=sandbox)  # fmt: skip
    assert status == 1
    table, summary = out.getvalue().split("\n\n")[-2:]
    rows = [line.split()[:2] for line in table.splitlines()]
    assert rows[0] == [said_in("submission", "zh"), said_in("status", "zh")]
    assert {status for _, status in rows[1:]} == {said_in(s, "zh") for s in ("correct", "wrong",
                                                                          "unchecked")}  # fmt: skip
    assert summary.startswith(f"{len(FILES)} 份中 ") and "错误目录之外" in summary
    for path in sorted(tmp_path.glob("*.md")):
        text = re.sub(r"```.*?```", "", path.read_text(), flags=re.DOTALL)  # what it printed
        text = re.sub(r"`[^`]*`", "", text)  # code, and what the file said of itself
        assert english_left(text) == [], (path.name, english_left(text))
    said = (tmp_path / "factor_2_lost.md").read_text()
    assert "**还不正确。**" in said
    pointer = f"look at the line that computes d2: {ENTRIES['factor 2 lost'].words}"
    assert said_in(pointer, "zh") + "。" in said
