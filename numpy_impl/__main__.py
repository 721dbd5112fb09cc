"""``python -m numpy_impl``: see :mod:`numpy_impl.cli`."""

from numpy_impl.cli import main_exit

main_exit()
