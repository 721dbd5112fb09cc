"""Two more witnesses for each gradient, with NumPy alone: complex-step
differentiation and central differences of numpy_impl's own losses.

With the torch autograd tests (and torch's gradcheck of the reference), every
gradient rule has three independent witnesses.
"""

import pytest

import numpy_impl as ni
from reference.witnesses.cases import letter_case, random_case
from reference.witnesses.compare import Check
from reference.witnesses.oracles import central_difference, check_complex_step, loss_function
from reference.witnesses.tolerances import CENTRAL, CENTRAL_FLOOR

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell

RULES = ["article", "mse"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(20))
def test_rule_matches_complex_step_of_its_loss(seed, rule):
    # GRADIENT, with the same floor as the autograd tests
    # (reference.witnesses.tolerances.gradient_floor): the complex step is exact to a few ulp per
    # term, so only the O(1) subtractions inside the rule limit the agreement.
    case = random_case(seed, hidden=1 + seed % 8)
    check_complex_step(*case, rule, floor=case.grad_floor, where=f"seed {seed}")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(6))
def test_rule_matches_central_differences_of_its_loss(seed, rule):
    # CENTRAL: loose enough for the method's truncation and rounding, and
    # still rejects any wrong factor or term (see reference/witnesses/tolerances.py).
    case = letter_case(seed, seed % 3)
    witness = central_difference(loss_function(case.x, case.y, ni.RULE_LOSS[rule].name), *case[2:])
    check = Check(f"gradient ({rule} rule)", CENTRAL, "central diff", floor=CENTRAL_FLOOR)
    check.at(where=f"seed {seed}").layers(ni.gradients(*case, rule), witness)
