"""Writing a file whole or not at all.

A run interrupted (Ctrl-C) or failing while it writes its ``--save`` or
``--plot`` file must not leave half a file behind under the name asked for:
the content goes to a temporary file beside it, which replaces the target
only once it is complete, and is removed if anything goes wrong.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import BinaryIO, Iterator


@contextlib.contextmanager
def write_atomically(path: os.PathLike[str] | str) -> Iterator[BinaryIO]:
    """Open a binary file to write ``path`` through; it appears at ``path``,
    complete, when the ``with`` block ends, and never if the block raises.

    The file is created with mode 0o666 less the user's umask (0644 under the
    usual umask 022), as ``open`` would create it.
    """
    folder, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(temporary, flags, 0o666), "wb") as f:
            yield f
        os.replace(temporary, path)
    except BaseException:  # Ctrl-C included
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
