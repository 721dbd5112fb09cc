"""What is said of a layer no chain of the catalogue matches: where its differences
from the correct gradient lie, and whether it is the correct gradient times one
constant everywhere."""

from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np

from reference.judge.answers import Answer
from reference.judge.catalogue import correct
from reference.judge.trace import apart
from reference.witnesses.tolerances import gradient_floor


def where(answer: Answer, weight: str, loss: str) -> Dict[str, List[int]]:
    """Where the differences from the correct gradient lie, at ``answer``: the hidden
    units (and, for dL/dw1, the pixels) with the largest ones."""
    diff = np.abs(answer.gradient[weight] - correct(answer.state, loss).gradient(weight))
    # ties (the lit pixels of a letter share one row of x.T @ d1) go to the lowest
    # index: a stable sort, the same in every NumPy version
    if weight == "w1":  # (30, h): rows are pixels, columns hidden units
        units = np.argsort(-diff.max(axis=0), kind="stable")[:3]
        pixels = np.argsort(-diff.max(axis=1), kind="stable")[:5]
        return {
            "hidden units": sorted(int(u) for u in units),
            "pixels": sorted(int(p) for p in pixels),
        }
    units = np.argsort(-diff.max(axis=1), kind="stable")[:3]  # (h, 3): rows are hidden units
    return {"hidden units": sorted(int(u) for u in units)}


def proportional(answers: Sequence[Answer], weight: str, loss: str, tol: float) -> str:
    """A hint when the gradient is the correct one times one constant everywhere."""
    ratios = []  # (k, how far k may be off at that point)
    for ans in answers:
        s = ans.state
        ref = correct(s, loss).gradient(weight)  # never 0 at the plan's points (tests/judge)
        g = ans.gradient[weight]
        k = float(g.ravel() @ ref.ravel()) / float(ref.ravel() @ ref.ravel())
        floor = abs(k) * gradient_floor(s.w2, upstream=s.n)
        size = float(np.abs(ref).max())
        bound = max(abs(k) * size, floor)
        if max(float(np.abs(g - k * ref).max()) - ans.slack[weight], 0.0) > tol * bound:
            return ""
        ratios.append((k, (tol * bound + ans.slack[weight]) / size))
    first, allowed = ratios[0]
    if all(abs(k - first) <= t + allowed for k, t in ratios):
        return (
            f"but it is the correct gradient times {apart(first, 1.0, 6)[0]} everywhere"
            " (a fixed factor, or a learning rate other than alpha?); "
        )
    return ""
