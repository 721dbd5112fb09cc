"""Grade a whole class: every submission run apart, timed, and judged in words.

    python scripts/grade.py submissions/                       # every .py file there
    python scripts/grade.py a.py b.py:train_step --loss bce    # files, or file:function
    python scripts/grade.py submissions/ --json grades.json --csv grades.csv --feedback notes/

The sums are reference/grading/classroom.py, the command line reference/grading/cli.py;
--help lists the options.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root

from reference.grading.cli import main

if __name__ == "__main__":
    sys.exit(main())
