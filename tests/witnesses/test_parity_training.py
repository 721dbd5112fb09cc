"""Steps 6 and 7, the whole article job: 15000 epochs x 3 samples = 45,000 SGD
steps, both rules, five seeds, numpy_impl against the PyTorch reference.

Per-epoch loss history and the weights every 1000 epochs within
reference.witnesses.tolerances.TRAJECTORY, the largest divergence over the whole
trajectory recorded, and the same predicted letters.
"""

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses import golden
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import CHECKPOINT_EVERY as EVERY
from reference.witnesses.cases import TRAINING_EPOCHS as EPOCHS
from reference.witnesses.cases import TRAINING_RULES as RULES
from reference.witnesses.cases import TRAINING_SEEDS as SEEDS
from reference.witnesses.compare import Check, errors, record
from reference.witnesses.tolerances import TRAJECTORY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference_runs():
    """The article's job in the PyTorch mirror (reference.witnesses.cases: seeds 0..4, both
    rules, weights kept every 1000 epochs): one batched run serves the training
    parity tests and the golden-run freshness test."""
    networks = [(seed, rule) for rule in RULES for seed in SEEDS]
    results = ref.train_many(
        [ni.init_weights(s, "article") for s, _ in networks],
        [r for _, r in networks],
        epochs=EPOCHS,
        checkpoint_every=EVERY,
    )
    return dict(zip(networks, results))


def numpy_trajectory(seed, rule):
    """numpy_impl's run, continued in chunks of EVERY epochs to see the weights
    on the way (the loop carries no state but the weights, so this is the same
    run as one call with epochs=15000; test_chunks_are_one_run checks it)."""
    weights = ni.init_weights(seed, "article")
    losses, kept = [], {}
    for done in range(EVERY, EPOCHS + 1, EVERY):
        part = ni.train(epochs=EVERY, rule=rule, weights=weights)
        losses.append(part.loss)
        weights = (part.w1, part.w2)
        kept[done] = weights
    return np.concatenate(losses), kept


@pytest.fixture(scope="module")
def runs(reference_runs):
    return {net: (numpy_trajectory(*net), theirs) for net, theirs in reference_runs.items()}


def test_chunks_are_one_run():
    whole = ni.train(epochs=2 * EVERY, rule="mse")
    loss = []
    weights = ni.init_weights(0, "article")
    for _ in range(2):
        part = ni.train(epochs=EVERY, rule="mse", weights=weights)
        loss.append(part.loss)
        weights = (part.w1, part.w2)
    np.testing.assert_array_equal(np.concatenate(loss), whole.loss)
    np.testing.assert_array_equal(weights[0], whole.w1)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", SEEDS)
def test_whole_training_matches_the_reference(runs, seed, rule):
    (loss, kept), theirs = runs[(seed, rule)]
    step = f"training ({rule} rule)"
    check = Check(step, TRAJECTORY, where=f"seed {seed}")
    check.at(elementwise=True)("loss history", loss, theirs.loss)
    worst, worst_epoch = 0.0, 0
    for done in sorted(kept):
        check.at(where=f"seed {seed}, after {done} epochs").layers(
            kept[done], theirs.checkpoints[done], name="{} (trajectory)"
        )
        rel = max(
            errors(ours, ref_w)[1] for ours, ref_w in zip(kept[done], theirs.checkpoints[done])
        )
        worst, worst_epoch = max((worst, worst_epoch), (rel, done))
    note = f"largest weight divergence over the trajectory: after {worst_epoch} epochs"
    record(
        step,
        "worst epoch",
        "torch",
        "float64",
        tol=TRAJECTORY,
        max_abs=worst,
        max_rel=worst,
        note=note,
    )
    w1, w2 = kept[EPOCHS]
    x, _ = ni.dataset()
    ours_pred = ni.predict(x, w1, w2)
    their_a2, their_letters = ref.predict(
        ref.as_tensor(x), ref.as_tensor(theirs.w1), ref.as_tensor(theirs.w2)
    )
    assert ours_pred.letters == their_letters
    check("final outputs", ours_pred.outputs, their_a2)


def test_the_article_job_learns_abc_in_both(runs):
    (_, kept), theirs = runs[(0, "article")]
    x, _ = ni.dataset()
    assert ni.predict(x, *kept[EPOCHS]).letters == ["A", "B", "C"]
    assert ref.predict(ref.as_tensor(x), ref.as_tensor(theirs.w1), ref.as_tensor(theirs.w2))[1] == [
        "A",
        "B",
        "C",
    ]


def test_golden_runs_are_what_the_live_reference_computes(reference_runs):
    # the golden runs (reference/witnesses/golden.npz) cannot go stale
    kept = golden.load()
    for rule, seed in golden.trainings(kept):
        live = reference_runs[(seed, rule)]
        check = Check("fixtures", TRAJECTORY, "live torch")
        check.at(elementwise=True)(
            f"loss history ({rule})", kept[f"train/{rule}/{seed}/loss"], live.loss
        )
        for key in ("w1", "w2"):
            check(f"{key} ({rule})", kept[f"train/{rule}/{seed}/{key}"], getattr(live, key))
