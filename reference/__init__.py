"""The PyTorch mirror of numpy_impl: the same steps, every gradient from autograd.

Import it only where torch is installed; the tests skip the live comparisons
(and say so) where it is not.
"""

from reference.network import (
    Forward,
    Gradients,
    as_tensor,
    backprop,
    bce_loss,
    forward,
    gradients,
    init_weights,
    mse_loss,
    output_delta,
    predict,
    rule_loss,
    sgd_step,
    sigmoid,
    train,
    train_many,
)

__all__ = [
    "Forward",
    "Gradients",
    "as_tensor",
    "backprop",
    "bce_loss",
    "forward",
    "gradients",
    "init_weights",
    "mse_loss",
    "output_delta",
    "predict",
    "rule_loss",
    "sgd_step",
    "sigmoid",
    "train",
    "train_many",
]
