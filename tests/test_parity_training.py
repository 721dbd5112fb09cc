"""Steps 6 and 7, the whole article job: 15000 epochs x 3 samples = 45,000 SGD
steps, both rules, five seeds, numpy_impl against the PyTorch reference.

Per-epoch loss history and the weights every 1000 epochs within
reference.tolerances.TRAJECTORY, the largest divergence over the whole
trajectory recorded, and the same predicted letters.
"""

import numpy as np
import pytest

import numpy_impl as ni
from reference import network as ref
from reference.cases import CHECKPOINT_EVERY as EVERY
from reference.cases import TRAINING_EPOCHS as EPOCHS
from reference.cases import TRAINING_RULES as RULES
from reference.cases import TRAINING_SEEDS as SEEDS
from reference.compare import assert_close, errors, record
from reference.tolerances import TRAJECTORY

# with -n, one worker runs them all: the reference's runs are computed once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reference_runs")]


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
    where = f"seed {seed}"
    assert_close(step, "loss history", loss, theirs.loss, TRAJECTORY, elementwise=True, where=where)
    worst, worst_epoch = 0.0, 0
    for done in sorted(kept):
        for name, ours, ref_w in zip(("w1", "w2"), kept[done], theirs.checkpoints[done]):
            _, rel, _ = errors(ours, ref_w)
            if rel > worst:
                worst, worst_epoch = rel, done
            assert_close(
                step,
                f"{name} (trajectory)",
                ours,
                ref_w,
                TRAJECTORY,
                where=f"{where}, after {done} epochs",
            )
    record(
        step,
        "worst epoch",
        "torch",
        "float64",
        TRAJECTORY,
        worst,
        worst,
        note=f"largest weight divergence over the trajectory: after {worst_epoch} epochs",
    )
    w1, w2 = kept[EPOCHS]
    x, _ = ni.dataset()
    ours_pred = ni.predict(x, w1, w2)
    their_a2, their_letters = ref.predict(
        ref.as_tensor(x), ref.as_tensor(theirs.w1), ref.as_tensor(theirs.w2)
    )
    assert ours_pred.letters == their_letters
    assert_close(step, "final outputs", ours_pred.outputs, their_a2, TRAJECTORY, where=where)


def test_the_article_job_learns_abc_in_both(runs):
    (_, kept), theirs = runs[(0, "article")]
    x, _ = ni.dataset()
    assert ni.predict(x, *kept[EPOCHS]).letters == ["A", "B", "C"]
    assert ref.predict(ref.as_tensor(x), ref.as_tensor(theirs.w1), ref.as_tensor(theirs.w2))[1] == [
        "A",
        "B",
        "C",
    ]
