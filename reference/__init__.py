"""What checks the lesson, and what checks a student: five rooms, with one-way doors.

* :mod:`reference.witnesses`: everything numpy_impl is checked against (the
  PyTorch mirror, the derivative oracles, the article's transcript, the golden
  vectors, the shared cases, the error measure, the tolerances, the losses);
* :mod:`reference.diff`: diffing numpy_impl's gradients against the witnesses
  (``scripts/diff_gradients.py``);
* :mod:`reference.sandbox`: running a submission apart, in a child process
  under limits; it knows nothing of gradients;
* :mod:`reference.judge`: the verdict, in words, on what a submission returned;
  it runs no process;
* :mod:`reference.grading`: one file, a class, the exercise's checks: the only
  room that joins the sandbox and the judge (``scripts/grade.py``).

A room may import the product (numpy_impl) and the rooms below it, never one
above (tests/test_structure.py holds them to it)::

    diff      -> grading, witnesses
    grading   -> judge, sandbox, witnesses
    judge     -> witnesses
    sandbox   -> (nothing: a child has NumPy and the standard library)
    witnesses -> (numpy_impl only)

``import reference`` works without torch; the mirror
(``reference.witnesses.torch_mirror``) needs it.
"""
