"""The finding, as a permanent test: the article's rule is NOT the MSE gradient.

At the output logits the article uses d2 = a2 - y. Autograd of the article's
own loss L = sum((a2 - y)^2) / 3 gives dL/dz2 = (2/3)(a2 - y) a2 (1 - a2).
Their ratio, output by output, is therefore 3 / (2 a2 (1 - a2)) >= 6 (since
a2 (1 - a2) <= 1/4), and the two w2 gradients, a1.T @ d for each d, point in
directions whose cosine follows from the same per-output factor
c = (2/3) a2 (1 - a2):

    cos = sum(c d^2) / (sqrt(sum(d^2)) sqrt(sum(c^2 d^2)))      d = a2 - y

(the outer factor a1 cancels). The test measures ratio and cosine between
numpy_impl's article rule and autograd's MSE gradient and asserts they are
what this algebra predicts; it also asserts the rule IS the BCE gradient.
"""

import numpy as np
import pytest

import numpy_impl as ni
from reference.witnesses import torch_mirror as ref
from reference.witnesses.cases import letter_case
from reference.witnesses.compare import Check, record
from reference.witnesses.tolerances import GRADIENT, RATIO, delta_floor


def _cosine(a, b):
    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("sample", [0, 1, 2])
def test_article_rule_is_bce_gradient_and_not_mse_gradient(seed, sample):
    case = letter_case(seed, sample)
    x, y, w1, w2 = (ref.as_tensor(a) for a in case)
    fwd = ni.forward(case.x, case.w1, case.w2)
    article_d2 = ni.output_delta(fwd.a2, case.y, "article")
    mse_d2 = ref.output_delta(ref.as_tensor(fwd.z2), y, "mse").numpy()
    bce_d2 = ref.output_delta(ref.as_tensor(fwd.z2), y, "article").numpy()

    # It is the BCE gradient (to rounding, with the a2 - y floor) ...
    bce = Check("finding", GRADIENT, "torch autograd", floor=delta_floor())
    bce("d2 vs BCE dL/dz2", article_d2, bce_d2)
    # ... and NOT the MSE gradient: off by 3 / (2 a2 (1 - a2)) >= 6 per output.
    ratio = article_d2 / mse_d2
    algebra = Check("finding", GRADIENT, "algebra", elementwise=True)
    algebra("d2 / MSE dL/dz2", ratio, 3 / (2 * fwd.a2 * (1 - fwd.a2)))
    assert np.all(ratio >= 6)

    # The w2 gradients' cosine is the one the per-output factor predicts.
    article_g2 = ni.gradients(case.x, case.y, case.w1, case.w2, "article").w2
    mse_g2 = ref.gradients(x, y, w1, w2, "mse").w2.numpy()
    d = (fwd.a2 - case.y).ravel()
    c = (2 / 3 * fwd.a2 * (1 - fwd.a2)).ravel()
    predicted_cos = float(
        (c * d * d).sum() / (np.sqrt((d * d).sum()) * np.sqrt((c * c * d * d).sum()))
    )
    measured_cos = _cosine(article_g2, mse_g2)
    assert abs(measured_cos - predicted_cos) <= RATIO
    off = abs(measured_cos - predicted_cos)
    note = f"cosine article vs MSE w2 gradient, e.g. {measured_cos:.4f}"
    record(
        "finding",
        "cos(w2 grads)",
        "algebra",
        "float64",
        tol=RATIO,
        max_abs=off,
        max_rel=off,
        note=note,
    )
    # The magnitudes differ by a factor of several, not by rounding.
    assert np.linalg.norm(article_g2) / np.linalg.norm(mse_g2) >= 6
