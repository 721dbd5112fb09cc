"""scripts/grade.py on a hostile class (tests/grading/hostile/), at both levels of the
sandbox: each submission gets the verdict its docstring expects, no classmate is
touched, the folder is unchanged byte for byte, no process is left, and the
JSON, CSV and feedback are written, with nothing a submission printed live in
them (no terminal code, no formula, no Markdown of its own)."""

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reference.grading.gradebook import STEM_BYTES
from tests.helpers import NAMESPACES, ROOT, expectation, marked

HOSTILE = ROOT / "tests" / "grading" / "hostile"
SCRIPT = ROOT / "scripts" / "grade.py"
#: A file name that is not UTF-8, as zip exports from learning platforms make them.
ODD = b"\xff\xfe-correct.py"
#: A name of 245 bytes: its feedback file's name, and the temporary one it is written
#: under first, must still fit in a file name's 255 (the feedback was once lost).
LONG = "a_long_name_" + "x" * 230 + ".py"


def fingerprint(folder):
    """Every file below ``folder`` (its name as bytes), with its bytes' digest and mode."""
    found = {}
    for root, _, names in os.walk(os.fsencode(folder)):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, os.fsencode(folder))] = (
                    hashlib.sha256(f.read()).hexdigest(),
                    os.stat(path).st_mode,
                )
    return found  # fmt: skip


@pytest.fixture(scope="module", params=[pytest.param("required", marks=NAMESPACES), "process"])
def graded(request, tmp_path_factory):
    """The hostile class, with a file named in bytes that are not UTF-8, graded once at
    the level asked for, with --timeout 10: the grader's default, so that a correct file
    that starts a pool of processes at each call is not timed out on a loaded machine."""
    level = request.param
    folder = tmp_path_factory.mktemp(f"class-{level}")
    for path in HOSTILE.glob("*.py"):
        shutil.copy(path, folder / path.name)
    shutil.copy(HOSTILE / "correct.py", os.path.join(os.fsencode(folder), ODD))
    shutil.copy(HOSTILE / "correct.py", folder / LONG)
    before = fingerprint(folder)
    out = tmp_path_factory.mktemp(f"grades-{level}")
    marker = uuid.uuid4().hex
    env = {**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(folder), "--timeout", "10", "--sandbox", level,
         "--json", str(out / "g.json"), "--csv", str(out / "g.csv"), "--feedback",
         str(out / "notes")], capture_output=True, env=env, cwd=out,
    )  # fmt: skip
    left = []
    for _ in range(50):  # the orphans of ended namespaces are reaped by the system
        left = marked(marker)
        if not left:
            break
        time.sleep(0.1)
    return {"level": level, "done": done, "out": out, "folder": folder, "before": before,
            "after": fingerprint(folder), "left": left,
            "json": json.loads((out / "g.json").read_text())}  # fmt: skip


def by_name(graded):
    return {os.fsencode(Path(s["file"]).name): s for s in graded["json"]["submissions"]}


def test_the_class_is_graded_and_its_files_written(graded):
    done = graded["done"]
    assert done.returncode == 1, done.stderr  # some are wrong or unchecked
    assert done.stderr == b""  # the level was asked for: nothing to say of it
    assert sorted(os.listdir(graded["out"] / "notes")) == sorted(
        n.decode(errors="surrogateescape")[:-3][:STEM_BYTES] + ".md" for n in graded["before"]
    )  # the long name's first STEM_BYTES bytes (ASCII, so characters)
    with open(graded["out"] / "g.csv", newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(graded["before"])
    assert by_name(graded)[LONG.encode()]["status"] == "correct"


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.py")), ids=lambda p: p.stem)
def test_each_submission_gets_its_verdict(graded, path):
    want = expectation(path)
    got = by_name(graded)[path.name.encode()]
    reason = want.get(f"{graded['level']}-reason", want.get("reason"))
    if graded["level"] == "required":
        reason = want.get("reason")
    assert (got["status"], got["reason"]) == (want["status"], reason), got
    if "mistakes" in want:
        assert got["mistakes"] == want["mistakes"].split(" + "), got


def test_a_file_named_in_bytes_that_are_not_utf8_is_graded_and_shown_escaped(graded):
    assert by_name(graded)[ODD]["status"] == "correct"
    table = graded["done"].stdout.decode()
    assert re.search(r"^\\xff\\xfe-correct\.py +correct ", table, flags=re.M), table


def test_no_classmate_is_touched_and_the_folder_is_unchanged(graded):
    assert graded["after"] == graded["before"]
    assert not (graded["out"] / "notes.txt").exists()  # nothing in the grader's folder either


def test_nothing_is_left_running(graded):
    assert graded["left"] == []  # the daemon, the pool, the loop: every one ended


def test_what_a_submission_printed_or_raised_is_inert_everywhere(graded):
    out = graded["out"]
    raw = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202e]")
    shown = [graded["done"].stdout.decode(), (out / "g.csv").read_text(encoding="utf-8")]
    shown += [p.read_text(encoding="utf-8") for p in (out / "notes").glob("*.md")]
    for text in shown:
        assert not raw.search(text), raw.search(text)
    escaped = (out / "notes" / "escape_codes.md").read_text()
    assert "\\x1b[31mPWNED" in escaped and "\\u202egnp.exe" in escaped
    with open(out / "g.csv", newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["file"].endswith("escape_codes.py"))
    assert row["output"].startswith("\\x1b[2J") and row["message"].startswith("the function")
    assert not any(cell.startswith(("=", "+", "@")) for r in [row] for cell in r.values())


def test_words_a_submission_raised_or_named_are_quoted_in_its_notes(graded):
    text = (graded["out"] / "notes" / "quotes_links_in_its_notes.md").read_text()
    notes = [line for line in text.splitlines() if line.startswith("Note:")]
    assert len(notes) == 2, text  # one for hidden size 3, one for hidden size 8
    for line in notes:
        outside = re.sub(r"(`+).*?\1", "", line)  # what Markdown would render
        assert "](" not in outside and "<img" not in outside and "http" not in outside, line
    assert "[click here](http://evil.example)" in text  # quoted, not dropped
    assert "[typename link](http://evil.example)" in text


def test_a_fence_printed_into_the_feedback_stays_inside_it(graded):
    text = (graded["out"] / "notes" / "closes_its_fence.md").read_text()
    fence, inside, outside = None, [], []
    for line in text.splitlines():
        if fence is None and re.fullmatch(r"`{3,}text", line):
            fence = line[: -len("text")]
        elif fence is not None and line == fence:
            fence = ""
        elif fence:
            inside.append(line)
        else:
            outside.append(line)
    assert "**Correct.** All done." in inside
    assert not any("Correct." in line for line in outside)
    assert "**Not yet correct.**" in outside


def test_a_tee_on_stdout_keeps_what_was_printed(graded):
    assert by_name(graded)[b"replaces_stdout.py"]["output"] == "training with a tee\n"
