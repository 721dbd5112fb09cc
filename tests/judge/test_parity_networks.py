"""The judge's own backward pass for a described network (reference/judge/layered.py,
written by hand in the rows layout) against PyTorch autograd of the described loss
(reference/witnesses/torch_networks.py, computed in the description's own layout):
every built-in at every point of its plan, and random descriptions, within GRADIENT
(float64 single steps, a few dozen roundings; the floor of reference/judge/described.py
for saturated units)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.judge.described import arguments, expected, plan, point
from reference.judge.layered import backward
from reference.witnesses import networks, torch_networks
from reference.witnesses.compare import errors
from reference.witnesses.networks import BUILT_IN
from reference.witnesses.tolerances import FORWARD, GRADIENT, network_floor
from tests.helpers import described


def _torch(d, p):
    at = d.at(p.sizes)
    return torch_networks.gradients(at, dict(zip(at.parameters, arguments(at, p))))


def _agree(d, p, floor):
    at = d.at(p.sizes)
    ours, theirs = backward(at, p.x, p.y, p.weights).gradients, _torch(d, p)
    for name, g in ours.items():
        assert errors(at.from_rows(name, g), theirs[f"d{name}"], floor)[1] <= GRADIENT, name


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_every_built_in_at_every_point_of_its_plan_is_autograds(name):
    d = BUILT_IN[name]
    for index, p in enumerate(plan(d)):
        _agree(d, p, expected(d, index).floor)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(described(), st.integers(0, 3))
def test_any_description_is_autograds(d, seed):
    p = point(d, d.sizes, seed, 0)
    upstream = 1.0 if d.reduction == "mean" else float(len(p.x))
    weights = [v for k, v in p.weights.items() if d.place(k)[0] == "W"]
    _agree(d, p, network_floor(weights, upstream))


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_the_loss_is_torchs(name):
    import torch

    d = BUILT_IN[name]
    for p in plan(d):
        at = d.at(p.sizes)
        given_ = {k: torch.tensor(v) for k, v in zip(at.parameters, arguments(at, p))}
        theirs = float(torch_networks.loss(at, given_))
        ours = float(networks.loss(at, p.x, p.y, p.weights))
        assert abs(ours - theirs) <= FORWARD * abs(theirs)
        assert np.isfinite(ours)
