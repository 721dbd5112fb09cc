"""Steps 3 and 4, the forward pass and both losses, against the PyTorch reference."""

import pytest

from tests.cases import letter_case, random_case
from tests.compare import assert_close

torch = pytest.importorskip("torch", reason="the live PyTorch reference needs torch")
pytestmark = pytest.mark.torch

import numpy_impl as ni  # noqa: E402
import reference as ref  # noqa: E402

# float64, <= 1e-14 relative: each value passes through at most a 30-term dot
# product, two sigmoids (each within a few ulp) and a 3-term sum; rounding
# differences of order 30 * 1.1e-16 = 3.3e-15 at the very worst.
RTOL = 1e-14


def mse_floor(a2, y) -> float:
    """The MSE is a sum of squares of a2 - y. Two correct sigmoids may differ by a
    few ulp, delta ~ 4.4e-16 at a2 ~ 1, which moves the loss by up to
    (2/3) sum|a2 - y| delta; when the outputs sit close to their targets that is
    more than 1e-14 of the (small) loss. The floor 0.03 sum|a2 - y| makes the
    absolute allowance 3e-16 sum|a2 - y|: about one such delta per output."""
    return 0.03 * float(abs(a2 - y).sum())


def check_forward_and_losses(case, where):
    x, y, w1, w2 = (ref.as_tensor(a) for a in case)
    ours = ni.forward(case.x, case.w1, case.w2)
    theirs = ref.forward(x, w1, w2)
    for name in ("z1", "a1", "z2", "a2"):
        assert_close("forward", name, getattr(ours, name), getattr(theirs, name), RTOL, where=where)
    assert_close(
        "loss",
        "mse",
        ni.mse_loss(ours.a2, case.y),
        ref.mse_loss(theirs.a2, y),
        RTOL,
        floor=mse_floor(ours.a2, case.y),
        where=where,
    )
    assert_close(
        "loss", "bce", ni.bce_loss(ours.z2, case.y), ref.bce_loss(theirs.z2, y), RTOL, where=where
    )


@pytest.mark.parametrize("seed", range(24))
def test_forward_and_losses_on_random_networks(seed):
    check_forward_and_losses(random_case(seed), f"seed {seed}")


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("sample", [0, 1, 2])
def test_forward_and_losses_on_the_articles_letters(seed, sample):
    check_forward_and_losses(letter_case(seed, sample), f"seed {seed}, letter {'ABC'[sample]}")
