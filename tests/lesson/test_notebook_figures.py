"""The walkthrough notebooks in a real Jupyter kernel: each figure is shown once (the
value of its cell, laid out as the saved picture), and no other cell shows one."""

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
