"""Regenerate reference/witnesses/golden.npz from the PyTorch reference.

    python scripts/make_fixtures.py

Golden vectors for machines without torch: for each case, the inputs, the
weights and the autograd gradients of both rules' losses; for the article's
job (seeds in TRAIN_SEEDS, both rules) the per-epoch loss history and final
weights of the reference's 15000-epoch run. tests/witnesses/test_fixtures.py checks
numpy_impl against them everywhere (with reference/witnesses/golden.py's checks), and,
where torch is installed, tests/witnesses/test_parity_fixtures.py checks that they still
equal what the live reference computes, so they cannot go stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

import torch

import numpy_impl as ni
from reference.witnesses import golden
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import letter_case, random_case

PATH = golden.PATH
GRADIENT_CASES = {f"random{s}": (lambda s=s: random_case(s)) for s in range(8)}
GRADIENT_CASES.update(
    {
        f"letter{s}{'ABC'[k]}": (lambda s=s, k=k: letter_case(s, k))
        for s in range(2)
        for k in range(3)
    }
)
TRAIN_SEEDS = (0, 1)
EPOCHS = 15000


def gradient_arrays() -> Dict[str, np.ndarray]:
    out: Dict[str, np.ndarray] = {}
    for name, make in GRADIENT_CASES.items():
        case = make()
        for field, value in zip(("x", "y", "w1", "w2"), case):
            out[f"case/{name}/{field}"] = value
        tensors = [ref.as_tensor(a) for a in case]
        for rule in ("article", "mse"):
            g = ref.gradients(*tensors, rule)
            out[f"case/{name}/{rule}/dw1"] = g.w1.numpy()
            out[f"case/{name}/{rule}/dw2"] = g.w2.numpy()
    return out


def training_arrays(runs=None) -> Dict[str, np.ndarray]:
    networks = [(seed, rule) for rule in ("article", "mse") for seed in TRAIN_SEEDS]
    if runs is None:
        runs = ref.train_many(
            [ni.init_weights(s, "article") for s, _ in networks],
            [r for _, r in networks],
            epochs=EPOCHS,
        )
    out: Dict[str, np.ndarray] = {}
    for (seed, rule), run in zip(networks, runs):
        out[f"train/{rule}/{seed}/loss"] = run.loss
        out[f"train/{rule}/{seed}/w1"] = run.w1
        out[f"train/{rule}/{seed}/w2"] = run.w2
    return out


def main() -> int:
    arrays = gradient_arrays()
    arrays.update(training_arrays())
    arrays["meta/torch"] = np.asarray(torch.__version__)
    arrays["meta/numpy"] = np.asarray(np.__version__)
    PATH.parent.mkdir(parents=True, exist_ok=True)
    with open(PATH, "wb") as f:
        np.savez_compressed(f, **arrays)
    print(f"wrote {len(arrays)} arrays to {PATH.relative_to(ROOT)} ({PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
