"""A described network in PyTorch (:mod:`reference.witnesses.networks`): its forward pass
and loss computed with torch, in the description's own layout (columns as
``W @ X + b``, rows as ``x @ W + b``), and every gradient by autograd. Nothing here
writes a derivative by hand, nor converts between layouts: the judge's own backward
pass (rows, hand-written) is checked against this.
"""

from __future__ import annotations

from typing import Callable, Dict, Mapping

import numpy as np
import torch
from torch import Tensor

from reference.witnesses.networks import Description

torch.set_num_threads(1)

_ACTIVATIONS: Dict[str, Callable[[Tensor], Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "identity": lambda t: t,
}


def loss(d: Description, given: Mapping[str, Tensor]) -> Tensor:
    """The loss of the function's arguments ``given`` (by the description's names)."""
    x, y = (given[name] for name in d.parameters[:2])
    features = 1 if d.layout == "rows" else 0  # the axis of units; the other is examples
    a = x
    for k in range(1, d.layers + 1):
        w = given[d.named("W", k)]
        z = a @ w if d.layout == "rows" else w @ a
        if d.biases:
            z = z + given[d.named("b", k)]
        act = d.activations[k - 1]
        if act == "softmax":  # the output: softmax cross-entropy from the logits
            each = -(y * torch.log_softmax(z, dim=features)).sum(dim=features)
            break
        a = _ACTIVATIONS[act](z)
    else:
        if d.loss == "mse":
            each = ((a - y) ** 2).sum(dim=features) / d.divisor
        else:  # bce, from the sigmoid's logits
            each = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none").sum(
                dim=features
            )
    return each.mean() if d.reduction == "mean" else each.sum()


def gradients(d: Description, arguments: Mapping[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """Each returned name's gradient ('dW1': dL/dW1) by autograd, in the layout given."""
    given = {k: torch.tensor(np.asarray(v, dtype=np.float64)) for k, v in arguments.items()}
    weights = [given[name] for name in d.weights]
    for w in weights:
        w.requires_grad_(True)
    found = torch.autograd.grad(loss(d, given), weights)
    return {f"d{name}": g.numpy() for name, g in zip(d.weights, found)}
