"""The command line of ``scripts/grade.py``: grade a folder of submissions.

    python scripts/grade.py submissions/                       # every .py file there
    python scripts/grade.py a.py b.py:train_step --loss bce    # files, or file:function
    python scripts/grade.py submissions/ --json grades.json --csv grades.csv --feedback notes/

Each submission runs apart (reference/runner.py), at most ``--timeout``
seconds and ``--memory`` bytes each, ``--jobs`` at a time, and is judged in
this process (reference/diagnose.py). At the end: a table, one line per
submission, and the class summary. Exit status: 0 every submission correct,
1 any wrong or unchecked, 2 a bad invocation (one line), 130 interrupted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, TextIO

from numpy_impl.options import OneLineParser, UsageError, error, interrupted
from numpy_impl.progress import terminal_progress
from reference.judge.catalogue import LOSSES
from reference.grading.classroom import STAGES, Summary, Verdict, grade, submissions, summarize
from reference.sandbox.runner import Limits

UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def memory_size(text: str) -> Optional[int]:
    """'2G', '512MiB', '1500000' -> bytes; 'none' -> None (no cap)."""
    if text.lower() == "none":
        return None
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not found or float(found.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a memory size: {text!r} (say 2G, 512M or none)")
    return int(float(found.group(1)) * UNITS[found.group(2)])


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"not a time limit in seconds: {text!r}")
    return value


def jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number >= 1, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="grade",
        description="Grade a class: every submission run apart, timed, and judged in words.",
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="a .py file, FILE.py:FUNCTION, or a folder"
    )
    p.add_argument("--function", default="backprop", help="the function to check (backprop)")
    p.add_argument("--loss", choices=tuple(LOSSES), default="mse", help="the loss (mse)")
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds per submission (10)")
    p.add_argument("--memory", type=memory_size, default=2 * 2**30, help="per submission (2G)")
    p.add_argument("--jobs", type=jobs, default=os.cpu_count() or 1, help="at once (the cores)")
    p.add_argument("--json", metavar="PATH", help="write every verdict and the summary as JSON")
    p.add_argument("--csv", metavar="PATH", help="write one row per submission")
    p.add_argument("--feedback", metavar="DIR", help="write one Markdown file per submission")
    return p


# --- What is shown and written ------------------------------------------------


def short(v: Verdict) -> str:
    """What a submission got, in a few words: its mistakes, or why it was not checked."""
    if v.status == "correct":
        return "correct" + (
            " (float32)" if v.diagnosis and v.diagnosis.precision == "float32" else ""
        )
    if v.status == "unchecked":
        return f"{v.reason}: {v.message}"
    parts = v.mistakes + [f"dL/d{layer}: nothing in the catalogue" for layer in v.unmatched]
    return ", ".join(parts)


def print_table(verdicts: Sequence[Verdict], summary: Summary, out: TextIO) -> None:
    width = max(len(Path(v.file).name) for v in verdicts)
    print(f"{'submission':{width}s}  {'status':9s}  {'seconds':>7s}  what", file=out)
    for v in verdicts:
        name = Path(v.file).name + ("" if v.function == "backprop" else f":{v.function}")
        print(f"{name:{width}s}  {v.status:9s}  {v.seconds:7.2f}  {short(v)[:160]}", file=out)
    print(
        f"\n{summary.correct} of {summary.submissions} correct; {summary.wrong} wrong, "
        f"{summary.unchecked} unchecked"
        + (f" ({', '.join(f'{r} {n}' for r, n in summary.reasons)})" if summary.reasons else ""),
        file=out,
    )
    if summary.mistakes:
        shown = ", ".join(f"{name} ({n})" for name, n in summary.mistakes)
        print(f"most common mistakes: {shown}", file=out)
    if summary.outside:
        print(f"outside the catalogue: {summary.outside} (see each one's words)", file=out)


def as_json(v: Verdict) -> Dict[str, Any]:
    found = v.diagnosis.as_dict() if v.diagnosis is not None else None
    return {
        "file": v.file,
        "function": v.function,
        "status": v.status,
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
    }


def summary_json(summary: Summary) -> Dict[str, Any]:
    return {
        "submissions": summary.submissions,
        "correct": summary.correct,
        "wrong": summary.wrong,
        "unchecked": summary.unchecked,
        "mistakes": dict(summary.mistakes),
        "reasons": dict(summary.reasons),
        "outside_catalogue": summary.outside,
    }


CSV_FIELDS = ["file", "function", "status", "reason", "message", "line", "loss", "precision",
              "w1_mistakes", "w2_mistakes", "origin", "seconds", "output"]  # fmt: skip


def csv_row(v: Verdict) -> Dict[str, Any]:
    data = as_json(v)
    row = {k: data[k] for k in CSV_FIELDS if k in data}
    for layer in ("w1", "w2"):
        found = [x for x in data["layers"] if x["layer"] == layer]
        row[f"{layer}_mistakes"] = "; ".join(found[0]["mistakes"]) if found else ""
    row["seconds"] = f"{v.seconds:.3f}"
    return row


def feedback(v: Verdict) -> str:
    """A student's feedback, in Markdown: what was checked, what it found, what to
    look at. Only the differences are described, never the reference gradient."""
    name = Path(v.file).name
    lines = [f"# Feedback on {name}", "", f"The function checked: `{v.function}`, against "
             f"{LOSSES[v.loss]}.", ""]  # fmt: skip
    if v.status == "unchecked":
        lines += ["**Not checked.** " + v.message + ".", ""]
        advice = {
            "timeout": "Make sure the file loads and the function returns quickly: no endless loop,"
            " no waiting for input.",
            "exited": "Do not call `sys.exit`, `exit()` or `os._exit` in the file or the function.",
            "crashed": "The program crashed; check any C code, ctypes or extension you call.",
            "raised": "Run your function on the article's inputs yourself and read the traceback.",
            "memory": "The function asked for far more memory than the network needs.",
            "syntax": "Fix the line Python cannot read.",
            "missing": f"Name the function `{v.function}` and give it the parameters"
            " (x, y, w1, w2) or (x, y, w1, w2, alpha).",
            "bad-output": "Return two arrays, (dw1, dw2), shaped like w1 and w2.",
        }
        lines += [advice.get(v.reason or "", ""), ""]
    else:
        found = v.diagnosis
        assert found is not None
        verdict = "**Correct.**" if v.status == "correct" else "**Not yet correct.**"
        lines += [verdict, ""]
        lines += [f"- {layer.words}" for layer in found.layers]
        if found.pointer:
            lines += ["", found.pointer[0].upper() + found.pointer[1:] + "."]
        lines += [""] + [f"Note: {n}" for n in found.notes]
    if v.output_length:
        cut = f" (the first {len(v.output):,} of {v.output_length:,} characters)"
        cut = cut if v.output_length > len(v.output) else ""
        lines += ["", f"What it printed{cut}:", "", "```text", v.output.rstrip(), "```"]
    return "\n".join(lines).rstrip() + "\n"


def write_files(args: argparse.Namespace, verdicts: List[Verdict], summary: Summary) -> None:
    from numpy_impl.files import write_atomically

    if args.json:
        payload = {"submissions": [as_json(v) for v in verdicts], "summary": summary_json(summary)}
        with write_atomically(args.json) as f:
            f.write(json.dumps(payload, indent=1).encode())
    if args.csv:
        with write_atomically(args.csv) as f:
            text = _csv_text([csv_row(v) for v in verdicts])
            f.write(text.encode())
    if args.feedback:
        os.makedirs(args.feedback, exist_ok=True)
        names: Dict[str, int] = {}
        for v in verdicts:
            stem = Path(v.file).stem
            names[stem] = names.get(stem, 0) + 1
            unique = stem if names[stem] == 1 else f"{stem}-{names[stem]}"
            with write_atomically(os.path.join(args.feedback, f"{unique}.md")) as f:
                f.write(feedback(v).encode())


def _csv_text(rows: List[Dict[str, Any]]) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _check_outputs(args: argparse.Namespace) -> None:
    for option, path in (("--json", args.json), ("--csv", args.csv)):
        if path is not None and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise UsageError(f"{option}: no such folder: {os.path.dirname(os.path.abspath(path))}")
    feedback = args.feedback
    if feedback is not None and os.path.exists(feedback) and not os.path.isdir(feedback):
        raise UsageError(f"--feedback: not a folder: {feedback}")


def main(argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None) -> int:
    """Grade; returns the exit status (0 all correct, 1 not, 2 bad invocation, 130 Ctrl-C)."""
    out = out if out is not None else sys.stdout
    try:
        args = build_parser().parse_args(argv)
        _check_outputs(args)
        given = submissions(args.paths, args.function)
        progress = terminal_progress(STAGES) if sys.stderr.isatty() else None
        limits = Limits(timeout=args.timeout, memory=args.memory)
        verdicts = grade(given, args.loss, limits, args.jobs, progress)
        summary = summarize(verdicts)
        write_files(args, verdicts, summary)
    except (UsageError, ValueError) as err:
        return error(str(err))
    except OSError as err:
        return error(f"{err.filename}: {err.strerror}")
    except KeyboardInterrupt:
        return interrupted()
    print_table(verdicts, summary, out)
    return 0 if summary.correct == summary.submissions else 1
