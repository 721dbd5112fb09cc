"""``python -m reference.sandbox LEVEL OUTPUT_FD``: a sandbox's server (see server.py)."""

import sys

from reference.sandbox.server import main

main(sys.argv[1:])
