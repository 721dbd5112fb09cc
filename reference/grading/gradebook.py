"""What a grading shows and writes: the table, the JSON, the CSV and each student's feedback.

The verdicts are :mod:`reference.grading.classroom`'s; nothing here judges.
What a submission controls (its file's name, what it printed, the messages
of what it raised) is made inert wherever it lands (:func:`inert`): every
control character written out as an escape, so that no terminal code runs on
the teacher's screen; in the CSV no cell a spreadsheet would read as a
formula; in the feedback no Markdown of its own: its name and messages in
code spans, its printed output in a code block, each fenced by more
backticks than it holds (no link is made of a name or an address there).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set, TextIO

from numpy_impl.files import write_atomically
from numpy_impl.options import inert
from reference.grading.classroom import Summary, Verdict
from reference.judge import NOT_WRITTEN, said


def code(text: str) -> str:
    """``text`` as inline code, its fence longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{inert(text)}{pad}{fence}"


def cell(value: Any) -> Any:
    """A CSV cell: text inert, and never read as a formula (a leading =, +, - or @ is
    quoted with an apostrophe, as spreadsheets document)."""
    if not isinstance(value, str):
        return value
    text = inert(value, lines=True)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def fenced(text: str) -> List[str]:
    """``text`` as a code block whose fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", inert(text, lines=True), fence]


def short(v: Verdict, language: str = "en") -> str:
    """What a submission got, in a few words: its mistakes, or why it was not checked."""

    def t(words: str) -> str:
        return said(words, language)

    if v.status == "correct":
        float32 = v.diagnosis is not None and v.diagnosis.precision == "float32"
        return t("correct (float32)" if float32 else "correct")
    if v.status == "unchecked":
        return f"{t(v.reason or '')}: {t(v.message)}"
    parts = [t(m) for m in v.mistakes]
    label = "d" if v.network is not None else "dL/d"
    parts += [t(f"{label}{layer}: nothing in the catalogue") for layer in v.unmatched]
    return ", ".join(parts)


def _wide(text: str) -> int:
    """How many columns ``text`` takes on a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _padded(text: str, width: int, right: bool = False) -> str:
    room = " " * max(0, width - _wide(text))
    return room + text if right else text + room


def print_table(
    verdicts: Sequence[Verdict], summary: Summary, out: TextIO, language: str = "en"
) -> None:
    """The class, a line a submission, and the summary, in ``language``."""

    def t(words: str) -> str:
        return said(words, language)

    names = shown_names(verdicts)
    # where the forward pass was judged too, its status in a column of its own
    forwards = [t(v.forward.status) if v.forward is not None else "" for v in verdicts]
    statuses = [t(v.status) for v in verdicts]
    heads = [t(h) for h in ("submission", "status", "forward", "seconds", "what")]
    widths = [
        max(_wide(x) for x in [heads[0], *names]),
        max([9, *(_wide(x) for x in [heads[1], *statuses])]),  # "unchecked" fits, always
        max(_wide(x) for x in [heads[2], *forwards]) if any(forwards) else 0,
        max(_wide(heads[3]), 7),
    ]
    shown = [0, 1, *([2] if widths[2] else []), 3]
    line = [_padded(heads[k], widths[k], right=k == 3) for k in shown] + [heads[4]]
    print("  ".join(line), file=out)
    for v, name, status, forward in zip(verdicts, names, statuses, forwards):
        cells = [name, status, forward, f"{v.seconds:.2f}"]
        line = [_padded(cells[k], widths[k], right=k == 3) for k in shown]
        print("  ".join([*line, inert(short(v, language))[:160]]), file=out)
    reasons = (
        f" ({', '.join(f'{t(r)} {n}' for r, n in summary.reasons)})" if summary.reasons else ""
    )
    counted = (
        f"{summary.correct} of {summary.submissions} correct; {summary.wrong} wrong, "
        f"{summary.unchecked} unchecked{reasons}"
    )
    print("\n" + t(counted), file=out)
    if summary.mistakes:
        shown_mistakes = ", ".join(f"{t(name)} ({n})" for name, n in summary.mistakes)
        print(t(f"most common mistakes: {shown_mistakes}"), file=out)
    if summary.outside:
        said_outside = f"outside the catalogue: {summary.outside} (see each one's words)"
        print(said(said_outside, language), file=out)
    if summary.forwards:
        judged = f"forward passes: {summary.forwards_correct} of {summary.forwards} correct"
        print(said(judged, language), file=out)


def as_json(v: Verdict) -> Dict[str, Any]:
    found = v.diagnosis.as_dict() if v.diagnosis is not None else None
    return {
        "file": v.file,
        "function": v.function,
        "status": v.status,
        "score": v.score,
        "max_score": v.max_score,
        "parts": (found["parts"] if found else []) + _forward_part(v),
        "reason": v.reason,
        "message": v.message or None,
        "line": v.line,
        "loss": v.loss,
        "precision": found["precision"] if found else None,
        "layers": found["layers"] if found else [],
        "origin": found["origin"] if found else None,
        "pointer": found["pointer"] if found else None,
        "notes": found["notes"] if found else [],
        "mistakes": v.mistakes,
        "output": v.output,
        "output_length": v.output_length,
        "seconds": v.seconds,
        "forward": asdict(v.forward) if v.forward is not None else None,
        **({"network": v.network.name} if v.network is not None else {}),
    }


def _forward_part(v: Verdict) -> List[Dict[str, Any]]:
    """The forward pass as a part of the JSON's, where it was judged."""
    if v.forward is None:
        return []
    holds = v.forward.status == "correct"
    worth = v.contract.forward
    return [{"part": "forward", "holds": holds, "required": True,
             "points": worth if holds else 0.0, "of": worth}]  # fmt: skip


def summary_json(summary: Summary) -> Dict[str, Any]:
    return {
        "submissions": summary.submissions,
        "correct": summary.correct,
        "wrong": summary.wrong,
        "unchecked": summary.unchecked,
        "mistakes": dict(summary.mistakes),
        "reasons": dict(summary.reasons),
        "outside_catalogue": summary.outside,
        **(
            {"forwards": summary.forwards, "forwards_correct": summary.forwards_correct}
            if summary.forwards
            else {}
        ),
    }


CSV_FIELDS = ["file", "function", "status", "score", "max_score", "reason", "message", "line",
              "loss", "precision", "w1_mistakes", "w2_mistakes", "origin", "seconds",
              "output"]  # fmt: skip


#: The CSV's columns where the forward pass was judged too.
FORWARD_FIELDS = ["forward_function", "forward", "forward_words"]


def csv_row(v: Verdict) -> Dict[str, Any]:
    data = as_json(v)
    row = {k: data[k] for k in CSV_FIELDS if k in data}
    for number in (1, 2):  # a described network's: every array of that layer
        found = [m for x in data["layers"] if _layer_of(v, x["layer"]) == number
                 for m in x["mistakes"]]  # fmt: skip
        row[f"w{number}_mistakes"] = "; ".join(dict.fromkeys(found))
    row["seconds"] = f"{v.seconds:.3f}"
    if v.forward is not None:
        row["forward_function"], row["forward"] = v.forward.function, v.forward.status
        row["forward_words"] = "; ".join(v.forward.lines)
    return {k: cell(value) for k, value in row.items()}


def _layer_of(v: Verdict, weight: str) -> int:
    """The layer a weight is in: 'w1' is 1; a described network's 'b2' is 2."""
    return v.network.place(weight)[1] if v.network is not None else int(weight[1:])


def feedback(v: Verdict, language: str = "en") -> str:
    """A student's feedback, in Markdown, in ``language`` (reference/judge/languages.py):
    what was checked, what it found, what to look at. Only the differences are
    described, never the reference gradient."""

    def t(sentence: str) -> str:
        return said(sentence, language)

    def ending(sentence: str) -> str:  # a sentence of the judge's, as a sentence
        if language != "en":
            return t(sentence) + "。"
        return sentence[0].upper() + sentence[1:] + "."

    name = code(Path(v.file).name)
    lines = [t(f"# Feedback on {name}"), "",
             t(f"The function checked: {code(v.function)}, against {v.loss_words}."),
             ""]  # fmt: skip
    if v.status == "unchecked":
        lines += [t("**Not checked:**") + " " + code(t(v.message)), ""]
        advice = {**ADVICE, **(NETWORK_ADVICE if v.network is not None else {})}
        names = v.network
        todo = advice.get(v.reason or "", "").format(
            function=code(v.function), params=", ".join(names.parameters) if names else "",
            returns=", ".join(names.returns) if names else "",
        )  # fmt: skip
        lines += [t(todo), ""]
    else:
        found = v.diagnosis
        assert found is not None
        verdict = "**Correct.**" if v.status == "correct" else "**Not yet correct.**"
        lines += [t(verdict), "", t(f"Score: {v.score:g} of {v.max_score:g}."), ""]
        lines += [code(t(v.message)), ""] if v.message else []  # the forward pass first
        lines += [f"- {t(layer.words)}" for layer in found.layers]
        if found.pointer:
            lines += ["", ending(found.pointer)]
        if found.short_of_parts:
            lines += ["", ending(found.verdict)]
        lines += [""] + [t(f"Note: {n.words}") + (f": {code(n.said)}" if n.said else "")
                         for n in found.notes]  # fmt: skip
    if v.forward is not None:
        lines += ["", t(f"The forward pass checked: {code(v.forward.function)}."), "",
                  t(f"**{FORWARD_SAID[v.forward.status]}**"), ""]  # fmt: skip
        lines += [f"- {code(t(line))}" for line in v.forward.lines]
    if v.output_length:
        cut = f" (the first {len(v.output):,} of {v.output_length:,} characters)"
        cut = cut if v.output_length > len(v.output) else ""
        lines += ["", t(f"What it printed{cut}:"), "", *fenced(v.output.rstrip())]
    return "\n".join(lines).rstrip() + "\n"


#: What to do, by why a submission was not checked ({function}: its function's name).
ADVICE = {
    "timeout": "Make sure the file loads and the function returns quickly: no endless loop,"
    " no waiting for input.",
    "exited": "Do not call `sys.exit`, `exit()` or `os._exit` in the file or the function.",
    "crashed": "The program crashed; check any C code, ctypes or extension you call.",
    "raised": "Run your function on the article's inputs yourself and read the traceback.",
    "memory": "The function asked for far more memory than the network needs.",
    "syntax": "Fix the line Python cannot read.",
    "missing": "Name the function {function} and give it the parameters (x, y, w1, w2) or"
    " (x, y, w1, w2, alpha).",
    "unreadable": "Hand in the file itself (a .py file, or the notebook as Jupyter saved it),"
    " not a link.",
    "bad-output": "Return two arrays, (dw1, dw2), shaped like w1 and w2.",
    "copied": "Write the gradients yourself, by the chain rule: the project's own code"
    " computes the answer you are asked for, and is not yours to call. (A notebook"
    " exported to a .py file keeps its checks' import: hand in the notebook.)",
}


#: The advice that differs for a network a teacher describes ({params}, {returns}: its own).
NETWORK_ADVICE = {
    "raised": "Run your function on a small batch of the network's inputs yourself and read the"
    " traceback.",
    "missing": "Name the function {function} and give it the parameters ({params}).",
    "bad-output": "Return a tuple ({returns}), each shaped like its parameter.",
}


#: A forward pass's status, as its feedback says it.
FORWARD_SAID = {"correct": "Correct.", "wrong": "Not yet correct.", "unchecked": "Not checked.",
                NOT_WRITTEN: "Not written yet."}  # fmt: skip

#: Who sees a result on Gradescope, and when (its autograder specification's settings).
VISIBILITY = ("visible", "hidden", "after_due_date", "after_published")


def gradescope(v: Verdict, visibility: str = "visible", language: str = "en") -> Dict[str, Any]:
    """One submission's results as Gradescope's autograder reads them (results.json):
    its score, one test a part (its points of its worth, passed or failed, and why, in
    words; shown as ``visibility`` says), and the feedback as Markdown."""
    layers = (
        {f"d{layer.name}": layer.words for layer in v.diagnosis.layers}
        if (v.diagnosis is not None)
        else {}
    )  # a layer's part: "w1" is the part "dw1"
    tests = []
    for index, entry in enumerate(_parts(v), start=1):
        name = entry["part"]
        if v.diagnosis is None:
            why = f"not checked: {v.reason}"
        elif name in layers:
            why = layers[name]
        elif entry["holds"]:
            why = "right at every point of this part"
        elif all(layer.correct for layer in v.diagnosis.layers):
            why = v.diagnosis.verdict
        else:
            wrong = [f"d{layer.name}" for layer in v.diagnosis.layers if not layer.correct]
            named = wrong if v.network is not None else [f"dL/{k}" for k in layers]
            why = "not right yet: see " + " and ".join(named)
        required = " (required)" if entry["required"] else ""
        tests.append({
            "name": said(f"{v.contract.words[name]}{required}", language), "number": str(index),
            "score": entry["points"], "max_score": entry["of"],
            "status": "passed" if entry["holds"] else "failed",
            "output": inert(said(why, language), lines=True), "output_format": "text",
            "visibility": visibility,
        })  # fmt: skip
    if v.forward is not None:
        right = v.forward.status == "correct"
        tests.append({
            "name": said(f"the forward pass, {v.forward.function}", language),
            "number": str(len(tests) + 1),
            "score": v.contract.forward if right else 0.0, "max_score": v.contract.forward,
            "status": "passed" if right else "failed",
            "output": inert("; ".join([v.forward.status, *v.forward.lines]), lines=True),
            "output_format": "text", "visibility": visibility,
        })  # fmt: skip
    return {
        "score": float(v.score), "execution_time": round(v.seconds, 3),
        "output": feedback(v, language), "output_format": "md",
        "visibility": visibility, "stdout_visibility": "hidden", "tests": tests,
    }  # fmt: skip


def refused_on_gradescope(path: str, why: str) -> None:
    """A results.json that gives no points and says ``why`` (the submission could not be
    graded at all: Gradescope shows a failed autograder otherwise, with no reason)."""
    with write_atomically(path) as f:
        f.write(json.dumps({"score": 0.0, "output": why, "output_format": "text",
                            "tests": []}, indent=1).encode())  # fmt: skip


def _parts(v: Verdict) -> List[Dict[str, Any]]:
    """Each part of the verdict as the JSON has it; none holding when it was not checked."""
    if v.diagnosis is not None:
        return list(v.diagnosis.as_dict()["parts"])
    return [{"part": p, "holds": False, "required": p in v.contract.required, "points": 0.0,
             "of": v.contract.points[p]} for p in v.contract.points]  # fmt: skip


def write_files(args: argparse.Namespace, verdicts: List[Verdict], summary: Summary) -> None:
    """The files asked for: ``--json``, ``--csv``, ``--feedback``, ``--gradescope`` (one
    submission's)."""
    if args.gradescope:
        (one,) = verdicts
        with write_atomically(args.gradescope) as f:
            f.write(json.dumps(gradescope(one, args.visibility, args.language), indent=1).encode())
    if args.json:
        payload = {"submissions": [as_json(v) for v in verdicts], "summary": summary_json(summary)}
        with write_atomically(args.json) as f:
            f.write(json.dumps(payload, indent=1).encode())
    if args.csv:
        with write_atomically(args.csv) as f:
            judged = any(v.forward is not None for v in verdicts)
            text = _csv_text([csv_row(v) for v in verdicts], CSV_FIELDS + FORWARD_FIELDS * judged)
            f.write(text.encode())
    if args.feedback:
        os.makedirs(args.feedback, exist_ok=True)
        for v, name in zip(verdicts, feedback_names(verdicts)):
            with write_atomically(os.path.join(args.feedback, name)) as f:
                f.write(feedback(v, args.language).encode())


#: Bytes of a submission's name kept in its feedback file's name (with room for a
#: number, ".md" and the temporary name it is written under first).
STEM_BYTES = 160


def feedback_names(verdicts: Sequence[Verdict]) -> List[str]:
    """One file name per submission: its own stem (its first STEM_BYTES bytes) and
    ``.md``, a number added where that name is taken already (by another submission,
    or by such a number)."""
    taken: Set[str] = set()
    names = []
    for v in verdicts:
        stem, count = Path(v.file).stem, 1
        while len(os.fsencode(stem)) > STEM_BYTES:  # a file name has room for 255 bytes
            stem = stem[:-1]
        name = f"{stem}.md"
        while name in taken:
            count += 1
            name = f"{stem}-{count}.md"
        taken.add(name)
        names.append(name)
    return names


def shown_names(verdicts: Sequence[Verdict]) -> List[str]:
    """Each submission's name in the table: its file's name, or where two share one, as
    much of its path as tells them apart; its function when it is not backprop."""
    parts = [Path(v.file).parts for v in verdicts]
    names = []
    for v, own in zip(verdicts, parts):
        depth = 1
        while depth < len(own) and sum(p[-depth:] == own[-depth:] for p in parts) > 1:
            depth += 1
        shown = "/".join(own[-depth:])
        names.append(inert(shown + ("" if v.function == "backprop" else f":{v.function}")))
    return names


def _csv_text(rows: List[Dict[str, Any]], fields: List[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
