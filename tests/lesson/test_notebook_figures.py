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
    for ran, kept, figure in zip(code, committed, drawing):
        if figure and (torch or "torch" not in ran.source):
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
