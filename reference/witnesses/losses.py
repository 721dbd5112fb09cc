"""The losses, in one table: each one's name, its words, the rule that is its exact
gradient, and its value.

numpy_impl states which loss each rule's output delta is the exact gradient of
(``numpy_impl.RULE_LOSS``, beside the rules, where the lesson proves it). This
table adds what the checking side says of each loss: the words the judge uses,
and the loss as a function of a forward pass, which the oracles differentiate.
The PyTorch mirror computes each loss again, with torch
(:data:`reference.witnesses.torch_mirror.TORCH_LOSSES`), by the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict

import numpy as np

import numpy_impl as ni


@dataclass(frozen=True)
class Loss:
    """One loss: ``name`` ("mse", "bce"), the judge's ``words`` for it, and the
    numpy_impl ``rule`` whose output delta is its exact gradient."""

    name: str
    words: str
    rule: str

    @property
    def of(self) -> Callable[[ni.Forward, np.ndarray], float]:
        """Its value for a forward pass, ``of(fwd, y)``: numpy_impl's computation."""
        return ni.RULE_LOSS[self.rule].of


#: The losses a gradient may be checked against, the default (the article's reported loss) first.
LOSSES: Dict[str, Loss] = {
    "mse": Loss("mse", "the MSE, sum((a2 - y)^2) / 3", rule="mse"),
    "bce": Loss("bce", "the summed binary cross-entropy", rule="article"),
}


def loss_named(name: str) -> Loss:
    """The loss ``name``; ValueError (one line) for any other."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: choose one of {', '.join(LOSSES)}")
    return LOSSES[name]
