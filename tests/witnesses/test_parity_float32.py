"""float32: single steps against the float32 reference, and how far a float32
training drifts from float64 (measured and reported, not hidden).

Single steps within reference.witnesses.tolerances.FLOAT32: float32 rounds at 6e-8, and
a step is a few dozen roundings. Gradients use gradient_floor's reasoning at
float32's epsilon (FLOAT32_FLOOR_SCALE).
"""

import numpy as np
import pytest
import torch

import numpy_impl as ni
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import random_case
from reference.witnesses.compare import Check, errors, record
from reference.witnesses.tolerances import (
    FLOAT32,
    FLOAT32_DRIFT,
    FLOAT32_FLOOR_SCALE,
    gradient_floor,
)


def _f32(case):
    return [a.astype(np.float32) for a in case]


@pytest.mark.parametrize("seed", range(20))
def test_float32_single_steps(seed):
    case = random_case(seed)
    x, y, w1, w2 = _f32(case)
    tx, ty, tw1, tw2 = (ref.as_tensor(a, torch.float32) for a in (x, y, w1, w2))
    ours = ni.forward(x, w1, w2)
    theirs = ref.forward(tx, tw1, tw2)
    assert ours.a2.dtype == np.float32
    for name in ("z1", "a1", "z2", "a2"):
        Check("forward", FLOAT32, dtype="float32")(name, getattr(ours, name), getattr(theirs, name))
    loss = Check("loss", FLOAT32, dtype="float32")
    loss("mse", ni.mse_loss(ours.a2, y), ref.mse_loss(theirs.a2, ty))
    loss("bce", ni.bce_loss(ours.z2, y), ref.bce_loss(theirs.z2, ty))
    floor = FLOAT32_FLOOR_SCALE * gradient_floor(w2)
    for rule in ("article", "mse"):
        g = ni.gradients(x, y, w1, w2, rule)
        assert g.w1.dtype == np.float32
        check = Check(
            f"gradient ({rule} rule)", FLOAT32, "torch autograd", floor=floor, dtype="float32"
        )
        check.layers(g, ref.gradients(tx, ty, tw1, tw2, rule))


@pytest.mark.slow
@pytest.mark.parametrize("rule", ["article", "mse"])
def test_float32_training_drift_from_float64_is_reported(rule):
    # Not a tolerance: the size of float32's drift over the article's 45,000
    # steps, recorded so the report shows it. The run must still learn the same
    # letters, and the drift must stay far below the loss itself (1%), or
    # float32 mode would be telling a different story.
    f64 = ni.train(rule=rule)
    f32 = ni.train(rule=rule, dtype="float32")
    _, loss_drift, at = errors(f32.loss, f64.loss, elementwise=True)
    _, w_drift, _ = errors(f32.w1, f64.w1)
    worst = float(np.abs(f32.loss - f64.loss).max())
    note = f"worst at epoch {at[0]}; w1 drift {w_drift:.2e} relative"
    step = f"float32 drift ({rule})"
    record(
        step,
        "loss history",
        "float64 run",
        "float32",
        tol=FLOAT32_DRIFT,
        max_abs=worst,
        max_rel=loss_drift,
        note=note,
    )
    x, _ = ni.dataset()
    assert ni.predict(x, f32.w1, f32.w2).letters == ni.predict(x, f64.w1, f64.w2).letters
    assert loss_drift < FLOAT32_DRIFT
