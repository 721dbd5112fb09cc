"""Grading: a submission run in the sandbox and judged, one file or a whole class.
The only room that joins the sandbox and the judge.

* :mod:`~reference.grading.single`: one file, ``PATH.py:FUNCTION`` (``--against``);
* :mod:`~reference.grading.classroom`: a class, several submissions at a time;
* :mod:`~reference.grading.notebook`: a notebook handed in, its student's cells made a module;
* :mod:`~reference.grading.gradebook`: the table, JSON, CSV, Gradescope's results.json and
  feedback files;
* :mod:`~reference.grading.cli`: ``scripts/grade.py``;
* :mod:`~reference.grading.exercise`: the exercise notebooks' checks.

Doors: the judge, the sandbox and the witnesses.
"""
