"""Draw every picture the documentation shows, into docs/img/.

    python scripts/make_figures.py            # about 30 s (the sweep and the drift)

Each picture is made by the same command a reader would type (printed as it
runs), so a figure can always be made again and checked against its command.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

from numpy_impl.cli import main as numpy_impl_main
from reference.diff.cli import main as diff

IMG = ROOT / "docs" / "img"
DIFF = "python scripts/diff_gradients.py"


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        weights = str(Path(tmp) / "article.npz")
        commands = [
            ("numpy_impl", ["show", "all", "--png", str(IMG / "letters.png")]),
            (
                "numpy_impl",
                ["train", "--quiet", "--save", weights, "--plot", str(IMG / "loss.png")],
            ),
            (
                "numpy_impl",
                ["predict", "--weights", weights, "--hidden-png", str(IMG / "hidden.png")],
            ),
            ("numpy_impl", ["sweep", "--networks", "1000", "--plot", str(IMG / "sweep.png")]),
            ("diff_gradients", ["--sample", "all", "--plot", str(IMG / "gradients.png")]),
            ("diff_gradients", ["--trajectory", "15000", "--plot", str(IMG / "drift.png")]),
        ]
        for program, argv in commands:
            shown = " ".join(a.replace(str(ROOT) + "/", "").replace(tmp, "/tmp") for a in argv)
            command = "python -m numpy_impl" if program == "numpy_impl" else DIFF
            print(f"$ {command} {shown}")
            status = (numpy_impl_main if program == "numpy_impl" else diff)(argv)
            if status != 0:
                print(f"failed with exit status {status}", file=sys.stderr)
                return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
