"""The judge's words in Chinese (reference/judge/languages.py): every sentence the
table covers comes out with no English word left (but the code and names it
quotes), a sentence it does not cover comes out as it was, and English is the
judge's own."""

import re

import numpy as np
import pytest

from reference.judge import STEPS, judge_forward, judge_step
from reference.judge.catalogue import CATALOGUE
from reference.judge.languages import ZH, said
from tests.judge.test_forward import run_of as forward_run
from tests.judge.test_steps import DESCRIBED, MISTAKES, RIGHT
from tests.judge.test_steps import run_of as step_run

#: The words a Chinese line may keep: names of code, of functions, and of the points.
KEPT = {"sigmoid", "tanh", "ReLU", "NaN", "seed", "hidden", "weights", "saturated"}


def english_left(line):
    return [w for w in re.findall(r"[A-Za-z]{3,}", line) if w not in KEPT]


def test_every_mistake_of_the_catalogue_is_said_in_chinese():
    for entry in CATALOGUE:
        assert english_left(said(entry.words, "zh")) == [], entry.words


@pytest.mark.parametrize(
    ("quantity", "student"),
    [(q, RIGHT[q]) for q in STEPS] + [m[:2] for m in MISTAKES] + [d[:2] for d in DESCRIBED],
)
def test_every_line_of_a_steps_check_is_said_in_chinese(quantity, student):
    for line in judge_step(quantity, step_run(quantity, student)).lines:
        assert english_left(said(line, "zh")) == [], line


def test_every_line_of_the_forward_passs_check_is_said_in_chinese():
    for activations in (lambda s: (s.a1, s.a2), lambda s: (s.a1, s.z2),
                        lambda s: (s.a1, s.a2.T), lambda s: (s.a1, np.tanh(s.z2))):  # fmt: skip
        for line in judge_forward(forward_run(activations)).lines:
            assert english_left(said(line, "zh")) == [], line


def test_english_is_the_judges_own_and_a_line_not_in_the_table_is_kept():
    line = "d2 is wrong: it is not (a2 - y) a2 (1 - a2) times a constant, nor the error a2 - y"
    assert said(line, "en") == line
    assert said("no such sentence here", "zh") == "no such sentence here"
    # clause by clause: the one the table has is said, the other kept
    assert said("d2 is right at every point; no such sentence", "zh") == (
        "d2 在每个点上都正确；no such sentence"
    )


def test_each_sentence_of_the_table_names_the_same_fields_in_both_languages():
    for english, chinese in ZH.items():
        fields = re.findall(r"\{(\w+)\}", english)
        assert sorted(re.findall(r"\{(\w+)\}", chinese)) == sorted(fields), english
