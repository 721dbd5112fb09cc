"""Unseen letters: the three bitmaps with pixels flipped.

The network is trained on exactly three bitmaps. Does it still recognise an A
with a pixel wrong? A bitmap at Hamming distance d from a letter is that letter
with d of its 30 pixels flipped (ink <-> background); its label stays the
letter it came from.

* d = 0: the letter itself; d = 1: all 30 one-pixel flips of it, always;
* d >= 2: every such bitmap while there are at most ``per_letter`` of them
  (C(30, 2) = 435), otherwise ``per_letter`` seeded random ones, each flipping d
  distinct pixels. The draws for distance d come from
  ``default_rng([seed, d])``, so they do not depend on which other distances
  are asked for.

Mind the letters' own distances (:func:`letter_distances`): B and C differ in
only 5 pixels, so from d = 3 on some flipped Bs are closer to C than to B,
and no classifier can get them all right.
"""

from __future__ import annotations

import itertools
import math
from typing import Dict, List, Sequence, Tuple

import numpy as np
from numpy.typing import NDArray

from numpy_impl import memory
from numpy_impl.checks import check_int, check_seed
from numpy_impl.data import LETTERS, N_PIXELS, dataset
from numpy_impl.network import sigmoid

DEFAULT_DISTANCES = (0, 1, 2, 3, 4, 5)
DEFAULT_PER_LETTER = 1000

Bitmaps = NDArray[np.float64]


def letter_distances() -> Dict[Tuple[str, str], int]:
    """Hamming distance between each pair of the training letters."""
    xs, _ = dataset()
    return {
        (LETTERS[i], LETTERS[j]): int((xs[i] != xs[j]).sum())
        for i, j in itertools.combinations(range(len(LETTERS)), 2)
    }


def flip_sets(distance: int, per_letter: int, seed: int) -> NDArray[np.intp]:
    """The pixel sets to flip: an (m, distance) array of distinct pixel indices.

    All C(30, distance) sets when distance <= 1 or there are at most
    ``per_letter`` of them, otherwise ``per_letter`` seeded draws (each set's pixels distinct).
    """
    distance = check_int("distance", distance, low=0, high=N_PIXELS)
    per_letter = check_int("per_letter", per_letter, low=1)
    if count(distance, per_letter) == math.comb(N_PIXELS, distance):
        every = list(itertools.combinations(range(N_PIXELS), distance))
        return np.array(every, dtype=np.intp).reshape(len(every), distance)
    rng = np.random.default_rng([seed, distance])
    # the first `distance` entries of a random permutation of the 30 pixels
    return np.argsort(rng.random((per_letter, N_PIXELS)), axis=1)[:, :distance]


def count(distance: int, per_letter: int) -> int:
    """How many bitmaps per letter :func:`flip_sets` gives for ``distance``."""
    every = math.comb(N_PIXELS, distance)
    return every if distance <= 1 or every <= per_letter else per_letter


def noisy_letters(
    distance: int, per_letter: int = DEFAULT_PER_LETTER, seed: int = 0
) -> Tuple[Bitmaps, NDArray[np.intp]]:
    """Bitmaps at Hamming distance ``distance`` from each letter, with their labels.

    Returns (X, labels): X of shape (3 m, 30), 0/1 floats, the m variants of A,
    then those of B, then C; labels (3 m,), 0 for A, 1 for B, 2 for C.
    """
    sets = flip_sets(distance, per_letter, seed)
    xs, _ = dataset()
    rows = []
    for letter in range(len(LETTERS)):
        variants = np.repeat(xs[letter : letter + 1], len(sets), axis=0)
        # flip: 1 - pixel, at each variant's chosen pixels
        np.put_along_axis(variants, sets, 1 - np.take_along_axis(variants, sets, axis=1), axis=1)
        rows.append(variants)
    labels = np.repeat(np.arange(len(LETTERS)), len(sets))
    return np.concatenate(rows), labels


def accuracy(
    w1: NDArray[np.floating], w2: NDArray[np.floating], x: Bitmaps, labels: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Fraction of the bitmaps x (m, 30) put in their labelled class.

    w1, w2 are one network, (30, h) and (h, 3): returns a 0-d array; or K
    networks stacked, (K, 30, h) and (K, h, 3): returns (K,). Worked through
    in chunks of networks, so that memory stays small for any K.
    """
    single = w1.ndim == 2
    w1s, w2s = (w1[None], w2[None]) if single else (w1, w2)
    x = x.astype(w1s.dtype)
    hidden = w1s.shape[2]
    # blocks of (networks, bitmaps, h) of about memory.BLOCK floats each
    rows = max(1, memory.BLOCK // hidden)
    nets = max(1, memory.BLOCK // (min(rows, len(x)) * hidden))
    hits = np.zeros(len(w1s))
    for k in range(0, len(w1s), nets):
        for r in range(0, len(x), rows):
            # (einsum raises no floating-point warnings, nor does sigmoid: NaN or
            # infinite weights give NaN outputs, which count as wrong)
            a1 = sigmoid(np.einsum("mi,kij->kmj", x[r : r + rows], w1s[k : k + nets]))
            a2 = sigmoid(np.einsum("kmj,kjc->kmc", a1, w2s[k : k + nets]))
            hit = (a2.argmax(axis=2) == labels[r : r + rows]) & np.isfinite(a2).all(axis=2)
            hits[k : k + nets] += hit.sum(axis=1)
    right = hits / len(x)
    return right[0] if single else right


def check_options(
    distances: Sequence[int], per_letter: int, seed: int
) -> Tuple[List[int], int, int]:
    """The noisy-letter options as checked: distances in 0..30, per_letter >= 1, a seed.

    :func:`evaluate` checks with it; the command line calls it before any
    training, so that a bad option is reported at once.
    """
    checked = [check_int("distance", d, low=0, high=N_PIXELS) for d in distances]
    return checked, check_int("per_letter", per_letter, low=1), check_seed(seed)


def check_memory(
    distances: Sequence[int], per_letter: int, networks: int, hidden: int, itemsize: int
) -> None:
    """Raise :class:`numpy_impl.memory.NotEnoughMemory` (a ``ValueError``) if
    evaluating ``networks`` networks of ``hidden`` units on these noisy letters
    cannot fit in the memory available. :func:`evaluate` checks with it; the
    command line calls it before a sweep's training."""
    if not distances:
        return
    per_distance = [count(d, per_letter) for d in distances]
    m, d = max(zip(per_distance, distances))
    needs = memory.for_noisy_letters(per_distance, networks, hidden, itemsize)
    memory.require(f"evaluating on {m} noisy bitmaps per letter at distance {d}", needs)


def evaluate(
    w1: NDArray[np.floating],
    w2: NDArray[np.floating],
    distances: Sequence[int] = DEFAULT_DISTANCES,
    per_letter: int = DEFAULT_PER_LETTER,
    seed: int = 0,
) -> Dict[int, Tuple[int, NDArray[np.float64]]]:
    """Accuracy at each Hamming distance: {d: (number of bitmaps, accuracy)}.

    The accuracy is a 0-d array for one network, (K,) for K stacked networks
    (see :func:`accuracy`). Raises ``ValueError`` for a bad option, or (before
    drawing any bitmap) for letters too many for the memory available.
    """
    distances, per_letter, seed = check_options(distances, per_letter, seed)
    networks = 1 if w1.ndim == 2 else len(w1)
    check_memory(distances, per_letter, networks, w1.shape[-1], w1.dtype.itemsize)
    out = {}
    for d in distances:
        x, labels = noisy_letters(d, per_letter, seed)
        out[d] = (len(x), accuracy(w1, w2, x, labels))
    return out
