"""Pictures, drawn with matplotlib (the optional extra: pip install 'numpy-impl[plot]').

matplotlib is imported inside each function, so the rest of the package works
without it. Each ``save_*`` function writes a PNG file; ``letters_figure``,
``loss_figure`` and ``gradient_figure`` return the figure itself, which a
Jupyter notebook draws inline.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, Optional, Tuple

import numpy as np

from numpy_impl.data import COLS, ROWS
from numpy_impl.files import write_atomically


class PlottingUnavailable(RuntimeError):
    """matplotlib is not installed."""


def pyplot() -> Any:
    """matplotlib.pyplot, drawing to files; raises PlottingUnavailable without matplotlib."""
    try:
        import matplotlib

        if "ipykernel" not in sys.modules:  # in a notebook, its own backend draws inline
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
    plt = pyplot()
    grid = np.asarray(pixels, dtype=float).reshape(ROWS, COLS)
    fig, ax = plt.subplots(figsize=(3, 2.6))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)  # as the article: ink white
    ax.set_xticks(range(COLS))
    ax.set_yticks(range(ROWS))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    if title:
        ax.set_title(title)
    _save(fig, path)


def save_letters_png(path: os.PathLike[str] | str) -> None:
    """The three training letters side by side, as the article draws them."""
    _save(letters_figure(), path)


def letters_figure(language: str = "en") -> Any:
    """The figure of :func:`save_letters_png`, its words in ``language`` (:data:`WORDS`)."""
    from numpy_impl.data import LETTERS, bitmap

    plt, (say, rc) = pyplot(), _drawn(language)
    with plt.rc_context(rc):
        fig, axes = plt.subplots(1, len(LETTERS), figsize=(7, 2.6))
        for ax, letter in zip(axes, LETTERS):
            ax.imshow(bitmap(letter), cmap="gray", vmin=0, vmax=1)
            ax.set_title(say["label"].format(letter=letter, label=LETTERS.index(letter)))
            ax.set_xticks(range(COLS))
            ax.set_yticks(range(ROWS))
        fig.suptitle(say["letters"])
        return _shown(fig)


def save_loss_png(loss: Any, path: os.PathLike[str] | str, title: str = "") -> None:
    """The per-epoch loss of a training run, on a log scale."""
    _save(loss_figure(loss, title), path)


def loss_figure(loss: Any, title: str = "", language: str = "en") -> Any:
    """The figure of :func:`save_loss_png`, its words in ``language`` (:data:`WORDS`)."""
    plt, (say, rc) = pyplot(), _drawn(language)
    loss = np.asarray(loss, dtype=float)
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(6.4, 4))
        ax.semilogy(np.arange(len(loss)), loss, color="tab:blue")
        ax.set_xlabel(say["epoch"])
        ax.set_ylabel(say["epoch loss"])
        ax.set_title(say["loss"] + (f"\n{title}" if title else ""), fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        return _shown(fig)


def save_hidden_png(w1: Any, w2: Any, path: os.PathLike[str] | str) -> None:
    """What each hidden unit looks for: its 30 input weights drawn as a 5x6 image.

    Red pixels push the unit on when inked, blue ones push it off (one colour
    scale for all units, centred on 0). Under each image: the unit's outgoing
    weights to the outputs A, B and C.
    """
    from numpy_impl.data import LETTERS

    plt = pyplot()
    w1 = np.asarray(w1, dtype=float)
    w2 = np.asarray(w2, dtype=float)
    hidden = w1.shape[1]
    limit = float(np.abs(w1).max()) or 1.0
    fig, axes = plt.subplots(1, hidden, figsize=(2.2 * hidden + 1.2, 3.0), squeeze=False)
    image = None
    for j, ax in enumerate(axes[0]):
        image = ax.imshow(w1[:, j].reshape(ROWS, COLS), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"hidden unit {j}")
        ax.set_xticks([])
        ax.set_yticks([])
        out = ", ".join(f"{letter} {w2[j, c]:+.1f}" for c, letter in enumerate(LETTERS))
        ax.set_xlabel(f"to {out}", fontsize=8)
    fig.colorbar(image, ax=list(axes[0]), shrink=0.8, label="input weight w1")
    fig.suptitle("Hidden units: input weights as 5 x 6 images")
    _save(fig, path, bbox_inches="tight")


def save_gradient_heatmaps(
    ours: Any, reference: Any, path: os.PathLike[str] | str, names: Any = ("ours", "reference")
) -> None:
    """Heat maps of the w1 and w2 gradients: ours, the reference's, and ours - reference.

    ``ours`` and ``reference`` are (g1, g2) pairs of shapes (30, h) and (h, 3).
    w1's gradient is drawn transposed, (h, 30), so the picture is wide, not tall.
    """
    _save(gradient_figure(ours, reference, names), path)


def gradient_figure(
    ours: Any, reference: Any, names: Any = ("ours", "reference"), language: str = "en"
) -> Any:
    """The figure of :func:`save_gradient_heatmaps`, its words in ``language``."""
    plt, (say, rc) = pyplot(), _drawn(language)
    with plt.rc_context(rc):
        return _gradients(plt, ours, reference, names, say)


def _gradients(plt: Any, ours: Any, reference: Any, names: Any, say: Dict[str, str]) -> Any:
    fig, axes = plt.subplots(2, 3, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 3, 3]})
    for row, (layer, g_ours, g_ref) in enumerate(zip(("w1", "w2"), ours, reference)):
        a = np.asarray(g_ours, dtype=float)
        b = np.asarray(g_ref, dtype=float)
        if layer == "w1":
            a, b = a.T, b.T
        limit = float(max(np.abs(a).max(), np.abs(b).max())) or 1.0
        diff = a - b
        dlimit = float(np.abs(diff).max()) or 1e-300
        panels = (
            (a, f"dL/d{layer}, {names[0]}", limit),
            (b, f"dL/d{layer}, {names[1]}", limit),
            (diff, say["difference"].format(*names, f"{np.abs(diff).max():.1e}"), dlimit),
        )
        for ax, (values, title, lim) in zip(axes[row], panels):
            image = ax.imshow(values, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
            ax.set_title(title, fontsize=10)
            ax.set_ylabel(say["hidden unit"])
            ax.set_yticks(range(values.shape[0]))
            if layer == "w1":
                ax.set_xlabel(say["input pixel"])
            else:
                ax.set_xticks(range(values.shape[1]), ["A", "B", "C"][: values.shape[1]])
                ax.set_xlabel(say["output"])
            fig.colorbar(image, ax=ax, format="%.1e")
    fig.suptitle(say["gradients"])
    return _shown(fig)


def save_drift_png(
    epochs: Any, drifts: Any, path: os.PathLike[str] | str, tolerance: float = 0.0
) -> None:
    """How far two trainings drift apart: relative differences vs epoch, log scale.

    ``drifts`` maps a name (say "w1") to one value per entry of ``epochs``.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for name, values in drifts.items():
        values = np.asarray(values, dtype=float)
        # a difference of exactly 0 cannot be drawn on a log scale: shown at 1e-18
        ax.semilogy(epochs, np.maximum(values, 1e-18), marker=".", label=name)
    if tolerance:
        ax.axhline(tolerance, color="black", linestyle="--", label=f"tolerance {tolerance:g}")
    ax.set_xlabel("epochs trained")
    ax.set_ylabel("relative difference, numpy_impl vs PyTorch")
    ax.set_title("Drift between the two implementations")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    _save(fig, path)


def save_sweep_png(
    final_loss: Any, first_correct: Any, epochs: int, path: os.PathLike[str] | str, title: str = ""
) -> None:
    """A seed sweep: histogram of final losses, and the fraction learned vs epoch."""
    plt = pyplot()
    final_loss = np.asarray(final_loss, dtype=float)
    first = np.asarray(first_correct)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    finite = final_loss[np.isfinite(final_loss) & (final_loss > 0)]
    if len(finite):
        bins = np.logspace(np.log10(finite.min()), np.log10(finite.max()) + 1e-9, 40)
        left.hist(finite, bins=bins, color="tab:blue")
    left.set_xscale("log")
    left.set_xlabel("final loss (last epoch)")
    left.set_ylabel("networks")
    left.set_title(f"Final losses of {len(final_loss)} networks")
    grid = np.arange(epochs + 1)
    reached = np.sort(first[first >= 0])
    learned = np.searchsorted(reached, grid, side="left") / len(first)
    right.plot(grid, learned, color="tab:green")
    right.set_ylim(0, 1.02)
    right.set_xlabel("epoch")
    right.set_ylabel("fraction classifying A, B, C right")
    right.set_title("First epoch with all three right")
    right.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title)
    _save(fig, path)


#: The words of the notebooks' figures, by language (Chinese where a font can draw it:
#: :func:`chinese_font`; else English).
WORDS: Dict[str, Dict[str, str]] = {
    "en": {"label": "{letter}: label {label}",
           "letters": "The training set: three 5 x 6 bitmaps (ink = 1, white)",
           "epoch": "epoch", "epoch loss": "epoch loss (MSE, mean over A, B, C)",
           "loss": "Training loss", "hidden unit": "hidden unit",
           "input pixel": "input pixel (row-major, 0..29)", "output": "output",
           "gradients": "Weight gradients, side by side", "difference": "{} - {} (max {})"},
    "zh": {"label": "{letter}：标签 {label}",
           "letters": "训练集：三个 5 x 6 的二进制矩阵（墨迹 = 1，白色）",
           "epoch": "训练轮数", "epoch loss": "每轮的损失（均方误差，A、B、C 的平均）",
           "loss": "训练损失", "hidden unit": "隐藏层神经元",
           "input pixel": "输入像素（按行展平，0..29）", "output": "输出",
           "gradients": "权重的梯度，并排比较", "difference": "{} - {}（最大 {}）"},
}  # fmt: skip
#: Fonts that draw Chinese, the first installed one used.
CHINESE_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
                 "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC")  # fmt: skip


def chinese_font() -> Optional[str]:
    """The first of :data:`CHINESE_FONTS` matplotlib has, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CHINESE_FONTS if name in installed), None)


def _drawn(language: str) -> Tuple[Dict[str, str], Dict[str, Any]]:
    """The figures' words in ``language``, and the rc settings that draw them (a Chinese
    font first, then the rest); English where no font draws the language."""
    if language not in WORDS:
        raise ValueError(f"no figure words in {language!r}: choose one of {', '.join(WORDS)}")
    found = chinese_font() if language != "en" else None
    if found is None:
        return WORDS["en"], {}
    return WORDS[language], {"font.family": [found, "DejaVu Sans"]}


def _shown(fig: Any) -> Any:
    """``fig`` laid out as the saved picture is, and handed back alone: pyplot lets go
    of it, so that a notebook shows it once (the value of its cell), not a second
    time as a figure pyplot still holds."""
    fig.tight_layout()
    pyplot().close(fig)
    return fig


def _save(fig: Any, path: os.PathLike[str] | str, bbox_inches: Optional[str] = None) -> None:
    """Write ``fig`` to ``path`` as a PNG, whole or not at all, and close it.

    ``bbox_inches="tight"`` crops the picture to what is drawn; otherwise the
    figure's layout is tightened first."""
    if bbox_inches is None:
        fig.tight_layout()
    try:
        with write_atomically(path) as f:
            fig.savefig(f, format="png", dpi=100, bbox_inches=bbox_inches)
    finally:
        pyplot().close(fig)
