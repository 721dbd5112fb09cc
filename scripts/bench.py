"""Time numpy_impl's training against the article's loop, side by side in one run.

    python scripts/bench.py [--repeats 5] [--epochs 15000] [--networks 1000]

Each repeat runs the trainings back to back (in alternating order), so all
see the same machine load; the figures are medians over the repeats:

* numpy_impl.train vs the article's loop (reference/witnesses/article_transcript.py), one
  network each: the speed-up;
* the seed sweep (numpy_impl.sweep) of --networks networks vs the article's
  loop run one network at a time: the per-network throughput ratio;
* the whole ``python -m numpy_impl train`` command (interpreter start-up
  included);
* the peak memory of ``python -m numpy_impl sweep --networks 10000`` (a
  child process; the sweep keeps no per-epoch arrays, so its memory does not
  grow with the epochs, and a short run measures it);
* grading a class: ``scripts/grade.py`` on --submissions copies of the student
  files of tests/judge/students/ (those it can check), against one single-file
  ``scripts/diff_gradients.py --against`` check run as a whole command, side
  by side, both in the sandbox (--sandbox: its level, namespaces where
  bubblewrap works): the ratio of the two (target: at most 25 for 100
  submissions);
* a diagnosis per network description (``--network``): one ``--against`` check of
  a correct student of each built-in as a whole command, beside the article's
  (``--diagnoses`` runs this part alone).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

import numpy as np

import numpy_impl
from numpy_impl.sweep import sweep
from reference.witnesses.article_transcript import article_training


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=15000)
    parser.add_argument("--networks", type=int, default=1000, help="networks in the sweep")
    parser.add_argument("--memory-networks", type=int, default=10000)
    parser.add_argument("--submissions", type=int, default=100, help="submissions graded")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "required", "process"),
                        help="the sandbox's level for the grading (auto)")  # fmt: skip
    parser.add_argument("--diagnoses", action="store_true",
                        help="only the diagnosis per network description")  # fmt: skip
    args = parser.parse_args()
    if args.diagnoses:
        diagnoses(args.repeats, args.sandbox)
        return 0
    if min(args.repeats, args.epochs, args.networks, args.memory_networks, args.submissions) < 1:
        parser.error("--repeats, --epochs and the network and submission counts must be >= 1")

    runs: Dict[str, Callable[[], object]] = {
        "article loop (transcript)": lambda: article_training(0, args.epochs),
        "numpy_impl.train": lambda: numpy_impl.train(epochs=args.epochs),
        "sweep": lambda: sweep(networks=args.networks, epochs=args.epochs),
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
    # the same, repeat by repeat: each pair ran back to back, so a load that
    # drifts over the run cancels out of each ratio
    paired = statistics.median(
        a / b for a, b in zip(times["article loop (transcript)"], times["numpy_impl.train"])
    )
    print(
        f"  speed-up of numpy_impl over the article's loop: {ratio:.2f}x "
        f"(ratio of medians); {paired:.2f}x (median of the paired ratios)"
    )
    print(f"  whole command 'python -m numpy_impl train': {statistics.median(cli):.3f} s")
    per_network = medians["sweep"] / args.networks
    throughput = medians["article loop (transcript)"] / per_network
    print(
        f"  sweep of {args.networks} networks: {per_network * 1e3:.2f} ms per network, "
        f"throughput {throughput:.0f}x the article's loop run one network at a time"
    )
    memory = [
        sys.executable, "-m", "numpy_impl", "sweep", "--networks", str(args.memory_networks),
        "--epochs", "20", "--json", "--distances", "0", "1", "2", "3", "4", "5",
    ]  # fmt: skip
    subprocess.run(memory, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # largest child so far
    print(
        f"  peak memory of a sweep of {args.memory_networks} networks "
        f"(with the noisy-letter evaluation): {peak_kib / 1024:.0f} MiB"
    )
    grading(args.submissions, args.repeats, args.sandbox)
    diagnoses(args.repeats, args.sandbox)
    return 0


def diagnoses(repeats: int, sandbox: str) -> None:
    """One ``--against`` check of a correct student of each network, a whole command each,
    the networks in turn within each repeat (alternating order): medians, and each
    beside the article's."""
    tests = ROOT / "tests" / "judge"
    checks = {
        "article": [f"{tests / 'students' / 'bce_derivative_divided.py'}:backprop", "--loss", "bce"]
    }
    for name in ("article-bias", "relu-softmax", "columns"):
        first = sorted((tests / "networks" / name).glob("correct_*.py"))[0]
        checks[name] = [f"{first}:backprop", "--network", name]
    times: Dict[str, List[float]] = {name: [] for name in checks}
    for repeat in range(repeats):
        for name in list(checks) if repeat % 2 == 0 else list(reversed(checks)):
            command = [sys.executable, "scripts/diff_gradients.py", "--sandbox", sandbox,
                       "--against", *checks[name]]  # fmt: skip
            times[name].append(
                _seconds(lambda c=command: subprocess.run(c, cwd=ROOT, capture_output=True))
            )
    article = statistics.median(times["article"])
    for name, t in times.items():
        print(f"  one diagnosis, network {name:13s} {statistics.median(t):.2f} s"
              f" ({statistics.median(t) / article:.2f}x the article's)")  # fmt: skip


def grading(count: int, repeats: int, sandbox: str) -> None:
    """Grading ``count`` submissions vs one ``--against`` check, each a whole command,
    both at the sandbox level ``sandbox`` asks for."""
    from reference.sandbox.isolation import isolation

    level = isolation(sandbox).level
    students = ROOT / "tests" / "judge" / "students"
    usable = [p for p in sorted(students.glob("*.py")) if "function backprop;" in p.read_text()]
    folder = Path(tempfile.mkdtemp(prefix="bench-class-"))
    try:
        for i in range(count):
            shutil.copy(usable[i % len(usable)], folder / f"student_{i:03d}.py")
        one = [sys.executable, "scripts/diff_gradients.py", "--against", f"{usable[0]}:backprop",
               "--sandbox", sandbox]  # fmt: skip
        many = [sys.executable, "scripts/grade.py", str(folder), "--sandbox", sandbox]
        times: Dict[str, List[float]] = {"one": [], "many": []}
        for repeat in range(repeats):
            for name in ("one", "many") if repeat % 2 == 0 else ("many", "one"):
                command = one if name == "one" else many
                times[name].append(
                    _seconds(lambda c=command: subprocess.run(c, cwd=ROOT, capture_output=True))
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    single, whole = statistics.median(times["one"]), statistics.median(times["many"])
    print(
        f"  grading {count} submissions, sandbox at the {level} level: {whole:.2f} s;"
        f" one --against check: {single:.2f} s;"
        f" ratio {whole / single:.1f} (target <= 25 for 100), {whole / count * 1e3:.0f} ms a"
        f" submission against {single * 1e3:.0f} ms for one check alone"
    )


if __name__ == "__main__":
    sys.exit(main())
