"""Every witness numpy_impl is checked against.

* :mod:`reference.network`: the PyTorch mirror, name for name with
  numpy_impl/network.py, every gradient from autograd (needs torch; the only
  module here that does);
* :mod:`reference.oracles`: complex-step and central-difference derivatives;
* :mod:`reference.article_transcript`: the article's loop, operation for operation;
* :mod:`reference.golden`: the mirror's answers kept in ``golden.npz``;
* :mod:`reference.compare`: the error measure and the record of every comparison;
* :mod:`reference.tolerances`: the one table of tolerances, each with its reason;
* :mod:`reference.cases`: the shared inputs;
* :mod:`reference.diff`, :mod:`reference.diff_cli`: the diff behind ``scripts/diff_gradients.py``;
* :mod:`reference.catalogue`, :mod:`reference.diagnose` (with :mod:`reference.answers` and
  :mod:`reference.trace`): the judge of a student's backprop, and its catalogue of mistakes;
* :mod:`reference.runner`, :mod:`reference.child`: a submission run apart, in a child process;
* :mod:`reference.grade`, :mod:`reference.grade_cli`: grading a class.

``import reference`` works without torch; ``from reference import network``
(the mirror) needs it.
"""
