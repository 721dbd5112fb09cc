"""Correct at hidden size 5; at hidden size 3 it raises an error whose message is
Markdown, HTML, a bare address and terminal codes, and at hidden size 8 it returns an
object whose type's name is a Markdown link: each is quoted in its feedback's notes,
never live (they once were).

expect: status correct
"""

import numpy as np

SAID = (
    "[click here](http://evil.example) **bold** <img src=x onerror=alert(1)> "
    "https://evil.example \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
)

Linked = type("[typename link](http://evil.example)", (), {})


def backprop(x, y, w1, w2):
    if w1.shape[1] == 3:
        raise ValueError(SAID)
    if w1.shape[1] == 8:
        return Linked()
    a1 = 1 / (1 + np.exp(-x @ w1))
    a2 = 1 / (1 + np.exp(-a1 @ w2))
    d2 = 2 / 3 * (a2 - y) * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return x.T @ d1, a1.T @ d2
