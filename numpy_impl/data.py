"""The data set: three 5x6 letters and their one-hot labels.

Each letter is a 5-row x 6-column bitmap (1 = ink, 0 = background). The network
sees it flattened row by row into 30 values, one sample at a time as a (1, 30)
row vector, exactly as the article feeds it.
"""

from __future__ import annotations

import re
from typing import Dict, List, Tuple

import numpy as np
from numpy.typing import DTypeLike, NDArray

#: The letters the network learns, in the article's fixed training order.
LETTERS: Tuple[str, ...] = ("A", "B", "C")

ROWS, COLS = 5, 6
N_PIXELS = ROWS * COLS  # 30 inputs
N_CLASSES = len(LETTERS)  # 3 outputs

# The bitmaps drawn as text ('#' = ink), so a reader can see the letters.
_DRAWINGS: Dict[str, Tuple[str, ...]] = {
    "A": ("..##..", ".#..#.", "######", "#....#", "#....#"),
    "B": (".####.", ".#..#.", ".####.", ".#..#.", ".####."),
    "C": (".####.", ".#....", ".#....", ".#....", ".####."),
}


def bitmap(letter: str) -> NDArray[np.int64]:
    """The (5, 6) 0/1 bitmap of ``letter`` ('A', 'B' or 'C')."""
    key = letter.upper() if isinstance(letter, str) else letter
    if key not in _DRAWINGS:
        raise ValueError(f"unknown letter {letter!r}: choose one of {', '.join(LETTERS)}")
    return np.array([[ch == "#" for ch in row] for row in _DRAWINGS[key]], dtype=np.int64)


def dataset(dtype: DTypeLike = np.float64) -> Tuple[NDArray[np.floating], NDArray[np.floating]]:
    """The whole data set as matrices.

    Returns ``(X, Y)``: ``X`` of shape (3, 30), row i the flattened bitmap of
    ``LETTERS[i]``; ``Y`` of shape (3, 3), row i the one-hot label
    (A = [1, 0, 0], B = [0, 1, 0], C = [0, 0, 1]).
    """
    x = np.stack([bitmap(letter).reshape(N_PIXELS) for letter in LETTERS]).astype(dtype)
    y = np.eye(N_CLASSES, dtype=dtype)
    return x, y


def samples(
    dtype: DTypeLike = np.float64,
) -> List[Tuple[NDArray[np.floating], NDArray[np.floating]]]:
    """The three training samples as the article feeds them.

    A list of ``(x, y)`` pairs in the order A, B, C: ``x`` of shape (1, 30) and
    ``y`` of shape (1, 3), each a row of :func:`dataset`'s matrices.
    """
    x, y = dataset(dtype)
    return [(x[i : i + 1], y[i : i + 1]) for i in range(N_CLASSES)]


def render(pixels: NDArray[np.generic]) -> str:
    """A bitmap as text for the terminal: '#' for ink, '.' for background.

    ``pixels`` holds 30 values (any shape: (30,), (1, 30) or (5, 6)); a value
    of 0.5 or more counts as ink. Returns 5 lines of 6 characters.
    """
    grid = np.asarray(pixels, dtype=np.float64).reshape(ROWS, COLS)
    return "\n".join("".join("#" if v >= 0.5 else "." for v in row) for row in grid)


def parse_bitmap(text: str) -> NDArray[np.float64]:
    """Read a bitmap typed by a person: 30 digits 0/1, or 5 rows of 6.

    Rows may be separated by spaces, commas, slashes or new lines
    (``"001100/010010/111111/100001/100001"``). Returns shape (30,).
    Raises ``ValueError`` with a one-line reason for anything else.
    """
    rows = [row for row in re.split(r"[\s,/]+", text.strip()) if row]
    digits = "".join(rows)
    bad = sorted(set(digits) - {"0", "1"})
    if bad:
        raise ValueError(f"bitmap may hold only the digits 0 and 1, got {''.join(bad)!r}")
    if len(rows) > 1 and (len(rows) != ROWS or any(len(row) != COLS for row in rows)):
        raise ValueError(
            f"bitmap given in rows must be {ROWS} rows of {COLS} digits, "
            f"got rows of length {[len(row) for row in rows]}"
        )
    if len(digits) != N_PIXELS:
        raise ValueError(f"bitmap must have {N_PIXELS} digits, got {len(digits)}")
    return np.array([float(ch) for ch in digits])
