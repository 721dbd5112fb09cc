"""Grading: a submission run in the sandbox and judged, one file or a whole class.
The only room that joins the sandbox and the judge.

* :mod:`~reference.grading.single`: one file, ``PATH.py:FUNCTION`` (``--against``);
* :mod:`~reference.grading.classroom`: a class, several submissions at a time;
* :mod:`~reference.grading.notebook`: a notebook handed in, its student's cells made a module;
* :mod:`~reference.grading.gradebook`: the table, JSON, CSV, Gradescope's results.json and
  feedback files;
* :mod:`~reference.grading.cli`: ``scripts/grade.py``;
* :mod:`~reference.grading.exercise`: the exercise notebooks' checks.

Its public face is one file's check, as ``--against`` uses it: :func:`diagnose_file`
(and :func:`asked_for`, what it is asked for), with the sandbox's levels of isolation
it runs under (:func:`isolation`, ``WANTED``, :class:`SandboxUnavailable`).

Doors: the judge, the sandbox and the witnesses.
"""

from reference.grading.single import (
    WANTED,
    Asked,
    Sandbox,
    SandboxUnavailable,
    asked_for,
    diagnose_file,
    isolation,
)

__all__ = [
    "WANTED",
    "Asked",
    "Sandbox",
    "SandboxUnavailable",
    "asked_for",
    "diagnose_file",
    "isolation",
]
