"""The suite's mutation score, from a finished ``mutmut run`` (what ``nox -s mutation`` runs).

    mutmut run
    python scripts/mutation_score.py [--record verification/mutation.json] [--seconds S]

mutmut makes one small change to the code at a time (a mutant: ``<`` for
``<=``, ``1`` for ``0``, an argument dropped...) and runs the tests that
reach the changed function. The tests kill a mutant when one of them fails;
a mutant they all pass survives. A survivor is either equivalent (the change
alters nothing the program does, so no test can kill it) or a gap in the
tests. reference/mutation_survivors.toml lists every survivor, each with a
one-line reason, matched by its function and its changed line(s), not by
mutmut's number, which shifts as the code changes.

The score is killed / (mutants - equivalent), for each part (PARTS: the
product, the witnesses, the judge, the sandbox, grading). This script fails (exit 1) if one is
below 95%, if a survivor is not listed (close the gap with a test, or
explain it), or if a listed mutant no longer survives (remove the entry).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import tomllib

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS = ROOT / "reference" / "mutation_survivors.toml"
TARGET = 0.95  # in each part

#: The parts scored apart, each the modules under its folder that pyproject.toml's
#: only_mutate names (a module mutated is in its folder's part: no list to keep in step).
PARTS: Dict[str, str] = {
    "product": "numpy_impl.",
    "witnesses": "reference.witnesses.",
    "judge": "reference.judge.",
    "sandbox": "reference.sandbox.",
    "grading": "reference.grading.",
}

Change = Tuple[str, str, str]  # function, line(s) before, line(s) after


def statuses() -> Dict[str, str]:
    """Every mutant's status, as ``mutmut results --all true`` prints it."""
    out = subprocess.run(
        ["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    found = dict(re.findall(r"^\s*(\S+__mutmut_\d+): (.+?)\s*$", out, flags=re.MULTILINE))
    if not found:
        raise SystemExit("error: mutmut reports no mutants: run `mutmut run` first")
    return found


def function_of(mutant: str) -> str:
    """'numpy_impl.sweep.xǁSweepResultǁsummary__mutmut_12' is a mutant of
    'numpy_impl.sweep.SweepResult.summary'."""
    module, _, name = mutant.rsplit("__mutmut_", 1)[0].rpartition(".")
    return f"{module}.{name[2:].replace('ǁ', '.') if name.startswith('xǁ') else name[2:]}"


def change(mutant: str) -> Change:
    """The mutant's function and its changed line(s), from ``mutmut show``."""
    diff = subprocess.run(
        ["mutmut", "show", mutant], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    before = [d[1:].strip() for d in diff if d.startswith("-") and not d.startswith("---")]
    after = [d[1:].strip() for d in diff if d.startswith("+") and not d.startswith("+++")]
    return function_of(mutant), " ".join(before), " ".join(after)


def part_of(mutant: str) -> str:
    """The part (PARTS) the mutant's module belongs to."""
    module = mutant.split("__mutmut_")[0].rpartition(".")[0]
    for part, folder in PARTS.items():
        if module.startswith(folder):
            return part
    raise SystemExit(f"error: {module} is in no part of PARTS: add its folder there")


def score_of(status: Dict[str, str], equivalent: int) -> Dict[str, Any]:
    """Counts and score of some mutants (``equivalent`` of them listed as such)."""
    counts = Counter(status.values())
    killed = counts["killed"] + counts["timeout"]  # a mutant that hangs the tests is noticed
    considered = len(status) - equivalent
    return {
        "mutants": len(status),
        "killed": counts["killed"],
        "timeout": counts["timeout"],
        "survived": counts["survived"],
        "equivalent": equivalent,
        "other": {s: n for s, n in counts.items() if s not in ("killed", "timeout", "survived")},
        "score": killed / considered if considered else 1.0,
    }


def by_module(status: Dict[str, str], part: str) -> Dict[str, Dict[str, int]]:
    """Each of the part's modules' mutants, counted by status."""
    found: Dict[str, Counter[str]] = {}
    for mutant, s in status.items():
        if part_of(mutant) == part:
            found.setdefault(mutant.split("__mutmut_")[0].rpartition(".")[0], Counter())[s] += 1
    return {module: dict(counts) for module, counts in sorted(found.items())}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", type=Path, help="write the counts as JSON here")
    parser.add_argument("--seconds", type=float, help="how long `mutmut run` took")
    args = parser.parse_args(argv)

    status = statuses()
    listed = {
        (e["function"], e["before"], e["after"]): e
        for e in tomllib.loads(SURVIVORS.read_text())["survivor"]
    }
    survivors = {m: change(m) for m, s in status.items() if s == "survived"}
    unlisted = sorted((m, c) for m, c in survivors.items() if c not in listed)
    unrun = sum(1 for s in status.values() if s == "not checked")
    # an entry is stale when its mutant was run and killed: only a whole run can tell
    stale = [] if unrun else sorted(set(listed) - set(survivors.values()))
    kind = {m: listed[c]["kind"] if c in listed else "not listed" for m, c in survivors.items()}
    parts = {
        part: score_of(
            {m: s for m, s in status.items() if part_of(m) == part},
            sum(1 for m, k in kind.items() if k == "equivalent" and part_of(m) == part),
        )
        for part in PARTS
    }
    kinds = Counter(kind.values())

    print(f"mutants: {len(status)}  " + "  ".join(
        f"{s}: {n}" for s, n in sorted(Counter(status.values()).items())))  # fmt: skip
    print(
        f"survivors: {len(survivors)} ({kinds['equivalent']} equivalent,"
        f" {kinds['survives']} not killed, {len(unlisted)} not listed)"
    )
    for part, p in parts.items():
        considered = p["mutants"] - p["equivalent"]
        print(
            f"{part}: {p['killed'] + p['timeout']} killed of {considered} non-equivalent"
            f" mutants = {100 * p['score']:.1f}%"
        )
    for mutant, (_, before, after) in unlisted:
        print(f"NOT LISTED {mutant}\n    - {before}\n    + {after}")
    for function, before, after in stale:
        print(f"STALE ENTRY (no longer survives) {function}\n    - {before}\n    + {after}")
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        version = subprocess.run(
            ["mutmut", "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[-1]
        record = {
            "kind": "mutation",
            "tool": f"mutmut {version}",
            "seconds": args.seconds,
            "parts": {part: {**p, "modules": by_module(status, part)} for part, p in parts.items()},
            "not_killed_list": [
                {"function": c[0], "before": c[1], "after": c[2], "reason": listed[c]["reason"]}
                for c in sorted(set(survivors.values()))
                if c in listed and listed[c]["kind"] == "survives"
            ],
        }
        args.record.write_text(json.dumps(record, indent=1) + "\n")
    low = [part for part, p in parts.items() if p["mutants"] and p["score"] < TARGET]
    for part in low:
        print(f"error: the {part}'s score is below {100 * TARGET:.0f}%", file=sys.stderr)
    if unrun:
        print(f"error: {unrun} mutants were not run: the run is incomplete", file=sys.stderr)
    return 0 if not low and not unlisted and not stale and not unrun else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
