"""The judge: handed what a student's function returned at the plan's points, it gives
the verdict in words. It runs no process and imports no submission.

* :mod:`~reference.judge.network`: the network a function is asked for, names as data;
* :mod:`~reference.judge.catalogue`: the known mistakes, one entry each, and the slopes;
* :mod:`~reference.judge.plan`: where the function is run, and the judge's own forward pass;
* :mod:`~reference.judge.answers`: what the function returned, read once;
* :mod:`~reference.judge.fit`: each layer against every chain of the catalogue;
* :mod:`~reference.judge.trace`, :mod:`~reference.judge.unmatched`: a gradient no chain
  matches, traced to where it starts;
* :mod:`~reference.judge.words`: every sentence the judge says;
* :mod:`~reference.judge.languages`: those sentences in another language, one table
  (English beside Chinese: :mod:`~reference.judge.zh`, :mod:`~reference.judge.zh_described`);
* :mod:`~reference.judge.contract`: what a teacher requires, and the points of each part;
* :mod:`~reference.judge.diagnosis`: the verdict on a backprop (:func:`diagnose`);
* :mod:`~reference.judge.forward`: the verdict on a forward pass (:func:`judge_forward`);
* :mod:`~reference.judge.steps`: the verdict on one step of the backward pass
  (:func:`judge_step`), for the exercise that asks for them one at a time;
* :mod:`~reference.judge.layered`, :mod:`~reference.judge.described`,
  :mod:`~reference.judge.described_verdict`, :mod:`~reference.judge.described_words`:
  the same for a network a teacher describes (``--network``): its backward pass and
  catalogue layer by layer, its plan and reading, the verdict
  (:func:`diagnose_described`) and its words.

Doors: the judge imports numpy_impl (its forward pass) and the witnesses (the
tolerances, the losses, the error measure), nothing else of ``reference``.
"""

from reference.judge.answers import Outcome, Returned, StudentError
from reference.judge.contract import DEFAULT, PARTS, Contract
from reference.judge.described import calls as described_calls
from reference.judge.described_verdict import contract as described_contract
from reference.judge.described_verdict import diagnose_described
from reference.judge.diagnosis import Diagnosis, LayerVerdict, diagnose
from reference.judge.forward import NOT_WRITTEN, ForwardVerdict, judge_forward
from reference.judge.forward import calls as forward_calls
from reference.judge.languages import LANGUAGES, said
from reference.judge.network import OWN_FUNCTIONS, OWN_ROOMS
from reference.judge.plan import ALPHA, calls
from reference.judge.steps import STEPS, StepVerdict, judge_step
from reference.judge.steps import calls as step_calls

__all__ = [
    "ALPHA",
    "DEFAULT",
    "LANGUAGES",
    "NOT_WRITTEN",
    "OWN_FUNCTIONS",
    "OWN_ROOMS",
    "PARTS",
    "STEPS",
    "Contract",
    "Diagnosis",
    "ForwardVerdict",
    "LayerVerdict",
    "Outcome",
    "Returned",
    "StepVerdict",
    "StudentError",
    "calls",
    "described_calls",
    "described_contract",
    "diagnose",
    "diagnose_described",
    "forward_calls",
    "judge_forward",
    "judge_step",
    "said",
    "step_calls",
]
