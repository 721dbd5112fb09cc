"""The seed sweep: K networks trained at once must each equal training it alone.

numpy_impl.sweep reorganises the arithmetic (all K networks in one matrix,
alpha folded into the deltas), so it is not bitwise the same as numpy_impl.train;
each network's final weights and loss history must agree within
reference.witnesses.tolerances.TRAJECTORY. Measured: ~1e-15 after thousands of epochs.
"""

import numpy as np
import pytest

import numpy_impl as ni
from numpy_impl.sweep import classifies_all, initial_weights, sweep
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import FLOAT32, TRAJECTORY

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


def _alone(seed, **settings):
    return ni.train(seed=seed, **settings)


@pytest.mark.parametrize(
    ("networks", "seed", "rule", "batch_size", "hidden", "init"),
    [
        (1, 0, "article", 1, 5, "article"),
        (3, 7, "article", 1, 5, "article"),
        (4, 100, "mse", 1, 5, "article"),
        (5, 3, "article", 2, 3, "normal"),
        (2, 11, "mse", 3, 8, "article"),
        (6, 20, "article", 3, 1, "normal"),
    ],
)
def test_each_network_equals_training_it_alone(networks, seed, rule, batch_size, hidden, init):
    settings = dict(
        epochs=1500, alpha=0.05, rule=rule, batch_size=batch_size, hidden=hidden, init=init
    )
    result = sweep(networks=networks, seed=seed, history=True, **settings)
    assert result.w1.shape == (networks, 30, hidden) and result.w2.shape == (networks, hidden, 3)
    assert result.loss.shape == (1500, networks)
    for k in range(networks):
        alone = _alone(seed + k, **settings)
        where = f"network {k} (seed {seed + k}), {rule}, batch {batch_size}, hidden {hidden}"
        check = Check("sweep vs alone", TRAJECTORY, "train", where=where)
        check.layers((result.w1[k], result.w2[k]), (alone.w1, alone.w2), name="{}")
        check.at(elementwise=True)("loss history", result.loss[:, k], alone.loss)
        assert result.final_loss[k] == result.loss[-1, k]
        letters = ni.predict(ni.dataset()[0], alone.w1, alone.w2).letters
        assert result.learned[k] == (letters == ["A", "B", "C"])


def test_float32_sweep_stays_float32_and_close_to_alone():
    result = sweep(networks=3, epochs=300, dtype="float32", seed=5)
    assert result.w1.dtype == result.w2.dtype == np.float32
    alone = ni.train(epochs=300, dtype="float32", seed=6)
    # float32 rounds at 6e-8 and the sweep orders a few operations differently;
    # over 900 steps the gap measured is 6.5e-8: the float32 tolerance applies
    Check("sweep vs alone", FLOAT32, "train", dtype="float32")("w1", result.w1[1], alone.w1)


def _first_correct_by_hand(seed, epochs, rule):
    """The first epoch whose three per-sample outputs (each taken before its
    update, as the loss is) all put the largest value on the right letter."""
    w1, w2 = ni.init_weights(seed, "article")
    for epoch in range(epochs):
        right = True
        for x, y in ni.samples():
            fwd = ni.forward(x, w1, w2)
            right &= int(np.argmax(fwd.a2)) == int(np.argmax(y))
            grads = ni.backprop(x, w2, fwd, ni.output_delta(fwd.a2, y, rule))
            w1, w2 = ni.sgd_step(w1, w2, grads, 0.01)
        if right:
            return epoch
    return -1


@pytest.mark.parametrize("rule", ["article", "mse"])
def test_first_correct_epoch_matches_a_plain_loop(rule):
    result = sweep(networks=4, epochs=700, rule=rule, seed=1)
    for k in range(4):
        assert result.first_correct[k] == _first_correct_by_hand(1 + k, 700, rule)
    assert (result.first_correct >= 0).any()  # the check above is not all "never"


def test_right_from_the_start_is_epoch_0():
    # seed 154's starting weights already classify A, B and C: epoch 0, kept
    # as its first even though the later epochs are right too
    result = sweep(networks=3, epochs=5, seed=153)
    assert result.first_correct.tolist() == [
        _first_correct_by_hand(s, 5, "article") for s in (153, 154, 155)
    ]
    assert result.first_correct[1] == 0


def test_summary_and_fraction_learned():
    # what the summary says, checked against counts made here from the
    # per-network results, not against the summary's own formulas
    result = sweep(networks=50, epochs=600)
    summary = result.summary()
    assert summary["networks"] == 50
    q = summary["final_loss_quantiles"]
    assert q["0"] <= q["0.25"] <= q["0.5"] <= q["0.75"] <= q["1"]
    ordered = sorted(result.final_loss)
    assert q["0"] == ordered[0] and q["1"] == ordered[-1]
    assert ordered[24] <= q["0.5"] <= ordered[25]  # between the two middle values of 50
    by_hand = [sum(1 for e in result.first_correct if 0 <= e < n) / 50 for n in (0, 300, 600)]
    assert [result.fraction_learned_by(n) for n in (0, 300, 600)] == by_hand
    assert by_hand[0] == 0.0 and by_hand[2] > 0
    assert list(result.seeds[:3]) == [0, 1, 2]


def _by_hand(first_correct, final_loss):
    """A SweepResult whose per-network answers are given, to pin the counting down."""
    from numpy_impl.sweep import SweepResult

    k = len(first_correct)
    return SweepResult(
        w1=np.zeros((k, 30, 1)),
        w2=np.zeros((k, 1, 3)),
        final_loss=np.array(final_loss, dtype=float),
        first_correct=np.array(first_correct, dtype=np.int64),
        learned=np.array([e >= 0 for e in first_correct]),
        settings={"seed": 0},
    )


def test_counting_at_the_edges():
    # epoch 0 counts as reached; "learned by n epochs" means in epochs 0..n-1
    result = _by_hand([-1, 0, 5, 10], [0.1, 0.2, 0.3, 0.4])
    assert [result.fraction_learned_by(n) for n in (0, 1, 5, 6, 10, 11)] == [
        0.0,
        0.25,
        0.25,
        0.5,
        0.5,
        0.75,
    ]
    first = result.summary()["first_correct_epoch"]
    assert first == {"never": 1, "median": 5.0, "max": 10}


def test_a_summary_of_networks_that_all_failed():
    summary = _by_hand([-1, -1], [float("nan"), float("nan")]).summary()
    assert summary["diverged"] == 2
    assert set(summary["final_loss_quantiles"].values()) == {None}
    assert summary["first_correct_epoch"] == {"never": 2, "median": None, "max": None}


def test_settings_are_reported_whole_and_history_only_when_asked():
    result = sweep(
        networks=2, epochs=3, seed=7, rule="mse", init="normal", hidden=4, alpha=0.5,
        batch_size=3, dtype="float32",
    )  # fmt: skip
    assert result.settings == {
        "networks": 2,
        "epochs": 3,
        "alpha": 0.5,
        "hidden": 4,
        "rule": "mse",
        "init": "normal",
        "seed": 7,
        "batch_size": 3,
        "dtype": "float32",
    }
    assert result.loss is None
    assert sweep(networks=2, epochs=3, history=True).loss.shape == (3, 2)


@pytest.mark.parametrize(
    "bad",
    [
        {"epochs": 0},
        {"hidden": 0},
        {"seed": -1},
        {"init": "xavier"},
        {"rule": "sgd"},
        {"alpha": 0},
        {"batch_size": 4},
        {"dtype": "int8"},
    ],
)
def test_a_bad_setting_reads_as_it_does_for_train(bad):
    settings = {"epochs": 2, **bad}
    with pytest.raises(ValueError) as alone:
        ni.train(**settings)
    with pytest.raises(ValueError) as swept:
        sweep(networks=2, **settings)
    assert str(swept.value) == str(alone.value)


def test_the_last_seed_is_the_largest_numpy_takes():
    result = sweep(networks=2, epochs=1, seed=2**32 - 2)
    assert result.seeds.tolist() == [2**32 - 2, 2**32 - 1]
    with pytest.raises(ValueError, match=r"^seeds 4294967294\.\.4294967296 run past 2\*\*32 - 1$"):
        sweep(networks=3, epochs=1, seed=2**32 - 2)


def test_progress_is_told_every_network_and_every_epoch():
    told = []
    sweep(networks=3, epochs=2, progress=lambda *args: told.append(args))
    assert told == [
        ("drawing", 0, 3),
        ("drawing", 1, 3),
        ("drawing", 2, 3),
        ("drawing", 3, 3),
        ("training", 1, 2),
        ("training", 2, 2),
    ]


def test_initial_weights_layout():
    w1, w2 = initial_weights(3, 4, "article", 5, "float64")
    assert w1.shape == (30, 15) and w2.shape == (5, 3, 3)
    alone = ni.init_weights(5, "article", 5)  # network k = 1, seed 4 + 1
    np.testing.assert_array_equal(w1.reshape(30, 5, 3)[:, :, 1], alone[0])
    np.testing.assert_array_equal(w2[:, :, 1], alone[1])


def test_a_diverging_network_is_reported_not_raised():
    # alpha = 1e308: the first step overflows the weights to inf, then NaN;
    # nothing is raised and no warning leaks (pytest turns warnings into errors)
    result = sweep(networks=3, epochs=5, alpha=1e308)
    summary = result.summary()
    assert not result.learned[np.isnan(result.final_loss)].any()
    assert summary["diverged"] == int(np.isnan(result.final_loss).sum())
    assert summary["diverged"] >= 1


def test_classifies_all_on_stacked_networks():
    trained = ni.train(epochs=3000)
    w1 = np.stack([trained.w1, np.zeros_like(trained.w1)])
    w2 = np.stack([trained.w2, np.zeros_like(trained.w2)])
    assert classifies_all(w1, w2).tolist() == [True, False]  # all-zero weights: a tie, wrong


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"networks": 0}, "networks must be >= 1"),
        ({"networks": 2, "batch_size": 4}, "batch_size must be in 1..3"),
        ({"networks": 2, "batch_size": 0}, "batch_size must be >= 1"),
        ({"networks": 2, "seed": 2**32 - 1}, "past 2**32 - 1"),
        ({"networks": 2, "alpha": float("nan")}, "alpha"),
        ({"networks": 2, "rule": "sgd"}, "unknown rule"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("*", r"\*").replace(".", r"\.")):
        sweep(epochs=2, **kwargs)


def test_an_unknown_setting_is_named():
    # sweep takes train's settings by name: a misspelt one is refused, not ignored
    with pytest.raises(TypeError, match=r"unexpected settings: epoch$"):
        sweep(networks=2, epoch=3)
    with pytest.raises(TypeError, match=r"unexpected settings: epoch, rules$"):
        sweep(networks=2, rules="mse", epoch=3)  # every one, in order
