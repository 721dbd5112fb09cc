"""The diff: numpy_impl's hand-written gradients against autograd, the complex step
and central differences (``scripts/diff_gradients.py``).

* :mod:`~reference.diff.sums`: what is compared and how, as typed results;
* :mod:`~reference.diff.cli`: the command line (text, JSON, pictures), and
  ``--against``, which checks a student's function through the grading room.

Doors: the witnesses, and grading (for ``--against``).
"""
