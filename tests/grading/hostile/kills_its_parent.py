"""Kills the process that runs it, then raises: in namespaces that process cannot be
killed from inside; as a plain process it can, and only this submission is lost.

expect: status unchecked; reason raised; process-reason crashed
"""

import os
import signal


def backprop(x, y, w1, w2):
    os.kill(os.getppid(), signal.SIGKILL)
    raise RuntimeError("still here")
