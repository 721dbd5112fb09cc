"""The judge's words in Chinese (reference/judge/languages.py): every sentence the
table covers comes out with no English word left (but the code and names it
quotes), a sentence it does not cover comes out as it was, and English is the
judge's own. (The steps' and the forward pass's lines: test_steps.py, test_forward.py.)"""

import json
import re

from reference.judge.catalogue import CATALOGUE
from reference.judge.languages import ZH, said
from tests.helpers import STUDENTS, english_left


def test_every_mistake_of_the_catalogue_is_said_in_chinese():
    for entry in CATALOGUE:
        assert english_left(said(entry.words, "zh")) == [], entry.words


def test_english_is_the_judges_own_and_a_line_not_in_the_table_is_kept():
    line = "d2 is wrong: it is not (a2 - y) a2 (1 - a2) times a constant, nor the error a2 - y"
    assert said(line, "en") == line
    assert said("no such sentence here", "zh") == "no such sentence here"
    # clause by clause: the one the table has is said, the other kept
    assert said("d2 is right at every point; no such sentence", "zh") == (
        "d2 在每个点上都正确；no such sentence"
    )


def test_a_sentence_inside_a_sentence_is_read_four_deep_and_a_submissions_words_never():
    """A field that is a sentence of the table is read in turn, four sentences inside the
    first at most (the judge's own nest three deep): the sixth stays as it is. A field
    that holds a submission's own words (an exception's message) is never read, though
    it is one of the table's sentences: only the point where it was raised is said."""
    said_once = ZH["look at the return line: {words}"].format(words="")
    nested = "look at the return line: " * 6 + "no such sentence"
    assert said(nested, "zh") == said_once * 5 + "look at the return line: no such sentence"
    raised = ZH["it raised {error}: {message} (at {label})"]
    message = "look at the return line: no such sentence"
    assert said(f"it raised ValueError: {message} (at A, seed 0, hidden 3)", "zh") == raised.format(
        error="ValueError", message=message, label=said("A, seed 0, hidden 3", "zh")
    )
    assert said("A, seed 0, hidden 3", "zh") != "A, seed 0, hidden 3"


def test_each_sentence_of_the_table_names_the_same_fields_in_both_languages():
    for english, chinese in ZH.items():
        fields = re.findall(r"\{(\w+)\}", english)
        assert set(re.findall(r"\{(\w+)\}", chinese)) == set(fields), english


def test_every_line_the_judge_says_of_the_students_is_said_in_chinese():
    # every line of every student's verdict (tests/judge/students/words.json); of an
    # exception's message and a student's own names only the sentence around them
    lines = [line for found in json.loads((STUDENTS / "words.json").read_text()).values()
             for line in found["text"]]  # fmt: skip
    assert len(lines) > 300
    for line in lines:
        chinese = said(line, "zh")
        own = "raised" in line or "left to their defaults" in line
        assert (chinese != line) if own else (english_left(chinese) == []), (line, chinese)
