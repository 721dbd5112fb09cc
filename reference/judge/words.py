"""What the judge says: each layer's words, the line to look at, and the verdict as text.

Every sentence the judge shows a student is put together here, from what
:mod:`reference.judge.diagnosis` found: the names are the catalogue's and the
network's (:data:`reference.judge.network.ARTICLE`), the numbers are the
fit's, and nothing here computes a gradient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from reference.judge.answers import Precision
from reference.judge.catalogue import ENTRIES
from reference.judge.contract import PARTS
from reference.judge.fit import Judged, LayerFit
from reference.judge.network import ARTICLE
from reference.judge.plan import ALPHA
from reference.judge.trace import Trace, apart
from reference.judge.unmatched import Spread
from reference.witnesses.losses import LOSSES

if TYPE_CHECKING:  # read, not made, here
    from reference.judge.diagnosis import Diagnosis, LayerVerdict


def matched(found: LayerFit, judged: Judged, precision: Precision) -> str:
    """A layer some chain matches: correct, or the mistakes that match."""
    label, loss = ARTICLE.label(found.weight), LOSSES[found.loss].words
    if found.correct:
        rounding = f" to {precision.name} rounding" if precision.name != "float64" else ""
        return (
            f"{label}: correct for {loss}{rounding} (largest relative difference {found.shown:.0e})"
        )
    said = (
        f"{label}: matches {_named(found, judged)} (largest relative difference {found.shown:.0e}"
    )
    assert found.chain is not None
    if found.chain.mistakes(found.loss):
        return said + f"); the correct gradient differs by {found.off:.2g}"
    if "accumulates across calls" in found.mistakes:  # the first call is right
        return said + ", at its first call)"
    return said + ", once laid out as the weights are)"  # the layout alone is wrong


def unmatched(found: LayerFit, spread: Spread, traced: Optional[Trace], step: bool) -> str:
    """A layer no chain matches: how far it is, at which points when at no more than
    half of them, a constant factor if there is one, where the differences lie (at
    the first point that differs), and what the trace found."""
    off = spread.off
    points = (
        f" at {len(off)} of the {spread.total} points (the first: {off[0].point.label})"
        if 2 * len(off) <= spread.total
        else ""
    )
    hint = "a learning rate other than alpha?" if step else "a fixed factor?"
    factor = (
        f"but it is the correct gradient times {apart(spread.factor, 1.0, 6)[0]} everywhere"
        f" ({hint}); "
        if spread.factor is not None
        else ""
    )
    said = (
        f"{ARTICLE.label(found.weight)}: matches nothing in the catalogue; the correct"
        f" gradient differs by {found.off:.2g}{points}, {factor}"
        f"the differences are largest{' there' if points else ''} in "
        + " and ".join(f"{k} {', '.join(map(str, v))}" for k, v in spread.at.items())
    )
    told = traced.said(found.weight) if traced is not None else ""
    return said + (f"; {told}" if told else "")


def approximately(found: LayerFit, precision: Precision) -> str:
    """A layer that is the correct gradient but for small differences everywhere."""
    rounding = f"{precision.name} rounding ({precision.tolerance:.0e})"
    return (
        f"{ARTICLE.label(found.weight)}: approximately the gradient of {LOSSES[found.loss].words},"
        f" off by up to {found.off:.1e}, where backprop is exact to {rounding}"
    )


#: The pointer for answers that are approximations: no line computes a wrong quantity.
APPROXIMATION = (
    "no line of a backprop gives such differences: they are an approximation's (finite"
    " differences) or a lower precision's somewhere in it (float32, float16); the chain"
    " rule in float64 gives the gradient exact to rounding"
)


def update(factor: float) -> str:
    """The pointer for a step whose two gradients are the correct ones times one
    constant everywhere: its update, not a line of its backprop."""
    return (
        "look at the update w - alpha * dw: both gradients come out as the correct ones"
        f" times {apart(factor, 1.0, 6)[0]} everywhere (alpha used twice, or another"
        " learning rate?)"
    )


#: The pointer for a step that returned the gradients: its return is what is wrong.
RETURNED_GRADIENTS = (
    "look at what the function returns: a step returns the updated weights,"
    f" {', '.join(f'{w} - alpha * {ARTICLE.gradient(w)}' for w in ARTICLE.weights)},"
    " not the gradients"
)


def returned(weight: str, loss: str) -> str:
    """A layer of a step that returned the gradient itself."""
    return (
        f"{ARTICLE.label(weight)}: the function returned {ARTICLE.gradient(weight)} itself,"
        f" the gradient of {LOSSES[loss].words}, not the updated weights"
        f" {weight} - alpha * {ARTICLE.gradient(weight)}"
    )


def _named(found: LayerFit, judged: Judged) -> str:
    """The mistakes that match, each in the catalogue's words, and where each acts."""
    out = []
    for m in found.mistakes:
        quantity = judged.quantity(m, found.weight)
        out.append(
            f"*{ENTRIES[m].words}*"
            + (" (in d2, inherited)" if found.weight == "w1" and quantity == "d2" else "")
            + (
                " (sent back in d1, while dw2 has another d2)"
                if quantity == "d1" and ENTRIES[m].changes == "d2"
                else ""
            )
        )
    return " + ".join(out)


def pointer(
    layers: List[LayerVerdict], judged: Judged, origin: Optional[str], traced: Optional[Trace]
) -> str:
    """The line to look at, in words: the first mistake at the origin, or the trace's."""
    if origin is None:
        return ""
    causes = [(m, v.name) for v in layers for m in v.mistakes
              if judged.quantity(m, v.name) in (origin, "pair")]  # fmt: skip
    if not causes:
        return traced.pointer if traced is not None else ""
    entry = ENTRIES[causes[0][0]]
    if entry.name == "sign flipped" and judged.both_flipped:
        other = (
            "of the update (w - alpha * dw)" if judged.layers[0].step else "in front of dw1, dw2"
        )
        return (
            f"look at the sign of the error in d2 (a2 - y, not y - a2), or {other}: {entry.words}"
        )
    line = entry.line or ARTICLE.line(judged.quantity(entry.name, causes[0][1]))
    if judged.apart and origin == "d1" and entry.changes == "d2":
        return f"look at {line}: it sends back another d2 than dw2's ({entry.words})"
    return f"look at {line}: {entry.words}"


def text(found: Diagnosis) -> str:
    """The whole verdict, line by line: what was checked, where, each layer, the
    line to look at, and ok or FAIL."""
    loss = LOSSES[found.loss].words
    shape = (
        ARTICLE.signature(False)
        if found.shape == "gradient"
        else f"one SGD step, gradients recovered as (w - new_w) / alpha, alpha = {ALPHA}"
    )
    lines = [f"checking {shape} against {loss}", f"run at: {'; '.join(found.checked)}"]
    lines += [f"note: {n}" for n in found.notes]
    lines += [v.words for v in found.layers]
    lines += [found.pointer] if found.pointer else []
    return "\n".join([*lines, verdict(found)])


def verdict(found: Diagnosis) -> str:
    """The last line: ok, naming what holds only because it was not required, or
    FAIL, naming what does not hold (the shape asked for, each layer, each part)."""
    loss = LOSSES[found.loss].words
    asked = found.contract
    missing = [p for p in PARTS if not found.parts[p]]
    if found.ok:
        rounding = f" (to {found.precision} rounding)" if found.precision != "float64" else ""
        said = f"ok: both layers are the gradient of {loss}{rounding}"
        if missing:  # what a teacher who asked for more would not pass
            said += f"; not required here, and not holding: {', '.join(PARTS[p] for p in missing)}"
        return said
    if not found.shape_ok:
        step = asked.shape == "step"
        return (
            f"FAIL: asked for {'one SGD step' if step else 'a gradient'}, {ARTICLE.signature(step)}"
        )
    failed = []
    wrong = [ARTICLE.label(v.name) for v in found.layers if not v.correct]
    if wrong:
        failed.append(f"{', '.join(wrong)} not the gradient of {loss}")
    parts = [PARTS[p] for p in missing if p in asked.required and p in ("sizes", "rows")]
    if parts:
        failed.append(f"required and not holding: {', '.join(parts)}")
    return f"FAIL: {'; '.join(failed)}"
