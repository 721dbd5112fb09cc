"""The witnesses: everything numpy_impl is checked against, and how a check is measured.

* :mod:`~reference.witnesses.torch_mirror`: the network in PyTorch, name for name
  with numpy_impl/network.py, every gradient from autograd (needs torch, so it is
  not imported here; torch_networks, below, is the other module that does);
* :mod:`~reference.witnesses.oracles`: complex-step and central-difference derivatives;
* :mod:`~reference.witnesses.article_transcript`: the article's loop, operation for operation;
* :mod:`~reference.witnesses.golden`: the mirror's answers, kept in ``golden.npz``;
* :mod:`~reference.witnesses.cases`: the shared inputs;
* :mod:`~reference.witnesses.compare`: the error measure, and the record of every comparison;
* :mod:`~reference.witnesses.tolerances`: the one table of tolerances, each with its reason;
* :mod:`~reference.witnesses.losses`: the one table of losses;
* :mod:`~reference.witnesses.networks`: a network a teacher describes, its forward
  pass and loss, written once for real and complex arrays, and the built-in ones;
* :mod:`~reference.witnesses.torch_networks`: a described network in PyTorch (needs
  torch, so it is not imported here either).

Each witness stands alone, so this room's public face is its modules (``__all__``),
none imported here (a room that needs one witness loads that one alone): another
room imports ``reference.witnesses.<module>``, never a name starting with _.

Doors: numpy_impl only (and torch, in the mirrors).
"""

__all__ = [
    "article_transcript",
    "cases",
    "compare",
    "golden",
    "losses",
    "networks",
    "oracles",
    "tolerances",
    "torch_mirror",
    "torch_networks",
]
