"""The catalogue's one table of slopes (reference/judge/catalogue.py): each slope
mistake of the catalogue is one of its slopes, at its layer, in words made from
the slope's own; the trace names no other."""

import numpy as np
import pytest

from reference.judge import catalogue, trace
from reference.judge.catalogue import ENTRIES, SIGMOID, SLOPES
from reference.judge.plan import state_at

#: Each slope mistake: its layer and the slope it takes.
WRONG_SLOPES = {
    "output slope of sigmoid(a2)": ("2", catalogue.OF_ACTIVATION),
    "tanh slope at the output": ("2", catalogue.TANH),
    "relu slope at the output": ("2", catalogue.RELU),
    "output slope missing": ("2", catalogue.NO_SLOPE),
    "hidden slope of sigmoid(a1)": ("1", catalogue.OF_ACTIVATION),
    "hidden slope from z1": ("1", catalogue.OF_LOGIT),
    "tanh slope at the hidden layer": ("1", catalogue.TANH),
    "relu slope at the hidden layer": ("1", catalogue.RELU),
    "hidden slope missing": ("1", catalogue.NO_SLOPE),
}


def test_the_slopes_are_named_from_their_formulas():
    assert SLOPES[0] is SIGMOID and len(set(s.formula for s in SLOPES)) == len(SLOPES)
    assert SIGMOID.named("2") == "a2 (1 - a2), the sigmoid's"
    assert catalogue.TANH.taken_as("1") == "tanh's 1 - a1^2"
    assert catalogue.OF_LOGIT.taken_as("1") == catalogue.OF_LOGIT.named("1") == "z1 (1 - z1)"
    assert SLOPES[4].named("2") == "a2 alone, half of a2 (1 - a2)"
    assert catalogue.NO_SLOPE.written("1") == "1 (no slope at all)"


@pytest.mark.parametrize("name", sorted(WRONG_SLOPES))
def test_each_slope_mistake_is_a_slope_of_the_table(name):
    layer, slope = WRONG_SLOPES[name]
    assert slope in SLOPES
    entry = ENTRIES[name]
    s = state_at(10)  # the saturated start: slopes far apart
    a, z = (s.a2, s.z2) if layer == "2" else (s.a1, s.z1)
    d2 = catalogue.correct(s, "mse").d2
    got = entry.compute(s) if layer == "2" else entry.compute(s, d2)
    error = 2 / 3 * (s.a2 - s.y) if layer == "2" else d2 @ s.w2.T
    assert np.array_equal(got, error * slope.of(a, z))
    if "missing" not in name:  # the missing slopes keep words of their own
        where = "output" if layer == "2" else "hidden"
        assert entry.words.startswith(f"{where} derivative taken as {slope.taken_as(layer)} ")


def test_the_trace_reads_the_catalogues_slopes():
    assert trace.SLOPES is catalogue.SLOPES


def test_a_slope_mistakes_words_name_the_layer_and_the_right_slope_in_kind():
    # an activation's slope is set against the sigmoid's, named as one; a formula alone
    # (z1's, sigmoid(a2)'s) against the sigmoid's formula alone
    assert catalogue.wrong_slope("2", catalogue.TANH) == (
        "output derivative taken as tanh's 1 - a2^2 instead of the sigmoid's a2 (1 - a2)"
    )
    assert catalogue.wrong_slope("1", catalogue.OF_LOGIT) == (
        "hidden derivative taken as z1 (1 - z1) instead of a1 (1 - a1)"
    )
    assert ENTRIES["relu slope at the hidden layer"].words == (
        "hidden derivative taken as ReLU's (z1 > 0) instead of the sigmoid's a1 (1 - a1)"
    )
