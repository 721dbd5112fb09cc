"""Noisy letters: every bitmap at distance 1, seeded samples further out."""

import itertools
import math

import numpy as np
import pytest

import numpy_impl as ni
from numpy_impl import noisy
from numpy_impl.sweep import sweep

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


def test_letter_distances_are_those_of_the_bitmaps():
    xs, _ = ni.dataset()
    d = noisy.letter_distances()
    assert d[("A", "B")] == int(np.abs(xs[0] - xs[1]).sum())
    assert d[("B", "C")] == 5  # B and C differ in 5 pixels: the hard pair


@pytest.mark.parametrize("distance", [0, 1, 2, 3, 5, 30])
def test_every_noisy_bitmap_is_at_its_distance(distance):
    x, labels = noisy.noisy_letters(distance, per_letter=200, seed=3)
    xs, _ = ni.dataset()
    assert set(np.unique(x)) <= {0.0, 1.0}
    assert np.array_equal(np.abs(x - xs[labels]).sum(axis=1), np.full(len(x), distance))
    counts = np.bincount(labels, minlength=3)
    assert counts[0] == counts[1] == counts[2] == len(x) // 3


def test_distance_one_is_exhaustive_even_for_few_per_letter():
    sets = noisy.flip_sets(1, per_letter=5, seed=0)
    assert sorted(sets[:, 0]) == list(range(30))


def test_small_distances_are_exhaustive_large_ones_seeded():
    assert len(noisy.flip_sets(0, 10, 0)) == 1
    two = noisy.flip_sets(2, 1000, 0)
    assert len(two) == math.comb(30, 2) == len({tuple(sorted(s)) for s in two})
    assert [tuple(s) for s in two] == list(itertools.combinations(range(30), 2))
    three = noisy.flip_sets(3, 1000, 0)
    assert three.shape == (1000, 3)
    assert all(len(set(s)) == 3 for s in three)  # distinct pixels in each set
    np.testing.assert_array_equal(three, noisy.flip_sets(3, 1000, 0))  # seeded
    assert not np.array_equal(three, noisy.flip_sets(3, 1000, 1))


def test_random_draws_start_where_every_set_would_be_too_many():
    # C(30, 2) = 435: with 435 per letter, every set; with 434, 434 random ones
    every = noisy.flip_sets(2, 435, 0)
    assert [tuple(s) for s in every] == list(itertools.combinations(range(30), 2))
    drawn = noisy.flip_sets(2, 434, 0)
    assert drawn.shape == (434, 2)
    assert [tuple(s) for s in drawn] != list(itertools.combinations(range(30), 2))[:434]
    assert noisy.flip_sets(5, 1, 0).shape == (1, 5)  # one per letter is allowed
    with pytest.raises(ValueError, match=r"^per_letter must be >= 1, got 0$"):
        noisy.flip_sets(5, 0, 0)


def test_defaults_and_the_seed_are_used():
    default = noisy.noisy_letters(5)
    np.testing.assert_array_equal(default[0], noisy.noisy_letters(5, 1000, 0)[0])
    w1, w2 = ni.init_weights(1)
    x, labels = noisy.noisy_letters(6, 40, seed=9)
    seeded = noisy.evaluate(w1, w2, [6], per_letter=40, seed=9)[6]
    assert seeded == (120, noisy.accuracy(w1, w2, x, labels))


def test_accuracy_in_blocks_is_the_same(monkeypatch):
    from numpy_impl import memory

    nets = sweep(networks=3, epochs=200)
    x, labels = noisy.noisy_letters(2, per_letter=100)
    whole = noisy.accuracy(nets.w1, nets.w2, x, labels)
    monkeypatch.setattr(memory, "BLOCK", 5)  # a bitmap and a network at a time
    np.testing.assert_array_equal(noisy.accuracy(nets.w1, nets.w2, x, labels), whole)


def test_a_broken_network_among_others_spoils_only_its_own_score():
    trained = sweep(networks=2, epochs=3000, seed=1)
    w1, w2 = trained.w1.copy(), trained.w2.copy()
    w1[0, 0, 0] = np.nan  # network 0 broken, in the same block as network 1
    x, labels = noisy.noisy_letters(0)
    right = noisy.accuracy(w1, w2, x, labels)
    assert right[0] == 0.0
    assert right[1] == noisy.accuracy(trained.w1[1], trained.w2[1], x, labels) == 1.0


@pytest.mark.parametrize("weight", [np.nan, np.inf, -np.inf, 1e308])
def test_broken_weights_are_just_wrong(weight):
    # no warning (pytest turns them into errors), and NaN outputs count as wrong
    w1, w2 = np.full((30, 5), weight), np.ones((5, 3))
    x, labels = noisy.noisy_letters(1)
    right = noisy.accuracy(w1, w2, x, labels)
    # NaN outputs are wrong; 1e308 saturates every hidden unit (a1 = 1), so every
    # bitmap gets the same outputs and one letter in three is right
    assert right == (1 / 3 if np.isfinite(weight) else 0.0)


def test_a_distance_does_not_depend_on_the_others_asked_for():
    w1, w2 = ni.init_weights(0, "article")
    alone = noisy.evaluate(w1, w2, distances=[4], seed=2)
    together = noisy.evaluate(w1, w2, distances=[1, 3, 4], seed=2)
    assert alone[4][1] == together[4][1]


def test_accuracy_single_and_stacked_agree():
    trained = ni.train(epochs=2000)
    start = ni.init_weights(1, "article")
    x, labels = noisy.noisy_letters(3, per_letter=300, seed=0)
    w1 = np.stack([trained.w1, start[0]])
    w2 = np.stack([trained.w2, start[1]])
    stacked = noisy.accuracy(w1, w2, x, labels)
    assert stacked.shape == (2,)
    assert stacked[0] == noisy.accuracy(trained.w1, trained.w2, x, labels)
    # independently: predict's letters against the labels
    letters = ni.predict(x, trained.w1, trained.w2).letters
    assert stacked[0] == np.mean([ni.LETTERS.index(c) for c in letters] == labels)


def test_a_trained_network_is_perfect_at_distance_zero(article_job):
    trained = article_job
    results = noisy.evaluate(trained.w1, trained.w2, distances=[0, 1])
    assert results[0] == (3, 1.0)
    assert results[1][0] == 90


@pytest.mark.parametrize("distance", [-1, 31])
def test_distance_out_of_range(distance):
    with pytest.raises(ValueError, match=r"distance must be in 0\.\.30"):
        noisy.noisy_letters(distance)
