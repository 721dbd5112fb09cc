"""What a teacher requires of a backprop, and the points each part of it is worth.

The parts of a verdict (:data:`PARTS`): each layer's gradient, the other hidden
sizes (3 and 8, beside the article's 5), and a batch of rows (the sum of its
rows' gradients). By default (:data:`DEFAULT`) the judge requires what the
article's own network needs, both layers right at hidden size 5 one sample at
a time, in either shape (a gradient or a step); it still checks the other
parts and says when they do not hold, and a verdict that passes without them
says so. A teacher who asked for more requires it (``--require sizes,rows``), or
one shape alone (``--require step``), and sets what each part is worth
(``--points dw1=2,dw2=2,sizes=1,rows=1``; 1 each by default): a score for
partial credit. Where the grader judges the forward pass too (``--forward``), it
is worth ``forward`` points (1 by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

#: The parts of a verdict, in the words a teacher and a student read.
PARTS: Dict[str, str] = {
    "dw1": "dL/dw1",
    "dw2": "dL/dw2",
    "sizes": "other hidden sizes (3 and 8)",
    "rows": "a batch of rows (the sum of its rows' gradients)",
}
#: The shapes a function may be required to have.
SHAPES = ("gradient", "step")


@dataclass(frozen=True)
class Contract:
    """The parts that must hold (``required``), the shape asked for (None: either),
    and the points of each part."""

    required: FrozenSet[str] = frozenset({"dw1", "dw2"})
    shape: Optional[str] = None
    points: Dict[str, float] = field(default_factory=lambda: {p: 1.0 for p in PARTS})
    forward: float = 1.0  # the forward pass's points, where the grader judges it too
    gradients: Tuple[str, ...] = ("dw1", "dw2")  # the parts that are a gradient each
    words: Mapping[str, str] = field(default_factory=lambda: dict(PARTS))  # each part's

    @property
    def leans_on_default(self) -> bool:
        """Whether some part is checked and not required."""
        return set(self.points) != set(self.required)

    @classmethod
    def parse(
        cls, require: str = "", points: str = "", parts: Mapping[str, str] = PARTS,
        gradients: Tuple[str, ...] = ("dw1", "dw2"),
    ) -> Contract:  # fmt: skip
        """From the command line: ``require`` "sizes,rows,step" (parts beyond both
        layers, and one shape), ``points`` "dw1=2,sizes=0.5" (the others keep 1).
        ValueError (one line) for anything else. A described network's ``parts`` and
        ``gradients`` are its own (every gradient required; no step)."""
        required, shape = set(gradients), None
        shapes = SHAPES if parts is PARTS else ()
        for word in filter(None, (w.strip() for w in require.split(","))):
            if word in shapes and shape not in (None, word):
                raise ValueError("--require: a function is a gradient or a step, not both")
            if word in shapes:
                shape = word
            elif word in parts:
                required.add(word)
            else:
                raise ValueError(
                    f"--require: unknown {word!r}: choose from {', '.join([*parts, *shapes])}"
                )
        worth = {p: 1.0 for p in (*parts, *(["forward"] if parts is PARTS else []))}
        for item in filter(None, (i.strip() for i in points.split(","))):
            name, sep, value = item.partition("=")
            if not sep or name.strip() not in worth:
                raise ValueError(
                    f"--points: {item!r} is not PART=NUMBER (parts: {', '.join(worth)})"
                )
            try:
                number = float(value)
            except ValueError:
                raise ValueError(f"--points: {value.strip()!r} is not a number") from None
            if not 0 <= number < float("inf"):
                raise ValueError(f"--points: {item!r}: points are a number 0 or more")
            worth[name.strip()] = number
        forward = worth.pop("forward", 1.0)
        return cls(frozenset(required), shape, worth, forward, gradients, dict(parts))


DEFAULT = Contract()
