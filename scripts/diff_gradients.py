"""Diff numpy_impl's hand-written gradients against three independent methods.

    python scripts/diff_gradients.py                     # seed 0, rule article, sample A
    python scripts/diff_gradients.py --rule mse --sample all --epochs 500
    python scripts/diff_gradients.py --rule article --loss mse   # the article's finding
    python scripts/diff_gradients.py --trajectory 15000 --plot drift.png
    python scripts/diff_gradients.py --json

The sums are reference/diff/sums.py (its docstring says what is compared and how),
the command line reference/diff/cli.py; --help lists the options.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

from reference.diff.cli import main

if __name__ == "__main__":
    sys.exit(main())
