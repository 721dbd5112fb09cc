"""The command line: ``python -m numpy_impl train | predict | show | sweep | evaluate``.

Every mistake in the input ends the program with one line on stderr and exit
status 2, before anything is written; so does a run too big for the memory
available, before anything big is allocated. Ctrl-C ends it with one line and
exit status 130, leaving no half-written file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional, Sequence, TextIO

import numpy as np

from numpy_impl import data, network, noisy
from numpy_impl.network import ARTICLE_SETTINGS, TrainingDiverged, TrainResult
from numpy_impl.options import (
    OneLineParser,
    UsageError,
    check_output_path,
    error,
    interrupted,
    network_options,
    settings_of,
)
from numpy_impl.plot import PlottingUnavailable
from numpy_impl.weights_file import WeightsFileError, load_weights, save_weights

PRINT_EVERY = 1000  # the article prints the loss every 1000 epochs


def _training_options() -> OneLineParser:
    """The options of ``train`` and ``sweep``: the network's, and the epochs."""
    options = OneLineParser(add_help=False, parents=[network_options()])
    options.add_argument("--epochs", type=int, default=ARTICLE_SETTINGS["epochs"], help="(15000)")
    return options


def _add_noise_options(cmd: argparse.ArgumentParser, default: Optional[Sequence[int]]) -> None:
    cmd.add_argument(
        "--distances",
        nargs="+",
        type=int,
        default=default,
        metavar="D",
        help="Hamming distances of the noisy letters, 0..30"
        + (f" (default {' '.join(map(str, default))})" if default else ""),
    )
    cmd.add_argument(
        "--per-letter",
        type=int,
        default=noisy.DEFAULT_PER_LETTER,
        metavar="N",
        help="noisy bitmaps per letter and distance, when there are more (1000)",
    )
    cmd.add_argument(
        "--noise-seed", type=int, default=0, help="seed of the random noisy bitmaps (0)"
    )


def _letter_or_all(text: str) -> str:
    """ "all", or the letter in capitals (data.bitmap says whether it is one)."""
    return "all" if text.lower() == "all" else text.upper()


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="numpy_impl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    training = _training_options()
    train = commands.add_parser(
        "train", parents=[training], help="train the network (default: the article's job)"
    )
    train.add_argument("--save", metavar="PATH.npz", help="write weights, loss and settings")
    train.add_argument("--plot", metavar="PATH.png", help="draw the loss curve into a PNG")
    train.add_argument("--quiet", action="store_true", help="print nothing but errors")

    predict = commands.add_parser("predict", help="run saved weights on the letters or a bitmap")
    predict.add_argument("--weights", required=True, metavar="PATH.npz")
    predict.add_argument(
        "--bitmap",
        nargs="+",
        metavar="DIGITS",
        help="30 digits 0/1, or 5 rows of 6 (e.g. 001100 010010 ...)",
    )
    predict.add_argument(
        "--hidden-png", metavar="PATH.png", help="draw each hidden unit's input weights"
    )

    show = commands.add_parser("show", help="draw a letter in the terminal (or a PNG)")
    show.add_argument("letter", type=_letter_or_all, help="A, B, C or all")
    show.add_argument("--png", metavar="PATH.png", help="also draw it with matplotlib")

    sweep = commands.add_parser(
        "sweep",
        parents=[training],
        help="train K networks from seeds seed..seed+K-1 at once, and count",
    )
    sweep.add_argument("--networks", type=int, required=True, metavar="K", help="how many networks")
    sweep.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    sweep.add_argument(
        "--plot", metavar="PATH.png", help="final-loss histogram and fraction learned vs epoch"
    )
    _add_noise_options(sweep, default=None)

    evaluate = commands.add_parser("evaluate", help="accuracy of saved weights on noisy letters")
    evaluate.add_argument("--weights", required=True, metavar="PATH.npz")
    _add_noise_options(evaluate, default=noisy.DEFAULT_DISTANCES)
    evaluate.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _print_predictions(
    rows: np.ndarray, names: List[str], w1: np.ndarray, w2: np.ndarray, out: TextIO
) -> None:
    outputs, letters = network.predict(rows, w1, w2)
    for name, values, letter in zip(names, outputs, letters):
        shown = " ".join(f"{v:.6f}" for v in values)
        print(f"{name}: outputs [{shown}] -> predicted {letter}", file=out)


def _cmd_train(args: argparse.Namespace, out: TextIO) -> None:
    check_output_path("--save", args.save, ".npz")
    check_output_path("--plot", args.plot, ".png")
    result: TrainResult = network.train(**settings_of(args))
    if args.save:
        save_weights(args.save, result)
    if args.plot:
        from numpy_impl.plot import save_loss_png

        save_loss_png(result.loss, args.plot, title=_describe(result.settings))
    if args.quiet:
        return
    for epoch in range(0, args.epochs, PRINT_EVERY):
        print(f"epoch {epoch:>6}  loss {result.loss[epoch]:.10f}", file=out)
    print("training complete", file=out)
    letters, _ = data.dataset(result.w1.dtype)
    _print_predictions(letters, list(data.LETTERS), result.w1, result.w2, out)
    if args.save:
        print(f"saved to {args.save}", file=out)
    if args.plot:
        print(f"loss curve drawn in {args.plot}", file=out)


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
    check_output_path("--hidden-png", args.hidden_png, ".png")
    saved = load_weights(args.weights)
    _print_predictions(rows, names, saved.w1, saved.w2, out)
    if args.hidden_png:
        from numpy_impl.plot import save_hidden_png

        save_hidden_png(saved.w1, saved.w2, args.hidden_png)
        print(f"hidden units drawn in {args.hidden_png}", file=out)


def _cmd_show(args: argparse.Namespace, out: TextIO) -> None:
    check_output_path("--png", args.png, ".png")
    letters = data.LETTERS if args.letter == "all" else (args.letter,)
    bitmaps = [data.bitmap(letter) for letter in letters]  # an unknown letter stops here
    if args.png:
        from numpy_impl.plot import save_bitmap_png, save_letters_png

        if args.letter == "all":
            save_letters_png(args.png)
        else:
            save_bitmap_png(bitmaps[0], args.png, title=f"the letter {args.letter}")
    print("\n\n".join(data.render(b) for b in bitmaps), file=out)


def _describe(settings: Dict[str, Any]) -> str:
    keys = ("rule", "init", "seed", "alpha", "hidden", "batch_size", "epochs")
    return ", ".join(f"{k.replace('_', ' ')} {settings[k]}" for k in keys if k in settings)


def _noise_table(results: Dict[int, Any], learned: Optional[np.ndarray], out: TextIO) -> None:
    """Print accuracy per distance; with K networks, also the mean over those
    that ``learned`` (a (K,) mask) the three letters."""
    for d, (count, acc) in results.items():
        acc = np.atleast_1d(acc)
        line = f"  distance {d:>2}: {count:>5} bitmaps, accuracy {acc.mean():.4f}"
        if len(acc) > 1:
            line += " (mean over all networks"
            if learned is not None and learned.any():
                line += f"; {acc[learned].mean():.4f} over those that learned"
            line += ")"
        print(line, file=out)


def _noise_json(results: Dict[int, Any]) -> Dict[str, Any]:
    return {
        str(d): {"bitmaps": count, "accuracy": float(np.mean(acc))}
        for d, (count, acc) in results.items()
    }


def _cmd_sweep(args: argparse.Namespace, out: TextIO) -> None:
    from numpy_impl.progress import terminal_progress
    from numpy_impl.sweep import STAGES, sweep

    check_output_path("--plot", args.plot, ".png")
    # the noise options are checked now, not after the training
    noisy.check_options(args.distances or [], args.per_letter, args.noise_seed)
    itemsize = np.dtype(args.dtype).itemsize
    noisy.check_memory(args.distances, args.per_letter, args.networks, args.hidden, itemsize)
    progress = terminal_progress(STAGES) if sys.stderr.isatty() else None
    result = sweep(networks=args.networks, progress=progress, **settings_of(args))
    summary = result.summary()
    noise = None
    if args.distances:
        noise = noisy.evaluate(
            result.w1, result.w2, args.distances, args.per_letter, args.noise_seed
        )
        summary["noisy_accuracy"] = _noise_json(noise)
        learned = result.learned
        summary["noisy_accuracy_learned"] = {
            str(d): float(np.mean(acc[learned])) if learned.any() else None
            for d, (_, acc) in noise.items()
        }
    if args.plot:
        from numpy_impl.plot import save_sweep_png

        save_sweep_png(
            result.final_loss,
            result.first_correct,
            args.epochs,
            args.plot,
            title=f"{args.networks} networks: {_describe(result.settings)}",
        )
    if args.json:
        print(json.dumps(summary), file=out)
        return
    k = args.networks
    print(
        f"sweep of {k} networks (seeds {args.seed}..{args.seed + k - 1}): "
        f"{_describe(result.settings)}",
        file=out,
    )
    print(
        f"learned all three letters: {int(result.learned.sum())} of {k} "
        f"({100 * summary['fraction_learned']:.1f}%); diverged: {summary['diverged']}",
        file=out,
    )
    quantiles = summary["final_loss_quantiles"]
    if quantiles["0.5"] is not None:
        shown = "  ".join(f"q{q} {v:.3g}" for q, v in quantiles.items())
        print(f"final loss quantiles: {shown}", file=out)
    first = summary["first_correct_epoch"]
    print(
        f"first epoch with all three right: median {first['median']}, max {first['max']}, "
        f"never {first['never']}",
        file=out,
    )
    if noise is not None:
        print("accuracy on noisy letters:", file=out)
        _noise_table(noise, result.learned, out)
    if args.plot:
        print(f"drawn in {args.plot}", file=out)


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> None:
    noisy.check_options(args.distances, args.per_letter, args.noise_seed)
    saved = load_weights(args.weights)
    results = noisy.evaluate(saved.w1, saved.w2, args.distances, args.per_letter, args.noise_seed)
    if args.json:
        print(json.dumps(_noise_json(results)), file=out)
        return
    print(f"accuracy of {args.weights} on letters with pixels flipped:", file=out)
    _noise_table(results, None, out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 training diverged,
    2 bad input or not enough memory, 130 interrupted)."""
    commands = {
        "train": _cmd_train,
        "predict": _cmd_predict,
        "show": _cmd_show,
        "sweep": _cmd_sweep,
        "evaluate": _cmd_evaluate,
    }
    try:
        args = build_parser().parse_args(argv)
        commands[args.command](args, sys.stdout)
    except (UsageError, WeightsFileError, PlottingUnavailable, ValueError) as err:
        return error(str(err))
    except OSError as err:  # e.g. a --png path in a folder that cannot be written
        return error(f"{err.filename}: {err.strerror}")
    except MemoryError as err:  # beyond the estimates (numpy_impl.memory): still one line
        return error(f"out of memory: {err}")
    except TrainingDiverged as err:
        return error(f"training diverged: {err}", status=1)
    except KeyboardInterrupt:
        return interrupted()
    return 0


def main_exit() -> None:
    """Entry point of the ``numpy-impl`` console script."""
    sys.exit(main())
