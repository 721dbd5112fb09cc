"""dL/dA2 of the cross-entropy first, times the slope A2 (1 - A2); einsum; mean in the delta."""

import numpy as np


def backprop(X, Y, W1, b1, W2, b2):
    m = X.shape[1]
    Z1 = np.einsum("hd,dm->hm", W1, X) + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = np.einsum("ch,hm->cm", W2, A1) + b2
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    dA2 = -(Y / A2 - (1 - Y) / (1 - A2)) / m
    dZ2 = dA2 * A2 * (1 - A2)
    dA1 = np.einsum("ch,cm->hm", W2, dZ2)
    dZ1 = np.where(Z1 > 0, dA1, 0.0)
    dW1 = np.einsum("hm,dm->hd", dZ1, X)
    db1 = dZ1.sum(axis=1).reshape(-1, 1)
    dW2 = np.einsum("cm,hm->ch", dZ2, A1)
    db2 = dZ2.sum(axis=1)[:, None]
    return dW1, db1, dW2, db2
