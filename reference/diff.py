"""Diff numpy_impl's hand-written gradients against three independent methods.

The logic behind ``scripts/diff_gradients.py`` (a thin entry point); from
Python, ``reference.diff.main(argv)`` runs the same and returns the exit status.

    python scripts/diff_gradients.py                     # seed 0, rule article, sample A
    python scripts/diff_gradients.py --rule mse --sample all --epochs 500
    python scripts/diff_gradients.py --rule article --loss mse   # the article's finding
    python scripts/diff_gradients.py --trajectory 15000 --plot drift.png
    python scripts/diff_gradients.py --json

Step mode: from the chosen weights (seed, init, hidden; after --epochs of
numpy_impl training), each weight gradient of the chosen sample is computed
four ways:

    ours          numpy_impl.gradients, the hand-written backprop
    autograd      reference.network.gradients, PyTorch autograd (skipped, with a note,
                  when torch is not installed)
    complex step  Im L(w + i h e_j) / h, h = 1e-200: exact to a few ulp
    central diff  (L(w + h e_j) - L(w - h e_j)) / 2h, h = 1e-5: ~1e-10 absolute

and each method is compared with ours, per layer: max abs error, max relative
error (normwise: against the largest reference entry; reference/compare.py),
cosine, the worst entry's index, and the tolerance it must meet.

--loss names the loss the other methods differentiate; by default it is the
one the rule claims (article -> bce, mse -> mse). Naming the other one shows
the article's finding: the mismatch is then EXPECTED, it is labelled so and
does not fail; what is checked instead is that it has exactly the predicted
form, d2(rule) / dL/dz2 = 3 / (2 a2 (1 - a2)) per output.

Trajectory mode (--trajectory N, needs torch): trains numpy_impl and the
PyTorch reference for N epochs from the same start and reports how far they
drift apart, every --every epochs; --plot draws it on a log scale.

Against your own code (--against PATH.py:FUNCTION): runs your gradient
function f(x, y, w1, w2) -> (dw1, dw2), or your SGD step f(x, y, w1, w2, alpha)
-> (new_w1, new_w2), at many points and says in words what each layer's
gradient is: correct for --loss (default mse), the other loss, or which known
mistake (reference/diagnose.py).

Exit status: 0 every counted comparison within its tolerance (with --against:
both layers correct for the loss), 1 one beyond it (the layer is named), 2 bad
options, or (with --against) a function that cannot be checked.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np

import numpy_impl as ni
from numpy_impl import network, plot
from numpy_impl.checks import check_alpha, check_batch_size, check_int
from numpy_impl.cli import OneLineParser, UsageError, check_output_path, network_options
from numpy_impl.data import LETTERS, N_CLASSES
from numpy_impl.plot import PlottingUnavailable
from reference.compare import errors
from reference.diagnose import diagnose, load_function
from reference.oracles import central_difference, complex_step, rule_loss
from reference.tolerances import (
    CENTRAL,
    CENTRAL_FLOOR,
    FLOAT32,
    FLOAT32_DRIFT,
    FLOAT32_FLOOR_SCALE,
    GRADIENT,
    RATIO,
    TRAJECTORY,
    gradient_floor,
)

#: Which loss each rule's hand-written gradient claims to be the gradient of.
LOSS_OF_RULE = {"article": "bce", "mse": "mse"}
RULE_OF_LOSS = {loss: rule for rule, loss in LOSS_OF_RULE.items()}


def _sample(text: str) -> str:
    if text.lower() == "all":
        return "all"
    if text.upper() not in LETTERS:
        raise argparse.ArgumentTypeError(f"unknown sample {text!r}: choose A, B, C or all")
    return text.upper()


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="diff_gradients",
        description=__doc__.splitlines()[0],
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
        choices=tuple(RULE_OF_LOSS),
        help="the loss the other methods differentiate (default: the rule's own)",
    )
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


EXAMPLES = """examples:
  python scripts/diff_gradients.py                        # this project's gradients, sample A
  python scripts/diff_gradients.py --rule article --loss mse   # the article's finding
  python scripts/diff_gradients.py --trajectory 15000     # both trainings side by side
  python scripts/diff_gradients.py --against my_net.py:backprop       # check YOUR backprop
  python scripts/diff_gradients.py --against my_net.py:train_step --loss bce --json
"""


def check_options(args: argparse.Namespace) -> None:
    """The options' values, checked before any work (ValueError: one line, exit 2)."""
    check_alpha(args.alpha)
    check_batch_size(args.batch_size, N_CLASSES)
    check_int("epochs", args.epochs, low=0)
    check_int("every", args.every, low=1)
    if args.trajectory is not None:
        check_int("trajectory", args.trajectory, low=1)
    check_output_path("--plot", args.plot, ".png")


def torch_version() -> Optional[str]:
    """The installed PyTorch's version, or None without it."""
    try:
        import torch
    except ImportError:
        return None
    return str(torch.__version__)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.vdot(a, b)) / (na * nb) if na and nb else math.nan


def _comparison(
    layer: str,
    method: str,
    ours: np.ndarray,
    ref: np.ndarray,
    tol: float,
    floor: float,
    counted: bool = True,
) -> Dict[str, Any]:
    max_abs, max_rel, index = errors(ours, ref, floor)
    return {
        "layer": layer,
        "method": method,
        "max_abs": max_abs,
        "max_rel": max_rel,
        "cosine": cosine(np.asarray(ours, np.float64), np.asarray(ref, np.float64)),
        "worst_index": list(index),
        "tolerance": tol,
        "counted": counted,
        "ok": bool(max_rel <= tol) if counted else None,
    }


def step_report(args: argparse.Namespace) -> Dict[str, Any]:
    """Everything step mode prints, as one dictionary."""
    loss = args.loss or LOSS_OF_RULE[args.rule]
    finding = loss != LOSS_OF_RULE[args.rule]
    dt = np.dtype(args.dtype)
    if args.epochs:
        trained = ni.train(
            epochs=args.epochs,
            alpha=args.alpha,
            hidden=args.hidden,
            rule=args.rule,
            init=args.init,
            seed=args.seed,
            dtype=dt,
            batch_size=args.batch_size,
        )
        w1, w2 = trained.w1, trained.w2
    else:
        w1, w2 = ni.init_weights(args.seed, args.init, args.hidden, dt)
    xs, ys = ni.dataset(dt)
    if args.sample == "all":
        x, y = xs, ys  # (3, 30), (3, 3): the gradients are sums over the rows
    else:
        i = LETTERS.index(args.sample)
        x, y = xs[i : i + 1], ys[i : i + 1]  # (1, 30), (1, 3)

    ours = ni.gradients(x, y, w1, w2, args.rule)
    # the other methods work in float64 at the very same weights and inputs
    x64, y64, w1_64, w2_64 = (a.astype(np.float64) for a in (x, y, w1, w2))
    torch_installed = torch_version()
    exact_tol = GRADIENT if dt == np.float64 else FLOAT32
    floor = gradient_floor(w2_64, upstream=len(x))
    if dt == np.float32:
        floor *= FLOAT32_FLOOR_SCALE
    comparisons = []
    methods: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}
    # first the loss the rule claims (counted), then, for the finding, the other one
    for which_loss in dict.fromkeys([LOSS_OF_RULE[args.rule], loss]):
        counted = which_loss == LOSS_OF_RULE[args.rule]
        of_loss = rule_loss(x64, y64, RULE_OF_LOSS[which_loss])
        found: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}
        if torch_installed:
            from reference import network as ref

            tx, ty, tw1, tw2 = (ref.as_tensor(a, args.dtype) for a in (x, y, w1, w2))
            g = ref.gradients(tx, ty, tw1, tw2, rule=RULE_OF_LOSS[which_loss])
            found["autograd"] = (g.w1.double().numpy(), g.w2.double().numpy())
        found["complex step"] = complex_step(of_loss, w1_64, w2_64)
        found["central diff"] = central_difference(of_loss, w1_64, w2_64)
        for which, layer in enumerate(("w1", "w2")):
            for method, grads in found.items():
                tol, fl = (exact_tol, floor)
                if method == "central diff":
                    tol, fl = max(CENTRAL, exact_tol), max(CENTRAL_FLOOR, floor)
                c = _comparison(layer, method, ours[which], grads[which], tol, fl, counted)
                c["loss"] = which_loss
                comparisons.append(c)
        if which_loss == loss:
            methods = found  # drawn by --plot
    report: Dict[str, Any] = {
        "mode": "step",
        "settings": {
            "seed": args.seed,
            "init": args.init,
            "rule": args.rule,
            "loss": loss,
            "dtype": args.dtype,
            "hidden": args.hidden,
            "sample": args.sample,
            "epochs": args.epochs,
        },
        "torch": torch_installed,
        "comparisons": comparisons,
        "gradients": {"ours": ours, **methods},
    }
    counted = [c for c in comparisons if c["counted"]]
    if finding:
        report["finding"] = finding_ratios(x64, y64, w1_64, w2_64, args.rule, loss)
        counted += report["finding"]["checks"]
    report["ok"] = all(c["ok"] for c in counted)
    return report


def finding_ratios(
    x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, rule: str, loss: str
) -> Dict[str, Any]:
    """The finding, entry by entry: d2 of ``rule`` over the true dL/dz2 of ``loss``.

    dL/dz2 comes from the complex step on the loss as a function of z2 (exact).
    Predicted ratio: article over mse = 3 / (2 a2 (1 - a2)); mse over bce is its
    reciprocal.
    """
    fwd = ni.forward(x, w1, w2)
    d2 = network.output_delta(fwd.a2, y, rule)  # ours (looked up now: a student's edit counts)
    h = 1e-200
    true = np.empty_like(d2)
    for idx in np.ndindex(d2.shape):
        z2 = fwd.z2.astype(complex)
        z2[idx] += 1j * h
        a2 = 1 / (1 + np.exp(-z2))
        value = ni.mse_loss(a2, y) if loss == "mse" else ni.bce_loss(z2, y)
        true[idx] = np.imag(value) / h
    slope = fwd.a2 * (1 - fwd.a2)
    predicted = 3 / (2 * slope) if rule == "article" else 2 * slope / 3
    entries, checks = [], []
    for idx in np.ndindex(d2.shape):
        # a true gradient at rounding level (a2 = y to ~1e-16) has no meaningful ratio
        meaningful = abs(true[idx]) > 1e-12
        measured = d2[idx] / true[idx] if meaningful else math.nan
        rel = abs(measured - predicted[idx]) / abs(predicted[idx]) if meaningful else math.nan
        entry = {
            "sample": int(idx[0]),
            "output": LETTERS[idx[1]],
            "a2": float(fwd.a2[idx]),
            "measured_ratio": float(measured),
            "predicted_ratio": float(predicted[idx]),
            "rel_diff": float(rel),
        }
        entries.append(entry)
        if meaningful:
            checks.append(
                {
                    "layer": "d2",
                    "method": f"ratio at sample {idx[0]}, output {LETTERS[idx[1]]}",
                    "max_rel": float(rel),
                    "tolerance": RATIO,
                    "ok": bool(rel <= RATIO),
                }
            )
    return {"entries": entries, "checks": checks}


def print_step(report: Dict[str, Any], out: Any) -> None:
    s = report["settings"]
    claimed = LOSS_OF_RULE[s["rule"]]
    what = "all three samples (summed)" if s["sample"] == "all" else f"sample {s['sample']}"
    print(
        f"gradients of {what}: "
        f"seed {s['seed']}, init {s['init']}, hidden {s['hidden']}, {s['dtype']}, "
        f"after {s['epochs']} epochs",
        file=out,
    )
    shown = claimed if s["loss"] == claimed else f"{claimed}, and {s['loss']} for the finding"
    print(
        f"ours: rule {s['rule']}, claimed to be the gradient of {claimed}; "
        f"the other methods differentiate {shown}",
        file=out,
    )
    if report["torch"]:
        print(f"autograd: PyTorch {report['torch']}", file=out)
    else:
        print(
            "PyTorch is not installed: comparing ours with complex step and central "
            "differences only (pip install torch for the autograd column)",
            file=out,
        )
    finding = "finding" in report
    for layer in ("w1", "w2"):
        print(f"\ndL/d{layer}: ours (rule {s['rule']}) vs", file=out)
        print(
            f"  {'method':13s} {'of loss':7s} {'max abs':>9s} {'max rel':>9s} {'cosine':>16s} "
            f"{'worst index':>12s} {'tolerance':>9s}  result",
            file=out,
        )
        for c in report["comparisons"]:
            if c["layer"] != layer:
                continue
            result = (
                "expected mismatch (the finding)"
                if not c["counted"]
                else ("ok" if c["ok"] else f"FAIL: dL/d{layer} beyond tolerance")
            )
            index = str(tuple(c["worst_index"]))
            print(
                f"  {c['method']:13s} {c['loss']:7s} {c['max_abs']:9.2e} {c['max_rel']:9.2e} "
                f"{c['cosine']:16.13f} {index:>12s} {c['tolerance']:9.0e}  {result}",
                file=out,
            )
    if finding:
        f = report["finding"]
        formula = "3 / (2 a2 (1 - a2))" if s["rule"] == "article" else "2 a2 (1 - a2) / 3"
        print(
            f"\nthe finding: rule {s['rule']} is not the gradient of {s['loss']}. "
            f"Per output, d2(rule) / dL/dz2 ({s['loss']}) must equal {formula}:",
            file=out,
        )
        print(
            f"  {'sample':6s} {'output':6s} {'a2':>10s} {'measured':>14s} {'predicted':>14s} "
            f"{'rel diff':>9s}",
            file=out,
        )
        samples = LETTERS if s["sample"] == "all" else (s["sample"],)
        for e in f["entries"]:
            print(
                f"  {samples[e['sample']]:6s} {e['output']:6s} {e['a2']:10.6f} "
                f"{e['measured_ratio']:14.8g} {e['predicted_ratio']:14.8g} {e['rel_diff']:9.1e}",
                file=out,
            )
        checks = f["checks"]
        bad = [c for c in checks if not c["ok"]]
        print(
            f"  {len(checks) - len(bad)} of {len(checks)} ratios as predicted (tolerance "
            f"{RATIO:.0e})",
            file=out,
        )
    failed = [c for c in report["comparisons"] if c["counted"] and not c["ok"]]
    if failed:
        layers = sorted({c["layer"] for c in failed})
        print(
            f"\nFAIL: {', '.join('dL/d' + x for x in layers)} beyond tolerance "
            f"({len(failed)} comparison{'s' if len(failed) > 1 else ''})",
            file=out,
        )
    elif report["ok"]:
        counted = [c for c in report["comparisons"] if c["counted"]]
        also = " and the finding's ratios as predicted" if finding else ""
        print(f"\nok: all {len(counted)} comparisons within tolerance{also}", file=out)
    else:
        print("\nFAIL: the mismatch does not have the predicted form", file=out)


def trajectory_report(args: argparse.Namespace) -> Dict[str, Any]:
    if not torch_version():
        raise UsageError("--trajectory needs PyTorch, the second implementation: pip install torch")
    from reference import network as ref  # (it runs torch on one thread)

    epochs, every = args.trajectory, min(args.every, args.trajectory)
    start = ni.init_weights(args.seed, args.init, args.hidden)
    began = time.perf_counter()
    (theirs,) = ref.train_many(
        [start],
        [args.rule],
        epochs=epochs,
        alpha=args.alpha,
        dtype=args.dtype,
        checkpoint_every=every,
        batch_size=args.batch_size,
    )
    torch_seconds = time.perf_counter() - began
    began = time.perf_counter()
    # numpy_impl in chunks of `every` epochs: training is stateless beyond the
    # weights, so this is the same arithmetic as one run, with checkpoints
    w1, w2 = start
    history, rows = [], []
    for done in range(every, epochs + every, every):
        chunk = min(every, epochs - (done - every))
        part = ni.train(
            epochs=chunk,
            alpha=args.alpha,
            rule=args.rule,
            dtype=args.dtype,
            batch_size=args.batch_size,
            weights=(w1, w2),
        )
        w1, w2 = part.w1, part.w2
        history.append(part.loss)
        at = done - every + chunk
        if at in theirs.checkpoints:
            t1, t2 = theirs.checkpoints[at]
            loss_so_far = np.concatenate(history)
            rows.append(
                {
                    "epoch": at,
                    "w1": errors(w1, t1)[1],
                    "w2": errors(w2, t2)[1],
                    "loss": errors(loss_so_far, theirs.loss[:at], elementwise=True)[1],
                }
            )
    numpy_seconds = time.perf_counter() - began
    tol = TRAJECTORY if args.dtype == "float64" else FLOAT32_DRIFT
    worst = max(max(r["w1"], r["w2"], r["loss"]) for r in rows)
    return {
        "mode": "trajectory",
        "settings": {
            "seed": args.seed,
            "init": args.init,
            "rule": args.rule,
            "dtype": args.dtype,
            "hidden": args.hidden,
            "alpha": args.alpha,
            "batch_size": args.batch_size,
            "epochs": epochs,
            "every": every,
        },
        "torch": torch_version(),
        "checkpoints": rows,
        "tolerance": tol,
        "worst": worst,
        "seconds": {"numpy_impl": numpy_seconds, "torch": torch_seconds},
        "ok": bool(worst <= tol),
    }


def print_trajectory(report: Dict[str, Any], out: Any) -> None:
    s = report["settings"]
    print(
        f"numpy_impl vs PyTorch {report['torch']}, both trained {s['epochs']} epochs from "
        f"seed {s['seed']} ({s['init']} init, rule {s['rule']}, alpha {s['alpha']}, "
        f"batch size {s['batch_size']}, {s['dtype']})",
        file=out,
    )
    print("relative difference (normwise; loss: worst epoch so far, entry by entry)", file=out)
    print(f"  {'epoch':>6s} {'w1':>9s} {'w2':>9s} {'loss':>9s}", file=out)
    for r in report["checkpoints"]:
        print(f"  {r['epoch']:6d} {r['w1']:9.2e} {r['w2']:9.2e} {r['loss']:9.2e}", file=out)
    verdict = "ok" if report["ok"] else "FAIL: the implementations drift apart"
    print(
        f"worst {report['worst']:.2e}, tolerance {report['tolerance']:.0e}: {verdict} "
        f"(numpy_impl {report['seconds']['numpy_impl']:.1f} s, "
        f"torch {report['seconds']['torch']:.1f} s)",
        file=out,
    )


def _plot(report: Dict[str, Any], path: str) -> None:
    if report["mode"] == "trajectory":
        rows = report["checkpoints"]
        plot.save_drift_png(
            [r["epoch"] for r in rows],
            {name: [r[name] for r in rows] for name in ("w1", "w2", "loss")},
            path,
            tolerance=report["tolerance"],
        )
        return
    grads = report["gradients"]
    other = "autograd" if "autograd" in grads else "complex step"
    plot.save_gradient_heatmaps(grads["ours"], grads[other], path, names=("ours", other))


def against(args: argparse.Namespace, out: Any) -> int:
    """--against: diagnose the user's function; 0 correct for the loss, 1 not.
    (A StudentError, a ValueError, is reported by main: one line, exit 2.)"""
    found = diagnose(load_function(args.against), loss=args.loss or "mse")
    if args.plot:
        yours, correct = found.first
        plot.save_gradient_heatmaps(yours, correct, args.plot, names=("yours", "correct"))
    if args.json:
        print(json.dumps(found.as_dict()), file=out)
    else:
        print(found.text(), file=out)
    return 0 if found.ok else 1


def _jsonable(report: Dict[str, Any]) -> Dict[str, Any]:
    out = {k: v for k, v in report.items() if k != "gradients"}
    plain: Dict[str, Any] = json.loads(json.dumps(out, default=float))
    return plain


def main(argv: Optional[Sequence[str]] = None, out: Any = None) -> int:
    """Run the diff; returns the exit status (0 within tolerance, 1 not, 2 bad options)."""
    out = out if out is not None else sys.stdout
    try:
        args = build_parser().parse_args(argv)
        check_options(args)
        if args.against:
            return against(args, out)
        report = trajectory_report(args) if args.trajectory else step_report(args)
        if args.plot:
            _plot(report, args.plot)
    except (UsageError, ValueError, PlottingUnavailable, ni.TrainingDiverged) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(_jsonable(report)), file=out)
    elif report["mode"] == "trajectory":
        print_trajectory(report, out)
    else:
        print_step(report, out)
    return 0 if report["ok"] else 1
