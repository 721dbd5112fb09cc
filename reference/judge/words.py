"""What the judge says: each layer's words, the line to look at, and the verdict as text.

Every sentence the judge shows a student is put together here, from what
:mod:`reference.judge.diagnosis` found: the names are the catalogue's and the
network's (:data:`reference.judge.network.ARTICLE`), the numbers are the
fit's, and nothing here computes a gradient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional

from reference.judge.answers import Precision
from reference.judge.catalogue import ENTRIES
from reference.judge.fit import Judged, LayerFit
from reference.judge.network import ARTICLE
from reference.judge.plan import ALPHA
from reference.judge.trace import Trace
from reference.judge.unmatched import proportional
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


def unmatched(
    found: LayerFit, at: Dict[str, List[int]], traced: Optional[Trace], precision: Precision
) -> str:
    """A layer no chain matches: how far it is, a constant factor if there is one,
    where the differences lie (``at``), and what the trace found."""
    said = (
        f"{ARTICLE.label(found.weight)}: matches nothing in the catalogue; the correct"
        f" gradient differs by {found.off:.2g}, "
        + proportional(found.answers, found.weight, found.loss, precision.tolerance)
        + "the differences are largest in "
        + " and ".join(f"{k} {', '.join(map(str, v))}" for k, v in at.items())
    )
    told = traced.said(found.weight) if traced is not None else ""
    return said + (f"; {told}" if told else "")


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
    if found.ok:
        rounding = f" (to {found.precision} rounding)" if found.precision != "float64" else ""
        lines.append(f"ok: both layers are the gradient of {loss}{rounding}")
    else:
        wrong = [ARTICLE.label(v.name) for v in found.layers if not v.correct]
        lines.append(f"FAIL: {', '.join(wrong)} not the gradient of {loss}")
    return "\n".join(lines)
