"""docs/walkthrough.md cannot drift from the code: every example in it runs here.

* ``>>>`` examples run as one doctest, in order, in one namespace; each shown
  output must match what the code prints (ELLIPSIS and whitespace-normalised).
* ``console`` blocks: each ``$ command`` runs in the project root, and its
  output must match the lines shown under it (``...`` stands for any text).
  They call PyTorch, so they run where torch is installed.
"""

import doctest
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WALKTHROUGH = ROOT / "docs" / "walkthrough.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_every_python_example_runs_and_prints_what_is_shown():
    text = WALKTHROUGH.read_text()
    test = doctest.DocTestParser().get_doctest(text, {}, "walkthrough", str(WALKTHROUGH), 0)
    assert len(test.examples) >= 20  # the page's examples were all found
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


def console_examples():
    """(command, expected output) for each ``$`` line of the console blocks."""
    text = WALKTHROUGH.read_text()
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            out.append((command, expected))
    return out


def test_the_console_blocks_were_found():
    commands = [c for c, _ in console_examples()]
    assert len(commands) == 3
    assert all(c.startswith("python scripts/diff_gradients.py") for c in commands)


@pytest.mark.torch
@pytest.mark.parametrize(("command", "expected"), console_examples(), ids=lambda v: v[:60])
def test_every_console_example_prints_what_is_shown(command, expected):
    pytest.importorskip("torch", reason="the walkthrough's commands use the PyTorch reference")
    argv = shlex.split(command)
    assert argv[0] == "python"
    done = subprocess.run(
        [sys.executable, *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    checker = doctest.OutputChecker()
    if not checker.check_output(expected, done.stdout, FLAGS):
        raise AssertionError(
            checker.output_difference(doctest.Example(command, expected), done.stdout, FLAGS)
        )
