"""scripts/grade.py --jobs 1 on a class whose every other file tries to leave
something for the next one on its server (tests/grading/leftovers/), at both levels
of the sandbox: a module hidden in a folder that cannot be listed, folders locked, a
pipe or a link where the next file goes. Every file is correct, and is graded so;
the grading ends, writes its files and leaves no process."""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.helpers import NAMESPACES, ROOT, expectation, marked

LEFTOVERS = ROOT / "tests" / "grading" / "leftovers"
#: A grading that waits forever (it once did) fails here instead of hanging the suite.
HANG = 600


@pytest.mark.parametrize("level", [pytest.param("required", marks=NAMESPACES), "process"])
def test_nothing_a_submission_leaves_reaches_the_next(tmp_path, level):
    folder = tmp_path / "class"
    folder.mkdir()
    for path in LEFTOVERS.glob("[0-9]_*.py"):
        shutil.copy(path, folder / path.name)
        shutil.copy(LEFTOVERS / "victim.py", folder / f"{path.name[0]}_then_a_classmate.py")
    marker = uuid.uuid4().hex
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "grade.py"), str(folder), "--jobs", "1",
         "--sandbox", level, "--json", str(tmp_path / "g.json")], capture_output=True,
        env={**os.environ, "NUMPY_IMPL_GRADING_TEST": marker}, cwd=tmp_path, timeout=HANG,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    graded = json.loads((tmp_path / "g.json").read_text())["submissions"]
    assert [os.path.basename(s["file"]) for s in graded] == sorted(os.listdir(folder))
    assert all(expectation(path) == {"status": "correct"} for path in LEFTOVERS.glob("*.py"))
    assert [s for s in graded if s["status"] != "correct"] == []
    for _ in range(50):  # the orphans of ended namespaces are reaped by the system
        if not marked(marker):
            break
        time.sleep(0.1)
    assert marked(marker) == []
