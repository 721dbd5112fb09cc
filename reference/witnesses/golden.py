"""Golden vectors: the PyTorch reference's answers, kept for machines without torch.

``reference/witnesses/golden.npz`` (made by ``scripts/make_fixtures.py``) holds, for each
case of :mod:`reference.witnesses.cases`, the inputs, the weights and the autograd
gradients of both rules' losses, and for the article's job (seeds 0 and 1,
both rules) the 15000-epoch loss history and final weights.

The two checks below are the suite's own: ``tests/witnesses/test_fixtures.py`` runs them
on numpy_impl, and ``tests/witnesses/test_mutations.py`` runs the very same checks on
numpy_impl with a mistake injected, which they must catch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np

from reference.witnesses.compare import Check
from reference.witnesses.tolerances import GRADIENT, TRAJECTORY, gradient_floor

PATH = Path(__file__).with_name("golden.npz")
RULES = ("article", "mse")

Golden = Dict[str, np.ndarray]


def load() -> Golden:
    """Every array of the golden file, by name."""
    with np.load(PATH, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def case_names(golden: Golden) -> List[str]:
    """The gradient cases: random networks and the article's letters."""
    return sorted({k.split("/")[1] for k in golden if k.startswith("case/")})


def trainings(golden: Golden) -> List[Tuple[str, int]]:
    """The (rule, seed) pairs of the kept 15000-epoch runs."""
    return sorted(
        {(k.split("/")[1], int(k.split("/")[2])) for k in golden if k.startswith("train/")}
    )


def check_gradients(impl: Any, golden: Golden, rule: str, keep: bool = True) -> None:
    """``impl.gradients`` (numpy_impl, or a module shaped like it) on every case,
    against the golden autograd gradients of ``rule``'s loss (:data:`GRADIENT`)."""
    for name in case_names(golden):
        x, y, w1, w2 = (golden[f"case/{name}/{k}"] for k in ("x", "y", "w1", "w2"))
        check = Check(f"gradient ({rule} rule)", GRADIENT, "fixtures", gradient_floor(w2), name)
        kept = [golden[f"case/{name}/{rule}/d{w}"] for w in ("w1", "w2")]
        check.at(keep=keep).layers(impl.gradients(x, y, w1, w2, rule), kept)


def check_training(impl: Any, golden: Golden, rule: str, seed: int, keep: bool = True) -> None:
    """``impl.train`` on the article's job, against the golden run: the whole loss
    history (entry by entry) and the final weights (:data:`TRAJECTORY`)."""
    ours = impl.train(seed=seed, rule=rule)
    run = f"train/{rule}/{seed}"
    check = Check(
        f"training ({rule} rule)", TRAJECTORY, "fixtures", where=f"seed {seed}", keep=keep
    )
    check.at(elementwise=True)("loss history", ours.loss, golden[f"{run}/loss"])
    check.layers((ours.w1, ours.w2), (golden[f"{run}/w1"], golden[f"{run}/w2"]), name="{}")
