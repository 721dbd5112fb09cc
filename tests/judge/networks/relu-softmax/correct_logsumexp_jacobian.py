"""log p by log-sum-exp, dL/dp = -y / (n p) first, then the softmax's Jacobian (einsum)."""

import numpy as np


def backprop(x, y, w1, b1, w2, b2):
    n = len(x)
    pre = x @ w1 + b1
    act = np.where(pre > 0, pre, 0.0)
    logits = act @ w2 + b2
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    p = np.exp(logits - lse)
    dp = -y / (n * p)
    # softmax Jacobian: J[i, j] = p_i (delta_ij - p_j)
    jac = np.einsum("nc,cd->ncd", p, np.eye(p.shape[1])) - np.einsum("nc,nd->ncd", p, p)
    dlogits = np.einsum("ncd,nc->nd", jac, dp)
    dact = dlogits @ w2.T
    dpre = dact * (pre > 0)
    return x.T @ dpre, dpre.sum(0), act.T @ dlogits, dlogits.sum(0)
