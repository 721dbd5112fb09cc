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

The score is killed / (mutants - equivalent). This script fails (exit 1) if
it is below 95%, if a survivor is not listed (close the gap with a test, or
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
from typing import Dict, List, Tuple

import tomllib

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS = ROOT / "reference" / "mutation_survivors.toml"
TARGET = 0.95

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


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", type=Path, help="write the counts as JSON here")
    parser.add_argument("--seconds", type=float, help="how long `mutmut run` took")
    args = parser.parse_args(argv)

    status = statuses()
    counts = Counter(status.values())
    listed = {
        (e["function"], e["before"], e["after"]): e
        for e in tomllib.loads(SURVIVORS.read_text())["survivor"]
    }
    survivors = {m: change(m) for m, s in status.items() if s == "survived"}
    unlisted = sorted((m, c) for m, c in survivors.items() if c not in listed)
    stale = sorted(set(listed) - set(survivors.values()))
    kinds = Counter(listed[c]["kind"] for c in survivors.values() if c in listed)
    killed = counts["killed"] + counts["timeout"]  # a mutant that hangs the tests is noticed
    considered = len(status) - kinds["equivalent"]
    score = killed / considered if considered else 1.0

    print(f"mutants: {len(status)}  " + "  ".join(f"{s}: {n}" for s, n in sorted(counts.items())))
    print(
        f"survivors: {len(survivors)} ({kinds['equivalent']} equivalent,"
        f" {kinds['survives']} not killed, {len(unlisted)} not listed)"
    )
    print(f"score: {killed} killed of {considered} non-equivalent mutants = {100 * score:.1f}%")
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
            "mutants": len(status),
            "killed": counts["killed"],
            "timeout": counts["timeout"],
            "survived": len(survivors),
            "equivalent": kinds["equivalent"],
            "not_killed": kinds["survives"],
            "other": {
                s: n for s, n in counts.items() if s not in ("killed", "timeout", "survived")
            },
            "score": score,
            "seconds": args.seconds,
            "by_module": {
                module: dict(Counter(s for m, s in status.items() if m.startswith(module + ".")))
                for module in sorted({m.rsplit(".", 1)[0] for m in status})
            },
            "not_killed_list": [
                {"function": c[0], "before": c[1], "after": c[2], "reason": listed[c]["reason"]}
                for c in sorted(set(survivors.values()))
                if c in listed and listed[c]["kind"] == "survives"
            ],
        }
        args.record.write_text(json.dumps(record, indent=1) + "\n")
    ok = score >= TARGET and not unlisted and not stale
    if score < TARGET:
        print(f"error: the score is below {100 * TARGET:.0f}%", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
