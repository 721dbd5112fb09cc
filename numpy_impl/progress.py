"""A one-line progress bar for the terminal, redrawn in place.

Used by the sweep (drawing the starting weights, then the epochs) and by the
grader (submissions checked). A long computation is told of its progress by a
:data:`Progress` callback; the command line passes :func:`terminal_progress`
when stderr is a terminal, and nothing otherwise.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any, Callable, Dict, Optional, TextIO

#: A progress callback, told ``(stage, done, total)``.
Progress = Callable[[str, int, int], None]


def terminal_progress(
    stages: Dict[str, str],
    stream: Optional[TextIO] = None,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """A one-line progress bar on ``stream`` (stderr), redrawn in place at most
    ten times a second: the stage, how far it is, its rate and the time left.

    ``stages`` maps each stage, in order, to what it counts ("epochs"); the
    line is ended when the last stage is complete."""
    return _Bar(stages, stream if stream is not None else sys.stderr, clock)


class _Bar:
    """The terminal's progress bar (see :func:`terminal_progress`)."""

    def __init__(self, stages: Dict[str, str], out: Any, clock: Callable[[], float]) -> None:
        self.stages, self.last = stages, list(stages)[-1]
        self.out, self.clock = out, clock
        self.stage, self.start, self.shown, self.width = "", 0.0, -1.0, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.start = stage, now
        elif now - self.shown < 0.1 and done != total:
            return
        self.shown = now
        filled = math.floor(30 * done / total)
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {stage} {self.stages[stage]}: {done}/{total}"
        elapsed = now - self.start
        if done and elapsed > 0:
            rate = done / elapsed
            shown = f"{rate:,.0f}" if rate >= 100 else f"{rate:.3g}"
            line += f", {shown}/s, {duration((total - done) / rate)} left"
        self.out.write("\r" + line.ljust(self.width))  # blanks over a longer last line
        self.width = len(line)
        if stage == self.last and done == total:
            self.out.write("\n")
        self.out.flush()


def duration(seconds: float) -> str:
    """'42 s', '3 min 05 s', '2 h 07 min'."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
