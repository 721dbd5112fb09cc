"""The article's network in PyTorch, name for name with numpy_impl/network.py.

Put the two files side by side: each function here computes the same thing
with torch, and nothing here writes a derivative by hand. Every gradient comes
from autograd (``torch.autograd.grad``) applied to the loss a rule is said to
differentiate:

    rule "article"  ->  summed binary cross-entropy of the outputs (bce_loss)
    rule "mse"      ->  the article's reported loss, sum((a2 - y)^2) / 3 (mse_loss)

Which loss a rule claims is read from numpy_impl's table (``numpy_impl.RULE_LOSS``,
beside its output delta); the loss itself is computed here, with torch. If
numpy_impl's hand-written backprop matches autograd of it, the claim "rule R is
the gradient of loss L" is proven for the inputs tested.

Tensors are float64 unless a dtype is given; float32 works too.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

import numpy_impl
from numpy_impl.data import LETTERS

# The tensors here hold a few dozen numbers: more threads only add overhead,
# and several test processes (pytest -n) would fight over the cores.
torch.set_num_threads(1)
LOSS_DIVISOR = 3  # written out again on purpose: not imported from the code under test

_TORCH_DTYPES = {"float64": torch.float64, "float32": torch.float32}


def as_tensor(a: Any, dtype: Any = torch.float64) -> Tensor:
    """A NumPy array (or nested list) as a new torch tensor of ``dtype``."""
    dtype = _TORCH_DTYPES.get(dtype, dtype)
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=dtype)


# --- 1. The activation ------------------------------------------------------


def sigmoid(t: Tensor) -> Tensor:
    """torch's own sigmoid."""
    return torch.sigmoid(t)


# --- 2. Initial weights -----------------------------------------------------


def init_weights(
    seed: int = 0, init: str = "article", hidden: int = 5, dtype: Any = torch.float64
) -> Tuple[Tensor, Tensor]:
    """The same starting weights as numpy_impl.init_weights, as tensors.

    torch's random generator draws different numbers from NumPy's for the same
    seed, so the shared starting point is NumPy's draw, copied into torch.
    """
    w1, w2 = numpy_impl.init_weights(seed, init, hidden, "float64")
    return as_tensor(w1, dtype), as_tensor(w2, dtype)


# --- 3. Forward pass --------------------------------------------------------


class Forward(NamedTuple):
    z1: Tensor
    a1: Tensor
    z2: Tensor
    a2: Tensor


def forward(x: Tensor, w1: Tensor, w2: Tensor) -> Forward:
    """z1 = x @ w1, a1 = sigmoid(z1), z2 = a1 @ w2, a2 = sigmoid(z2)."""
    z1 = x @ w1
    a1 = torch.sigmoid(z1)
    z2 = a1 @ w2
    a2 = torch.sigmoid(z2)
    return Forward(z1, a1, z2, a2)


# --- 4. The losses ----------------------------------------------------------


def mse_loss(a2: Tensor, y: Tensor) -> Tensor:
    """The article's loss: sum((a2 - y)^2) / 3 (a 0-d tensor)."""
    return torch.sum((a2 - y) ** 2) / LOSS_DIVISOR


def bce_loss(z2: Tensor, y: Tensor) -> Tensor:
    """Summed binary cross-entropy from the logits, with torch's log-sigmoid:
    -sum(y log sigmoid(z2) + (1 - y) log sigmoid(-z2))."""
    return -torch.sum(y * F.logsigmoid(z2) + (1 - y) * F.logsigmoid(-z2))


#: The losses by name (the names of reference/witnesses/losses.py's table), as functions of
#: the forward pass: torch's own computation.
TORCH_LOSSES: Dict[str, Callable[[Forward, Tensor], Tensor]] = {
    "bce": lambda fwd, y: bce_loss(fwd.z2, y),
    "mse": lambda fwd, y: mse_loss(fwd.a2, y),
}


def claimed_loss(fwd: Forward, y: Tensor, rule: str) -> Tensor:
    """The loss that ``rule`` claims to be the gradient of (numpy_impl.RULE_LOSS), in torch."""
    if rule not in numpy_impl.RULE_LOSS:
        raise ValueError(f"unknown rule {rule!r}")
    return TORCH_LOSSES[numpy_impl.RULE_LOSS[rule].name](fwd, y)


# --- 5. Backward pass: autograd only ----------------------------------------


class Gradients(NamedTuple):
    w1: Tensor
    w2: Tensor


def output_delta(z2: Tensor, y: Tensor, rule: str = "article") -> Tensor:
    """dL/dz2 of the rule's loss, by autograd.

    Takes the logits z2 rather than a2 (numpy_impl's argument): autograd needs
    the variable it differentiates with respect to.
    """
    z2 = z2.detach().clone().requires_grad_(True)
    a2 = torch.sigmoid(z2)
    loss = claimed_loss(Forward(z2, a2, z2, a2), y, rule)  # only z2 and a2 are used
    (d2,) = torch.autograd.grad(loss, z2)
    return d2


def gradients(x: Tensor, y: Tensor, w1: Tensor, w2: Tensor, rule: str = "article") -> Gradients:
    """dL/dw1 and dL/dw2 of the rule's loss, by autograd."""
    w1 = w1.detach().clone().requires_grad_(True)
    w2 = w2.detach().clone().requires_grad_(True)
    loss = claimed_loss(forward(x, w1, w2), y, rule)
    g1, g2 = torch.autograd.grad(loss, (w1, w2))
    return Gradients(g1, g2)


def backprop(x: Tensor, w1: Tensor, w2: Tensor, d2: Tensor) -> Gradients:
    """The vector-Jacobian product of z2 with respect to (w1, w2) for the
    upstream gradient d2, by autograd (numpy_impl takes the forward pass instead
    of w1)."""
    w1 = w1.detach().clone().requires_grad_(True)
    w2 = w2.detach().clone().requires_grad_(True)
    z2 = forward(x, w1, w2).z2
    g1, g2 = torch.autograd.grad(z2, (w1, w2), grad_outputs=d2)
    return Gradients(g1, g2)


# --- 6. One step, and the training loop -------------------------------------


def sgd_step(w1: Tensor, w2: Tensor, grads: Gradients, alpha: float) -> Tuple[Tensor, Tensor]:
    """w <- w - alpha * dL/dw (new tensors, outside autograd)."""
    with torch.no_grad():
        return w1 - alpha * grads.w1, w2 - alpha * grads.w2


class TrainResult(NamedTuple):
    """Final weights and per-epoch losses as NumPy float64 arrays; ``checkpoints``
    maps epochs done to the (w1, w2) of that moment (see :func:`train_many`)."""

    w1: np.ndarray
    w2: np.ndarray
    loss: np.ndarray
    checkpoints: Dict[int, Tuple[np.ndarray, np.ndarray]]


def train(
    *,
    epochs: int = 15000,
    alpha: float = 0.01,
    hidden: int = 5,
    rule: str = "article",
    init: str = "article",
    seed: int = 0,
    dtype: Any = "float64",
    batch_size: int = 1,
    weights: Optional[Tuple[np.ndarray, np.ndarray]] = None,
) -> TrainResult:
    """One network, the article's loop, step by step (slow: several seconds for
    the article's job; the tests use :func:`train_many`)."""
    result = train_many(
        [weights if weights is not None else numpy_impl.init_weights(seed, init, hidden)],
        [rule],
        epochs=epochs,
        alpha=alpha,
        dtype=dtype,
        batch_size=batch_size,
    )
    return result[0]


def train_many(
    starts: Sequence[Tuple[np.ndarray, np.ndarray]],
    rules: Sequence[str],
    *,
    epochs: int,
    alpha: float = 0.01,
    dtype: Any = "float64",
    checkpoint_every: int = 0,
    batch_size: int = 1,
) -> List[TrainResult]:
    """Train several networks side by side, each exactly by the article's loop.

    Network k starts from ``starts[k]`` = (w1, w2) and follows ``rules[k]``. All
    networks share the hidden size. The weights are stacked, w1 as (K, 30, h)
    and w2 as (K, h, 3), so that each step is one batch of torch operations;
    the objective of a step is the sum of the K networks' losses, and since
    network k's loss depends only on network k's weights, autograd's gradient
    of that sum with respect to network k's weights is exactly its own gradient.

    Per-sample SGD in the order A, B, C; each sample's MSE is recorded before
    its update; an epoch's loss is the mean of the three. ``batch_size = b``
    takes one step per b consecutive samples, its objective the sum of their
    losses (so autograd's gradient is the sum of theirs). With
    ``checkpoint_every = n`` the weights after every n epochs are kept too.
    """
    dtype = _TORCH_DTYPES.get(dtype, dtype)
    if len(starts) != len(rules):
        raise ValueError("one rule per network")
    w1 = torch.stack([as_tensor(s[0], dtype) for s in starts])
    w2 = torch.stack([as_tensor(s[1], dtype) for s in starts])
    if len(starts) == 1:  # one network: plain 2-D matrices (torch's batched matmul costs more)
        w1, w2 = w1[0], w2[0]
    if not set(rules) <= set(numpy_impl.RULE_LOSS):
        raise ValueError(f"unknown rule in {rules!r}")
    groups: Dict[str, List[int]] = {}  # each claimed loss -> the networks trained on it
    for k, rule in enumerate(rules):
        groups.setdefault(numpy_impl.RULE_LOSS[rule].name, []).append(k)
    index = {name: torch.tensor(ks, dtype=torch.long) for name, ks in groups.items()}
    x_all, y_all = numpy_impl.dataset()
    b = batch_size
    pairs = [  # the batches, rows (b, 30) and (b, 3)
        (as_tensor(x_all[i : i + b], dtype), as_tensor(y_all[i : i + b], dtype))
        for i in range(0, len(x_all), b)
    ]
    recorded: List[Tensor] = []  # each step's (K,) summed MSE of its batch
    kept: List[Dict[int, Tuple[np.ndarray, np.ndarray]]] = [{} for _ in starts]
    for epoch in range(epochs):
        for x, y in pairs:
            w1.requires_grad_(True)
            w2.requires_grad_(True)
            fwd = forward(x, w1, w2)  # x (b, 30) broadcasts over the K networks
            with torch.no_grad():  # only recorded (saves autograd some work)
                per_net_mse = ((fwd.a2 - y) ** 2).sum(dim=(-2, -1)) / LOSS_DIVISOR
            if len(index) == 1:  # every network claims the same loss
                objective = TORCH_LOSSES[next(iter(index))](fwd, y)
            else:  # each group of networks its own loss (the rows of the stacked tensors)
                objective = sum(
                    (
                        TORCH_LOSSES[name](Forward(*(t[ks] for t in fwd)), y)
                        for name, ks in index.items()
                    ),
                    torch.zeros((), dtype=dtype),
                )
            g1, g2 = torch.autograd.grad(objective, (w1, w2))
            recorded.append(per_net_mse.detach())
            with torch.no_grad():
                w1 = w1 - alpha * g1
                w2 = w2 - alpha * g2
        if checkpoint_every and (epoch + 1) % checkpoint_every == 0:
            s1, s2 = _stacked(w1, len(starts)), _stacked(w2, len(starts))
            for k in range(len(starts)):
                kept[k][epoch + 1] = (s1[k].double().numpy(), s2[k].double().numpy())
    w1, w2 = _stacked(w1.detach(), len(starts)), _stacked(w2.detach(), len(starts))
    losses = torch.stack(recorded).reshape(epochs, len(pairs), len(starts)).double()
    history = (losses.sum(dim=1) / len(x_all)).numpy()  # mean of the per-sample losses
    return [
        TrainResult(
            w1[k].detach().double().numpy(),
            w2[k].detach().double().numpy(),
            history[:, k].copy(),
            kept[k],
        )
        for k in range(len(starts))
    ]


def _stacked(w: Tensor, networks: int) -> Tensor:
    """Weights as (K, rows, cols), whether kept stacked or as one 2-D matrix."""
    return w.reshape(networks, *w.shape[-2:])


# --- 7. Prediction ----------------------------------------------------------


def predict(x: Tensor, w1: Tensor, w2: Tensor) -> Tuple[Tensor, List[str]]:
    """Outputs a2 and the argmax letters."""
    with torch.no_grad():
        a2 = forward(x.reshape(-1, w1.shape[0]), w1, w2).a2
    return a2, [LETTERS[int(k)] for k in a2.argmax(dim=1)]
