"""Golden vectors (reference/witnesses/golden.npz, made by scripts/make_fixtures.py).

They are the PyTorch reference's answers, so numpy_impl is checked against
the mirror even where torch is not installed, with reference/witnesses/golden.py's
checks (the same checks the mutation test runs on broken code). Where torch
is installed, tests/witnesses/test_parity_fixtures.py checks the file against the live
reference, so it cannot go stale.
"""

import pytest

import numpy_impl as ni
from reference.witnesses import golden

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


@pytest.fixture(scope="module")
def kept():
    return golden.load()


def test_fixture_file_is_complete(kept):
    assert len(golden.case_names(kept)) >= 10
    assert {rule for rule, _ in golden.trainings(kept)} == set(golden.RULES)


@pytest.mark.parametrize("rule", golden.RULES)
def test_numpy_impl_gradients_match_the_golden_vectors(kept, rule):
    golden.check_gradients(ni, kept, rule)


@pytest.mark.parametrize(("rule", "seed"), golden.trainings(golden.load()))
def test_numpy_impl_training_matches_the_golden_runs(kept, rule, seed):
    golden.check_training(ni, kept, rule, seed)
