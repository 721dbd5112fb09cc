"""Time numpy_impl's training against the article's loop, side by side in one run.

    python scripts/bench.py [--repeats 5] [--epochs 15000]

Each repeat runs the two trainings back to back (in alternating order), so
both see the same machine load; the figures are medians over the repeats.
Also times the whole ``python -m numpy_impl train`` command (interpreter
start-up included) and the per-call cost of ``a @ b`` vs ``a.dot(b)`` on the
network's tiny arrays, the reason network.py uses ``.dot``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import numpy_impl  # noqa: E402
from tests.article_transcript import article_training  # noqa: E402


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=15000)
    args = parser.parse_args()
    if args.repeats < 1 or args.epochs < 1:
        parser.error("--repeats and --epochs must be >= 1")

    runs: Dict[str, Callable[[], object]] = {
        "article loop (transcript)": lambda: article_training(0, args.epochs),
        "numpy_impl.train": lambda: numpy_impl.train(epochs=args.epochs),
    }
    times: Dict[str, List[float]] = {name: [] for name in runs}
    for repeat in range(args.repeats):
        order = list(runs) if repeat % 2 == 0 else list(reversed(runs))
        for name in order:
            times[name].append(_seconds(runs[name]))
    command = [sys.executable, "-m", "numpy_impl", "train", "--quiet", "--epochs", str(args.epochs)]
    cli = [
        _seconds(lambda: subprocess.run(command, check=True, cwd=ROOT)) for _ in range(args.repeats)
    ]

    print(
        f"numpy {np.__version__}, python {sys.version.split()[0]}, "
        f"{args.epochs} epochs, median of {args.repeats} repeats"
    )
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        spread = ", ".join(f"{s:.3f}" for s in t)
        print(f"  {name:28s} {medians[name]:7.3f} s   (runs: {spread})")
    ratio = medians["article loop (transcript)"] / medians["numpy_impl.train"]
    print(f"  speed-up of numpy_impl over the article's loop: {ratio:.2f}x")
    print(f"  whole command 'python -m numpy_impl train': {statistics.median(cli):.3f} s")

    x, w1, w2 = np.ones((1, 30)), np.ones((30, 5)), np.ones((5, 3))
    calls = {
        "x @ w1": lambda: x @ w1,
        "x.dot(w1)": lambda: x.dot(w1),
        "a1 @ w2": lambda: x.dot(w1) @ w2,
        "a1.dot(w2)": lambda: x.dot(w1).dot(w2),
    }
    per_call = {
        k: min(timeit.repeat(f, number=20000, repeat=5)) / 20000 * 1e6 for k, f in calls.items()
    }
    print(
        "  per call on the network's arrays (min of 5 x 20000): "
        + ", ".join(f"{k} {v:.2f} us" for k, v in per_call.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
