"""The sandbox: a submission run apart, in a child process, under limits.

It is handed a :class:`Task` (a file, a function, the calls to make, and what
the submission may not use) and returns a :class:`Run` (what each call
returned, how the child ended, what it printed, what it used of what it may
not). It knows nothing of gradients or of the judge.

* :mod:`~reference.sandbox.records`: what crosses between the two sides, one schema;
* :mod:`~reference.sandbox.runner`: the side that asks (:class:`Runner`, :class:`Limits`);
* :mod:`~reference.sandbox.child`: the child's side (the fork server, a child's run);
* :mod:`~reference.sandbox.forbid`: what a task forbids, refused in the child.

Doors: none into the rest of ``reference`` or into ``numpy_impl`` in code: a child
has NumPy and the standard library, and imports by name only the modules of the
functions a task forbids (to refuse them).
"""

from reference.sandbox.records import Call, Forbidden, Run, Task
from reference.sandbox.runner import Limits, Runner, die_with_parent
from reference.sandbox.worker import OUTPUT_SHOWN, environment, read_source

__all__ = [
    "OUTPUT_SHOWN",
    "Call",
    "Forbidden",
    "Limits",
    "Run",
    "Runner",
    "Task",
    "die_with_parent",
    "environment",
    "read_source",
]
