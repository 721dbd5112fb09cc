"""``scripts/grade.py --gradescope``: one submission's results in the format Gradescope's
autograder reads (its "Autograder Specifications": results.json), checked here field by
field against that documented format, and against the verdict it reports."""

import io
import json

import pytest

from reference.grading.cli import main
from tests.helpers import ROOT

pytestmark = pytest.mark.product_in_child  # a copied submission imports numpy_impl
CLASSROOM = ROOT / "tests" / "grading" / "classroom"

#: The documented fields: of the file, and of each test; the values some of them take.
TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
       "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
       "leaderboard"}  # fmt: skip
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
        "output_format", "tags", "visibility", "extra_data"}  # fmt: skip
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBLE = {"visible", "hidden", "after_due_date", "after_published"}


def valid(results):
    """Is ``results`` a results.json as documented? (AssertionError naming what is not.)"""
    assert set(results) <= TOP, set(results) - TOP
    assert "score" in results or all("score" in t for t in results["tests"])
    number = (int, float)
    assert isinstance(results.get("score", 0.0), number)
    assert isinstance(results.get("execution_time", 0), number)
    assert isinstance(results.get("output", ""), str)
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert results.get(key, "text") in FORMATS, key
    for key in ("visibility", "stdout_visibility"):
        assert results.get(key, "visible") in VISIBLE, key
    for test in results.get("tests", []):
        assert set(test) <= TEST, set(test) - TEST
        assert all(isinstance(test.get(k, 0.0), number) for k in ("score", "max_score"))
        assert test.get("status", "passed") in ("passed", "failed")
        assert all(isinstance(test.get(k, ""), str) for k in ("name", "number", "output"))
        assert test.get("output_format", "text") in FORMATS
        assert test.get("visibility", "visible") in VISIBLE
    return True


def results_of(tmp_path, submission, *options):
    path = tmp_path / "results.json"
    status = main([str(submission), "--gradescope", str(path), *options], out=io.StringIO())
    return status, json.loads(path.read_text())


def test_a_mistake_scores_the_parts_that_hold_and_says_why_each_does_not(tmp_path):
    status, found = results_of(tmp_path, CLASSROOM / "factor_2_lost.py", "--require", "sizes",
                               "--points", "dw1=2,dw2=2,sizes=1,rows=1")  # fmt: skip
    assert status == 1 and valid(found)
    names = [t["name"] for t in found["tests"]]
    assert names == ["dL/dw1 (required)", "dL/dw2 (required)",
                     "other hidden sizes (3 and 8) (required)",
                     "a batch of rows (the sum of its rows' gradients)"]  # fmt: skip
    assert [t["max_score"] for t in found["tests"]] == [2.0, 2.0, 1.0, 1.0]
    assert [t["status"] for t in found["tests"]] == ["failed"] * 4
    assert found["score"] == sum(t["score"] for t in found["tests"]) == 0.0
    assert "factor 2 lost" in found["tests"][0]["output"]
    assert found["tests"][2]["output"] == "not right yet: see dL/dw1 and dL/dw2"
    assert found["output_format"] == "md" and "**Not yet correct.**" in found["output"]


def test_a_correct_submission_gets_every_point_and_the_teachers_visibility(tmp_path):
    status, found = results_of(
        tmp_path, CLASSROOM / "correct.py", "--visibility", "after_published"
    )
    assert status == 0 and valid(found)
    assert [t["status"] for t in found["tests"]] == ["passed"] * 4
    assert found["score"] == sum(t["max_score"] for t in found["tests"]) == 4.0
    assert {t["visibility"] for t in found["tests"]} == {found["visibility"]} == {"after_published"}


def test_an_unchecked_submission_gets_nothing_and_the_reason(tmp_path):
    status, found = results_of(tmp_path, CLASSROOM / "copies_the_gradients.py")
    assert status == 1 and valid(found)
    assert found["score"] == 0.0 and {t["status"] for t in found["tests"]} == {"failed"}
    assert {t["output"] for t in found["tests"]} == {"not checked: copied"}
    assert "uses numpy_impl.network.gradients" in found["output"]


def test_the_validator_refuses_what_the_format_does_not_have():
    for bad in (
        {"score": "4"},
        {"tests": [{"name": "x"}]},
        {"score": 1, "visibility": "soon"},
        {"score": 1, "tests": [{"score": 1, "status": "ok"}]},
        {"score": 1, "grade": 2},
    ):
        with pytest.raises(AssertionError):
            valid(bad)


def test_a_folder_of_two_gets_a_results_file_that_says_why(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "a.py").write_text((CLASSROOM / "correct.py").read_text())
    (folder / "b.ipynb").write_text("{")
    path = tmp_path / "results.json"
    status = main([str(folder), "--gradescope", str(path)], out=io.StringIO())
    found = json.loads(path.read_text())
    assert status == 2 and valid(found) and found["score"] == 0.0
    assert found["output"] == "--gradescope: Gradescope grades one submission; 2 given"


def test_a_notebook_that_is_none_is_graded_unreadable_alone_or_last(tmp_path):
    (tmp_path / "b.ipynb").write_text("{")
    status, found = results_of(tmp_path, tmp_path / "b.ipynb")
    assert status == 1 and valid(found) and found["score"] == 0.0
    assert "not a Jupyter notebook" in found["output"]
