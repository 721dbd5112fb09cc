"""The single check (grading.single) hands the sandbox the task and the level it is
asked for: a stand-in records both, and no process is started (a mutant of the check
is active where these run)."""

from typing import ClassVar

import numpy as np
import pytest

from reference.grading.single import Asked, asked_for, diagnose_file, judged, run_file, started
from reference.judge import DEFAULT, StudentError, described_contract, steps
from reference.sandbox import Run
from reference.witnesses.networks import BUILT_IN
from tests.helpers import run_described

MODULE = "def backprop(x, y, w1, w2):\n    return w1, w2\n"


class Recording:
    """A sandbox that starts no process: it records the level it was started at and the
    tasks it was handed; each child exited before answering."""

    levels: ClassVar[list] = []
    tasks: ClassVar[list] = []

    def __init__(self, limits, sandbox="auto"):
        type(self).levels.append(sandbox)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def run(self, task):
        type(self).tasks.append(task)
        return Run(task.path, task.function, reason="exited", detail="status 0", loaded=True)


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(MODULE)
    Recording.levels.clear()
    Recording.tasks.clear()
    return f"{path}:backprop"


@pytest.mark.parametrize("level", ["process", "required"])
def test_the_level_asked_for_is_the_sandboxs(spec, level):
    with pytest.raises(StudentError, match=r"a\.py exited while running the function"):
        diagnose_file(spec, runner=Recording, sandbox=level)
    assert Recording.levels == [level]
    run_file(spec, "forward", runner=Recording, sandbox=level)
    assert Recording.levels == [level, level]


def test_a_backprop_is_run_by_default_without_the_projects_gradients(spec):
    run = run_file(spec, runner=Recording)
    assert (run.reason, Recording.levels) == ("exited", ["auto"])
    (task,) = Recording.tasks
    # called as f(x, y, w1, w2) and as a step f(x, y, w1, w2, alpha)
    assert sorted(task.calls) == [4, 5]
    assert "numpy_impl.network.backprop" in task.forbidden.functions
    assert "numpy_impl.network.forward" not in task.forbidden.functions


def test_a_step_of_the_backward_pass_is_run_at_what_that_step_is_given(spec):
    run_file(spec, "d2", runner=Recording)
    (task,) = Recording.tasks
    (given,) = task.calls.values()
    assert list(task.calls) == [2]  # d2 is given a2 and y
    wanted = steps.calls("d2")[2]
    assert len(given) == len(wanted)
    for got, want in zip(given, wanted):
        assert len(got) == len(want) == 2
        assert all(np.array_equal(g, w) for g, w in zip(got, want))
    assert "numpy_impl.network.output_delta" in task.forbidden.functions


def test_a_forward_pass_may_not_use_the_lessons(spec):
    run_file(spec, "forward", runner=Recording)
    (task,) = Recording.tasks
    assert list(task.calls) == [3]  # f(x, w1, w2)
    assert "numpy_impl.network.forward" in task.forbidden.functions


def test_the_article_asked_for_with_no_contract_is_judged_under_the_default_one():
    assert asked_for("", None) == Asked(None, DEFAULT)
    assert asked_for("article", None, points="") == Asked(None, DEFAULT)


def test_a_described_network_is_judged_under_the_contract_asked_for():
    d = BUILT_IN["relu-softmax"]
    asked = described_contract(d, "sizes", "dw1=3,db1=1,dw2=3,db2=1,sizes=2")
    found = asked_for("relu-softmax", None, "sizes", "dw1=3,db1=1,dw2=3,db2=1,sizes=2")
    assert found == Asked(d, asked) and asked != described_contract(d, "sizes")
    verdict = judged(run_described(d, lambda i, right, e: right), "mse", asked, d)
    assert verdict.contract == asked != described_contract(d)


def test_a_sandbox_is_started_at_the_automatic_level_unless_one_is_asked_for():
    Recording.levels.clear()
    with started(Recording, None):
        pass
    with started(Recording, None, "required"):
        pass
    assert Recording.levels == ["auto", "required"]
