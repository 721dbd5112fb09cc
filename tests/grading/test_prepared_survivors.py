"""A submission's task as the class grader prepares it (classroom.prepared) when its file
cannot be read: a notebook is none, for the reason the file could not be read (no cells
are looked for in that reason); a module is handed to the sandbox with no source of its
own, so that the sandbox reads the file itself and says why not. Nothing here runs in a
child."""

import pytest

from reference.grading.classroom import prepared
from reference.sandbox import Task, read_source

MODULE = b"import numpy as np\n\n\ndef backprop(x, y, w1, w2):\n    return w1, w2\n"


def unreadable(tmp_path, name, how):
    """A path ``name`` that read_source will not read: a folder, or a link to a file."""
    path = tmp_path / name
    if how == "folder":
        path.mkdir()
    else:
        target = tmp_path / "target.py"
        target.write_bytes(MODULE)
        path.symlink_to(target)
    return str(path)


@pytest.mark.parametrize("how", ["folder", "link"])
def test_a_notebook_that_cannot_be_read_is_none_for_that_reason(tmp_path, how):
    path = unreadable(tmp_path, "ana.ipynb", how)
    why = read_source(path)
    assert isinstance(why, str)  # not bytes: the file was not read
    assert prepared(path, "backprop") == why


@pytest.mark.parametrize("how", ["folder", "link"])
def test_a_module_that_cannot_be_read_is_handed_on_with_no_source(tmp_path, how):
    path = unreadable(tmp_path, "ana.py", how)
    assert isinstance(read_source(path), str)
    task, cells = prepared(path, "backprop,back_prop")
    assert isinstance(task, Task) and cells is None
    assert (task.path, task.function, task.source) == (path, "backprop", None)


def test_a_module_read_is_handed_on_as_its_bytes(tmp_path):
    path = tmp_path / "ana.py"
    path.write_bytes(MODULE)
    task, cells = prepared(str(path), "back_prop,backprop")
    assert cells is None
    assert (task.function, task.source) == ("backprop", MODULE)
