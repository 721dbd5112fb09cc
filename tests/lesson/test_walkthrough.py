"""docs/walkthrough.md (and its Chinese edition, and the exercises) cannot drift
from the code: every example in them runs here.

* ``>>>`` examples run as one doctest, in order, in one namespace; each shown
  output must match what the code prints (ELLIPSIS and whitespace-normalised).
* ``console`` blocks call PyTorch: tests/lesson/test_parity_walkthrough.py runs them.
"""

import doctest
import io

import pytest

from tests.helpers import DOCTEST_FLAGS as FLAGS
from tests.helpers import PAGES

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


@pytest.mark.parametrize(
    "page",
    [pytest.param(p, marks=[pytest.mark.product_in_child] if "exercise" in p.name else [])
     for p in PAGES],
    ids=lambda p: p.name,
)  # fmt: skip
def test_every_python_example_runs_and_prints_what_is_shown(page):
    text = page.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page.stem, str(page), 0)
    assert len(test.examples) >= (20 if page.stem.startswith("walkthrough") else 8)
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
