"""The golden gradients are what the live PyTorch reference computes: they cannot
go stale (the golden 15000-epoch runs: tests/witnesses/test_parity_training.py)."""

import pytest

from reference.witnesses import golden
from reference.witnesses import torch_mirror as ref
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import GRADIENT, gradient_floor


@pytest.fixture(scope="module")
def kept():
    return golden.load()


def test_golden_gradients_are_what_the_live_reference_computes(kept):
    for name in golden.case_names(kept):
        tensors = [ref.as_tensor(kept[f"case/{name}/{k}"]) for k in ("x", "y", "w1", "w2")]
        for rule in golden.RULES:
            live = ref.gradients(*tensors, rule)
            # Same formulas, maybe another torch build: rounding differences only.
            check = Check(
                "fixtures",
                GRADIENT,
                "live torch",
                floor=gradient_floor(tensors[3].numpy()),
                where=name,
            )
            check.layers(
                [kept[f"case/{name}/{rule}/d{w}"] for w in ("w1", "w2")],
                live,
                name=f"d{{}} ({rule})",
            )
