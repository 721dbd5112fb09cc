"""A hand-written NumPy network that learns the letters A, B and C.

The teaching article's 30-5-3 sigmoid network, every step a documented
function (see :mod:`numpy_impl.network`), verified against PyTorch autograd by
the project's tests. Quick start::

    import numpy_impl
    result = numpy_impl.train()               # the article's job: 15000 epochs
    numpy_impl.predict(numpy_impl.dataset()[0], result.w1, result.w2).letters
    # ['A', 'B', 'C']

Beyond the article: :mod:`numpy_impl.sweep` trains many networks at once
(``from numpy_impl.sweep import sweep``), :mod:`numpy_impl.noisy` measures
accuracy on letters with pixels flipped, :mod:`numpy_impl.plot` draws.
"""

from numpy_impl.checks import DTYPES, INITS, RULES
from numpy_impl.data import LETTERS, bitmap, dataset, parse_bitmap, render, samples
from numpy_impl.network import (
    ARTICLE,
    ARTICLE_SETTINGS,
    RULE_LOSS,
    Forward,
    Gradients,
    Loss,
    Prediction,
    TrainingDiverged,
    TrainResult,
    backprop,
    bce_loss,
    forward,
    gradients,
    init_weights,
    mse_loss,
    output_delta,
    predict,
    sgd_step,
    sigmoid,
    train,
)
from numpy_impl.weights_file import SavedWeights, WeightsFileError, load_weights, save_weights

__version__ = "0.2.0"

__all__ = [
    "ARTICLE",
    "ARTICLE_SETTINGS",
    "DTYPES",
    "INITS",
    "LETTERS",
    "RULES",
    "RULE_LOSS",
    "Forward",
    "Gradients",
    "Loss",
    "Prediction",
    "SavedWeights",
    "TrainResult",
    "TrainingDiverged",
    "WeightsFileError",
    "backprop",
    "bce_loss",
    "bitmap",
    "dataset",
    "forward",
    "gradients",
    "init_weights",
    "load_weights",
    "mse_loss",
    "output_delta",
    "parse_bitmap",
    "predict",
    "render",
    "samples",
    "save_weights",
    "sgd_step",
    "sigmoid",
    "train",
]
