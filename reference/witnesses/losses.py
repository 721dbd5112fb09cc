"""The losses, in one table: each one's name, its formula and the output it needs on a
network a teacher describes, and, for the article's network, its words, the rule
that is its exact gradient, and its value.

numpy_impl states which loss each rule's output delta is the exact gradient of
(``numpy_impl.RULE_LOSS``, beside the rules, where the lesson proves it). This
table adds what the checking side says of each loss: the words the judge uses,
and the loss as a function of a forward pass, which the oracles differentiate.
The PyTorch mirror computes each loss again, with torch
(:data:`reference.witnesses.torch_mirror.TORCH_LOSSES`), by the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

import numpy_impl as ni


@dataclass(frozen=True)
class Loss:
    """One loss: ``name`` ("mse", "bce", "softmax-ce"); ``formula``, what it is per
    example on a network a teacher describes (``{divisor}``: the description's);
    ``output``, the output activation it needs there (None: any); and, where the
    article's network is checked against it, the judge's ``words`` for it there and
    the numpy_impl ``rule`` whose output delta is its exact gradient (None: a loss of
    described networks only)."""

    name: str
    formula: str
    output: Optional[str] = None
    words: str = ""
    rule: Optional[str] = None

    @property
    def of(self) -> Callable[[ni.Forward, np.ndarray], float]:
        """Its value for a forward pass of the article's network, ``of(fwd, y)``:
        numpy_impl's computation."""
        if self.rule is None:
            raise ValueError(f"the loss {self.name} is not one of the article's network")
        return ni.RULE_LOSS[self.rule].of


#: Every loss, the default (the article's reported loss) first.
LOSSES: Dict[str, Loss] = {
    "mse": Loss("mse", "the squared error sum((a - y)^2) / {divisor}",
                words="the MSE, sum((a2 - y)^2) / 3", rule="mse"),
    "bce": Loss("bce", "the binary cross-entropy -sum(y log a + (1 - y) log(1 - a))",
                output="sigmoid", words="the summed binary cross-entropy", rule="article"),
    "softmax-ce": Loss("softmax-ce", "the softmax cross-entropy -sum(y log p)", output="softmax"),
}  # fmt: skip
#: The losses the article's network may be checked against: those with a rule.
ARTICLE_LOSSES: Tuple[str, ...] = tuple(n for n, loss in LOSSES.items() if loss.rule is not None)


def loss_named(name: str) -> Loss:
    """The loss ``name`` of the article's network; ValueError (one line) for any other."""
    if name not in ARTICLE_LOSSES:
        raise ValueError(f"unknown loss {name!r}: choose one of {', '.join(ARTICLE_LOSSES)}")
    return LOSSES[name]
