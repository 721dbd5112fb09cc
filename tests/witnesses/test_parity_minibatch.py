"""Mini-batch and full-batch training (batch size 2 and 3) against the PyTorch reference.

A batch's gradient is the sum of its samples' gradients. Single steps: the
hand-written gradient of a batch of rows against autograd of the summed loss,
float64, within reference.witnesses.tolerances.GRADIENT (as for one sample).
Whole trainings: 15000 epochs, both rules, seeds 0..2, loss history and the
weights every 1000 epochs within TRAJECTORY (as tests/witnesses/test_parity_training.py).
"""

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses import torch_mirror as ref
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import GRADIENT, TRAJECTORY, gradient_floor

RULES = ("article", "mse")
BATCH_SIZES = (2, 3)
SEEDS = range(3)
EPOCHS = 15000
EVERY = 1000


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("seed", range(10))
def test_one_batch_step(seed, batch_size, rule):
    xs, ys = ni.dataset()
    w1, w2 = ni.init_weights(seed, "article")
    for start in range(0, 3, batch_size):
        x, y = xs[start : start + batch_size], ys[start : start + batch_size]
        ours = ni.gradients(x, y, w1, w2, rule)
        theirs = ref.gradients(*(ref.as_tensor(a) for a in (x, y, w1, w2)), rule=rule)
        where = f"seed {seed}, rows {start}..{start + len(x) - 1}"
        check = Check(f"batch gradient ({rule})", GRADIENT, "torch autograd", where=where)
        check.at(floor=gradient_floor(w2, upstream=len(x))).layers(ours, theirs)
    # one epoch: 2 steps (A, B | C) for batch size 2, a single step for 3
    ours_epoch = ni.train(epochs=1, rule=rule, batch_size=batch_size, weights=(w1, w2))
    (theirs_epoch,) = ref.train_many([(w1, w2)], [rule], epochs=1, batch_size=batch_size)
    epoch = Check(
        f"batch step ({rule})", GRADIENT, where=f"seed {seed}, batch size {batch_size}, one epoch"
    )
    epoch.layers((ours_epoch.w1, ours_epoch.w2), (theirs_epoch.w1, theirs_epoch.w2), name="{}")
    epoch.at(where=f"seed {seed}")("loss", ours_epoch.loss, theirs_epoch.loss)


@pytest.fixture(scope="module")
def batch_runs():
    nets = [(seed, rule) for rule in RULES for seed in SEEDS]
    out = {}
    for b in BATCH_SIZES:
        results = ref.train_many(
            [ni.init_weights(s, "article") for s, _ in nets],
            [r for _, r in nets],
            epochs=EPOCHS,
            checkpoint_every=EVERY,
            batch_size=b,
        )
        out.update({(b, *net): theirs for net, theirs in zip(nets, results)})
    return out


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_whole_batch_training_matches_the_reference(batch_runs, batch_size, rule):
    for seed in SEEDS:
        theirs = batch_runs[(batch_size, seed, rule)]
        weights = ni.init_weights(seed, "article")
        losses = []
        for done in range(EVERY, EPOCHS + 1, EVERY):
            part = ni.train(epochs=EVERY, rule=rule, batch_size=batch_size, weights=weights)
            losses.append(part.loss)
            weights = (part.w1, part.w2)
            check = Check(f"batch-{batch_size} training ({rule})", TRAJECTORY)
            at = check.at(where=f"seed {seed}, after {done} epochs")
            at.layers(weights, theirs.checkpoints[done], name="{} (trajectory)")
        history = check.at(elementwise=True, where=f"seed {seed}")
        history("loss history", np.concatenate(losses), theirs.loss)
