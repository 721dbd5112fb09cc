"""What a mutation run has found so far, kept in the repository, so that a run made in
parts goes on from where the last part stopped, on another machine too.

    python scripts/mutation_progress.py save      # mutants/**/*.meta -> docs/mutation-progress.json
    python scripts/mutation_progress.py restore   # docs/mutation-progress.json -> mutants/**/*.meta

mutmut keeps each mutant's outcome (its tests' exit code) in mutants/<file>.meta, beside
a hash of each function's source. ``mutmut run`` keeps an outcome only while its
function's hash is what it was: a function changed since is run again, whatever the
record says. ``restore`` writes a file's outcomes only where mutmut has none for it.

Kept: the outcomes a run decided (killed, survived, no tests). Not kept: a timeout, which
a loaded machine gives a mutant that was not hanging, and which is run again. A killed
mutant stays killed while tests are only added (``nox -s mutation -- --resume`` runs every
survivor again, against the tests of the day).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "docs" / "mutation-progress.json"
MUTANTS = ROOT / "mutants"
TIMEOUTS = {-24, 24, 36, 152, 255}  # mutmut's exit codes for a mutant stopped at its time


def save(mutants: Path, record: Path) -> int:
    """Every decided outcome of ``mutants``' meta files into ``record``; how many."""
    files: Dict[str, Dict[str, Dict[str, object]]] = {}
    for meta in sorted(mutants.rglob("*.meta")):
        data = json.loads(meta.read_text())
        functions: Dict[str, Dict[str, object]] = {
            name: {"hash": digest, "exit_codes": []}
            for name, digest in sorted(data["hash_by_function_name"].items())
        }
        for key, code in data["exit_code_by_key"].items():
            name, number = key.rsplit("__mutmut_", 1)
            codes: List[Optional[int]] = functions[name.rpartition(".")[2]]["exit_codes"]  # type: ignore[assignment]
            codes.extend([None] * (int(number) - len(codes)))
            codes[int(number) - 1] = None if code in TIMEOUTS else code
        files[meta.relative_to(mutants).as_posix()[: -len(".meta")]] = functions
    # the commit of the code the mutants were made of (the project mutants/ is in)
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=mutants.resolve().parent, capture_output=True, text=True
    ).stdout.strip()
    record.write_text(_lines({"commit": commit, "files": files}))
    return sum(
        code is not None
        for functions in files.values()
        for function in functions.values()
        for code in function["exit_codes"]  # type: ignore[attr-defined]
    )


def _lines(record: Dict[str, object]) -> str:
    """``record`` as JSON, a function to a line (a later part's changes read as a diff)."""
    files: Dict[str, Dict[str, object]] = record["files"]  # type: ignore[assignment]
    return (
        "{\n"
        + f'"commit": {json.dumps(record["commit"])},\n"files": {{\n'
        + ",\n".join(
            f"{json.dumps(file)}: {{\n"
            + ",\n".join(
                f"  {json.dumps(name)}: {json.dumps(function)}"
                for name, function in functions.items()
            )
            + "\n}"
            for file, functions in files.items()
        )
        + "\n}\n}\n"
    )


def restore(record: Path, mutants: Path) -> int:
    """``record``'s outcomes into meta files mutmut reads, for the files it has none of;
    how many outcomes."""
    restored = 0
    for file, functions in json.loads(record.read_text())["files"].items():
        meta = mutants / f"{file}.meta"
        if meta.exists():
            continue
        module = file[: -len(".py")].replace("/", ".")
        codes = {
            f"{module}.{name}__mutmut_{number}": code
            for name, function in functions.items()
            for number, code in enumerate(function["exit_codes"], start=1)
        }
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(
            json.dumps(
                {
                    "exit_code_by_key": codes,
                    "hash_by_function_name": {n: f["hash"] for n, f in functions.items()},
                    "type_check_error_by_key": {},
                    "durations_by_key": {},
                    "estimated_durations_by_key": {},
                }
            )
        )
        restored += sum(code is not None for code in codes.values())
    return restored


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "restore"])
    parser.add_argument("--record", type=Path, default=RECORD)
    parser.add_argument("--mutants", type=Path, default=MUTANTS)
    args = parser.parse_args(argv)
    if args.action == "save":
        if not args.mutants.is_dir():
            print(f"error: {args.mutants} is not there: no mutation run to save", file=sys.stderr)
            return 2
        print(f"{save(args.mutants, args.record)} outcomes saved to {args.record}")
    else:
        if not args.record.is_file():
            print(f"error: {args.record} is not there: no run to go on from", file=sys.stderr)
            return 2
        print(f"{restore(args.record, args.mutants)} outcomes restored from {args.record}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
