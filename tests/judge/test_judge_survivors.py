"""The judge's words: a line is said in English, the judge's own, when no language is
named (reference/judge/languages.py)."""

from reference.judge.languages import ZH, said


def test_a_line_is_said_as_it_is_when_no_language_is_named():
    line = "correct"
    assert ZH[line] != line  # the Chinese table has it: in Chinese it would change
    assert said(line) == line == said(line, "en")
