"""A network a teacher describes (reference/witnesses/networks.py): read from TOML or
by name, every field checked in one line; its loss differentiated by the complex step
agrees with the judge's hand-written backward pass (reference/judge/layered.py), for
each built-in and for random descriptions (the PyTorch parity is
tests/judge/test_parity_networks.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.judge.described import plan, point
from reference.judge.layered import backward
from reference.witnesses import networks
from reference.witnesses.compare import errors
from reference.witnesses.networks import BUILT_IN, DescriptionError, parse, read
from reference.witnesses.tolerances import GRADIENT, network_floor
from tests.helpers import described

RELU_SOFTMAX = dict(
    sizes=[6, 5, 3], activations=["relu", "softmax"], biases=True, loss="softmax-ce",
    reduction="mean", layout="rows", parameters=["x", "y", "w1", "b1", "w2", "b2"],
    returns=["dw1", "db1", "dw2", "db2"],
)  # fmt: skip


def test_the_built_ins_are_the_issues_networks_exactly():
    bias, softmax, columns = BUILT_IN["article-bias"], BUILT_IN["relu-softmax"], BUILT_IN["columns"]
    assert bias.signature() == "f(x, y, w1, b1, w2, b2) -> (dw1, db1, dw2, db2)"
    assert (bias.sizes, bias.activations, bias.loss, bias.divisor, bias.reduction) == (
        (30, 5, 3), ("sigmoid", "sigmoid"), "mse", 3.0, "sum")  # fmt: skip
    assert (softmax.activations, softmax.loss, softmax.reduction, softmax.layout) == (
        ("relu", "softmax"), "softmax-ce", "mean", "rows")  # fmt: skip
    assert columns.signature() == "f(X, Y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)"
    assert (columns.activations, columns.loss, columns.reduction, columns.layout) == (
        ("relu", "sigmoid"), "bce", "mean", "columns")  # fmt: skip
    assert [columns.shape(w, (4, 5, 3)) for w in columns.weights] == [
        (5, 4),
        (5, 1),
        (3, 5),
        (3, 1),
    ]
    assert [bias.shape(w, (30, 5, 3)) for w in bias.weights] == [(30, 5), (5,), (5, 3), (3,)]
    assert set(BUILT_IN) == {"article-bias", "relu-softmax", "columns"}


def test_a_toml_file_is_read_and_the_article_told_apart(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'sizes = [30, 5, 3]\nactivations = ["sigmoid", "sigmoid"]\nbiases = false\nloss = "mse"\n'
        'divisor = 3\nreduction = "sum"\nlayout = "rows"\nparameters = ["x", "y", "w1", "w2"]\n'
        'returns = ["dw2", "dw1"]\n'
    )
    found = read(str(path))
    assert found.name == "mine" and found.returns == ("dw2", "dw1")
    assert not networks.is_article(found)  # its returns are in another order
    path.write_text(path.read_text().replace('["dw2", "dw1"]', '["dw1", "dw2"]'))
    assert networks.is_article(read(str(path)))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"sizes": [6]}, "sizes is a list of 2 or more whole numbers from 1 to 100"),
        ({"sizes": [6, 0, 3]}, "sizes is a list of 2 or more whole numbers"),
        ({"activations": ["relu"]}, "activations has 1 entries, sizes gives 2 layers"),
        ({"activations": ["swish", "softmax"]}, "activations is a list of sigmoid, tanh, relu,"),
        ({"activations": ["softmax", "softmax"]}, "softmax is an output layer's activation only"),
        ({"loss": "hinge"}, "loss is one of mse, bce, softmax-ce, not 'hinge'"),
        ({"loss": "bce"}, "the loss bce needs a sigmoid output, not softmax"),
        ({"loss": "mse"}, "a softmax output goes with the loss softmax-ce"),
        ({"divisor": 2}, "divisor goes with the loss mse only"),
        ({"reduction": "max"}, "reduction is one of sum, mean, not 'max'"),
        ({"layout": "cols"}, "layout is one of rows, columns, not 'cols'"),
        ({"biases": "yes"}, "biases is true or false"),
        ({"parameters": ["x", "y", "w1", "b1", "w2"]}, "parameters names 6 different arguments"),
        (
            {"parameters": ["x", "y", "w1", "b1", "w2", "2b"]},
            "parameters is a list of Python names",
        ),
        (
            {"returns": ["dw1", "db1", "dw2"]},
            "returns names each weight's gradient once: db1, db2,",
        ),
        ({"extra": 1}, "unknown key 'extra'"),
        ({"loss": None}, "'loss' is missing"),
    ],
)
def test_a_description_that_is_none_is_refused_in_one_line(change, words):
    data = {**RELU_SOFTMAX, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(DescriptionError) as err:
        parse(data, "net.toml")
    said = str(err.value)
    assert said.startswith("net.toml: ") and words in said and "\n" not in said


def test_a_file_that_is_not_toml_or_no_file_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("sizes = [1,")
    with pytest.raises(DescriptionError, match=r"bad.toml: not TOML: "):
        read(str(bad))
    with pytest.raises(DescriptionError, match=r"'nothing' is no built-in \(article, "):
        read("nothing")


def _agree(d, p):
    at = d.at(p.sizes)
    ours = backward(at, p.x, p.y, p.weights).gradients
    exact = networks.complex_step(at, p.x, p.y, p.weights)
    upstream = 1.0 if d.reduction == "mean" else float(len(p.x))
    floor = network_floor([v for k, v in p.weights.items() if d.place(k)[0] == "W"], upstream)
    for name in ours:
        assert errors(ours[name], exact[name], floor)[1] <= GRADIENT, name


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_the_judges_backward_pass_is_the_complex_steps_at_every_point(name):
    d = BUILT_IN[name]
    for p in plan(d)[1:]:
        _agree(d, p)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(described(), st.integers(0, 3))
def test_the_judges_backward_pass_is_the_complex_steps_for_any_description(d, seed):
    _agree(d, point(d, d.sizes, seed, 0))


def test_the_forward_pass_is_written_once_for_real_and_complex():
    d = BUILT_IN["columns"]
    p = plan(d)[0]
    real = networks.loss(d, p.x, p.y, p.weights)
    moved = {k: v.astype(complex) for k, v in p.weights.items()}
    assert abs(networks.loss(d, p.x, p.y, moved) - real) <= 1e-15 * abs(real)
    assert np.isfinite(real) and real > 0


def test_the_docs_show_each_built_in_as_its_file_is():
    from tests.helpers import ROOT

    page = (ROOT / "docs" / "networks.md").read_text()
    for path in sorted(networks.FOLDER.glob("*.toml")):
        assert f"```toml\n{path.read_text().rstrip()}\n```" in page, path.name
