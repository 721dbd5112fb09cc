"""The one table of tolerances: every limit the checks use, and why it has its value.

A tolerance is a relative error (normwise, see :mod:`reference.witnesses.compare`)
that a comparison may not exceed. Each one below is derived from the
arithmetic of what it compares, never widened to make a comparison pass.
float64 rounds at eps = 2.2e-16 (half an ulp of 1 is 1.1e-16); float32 at
6e-8. Where a comparison subtracts O(1) numbers, a floor turns the relative
limit into an absolute one near zero (:func:`gradient_floor`, :func:`mse_floor`).

``Tolerance`` is a float, so ``error <= GRADIENT`` reads as it should, and it
carries its reason, which the verification report prints beside it.
"""

from __future__ import annotations

from typing import Dict, Sequence

import numpy as np


class Tolerance(float):
    """A relative tolerance that knows why it has its value."""

    reason: str

    def __new__(cls, value: float, reason: str) -> Tolerance:
        self = super().__new__(cls, value)
        self.reason = reason
        return self


# --- float64: one rounding or a few -----------------------------------------

ONE_ULP = Tolerance(
    2.3e-16,
    "one rounding of a number near 1: a value known exactly (the sigmoid of a"
    " float whose exact sigmoid is known, or sigmoid(t) + sigmoid(-t) = 1)",
)
TWO_ULP = Tolerance(
    4.5e-16,
    "the sigmoid's documented accuracy, 2 ulp (2 x 2.2e-16), against an exact"
    " value or the textbook formula where that formula is exact",
)
SIGMOID_ULPS = Tolerance(
    4,
    "in ulp, not relative: the sigmoid against torch's or the textbook formula,"
    " where the output is a normal float; each is within ~2 ulp of the truth",
)
SIGMOID_EXACT_ULPS = Tolerance(
    2,
    "in ulp, not relative: the sigmoid's documented accuracy, against 40-digit"
    " arithmetic, where the output is a normal float",
)
REGROUPED = Tolerance(
    1e-15,
    "the same formula evaluated with its operations grouped differently (one row"
    " of a batch vs the row alone, (w2 @ d2.T).T vs d2 @ w2.T): a few roundings",
)
FORWARD = Tolerance(
    1e-14,
    "forward pass and losses against another implementation: a 30-term dot"
    " product (30 x 1.1e-16 = 3.3e-15 at worst), two sigmoids and a 3-term sum",
)
SHORT_RUN = Tolerance(
    1e-14,
    "50 epochs of the article's loop against its transcript: the same formulas"
    " but for the stable sigmoid and the grouping of d1, a few roundings per"
    " step that stay at ~1e-16 while the run is short",
)
GRADIENT = Tolerance(
    1e-13,
    "float64 gradients (and BCE losses) against an exact witness (autograd, the"
    " complex step, golden vectors, a sum of rows): both sides are a few dozen"
    " roundings of 1.1e-16 from the truth, so 1e-13 leaves a factor ~100",
)
RATIO = Tolerance(
    1e-12,
    "the finding: a ratio or cosine of two exact float64 quantities, each within"
    " ~1e-15, divided, squared or summed: a few times their own error, with room",
)
TRANSCRIPT = Tolerance(
    1e-12,
    "the article's whole job (45,000 steps) against the article's loop"
    " transcribed: single steps agree to ~1e-16 and the measured gap after the"
    " run is ~1e-15; 1e-12 leaves three orders for the slow growth of rounding",
)
TRAJECTORY = Tolerance(
    1e-10,
    "15000-epoch trainings against another implementation (PyTorch, golden"
    " runs, the sweep vs training alone): the measured gap is ~1e-14 to 1e-15;"
    " 1e-10 leaves room for rounding amplified by the dynamics, and any wrong"
    " step still moves the weights by far more",
)

# --- numerical differentiation ----------------------------------------------

CENTRAL = Tolerance(
    1e-6,
    "central differences, h = 1e-5: truncation h^2 |L'''| / 6 ~ 1e-11 plus"
    " rounding eps |L| / h ~ 1e-11, checked with the floor CENTRAL_FLOOR"
    " (an absolute allowance of 1e-10); a wrong factor or term is >= 1e-2 off",
)
#: The floor used with :data:`CENTRAL`: relative 1e-6 of 1e-4 is 1e-10 absolute.
CENTRAL_FLOOR = 1e-4

# --- float32 ----------------------------------------------------------------

FLOAT32 = Tolerance(
    1e-5,
    "float32 single steps (or short runs) against float32 or float64: rounding"
    " at 6e-8 per operation, a few dozen operations; gradients use the float64"
    " floor scaled by FLOAT32_FLOOR_SCALE",
)
#: float32's epsilon over float64's, as the floor's rtol sees it: the floor
#: 0.01 (1 + max|w2|) at rtol 1e-13 allows 1e-15 (...); at rtol 1e-5, 0.06 (...)
#: allows 6e-7 (...), the same five roundings at float32's 1.2e-7.
FLOAT32_FLOOR_SCALE = 6.0
# --- not rounding bounds: what the judge calls an answer it recognises --------

APPROXIMATE = Tolerance(
    1e-2,
    "NOT a rounding bound: an answer that differs from the exact gradient at every"
    " point, by at most this (relative), by no one constant factor, and matches no"
    " mistake, is an approximation: finite differences err by h or h^2 (forward or"
    " central; 1e-10 to 1e-5 for the usual h, 3e-3 measured for central h = 0.05),"
    " float32 kept in one line by 1e-7; a mistake of backprop (a slope, a term)"
    " changes a gradient by 1e-1 or more where it acts",
)
RECOGNISED = Tolerance(
    1e-6,
    "NOT a correctness bound: how near a step's returned arrays must be to the"
    " gradients themselves to be told 'returned the gradients, not the weights';"
    " reading them back from the recovered gradient costs eps |w| / alpha, 1e-14"
    " of the floor, and float32 gradients round at 6e-8",
)
FLOAT16 = Tolerance(
    1e-2,
    "float16 gradients (a backprop computed in half precision, returned as float16"
    " or as float64): rounding at 4.9e-4 per operation, about twenty operations"
    " deep; a correct float16 backprop is measured within 5e-3 at the judge's"
    " points, and a mistake of backprop (a factor, a slope) is 1e-1 or more off",
)
#: float16's floor: at rtol 1e-2, 0.05 (1 + max|w2|) |d2| allows 5e-4 (...), the two
#: subtractions of O(1) numbers losing half an ulp of 1 (2.4e-4) each; a gradient
#: that underflows (below 6e-8) or a 1 - a that rounds to 0 is within it.
FLOAT16_FLOOR_SCALE = 5.0
FLOAT32_DRIFT = Tolerance(
    1e-2,
    "NOT a rounding bound: how far a whole float32 training may drift from"
    " float64 (or float32 PyTorch) and still tell the same story; the measured"
    " drift is recorded so the report shows it",
)

FACTOR = Tolerance(
    1e-6,
    "NOT a rounding bound: how near the ratio of a gradient to the right one must be to n,"
    " 1/n, -1 or another's at every point to be named so; such a ratio, of exact float64"
    " numbers, carries their ~1e-15 (float32's, float16's: ten times their tolerance)",
)

#: Every tolerance by name: the table the verification report prints.
TABLE: Dict[str, Tolerance] = {
    name: value for name, value in dict(globals()).items() if isinstance(value, Tolerance)
}


def factor_limit(tolerance: float) -> float:
    """How near a ratio of arrays computed to ``tolerance`` must be to a factor to be
    named so: :data:`FACTOR`, or ten times ``tolerance`` where that is wider (float32's,
    float16's: the ratio of two such arrays carries a few of their roundings)."""
    return max(FACTOR, 10 * tolerance)


def delta_floor(upstream: float = 1.0) -> float:
    """The floor for the output delta d2 itself: a2 - y is a subtraction of O(1)
    numbers, with an absolute error of ~2e-16 however small it is; 0.01 |d2|
    with :data:`GRADIENT` allows 1e-15 |d2|, about five such roundings."""
    return 0.01 * upstream


def gradient_floor(w2: np.ndarray, upstream: float = 1.0) -> float:
    """The scale below which gradient errors are judged absolutely (reference/witnesses/compare.py).

    Two subtractions of O(1) numbers feed every gradient: a2 - y at the output
    and 1 - a1 in the sigmoid's derivative. Each carries an absolute rounding
    error of up to a few ulp of 1 (~2e-16) however small its exact value, so
    when units saturate (|z| >~ 30) the exact gradient can be smaller than
    that error and no float64 code, autograd included, can reproduce it to
    relative precision. Those errors reach dL/dw1 through w2 and scale with
    the upstream gradient |d2| (<= 1 for both rules; a batch of n rows sums n
    of them: upstream = n), so the floor is 0.01 (1 + max|w2|) |d2|: with
    :data:`GRADIENT` = 1e-13 the absolute allowance is 1e-15 (1 + max|w2|) |d2|,
    about five such roundings.
    """
    return delta_floor(upstream) * (1.0 + float(np.abs(w2).max()))


def network_floor(weights: Sequence[np.ndarray], upstream: float = 1.0) -> float:
    """The floor for a described network's gradients (reference/judge/described.py):
    :func:`gradient_floor`'s, its a - y and 1 - a carried back through every weight,
    0.01 (1 + max|W| over the layers) |delta|, one such rounding a layer at most."""
    top = max(float(np.abs(w).max()) for w in weights)
    return delta_floor(upstream) * (1.0 + top) ** max(len(weights) - 1, 1)


def mse_floor(a2: np.ndarray, y: np.ndarray) -> float:
    """The floor for comparing MSE losses.

    The MSE is a sum of squares of a2 - y. Two correct sigmoids may differ by
    a few ulp, delta ~ 4.4e-16 at a2 ~ 1, which moves the loss by up to
    (2/3) sum|a2 - y| delta; when the outputs sit close to their targets that
    is more than :data:`FORWARD` of the (small) loss. The floor
    0.03 sum|a2 - y| makes the absolute allowance 3e-16 sum|a2 - y|: about one
    such delta per output.
    """
    return 0.03 * float(np.abs(np.asarray(a2, dtype=np.float64) - y).sum())
