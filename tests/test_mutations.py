"""Mutation check: realistic mistakes injected into numpy_impl must be caught.

Each mutant is numpy_impl/network.py with one line changed, loaded as its own
module. It is run through the same checks the suite makes (the gradients of
both rules against the reference's golden vectors, and the article's whole
15000-epoch job against the reference's golden runs, with the same
tolerances), and must fail at least one. The unmutated source must pass them
all, so a detection is never an accident of the harness.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Dict, Tuple

import numpy as np
import pytest

import numpy_impl.network
from tests.cases import gradient_floor
from tests.compare import errors

SOURCE = Path(numpy_impl.network.__file__).read_text()
GOLDEN = Path(__file__).parent / "fixtures" / "golden.npz"

# name: (line as written, the mistake)
MUTATIONS: Dict[str, Tuple[str, str]] = {
    "mse rule uses the article's d2": (
        "return (2 / LOSS_DIVISOR) * (a2 - y) * a2 * (_ONE[a2.dtype] - a2)",
        "return a2 - y",
    ),
    "sigmoid derivative dropped in the hidden layer": (
        "d1 = d2.dot(w2.T) * fwd.a1 * (_ONE[fwd.a1.dtype] - fwd.a1)",
        "d1 = d2.dot(w2.T)",
    ),
    "w2 not transposed in d1": (
        "d1 = d2.dot(w2.T) * fwd.a1",
        "d1 = d2.dot(w2) * fwd.a1",
    ),
    "wrong constant in the MSE gradient": (
        "return (2 / LOSS_DIVISOR) * (a2 - y)",
        "return (1 / LOSS_DIVISOR) * (a2 - y)",
    ),
    "loss recorded after the update": (
        "outputs.append(fwd.a2)",
        "outputs.append(forward(x, *sgd_step(w1, w2, backward(x, y, w2, fwd, rule),"
        " step_size)).a2)",
    ),
    "updated w2 used for d1": (
        "grads = backward(x, y, w2, fwd, rule)",
        "grads = backward(x, y, w2 - step_size * fwd.a1.T.dot(output_delta(fwd.a2, y, rule)),"
        " fwd, rule)",
    ),
    "sample order changed": (
        "for x, y in batches:",
        "for x, y in batches[::-1]:",
    ),
    "one epoch too few": (
        "for epoch in range(epochs):",
        "for epoch in range(epochs - 1):",
    ),
    "sigmoid takes max instead of min": (
        "np.exp(np.minimum(t, zero))",
        "np.exp(np.maximum(t, zero))",
    ),
    "loss divided by 2 instead of 3": ("LOSS_DIVISOR = 3", "LOSS_DIVISOR = 2"),
    "epoch loss is the last sample's, not the mean": (
        "loss = sample_losses.astype(np.float64).mean(axis=1)",
        "loss = sample_losses.astype(np.float64)[:, -1]",
    ),
    "gradient added instead of subtracted": (
        "return w1 - grads.w1 * alpha",
        "return w1 + grads.w1 * alpha",
    ),
    "loss history without the square": (
        "np.square(seen - ys)",
        "np.abs(seen - ys)",
    ),
}


def load(name: str | None) -> types.ModuleType:
    """numpy_impl.network as written (name None) or with one mutation."""
    source = SOURCE
    if name is not None:
        original, mistake = MUTATIONS[name]
        assert source.count(original) == 1, f"mutation {name!r} no longer matches the source"
        source = source.replace(original, mistake)
    module = types.ModuleType("numpy_impl._mutant")
    sys.modules[module.__name__] = module  # dataclasses look their module up while defined
    try:
        exec(
            compile(source, f"<numpy_impl.network, {name or 'unmutated'}>", "exec"), module.__dict__
        )
    finally:
        del sys.modules[module.__name__]
    return module


@pytest.fixture(scope="module")
def golden():
    with np.load(GOLDEN, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def failed_checks(impl: types.ModuleType, golden: Dict[str, np.ndarray]) -> list:
    """Run the suite's checks on ``impl``; return the list of those that fail."""
    failures = []
    cases = sorted({k.split("/")[1] for k in golden if k.startswith("case/")})
    for name in cases:
        x, y, w1, w2 = (golden[f"case/{name}/{k}"] for k in ("x", "y", "w1", "w2"))
        for rule in ("article", "mse"):
            try:
                g = impl.gradients(x, y, w1, w2, rule)
                for w in ("w1", "w2"):
                    _, rel, _ = errors(
                        getattr(g, w), golden[f"case/{name}/{rule}/d{w}"], floor=gradient_floor(w2)
                    )
                    if rel > 1e-13:
                        failures.append(f"gradient {rule} d{w} on {name}: rel error {rel:.1e}")
            except Exception as err:  # a crash is a detection too
                failures.append(f"gradient {rule} on {name}: {type(err).__name__}: {err}")
    for rule in ("article", "mse"):
        try:
            run = impl.train(seed=0, rule=rule)
            _, rel, _ = errors(run.loss, golden[f"train/{rule}/0/loss"], elementwise=True)
            if rel > 1e-10:
                failures.append(f"training {rule}: loss history rel error {rel:.1e}")
            for w in ("w1", "w2"):
                _, rel, _ = errors(getattr(run, w), golden[f"train/{rule}/0/{w}"])
                if rel > 1e-10:
                    failures.append(f"training {rule}: final {w} rel error {rel:.1e}")
        except Exception as err:
            failures.append(f"training {rule}: {type(err).__name__}: {err}")
    return failures


@pytest.mark.slow
def test_the_unmutated_source_passes_every_check(golden):
    assert failed_checks(load(None), golden) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutant_is_caught(golden, name):
    failures = failed_checks(load(name), golden)
    assert failures, f"mutation {name!r} went undetected"
