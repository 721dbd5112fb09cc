"""``--network``: the grader and ``diff_gradients.py --against`` for the networks classes
assign (reference/witnesses/built_in_networks/): for each built-in a folder of students
written for it (tests/judge/networks/NAME/, each file's expected verdict in its
expected.toml, derived from what the student wrote) graded in one run, each verdict
as expected; and the options refused in one line where they do not go together."""

import io
import json
import sys
from pathlib import Path

import pytest

from reference.grading import cli
from tests.helpers import ROOT, run_diff

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NETWORKS = ROOT / "tests" / "judge" / "networks"
BUILT_INS = ("article-bias", "columns", "relu-softmax")


def expected(name):
    return tomllib.loads((NETWORKS / name / "expected.toml").read_text())


@pytest.fixture(scope="module")
def graded(tmp_path_factory, unmutated_children):
    """Each built-in's folder graded once, as a teacher would, in-process."""
    from reference.sandbox import Runner

    found = {}
    for name in BUILT_INS:
        folder = tmp_path_factory.mktemp(name)
        table = io.StringIO()
        status = cli.main([str(NETWORKS / name), "--network", name, "--json",
                           str(folder / "g.json"), "--feedback", str(folder / "notes"),
                           "--timeout", "5", "--sandbox", "process"], table, Runner)  # fmt: skip
        found[name] = (status, json.loads((folder / "g.json").read_text()), table.getvalue(),
                       folder / "notes")  # fmt: skip
    return found


@pytest.mark.parametrize("name", BUILT_INS)
def test_a_folder_of_students_is_graded_with_the_expected_words(graded, name):
    status, data, _, _ = graded[name]
    wanted = expected(name)
    verdicts = {Path(v["file"]).name: v for v in data["submissions"]}
    assert set(verdicts) == set(wanted) and status == 1
    for file, want in wanted.items():
        got = verdicts[file]
        assert got["status"] == want["status"], (file, got["message"], got["layers"])
        assert got["network"] == name
        if want["status"] == "unchecked":
            continue
        assert set(got["mistakes"]) == set(want["mistakes"]), (file, got["layers"])
        assert (got["origin"] or "") == want["origin"], file
    correct = [f for f, w in wanted.items() if w["status"] == "correct"]
    assert len(correct) >= 2 and len(wanted) - len(correct) >= 4


def test_the_feedback_names_the_network_and_its_mistakes(graded):
    _, _, table, notes = graded["columns"]
    assert "db1 missing an axis of length one" in table  # the class's commonest mistakes
    said = (notes / "db1_no_keepdims.md").read_text()
    assert "(network columns)." in said and "- db1: its values are right, its shape is not" in said
    assert "look at the line that computes db1" in said.lower()
    said = (notes / "extra_slope_output.md").read_text()
    assert "Look at the line that computes dZ2: dZ2 multiplied by the sigmoid's slope" in said


def test_diff_gradients_against_a_described_network_exits_as_the_verdict_says():
    folder = NETWORKS / "relu-softmax"
    wanted = expected("relu-softmax")
    for file, want in list(wanted.items())[:3]:
        status, out = run_diff("--against", f"{folder / file}:backprop", "--network",
                               "relu-softmax", "--sandbox", "process")  # fmt: skip
        assert status == {"correct": 0, "wrong": 1, "unchecked": 2}[want["status"]], out
        if status != 2:
            assert "(network relu-softmax)" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--network", "nothing"], "error: --network: 'nothing' is no built-in (article,"),
        (["--network", "columns", "--loss", "bce"], "error: --loss goes with the article's"
         " network: the network columns has its own loss"),
        (["--network", "columns", "--forward", "forward"], "error: --forward goes with the"
         " article's network"),
        (["--network", "columns", "--require", "rows"], "error: --require: unknown 'rows':"
         " choose from dW1, db1, dW2, db2, sizes"),
    ],
)  # fmt: skip
def test_the_grader_refuses_what_does_not_go_together_in_one_line(argv, words, capsys):
    folder = NETWORKS / "columns"
    assert cli.main([str(folder), *argv]) == 2
    said = capsys.readouterr().err
    assert said.startswith(words) and said.count("\n") == 1


def test_diff_gradients_refuses_a_network_without_against_or_with_plot(tmp_path, capsys):
    assert run_diff("--network", "columns")[0] == 2
    assert capsys.readouterr().err == (
        "error: --require, --points and --network go with --against\n")  # fmt: skip
    student = NETWORKS / "columns" / "correct_course.py"
    status, _ = run_diff("--against", f"{student}:backprop", "--network", "columns", "--plot",
                         str(tmp_path / "a.png"))  # fmt: skip
    assert status == 2
    assert capsys.readouterr().err == "error: --plot goes with the article's network\n"


def test_the_article_by_name_or_described_in_a_file_is_judged_in_the_articles_words(tmp_path):
    student = ROOT / "tests" / "judge" / "students" / "hidden_slope_missing.py"
    plain = run_diff("--against", f"{student}:grads", "--sandbox", "process")
    named = run_diff("--against", f"{student}:grads", "--network", "article", "--sandbox",
                     "process")  # fmt: skip
    toml = tmp_path / "article.toml"
    toml.write_text(
        'sizes = [30, 5, 3]\nactivations = ["sigmoid", "sigmoid"]\nbiases = false\n'
        'loss = "mse"\ndivisor = 3\nreduction = "sum"\nlayout = "rows"\n'
        'parameters = ["x", "y", "w1", "w2"]\nreturns = ["dw1", "dw2"]\n'
    )
    described = run_diff("--against", f"{student}:grads", "--network", str(toml),
                         "--sandbox", "process")  # fmt: skip
    assert plain == named == described and plain[0] == 1
