"""Where a submission is run: the plan of points, and what the judge computes at each.

The plan (:func:`plan`): each letter from the article's starts for seeds 0, 1
and 2 and a start whose units saturate (weights x 8), at hidden sizes 5, 3
and 8, then the three letters at once as one batch of rows, with the first
point twice (an answer that depends on earlier calls shows there). Hidden
size 5 must work; a group that does not is noted (:data:`GROUPS`).

What is run there is :func:`calls`: the arguments for a gradient function
and for a step, by their number of parameters (what the sandbox is handed).
At each point the judge computes its own forward pass (:func:`state_at`) and
every chain of the catalogue (:func:`candidates_at`), once: the same for
every submission of a class.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np

import numpy_impl as ni
from reference.judge.catalogue import Chain, chains, gradients
from reference.judge.network import ARTICLE, State, state

#: The learning rate passed to a step function: not the article's 0.01, so that
#: a step that ignores its ``alpha`` and uses a fixed 0.01 is not correct (its
#: gradients come out 0.1 times the right ones, as alpha used twice would).
ALPHA = 0.1

Array = np.ndarray


@dataclass(frozen=True)
class Group:
    """A group of points: its name in the words, the hidden size, and whether the
    letters come as one batch of rows."""

    label: str
    hidden: int
    rows: bool


#: The groups of points, in order: the first must work; the others are noted when they do not.
GROUPS = (Group("hidden size 5", 5, False), Group("hidden size 3", 3, False),
          Group("hidden size 8", 8, False), Group("several rows at once", 5, True))  # fmt: skip


@dataclass(frozen=True)
class Point:
    """One place the function is run: where it is (``label``), its group, and its inputs."""

    label: str
    group: Group
    x: Array
    y: Array
    w1: Array
    w2: Array

    def weight(self, name: str) -> Array:
        found: Array = getattr(self, name)
        return found


def points(group: Group) -> List[Point]:
    """Each letter from the article's starts for seeds 0..2 and a saturated start
    (weights x 8), at the group's hidden size; for a group of rows, the three
    letters at once as one batch instead."""
    xs, ys = ni.dataset()
    starts = [(f"seed {s}", *ni.init_weights(s, "article", group.hidden)) for s in range(3)]
    w1, w2 = ni.init_weights(3, "article", group.hidden)
    starts.append(("seed 3, weights x 8 (saturated)", 8 * w1, 8 * w2))
    if group.rows:
        return [Point(f"A, B, C as rows, {name}", group, xs, ys, a, b) for name, a, b in starts]
    return [
        Point(f"{letter}, {name}, hidden {group.hidden}", group, xs[i : i + 1], ys[i : i + 1], a, b)
        for name, a, b in starts
        for i, letter in enumerate(ni.LETTERS)
    ]


@cache
def plan() -> Tuple[Point, ...]:
    """Every call, in order: the first point twice, then the rest."""
    every = [p for group in GROUPS for p in points(group)]
    return (every[0], every[0], *every[1:])


#: The call that repeats the first (its answer must be the first's).
REPEAT = 1


#: The arguments of one call: arrays, and a step's learning rate.
Arguments = Tuple[Union[Array, float], ...]


@cache
def calls() -> Dict[int, Tuple[Arguments, ...]]:
    """What the function is called with at every point of the plan, by its number
    of positional parameters: (x, y, w1, w2), or a step's (x, y, w1, w2, alpha)."""
    made: Dict[int, Tuple[Arguments, ...]] = {}
    for step in (False, True):
        extra = (ALPHA,) if step else ()
        made[ARTICLE.parameters(step)] = tuple((p.x, p.y, p.w1, p.w2, *extra) for p in plan())
    return made


@cache
def state_at(index: int) -> State:
    """The judge's forward pass at call ``index`` of the plan (computed once)."""
    p = plan()[index]
    return state(p.x, p.y, p.w1, p.w2, ALPHA)


@dataclass(frozen=True)
class Candidates:
    """Every chain for one layer at one call, its gradient there (stacked:
    (C, 30, h) or (C, h, 3)) and the largest entry of each."""

    chains: List[Chain]
    stack: Array
    sizes: Array


@cache
def candidates_at(index: int, layer: str, step: bool) -> Candidates:
    """Every chain's gradient at call ``index`` of the plan (computed once: the same
    for every submission of a class)."""
    found = chains(layer, step)
    stack = gradients(state_at(index), layer, found)
    return Candidates(found, stack, np.abs(stack).max(axis=(1, 2)))


def summary(groups: Sequence[Group], hidden: Sequence[int], points: int) -> List[str]:
    """What the function was run at, in words: ``points`` points (the repeat not
    counted) of ``groups``, at hidden sizes ``hidden``."""
    rows = any(g.rows for g in groups)
    out = [f"{points} points", f"hidden sizes {', '.join(map(str, sorted(set(hidden))))}"]
    out.append("letters A, B, C one at a time" + (" and as a batch of rows" if rows else ""))
    out.append("article starts for seeds 0..2 and a saturated one")
    out.append("the first point twice")
    return out
