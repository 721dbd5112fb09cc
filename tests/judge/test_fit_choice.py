"""Which chain is a layer's when more than one matches (reference/judge/fit.py): the
one with the fewest mistakes for the loss judged under, the catalogue's order breaking
ties; a chain exactly at the tolerance matches (the tolerance is the largest difference
allowed). The distances are set here, so that every choice is known beforehand."""

import numpy as np

from reference.judge.answers import FLOAT64
from reference.judge.catalogue import chains
from reference.judge.fit import Fit, simplest

FOUND = chains("w2", step=False)
MSE = FOUND.index(next(c for c in FOUND if c.output == "mse" and c.sign > 0))
BCE = FOUND.index(next(c for c in FOUND if c.output == "bce" and c.sign > 0))
TOL = FLOAT64.tolerance  # what the judge matches float64 answers within


def at(distances):
    rel = np.full(len(FOUND), 1.0)
    for index, r in distances.items():
        rel[index] = r
    return Fit(FOUND, rel, rel)


def test_the_chain_with_the_fewest_mistakes_for_the_loss_is_chosen():
    assert FOUND[MSE].mistakes("bce") == ["mse"] and FOUND[BCE].mistakes("bce") == []
    both = at({MSE: 0.0, BCE: 0.0})
    assert simplest(both, "bce", TOL) == BCE  # not the first that matches
    assert simplest(both, "mse", TOL) == MSE


def test_the_catalogues_order_breaks_a_tie():
    flipped = FOUND.index(next(c for c in FOUND if c.output == "mse" and c.sign < 0))
    assert len(FOUND[flipped].mistakes("mse")) == len(FOUND[BCE].mistakes("mse")) == 1
    assert simplest(at({flipped: 0.0, BCE: 0.0}), "mse", TOL) == min(flipped, BCE)


def test_a_chain_exactly_at_the_tolerance_matches_and_none_beyond_it():
    assert simplest(at({BCE: TOL}), "bce", TOL) == BCE
    assert simplest(at({BCE: 2 * TOL}), "bce", TOL) is None
