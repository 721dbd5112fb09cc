"""Two more witnesses for each gradient, with NumPy alone: complex-step
differentiation and central differences of numpy_impl's own losses.

With the torch autograd tests (and torch's gradcheck of the reference), every
gradient rule has three independent witnesses.
"""

import pytest

import numpy_impl as ni
from reference.cases import letter_case, random_case
from reference.compare import assert_close
from reference.oracles import central_difference, check_complex_step, rule_loss
from reference.tolerances import CENTRAL, CENTRAL_FLOOR

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell

RULES = ["article", "mse"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(20))
def test_rule_matches_complex_step_of_its_loss(seed, rule):
    # GRADIENT, with the same floor as the autograd tests
    # (reference.tolerances.gradient_floor): the complex step is exact to a few ulp per
    # term, so only the O(1) subtractions inside the rule limit the agreement.
    case = random_case(seed, hidden=1 + seed % 8)
    check_complex_step(case.x, case.y, case.w1, case.w2, rule, case.grad_floor, f"seed {seed}")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(6))
def test_rule_matches_central_differences_of_its_loss(seed, rule):
    # CENTRAL: loose enough for the method's truncation and rounding, and
    # still rejects any wrong factor or term (see reference/tolerances.py).
    case = letter_case(seed, seed % 3)
    ours = ni.gradients(case.x, case.y, case.w1, case.w2, rule)
    cd1, cd2 = central_difference(rule_loss(case.x, case.y, rule), case.w1, case.w2)
    for name, ours_g, witness in (("dL/dw1", ours.w1, cd1), ("dL/dw2", ours.w2, cd2)):
        assert_close(
            f"gradient ({rule} rule)",
            name,
            ours_g,
            witness,
            CENTRAL,
            floor=CENTRAL_FLOOR,
            oracle="central diff",
            where=f"seed {seed}",
        )
