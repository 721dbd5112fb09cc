"""The command line: ``python -m numpy_impl train | predict | show``.

Every mistake in the input ends the program with one line on stderr and exit
status 2, before anything is written.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Any, List, NoReturn, Optional, Sequence, TextIO

import numpy as np

from numpy_impl import data, network
from numpy_impl.network import ARTICLE_SETTINGS, TrainingDiverged, TrainResult
from numpy_impl.plot import PlottingUnavailable
from numpy_impl.weights_file import WeightsFileError, load_weights, save_weights

PRINT_EVERY = 1000  # the article prints the loss every 1000 epochs


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"seed must be in 0..{2**32 - 1}, got {value}")
    return value


def _alpha(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"alpha must be a finite number > 0, got {text}")
    return value


def _letter(text: str) -> str:
    if text.upper() not in data.LETTERS:
        raise argparse.ArgumentTypeError(
            f"unknown letter {text!r}: choose one of {', '.join(data.LETTERS)}"
        )
    return text.upper()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="numpy_impl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = ARTICLE_SETTINGS

    train = commands.add_parser("train", help="train the network (default: the article's job)")
    train.add_argument("--seed", type=_seed, default=a["seed"], help="random seed (default 0)")
    train.add_argument(
        "--init",
        choices=network.INITS,
        default=a["init"],
        help="article: the article's legacy draws; normal: default_rng",
    )
    train.add_argument(
        "--rule",
        choices=network.RULES,
        default=a["rule"],
        help="article: d2 = a2 - y (BCE gradient); mse: exact MSE gradient",
    )
    train.add_argument("--alpha", type=_alpha, default=a["alpha"], help="learning rate (0.01)")
    train.add_argument("--epochs", type=_positive_int, default=a["epochs"], help="(15000)")
    train.add_argument("--hidden", type=_positive_int, default=a["hidden"], help="hidden units (5)")
    train.add_argument("--dtype", choices=network.DTYPES, default=a["dtype"])
    train.add_argument("--save", metavar="PATH.npz", help="write weights, loss and settings")
    train.add_argument("--quiet", action="store_true", help="print nothing but errors")

    predict = commands.add_parser("predict", help="run saved weights on the letters or a bitmap")
    predict.add_argument("--weights", required=True, metavar="PATH.npz")
    predict.add_argument(
        "--bitmap",
        nargs="+",
        metavar="DIGITS",
        help="30 digits 0/1, or 5 rows of 6 (e.g. 001100 010010 ...)",
    )

    show = commands.add_parser("show", help="draw a letter in the terminal (or a PNG)")
    show.add_argument("letter", type=_letter, help="A, B or C")
    show.add_argument("--png", metavar="PATH.png", help="also draw it with matplotlib")
    return parser


def _print_predictions(
    rows: np.ndarray, names: List[str], w1: np.ndarray, w2: np.ndarray, out: TextIO
) -> None:
    outputs, letters = network.predict(rows, w1, w2)
    for name, values, letter in zip(names, outputs, letters):
        shown = " ".join(f"{v:.6f}" for v in values)
        print(f"{name}: outputs [{shown}] -> predicted {letter}", file=out)


def _cmd_train(args: argparse.Namespace, out: TextIO) -> None:
    if args.save:
        if not args.save.endswith(".npz"):
            raise UsageError(f"--save must name a .npz file, got {args.save!r}")
        folder = os.path.dirname(os.path.abspath(args.save))
        if not os.path.isdir(folder):
            raise UsageError(f"--save: no such folder: {folder}")
    result: TrainResult = network.train(
        epochs=args.epochs,
        alpha=args.alpha,
        hidden=args.hidden,
        rule=args.rule,
        init=args.init,
        seed=args.seed,
        dtype=args.dtype,
    )
    if args.save:
        save_weights(args.save, result)
    if args.quiet:
        return
    for epoch in range(0, args.epochs, PRINT_EVERY):
        print(f"epoch {epoch:>6}  loss {result.loss[epoch]:.10f}", file=out)
    print("training complete", file=out)
    letters, _ = data.dataset(result.w1.dtype)
    _print_predictions(letters, list(data.LETTERS), result.w1, result.w2, out)
    if args.save:
        print(f"saved to {args.save}", file=out)


def _cmd_predict(args: argparse.Namespace, out: TextIO) -> None:
    rows: np.ndarray[Any, Any]
    if args.bitmap:
        try:
            rows = data.parse_bitmap(" ".join(args.bitmap)).reshape(1, -1)
        except ValueError as err:
            raise UsageError(f"--bitmap: {err}") from None
        names = ["bitmap"]
    else:
        rows, _ = data.dataset()
        names = list(data.LETTERS)
    saved = load_weights(args.weights)
    _print_predictions(rows, names, saved.w1, saved.w2, out)


def _cmd_show(args: argparse.Namespace, out: TextIO) -> None:
    pixels = data.bitmap(args.letter)
    if args.png:
        from numpy_impl.plot import save_bitmap_png

        save_bitmap_png(pixels, args.png, title=f"the letter {args.letter}")
    print(data.render(pixels), file=out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 training diverged, 2 bad input)."""
    commands = {"train": _cmd_train, "predict": _cmd_predict, "show": _cmd_show}
    try:
        args = build_parser().parse_args(argv)
        commands[args.command](args, sys.stdout)
    except (UsageError, WeightsFileError, PlottingUnavailable, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # e.g. a --png path in a folder that cannot be written
        print(f"error: {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"error: training diverged: {err}", file=sys.stderr)
        return 1
    return 0


def main_exit() -> None:
    """Entry point of the ``numpy-impl`` console script."""
    sys.exit(main())
