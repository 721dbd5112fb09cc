"""The command line of ``scripts/diff_gradients.py``: options, text, JSON and pictures.

The sums are :mod:`reference.diff.sums` (what is compared, and how, is said there);
from Python, ``reference.diff.cli.main(argv)`` runs the script and returns its
exit status.

    python scripts/diff_gradients.py                     # seed 0, rule article, sample A
    python scripts/diff_gradients.py --rule mse --sample all --epochs 500
    python scripts/diff_gradients.py --rule article --loss mse   # the article's finding
    python scripts/diff_gradients.py --trajectory 15000 --plot drift.png
    python scripts/diff_gradients.py --json
    python scripts/diff_gradients.py --against my_net.py:backprop   # check YOUR backprop

Against your own code (--against PATH.py:FUNCTION): runs your gradient
function f(x, y, w1, w2) -> (dw1, dw2), or your SGD step f(x, y, w1, w2, alpha)
-> (new_w1, new_w2), at many points and says in words what each layer's
gradient is: correct for --loss (default mse), the other loss, or which known
mistake (reference/judge/diagnosis.py).

Exit status: 0 every counted comparison within its tolerance (with --against:
both layers correct for the loss), 1 one beyond it (the layer is named), 2 bad
options, or (with --against) a function that cannot be checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, Optional, Sequence, TextIO

import numpy_impl as ni
from numpy_impl import plot
from numpy_impl.checks import check_int
from numpy_impl.data import LETTERS
from numpy_impl.options import (
    Ended,
    OneLineParser,
    UsageError,
    check_output_path,
    ended,
    ended_by_signals,
    error,
    inert,
    interrupted,
    network_options,
    settings_of,
)
from numpy_impl.plot import PlottingUnavailable
from numpy_impl.settings import checked
from reference.diff import sums as diff
from reference.diff.sums import Comparison, StepReport, TrajectoryReport
from reference.grading import (
    WANTED,
    Sandbox,
    SandboxUnavailable,
    asked_for,
    diagnose_file,
    isolation,
)

EXAMPLES = """examples:
  python scripts/diff_gradients.py                        # this project's gradients, sample A
  python scripts/diff_gradients.py --rule article --loss mse   # the article's finding
  python scripts/diff_gradients.py --trajectory 15000     # both trainings side by side
  python scripts/diff_gradients.py --against my_net.py:backprop       # check YOUR backprop
  python scripts/diff_gradients.py --against my_net.py:train_step --loss bce --json
  python scripts/diff_gradients.py --against my_net.py:backprop --require sizes,rows
"""


def _sample(text: str) -> str:
    if text.lower() == "all":
        return "all"
    if text.upper() not in LETTERS:
        raise argparse.ArgumentTypeError(f"unknown sample {text!r}: choose A, B, C or all")
    return text.upper()


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="diff_gradients",
        description="Diff numpy_impl's hand-written gradients against three independent methods.",
        parents=[network_options()],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXAMPLES,
    )
    p.add_argument(
        "--against",
        metavar="PATH.py:FUNCTION",
        help="check YOUR backprop: f(x, y, w1, w2) -> (dw1, dw2) or "
        "f(x, y, w1, w2, alpha) -> (new_w1, new_w2); see the examples below",
    )
    p.add_argument(
        "--loss",
        choices=tuple(diff.RULE_OF_LOSS),
        help="the loss the other methods differentiate (default: the rule's own)",
    )
    p.add_argument(
        "--network", default="", metavar="NAME|FILE.toml",
        help="with --against: the network the backprop is of: article (the default),"
        " article-bias, relu-softmax, columns, or a TOML file that describes one",
    )  # fmt: skip
    p.add_argument(
        "--sandbox", choices=WANTED, default="auto",
        help="with --against: namespaces (bwrap) where they work (auto), or refuse (required),"
        " or a plain process (process)",
    )  # fmt: skip
    p.add_argument(
        "--require", default="", metavar="PARTS",
        help="with --against: what must hold beyond both layers at hidden size 5 (sizes, rows),"
        " and one shape (gradient or step); e.g. sizes,rows,gradient (with --network: sizes)",
    )  # fmt: skip
    p.add_argument(
        "--points", default="", metavar="PART=N,...",
        help="with --against: the points of each part (dw1, dw2, sizes, rows; 1 each)",
    )  # fmt: skip
    p.add_argument("--sample", type=_sample, default="A", help="A, B, C or all (summed)")
    p.add_argument("--epochs", type=int, default=0, help="numpy_impl epochs trained first (0)")
    p.add_argument(
        "--trajectory",
        type=int,
        metavar="N",
        help="train both implementations N epochs and report their drift",
    )
    p.add_argument("--every", type=int, default=1000, help="trajectory checkpoints")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.add_argument("--plot", metavar="PATH.png", help="heat maps (step) or drift (trajectory)")
    return p


# --- Text -------------------------------------------------------------------


def _result(c: Comparison) -> str:
    if not c.counted:
        return "expected mismatch (the finding)"
    return "ok" if c.ok else f"FAIL: dL/d{c.layer} beyond tolerance"


def print_step(report: StepReport, out: TextIO) -> None:
    s, claimed = report.settings, report.claimed
    what = "all three samples (summed)" if report.sample == "all" else f"sample {report.sample}"
    print(
        f"gradients of {what}: seed {s.seed}, init {s.init}, hidden {s.hidden}, {s.dtype}, "
        f"after {s.epochs} epochs",
        file=out,
    )
    shown = claimed if report.loss == claimed else f"{claimed}, and {report.loss} for the finding"
    print(
        f"ours: rule {s.rule}, claimed to be the gradient of {claimed}; "
        f"the other methods differentiate {shown}",
        file=out,
    )
    if report.torch:
        print(f"autograd: PyTorch {report.torch}", file=out)
    else:
        print(
            "PyTorch is not installed: comparing ours with complex step and central "
            "differences only (pip install torch for the autograd column)",
            file=out,
        )
    for layer in ("w1", "w2"):
        print(f"\ndL/d{layer}: ours (rule {s.rule}) vs", file=out)
        print(
            f"  {'method':13s} {'of loss':7s} {'max abs':>9s} {'max rel':>9s} {'cosine':>16s} "
            f"{'worst index':>12s} {'tolerance':>9s}  result",
            file=out,
        )
        for c in report.comparisons:
            if c.layer == layer:
                print(
                    f"  {c.method:13s} {c.loss:7s} {c.max_abs:9.2e} {c.max_rel:9.2e} "
                    f"{c.cosine:16.13f} {c.worst_index!s:>12s} {c.tolerance:9.0e}  "
                    f"{_result(c)}",
                    file=out,
                )
    finding = report.finding
    if finding is not None:
        formula = "3 / (2 a2 (1 - a2))" if s.rule == "article" else "2 a2 (1 - a2) / 3"
        print(
            f"\nthe finding: rule {s.rule} is not the gradient of {report.loss}. "
            f"Per output, d2(rule) / dL/dz2 ({report.loss}) must equal {formula}:",
            file=out,
        )
        print(
            f"  {'sample':6s} {'output':6s} {'a2':>10s} {'measured':>14s} {'predicted':>14s} "
            f"{'rel diff':>9s}",
            file=out,
        )
        samples = LETTERS if report.sample == "all" else (report.sample,)
        for r in finding.ratios:
            print(
                f"  {samples[r.sample]:6s} {r.output:6s} {r.a2:10.6f} "
                f"{r.measured:14.8g} {r.predicted:14.8g} {r.rel_diff:9.1e}",
                file=out,
            )
        good = sum(r.ok for r in finding.checked)
        print(
            f"  {good} of {len(finding.checked)} ratios as predicted (tolerance "
            f"{finding.tolerance:.0e})",
            file=out,
        )
    failed = [c for c in report.comparisons if c.counted and not c.ok]
    if failed:
        layers = sorted({c.layer for c in failed})
        print(
            f"\nFAIL: {', '.join('dL/d' + x for x in layers)} beyond tolerance "
            f"({len(failed)} comparison{'s' if len(failed) > 1 else ''})",
            file=out,
        )
    elif report.ok:
        counted = [c for c in report.comparisons if c.counted]
        also = " and the finding's ratios as predicted" if finding else ""
        print(f"\nok: all {len(counted)} comparisons within tolerance{also}", file=out)
    else:
        print("\nFAIL: the mismatch does not have the predicted form", file=out)


def print_trajectory(report: TrajectoryReport, out: TextIO) -> None:
    s = report.settings
    print(
        f"numpy_impl vs PyTorch {report.torch}, both trained {s.epochs} epochs from "
        f"seed {s.seed} ({s.init} init, rule {s.rule}, alpha {s.alpha}, "
        f"batch size {s.batch_size}, {s.dtype})",
        file=out,
    )
    print("relative difference (normwise; loss: worst epoch so far, entry by entry)", file=out)
    print(f"  {'epoch':>6s} {'w1':>9s} {'w2':>9s} {'loss':>9s}", file=out)
    for c in report.checkpoints:
        print(f"  {c.epoch:6d} {c.w1:9.2e} {c.w2:9.2e} {c.loss:9.2e}", file=out)
    verdict = "ok" if report.ok else "FAIL: the implementations drift apart"
    print(
        f"worst {report.worst:.2e}, tolerance {report.tolerance:.0e}: {verdict} "
        f"(numpy_impl {report.seconds['numpy_impl']:.1f} s, "
        f"torch {report.seconds['torch']:.1f} s)",
        file=out,
    )


# --- JSON -------------------------------------------------------------------


def step_json(report: StepReport) -> Dict[str, Any]:
    """The step report as plain JSON values."""
    out: Dict[str, Any] = {
        "mode": "step",
        "settings": {**report.settings.as_dict(), "loss": report.loss, "sample": report.sample},
        "torch": report.torch,
        "comparisons": [
            {
                "layer": c.layer,
                "method": c.method,
                "max_abs": c.max_abs,
                "max_rel": c.max_rel,
                "cosine": c.cosine,
                "worst_index": list(c.worst_index),
                "tolerance": float(c.tolerance),
                "counted": c.counted,
                "ok": c.ok,
                "loss": c.loss,
            }
            for c in report.comparisons
        ],
    }
    if report.finding is not None:
        out["finding"] = {
            "entries": [
                {
                    "sample": r.sample,
                    "output": r.output,
                    "a2": r.a2,
                    "measured_ratio": r.measured,
                    "predicted_ratio": r.predicted,
                    "rel_diff": r.rel_diff,
                }
                for r in report.finding.ratios
            ],
            "checks": [
                {
                    "layer": "d2",
                    "method": f"ratio at sample {r.sample}, output {r.output}",
                    "max_rel": r.rel_diff,
                    "tolerance": float(report.finding.tolerance),
                    "ok": r.ok,
                }
                for r in report.finding.checked
            ],
        }
    out["ok"] = report.ok
    return out


def trajectory_json(report: TrajectoryReport) -> Dict[str, Any]:
    """The trajectory report as plain JSON values."""
    return {
        "mode": "trajectory",
        "settings": {**report.settings.as_dict(), "every": report.every},
        "torch": report.torch,
        "checkpoints": [vars(c) for c in report.checkpoints],
        "tolerance": float(report.tolerance),
        "worst": report.worst,
        "seconds": report.seconds,
        "ok": report.ok,
    }


# --- Pictures, and the command ------------------------------------------------


def _plot(report: Any, path: str) -> None:
    if isinstance(report, TrajectoryReport):
        rows = report.checkpoints
        plot.save_drift_png(
            [r.epoch for r in rows],
            {name: [getattr(r, name) for r in rows] for name in ("w1", "w2", "loss")},
            path,
            tolerance=report.tolerance,
        )
        return
    grads = report.gradients
    other = "autograd" if "autograd" in grads else "complex step"
    plot.save_gradient_heatmaps(grads["ours"], grads[other], path, names=("ours", other))


def against(args: argparse.Namespace, out: TextIO, runner: Optional[Sandbox]) -> int:
    """--against: diagnose the user's function (in the sandbox ``runner`` starts, at the
    level ``--sandbox`` asks for); 0 correct for the loss, 1 not. (A StudentError, a
    ValueError, is reported by main: one line, exit 2.)"""
    notice = isolation(args.sandbox).notice
    if notice:
        print(notice, file=sys.stderr)
    asked = asked_for(args.network, args.loss, args.require, args.points)
    network, contract = asked.network, asked.contract
    if network is not None and args.plot:
        raise UsageError("--plot goes with the article's network")
    check_output_path("--plot", args.plot, ".png")  # before a sandbox is started
    found = diagnose_file(args.against, loss=args.loss or "mse", runner=runner,
                          sandbox=args.sandbox, contract=contract, network=network)  # fmt: skip
    if args.plot and found.first is not None:
        shown = found.first
        plot.save_gradient_heatmaps(shown.yours_in_order, shown.correct_in_order, args.plot,
                                    names=("yours", "correct"))  # fmt: skip
    if args.json:
        print(json.dumps(found.as_dict()), file=out)
    else:
        print(inert(found.text(), lines=True), file=out)  # it may quote the function's words
    return 0 if found.ok else 1


def main(
    argv: Optional[Sequence[str]] = None,
    out: Optional[TextIO] = None,
    runner: Optional[Sandbox] = None,
) -> int:
    """Run the diff; returns the exit status (0 within tolerance, 1 not, 2 bad options,
    130 Ctrl-C, 143 SIGTERM, 129 SIGHUP). ``runner`` starts the sandbox --against runs
    a function in."""
    try:
        with ended_by_signals():
            return _main(argv, out if out is not None else sys.stdout, runner)
    except KeyboardInterrupt:
        return interrupted()
    except Ended as err:
        return ended(err)


def _main(argv: Optional[Sequence[str]], out: TextIO, runner: Optional[Sandbox]) -> int:
    report: Any
    try:
        args = build_parser().parse_args(argv)
        settings = checked(**settings_of(args), least_epochs=0)
        check_int("every", args.every, low=1)
        if args.trajectory is not None:
            check_int("trajectory", args.trajectory, low=1)
        if (args.require or args.points or args.network) and not args.against:
            raise UsageError("--require, --points and --network go with --against")
        if args.against:
            return against(args, out, runner)
        check_output_path("--plot", args.plot, ".png")
        if args.trajectory:
            report = diff.trajectory(settings.replace(epochs=args.trajectory), args.every)
        else:
            report = diff.step(settings, args.sample, args.loss)
        if args.plot:
            _plot(report, args.plot)
    except (UsageError, ValueError, PlottingUnavailable, ni.TrainingDiverged) as err:
        return error(str(err))
    except SandboxUnavailable as err:
        return error(str(err))
    if isinstance(report, TrajectoryReport):
        if args.json:
            print(json.dumps(trajectory_json(report)), file=out)
        else:
            print_trajectory(report, out)
    elif args.json:
        print(json.dumps(step_json(report)), file=out)
    else:
        print_step(report, out)
    return 0 if report.ok else 1
