"""The golden vectors are what the live PyTorch reference computes: they cannot go stale."""

import pytest

from reference import golden
from reference import network as ref
from reference.compare import assert_close
from reference.tolerances import GRADIENT, TRAJECTORY, gradient_floor


@pytest.fixture(scope="module")
def kept():
    return golden.load()


def test_golden_gradients_are_what_the_live_reference_computes(kept):
    for name in golden.case_names(kept):
        tensors = [ref.as_tensor(kept[f"case/{name}/{k}"]) for k in ("x", "y", "w1", "w2")]
        for rule in golden.RULES:
            live = ref.gradients(*tensors, rule)
            for w in ("w1", "w2"):
                # Same formulas, maybe another torch build: rounding differences only.
                assert_close(
                    "fixtures",
                    f"d{w} ({rule})",
                    kept[f"case/{name}/{rule}/d{w}"],
                    getattr(live, w),
                    GRADIENT,
                    floor=gradient_floor(tensors[3].numpy()),
                    oracle="live torch",
                    where=name,
                )


@pytest.mark.slow
@pytest.mark.xdist_group("reference_runs")  # with -n: on the worker that has the runs
def test_golden_runs_are_what_the_live_reference_computes(kept, reference_runs):
    for rule, seed in golden.trainings(kept):
        live = reference_runs[(seed, rule)]
        for tensor, key in (("loss history", "loss"), ("w1", "w1"), ("w2", "w2")):
            assert_close(
                "fixtures",
                f"{tensor} ({rule})",
                kept[f"train/{rule}/{seed}/{key}"],
                getattr(live, key),
                TRAJECTORY,
                elementwise=key == "loss",
                oracle="live torch",
            )
