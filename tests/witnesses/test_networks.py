"""A network a teacher describes (reference/witnesses/networks.py): read from TOML or
by name, every field checked in one line; its loss differentiated by the complex step
agrees with the judge's hand-written backward pass (reference/judge/layered.py), for
each built-in and for random descriptions (the PyTorch parity is
tests/judge/test_parity_networks.py)."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.judge.described import plan, point
from reference.judge.layered import backward
from reference.witnesses import networks
from reference.witnesses.compare import errors
from reference.witnesses.networks import BUILT_IN, DescriptionError, parse, read
from reference.witnesses.tolerances import FORWARD, GRADIENT, gradient_floor, network_floor
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


PLACES = "goes: after the inputs and labels, each layer's weight"
WITH_BIASES, WITHOUT = f"{PLACES}, then its bias, layer by layer", f"{PLACES}, layer by layer"


@pytest.mark.parametrize(
    ("biases", "parameters", "line"),
    [
        (True, "xy", "parameters is a list of Python names"),
        (True, ["x", "y", "w1", "b1", "w1", "b2"],
            "parameters names 6 different arguments: inputs, labels, then each weight and its"
            " bias"),
        (False, ["x", "y", "w1"],
            "parameters names 4 different arguments: inputs, labels, then each weight"),
        (True, ["x", "y", "b1", "w1", "w2", "b2"],
            f"parameters: 'b1' stands where a weight {WITH_BIASES}"),
        (True, ["x", "y", "B1", "c1", "w2", "b2"],
            f"parameters: 'B1' stands where a weight {WITH_BIASES}"),
        (True, ["x", "y", "v1", "w1", "w2", "b2"],
            f"parameters: 'w1' stands where a bias {WITH_BIASES}"),
        (False, ["x", "y", "w1", "b2"],
            f"parameters: 'b2' stands where a weight {WITHOUT}"),
    ],
)  # fmt: skip
def test_parameters_out_of_place_are_refused_in_exactly_these_words(biases, parameters, line):
    """A list of names of the wrong kind or count, or a weight's name (w..., W...) where a
    bias goes or a bias's (b..., B...) where a weight goes: the one line says which."""
    data = {**RELU_SOFTMAX, "biases": biases, "parameters": parameters}
    with pytest.raises(DescriptionError) as err:
        parse(data, "net.toml")
    assert str(err.value) == f"net.toml: {line}"


def test_a_weight_or_bias_named_with_another_letter_is_read():
    """Only a b or B where a weight goes, or a w or W where a bias goes, is refused: names
    starting with any other letter stand in either place."""
    data = {**RELU_SOFTMAX, "parameters": ["x", "y", "X1", "Xb1", "w2", "b2"],
            "returns": ["dX1", "dXb1", "dw2", "db2"]}  # fmt: skip
    found = parse(data, "net.toml")
    assert found.parameters == ("x", "y", "X1", "Xb1", "w2", "b2")
    assert found.weights == ("X1", "Xb1", "w2", "b2")


def test_a_file_that_is_not_toml_or_no_file_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("sizes = [1,")
    with pytest.raises(DescriptionError, match=r"bad.toml: not TOML: "):
        read(str(bad))
    with pytest.raises(DescriptionError, match=r"'nothing' is no built-in \(article, "):
        read("nothing")


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"sizes": [6]}, f"sizes is a list of 2 or more whole numbers from 1 to {networks.LARGEST}"
            " (inputs, ..., outputs)"),
        ({"sizes": [6, 5, 4, 3], "activations": ["relu", "softmax", "softmax"]},
            "softmax is an output layer's activation only"),
        ({"sizes": [6, 5, 4, 3], "activations": ["relu", "tanh", "softmax"], "loss": "bce"},
            "the loss bce needs a sigmoid output, not softmax"),
        ({"biases": 1}, "biases is true or false"),
        ({"sizes": [6, 5, 1]},
            "a softmax output goes with the loss softmax-ce, and 2 or more outputs"),
        ({"divisor": 2}, "divisor goes with the loss mse only"),
        ({"extra": 1}, f"unknown key 'extra' (keys: {', '.join(networks.KEYS)})"),
        ({"name": "réseau"}, "name is 1 to 60 letters, digits, '-', '_' or '.'"),
    ],
)  # fmt: skip
def test_each_refusal_is_said_in_its_whole_line(change, line):
    """The whole line, not a part of it: what is wrong and what is asked, the output's
    activation (the last, of three layers here) named where the loss needs another."""
    with pytest.raises(DescriptionError) as err:
        parse({**RELU_SOFTMAX, **change}, "net.toml")
    assert str(err.value) == f"net.toml: {line}"


def _chain(layers):
    """``layers`` tanh layers of 2 units, no biases: a gradient a layer."""
    weights = [f"w{k}" for k in range(1, layers + 1)]
    return dict(sizes=[2] * (layers + 1), activations=["tanh"] * layers, biases=False,
                loss="mse", reduction="sum", layout="rows", parameters=["x", "y", *weights],
                returns=[f"d{w}" for w in weights])  # fmt: skip


def test_a_function_returns_as_many_gradients_as_the_sandbox_keeps_and_no_more():
    """MOST_RETURNED gradients are read; one more is refused, its count said."""
    most = networks.MOST_RETURNED
    assert len(parse(_chain(most), "net.toml").returns) == most
    with pytest.raises(DescriptionError) as err:
        parse(_chain(most + 1), "net.toml")
    assert str(err.value) == (
        f"net.toml: a function returns at most {most} gradients here (the sandbox keeps {most}):"
        f" this one would return {most + 1}")  # fmt: skip


def test_a_description_read_from_no_file_is_called_the_description():
    """Without a file's name it is named for "the description" (its space made a '-'),
    and a refusal of it starts so."""
    assert parse(RELU_SOFTMAX).name == "the-description"
    with pytest.raises(DescriptionError) as err:
        parse({**RELU_SOFTMAX, "biases": 1})
    assert str(err.value) == "the description: biases is true or false"


def test_a_description_without_a_name_takes_its_files_in_ascii_cut_at_60():
    """The file's stem, each character but an ASCII letter, digit, '_', '.' or '-' made a
    '-' (the é, the space), cut to the 60 characters a name may have."""
    assert parse(RELU_SOFTMAX, "nets/réseau 2.toml").name == "r-seau-2"
    assert parse(RELU_SOFTMAX, f"{'n' * 70}.toml").name == "n" * 60


def test_the_squared_errors_divisor_is_the_outputs_count_unless_given_within_its_bounds():
    """Unless given, the divisor is the number of outputs (3 of sizes 6-5-4-3); given, it
    is read from the lower bound to the upper, both included, and refused past them."""
    mse = {**RELU_SOFTMAX, "sizes": [6, 5, 4, 3], "activations": ["relu", "tanh", "identity"],
           "loss": "mse", "biases": False, "parameters": ["x", "y", "w1", "w2", "w3"],
           "returns": ["dw1", "dw2", "dw3"]}  # fmt: skip
    assert parse(mse).divisor == 3.0
    low, high = networks.DIVISORS
    assert [parse({**mse, "divisor": v}).divisor for v in (low, high)] == [low, high]
    for past in (low * 0.999, high * 1.001):
        with pytest.raises(DescriptionError, match=r"divisor is a number from 0\.001 to 1000$"):
            parse({**mse, "divisor": past})


def _agree(d, p):
    at = d.at(p.sizes)
    ours = backward(at, p.x, p.y, p.weights).gradients
    exact = networks.complex_step(at, p.x, p.y, p.weights)
    upstream = 1.0 if d.reduction == "mean" else float(len(p.x))
    floor = network_floor([v for k, v in p.weights.items() if d.place(k)[0] == "W"], upstream)
    for name in ours:
        assert errors(ours[name], exact[name], floor)[1] <= GRADIENT, name


def test_a_described_networks_floor_is_the_output_deltas_carried_back_through_its_weights():
    """0.01 upstream (the output delta's floor) times (1 + max|W|) once for each weight an
    error of the output delta is carried back through to dW1 (L - 1 of L layers, once at
    least): two layers' is gradient_floor's with w2; unset, the upstream is a mean's 1."""
    w1, w2, w3 = np.array([[0.5, -3.0]]), np.array([[1.0], [-2.0]]), np.array([[0.25]])
    assert network_floor([w1], 5.0) == pytest.approx(0.01 * 5.0 * (1 + 3.0))
    assert network_floor([w1, w2], 5.0) == pytest.approx(0.01 * 5.0 * (1 + 3.0))
    assert network_floor([w1, w2, w3], 5.0) == pytest.approx(0.01 * 5.0 * (1 + 3.0) ** 2)
    assert network_floor([w3, w1, w2], 5.0) == pytest.approx(0.01 * 5.0 * (1 + 3.0) ** 2)
    assert network_floor([w3, w1]) == pytest.approx(0.01 * (1 + 3.0))
    assert network_floor([w3, w1], 5.0) == pytest.approx(gradient_floor(w1, 5.0))


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


def _softmax_alone():
    """One softmax layer on the inputs themselves (w1 the identity: the logits are x),
    read in the test (a softmax that is the first layer and the last is allowed)."""
    return parse(
        dict(sizes=[2, 2], activations=["softmax"], biases=False, loss="softmax-ce",
             reduction="sum", layout="rows", parameters=["x", "y", "w1"], returns=["dw1"])
    )  # fmt: skip


def test_the_softmax_cross_entropy_is_exact_at_large_logits_each_row_its_own():
    """Logits of a thousand, rows far apart: row (1000, 0) labelled by its second class
    loses 1000 + log(1 + e^-1000) = 1000 in float64, row (-1000, -1001) labelled by its
    first loses log(1 + e^-1); each row is shifted by its own largest logit, so neither
    overflows nor loses its terms to underflow."""
    x = np.array([[1000.0, 0.0], [-1000.0, -1001.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    found = networks.loss(_softmax_alone(), x, y, {"w1": np.eye(2)})
    expected = 1000.0 + math.log1p(math.exp(-1.0))
    assert abs(found - expected) <= FORWARD * expected


def test_the_squared_error_is_each_examples_divided_before_they_are_summed():
    """Two examples, each of squared error 1e308 (the output 1e154 against 0), divisor
    1000: each loses 1e305, both 2e305, finite, though their squared errors' own sum
    (2e308) is past the largest float64."""
    d = parse(
        dict(sizes=[1, 1], activations=["identity"], biases=False, loss="mse", divisor=1000,
             reduction="sum", layout="rows", parameters=["x", "y", "w1"], returns=["dw1"])
    )  # fmt: skip
    x = np.array([[1e154], [1e154]])
    found = networks.loss(d, x, np.zeros((2, 1)), {"w1": np.ones((1, 1))})
    assert abs(found - 2e305) <= FORWARD * 2e305


def test_the_complex_step_of_float32_weights_is_a_float64_gradient():
    """Weights given in float32 get the complex step's float64 gradient, not one rounded
    to float32: the same, bit for bit, as at the same weights in float64 (float64 x
    promotes them exactly)."""
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    w32 = np.array([[0.1, -0.7], [0.3, 0.9]], dtype=np.float32)
    found = networks.complex_step(_softmax_alone(), x, y, {"w1": w32})["w1"]
    wide = networks.complex_step(_softmax_alone(), x, y, {"w1": w32.astype(np.float64)})["w1"]
    assert found.dtype == np.float64 and np.array_equal(found, wide)
    assert not np.array_equal(found, found.astype(np.float32))  # float32 could not hold it


def test_the_docs_show_each_built_in_as_its_file_is():
    from tests.helpers import ROOT

    page = (ROOT / "docs" / "networks.md").read_text()
    for path in sorted(networks.FOLDER.glob("*.toml")):
        assert f"```toml\n{path.read_text().rstrip()}\n```" in page, path.name


def test_a_description_is_taken_at_other_sizes_all_else_kept():
    d = parse(RELU_SOFTMAX, "mine.toml")
    other = d.at([6, 4, 3])
    assert other.sizes == (6, 4, 3) and other == parse({**RELU_SOFTMAX, "sizes": [6, 4, 3]},
                                                       "mine.toml")  # fmt: skip


def test_relu_is_off_at_its_kink_for_the_complex_step_too():
    """ReLU keeps z where its real part is above 0: at 0 + ih the unit is off (0, slope 0,
    as the judge's mask z > 0 has it); at 1 + ih it is on."""
    z = np.array([0 + 1e-30j, 1 + 1e-30j])
    assert networks.activate("relu", z).tolist() == [0, 1 + 1e-30j]


def test_a_real_sigmoid_never_overflows_and_is_positive_far_out():
    """For real z the sigmoid is computed from e^-|z|: at z = -720 (e^720 overflows) it is
    e^-720 / (1 + e^-720) = e^-720 (a subnormal, above 0), at 720 it is 1, no overflow."""
    with np.errstate(over="raise"):
        found = networks.activate("sigmoid", np.array([-720.0, 720.0]))
    assert found.tolist() == [math.exp(-720), 1.0] and found[0] > 0


def test_a_description_file_is_read_as_utf8_whatever_the_locale(tmp_path):
    """A TOML file is UTF-8 (its standard): one with an accent in a comment is read the
    same under an ASCII locale (C, without Python's UTF-8 mode)."""
    path = tmp_path / "mine.toml"
    path.write_bytes(
        '# un réseau\nsizes = [6, 5, 3]\nactivations = ["relu", "softmax"]\nbiases = true\n'
        'loss = "softmax-ce"\nreduction = "mean"\nlayout = "rows"\n'
        'parameters = ["x", "y", "w1", "b1", "w2", "b2"]\nreturns = ["dw1", "db1", "dw2", "db2"]\n'
        .encode()
    )  # fmt: skip
    code = f"from reference.witnesses.networks import read; print(ascii(read({str(path)!r}).name))"
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=root)  # fmt: skip
    assert (run.returncode, run.stdout.strip()) == (0, ascii("mine")), run.stderr
