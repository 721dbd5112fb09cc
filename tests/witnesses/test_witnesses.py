"""The witnesses pinned down (the mutation session's witnesses part): what the
shared cases, the oracles, the golden checks and the transcript promise beyond
agreeing with numpy_impl: their defaults, their steps, their seeds, and the
names a failure and the verification summary give."""

import re
from types import SimpleNamespace

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses import compare, golden
from reference.witnesses.article_transcript import article_training
from reference.witnesses.cases import SCALES, letter_case, random_case
from reference.witnesses.compare import Check
from reference.witnesses.oracles import (
    central_difference,
    central_difference_of,
    check_complex_step,
    complex_step,
    complex_step_of,
    loss_function,
)
from reference.witnesses.tolerances import (
    CENTRAL,
    CENTRAL_FLOOR,
    FORWARD,
    GRADIENT,
    TRAJECTORY,
    TRANSCRIPT,
    delta_floor,
    gradient_floor,
    mse_floor,
)


@pytest.fixture
def records(monkeypatch):
    """The verification summary's records of this test alone (its deliberate
    failures are not the suite's)."""
    monkeypatch.setattr(compare, "RECORDS", {})
    return compare


def checks_of(step, tensor, oracle, dtype="float64"):
    """How many comparisons the records have counted for this key."""
    found = compare.RECORDS.get((step, tensor, oracle, dtype))
    return found.checks if found else 0


# --- the shared cases -----------------------------------------------------------


def test_a_random_case_is_its_seeds_alone():
    a, b = random_case(7), random_case(7)
    for mine, again in zip(a, b):
        np.testing.assert_array_equal(mine, again)
    assert not np.array_equal(random_case(8).x, a.x)
    assert np.array_equal(random_case(7, hidden=7, scale=SCALES[2]).x, a.x)  # the same draws


def test_the_hidden_size_and_the_scale_cycle_with_the_seed():
    assert [random_case(seed).w1.shape[1] for seed in range(17)] == [*range(1, 17), 1]
    for seed in range(2 * len(SCALES)):
        case = random_case(seed, hidden=16)
        scale = SCALES[seed % len(SCALES)]
        for w in (case.w1, case.w2):
            assert abs(w.mean()) < 0.4 * scale and 0.6 * scale < w.std() < 1.4 * scale


def test_a_case_given_its_size_and_scale_keeps_them():
    case = random_case(3, hidden=9, scale=0.01)
    assert (case.x.shape, case.y.shape, case.w1.shape, case.w2.shape) == (
        (1, 30), (1, 3), (30, 9), (9, 3)
    )  # fmt: skip
    assert np.abs(case.w1).max() < 0.1 and np.abs(case.w2).max() < 0.1


def test_a_case_has_pixels_in_0_1_and_a_one_hot_target():
    xs = np.concatenate([random_case(seed).x for seed in range(50)])
    assert 0 <= xs.min() < 0.05 and 0.95 < xs.max() <= 1 and 0.4 < xs.mean() < 0.6
    ys = np.concatenate([random_case(seed).y for seed in range(50)])
    assert set(ys.sum(axis=1)) == {1.0} and set(ys.ravel()) == {0.0, 1.0}
    assert (ys.sum(axis=0) > 5).all()  # every class drawn


def test_a_letter_case_is_the_articles_start_on_that_letter():
    case = letter_case(4, 2)
    w1, w2 = ni.init_weights(4, "article", 5)
    x, y = ni.samples()[2]
    for mine, want in zip(case, (x, y, w1, w2)):
        np.testing.assert_array_equal(mine, want)
    assert letter_case(4, 2, hidden=3).w1.shape == (30, 3)
    assert case.grad_floor > 0


# --- the oracles -----------------------------------------------------------------


def test_the_steps_given_are_the_steps_used():
    case = letter_case(0, 1)
    loss = loss_function(case.x, case.y, "mse")
    for h in (0.5, 1e-3):
        for mine, want in zip(
            complex_step(loss, case.w1, case.w2, h),
            (complex_step_of(lambda w: loss(w, case.w2), case.w1, h),
             complex_step_of(lambda w: loss(case.w1, w), case.w2, h)),
        ):  # fmt: skip
            np.testing.assert_array_equal(mine, want)
        for mine, want in zip(
            central_difference(loss, case.w1, case.w2, h),
            (central_difference_of(lambda w: loss(w, case.w2), case.w1, h),
             central_difference_of(lambda w: loss(case.w1, w), case.w2, h)),
        ):  # fmt: skip
            np.testing.assert_array_equal(mine, want)
    # a large step is not the default one: the default steps are accurate
    assert not np.allclose(complex_step(loss, case.w1, case.w2, 0.5)[1],
                           complex_step(loss, case.w1, case.w2)[1], rtol=1e-6)  # fmt: skip


def test_the_default_central_step_agrees_with_the_complex_step():
    for seed in range(3):
        case = letter_case(seed, seed)
        loss = loss_function(case.x, case.y, "bce")
        exact = complex_step(loss, case.w1, case.w2)
        for mine, want in zip(central_difference(loss, case.w1, case.w2), exact):
            assert compare.errors(mine, want, floor=CENTRAL_FLOOR)[1] < CENTRAL
        for w, g in zip(case[2:], exact):
            one = central_difference_of(lambda a: float(np.sum(a**3)), w)
            assert compare.errors(one, 3 * w**2, floor=CENTRAL_FLOOR)[1] < CENTRAL
            assert g.shape == w.shape


def test_the_complex_step_check_names_its_witness_and_where(monkeypatch, records):
    case = random_case(2, hidden=4)
    check_complex_step(*case, "mse", floor=case.grad_floor)
    assert checks_of("gradient (mse rule)", "dL/dw2", "complex step") == 1
    wrong = ni.gradients(*case, "mse")
    monkeypatch.setattr(ni, "gradients", lambda *a: (wrong[0], 1.5 * wrong[1]))
    with pytest.raises(AssertionError, match=r"dL/dw2 differs from complex step \(seed 2\)"):
        check_complex_step(*case, "mse", floor=case.grad_floor, where="seed 2")
    with pytest.raises(AssertionError, match=r"dL/dw2 differs from complex step: "):
        check_complex_step(*case, "mse", floor=case.grad_floor)


# --- the golden checks and the transcript ----------------------------------------


@pytest.fixture(scope="module")
def kept():
    return golden.load()


def test_a_golden_gradient_failure_names_the_case_and_the_witness(kept, records):
    name = golden.case_names(kept)[0]
    right = ni.gradients

    def off(x, y, w1, w2, rule):
        g1, g2 = right(x, y, w1, w2, rule)
        return g1 * (1 + 10 * GRADIENT), g2

    failure = rf"gradient \(mse rule\): dL/dw1 differs from fixtures \({name}\)"
    with pytest.raises(AssertionError, match=failure):
        golden.check_gradients(SimpleNamespace(gradients=off), kept, "mse")
    golden.check_gradients(ni, kept, "mse", keep=False)
    assert checks_of("gradient (mse rule)", "dL/dw2", "fixtures") == 0
    golden.check_gradients(ni, kept, "mse")
    count = len(golden.case_names(kept))
    assert checks_of("gradient (mse rule)", "dL/dw2", "fixtures") == count


def test_a_golden_training_failure_names_the_seed_and_the_witness(kept, records):
    rule, seed = golden.trainings(kept)[0]
    run = f"train/{rule}/{seed}"

    def training(last=1.0, w2=1.0):
        """The kept run, its last loss and its w2 scaled."""
        loss = kept[f"{run}/loss"].copy()
        loss[-1] *= last
        ours = SimpleNamespace(loss=loss, w1=kept[f"{run}/w1"], w2=w2 * kept[f"{run}/w2"])
        return SimpleNamespace(train=lambda seed, rule: ours)

    step = f"training ({rule} rule)"
    golden.check_training(training(), kept, rule, seed, keep=False)
    assert records.RECORDS == {}
    golden.check_training(training(), kept, rule, seed)
    assert set(records.RECORDS) == {(step, t, "fixtures", "float64")
                                    for t in ("loss history", "w1", "w2")}  # fmt: skip
    # the history entry by entry: its last, small loss off by 10x the tolerance fails
    failure = rf"{re.escape(step)}: loss history differs from fixtures \(seed {seed}\)"
    with pytest.raises(AssertionError, match=failure):
        golden.check_training(training(last=1 + 10 * TRAJECTORY), kept, rule, seed, keep=False)
    failure = rf"{re.escape(step)}: w2 differs from fixtures \(seed {seed}\)"
    with pytest.raises(AssertionError, match=failure):
        golden.check_training(training(w2=1 + 10 * TRAJECTORY), kept, rule, seed, keep=False)


def test_the_golden_file_holds_plain_arrays(kept):
    assert kept and all(a.dtype != object for a in kept.values())


def test_the_transcripts_defaults_are_the_articles_job(article_job):
    # called with no arguments, the transcript runs ni.ARTICLE's job: the run
    # ni.train() makes with none (the same check as the slow test_training's)
    w1, w2, history = article_training()
    assert len(history) == ni.ARTICLE.epochs
    check = Check("article's loop", TRANSCRIPT, "transcript", where="defaults", keep=False)
    check.layers((article_job.w1, article_job.w2), (w1, w2), name="{}")
    check("loss history", article_job.loss, history)


# --- the loss floor ----------------------------------------------------------------


def test_the_mse_floor_is_three_hundredths_of_the_summed_distance():
    a2 = np.array([[0.999, 0.001, 0.001]], dtype=np.float32)
    y = np.array([[1.0, 0.0, 0.0]])
    assert mse_floor(a2, y) == pytest.approx(0.03 * 0.003, rel=1e-5)
    assert mse_floor(y, y) == 0.0
    # near the targets the floor, not the loss, sets the scale: an error of a
    # tenth of FORWARD of it passes, ten times FORWARD of it does not
    loss = float(ni.mse_loss(a2.astype(np.float64), y))
    floor = mse_floor(a2, y)
    assert floor > 10 * loss
    assert compare.errors(loss + 0.1 * FORWARD * floor, loss, floor=floor)[1] < FORWARD
    assert compare.errors(loss + 10 * FORWARD * floor, loss, floor=floor)[1] > FORWARD


def test_the_floors_scale_with_the_upstream_gradient_and_w2():
    assert delta_floor() == 0.01 and delta_floor(4.0) == 0.04
    w2 = np.array([[0.5, -3.0]])
    assert gradient_floor(w2) == pytest.approx(0.01 * 4.0)
    assert gradient_floor(w2, 2.0) == pytest.approx(0.02 * 4.0)
    assert gradient_floor(np.zeros((1, 1))) == pytest.approx(0.01)


def test_a_factor_is_named_to_factor_or_ten_times_the_arrays_own_tolerance():
    from reference.witnesses.tolerances import FACTOR, FLOAT16, FLOAT32, GRADIENT, factor_limit

    assert factor_limit(GRADIENT) == FACTOR  # float64's ratios: FACTOR, far above their 1e-15
    assert factor_limit(FLOAT32) == 10 * FLOAT32 > FACTOR
    assert factor_limit(FLOAT16) == 10 * FLOAT16


# --- The one table of losses ------------------------------------------------------


def test_each_loss_is_the_one_its_rule_claims_and_computes_numpy_impls_value():
    from reference.witnesses.losses import ARTICLE_LOSSES, LOSSES, loss_named

    assert list(LOSSES) == ["mse", "bce", "softmax-ce"]  # the default (the article's) first
    assert ARTICLE_LOSSES == ("mse", "bce")  # those with a rule of numpy_impl's
    x, y = ni.samples()[1]
    fwd = ni.forward(x, *ni.init_weights(0))
    for name in ARTICLE_LOSSES:
        loss = LOSSES[name]
        assert loss.name == name and ni.RULE_LOSS[loss.rule].name == name
        assert loss.of(fwd, y) == ni.RULE_LOSS[loss.rule].of(fwd, y)
    assert loss_named("bce") is LOSSES["bce"]
    for other in ("l2", "softmax-ce"):  # a described network's loss is none of the article's
        with pytest.raises(ValueError, match=rf"^unknown loss '{other}': choose one of mse, bce$"):
            loss_named(other)
    with pytest.raises(ValueError, match=r"^the loss softmax-ce is not one of the article's"):
        LOSSES["softmax-ce"].of(fwd, y)
    # what a described network needs of each: its output, where it needs one
    assert [loss.output for loss in LOSSES.values()] == [None, "sigmoid", "softmax"]
    assert all(loss.name == name for name, loss in LOSSES.items())
