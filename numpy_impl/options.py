"""The command line's building blocks, shared by ``python -m numpy_impl``,
``scripts/diff_gradients.py`` and ``scripts/grade.py``.

Every mistake in the input is one line on stderr and exit status 2: argparse's
own errors (:class:`OneLineParser`), :class:`UsageError`, and the library's
``ValueError`` for a value it refuses (each setting is checked once, by the
library: the command line only parses).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import unicodedata
from typing import Any, Dict, Iterator, NoReturn, Optional

from numpy_impl.checks import DTYPES, INITS, RULES
from numpy_impl.network import ARTICLE_SETTINGS
from numpy_impl.settings import NAMES

#: The shell's exit status for a program ended by SIGINT (Ctrl-C).
INTERRUPTED = 128 + 2


def inert(text: str, lines: bool = False) -> str:
    """``text`` with every control or format character (and a byte of a file name that
    was not UTF-8) written out as an escape (\\x1b, \\u202e); ``lines``: newlines and
    tabs kept."""
    out = []
    for ch in text:
        point = ord(ch)
        if lines and ch in "\n\t":
            out.append(ch)
        elif 0xDC80 <= point <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{point - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}")
        else:
            out.append(ch)
    return "".join(out)


def error(message: str, status: int = 2) -> int:
    """Say what went wrong in one line on stderr (its control characters written out:
    it may quote a file's own words); return the exit status (2: bad input)."""
    print(f"error: {inert(message)}", file=sys.stderr)
    return status


def interrupted() -> int:
    """Ctrl-C: one line (over the progress bar, on a terminal) and the shell's status 130."""
    clear = "\r\033[K" if sys.stderr.isatty() else ""  # "\r" + erase-line
    print(f"{clear}interrupted", file=sys.stderr)
    return INTERRUPTED


class Ended(BaseException):
    """The command was asked to end by a signal (SIGTERM, SIGHUP), as Ctrl-C raises
    KeyboardInterrupt: a BaseException, so that no ``except Exception`` stops it."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


@contextlib.contextmanager
def ended_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Ended` while the block runs (in the main
    thread), so that a command ends as on Ctrl-C: what it started ended, one line."""

    def end(number: int, _: Any) -> None:
        raise Ended(number)

    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {n: signal.signal(n, end) for n in numbers}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def ended(err: Ended) -> int:
    """A signal's end: one line, and the shell's status for it (143 SIGTERM, 129 SIGHUP)."""
    clear = "\r\033[K" if sys.stderr.isatty() else ""
    print(f"{clear}ended ({err})", file=sys.stderr)
    return 128 + err.number


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def network_options() -> OneLineParser:
    """The options that say which network and how it learns, shared (as an
    argparse parent) by ``train``, ``sweep`` and scripts/diff_gradients.py.

    Only their form is checked here; their values are checked by the library,
    whose ValueError becomes one line and exit status 2.
    """
    a = ARTICLE_SETTINGS
    options = OneLineParser(add_help=False)
    options.add_argument("--seed", type=int, default=a["seed"], help="random seed (default 0)")
    options.add_argument(
        "--init",
        choices=INITS,
        default=a["init"],
        help="article: the article's legacy draws; normal: default_rng",
    )
    options.add_argument(
        "--rule",
        choices=RULES,
        default=a["rule"],
        help="article: d2 = a2 - y (BCE gradient); mse: exact MSE gradient",
    )
    options.add_argument("--alpha", type=float, default=a["alpha"], help="learning rate (0.01)")
    options.add_argument("--hidden", type=int, default=a["hidden"], help="hidden units (5)")
    options.add_argument(
        "--batch-size",
        type=int,
        default=a["batch_size"],
        help="samples per SGD step, 1..3 (1: the article's per-sample loop; 3: full batch)",
    )
    options.add_argument("--dtype", choices=DTYPES, default=a["dtype"])
    return options


def settings_of(args: argparse.Namespace) -> Dict[str, Any]:
    """The eight settings of a run (numpy_impl.settings.Settings) as parsed, by name."""
    return {name: getattr(args, name) for name in NAMES}


def check_output_path(option: str, path: Optional[str], suffix: str) -> None:
    """Check, before any work is done, that ``path`` (given as ``option``) can be
    written: its suffix, its folder, and matplotlib for a .png."""
    if path is None:
        return
    if not path.endswith(suffix):
        raise UsageError(f"{option} must name a {suffix} file, got {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"{option}: no such folder: {folder}")
    if suffix == ".png":
        from numpy_impl.plot import pyplot

        pyplot()  # raises PlottingUnavailable now rather than after training
