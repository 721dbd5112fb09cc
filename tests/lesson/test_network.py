"""Each step of the network on its own: initialisation, forward, losses, gradients, step.

NumPy alone. Known values are derived in the test (by hand or from a plain
formula), never pasted from a run of the code under test.
"""

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import GRADIENT, ONE_ULP, REGROUPED, gradient_floor

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell

# --- initialisation ---------------------------------------------------------


def test_article_init_first_value_for_seed_0():
    # docs/spec.md: after np.random.seed(0), w1[0, 0] = 1.764052345967664
    w1, _ = ni.init_weights(0, init="article")
    assert w1[0, 0] == 1.764052345967664


@pytest.mark.parametrize("seed", [0, 1, 7, 2**32 - 1])
@pytest.mark.parametrize("hidden", [1, 5, 8])
def test_article_init_is_what_np_random_seed_gives(seed, hidden):
    # What the article's code draws after np.random.seed(seed): randn(30, h), randn(h, 3).
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        expected_w1 = np.random.randn(30, hidden)
        expected_w2 = np.random.randn(hidden, 3)
    finally:
        np.random.set_state(state)
    w1, w2 = ni.init_weights(seed, init="article", hidden=hidden)
    np.testing.assert_array_equal(w1, expected_w1)
    np.testing.assert_array_equal(w2, expected_w2)


def test_init_leaves_the_global_generator_alone():
    np.random.seed(1234)
    before = np.random.get_state()
    ni.init_weights(5, init="article")
    ni.init_weights(5, init="normal")
    after = np.random.get_state()
    np.testing.assert_array_equal(after[1], before[1])  # the key
    assert after[2:] == before[2:]  # position and cached Gaussian: nothing was drawn


def test_normal_init_uses_default_rng():
    w1, w2 = ni.init_weights(3, init="normal", hidden=4)
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(w1, rng.standard_normal((30, 4)))
    np.testing.assert_array_equal(w2, rng.standard_normal((4, 3)))


def test_float32_init_is_the_float64_draw_rounded():
    w1_64, _ = ni.init_weights(0, init="article")
    w1_32, w2_32 = ni.init_weights(0, init="article", dtype="float32")
    assert w1_32.dtype == w2_32.dtype == np.float32
    np.testing.assert_array_equal(w1_32, w1_64.astype(np.float32))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"init": "zeros"}, "unknown init 'zeros'"),
        ({"hidden": 0}, "hidden must be >= 1"),
        ({"seed": -1}, "seed must be in 0..4294967295"),
        ({"seed": 1.5}, "seed must be an integer"),
        ({"dtype": "float16"}, "dtype must be one of float64, float32"),
        ({"dtype": "int"}, "dtype must be one of"),
    ],
)
def test_init_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ni.init_weights(**kwargs)


# --- forward pass -----------------------------------------------------------


def test_forward_shapes_and_intermediates():
    w1, w2 = ni.init_weights(0, init="article", hidden=7)
    x, _ = ni.dataset()
    z1, a1, z2, a2 = ni.forward(x[:1], w1, w2)
    assert (z1.shape, a1.shape, z2.shape, a2.shape) == ((1, 7), (1, 7), (1, 3), (1, 3))
    np.testing.assert_array_equal(z1, x[:1].dot(w1))
    np.testing.assert_array_equal(a1, ni.sigmoid(z1))
    np.testing.assert_array_equal(z2, a1.dot(w2))
    np.testing.assert_array_equal(a2, ni.sigmoid(z2))
    batch = ni.forward(x, w1, w2)
    assert batch.a2.shape == (3, 3)
    np.testing.assert_allclose(batch.a2[:1], a2, rtol=REGROUPED)


def test_forward_known_value():
    # All-zero weights: z1 = 0, a1 = 1/2; w2 = 2 makes z2 = 5 * 1/2 * 2 = 5.
    w1, w2 = np.zeros((30, 5)), np.full((5, 3), 2.0)
    out = ni.forward(np.ones((1, 30)), w1, w2)
    np.testing.assert_array_equal(out.a1, np.full((1, 5), 0.5))
    np.testing.assert_array_equal(out.z2, np.full((1, 3), 5.0))
    np.testing.assert_allclose(out.a2, 1 / (1 + np.exp(-5.0)), rtol=ONE_ULP)


# --- losses -----------------------------------------------------------------


def test_mse_loss_known_values():
    y = np.array([[1.0, 0.0, 0.0]])
    assert ni.mse_loss(y, y) == 0.0
    # errors (-0.5, 0.25, 0.25): (0.25 + 0.0625 + 0.0625) / 3 = 0.125, exact in binary
    assert ni.mse_loss(np.array([[0.5, 0.25, 0.25]]), y) == 0.125


def test_bce_loss_matches_the_textbook_formula_and_stays_finite():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 3, (4, 3))
    y = np.eye(3)[rng.integers(0, 3, 4)]
    a = 1 / (1 + np.exp(-z))
    textbook = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert ni.bce_loss(z, y) == pytest.approx(textbook, rel=GRADIENT)
    # saturated logits: the textbook formula hits log(0); the stable one does not
    z_far = np.array([[800.0, -800.0, 800.0]])
    assert ni.bce_loss(z_far, np.array([[1.0, 0.0, 0.0]])) == pytest.approx(800.0, rel=ONE_ULP)
    assert ni.bce_loss(z_far, np.array([[1.0, 0.0, 1.0]])) == 0.0


# --- gradients --------------------------------------------------------------


def test_article_rule_is_not_the_mse_gradient():
    # The finding: the article's d2 = a2 - y differs from the MSE's
    # (2/3)(a2 - y) a2 (1 - a2) by the factor 3 / (2 a2 (1 - a2)) >= 6 per output.
    w1, w2 = ni.init_weights(0, init="article")
    x, y = ni.samples()[0]
    fwd = ni.forward(x, w1, w2)
    article = ni.output_delta(fwd.a2, y, "article")
    mse = ni.output_delta(fwd.a2, y, "mse")
    np.testing.assert_allclose(article / mse, 3 / (2 * fwd.a2 * (1 - fwd.a2)), rtol=REGROUPED)
    assert np.all(np.abs(article / mse) >= 6)


def test_backprop_shapes_and_formulas():
    w1, w2 = ni.init_weights(2, init="normal", hidden=4)
    x, y = ni.samples()[1]
    fwd = ni.forward(x, w1, w2)
    g = ni.backprop(x, w2, fwd, ni.output_delta(fwd.a2, y, "article"))
    assert g.w1.shape == (30, 4) and g.w2.shape == (4, 3)
    d2 = fwd.a2 - y
    d1 = (w2 @ d2.T).T * fwd.a1 * (1 - fwd.a1)  # the article's way of writing it
    np.testing.assert_allclose(g.w1, x.T @ d1, rtol=REGROUPED, atol=0)
    np.testing.assert_allclose(g.w2, fwd.a1.T @ d2, rtol=REGROUPED, atol=0)
    # rows of x that are 0 give zero gradient rows in w1
    np.testing.assert_array_equal(g.w1[x[0] == 0], 0)


def test_batch_gradient_is_the_sum_of_sample_gradients():
    w1, w2 = ni.init_weights(4, init="normal")
    x, y = ni.dataset()
    batch = ni.gradients(x, y, w1, w2, "mse")
    single = [ni.gradients(x[i : i + 1], y[i : i + 1], w1, w2, "mse") for i in range(3)]
    rows = [sum(g[layer] for g in single) for layer in (0, 1)]
    # the floor of three rows' roundings
    Check("batch gradient", GRADIENT, "sum of rows", floor=gradient_floor(w2, upstream=3)).layers(
        batch, rows
    )


def test_defaults_are_the_articles():
    # seed 0 and the article's rule when none is given
    np.testing.assert_array_equal(ni.init_weights()[0], ni.init_weights(0, "article")[0])
    a2, y = np.array([[0.2, 0.7, 0.4]]), np.array([[0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(ni.output_delta(a2, y), a2 - y)


def test_unknown_rule():
    with pytest.raises(ValueError, match=r"^unknown rule 'bce': choose one of article, mse$"):
        ni.output_delta(np.zeros((1, 3)), np.zeros((1, 3)), "bce")


def test_sgd_step_returns_new_arrays():
    w1, w2 = np.ones((30, 5)), np.ones((5, 3))
    g = ni.Gradients(np.full((30, 5), 2.0), np.full((5, 3), 4.0))
    n1, n2 = ni.sgd_step(w1, w2, g, 0.25)
    np.testing.assert_array_equal(n1, 0.5)
    np.testing.assert_array_equal(n2, 0.0)
    np.testing.assert_array_equal(w1, 1.0)  # inputs untouched


# --- prediction -------------------------------------------------------------


def test_predict_computes_in_the_weights_dtype():
    w1, w2 = ni.init_weights(dtype="float32")
    bitmaps = [[1, 0] * 15, [0, 1] * 15]  # integers, as a person types them
    assert ni.predict(bitmaps, w1, w2).outputs.dtype == np.float32
    assert ni.predict(ni.dataset()[0], w1, w2).outputs.dtype == np.float32  # from float64


def test_predict_takes_any_bitmap_shape():
    w1, w2 = ni.init_weights(0, init="article")
    x, _ = ni.dataset()
    full = ni.predict(x, w1, w2)
    assert full.outputs.shape == (3, 3) and len(full.letters) == 3
    for i in range(3):
        for shaped in (x[i], x[i].reshape(1, 30), x[i].reshape(5, 6)):
            one = ni.predict(shaped, w1, w2)
            assert one.letters == [full.letters[i]]
            np.testing.assert_allclose(one.outputs, full.outputs[i : i + 1], rtol=REGROUPED)
    assert full.letters == ["ABC"[k] for k in full.outputs.argmax(axis=1)]
