"""The walkthrough notebooks in a real Jupyter kernel: each figure is shown once (the
value of its cell, laid out as the saved picture), and no other cell shows one; the
picture the committed notebook holds (for a reader who previews it without running
it) is the one the kernel draws today, up to a font's rendering."""

import base64
import importlib.util
import io
import json

import numpy as np
import pytest

from tests.helpers import ROOT

DOCS = ROOT / "docs"


@pytest.mark.notebook
@pytest.mark.parametrize("name", ["walkthrough.ipynb", "walkthrough.zh.ipynb"])
def test_each_figure_cell_shows_exactly_one_image(name):
    pytest.importorskip("matplotlib")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(DOCS / name, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    images = [sum("image/png" in o.get("data", {}) for o in c.outputs) for c in code]
    drawing = [c.source.rstrip().splitlines()[-1].startswith("plot.") for c in code]
    assert sum(drawing) == 3, "the letters, the gradients beside the reference's, the loss"
    assert images == [int(d) for d in drawing], list(zip(images, drawing))
    committed = [c for c in json.loads((DOCS / name).read_text())["cells"]
                 if c["cell_type"] == "code"]  # fmt: skip
    # the committed pictures were drawn with torch: without it, the gradients' reference
    # is the complex step, its titles say so, and that picture is not the committed one
    torch = importlib.util.find_spec("torch") is not None
    # the Chinese pictures were drawn with a font that draws Chinese: without one, their
    # words are English, and they are not the committed ones either
    from numpy_impl.plot import chinese_font

    font = chinese_font() is not None or ".zh." not in name
    for ran, kept, figure in zip(code, committed, drawing):
        if figure and font and (torch or "torch" not in ran.source):
            now = _pixels(next(o["data"]["image/png"] for o in ran.outputs if "data" in o))
            shown = _pixels(kept["outputs"][0]["data"]["image/png"])
            assert now.shape == shown.shape, (now.shape, shown.shape)
            # the same picture: where it was drawn, not one pixel differs; elsewhere a font's
            # hinting or anti-aliasing may move a few (under 2%)
            assert np.mean(np.abs(now - shown).max(axis=-1) > 0.25) < 0.02


def _pixels(data):
    """A base64 PNG as an (h, w, channels) array of values in [0, 1]."""
    from matplotlib import image

    return image.imread(io.BytesIO(base64.b64decode(data)), format="png")


def _titles(fig):
    return [fig._suptitle.get_text()] + [ax.get_title() for ax in fig.axes if ax.get_title()]


def test_a_figures_words_are_in_the_language_asked_for_where_a_font_draws_it(monkeypatch):
    pytest.importorskip("matplotlib")
    from numpy_impl import plot

    english = _titles(plot.letters_figure())
    assert english == ["The training set: three 5 x 6 bitmaps (ink = 1, white)",
                       "A: label 0", "B: label 1", "C: label 2"]  # fmt: skip
    if plot.chinese_font() is not None:
        assert _titles(plot.letters_figure(language="zh"))[1:] == [
            plot.WORDS["zh"]["label"].format(letter=c, label=i) for i, c in enumerate("ABC")
        ]
    monkeypatch.setattr(plot, "chinese_font", lambda: None)  # no font draws Chinese here
    assert _titles(plot.letters_figure(language="zh")) == english
    loss = plot.loss_figure([1.0, 0.5], language="zh")
    assert loss.axes[0].get_xlabel() == "epoch"
    with pytest.raises(ValueError, match="no figure words in 'fr': choose one of en, zh"):
        plot.letters_figure(language="fr")
    assert set(plot.WORDS["zh"]) == set(plot.WORDS["en"])
