"""Gather the verification records of a nox run into one Markdown report.

    python scripts/report.py verification/ docs/verification.md     (what `nox -s report` runs)

Each test session writes verification/<session>.json: its environment and,
for every step checked, the largest error seen and the tolerance asserted.
The report has one row per step (and oracle and dtype) and one column per
environment; a cell is the largest relative error seen there.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

from reference.witnesses.tolerances import GRADIENT, TABLE

Key = Tuple[str, str, str]  # step, oracle, dtype

#: What each kind of session runs (noxfile.py), for the report's readers.
KINDS = {
    "tests": "one per (Python, NumPy) pair: every check whose outcome can depend on NumPy"
    " (marker `numerics`): the steps against golden vectors and the complex-step and"
    " central-difference oracles, the golden 15000-epoch runs, the sweep against training"
    " alone, the noisy letters, the weights file, the walkthrough's and the exercises'"
    " examples (both languages), the negative control of every tolerance",
    "torch": "the live PyTorch comparisons (tests/*/test_parity_*.py, marker `torch`), both rules,"
    " single steps and 15000-epoch trajectories, at the oldest and the newest NumPy of"
    " Python 3.11",
    "once": "everything NumPy cannot change (command line, pictures, diff script, the judge of"
    " students' backprops and the grader) and the slow checks (the article's loop for ten"
    " seeds, float32 drift, the mutation check), at the newest NumPy of Python 3.11;"
    " `nox -s notebooks` runs the notebooks in a fresh Jupyter kernel (it keeps no record)",
}


def load(folder: Path) -> List[dict]:
    """The test sessions' records (the mutation score's, if any, is read apart)."""
    every = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    records = [r for r in every if r.get("kind") != "mutation"]
    if not records:
        raise SystemExit(f"error: no verification records in {folder}: run nox first")

    def order(r: dict) -> tuple:
        env = r["environment"]
        return (
            r["session"].split("(")[0].split("-")[0],
            tuple(int(p) for p in env["python"].split(".")[:2]),
            tuple(int(p) for p in env["numpy"].split(".")[:2]),
        )

    return sorted(records, key=order)


def column(record: dict) -> str:
    env = record["environment"]
    kind = record["session"].split("(")[0].split("-")[0]  # tests, torch or slow
    py = ".".join(env["python"].split(".")[:2])
    return f"{kind} {py} / {env['numpy']}"


#: What each part of the mutation score covers, in the report's words.
PART_WORDS = {
    "product": "numpy_impl's network, settings, sweep, progress bar, noisy letters, weights"
    " file and data",
    "witnesses": "the error measure, the tolerances, the NumPy oracles, the article's"
    " transcript, the golden checks, the shared cases and the table of losses (the torch"
    " mirror needs torch, which the session does not install)",
    "judge": "every module of the judge: the network's names, the catalogue of mistakes, the"
    " plan, the reading of answers, the fit, the trace, the words, the diagnosis, the forward"
    " pass's verdict",
    "sandbox": "the side that asks (the runner, its handle on each server, the isolation"
    " and the server's command) and the records both sides read (the server, the child,"
    " its tripwire and the janitor run only in processes of their own)",
    "grading": "one file checked, and a class graded",
}


def mutation_section(m: dict) -> List[str]:
    """The mutation score by part (``nox -s mutation``, scripts/mutation_score.py)."""
    minutes = (
        f" in {m['seconds'] / 60:.0f} minutes"
        if m.get("seconds")
        else ", in a run made in parts (`nox -s mutation -- --resume`), which has no one time"
    )
    lines = [
        "",
        "## Mutation score (`nox -s mutation`)",
        "",
        f"{m['tool']} made one mutant at a time of each part's modules and ran the suite"
        f" (all but the slow and the torch tests){minutes}. The score of a part is its"
        " killed (or timed-out) mutants over its non-equivalent ones (each equivalent one"
        " is listed, with its reason, in reference/mutation_survivors.toml); the target is"
        " at least 95% in each part.",
        "",
        "| part | modules | mutants | killed | timed out | survived | equivalent | not run |"
        " score |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for part, p in m["parts"].items():
        unrun = p["other"].get("not checked", 0)
        lines.append(
            f"| {part} | {PART_WORDS.get(part, '')} | {p['mutants']} | {p['killed']} |"
            f" {p['timeout']} | {p['survived']} | {p['equivalent']} | {unrun} |"
            f" **{100 * p['score']:.1f}%**{' (incomplete)' if unrun else ''} |"
        )
    lines += ["", "| module | killed | survived | other |", "| --- | --- | --- | --- |"]
    for p in m["parts"].values():
        for module, counts in p["modules"].items():
            other = sum(n for s, n in counts.items() if s not in ("killed", "survived"))
            lines.append(
                f"| {module} | {counts.get('killed', 0)} | {counts.get('survived', 0)} | {other} |"
            )
    if m["not_killed_list"]:
        lines += ["", "Not equivalent, and not killed:", ""]
        lines += [
            f"- `{e['function']}`: `{e['before']}` to `{e['after']}`: {e['reason']}"
            for e in m["not_killed_list"]
        ]
    return lines


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print("usage: report.py RECORDS_FOLDER OUTPUT.md", file=sys.stderr)
        return 2
    folder, out = Path(argv[0]), Path(argv[1])
    records = load(folder)
    columns = [column(r) for r in records]
    cells: Dict[Key, Dict[str, Tuple[float, bool]]] = defaultdict(dict)
    tolerances: Dict[Key, set] = defaultdict(set)
    gradient_worst: Dict[str, float] = {}
    for col, rec in zip(columns, records):
        for r in rec["records"]:
            key = (r["step"], r["oracle"], r["dtype"])
            ok = r["max_rel"] <= r["tolerance"]
            old_rel, old_ok = cells[key].get(col, (0.0, True))
            cells[key][col] = (max(old_rel, r["max_rel"]), old_ok and ok)
            tolerances[key].add(r["tolerance"])
            # exact oracles only: central differences carry their own O(h^2) error
            if (
                r["dtype"] == "float64"
                and r["step"].startswith(("gradient", "backprop"))
                and r["oracle"] != "central diff"
            ):
                gradient_worst[col] = max(gradient_worst.get(col, 0.0), r["max_rel"])

    lines = [
        "# Verification report",
        "",
        "Generated by `nox` (the test matrix and the torch sessions), then `nox -s report`.",
        "Each cell is the largest relative error seen (largest absolute error over the",
        "largest reference entry; see reference/witnesses/compare.py) for that step, "
        "against the oracle",
        "named, in that environment. A cross marks a value above its tolerance.",
        "",
        "What ran in which kind of session (noxfile.py; the markers are in pyproject.toml):",
        "",
        "| session | what it runs |",
        "| --- | --- |",
    ]
    lines += [f"| {kind} | {what} |" for kind, what in KINDS.items()]
    lines.append("")
    failures = sum(not ok for row in cells.values() for _, ok in row.values())
    lines += [f"Environments: {len(records)}. Values above tolerance: {failures}.", ""]
    lines += [
        "## Largest float64 gradient error against its oracle, per environment",
        "",
        f"| environment | largest relative error | at or below {GRADIENT:.0e} |",
        "| --- | --- | --- |",
    ]
    for col in columns:
        worst = gradient_worst.get(col)
        if worst is not None:
            lines.append(f"| {col} | {worst:.1e} | {'yes' if worst <= GRADIENT else 'NO'} |")
    lines += ["", "## Every step, every environment", ""]
    lines.append("| step | oracle | dtype | tolerance | " + " | ".join(columns) + " |")
    lines.append("| --- | --- | --- | --- | " + " | ".join("---" for _ in columns) + " |")
    for key in sorted(cells):
        tol = ", ".join(f"{t:.0e}" for t in sorted(tolerances[key]))
        row = [
            f"{cells[key][c][0]:.1e}{'' if cells[key][c][1] else ' ✗'}" if c in cells[key] else "·"
            for c in columns
        ]
        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {tol} | " + " | ".join(row) + " |")
    lines += [
        "",
        "## The tolerances and why (reference/witnesses/tolerances.py)",
        "",
        "| name | relative tolerance | why this value |",
        "| --- | --- | --- |",
    ]
    escaped = {name: tol.reason.replace("|", "\\|") for name, tol in TABLE.items()}
    lines += [f"| {name} | {tol:.1e} | {escaped[name]} |" for name, tol in TABLE.items()]
    lines += [
        "",
        "## Environments",
        "",
        "| column | session | Python | NumPy | torch | BLAS | platform |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for col, rec in zip(columns, records):
        env = rec["environment"]
        lines.append(
            f"| {col} | `{rec['session']}` | {env['python']} | {env['numpy']} | "
            f"{env.get('torch') or '-'} | {env['blas']} | {env['platform']} |"
        )
    mutation_file = folder / "mutation.json"
    if mutation_file.exists():
        lines += mutation_section(json.loads(mutation_file.read_text()))
    lines += [
        "",
        "Regenerate: `nox` (and `nox -s mutation` for the mutation score) then `nox -s report`"
        " (writes this file).",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(
        f"wrote {out}: {len(records)} environments, {len(cells)} rows, {failures} above tolerance"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
