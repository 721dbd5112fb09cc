"""docs/walkthrough.md cannot drift from the code: every example in it runs here.

* ``>>>`` examples run as one doctest, in order, in one namespace; each shown
  output must match what the code prints (ELLIPSIS and whitespace-normalised).
* ``console`` blocks call PyTorch: tests/test_parity_walkthrough.py runs them.
"""

import doctest
import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell

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
