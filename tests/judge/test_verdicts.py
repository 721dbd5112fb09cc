"""The judge's verdict (reference/judge/diagnosis.py's diagnose) on answers made here:
each is a student written as a formula of the judge's own forward pass, handed
to diagnose() as a child would report it, so that every word of the verdict can
be derived from the formula: the factor a gradient is off by, the units and
pixels where it differs, which mistake is sent back where, what was run."""

import numpy as np
import pytest

from reference.grading import single
from reference.judge import StudentError, catalogue, diagnose, words
from reference.judge.network import state
from reference.judge.plan import ALPHA, REPEAT, plan, state_at
from reference.judge.trace import apart
from reference.sandbox import Limits, Runner
from reference.witnesses.losses import LOSSES
from reference.witnesses.tolerances import GRADIENT, RECOGNISED, gradient_floor
from tests.helpers import run_of

MSE = LOSSES["mse"].words
EVERYTHING = (
    "40 points; hidden sizes 3, 5, 8; letters A, B, C one at a time and as a batch of rows;"
    " article starts for seeds 0..2 and a saturated one; the first point twice"
)


def right(s, loss="mse"):
    found = catalogue.correct(s, loss)
    return found.dw1, found.dw2


def judged(student, loss="mse", **kw):
    return diagnose(run_of(student, **kw), loss)


def test_a_correct_student_is_correct_in_every_word():
    found = judged(lambda s, i: right(s))
    assert found.ok and found.origin is None and found.pointer == "" and found.notes == []
    assert (found.shape, found.precision, found.loss) == ("gradient", "float64", "mse")
    assert found.text().splitlines() == [
        f"checking f(x, y, w1, w2) -> (dw1, dw2) against {MSE}",
        f"run at: {EVERYTHING}",
        f"dL/dw1: correct for {MSE} (largest relative difference 0e+00)",
        f"dL/dw2: correct for {MSE} (largest relative difference 0e+00)",
        f"ok: both layers are the gradient of {MSE}",
    ]
    for layer in found.layers:
        assert (layer.correct, layer.mistakes, layer.max_rel, layer.off_correct, layer.where) == (
            True, [], 0.0, 0.0, {})  # fmt: skip
        assert layer.match == catalogue.Chain("mse", None, 1)
    yours, theirs = found.first.yours_in_order, found.first.correct_in_order
    s = state_at(0)
    for a, b, c in zip(yours, theirs, right(s)):
        assert np.array_equal(a, c) and np.array_equal(b, c)


def test_a_step_in_float32_is_correct_to_float32_rounding():
    found = judged(lambda s, i: right(s, "bce"), loss="bce", step=True, dtype=np.float32)
    assert found.ok and (found.shape, found.precision) == ("step", "float32")
    lines = found.text().splitlines()
    assert lines[0] == (
        "checking one SGD step, gradients recovered as (w - new_w) / alpha, alpha = 0.1"
        " against the summed binary cross-entropy"
    )
    assert lines[-1] == "ok: both layers are the gradient of the summed binary cross-entropy" \
        " (to float32 rounding)"  # fmt: skip
    assert lines[2].startswith(
        "dL/dw1: correct for the summed binary cross-entropy to float32 rounding (largest"
    )
    # the difference shown is float32's rounding in full: the slack forgives it, the words show it
    assert found.layers[0].max_rel > 1e-9 and found.layers[1].max_rel > 1e-9


def test_an_unknown_loss_is_refused_before_anything_runs(monkeypatch):
    with pytest.raises(ValueError, match=r"^unknown loss 'mae': choose one of mse, bce$"):
        diagnose(run_of(lambda s, i: right(s)), "mae")
    with pytest.raises(ValueError, match=r"^unknown loss 'l1': choose one of mse, bce$"):
        # nothing may be run for a bad loss: a runner that runs nothing
        single.diagnose_file("tests/judge/students/raises.py:grads", "l1", runner=pytest.fail)


def test_a_file_runs_under_the_limits_given_or_10_s_and_2_gib():
    used = []

    def recording(limits, sandbox):
        used.append(limits)
        return Runner(limits, sandbox)

    spec = "tests/judge/students/factor_2_lost.py:grads"
    assert single.diagnose_file(spec, "mse", runner=recording).layers[1].mistakes == [
        "factor 2 lost"
    ]
    assert single.diagnose_file(spec, "bce", Limits(5.0, 2**30), runner=recording).loss == "bce"
    assert used == [Limits(10.0, 2 * 2**30), Limits(5.0, 2**30)]


TAKES = "--against takes PATH.py:FUNCTION"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("grads.py", f"{TAKES}, got 'grads.py'"),
        (":grads", f"{TAKES}, got ':grads'"),
        ("tests/judge/students/raises.py:", f"{TAKES}, got 'tests/judge/students/raises.py:'"),
        ("nowhere.py:grads", "no such file: nowhere.py"),
        ("tests/judge/students:grads", "no such file: tests/judge/students"),
    ],
)
def test_specs_that_name_no_function_in_a_file(spec, message):
    with pytest.raises(StudentError) as caught:
        single.split_spec(spec)
    assert str(caught.value) == message


def test_a_spec_splits_at_its_last_colon(tmp_path):
    odd = tmp_path / "a:b.py"
    odd.write_text("")
    assert single.split_spec(f"{odd}:grads") == (str(odd), "grads")


# --- A gradient that is the correct one times a constant -------------------

HINT = "but it is the correct gradient times {} everywhere (a fixed factor?); "


@pytest.mark.parametrize(("k", "shown"), [(5.0, "5"), (-0.25, "-0.25"), (1 / 7, "0.142857")])
def test_a_constant_factor_in_one_layer_is_said(k, shown):
    found = judged(lambda s, i: (right(s)[0], k * right(s)[1]))
    w1, w2 = found.layers
    assert w1.correct and not w2.correct and w2.match is None
    assert HINT.format(shown) in w2.words
    assert w2.off_correct == pytest.approx(abs(k - 1), rel=1e-12)
    assert f"the correct gradient differs by {abs(k - 1):.2g}, " in w2.words


def test_a_factor_that_changes_from_point_to_point_is_no_constant():
    # 5 at hidden size 5, 6 elsewhere: each point is proportional, the class of points is not
    def student(s, i):
        k = 5.0 if s.w1.shape[1] == 5 else 6.0
        return right(s)[0], k * right(s)[1]

    w2 = judged(student).layers[1]
    assert w2.match is None and "everywhere" not in w2.words
    assert f"differs by {w2.off_correct:.2g}, the differences are largest in" in w2.words


@pytest.mark.parametrize(("drift", "hinted"), [(0.5, True), (1.5, True), (3.0, False)])
def test_a_constant_may_drift_within_the_tolerance_of_each_point(drift, hinted):
    # k at one point, k (1 + drift tol) at the others: each point allows tol |k|
    def student(s, i):
        k = 5.0 * (1 + drift * GRADIENT * (i > 1))
        return right(s)[0], k * right(s)[1]

    w2 = judged(student).layers[1]
    assert ("everywhere" in w2.words) is hinted, w2.words


@pytest.mark.parametrize(("off", "hinted"), [(0.5, True), (2.0, False)])
def test_a_constant_is_seen_through_noise_within_the_tolerance(off, hinted):
    # 5 times the gradient, plus noise of ``off`` times the tolerance of its size at one entry
    def student(s, i):
        g = 5.0 * right(s)[1]
        noise = np.zeros_like(g)
        noise[0, 0] = off * GRADIENT * np.abs(g).max()
        return right(s)[0], g + (noise if i == 7 else 0)

    w2 = judged(student).layers[1]
    assert ("everywhere" in w2.words) is hinted, w2.words


def test_where_the_differences_lie():
    # dw1 off at three hidden units and five pixels, by amounts that rank them
    units, pixels = [1, 3, 4], [0, 6, 11, 17, 29]

    def student(s, i):
        g1, g2 = right(s)
        e1 = np.zeros((30, 8))
        for rank, p in enumerate(pixels):
            e1[p, units] = 1.0 + rank
        e2 = np.zeros((8, 3))
        e2[[0, 2, 3], 1] = [3.0, 2.0, 1.0]
        return g1 + e1[:, : g1.shape[1]], g2 + e2[: g2.shape[0]]

    w1, w2 = judged(student).layers
    assert w1.where == {"hidden units": units, "pixels": pixels}
    assert w2.where == {"hidden units": [0, 2, 3]}
    assert "the differences are largest in hidden units 1, 3, 4 and" \
        " pixels 0, 6, 11, 17, 29" in w1.words  # fmt: skip
    assert "the differences are largest in hidden units 0, 2, 3" in w2.words


def test_where_ties_go_to_the_lowest_index():
    def student(s, i):
        g1, g2 = right(s)
        return g1 + 1.0, g2 + 1.0  # the same difference everywhere

    w1, w2 = judged(student).layers
    assert w1.where == {"hidden units": [0, 1, 2], "pixels": [0, 1, 2, 3, 4]}
    assert w2.where == {"hidden units": [0, 1, 2]}


# --- Mistakes matched, and where they are sent -------------------------------


def test_a_mistake_in_d2_is_inherited_by_dw1():
    half = catalogue.ENTRIES["factor 2 lost"]
    found = judged(lambda s, i: tuple(g / 2 for g in right(s)))
    w1, w2 = found.layers
    assert w1.mistakes == w2.mistakes == ["factor 2 lost"]
    assert w1.words == (
        f"dL/dw1: matches *{half.words}* (in d2, inherited) (largest relative difference 0e+00);"
        f" the correct gradient differs by {w1.off_correct:.2g}"
    )
    assert w2.words.startswith(f"dL/dw2: matches *{half.words}* (largest")
    assert w1.off_correct == pytest.approx(0.5) and w2.off_correct == pytest.approx(0.5)
    assert found.origin == "d2"
    assert found.pointer == f"look at the line that computes d2: {half.words}"
    assert found.text().splitlines()[-1] == f"FAIL: dL/dw1, dL/dw2 not the gradient of {MSE}"


def test_another_d2_sent_back_through_w2_is_said_to_be_d1s():
    bce = catalogue.ENTRIES["bce"]
    found = judged(lambda s, i: (right(s, "bce")[0], right(s)[1]))
    w1, w2 = found.layers
    assert w1.mistakes == ["bce"] and w2.correct
    assert f"*{bce.words}* (sent back in d1, while dw2 has another d2) (largest" in w1.words
    assert found.origin == "d1"
    assert found.pointer == (
        f"look at the line that computes d1: it sends back another d2 than dw2's ({bce.words})"
    )
    assert found.text().splitlines()[-1] == f"FAIL: dL/dw1 not the gradient of {MSE}"


def test_a_wrong_hidden_slope_points_at_d1():
    missing = catalogue.ENTRIES["hidden slope missing"]

    def student(s, i):
        d2 = catalogue.correct(s, "mse").d2
        return s.x.T @ missing.compute(s, d2), s.a1.T @ d2

    found = judged(student)
    assert found.layers[0].mistakes == ["hidden slope missing"]
    assert "(in d2, inherited)" not in found.layers[0].words
    assert (found.origin, found.pointer) == (
        "d1", f"look at the line that computes d1: {missing.words}")  # fmt: skip


def test_a_layout_alone_is_said_to_be_a_layout():
    swapped = catalogue.ENTRIES["gradients swapped"]
    found = judged(lambda s, i: right(s)[::-1])
    for layer in found.layers:
        assert layer.mistakes == ["gradients swapped"] and layer.max_rel == 0.0
        assert layer.words.endswith(
            f"matches *{swapped.words}* (largest relative difference 0e+00, once laid out as the"
            " weights are)"
        )
    assert (found.origin, found.pointer) == ("dw1", f"look at the return line: {swapped.words}")
    found = judged(lambda s, i: (right(s)[0], right(s)[1].T))
    assert found.layers[0].correct and found.layers[1].mistakes == ["dw2 transposed"]
    assert found.origin == "dw2"
    assert found.pointer == (
        f"look at the line that computes dw2: {catalogue.ENTRIES['dw2 transposed'].words}"
    )


def test_an_answer_that_remembers_earlier_calls():
    acc = catalogue.ENTRIES["accumulates across calls"]
    found = judged(lambda s, i: tuple(g * (1 + i) for g in right(s)))
    for layer in found.layers:
        assert layer.mistakes == ["accumulates across calls"]
        assert layer.words.endswith("(largest relative difference 0e+00, at its first call)")
    assert found.pointer == f"look at {acc.line}: {acc.words}"
    # what is shown beside the right gradient is the first answer, before any other call
    s = state_at(0)
    assert all(np.array_equal(a, b) for a, b in zip(found.first.yours_in_order, right(s)))
    # the first call alone is judged: a wrong first answer is still wrong
    found = judged(lambda s, i: tuple(g * (1 + i) / 2 for g in right(s)))
    assert found.layers[1].mistakes == ["accumulates across calls", "factor 2 lost"]


def test_rows_that_are_not_summed_are_judged_one_at_a_time():
    def student(s, i):
        one = state(s.x[:1], s.y[:1], s.w1, s.w2, s.alpha)
        return right(one)

    found = judged(student)
    assert found.ok
    assert [str(n) for n in found.notes] == [
        f"dL/d{w}: given several rows at once, the function does not return the sum of the"
        " rows' gradients (it is judged one sample at a time)"
        for w in ("w1", "w2")
    ]


def test_what_was_run_is_said_from_the_groups_that_worked():
    hidden_5 = [p.group.label for p in plan()].count("hidden size 5")
    found = diagnose(run_of(lambda s, i: right(s), calls=hidden_5))
    assert found.ok and len(found.notes) == 3
    assert found.checked == [
        "12 points", "hidden sizes 5", "letters A, B, C one at a time",
        "article starts for seeds 0..2 and a saturated one", "the first point twice",
    ]  # fmt: skip


def test_a_factor_near_1_is_shown_with_the_digits_that_tell_it_from_1():
    # the judge's control, (1 + 10 tol) times the correct gradient: not "times 1"
    k = 1 + 10 * GRADIENT
    found = judged(lambda s, i: (k * right(s)[0], right(s)[1]))
    assert not found.ok and HINT.format("1.000000000001") in found.layers[0].words
    assert found.pointer == (
        "look at the line that computes d1: a factor 1.000000000001 that should not be there"
    )
    found = judged(lambda s, i: (right(s)[0], k * right(s)[1]))
    assert found.pointer == (
        "look at the line that computes d2: the constant in front of (a2 - y) a2 (1 - a2) is"
        " 0.6666666666673, not 0.6666666666667"
    )


def test_numbers_are_shown_apart_with_the_fewest_digits():
    assert apart(5.0, 1.0) == ("5", "1")
    assert apart(1 / 3, 2 / 3) == ("0.3333", "0.6667")
    assert apart(0.1, 1.0, 6) == ("0.1", "1")
    assert apart(1 + 1e-12, 1.0) == ("1.000000000001", "1")
    assert apart(1 + 1e-12, 1.0, 14) == ("1.000000000001", "1")
    # 17 digits tell any two doubles apart; equal ones are shown to all 17
    assert apart(0.1, 0.1) == ("0.10000000000000001", "0.10000000000000001")
    assert apart(0.1, 0.1 + 2**-56) == ("0.10000000000000001", "0.10000000000000002")


@pytest.mark.parametrize("wrong_at", range(len(plan())))
def test_a_student_wrong_at_one_point_alone_is_not_correct(wrong_at):
    # every single sample counts, the repeated first one included: no false "correct";
    # a batch of rows is optional (the article's SGD takes one sample at a time): wrong
    # there, the function is judged one sample at a time, and told so
    def student(s, i):
        g1, g2 = right(s)
        return (g1, 1.5 * g2) if i == wrong_at else (g1, g2)

    found = judged(student)
    assert found.layers[0].correct, found.text()
    if plan()[wrong_at].group.label == "several rows at once":
        assert found.ok and [str(n) for n in found.notes] == [
            "dL/dw2: given several rows at once, the function does not return the sum of the"
            " rows' gradients (it is judged one sample at a time)"
        ]
    else:
        assert not found.ok and not found.layers[1].correct, found.text()
    if plan()[wrong_at].group.label == "hidden size 5" and wrong_at > 1:
        # one sample of the first group, which the trace reads: d2 is no constant multiple
        assert found.pointer == "look at the line that computes d2", found.text()


@pytest.mark.parametrize(("off", "depends"), [(3.0, True), (0.3, False)])
def test_an_answer_that_changes_when_called_again(off, depends):
    # the repeat of the first point off by ``off`` times the tolerance of the answer's size
    # (dw2 there is below 1: an absolute threshold would be a looser one)
    assert np.abs(right(state_at(0))[1]).max() < 0.3

    def student(s, i):
        g1, g2 = right(s)
        if i == 1:
            g2 = g2.copy()
            g2[0, 0] += off * GRADIENT * np.abs(g2).max()
        return g1, g2

    w1, w2 = judged(student).layers
    assert w1.correct and ("accumulates across calls" in w2.mistakes) is depends
    assert w2.correct is not depends


def test_another_d2_in_dw1_does_not_take_the_pointer_from_a_wrong_d2():
    half = catalogue.ENTRIES["factor 2 lost"]
    found = judged(lambda s, i: (right(s, "bce")[0], s.a1.T @ half.compute(s)))
    assert [layer.mistakes for layer in found.layers] == [["bce"], ["factor 2 lost"]]
    assert found.origin == "d2"
    assert found.pointer == f"look at the line that computes d2: {half.words}"


def test_a_right_dw2_laid_out_wrong_leaves_the_origin_to_d1():
    def student(s, i):
        d2 = catalogue.correct(s, "mse").d2
        return s.x.T @ (5 * catalogue.hidden_delta(s, d2, None)), (s.a1.T @ d2).T

    found = judged(student)
    assert found.layers[1].mistakes == ["dw2 transposed"] and found.layers[0].match is None
    assert found.origin == "d1"
    assert found.pointer == "look at the line that computes d1: a factor 5 that should not be there"


def test_two_gradients_that_are_no_outer_products_point_at_dw1_first():
    def student(s, i):
        g1, g2 = right(s)
        return g1 + 0.01 * s.w1, g2 + 0.01 * s.w2  # weight decay on both

    found = judged(student)
    w1, w2 = (layer.words for layer in found.layers)
    assert w1.endswith("; it is not x.T @ d1 for any d1")
    assert w2.endswith("; it is not a1.T @ d2 for any d2")
    assert found.origin == "dw1"
    assert found.pointer == "look at the line that computes dw1: it should be x.T @ d1"


def test_the_floor_of_a_batch_of_rows_is_n_times_one_samples():
    # at the saturated batch the gradient is below its floor, 0.01 (1 + max|w2|) n: a
    # difference of 2e-13 there is within the tolerance of 5 times the floor for n = 3 rows
    # (3.4e-13), and would not be for one sample's floor (1.1e-13)
    (at,) = [i for i, p in enumerate(plan()) if p.group.label == "several rows at once"
             and "saturated" in p.label]  # fmt: skip
    s = state_at(at)
    assert np.abs(right(s)[1]).max() < 0.01 * (1 + np.abs(s.w2).max()) < 0.3

    def student(s, i):
        g1, g2 = right(s)
        g2 = 5.0 * g2
        if i == at:
            g2[0, 0] += 2e-13
        return g1, g2

    assert HINT.format("5") in judged(student).layers[1].words


def test_a_step_right_one_sample_at_a_time_is_matched_with_its_step_only_mistake():
    # w2 updated before d1 (a mistake only a step can make), and the rows of a batch not
    # summed: judged one sample at a time, with the step's own catalogue
    early = catalogue.ENTRIES["w2 updated before d1"]

    def student(s, i):
        one = state(s.x[:1], s.y[:1], s.w1, s.w2, s.alpha)
        d2 = catalogue.correct(one, "mse").d2
        return one.x.T @ early.compute(one, d2), one.a1.T @ d2

    found = judged(student, step=True)
    assert found.layers[0].mistakes == ["w2 updated before d1"] and found.layers[1].correct
    assert [str(n) for n in found.notes] == [
        f"dL/d{w}: given several rows at once, the function does not return the sum of the"
        " rows' gradients (it is judged one sample at a time)"
        for w in ("w1", "w2")
    ]


def test_an_accumulating_answer_off_by_a_factor_at_its_first_call():
    found = judged(lambda s, i: tuple(5 * g * (1 + i) for g in right(s)))
    w2 = found.layers[1]
    assert w2.mistakes == ["accumulates across calls"] and w2.match is None
    assert HINT.format("5") in w2.words


# --- Answers told for what they are, no line of the backprop blamed ------------


def test_a_step_that_returns_the_gradients_is_told_so():
    found = judged(lambda s, i: tuple((w - g) / ALPHA for w, g in zip((s.w1, s.w2), right(s))),
                   step=True)  # fmt: skip
    assert not found.ok and found.origin == "update"
    assert found.pointer.startswith("look at what the function returns: a step returns the")
    assert found.layers[0].words.startswith("dL/dw1: the function returned dw1 itself")


def test_a_step_is_told_it_returned_the_gradients_within_recognised_of_their_scale():
    # the scale: the gradient's largest entry, or the floor for its n rows where larger
    def returning(c):
        def student(s, i):
            found = []
            for w, weight in ((s.w1, "w1"), (s.w2, "w2")):
                ref = catalogue.correct(s, "mse").gradient(weight)
                scale = max(np.abs(ref).max(), gradient_floor(s.w2, upstream=s.n))
                found.append((w - (ref + c * RECOGNISED * scale)) / ALPHA)  # it returns ref + ...
            return tuple(found)

        return student

    assert judged(returning(0.9), step=True).pointer == words.RETURNED_GRADIENTS
    assert judged(returning(2.0), step=True).pointer != words.RETURNED_GRADIENTS


def test_a_step_whose_gradients_are_all_scaled_by_one_constant_has_its_update_wrong():
    found = judged(lambda s, i: tuple(0.1 * g for g in right(s)), step=True)
    assert found.origin == "update" and found.pointer.startswith("look at the update")
    assert not any("d2 is wrong" in v.words for v in found.layers)
    # two constants, one per layer: no single update explains them
    found = judged(lambda s, i: (0.1 * right(s)[0], 0.2 * right(s)[1]), step=True)
    assert found.origin != "update"


@pytest.mark.parametrize(
    ("step", "other"), [(False, "in front of dw1, dw2"), (True, "of the update (w - alpha * dw)")]
)
def test_both_signs_flipped_point_at_the_error_in_d2_or_the_sign_in_front(step, other):
    found = judged(lambda s, i: tuple(-g for g in right(s)), step=step)
    assert found.origin == "d2"
    assert found.pointer == (
        f"look at the sign of the error in d2 (a2 - y, not y - a2), or {other}:"
        f" {catalogue.ENTRIES['sign flipped'].words}"
    )
    # one sign flipped: the line of that gradient alone
    found = judged(lambda s, i: (right(s)[0], -right(s)[1]), step=step)
    assert found.pointer.startswith("look at the line that computes dw2: sign flipped")


def test_a_step_that_returns_the_weights_unchanged_is_said_to_update_by_zero():
    # w - alpha * 0: both gradients read back as the correct ones times 0, not times 1
    found = judged(lambda s, i: tuple(0.0 * g for g in right(s)), step=True)
    assert (found.origin, found.pointer) == ("update", words.update(0.0))
    assert " times 0 everywhere" in found.pointer


def test_an_approximation_is_said_to_be_one_and_points_at_no_line():
    noise = np.random.default_rng(0)

    def student(s, i):
        return tuple(g * (1 + 1e-7 * noise.standard_normal(g.shape)) for g in right(s))

    found = judged(student)
    assert not found.ok and found.origin is None
    assert found.pointer.startswith("no line of a backprop gives such differences")
    assert all(v.words.startswith(f"{v.name.replace('w', 'dL/dw')}: approximately the gradient")
               for v in found.layers)  # fmt: skip
    # the same noise at one point alone is a mistake there, not an approximation
    found = judged(lambda s, i: student(s, i) if i == 3 else right(s))
    assert not any(v.approximate for v in found.layers)
    # nor at half the 40 points, only at more than half: at points whose gradients are
    # far above the floor, where 1e-7 of them shows (not the saturated start), the first
    # point and its repeat left right alike
    clear = [i for i, p in enumerate(plan()) if i not in (0, REPEAT) and "saturated" not in p.label]
    for count, approximate in ((20, False), (21, True)):
        found = judged(lambda s, i, at=clear[:count]: student(s, i) if i in at else right(s))
        assert [v.approximate for v in found.layers] == [approximate] * 2, count


def test_a_gradient_wrong_at_one_point_names_it_and_looks_there():
    at = 17
    found = judged(lambda s, i: (right(s)[0], (3 if i == at else 1) * right(s)[1]))
    words = found.layers[1].words
    assert f"at 1 of the 40 points (the first: {plan()[at].label})" in words, words
    assert "the differences are largest there in hidden units" in words


def test_float16_answers_are_judged_at_float16s_precision():
    found = judged(lambda s, i: right(s), dtype=np.float16)
    assert found.ok and found.precision == "float16", found.text()
    assert found.text().splitlines()[-1].endswith("(to float16 rounding)")
    found = judged(lambda s, i: (right(s)[0], 1.5 * right(s)[1]), dtype=np.float16)
    assert not found.ok and found.precision == "float16"


@pytest.mark.parametrize(("extra", "shown"), [((39,), True), ((37, 39), False)])
def test_the_points_that_differ_are_counted_when_they_are_at_most_half(extra, shown):
    # dL/dw1 a third off at the even calls from the third on (19 of the 40), and at ``extra``
    def student(s, i):
        dw1, dw2 = right(s)
        return (1.3 if i >= 2 and (i % 2 == 0 or i in extra) else 1.0) * dw1, dw2

    said = diagnose(run_of(student), "mse").layers[0].words
    counted = " at 20 of the 40 points (the first: B, seed 0, hidden 5), the differences are"
    assert (counted in said) is shown, said
    assert said.startswith("dL/dw1: matches nothing in the catalogue; the correct gradient"
                           " differs by 0.3")  # fmt: skip


@pytest.mark.parametrize(
    ("factor", "shown"),
    [(2.0, "2"), (1.2345678, "1.23457"), (1.0000001, "1.0000001"), (2.0000001, "2")],
)
def test_a_step_off_by_one_factor_is_said_to_six_digits_or_until_it_is_not_1(factor, shown):
    assert words.update(factor) == (
        "look at the update w - alpha * dw: both gradients come out as the correct ones times"
        f" {shown} everywhere (alpha used twice, or another learning rate?)"
    )
