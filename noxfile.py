# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""The test matrix: every Python 3.9-3.13 x NumPy 1.22-2.5 pair with wheels.

    nox -l                                   # list the sessions
    nox                                      # default: matrix, torch, once, notebooks, lint
    nox -s "tests-3.12(numpy='2.5')"         # one cell
    nox -t torch                             # only the live PyTorch parity tests
    nox -s report                            # gather the verification records into Markdown
    nox -s mutation                          # the mutation score by part (mutmut; hours)
    python noxfile.py -s lint                # nox as a script (PEP 723 block above)

What runs where (the markers are declared in pyproject.toml):

* ``tests-<python>(numpy=...)``, one session per pair: every check whose
  outcome can depend on NumPy (marker ``numerics``): the network's steps
  against the golden vectors and the derivative oracles, the golden 15000-epoch
  trajectories, the sweep against training alone, the noisy letters, the
  weights file, the walkthrough's examples;
* ``torch``: the live PyTorch comparisons (tests/*/test_parity_*.py, marker
  ``torch``) at the oldest and the newest NumPy of Python 3.11, in one
  environment, so that torch is installed once;
* ``once``: everything else, whose outcome cannot depend on NumPy (the
  command line, the pictures, the diff script), and the slow checks (the
  article's loop for ten seeds, the mutation check), at the newest NumPy;
* ``notebooks``: every notebook in docs/ run in a fresh Jupyter kernel (nbval),
  and the exercises' checks (tests/grading/test_notebooks.py);
* ``lint``: ruff, mypy, CITATION.cff;
* ``mutation`` (not by default, slow): mutmut's mutants of five parts, the
  product (numpy_impl), the witnesses (the error measure, the tolerances, the
  oracles, the transcript, the golden checks, the shared cases, the losses),
  the judge (every module), the sandbox (its runner and its records) and
  grading (one file, a class, a notebook handed in), against the suite (configured in
  pyproject.toml), and each part's score (scripts/mutation_score.py).

Each test session writes a JSON verification record into verification/
(ignored by git); ``report`` gathers them into docs/verification.md.
"""

import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
# Missing interpreters: skipped with a notice on a user's machine; an error on
# CI (nox's own default when CI is set, made explicit here).
nox.options.error_on_missing_interpreters = "CI" in os.environ

ROOT = Path(__file__).parent
RECORDS = ROOT / "verification"

# The one place the matrix is defined: for each Python, the first and last
# NumPy minor release that publishes binary wheels for it.
NUMPY_RANGE = {
    "3.9": ("1.22", "2.0"),
    "3.10": ("1.22", "2.2"),
    "3.11": ("1.23", "2.4"),
    "3.12": ("1.26", "2.5"),
    "3.13": ("2.1", "2.5"),
}
# NumPy's minor releases in order (1.26 was followed by 2.0).
NUMPY_MINORS = ["1.22", "1.23", "1.24", "1.25", "1.26", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5"]


def numpy_minors(python: str) -> list[str]:
    first, last = NUMPY_RANGE[python]
    return NUMPY_MINORS[NUMPY_MINORS.index(first) : NUMPY_MINORS.index(last) + 1]


PAIRS = [(python, numpy) for python in NUMPY_RANGE for numpy in numpy_minors(python)]

TORCH_PYTHON = "3.11"
# The live comparisons run at both ends of Python 3.11's NumPy range.
TORCH_NUMPY = (numpy_minors(TORCH_PYTHON)[0], numpy_minors(TORCH_PYTHON)[-1])
# Overridable for other machines (another version, a CPU index...): the default
# is the CPU build pip finds on this project's machines without a download.
TORCH_REQUIREMENT = os.environ.get("NUMPY_IMPL_TORCH", "torch==2.13.0")


# Test by test over the cores: these sessions share no long reference run, so
# pyproject's default (a file to a worker, for the torch tests) would only
# leave a core idle.
SPREAD = ("--dist", "load")


def _install(session: nox.Session, numpy: str, extras: str = "test", *more: str) -> None:
    """The project with its ``extras``, at NumPy ``numpy``: the latest patch of
    that minor, from a wheel only (never built from source)."""
    session.install("--only-binary=numpy", f"numpy=={numpy}.*", "-e", f".[{extras}]", *more)


def _pytest(session: nox.Session, record: str, *default_args: str) -> None:
    RECORDS.mkdir(exist_ok=True)
    env = {
        "NUMPY_IMPL_VERIFICATION_JSON": str(RECORDS / f"{record}.json"),
        "NUMPY_IMPL_SESSION": session.name,
    }
    session.run("python", "-m", "pytest", *(session.posargs or default_args), env=env)


def _tests_session(python: str) -> None:
    """Register "tests-<python>", parametrized by that Python's NumPy minors, so a
    cell is named like "tests-3.12(numpy='2.5')" and "nox -s tests-3.12" runs a row."""

    @nox.session(name=f"tests-{python}", python=python, default=True, tags=["tests"])
    @nox.parametrize("numpy", numpy_minors(python))
    def tests(session: nox.Session, numpy: str) -> None:
        """Every check whose outcome can depend on NumPy, on one (Python, NumPy) cell."""
        _install(session, numpy)
        record = f"tests-py{python}-numpy{numpy}"
        _pytest(session, record, "-m", "numerics and not slow", *SPREAD, "-q")


for _python in NUMPY_RANGE:
    _tests_session(_python)


@nox.session(python=TORCH_PYTHON, venv_backend="virtualenv", default=True, tags=["torch"])
def torch(session: nox.Session) -> None:
    """The live PyTorch parity tests, at the oldest and the newest NumPy of Python 3.11.

    pip, as uv cannot see the local torch file; one environment, torch installed once."""
    session.install(TORCH_REQUIREMENT)
    for numpy in TORCH_NUMPY:
        # numpy is pinned by a constraint so that nothing installed moves it.
        constraint = Path(session.create_tmp()) / "numpy-pin.txt"
        constraint.write_text(f"numpy=={numpy}.*\n")
        _install(session, numpy, "test", "-c", str(constraint))
        _pytest(session, f"torch-py{session.python}-numpy{numpy}", "-m", "torch", "-q")


@nox.session(python=TORCH_PYTHON, default=True, tags=["tests"])
def once(session: nox.Session) -> None:
    """The checks NumPy cannot change (CLI, pictures, diff script), and the slow ones.

    Once, at the newest NumPy of Python 3.11, with matplotlib."""
    _install(session, TORCH_NUMPY[-1], "test,plot")
    _pytest(session, f"once-py{session.python}", "-m", "slow or not numerics", *SPREAD, "-q")


@nox.session(python=TORCH_PYTHON, venv_backend="virtualenv", default=True, tags=["notebooks"])
def notebooks(session: nox.Session) -> None:
    """Every notebook in docs/ top to bottom in a fresh Jupyter kernel (nbval: what each
    cell prints compared with what the notebook shows), and the exercises' checks
    with the cells left blank, solved, and with a mistake pasted in.

    With torch (pip, as for the torch session), so the gradients are drawn beside autograd's."""
    session.install(TORCH_REQUIREMENT)
    constraint = Path(session.create_tmp()) / "numpy-pin.txt"
    constraint.write_text(f"numpy=={TORCH_NUMPY[-1]}.*\n")
    _install(session, TORCH_NUMPY[-1], "test,notebook-test", "-c", str(constraint))
    env = {"JUPYTER_PLATFORM_DIRS": "1"}  # Jupyter's own paths, without its migration warning
    default = ("--nbval", "docs", "tests/grading/test_notebooks.py",
               "tests/lesson/test_notebook_figures.py", "-q", "-p", "no:cacheprovider")  # fmt: skip
    session.run("python", "-m", "pytest", *(session.posargs or default), env=env)


@nox.session(python=TORCH_PYTHON, default=True, tags=["lint"])
def lint(session: nox.Session) -> None:
    """ruff (lint and format check), mypy (strict on numpy_impl), CITATION.cff validation.

    Without torch: mypy reads reference/witnesses/torch_mirror.py's torch as untyped
    (pyproject.toml)."""
    session.install("ruff", "mypy", "numpy", "cffconvert", "nox")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("cffconvert", "--validate", "-i", "CITATION.cff")


MUTMUT = "mutmut==3.8.1"


@nox.session(python=TORCH_PYTHON, default=False, tags=["mutation"])
def mutation(session: nox.Session) -> None:
    """The suite's mutation score: mutmut, then scripts/mutation_score.py.

    From scratch each time (mutants/ is removed first); ``nox -s mutation --
    --resume`` picks up an interrupted or earlier run instead: the mutants not
    run yet (and those of functions changed since), then every survivor again,
    against the tests as they are now (a killed mutant stays killed while
    tests are only added), the map of the tests to the functions they reach made again
    (a function renamed since would keep none of its tests). The outcomes so far are
    kept in docs/mutation-progress.json (scripts/mutation_progress.py): a resumed run
    on a machine with no mutants/ goes on from them."""
    import re
    import shutil
    import time

    _install(session, TORCH_NUMPY[-1], "test", MUTMUT)
    resumed = "--resume" in session.posargs
    if not resumed:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    else:  # which tests reach which function, mapped again: a function renamed since an
        # earlier run would keep the old name's tests, and its survivors go unkilled
        (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        if (ROOT / "docs" / "mutation-progress.json").is_file():
            session.run("python", "scripts/mutation_progress.py", "restore")
    start = time.monotonic()
    children = str(os.cpu_count() or 1)
    session.run("mutmut", "run", "--max-children", children)
    if resumed:
        listed = session.run("mutmut", "results", silent=True) or ""
        survivors = re.findall(r"^\s*(\S+__mutmut_\d+): survived$", listed, flags=re.MULTILINE)
        if survivors:
            session.run("mutmut", "run", "--max-children", children, *survivors)
    session.run("python", "scripts/mutation_progress.py", "save")
    # a resumed run's time is only its last part's: the record then gives none
    timed = [] if resumed else ["--seconds", f"{time.monotonic() - start:.0f}"]
    RECORDS.mkdir(exist_ok=True)
    record = str(RECORDS / "mutation.json")
    session.run("python", "scripts/mutation_score.py", "--record", record, *timed)


@nox.session(python=False, default=False, tags=["report"])
def report(session: nox.Session) -> None:
    """Gather verification/*.json into one Markdown table (docs/verification.md)."""
    session.run(
        "python", "scripts/report.py", str(RECORDS), *(session.posargs or ["docs/verification.md"])
    )


@nox.session(python=TORCH_PYTHON, default=False, tags=["bench"])
def bench(session: nox.Session) -> None:
    """Time numpy_impl against the article's loop (scripts/bench.py)."""
    session.install("-e", ".")
    session.run("python", "scripts/bench.py", *session.posargs)


if __name__ == "__main__":
    nox.main()
