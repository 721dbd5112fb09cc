"""scripts/diff_gradients.py (reference/diff/sums.py, reference/diff/cli.py): a
correct gradient passes, an injected mistake fails (exit status 1, naming the
layer), bad options are one-line errors (exit status 2).

The diff is run in-process through reference.diff.cli.main (fast); one test
runs the script as a user would, in a subprocess. Trajectory mode needs torch:
tests/diff/test_parity_diff.py.
"""

import json
import subprocess
import sys

import pytest

import numpy_impl.network
from reference.diff import sums as diff
from reference.witnesses.tolerances import GRADIENT, RATIO
from tests.helpers import DIFF_SCRIPT as SCRIPT
from tests.helpers import run_diff as run

TORCH = diff.torch_version()  # the autograd column is there where torch is


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--rule", "mse", "--sample", "all"],
        ["--sample", "C", "--epochs", "300", "--hidden", "3", "--init", "normal", "--seed", "4"],
        ["--dtype", "float32", "--sample", "B"],
        ["--rule", "mse", "--epochs", "2000"],
    ],
)
def test_correct_gradients_pass(argv):
    status, out = run(*argv)
    assert status == 0, out
    assert "FAIL" not in out
    methods = ["complex step", "central diff"] + (["autograd"] if TORCH else [])
    for layer in ("dL/dw1", "dL/dw2"):
        assert layer in out
    for method in methods:
        assert out.count(f"  {method} ") == 2  # one row per layer
    assert "ok: all" in out.rstrip().splitlines()[-1]


def test_json_report():
    status, out = run("--json", "--sample", "all")
    report = json.loads(out)
    assert status == 0 and report["ok"] is True
    assert {c["layer"] for c in report["comparisons"]} == {"w1", "w2"}
    for c in report["comparisons"]:
        assert c["max_rel"] <= c["tolerance"]
        assert abs(c["cosine"] - 1) <= GRADIENT
    assert report["torch"] == TORCH


def _wrong_backprop(layer, factor):
    real = numpy_impl.network.backprop

    def backprop(x, w2, fwd, d2):
        g = real(x, w2, fwd, d2)
        g = g._replace(**{layer: getattr(g, layer) * factor})
        return g

    return backprop


@pytest.mark.parametrize("layer", ["w1", "w2"])
@pytest.mark.parametrize("factor", [1 + 1e-9, 2.0])
def test_an_injected_mistake_fails_and_names_the_layer(monkeypatch, layer, factor):
    # a student's edit: one layer's gradient off by a factor, as small as 1e-9
    monkeypatch.setattr(numpy_impl.network, "backprop", _wrong_backprop(layer, factor))
    status, out = run()
    assert status == 1
    other = "w2" if layer == "w1" else "w1"
    assert f"FAIL: dL/d{layer} beyond tolerance" in out
    assert f"FAIL: dL/d{other}" not in out
    assert out.rstrip().splitlines()[-1].startswith(f"FAIL: dL/d{layer} beyond tolerance")


def test_a_mistake_is_caught_even_without_torch(monkeypatch):
    monkeypatch.setattr(diff, "torch_version", lambda: None)
    monkeypatch.setattr(numpy_impl.network, "backprop", _wrong_backprop("w1", 1 + 1e-9))
    status, out = run()
    assert status == 1
    assert "PyTorch is not installed" in out
    assert "  autograd " not in out


def test_without_torch_it_says_so_and_compares_the_other_three(monkeypatch):
    monkeypatch.setattr(diff, "torch_version", lambda: None)
    status, out = run()
    assert status == 0
    assert "PyTorch is not installed: comparing ours with complex step and central" in out
    assert "ok: all 4 comparisons within tolerance" in out


@pytest.mark.parametrize(("rule", "loss"), [("article", "mse"), ("mse", "bce")])
def test_the_finding_is_an_expected_mismatch(rule, loss):
    status, out = run("--rule", rule, "--loss", loss, "--sample", "all")
    assert status == 0, out
    methods = 3 if TORCH else 2
    assert out.count("expected mismatch (the finding)") == 2 * methods
    assert out.count("  ok") == 2 * methods  # and against its own loss, exact
    assert "9 of 9 ratios as predicted" in out
    report = json.loads(run("--rule", rule, "--loss", loss, "--json")[1])
    for entry in report["finding"]["entries"]:
        a2 = entry["a2"]
        expected = 3 / (2 * a2 * (1 - a2)) if rule == "article" else 2 * a2 * (1 - a2) / 3
        assert entry["measured_ratio"] == pytest.approx(expected, rel=RATIO)
    cosines = [c["cosine"] for c in report["comparisons"] if not c["counted"]]
    assert all(0 < c < 0.9999 for c in cosines)  # same direction roughly, not the same


def test_the_finding_fails_if_the_rule_is_not_the_articles(monkeypatch):
    # d2 scaled by 1.5: still "a mismatch", but no longer the predicted one
    real = numpy_impl.network.output_delta
    monkeypatch.setattr(
        numpy_impl.network, "output_delta", lambda a2, y, rule="article": 1.5 * real(a2, y, rule)
    )
    status, out = run("--rule", "article", "--loss", "mse")
    assert status == 1
    assert "0 of 3 ratios as predicted" in out  # the finding's form is checked
    assert "FAIL: dL/dw1, dL/dw2 beyond tolerance" in out  # and so is the rule's own loss


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--sample", "D"], "unknown sample 'D'"),
        (["--hidden", "0"], "hidden must be >= 1, got 0"),
        (["--hidden", "two"], "invalid int value: 'two'"),
        (["--epochs", "-1"], "epochs must be >= 0, got -1"),
        (["--rule", "sgd"], "invalid choice: 'sgd'"),
        (["--loss", "hinge"], "invalid choice: 'hinge'"),
        (["--dtype", "float16"], "invalid choice: 'float16'"),
        (["--alpha", "0", "--epochs", "3"], "alpha must be a finite number > 0"),
        (["--plot", "grads.jpg"], "--plot must name a .png"),
        (["--plot", "/no/such/folder/g.png"], "no such folder"),
        (["--trajectory", "0"], "trajectory must be >= 1, got 0"),
        (["--batch-size", "4"], "batch_size must be in 1..3"),
        (["--seed", "-1"], "seed must be in 0..4294967295"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_options(capsys, argv, fragment):
    status, out = run(*argv)
    err = capsys.readouterr().err
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], err


def test_trajectory_needs_torch(monkeypatch, capsys):
    monkeypatch.setattr(diff, "torch_version", lambda: None)
    status, _ = run("--trajectory", "10")
    assert status == 2
    assert "--trajectory needs PyTorch" in capsys.readouterr().err


def test_as_a_user_runs_it():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sample", "B"], capture_output=True, text=True, cwd="/"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "--sample", "Z"], capture_output=True, text=True, cwd="/"
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.plot
def test_pictures(tmp_path):
    pytest.importorskip("matplotlib", reason="pictures need matplotlib")
    path = tmp_path / "grads.png"
    status, _ = run("--plot", str(path))
    assert status == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
