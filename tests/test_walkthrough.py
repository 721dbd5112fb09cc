"""docs/walkthrough.md cannot drift from the code: every example in it runs here.

* ``>>>`` examples run as one doctest, in order, in one namespace; each shown
  output must match what the code prints (ELLIPSIS and whitespace-normalised).
* ``console`` blocks call PyTorch: tests/test_parity_walkthrough.py runs them.
"""

import doctest
import io

import pytest

from tests.helpers import DOCTEST_FLAGS as FLAGS
from tests.helpers import WALKTHROUGH

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


def test_every_python_example_runs_and_prints_what_is_shown():
    text = WALKTHROUGH.read_text()
    test = doctest.DocTestParser().get_doctest(text, {}, "walkthrough", str(WALKTHROUGH), 0)
    assert len(test.examples) >= 20  # the page's examples were all found
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
