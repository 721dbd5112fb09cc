"""The training loop: article-mode exactness, determinism, the order of events, divergence."""

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses.article_transcript import article_training
from reference.witnesses.compare import Check, errors
from reference.witnesses.tolerances import FLOAT32, REGROUPED, SHORT_RUN, TRANSCRIPT

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_article_mode_matches_the_articles_algorithm(seed):
    # Final weights and the whole 15000-epoch loss history against an
    # operation-for-operation run of the article's loop (TRANSCRIPT). The two
    # differ only in rounding (the stable sigmoid, d @ d instead of np.sum,
    # d2 @ w2.T instead of (w2 @ d2.T).T).
    w1, w2, history = article_training(seed)
    result = ni.train(seed=seed)
    check = Check("article's loop", TRANSCRIPT, "transcript", where=f"seed {seed}")
    check.layers((result.w1, result.w2), (w1, w2), name="{}")
    check("loss history", result.loss, history)


def test_short_run_matches_step_for_step():
    w1, _, history = article_training(3, epochs=50)
    result = ni.train(seed=3, epochs=50)
    check = Check("article's loop (50 epochs)", SHORT_RUN, "transcript")
    check.at(elementwise=True)("loss history", result.loss, history)
    check("w1", result.w1, w1)


@pytest.mark.parametrize("rule", ["article", "mse"])
@pytest.mark.parametrize("init", ["article", "normal"])
def test_training_is_bitwise_deterministic(rule, init):
    a = ni.train(epochs=200, rule=rule, init=init, seed=9)
    b = ni.train(epochs=200, rule=rule, init=init, seed=9)
    np.testing.assert_array_equal(a.w1, b.w1)
    np.testing.assert_array_equal(a.w2, b.w2)
    np.testing.assert_array_equal(a.loss, b.loss)


def test_loop_order_loss_before_update_then_step():
    # Rebuild two epochs by hand from the public steps: the loss of each sample
    # is taken with the weights before its update; the epoch loss is their mean.
    w1, w2 = ni.init_weights(0, init="normal", hidden=3)
    expected = []
    for _epoch in range(2):
        losses = []
        for x, y in ni.samples():
            fwd = ni.forward(x, w1, w2)
            losses.append(ni.mse_loss(fwd.a2, y))
            grads = ni.backprop(x, w2, fwd, ni.output_delta(fwd.a2, y, "mse"))
            w1, w2 = ni.sgd_step(w1, w2, grads, 0.5)
        expected.append(sum(losses) / 3)
    result = ni.train(epochs=2, alpha=0.5, rule="mse", init="normal", hidden=3, seed=0)
    np.testing.assert_array_equal(result.loss, expected)
    np.testing.assert_array_equal(result.w1, w1)
    np.testing.assert_array_equal(result.w2, w2)


def test_result_settings_and_shapes():
    result = ni.train(epochs=7, hidden=4, rule="mse", init="normal", seed=2, alpha=0.1)
    assert result.w1.shape == (30, 4) and result.w2.shape == (4, 3)
    assert result.loss.shape == (7,)
    assert result.settings == {
        "epochs": 7,
        "alpha": 0.1,
        "hidden": 4,
        "rule": "mse",
        "init": "normal",
        "seed": 2,
        "dtype": "float64",
        "batch_size": 1,
    }


def test_article_job_learns_all_three_letters(article_job):
    result = article_job
    x, _ = ni.dataset()
    assert ni.predict(x, result.w1, result.w2).letters == ["A", "B", "C"]
    assert result.loss[-1] < result.loss[0] / 100


def test_float32_training_stays_float32():
    result = ni.train(epochs=100, dtype="float32")
    assert result.w1.dtype == result.w2.dtype == np.float32
    assert result.loss.dtype == np.float64  # the history is float64 whatever the weights
    reference = ni.train(epochs=100)
    # float32 rounding (~6e-8 per operation) over 300 steps
    _, drift, _ = errors(result.loss, reference.loss, elementwise=True)
    assert drift <= FLOAT32


def test_start_from_given_weights_and_data():
    w1, w2 = ni.init_weights(1, init="normal")
    x, y = ni.dataset()
    result = ni.train(epochs=5, weights=(w1, w2), data=(x[::-1], y[::-1]))
    assert result.loss.shape == (5,)
    assert not np.array_equal(result.w1, w1)  # the caller's arrays are not changed
    np.testing.assert_array_equal(w1, ni.init_weights(1, init="normal")[0])
    # The order matters: reversed data trains differently from A, B, C.
    forward_order = ni.train(epochs=5, weights=(w1, w2))
    assert not np.array_equal(result.w1, forward_order.w1)


def test_given_weights_are_where_training_starts():
    # the weights seed 3 draws, given: the same run, bit for bit, as seed 3
    given = ni.train(epochs=5, weights=ni.init_weights(3), seed=3)
    drawn = ni.train(epochs=5, seed=3)
    np.testing.assert_array_equal(given.w1, drawn.w1)
    assert given.settings == drawn.settings


def test_given_weights_and_data_take_the_dtype_asked_for():
    w1, w2 = ni.init_weights(2)  # float64
    x, y = ni.dataset()  # float64
    result = ni.train(epochs=2, weights=(w1, w2), data=(x, y), dtype="float32", seed=2)
    assert result.w1.dtype == result.w2.dtype == np.float32
    assert result.settings["seed"] == 2 and result.settings["dtype"] == "float32"
    alone = ni.train(epochs=2, dtype="float32", seed=2)  # the same steps, in float32 throughout
    np.testing.assert_array_equal(result.w1, alone.w1)


def test_weights_that_overflow_in_the_very_last_step_are_reported():
    # One full-batch step. w1 = 1000 saturates the hidden layer (a1 = 1 exactly,
    # so a1 (1 - a1) = 0 and, d2 @ w2.T being finite, w1 gets a zero gradient
    # and stays finite); w2 = 4e307 gives a2 = 1, a finite loss, and a w2
    # gradient of 2 per column, which alpha = 1.7e308 turns into an overflow:
    # w2 alone becomes infinite.
    weights = (np.full((30, 1), 1000.0), np.full((1, 3), 4e307))
    with pytest.raises(ni.TrainingDiverged, match=r"^weights became infinite by epoch 0 "):
        ni.train(epochs=1, batch_size=3, alpha=1.7e308, hidden=1, weights=weights)
    # (the same step by hand: w1 finite, w2 not)
    w1, w2 = weights
    x, y = ni.dataset()
    fwd = ni.forward(x, w1, w2)
    with np.errstate(over="ignore"):
        w1, w2 = ni.sgd_step(w1, w2, ni.backprop(x, w2, fwd, fwd.a2 - y), 1.7e308)
    assert np.isfinite(w1).all() and not np.isfinite(w2).any()


def test_a_diverging_run_stops_and_names_the_epoch():
    # alpha = 1e308 drives weights to +-inf within one epoch; the loss of the
    # next forward pass is NaN.
    with pytest.raises(ni.TrainingDiverged, match=r"loss became nan at epoch 1 \(alpha=1e\+308\)"):
        ni.train(alpha=1e308, epochs=100)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be >= 1"),
        ({"alpha": 0}, "alpha must be a finite number > 0"),
        ({"alpha": -0.1}, "alpha must be a finite number > 0"),
        ({"alpha": float("nan")}, "alpha must be a finite number > 0"),
        ({"alpha": float("inf")}, "alpha must be a finite number > 0"),
        ({"hidden": 0}, "hidden must be >= 1"),
        ({"rule": "bce"}, "unknown rule 'bce'"),
        ({"init": "zeros"}, "unknown init 'zeros'"),
        ({"dtype": "float16"}, "dtype must be one of"),
        ({"batch_size": 0}, "batch_size must be >= 1"),
        ({"batch_size": 4}, r"batch_size must be in 1\.\.3 \(the number of samples\), got 4"),
    ],
)
def test_train_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ni.train(**kwargs)


@pytest.mark.parametrize("rule", ["article", "mse"])
def test_full_batch_is_one_summed_step_per_epoch(rule):
    # batch size 3: each epoch is ONE step with the gradient summed over A, B, C,
    # every loss taken before it; derived here from gradients() and sgd_step()
    x, y = ni.dataset()
    w1, w2 = ni.init_weights(4, "article")
    losses = []
    for _ in range(20):
        a2 = ni.forward(x, w1, w2).a2
        losses.append(np.mean([ni.mse_loss(a2[i : i + 1], y[i : i + 1]) for i in range(3)]))
        w1, w2 = ni.sgd_step(w1, w2, ni.gradients(x, y, w1, w2, rule), 0.01)
    result = ni.train(epochs=20, rule=rule, seed=4, batch_size=3)
    np.testing.assert_allclose(result.w1, w1, rtol=SHORT_RUN, atol=0)
    np.testing.assert_allclose(result.loss, losses, rtol=SHORT_RUN, atol=0)


def test_batch_of_two_takes_a_b_then_c():
    x, y = ni.dataset()
    w1, w2 = ni.init_weights(0, "article")
    for rows in (slice(0, 2), slice(2, 3)):  # (A, B) then (C)
        w1, w2 = ni.sgd_step(w1, w2, ni.gradients(x[rows], y[rows], w1, w2), 0.01)
    result = ni.train(epochs=1, batch_size=2)
    np.testing.assert_allclose(result.w1, w1, rtol=REGROUPED, atol=0)
    np.testing.assert_allclose(result.w2, w2, rtol=REGROUPED, atol=0)
    assert result.settings["batch_size"] == 2


def test_the_batch_size_is_checked_against_the_rows_of_the_data_given():
    x, y = ni.dataset()
    seven = (np.tile(x, (3, 1))[:7], np.tile(y, (3, 1))[:7])
    assert ni.train(epochs=2, data=seven, batch_size=5).settings["batch_size"] == 5
    with pytest.raises(ValueError, match=r"batch_size must be in 1\.\.2 \(the number of samples\)"):
        ni.train(epochs=2, data=(x[:2], y[:2]), batch_size=3)
