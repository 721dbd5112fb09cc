"""docs/walkthrough.md's ``console`` blocks: each ``$ command`` runs in the
project root, and its output must match the lines shown under it (``...``
stands for any text). They call the PyTorch mirror."""

import doctest
import re
import shlex
import subprocess
import sys

import pytest

from tests.helpers import DOCTEST_FLAGS as FLAGS
from tests.helpers import ROOT, WALKTHROUGHS


def console_examples(page=None):
    """(command, expected output) for each ``$`` line of the console blocks of
    ``page`` (of every edition of the walkthrough when None)."""
    if page is None:
        return [example for page in WALKTHROUGHS for example in console_examples(page)]
    text = page.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            out.append((command, expected))
    return out


@pytest.mark.parametrize("page", WALKTHROUGHS, ids=lambda p: p.name)
def test_the_console_blocks_were_found(page):
    commands = [c for c, _ in console_examples(page)]
    assert len(commands) == 4
    assert all(c.startswith("python scripts/diff_gradients.py") for c in commands)
    assert any("--against" in c for c in commands)  # and "Check your own backprop" is one


@pytest.mark.parametrize(
    ("command", "expected"), sorted(set(console_examples())), ids=lambda v: v[:60]
)
def test_every_console_example_prints_what_is_shown(command, expected):
    argv = shlex.split(command)
    assert argv[0] == "python"
    done = subprocess.run(
        [sys.executable, *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    # a shown FAIL is a shown exit status 1 (a mistake found); anything else is 0
    status = 1 if expected.rstrip().splitlines()[-1].startswith("FAIL") else 0
    assert done.returncode == status, done.stdout + done.stderr
    checker = doctest.OutputChecker()
    if not checker.check_output(expected, done.stdout, FLAGS):
        raise AssertionError(
            checker.output_difference(doctest.Example(command, expected), done.stdout, FLAGS)
        )
