"""Step 5, the gradients: each rule against autograd of the loss it differentiates.

    rule "article" (d2 = a2 - y)              vs  autograd of the summed BCE
    rule "mse"     (d2 = (2/3)(a2-y)a2(1-a2)) vs  autograd of the article's MSE

float64, within reference.witnesses.tolerances.GRADIENT (reference/witnesses/compare.py's measure,
with the floor that reference.witnesses.tolerances.gradient_floor derives for saturated
units).
"""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import numpy_impl as ni
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import letter_case, random_case
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import GRADIENT, delta_floor, gradient_floor
from tests.helpers import SETTINGS, networks

RULES = ["article", "mse"]


def gradient_check(rule, **more):
    """The comparison of the gradients of ``rule`` with autograd's, within GRADIENT."""
    return Check(f"gradient ({rule} rule)", GRADIENT, "torch autograd", **more)


def _check_rule(case, rule, where):
    ours = ni.gradients(*case, rule)
    theirs = ref.gradients(*(ref.as_tensor(a) for a in case), rule)
    gradient_check(rule, floor=case.grad_floor, where=where).layers(ours, theirs)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(40))
def test_rule_on_random_networks_including_saturated(seed, rule):
    # hidden size 1 + seed % 16 covers 1..16; scales up to 15 push |z| to ~40
    _check_rule(random_case(seed), rule, f"seed {seed}")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("hidden", range(1, 17))
def test_rule_for_every_hidden_size(hidden, rule):
    for seed in range(3):
        _check_rule(random_case(100 + seed, hidden=hidden, scale=1.0), rule, f"hidden {hidden}")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(20))
def test_rule_on_the_articles_letters(seed, rule):
    for sample in range(3):
        _check_rule(letter_case(seed, sample), rule, f"seed {seed}, letter {'ABC'[sample]}")


@pytest.mark.parametrize("seed", range(24))
def test_output_delta_is_autograds_dl_dz2(seed):
    case = random_case(seed)
    z2 = ni.forward(case.x, case.w1, case.w2).z2
    for rule in RULES:
        ours = ni.output_delta(ni.sigmoid(z2), case.y, rule)
        theirs = ref.output_delta(ref.as_tensor(z2), ref.as_tensor(case.y), rule)
        # a2 - y: an O(1) subtraction, absolute error ~2e-16 (see gradient_floor)
        gradient_check(rule, floor=delta_floor())("dL/dz2", ours, theirs)


@pytest.mark.parametrize("seed", range(24))
def test_backprop_is_autograds_vector_jacobian_product(seed):
    # Random upstream gradients v at z2, not only those of a loss: checks the
    # chain rule itself, x.T @ ((v @ w2.T) * a1 (1 - a1)) and a1.T @ v.
    case = random_case(seed)
    v = np.random.default_rng(1000 + seed).normal(0.0, 1.0, (1, 3))
    ours = ni.backprop(case.x, case.w2, ni.forward(case.x, case.w1, case.w2), v)
    x, _, w1, w2 = (ref.as_tensor(a) for a in case)
    theirs = ref.backprop(x, w1, w2, ref.as_tensor(v))
    floor = gradient_floor(case.w2, upstream=float(np.abs(v).max()))
    vjp = Check("backprop (VJP)", GRADIENT, "torch autograd", floor=floor)
    vjp.layers(ours, theirs, name="v.dz2/d{}")


@pytest.mark.parametrize("rule", RULES)
def test_batch_gradients_match_autograd_of_the_summed_loss(rule):
    w1, w2 = ni.init_weights(3, "normal")
    x, y = ni.dataset()
    ours = ni.gradients(x, y, w1, w2, rule)
    theirs = ref.gradients(*(ref.as_tensor(a) for a in (x, y, w1, w2)), rule)
    gradient_check(rule, floor=gradient_floor(w2)).layers(ours, theirs, name="dL/d{} (batch)")


@pytest.mark.parametrize("rule", RULES)
def test_torch_gradcheck_on_the_reference_losses(rule):
    # The reference's own autograd, checked by torch's numerical gradcheck
    # (float64, fast_mode=False): the third witness for the oracle itself.
    case = random_case(7, hidden=4, scale=1.0)
    x, y, w1, w2 = (ref.as_tensor(a) for a in case)
    w1.requires_grad_(True)
    w2.requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda a, b: ref.claimed_loss(ref.forward(x, a, b), y, rule), (w1, w2), fast_mode=False
    )


@SETTINGS
@given(net=networks(), rule=st.sampled_from(["article", "mse"]))
def test_gradient_matches_autograd(net, rule):
    x, y, w1, w2 = net
    ours = ni.gradients(x, y, w1, w2, rule)
    theirs = ref.gradients(*(ref.as_tensor(a) for a in net), rule)
    gradient_check(rule, floor=gradient_floor(w2) * len(x)).layers(ours, theirs)
