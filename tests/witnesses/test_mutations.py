"""Mutation check: realistic mistakes injected into numpy_impl must be caught.

Each mutant is numpy_impl/network.py with one line changed, loaded as its own
module. It is run through the suite's own checks, reference/witnesses/golden.py's
(the gradients of both rules against the reference's golden vectors, and the
article's whole 15000-epoch job against the reference's golden runs, with the
tolerances of reference/witnesses/tolerances.py), and must fail at least one. The
unmutated source must pass them all, so a detection is never an accident of
the harness. Checks of mutants are not recorded in the verification summary.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import numpy_impl.network
from reference.witnesses import golden

SOURCE = Path(numpy_impl.network.__file__).read_text()

# name: (line as written, the mistake)
MUTATIONS: Dict[str, Tuple[str, str]] = {
    "mse rule uses the article's d2": (
        "return (2 / 3) * (a2 - y) * a2 * (1.0 - a2)",
        "return a2 - y",
    ),
    "sigmoid derivative dropped in the hidden layer": (
        "d1 = (d2 @ w2.T) * fwd.a1 * (1.0 - fwd.a1)",
        "d1 = d2 @ w2.T",
    ),
    "w2 not transposed in d1": (
        "d1 = (d2 @ w2.T) * fwd.a1",
        "d1 = (d2 @ w2) * fwd.a1",
    ),
    "wrong constant in the MSE gradient": (
        "return (2 / 3) * (a2 - y)",
        "return (1 / 3) * (a2 - y)",
    ),
    "loss recorded after the update": (
        "losses.append(mse_loss(fwd.a2, y))",
        "losses.append(mse_loss(forward(x, *sgd_step(w1, w2,"
        " backprop(x, w2, fwd, output_delta(fwd.a2, y, s.rule)), s.alpha)).a2, y))",
    ),
    "updated w2 used for d1": (
        "grads = backprop(x, w2, fwd, d2)",
        "grads = backprop(x, w2 - s.alpha * fwd.a1.T @ d2, fwd, d2)",
    ),
    "sample order changed": (
        "for x, y in batches:",
        "for x, y in batches[::-1]:",
    ),
    "one epoch too few": (
        "for epoch in range(s.epochs):",
        "for epoch in range(s.epochs - 1):",
    ),
    "sigmoid takes max instead of min": (
        "np.exp(np.minimum(t, 0.0))",
        "np.exp(np.maximum(t, 0.0))",
    ),
    "loss divided by 2 instead of 3": ("d.dot(d) / 3", "d.dot(d) / 2"),
    "epoch loss is the last sample's, not the mean": (
        "loss = sum(losses) / len(xs)",
        "loss = losses[-1]",
    ),
    "gradient added instead of subtracted": (
        "return w1 - alpha * grads.w1",
        "return w1 + alpha * grads.w1",
    ),
    "loss without the square": (
        "d = (a2 - y).ravel()",
        "d = abs(a2 - y).ravel() ** 0.5",
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
def kept():
    return golden.load()


def failed_checks(
    impl: types.ModuleType, kept: golden.Golden, stop_at_first: bool = False
) -> List[str]:
    """Run the suite's golden checks on ``impl`` (the fast gradient checks first);
    return those that fail, and why (only the first, with ``stop_at_first``)."""
    checks = [
        (f"gradients ({rule})", lambda rule=rule: golden.check_gradients(impl, kept, rule, False))
        for rule in golden.RULES
    ] + [
        (
            f"training ({rule}, seed {seed})",
            lambda rule=rule, seed=seed: golden.check_training(impl, kept, rule, seed, False),
        )
        for rule, seed in golden.trainings(kept)
        if seed == 0
    ]
    failures = []
    for name, check in checks:
        try:
            check()
        except Exception as err:  # a wrong number or a crash: either is a detection
            failures.append(f"{name}: {type(err).__name__}: {str(err).splitlines()[0]}")
            if stop_at_first:
                break
    return failures


@pytest.mark.slow
def test_the_unmutated_source_passes_every_check(kept):
    assert failed_checks(load(None), kept) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutant_is_caught(kept, name):
    failures = failed_checks(load(name), kept, stop_at_first=True)  # one detection suffices
    assert failures, f"mutation {name!r} went undetected"
