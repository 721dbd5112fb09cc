"""Steps 3 and 4, the forward pass and both losses, against the PyTorch reference."""

import pytest

import numpy_impl as ni
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import letter_case, random_case
from reference.witnesses.compare import Check
from reference.witnesses.tolerances import FORWARD, mse_floor


def check_forward_and_losses(case, where):
    x, y, w1, w2 = (ref.as_tensor(a) for a in case)
    ours = ni.forward(case.x, case.w1, case.w2)
    theirs = ref.forward(x, w1, w2)
    for name in ("z1", "a1", "z2", "a2"):
        Check("forward", FORWARD, where=where)(name, getattr(ours, name), getattr(theirs, name))
    loss = Check("loss", FORWARD, where=where)
    mse = loss.at(floor=mse_floor(ours.a2, case.y))
    mse("mse", ni.mse_loss(ours.a2, case.y), ref.mse_loss(theirs.a2, y))
    loss("bce", ni.bce_loss(ours.z2, case.y), ref.bce_loss(theirs.z2, y))


@pytest.mark.parametrize("seed", range(24))
def test_forward_and_losses_on_random_networks(seed):
    check_forward_and_losses(random_case(seed), f"seed {seed}")


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("sample", [0, 1, 2])
def test_forward_and_losses_on_the_articles_letters(seed, sample):
    check_forward_and_losses(letter_case(seed, sample), f"seed {seed}, letter {'ABC'[sample]}")


def test_the_mirror_computes_every_loss_of_the_table_by_its_name():
    from reference.witnesses.losses import ARTICLE_LOSSES, LOSSES

    assert set(ref.TORCH_LOSSES) == set(ARTICLE_LOSSES)
    case = letter_case(2, 1)
    x, y, w1, w2 = (ref.as_tensor(a) for a in case)
    fwd = ni.forward(case.x, case.w1, case.w2)
    for name in ARTICLE_LOSSES:
        loss = LOSSES[name]
        theirs = ref.TORCH_LOSSES[name](ref.forward(x, w1, w2), y)
        Check("loss", FORWARD, where="the table's")(name, loss.of(fwd, case.y), theirs)
