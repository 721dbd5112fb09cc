"""CS231n style: stable softmax, keepdims, dscores = (probs - y) / N, the ReLU in place."""

import numpy as np


def backprop(x, y, w1, b1, w2, b2):
    N = x.shape[0]
    hidden = np.maximum(0, x.dot(w1) + b1)
    scores = hidden.dot(w2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    dscores = (probs - y) / N
    dW2 = hidden.T.dot(dscores)
    db2 = np.sum(dscores, axis=0)
    dhidden = dscores.dot(w2.T)
    dhidden[hidden <= 0] = 0
    dW1 = x.T.dot(dhidden)
    db1 = np.sum(dhidden, axis=0)
    return dW1, db1, dW2, db2
