"""The sandbox: a submission run apart, in a child process, under limits.

It is handed a :class:`Task` (a file, a function, the calls to make, and what
the submission may not use) and returns a :class:`Run` (what each call
returned, how the child ended, what it printed, what it used of what it may
not). It knows nothing of gradients or of the judge.

* :mod:`~reference.sandbox.records`: what crosses between the two sides, one schema;
* :mod:`~reference.sandbox.runner`: the side that asks (:class:`Runner`, :class:`Limits`);
* :mod:`~reference.sandbox.worker`: the Runner's handle on one server, how a
  submission's file is read and its process's environment made;
* :mod:`~reference.sandbox.janitor`: what ends a grading's leftovers once the grader
  has ended, however it ended;
* :mod:`~reference.sandbox.server` (started as :mod:`~reference.sandbox.__main__`):
  a sandbox's server, which forks a child for each submission;
* :mod:`~reference.sandbox.child`: the child's side (a child's run, its report);
* :mod:`~reference.sandbox.forbid`: what a task forbids, refused in the child;
* :mod:`~reference.sandbox.isolation`: how far apart a submission runs (its
  ``isolation(level)``), a module of the room's face, as its names are.

Doors: none into the rest of ``reference`` or into ``numpy_impl`` in code: a child
has NumPy and the standard library, and imports by name only the modules of the
functions a task forbids (to refuse them).
"""

from reference.sandbox import isolation
from reference.sandbox.records import Call, Calls, Forbidden, Run, Task
from reference.sandbox.runner import Limits, Runner, die_with_parent
from reference.sandbox.worker import OUTPUT_SHOWN, environment, read_source

__all__ = [
    "OUTPUT_SHOWN",
    "Call",
    "Calls",
    "Forbidden",
    "Limits",
    "Run",
    "Runner",
    "Task",
    "die_with_parent",
    "environment",
    "isolation",
    "read_source",
]
