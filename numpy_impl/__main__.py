"""``python -m numpy_impl``: see :mod:`numpy_impl.cli`."""

import sys

try:
    from numpy_impl.cli import main_exit
except KeyboardInterrupt:  # Ctrl-C while NumPy loads: one line, as in the commands
    print("interrupted", file=sys.stderr)
    sys.exit(130)

main_exit()
