"""Pictures, drawn with matplotlib (the optional extra: pip install 'numpy-impl[plot]').

matplotlib is imported inside each function, so the rest of the package works
without it.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from numpy_impl.data import COLS, ROWS


class PlottingUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # draw to files; no screen is needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlottingUnavailable(
            "pictures need matplotlib: pip install 'numpy-impl[plot]'"
        ) from None
    return plt


def save_bitmap_png(pixels: Any, path: os.PathLike[str] | str, title: str = "") -> None:
    """Draw a 5x6 bitmap as the article does (imshow, gray colormap) into a PNG file.

    ``pixels`` holds 30 values in any shape ((30,), (1, 30) or (5, 6)).
    Ink (1) is white on black, one square per pixel, as in the article.
    """
    plt = _pyplot()
    grid = np.asarray(pixels, dtype=float).reshape(ROWS, COLS)
    fig, ax = plt.subplots(figsize=(3, 2.6))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)  # as the article: ink white
    ax.set_xticks(range(COLS))
    ax.set_yticks(range(ROWS))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(os.fspath(path), dpi=100)
    plt.close(fig)
