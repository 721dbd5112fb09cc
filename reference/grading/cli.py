"""The command line of ``scripts/grade.py``: grade a folder of submissions.

    python scripts/grade.py submissions/                       # every .py and .ipynb file there
    python scripts/grade.py a.py b.py:train_step --loss bce    # files, or file:function
    python scripts/grade.py submissions/ --json grades.json --csv grades.csv --feedback notes/
    python scripts/grade.py /autograder/submission --gradescope /autograder/results/results.json

Each submission runs apart (reference/sandbox/, in namespaces of its own where
bubblewrap works: ``--sandbox``), at most ``--timeout`` seconds and
``--memory`` bytes each, ``--jobs`` at a time, and is judged in this process
(reference/judge/). At the end: a table, one line per submission, and the
class summary. Exit status: 0 every submission correct, 1 any wrong or
unchecked, 2 a bad invocation (one line), 130 interrupted (Ctrl-C), 143 and
129 ended by SIGTERM and SIGHUP (one line each, every submission's process
ended).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Optional, Sequence, TextIO

from numpy_impl.options import (
    Ended,
    OneLineParser,
    UsageError,
    ended,
    ended_by_signals,
    error,
    interrupted,
)
from numpy_impl.progress import terminal_progress
from reference.grading.classroom import STAGES, grade, submissions, summarize
from reference.grading.gradebook import VISIBILITY, print_table, refused_on_gradescope, write_files
from reference.grading.single import Sandbox, asked_for
from reference.judge import LANGUAGES
from reference.sandbox import Limits
from reference.sandbox.isolation import WANTED, SandboxUnavailable, isolation
from reference.witnesses.losses import ARTICLE_LOSSES

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
        "paths", nargs="+", metavar="PATH", help="a .py or .ipynb file, FILE:FUNCTION, or a folder"
    )
    p.add_argument(
        "--function",
        default="backprop",
        help="the function to check (backprop);"
        " several by commas (backprop,back_prop): each file's is the first it defines",
    )
    p.add_argument(
        "--forward",
        default="",
        metavar="NAMES",
        help="judge the forward pass f(x, w1, w2) -> (a1, a2) too, by these names, by commas"
        " (forward,f_forward): each file's is the first it defines",
    )
    p.add_argument(
        "--loss", choices=ARTICLE_LOSSES, help="the loss (mse; the article's network only)"
    )
    p.add_argument(
        "--network",
        default="article",
        metavar="NAME|FILE.toml",
        help="the network the backprop is of: article (the default), article-bias,"
        " relu-softmax, columns, or a TOML file that describes one (docs/networks.md)",
    )
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds per submission (10)")
    p.add_argument("--memory", type=memory_size, default=2 * 2**30, help="per submission (2G)")
    p.add_argument("--jobs", type=jobs, default=os.cpu_count() or 1, help="at once (the cores)")
    p.add_argument(
        "--require",
        default="",
        metavar="PARTS",
        help="what must hold beyond both"
        " layers at hidden size 5: sizes, rows; and one shape: gradient or step (with"
        " --network: sizes, beyond every gradient)",
    )
    p.add_argument(
        "--points",
        default="",
        metavar="PART=N,...",
        help="each part's points (dw1, dw2, sizes, rows, and forward where --forward"
        " asks; 1 each): the score in the JSON, CSV and feedback",
    )
    p.add_argument("--json", metavar="PATH", help="write every verdict and the summary as JSON")
    p.add_argument("--csv", metavar="PATH", help="write one row per submission")
    p.add_argument("--feedback", metavar="DIR", help="write one Markdown file per submission")
    p.add_argument(
        "--gradescope",
        metavar="PATH",
        help="write one submission's results as"
        " Gradescope's results.json: the score, one test a part, the feedback",
    )
    p.add_argument(
        "--visibility",
        choices=VISIBILITY,
        default="visible",
        help="--gradescope: when the student sees the tests (visible)",
    )
    p.add_argument(
        "--language",
        choices=LANGUAGES,
        default="en",
        help="the feedback, Gradescope's words and the class summary in this language (en)",
    )
    p.add_argument("--sandbox", choices=WANTED, default="auto", help="auto: namespaces (bwrap)"
                   " where it works, else a plain process, said in one line; required: namespaces"
                   " or refuse; process: a plain process (auto)")  # fmt: skip
    return p


def _check_outputs(args: argparse.Namespace) -> None:
    for option, path in (("--json", args.json), ("--csv", args.csv),
                         ("--gradescope", args.gradescope)):  # fmt: skip
        if path is not None and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise UsageError(f"{option}: no such folder: {os.path.dirname(os.path.abspath(path))}")
    feedback = args.feedback
    if feedback is not None and os.path.exists(feedback) and not os.path.isdir(feedback):
        raise UsageError(f"--feedback: not a folder: {feedback}")


def main(
    argv: Optional[Sequence[str]] = None,
    out: Optional[TextIO] = None,
    runner: Optional[Sandbox] = None,
) -> int:
    """Grade; returns the exit status (0 all correct, 1 not, 2 bad invocation, 130 Ctrl-C,
    143 SIGTERM, 129 SIGHUP)."""
    try:
        with ended_by_signals():
            return graded(build_parser().parse_args(argv), out or sys.stdout, runner)
    except (UsageError, ValueError, SandboxUnavailable) as err:
        return error(str(err))
    except OSError as err:
        return error(f"{err.filename}: {err.strerror}")
    except KeyboardInterrupt:
        return interrupted()
    except Ended as err:
        return ended(err)


def graded(args: argparse.Namespace, out: TextIO, runner: Optional[Sandbox]) -> int:
    """Grade the class ``args`` names; its files written, its table shown."""
    _check_outputs(args)
    asked = asked_for(args.network, args.loss, args.require, args.points)
    network, contract = asked.network, asked.contract
    if network is not None and args.forward:
        raise UsageError("--forward goes with the article's network f(x, w1, w2)")
    given = submissions(args.paths, args.function)
    if args.gradescope and len(given) != 1:
        why = f"--gradescope: Gradescope grades one submission; {len(given)} given"
        refused_on_gradescope(args.gradescope, why)  # the student sees why, not a failure
        raise UsageError(why)
    notice = isolation(args.sandbox).notice
    if notice:
        print(notice, file=sys.stderr)
    progress = terminal_progress(STAGES) if sys.stderr.isatty() else None
    limits = Limits(timeout=args.timeout, memory=args.memory)
    verdicts = grade(given, args.loss or "mse", limits, args.jobs, progress, runner=runner,
                     sandbox=args.sandbox, contract=contract, forward=args.forward,
                     network=network)  # fmt: skip
    summary = summarize(verdicts)
    write_files(args, verdicts, summary)
    print_table(verdicts, summary, out, args.language)
    return 0 if summary.all_correct else 1
