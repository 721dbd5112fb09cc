"""The single check (grading.single) hands the sandbox level it is asked for to the
sandbox it starts: a stand-in records it, and no process is started."""

from typing import ClassVar

import pytest

from reference.grading.single import diagnose_file
from reference.judge import StudentError
from reference.sandbox import Run


class Recording:
    """A sandbox that starts no process: it records the level it was started at, and
    its one child exited before answering."""

    levels: ClassVar[list] = []

    def __init__(self, limits, sandbox="auto"):
        type(self).levels.append(sandbox)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def run(self, task):
        return Run(task.path, task.function, reason="exited", detail="status 0", loaded=True)


@pytest.mark.parametrize("level", ["process", "required"])
def test_the_level_asked_for_is_the_sandboxs(tmp_path, level):
    path = tmp_path / "a.py"
    path.write_text("def backprop(x, y, w1, w2):\n    return w1, w2\n")
    Recording.levels.clear()
    with pytest.raises(StudentError, match=r"a\.py exited while running the function"):
        diagnose_file(f"{path}:backprop", runner=Recording, sandbox=level)
    assert Recording.levels == [level]
