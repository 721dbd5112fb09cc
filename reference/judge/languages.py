"""The judge's words in the notebooks' other language: one table a language, each
English sentence the judge says (with its {fields}) beside the same sentence in
that language.

The judge speaks English (reference/judge/words.py and the modules that build
its sentences); the Chinese table is reference/judge/zh.py. :func:`said` gives
a line in another language, whole or clause by clause (clauses joined by
"; "), each clause read against the table's English
sentences and written out as the language's, its fields translated in turn
where they are sentences of the table themselves (a catalogue mistake inside
a verdict). A clause the table does not have stays in English: a line is never
lost. The table covers the checks of the exercise's steps and its forward pass,
every mistake of the catalogue, and every line the judge says of the project's
students (tests/judge/students/words.json), layer by layer; and the grader's
table, feedback and class summary around them. (The figures' words are the product's:
numpy_impl/plot.py's WORDS.)
"""

from __future__ import annotations

import re
from functools import cache
from typing import Dict, List, Pattern, Tuple

from reference.judge.zh import ZH
from reference.judge.zh_described import ZH_DESCRIBED

#: The languages there are, English first (the judge's own).
LANGUAGES = ("en", "zh")

TABLES: Dict[str, Dict[str, str]] = {"zh": {**ZH, **ZH_DESCRIBED}}

#: What a field is where the table says nothing else: any text within one clause.
ANY = r"(?:(?!; )[^*])+?"
#: What a field may be, where it is not any text: a quantity's or a function's name, a
#: count, a number as the judge prints it.
FIELDS = {"q": r"\w+", "q2": r"\w+", "name": r"\w+", "n": r"\d+", "total": r"\d+",
          "where": r"output|hidden|layer \d+", "layer": r"dL/dw\d", "x": r"[\w -]+",
          "span": r"| at .+?\)", "there": r"| there",
          "at": r" hidden units (?:(?!; ).)+", "units": r"[\d, ]+", "pixels": r"[\d, ]+",
          "words": r"(?:(?!; )[^*])+?", "one": r"\*(?:(?!; ).)+?", "other": r"\*(?:(?!; ).)+",
          "what": r".+", "named": r"(?:(?!; ).)+?", "letter": r"[ABC]", "seed": r"\d+",
          "k": r"-?[\d.]+(?:e[-+]?\d+)?", "c": r"-?[\d.]+(?:e[-+]?\d+)?",
          "factor": r"-?[\d.]+(?:e[-+]?\d+)?", "given": r"-?[\d.]+(?:e[-+]?\d+)?",
          "should": r"-?[\d.]+(?:e[-+]?\d+)?"}  # fmt: skip


@cache
def _patterns(language: str) -> List[Tuple[Pattern[str], str]]:
    """The table's English sentences as patterns (each field as :data:`FIELDS` says)."""
    found = []
    for english, own in TABLES[language].items():
        pattern = re.escape(english)
        for name in re.findall(r"\{(\w+)\}", english):
            field = FIELDS.get(name, ANY)
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>{field})", 1)
        literal = len(re.sub(r"\{\w+\}", "", english))
        found.append((literal, re.compile(pattern, re.DOTALL), own))
    # the sentence with the most words of its own first: the most particular that fits
    return [(pattern, own) for _, pattern, own in sorted(found, key=lambda p: -p[0])]


def said(line: str, language: str = "en") -> str:
    """``line`` in ``language``: as the table says it, or clause by clause (clauses
    joined by "; "), each as the table says it or as it was."""
    return line if language == "en" else _field(line, language, 0)


#: The fields that hold a submission's own words (its file's name, an exception's
#: message, what it defines): kept as they are, never read as the judge's sentences.
VERBATIM = frozenset({"file", "message", "detail", "functions", "function", "used", "error",
                      "types", "got", "want", "names", "args", "name",
                      "caller", "caller2", "callee", "callee2"})  # fmt: skip


def _clause(text: str, language: str, depth: int) -> str:
    """``text`` as the table says it (its fields too, each whole or clause by clause,
    but a submission's own words), or as it was; ``depth`` sentences inside others (a
    field read in turn), read no deeper than four (the judge's own nest three deep)."""
    for pattern, own in _patterns(language):
        found = pattern.fullmatch(text)
        if found is not None and depth <= 4:
            fields = {k: v if k in VERBATIM else _field(v, language, depth + 1)
                      for k, v in found.groupdict().items()}  # fmt: skip
            return own.format(**fields)
    return text


def _field(text: str, language: str, depth: int) -> str:
    """``text`` as the table says it, whole, or clause by clause."""
    whole = _clause(text, language, depth)
    if whole != text or "; " not in text:
        return whole
    return "；".join(_clause(c, language, depth) for c in text.split("; "))
