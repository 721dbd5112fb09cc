"""Every witness numpy_impl is checked against.

* :mod:`reference.witnesses.torch_mirror`: the PyTorch mirror, name for name with
  numpy_impl/network.py, every gradient from autograd (needs torch; the only
  module here that does);
* :mod:`reference.witnesses.oracles`: complex-step and central-difference derivatives;
* :mod:`reference.witnesses.article_transcript`: the article's loop, operation for operation;
* :mod:`reference.witnesses.golden`: the mirror's answers kept in ``golden.npz``;
* :mod:`reference.witnesses.compare`: the error measure and the record of every comparison;
* :mod:`reference.witnesses.tolerances`: the one table of tolerances, each with its reason;
* :mod:`reference.witnesses.cases`: the shared inputs;
* :mod:`reference.diff.sums`, :mod:`reference.diff.cli`: the diff behind ``scripts/diff_gradients.py``;
* :mod:`reference.judge.catalogue`, :mod:`reference.judge.diagnose` (with :mod:`reference.judge.answers` and
  :mod:`reference.judge.trace`): the judge of a student's backprop, and its catalogue of mistakes;
* :mod:`reference.sandbox.runner`, :mod:`reference.sandbox.child`: a submission run apart, in a child process;
* :mod:`reference.grading.classroom`, :mod:`reference.grading.cli`: grading a class.

``import reference`` works without torch; ``from reference import network``
(the mirror) needs it.
"""
