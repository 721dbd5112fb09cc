"""Every sentence the judge says of a described network's backprop.

The arrays are named as the description names them (``dW1``, ``db2``), the deltas
as ``dz1`` (``dZ1`` where the weights are upper case); the loss in its words,
with how it is reduced over the examples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Tuple

import numpy as np

from reference.judge.described import Fit
from reference.judge.diagnosis import Explained, LayerVerdict
from reference.judge.layered import Mistake, catalogue, delta_name
from reference.judge.words import APPROXIMATION
from reference.witnesses.networks import Description

if TYPE_CHECKING:  # pragma: no cover
    from reference.judge.described_verdict import DescribedDiagnosis


def _shape(shape: Tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _wanted(d: Description, weight: str) -> Tuple[int, ...]:
    return d.shape(weight, d.sizes)


def _form(d: Description, f: Fit) -> Tuple[str, List[str]]:
    """What the shape of a gradient whose values are right says, and its mistake's name."""
    weight = d.gradient_of(f.returned)
    wanted = _wanted(d, weight)
    if f.form == "an axis of length one":
        spread = _shape(tuple(np.broadcast_shapes(wanted, f.shape)))
        if len(f.shape) < len(wanted):
            how = "missing an axis of length one"
        elif len(f.shape) > len(wanted):
            how = "with an extra axis of length one"
        else:  # (1, h) for (h, 1): a bias's gradient, whose layout a transpose would mend
            how = "transposed"
        return (f"{f.returned}: its values are right, its shape is not: {_shape(f.shape)}, not"
                f" {weight}'s {_shape(wanted)} ({weight} - lr * {f.returned} would be"
                f" {spread})", [f"{f.returned} {how}"])  # fmt: skip
    if f.form == "transposed":
        return (f"{f.returned} transposed: its values are right, its layout is"
                f" {_shape(f.shape)}, not {weight}'s {_shape(wanted)}",
                [f"{f.returned} transposed"])  # fmt: skip
    layer = d.place(weight)[1]
    delta = delta_name(d, layer)
    if f.form == "not summed":
        each = "row" if d.layout == "rows" else "column"
        return (f"{f.returned} not summed over the examples: it holds {delta}, one {each} an"
                f" example, shape {_shape(f.shape)}; {weight}'s gradient is their sum, shape"
                f" {_shape(wanted)}", ["bias gradient not summed"])  # fmt: skip
    if f.form == "every axis":
        return (f"{f.returned} summed over every axis: one number, shape {_shape(f.shape)}, not"
                f" {delta} summed over the examples alone, shape {_shape(wanted)}",
                ["bias summed over every axis"])  # fmt: skip
    said = (f"{f.returned} summed over the wrong axis: over each example's units"
            f" ({_shape(f.shape)}), not over the examples")  # fmt: skip
    return said, ["bias summed over the wrong axis"]


def _scaled(d: Description, f: Fit) -> Tuple[str, str]:
    """The words of a gradient that is the right one times a number, and its name."""
    if f.scaled == "1/n lost":
        return (f"{f.returned}: the mean's 1/n lost: n times the right gradient at every point"
                f" (n the number of examples)", "1/n of the mean lost")  # fmt: skip
    if f.scaled == "1/n twice" and d.reduction == "mean":
        return (f"{f.returned}: the mean's 1/n taken twice: the right gradient divided by n once"
                f" more (n the number of examples)", "1/n of the mean taken twice")  # fmt: skip
    if f.scaled == "1/n twice":
        return (f"{f.returned}: divided by the number of examples (a mean), where the loss sums"
                f" over them", "a mean where the loss sums")  # fmt: skip
    if f.scaled == "times n":
        return (f"{f.returned}: n times the right gradient at every point (n the number of"
                " examples)", "times the number of examples")  # fmt: skip
    if f.scaled == "sign":
        return f"{f.returned}: sign flipped (the update climbs the loss)", "sign flipped"
    if f.scaled == "zeros":
        return f"{f.returned}: zero everywhere (not computed, or multiplied by 0)", "zeros"
    return (f"{f.returned}: the correct gradient times {f.factor:.6g} everywhere (a constant"
            " factor)", "constant factor")  # fmt: skip


def _one(d: Description, f: Fit, whole: Optional[Mistake]) -> LayerVerdict:
    """One gradient's verdict."""
    weight, loss = d.gradient_of(f.returned), d.loss_words()
    if f.right and f.form == "as the weight":
        rounding = f" to {f.precision.name} rounding" if f.precision.name != "float64" else ""
        said = (
            f"{f.returned}: correct for {loss}{rounding} (largest relative difference {f.off:.0e})"
        )
        return LayerVerdict(weight, True, said, None, [], f.off, 0.0, unnamed=False)
    if f.right:
        said, names = _form(d, f)
        return LayerVerdict(weight, False, said, None, names, f.off, 0.0, unnamed=False)
    named = whole.name if whole and whole.name in f.matches else (f.matches or [""])[0]
    if named:
        m = next(m for m in catalogue(d) if m.name == named)
        said = f"{f.returned}: matches *{m.words}*; the correct gradient differs by {f.off:.2g}"
        return LayerVerdict(weight, False, said, None, [m.name], 0.0, f.off, unnamed=False)
    if f.approximate:
        tol = f.precision.tolerance
        said = (f"{f.returned}: approximately the gradient of {loss}, off by up to {f.off:.1g},"
                f" where backprop is exact to {f.precision.name} rounding ({tol:g})")  # fmt: skip
        return LayerVerdict(weight, False, said, None, [], f.off, f.off, approximate=True,
                            unnamed=False)  # fmt: skip
    if f.scaled:
        said, name = _scaled(d, f)
        return LayerVerdict(weight, False, said, None, [name], 0.0, f.off, factor=f.factor,
                            unnamed=False)  # fmt: skip
    said = (f"{f.returned}: not the gradient of {loss}, and no known mistake matches it"
            f" (largest relative difference {f.off:.2g})")  # fmt: skip
    if f.form != "as the weight":  # a second mistake, in its shape: said too
        said += f"; its shape is {_shape(f.shape)}, not {weight}'s {_shape(_wanted(d, weight))}"
    return LayerVerdict(weight, False, said, None, [], f.off, f.off, unnamed=True)


def explained(
    d: Description, fits: List[Fit], whole: Optional[Mistake], again: List[str]
) -> Explained:
    """Each gradient's verdict, the quantity that goes wrong first, and the line to look at."""
    layers = [_one(d, f, whole) for f in fits]
    if again:
        for v in layers:
            if f"d{v.name}" in again:
                v.correct, v.unnamed = False, False
                v.mistakes.append("accumulates across calls")
        kept = ", ".join(again)
        are = "is" if len(again) == 1 else "are"
        return Explained(layers, "update", f"look at where {kept} {are} kept between calls:"
                         " called twice with the same inputs it returned two"
                         " different answers (gradients added up across calls and never reset,"
                         " or something random such as dropout: the answer must depend on the"
                         " inputs alone, and it is judged here at its first call)")  # fmt: skip
    if whole is not None:
        pointer = f"look at the line that computes {whole.origin}: {whole.words}"
        return Explained(layers, whole.origin, pointer)
    if any(not f.right for f in fits) and all(f.right or f.approximate for f in fits):
        return Explained(layers, None, APPROXIMATION)
    if all(not f.right and f.scaled for f in fits) and len({(f.scaled, round(f.factor, 6))
                                                            for f in fits}) == 1:  # fmt: skip
        delta = delta_name(d, d.layers)
        why = layers[0].words.split(": ", 1)[1]
        where = f"the line that computes {delta}"
        if fits[0].scaled == "sign":
            where = f"the sign of the error in {delta} (a - y, not y - a), or before each gradient"
        if fits[0].scaled in ("1/n lost", "1/n twice", "times n"):
            where = f"where the 1/n is applied (in {delta}, or in each gradient's own line)"
        return Explained(layers, delta, f"look at {where}: every gradient has one mistake, {why}")
    return _first_wrong(d, fits, layers)


def _first_wrong(d: Description, fits: List[Fit], layers: List[LayerVerdict]) -> Explained:
    """Where to look when no one mistake explains every gradient: in the first layer to go
    wrong in the backward pass (the output's first), the mistake of the catalogue named
    there; else its delta, when its gradients and every layer's before it are wrong (a
    wrong delta makes them so: a gradient of the right values in the wrong shape is not
    one it made wrong); else its first wrong gradient's own line."""
    wrong = {f.returned: v for f, v in zip(fits, layers) if not v.correct}
    values_wrong = {f.returned for f in fits if not f.right}  # not a shape's mistake alone
    for layer in range(d.layers, 0, -1):
        bad = [r for r in d.returns if r in wrong and d.place(d.gradient_of(r))[1] == layer]
        if not bad:
            continue
        twists = [m for m in catalogue(d) if any(m.name in wrong[r].mistakes for r in bad)]
        if twists:
            m = twists[0]
            pointer = f"look at the line that computes {m.origin}: {m.words}"
            return Explained(layers, m.origin, pointer)
        below = [r for r in d.returns if d.place(d.gradient_of(r))[1] <= layer]
        plain = not any(wrong[r].mistakes for r in bad)
        if plain and layer == 1 and not d.biases:  # dW1 alone: its line, or dz1's
            delta = delta_name(d, 1)
            return Explained(layers, bad[0], f"look at the lines that compute {delta} and"
                             f" {bad[0]}: {bad[0]} is wrong, while those of the layers after it"
                             " are right")  # fmt: skip
        if plain and all(r in values_wrong for r in below):
            delta = delta_name(d, layer)
            said = f"{' and '.join(bad)} {'is' if len(bad) == 1 else 'are'} wrong"
            said += ", and so is every gradient of the layers before it" if layer > 1 else ""
            said += ", while those of the layers after it are right" if layer < d.layers else ""
            return Explained(layers, delta, f"look at the line that computes {delta}: {said}")
        first = bad[0]
        words = wrong[first].words
        why = words[len(first) + 2 :] if words.startswith(f"{first}: ") else words
        return Explained(layers, first, f"look at the line that computes {first}: {why}")
    return Explained(layers, None, "")


def reordered(d: Description, at: Tuple[int, ...], layers: List[LayerVerdict]) -> str:
    """The pointer for gradients returned in another order (``at``: where each returned
    name's array was): each gradient is marked wrong, since a caller unpacking them in
    order gets the wrong ones."""
    came = [""] * len(at)
    for k, r in enumerate(d.returns):
        came[at[k]] = r
    for v in layers:
        v.correct, v.unnamed = False, False
        v.mistakes.append("gradients returned in another order")
    return (f"look at the return line: the gradients come back as ({', '.join(came)}), not"
            f" ({', '.join(d.returns)})")  # fmt: skip


#: The last line where the gradients' values are right and yet they are not what is
#: asked: returned in another order, or changing between calls (by the origin).
ENDINGS = {
    "return": "the gradients are returned in another order",
    "update": "called twice with the same inputs it returns two different answers",
}


def text(found: DescribedDiagnosis) -> str:
    """The whole verdict, line by line."""
    d = found.network
    assert d is not None
    lines = [f"checking {d.signature()} against {d.loss_words()} (network {d.name})",
             f"run at: {'; '.join(found.checked)}"]  # fmt: skip
    lines += [f"note: {n}" for n in found.notes]
    lines += [v.words for v in found.layers]
    lines += [found.pointer] if found.pointer else []
    return "\n".join([*lines, verdict(found)])


def verdict(found: DescribedDiagnosis) -> str:
    """The last line: ok, or FAIL and what does not hold."""
    d, asked = found.network, found.contract
    assert d is not None
    missing = [p for p in asked.points if not found.parts.get(p, False)]
    if found.ok:
        rounding = f" (to {found.precision} rounding)" if found.precision != "float64" else ""
        said = f"ok: every gradient is the gradient of {d.loss_words()}{rounding}"
        if missing:
            said += f"; not required here, and not holding: {', '.join(missing)}"
        return said
    if found.origin in ENDINGS:
        return f"FAIL: {ENDINGS[found.origin]}"
    failed = []
    shaped = [f"d{v.name}" for v in found.layers if not v.correct and v.off_correct == 0.0]
    wrong = [f"d{v.name}" for v in found.layers if not v.correct and v.off_correct != 0.0]
    if wrong:
        failed.append(f"not the gradient of {d.loss_words()}: {', '.join(wrong)}")
    if shaped:
        failed.append(f"the values right, the shape not: {', '.join(shaped)}")
    others = [p for p in missing if p in asked.required and p not in asked.gradients]
    if others:
        failed.append(f"required and not holding: {', '.join(others)}")
    return f"FAIL: {'; '.join(failed)}"
