"""The command line: the article's job, saving and predicting, and every bad input.

Most tests call ``numpy_impl.cli.main`` in-process (fast); a few run
``python -m numpy_impl`` in a subprocess to see exactly what a user sees.
"""

import subprocess
import sys
import zipfile

import numpy as np
import pytest

import numpy_impl as ni
from numpy_impl.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, fragment):
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in err


def test_train_default_is_the_articles_job(capsys):
    status, out, err = run(capsys, "train")
    assert status == 0 and err == ""
    lines = out.splitlines()
    epoch_lines = [line for line in lines if line.startswith("epoch")]
    assert [int(line.split()[1]) for line in epoch_lines] == list(range(0, 15000, 1000))
    expected = ni.train()  # the article's settings are train()'s defaults
    for line in epoch_lines:
        epoch, loss = int(line.split()[1]), line.split()[3]
        assert loss == f"{expected.loss[epoch]:.10f}"
    assert "training complete" in lines
    predictions = lines[lines.index("training complete") + 1 :]
    assert [p.split()[0] for p in predictions] == ["A:", "B:", "C:"]
    assert [p.split()[-1] for p in predictions] == ["A", "B", "C"]


def test_train_quiet_prints_nothing(capsys):
    assert run(capsys, "train", "--epochs", "3", "--quiet") == (0, "", "")


@pytest.mark.numerics  # the weights file: np.savez and np.load
def test_save_then_predict_round_trip(capsys, tmp_path):
    path = tmp_path / "w.npz"
    status, out, _ = run(
        capsys,
        "train",
        "--epochs",
        "300",
        "--hidden",
        "4",
        "--rule",
        "mse",
        "--init",
        "normal",
        "--seed",
        "5",
        "--alpha",
        "0.5",
        "--save",
        str(path),
    )
    assert status == 0 and f"saved to {path}" in out
    saved = ni.load_weights(path)
    again = ni.train(epochs=300, hidden=4, rule="mse", init="normal", seed=5, alpha=0.5)
    np.testing.assert_array_equal(saved.w1, again.w1)
    np.testing.assert_array_equal(saved.w2, again.w2)
    with np.load(path, allow_pickle=False) as f:
        np.testing.assert_array_equal(f["loss"], again.loss)
    assert saved.settings == {
        "epochs": 300,
        "alpha": 0.5,
        "hidden": 4,
        "rule": "mse",
        "init": "normal",
        "seed": 5,
        "dtype": "float64",
        "batch_size": 1,
        "numpy_version": np.__version__,
    }
    status, out, _ = run(capsys, "predict", "--weights", str(path))
    assert status == 0
    outputs = ni.predict(ni.dataset()[0], again.w1, again.w2)
    for line, letter, values in zip(out.splitlines(), outputs.letters, outputs.outputs):
        assert line.endswith(f"predicted {letter}")
        assert " ".join(f"{v:.6f}" for v in values) in line


@pytest.mark.numerics  # the weights file: np.savez and np.load
def test_save_float32(capsys, tmp_path):
    path = tmp_path / "w32.npz"
    assert (
        run(capsys, "train", "--epochs", "5", "--dtype", "float32", "--quiet", "--save", str(path))[
            0
        ]
        == 0
    )
    saved = ni.load_weights(path)
    assert saved.w1.dtype == np.float32 and saved.settings["dtype"] == "float32"


@pytest.mark.parametrize(
    "bitmap",
    [
        ["001100010010111111100001100001"],
        ["001100", "010010", "111111", "100001", "100001"],
        ["001100/010010/111111/100001/100001"],
    ],
    ids=["30-digits", "5-rows", "slashes"],
)
def test_predict_a_bitmap(capsys, tmp_path, bitmap):
    path = tmp_path / "w.npz"
    run(capsys, "train", "--quiet", "--save", str(path))
    status, out, _ = run(capsys, "predict", "--weights", str(path), "--bitmap", *bitmap)
    assert status == 0
    assert out.startswith("bitmap: outputs [") and out.strip().endswith("predicted A")


def test_show_letter(capsys):
    status, out, _ = run(capsys, "show", "b")
    assert status == 0
    assert out == ni.render(ni.bitmap("B")) + "\n"


# --- bad input: one line on stderr, exit status 2, nothing written -----------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["train", "--epochs", "0"], "epochs must be >= 1, got 0"),
        (["train", "--epochs", "-3"], "epochs must be >= 1, got -3"),
        (["train", "--epochs", "ten"], "invalid int value: 'ten'"),
        (["train", "--alpha", "0"], "alpha must be a finite number > 0"),
        (["train", "--alpha", "-1"], "alpha must be a finite number > 0"),
        (["train", "--alpha", "nan"], "alpha must be a finite number > 0"),
        (["train", "--alpha", "inf"], "alpha must be a finite number > 0"),
        (["train", "--alpha", "fast"], "invalid float value: 'fast'"),
        (["train", "--hidden", "0"], "hidden must be >= 1, got 0"),
        (["train", "--rule", "bce"], "invalid choice: 'bce'"),
        (["train", "--init", "zeros"], "invalid choice: 'zeros'"),
        (["train", "--dtype", "float16"], "invalid choice: 'float16'"),
        (["train", "--seed", "-1"], "seed must be in 0..4294967295"),
        (["train", "--bogus"], "unrecognized arguments: --bogus"),
        (["show", "D"], "unknown letter 'D'"),
        (["show"], "required: letter"),
        ([], "required: command"),
        (["fly"], "invalid choice: 'fly'"),
        (["predict"], "required: --weights"),
        (
            ["train", "--batch-size", "4"],
            "batch_size must be in 1..3 (the number of samples), got 4",
        ),
        (["train", "--batch-size", "0"], "batch_size must be >= 1, got 0"),
        (["sweep"], "required: --networks"),
        (["sweep", "--networks", "0"], "networks must be >= 1, got 0"),
        (["sweep", "--networks", "-5"], "networks must be >= 1, got -5"),
        (["sweep", "--networks", "3", "--batch-size", "4"], "batch_size must be in 1..3"),
        (["sweep", "--networks", "3", "--distances", "31"], "distance must be in 0..30, got 31"),
        (["sweep", "--networks", "3", "--per-letter", "0"], "per_letter must be >= 1, got 0"),
        (["sweep", "--networks", "3", "--distances", "-1"], "must be in 0..30, got -1"),
        (["sweep", "--networks", "3", "--seed", str(2**32 - 2)], "run past 2**32 - 1"),
        (["sweep", "--networks", "3", "--plot", "out.jpg"], "--plot must name a .png"),
        (["evaluate"], "required: --weights"),
        (["evaluate", "--weights", "w.npz", "--distances", "40"], "must be in 0..30, got 40"),
        (["evaluate", "--weights", "nowhere.npz"], "no such weights file"),
        (["train", "--plot", "loss.pdf"], "--plot must name a .png"),
    ],
)
def test_bad_options(capsys, argv, fragment):
    assert_one_line_error(*run(capsys, *argv), fragment)


def test_bad_save_paths_write_nothing(capsys, tmp_path):
    assert_one_line_error(
        *run(capsys, "train", "--save", str(tmp_path / "w.txt")), "must name a .npz"
    )
    missing = tmp_path / "no" / "such" / "w.npz"
    assert_one_line_error(*run(capsys, "train", "--save", str(missing)), "no such folder")
    assert list(tmp_path.iterdir()) == []


def test_bad_options_with_save_write_nothing(capsys, tmp_path):
    path = tmp_path / "w.npz"
    assert_one_line_error(*run(capsys, "train", "--epochs", "0", "--save", str(path)), "epochs")
    assert not path.exists()


def test_diverging_training_exits_1_and_writes_nothing(capsys, tmp_path):
    path = tmp_path / "w.npz"
    status, out, err = run(
        capsys, "train", "--alpha", "1e308", "--epochs", "50", "--save", str(path)
    )
    assert status == 1 and out == ""
    assert err.strip() == "error: training diverged: loss became nan at epoch 1 (alpha=1e+308)"
    assert not path.exists()


@pytest.mark.parametrize(
    ("bitmap", "fragment"),
    [
        (["0" * 29], "must have 30 digits, got 29"),
        (["0" * 31], "must have 30 digits, got 31"),
        (["0" * 29 + "2"], "only the digits 0 and 1"),
        (["001100", "010010", "111111", "100001"], "5 rows of 6"),
    ],
)
def test_bad_bitmaps(capsys, tmp_path, bitmap, fragment):
    path = tmp_path / "w.npz"
    run(capsys, "train", "--epochs", "2", "--quiet", "--save", str(path))
    assert_one_line_error(
        *run(capsys, "predict", "--weights", str(path), "--bitmap", *bitmap), fragment
    )


def _write_npy(path, array):
    with open(path, "wb") as f:
        np.save(f, array)


def _write(path, **arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)


@pytest.mark.numerics  # the weights file: np.savez and np.load
@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "no such weights file"),
        (lambda p: p.write_bytes(b"not a zip at all"), "not a readable .npz weights file"),
        (lambda p: _write(p, w1=np.zeros((30, 5))), "has no array 'w2'"),
        (lambda p: _write(p, w1=np.zeros((29, 5)), w2=np.zeros((5, 3))), "w1 must be (30, h)"),
        (lambda p: _write(p, w1=np.zeros((30, 5)), w2=np.zeros((4, 3))), "w1 must be (30, h)"),
        (lambda p: _write(p, w1=np.zeros((30, 5)), w2=np.zeros((5, 2))), "w1 must be (30, h)"),
        (lambda p: _write(p, w1=np.zeros(150), w2=np.zeros((5, 3))), "w1 must be (30, h)"),
        (lambda p: _write(p, w1=np.zeros((30, 5)), w2=np.zeros(15)), "got (30, 5) and (15,)"),
        (lambda p: _write(p, w1=np.zeros(30), w2=np.zeros((5, 3))), "got (30,) and (5, 3)"),
        (lambda p: _write(p, w1=np.zeros((30, 0)), w2=np.zeros((0, 3))), "got (30, 0) and (0, 3)"),
        (
            lambda p: _write(p, w1=np.zeros((30, 5)), w2=np.zeros((5, 3), np.float32)),
            "w1 and w2 differ in dtype (float64, float32)",
        ),
        (lambda p: _write(p, w1=np.full((30, 5), np.nan), w2=np.zeros((5, 3))), "w1 holds NaN"),
        (lambda p: _write(p, w1=np.zeros((30, 5)), w2=np.full((5, 3), np.inf)), "w2 holds NaN"),
        (
            lambda p: _write(p, w1=np.zeros((30, 5), int), w2=np.zeros((5, 3))),
            "must be float32 or float64",
        ),
        (
            lambda p: _write(p, w1=np.array([{"a": 1}] * 150).reshape(30, 5), w2=np.eye(5, 3)),
            "not a readable .npz",
        ),
        (
            lambda p: _write_npy(p, np.zeros((30, 5))),
            "(a single array, not an archive of w1 and w2)",
        ),
    ],
    ids=[
        "missing",
        "garbage",
        "no-w2",
        "w1-rows",
        "w2-rows",
        "w2-cols",
        "w1-flat",
        "w2-flat",
        "w1-flat-30",
        "no-hidden-unit",
        "mixed-dtypes",
        "nan",
        "inf",
        "int",
        "pickled-object",
        "npy",
    ],
)
def test_bad_weight_files(capsys, tmp_path, make, fragment):
    path = tmp_path / "w.npz"
    make(path)
    assert_one_line_error(*run(capsys, "predict", "--weights", str(path)), fragment)


@pytest.mark.numerics  # the weights file: np.savez and np.load
def test_one_hidden_unit_is_a_network(capsys, tmp_path):
    path = tmp_path / "w1.npz"
    assert (
        run(capsys, "train", "--epochs", "3", "--hidden", "1", "--quiet", "--save", str(path))[0]
        == 0
    )
    assert ni.load_weights(path).w1.shape == (30, 1)


@pytest.mark.numerics  # the weights file: np.savez and np.load
def test_truncated_weight_file(capsys, tmp_path):
    path = tmp_path / "w.npz"
    run(capsys, "train", "--epochs", "2", "--quiet", "--save", str(path))
    whole = path.read_bytes()
    for cut in (10, len(whole) // 2, len(whole) - 5):
        path.write_bytes(whole[:cut])
        assert_one_line_error(
            *run(capsys, "predict", "--weights", str(path)), "not a readable .npz"
        )
    assert zipfile.is_zipfile(path) is False


def test_python_dash_m_exit_statuses():
    # What a user sees in a terminal: no traceback, exit status 2, one line.
    bad = subprocess.run(
        [sys.executable, "-m", "numpy_impl", "train", "--alpha", "nan"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    good = subprocess.run(
        [sys.executable, "-m", "numpy_impl", "show", "C"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert good.stdout == ni.render(ni.bitmap("C")) + "\n"


# --- the sweep, noisy letters, and pictures ---------------------------------


def test_sweep_prints_its_answers(capsys):
    from numpy_impl.sweep import sweep

    status, out, err = run(capsys, "sweep", "--networks", "12", "--epochs", "400", "--seed", "3")
    assert status == 0 and err == ""  # no progress bar: stderr is not a terminal
    expected = sweep(networks=12, epochs=400, seed=3)
    lines = out.splitlines()
    assert lines[0].startswith("sweep of 12 networks (seeds 3..14)")
    learned = int(expected.learned.sum())
    assert lines[1].startswith(f"learned all three letters: {learned} of 12")
    median = expected.summary()["final_loss_quantiles"]["0.5"]
    assert f"q0.5 {median:.3g}" in lines[2]


def test_sweep_json_is_the_summary(capsys):
    import json

    from numpy_impl.sweep import sweep

    argv = ["sweep", "--networks", "5", "--epochs", "300", "--rule", "mse", "--batch-size", "3"]
    status, out, _ = run(capsys, *argv, "--json", "--distances", "0", "1")
    assert status == 0
    summary = json.loads(out)  # one JSON object, nothing else on stdout
    expected = sweep(networks=5, epochs=300, rule="mse", batch_size=3).summary()
    assert summary["fraction_learned"] == expected["fraction_learned"]
    assert summary["final_loss_quantiles"] == expected["final_loss_quantiles"]
    assert summary["settings"]["batch_size"] == 3
    assert set(summary["noisy_accuracy"]) == {"0", "1"}
    assert summary["noisy_accuracy"]["1"]["bitmaps"] == 90


def test_evaluate_saved_weights(capsys, tmp_path):
    from numpy_impl import noisy

    path = tmp_path / "w.npz"
    run(capsys, "train", "--epochs", "1500", "--quiet", "--save", str(path))
    status, out, err = run(capsys, "evaluate", "--weights", str(path), "--distances", "0", "1", "3")
    assert status == 0 and err == ""
    saved = ni.load_weights(path)
    expected = noisy.evaluate(saved.w1, saved.w2, [0, 1, 3])
    for d, line in zip((0, 1, 3), out.splitlines()[1:]):
        count, accuracy = expected[d]
        assert line.split() == [
            "distance",
            f"{d}:",
            str(count),
            "bitmaps,",
            "accuracy",
            f"{accuracy:.4f}",
        ]


def test_show_all_letters(capsys):
    status, out, _ = run(capsys, "show", "all")
    assert status == 0
    assert out == "\n\n".join(ni.render(ni.bitmap(c)) for c in "ABC") + "\n"


def test_pictures_without_matplotlib_are_a_clear_error(capsys, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    path = tmp_path / "loss.png"
    result = run(capsys, "train", "--epochs", "2", "--plot", str(path))
    assert_one_line_error(*result, "pictures need matplotlib")
    assert list(tmp_path.iterdir()) == []  # checked before training: nothing written


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--epochs", "300", "--plot", "{dir}/loss.png"],
        ["show", "all", "--png", "{dir}/letters.png"],
        ["show", "C", "--png", "{dir}/c.png"],
        ["sweep", "--networks", "20", "--epochs", "200", "--plot", "{dir}/sweep.png"],
        ["predict", "--weights", "{dir}/w.npz", "--hidden-png", "{dir}/hidden.png"],
    ],
)
@pytest.mark.plot
def test_pictures_are_written(capsys, tmp_path, argv):
    pytest.importorskip("matplotlib", reason="pictures need matplotlib")
    run(capsys, "train", "--epochs", "100", "--quiet", "--save", str(tmp_path / "w.npz"))
    argv = [a.format(dir=tmp_path) for a in argv]
    status, _, err = run(capsys, *argv)
    assert status == 0, err
    png = next(a for a in argv if a.endswith(".png"))
    with open(png, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


# --- runs too big for the machine, and Ctrl-C -----------------------------------


def _at_most_4_gib():
    """In the child: ulimit -v 4 GiB. Were the memory check missing, the first
    big allocation would fail at once (MemoryError: "out of memory"), not
    after eating the machine's memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, resource.RLIM_INFINITY))


@pytest.mark.skipif(sys.platform != "linux", reason="ulimit -v (RLIMIT_AS) as Linux keeps it")
@pytest.mark.parametrize(
    ("argv", "largest"),
    [
        (["train", "--hidden", "1000000000", "--epochs", "1"], "the weights alone: 983 GiB"),
        (["sweep", "--networks", "100000000", "--epochs", "1"], "the weights alone: 123 GiB"),
        (["train", "--epochs", "100000000000"], "the loss history alone: 5.09 TiB"),
        (
            ["sweep", "--networks", "2", "--distances", "12", "--per-letter", "100000000"],
            "the noisy letters alone: 213 GiB",
        ),
    ],
)
def test_a_run_too_big_for_memory_is_refused_in_one_line(argv, largest):
    done = subprocess.run(
        [sys.executable, "-m", "numpy_impl", *argv],
        capture_output=True,
        text=True,
        preexec_fn=_at_most_4_gib,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert " needs about " in done.stderr and "but only" in done.stderr
    assert f"({largest})" in done.stderr, done.stderr


@pytest.mark.numerics  # the weights file: np.savez and np.load
def test_predict_refuses_a_file_too_big_for_memory(capsys, tmp_path, monkeypatch):
    from numpy_impl import memory

    path = tmp_path / "w.npz"
    run(capsys, "train", "--epochs", "5", "--quiet", "--save", str(path))
    monkeypatch.setattr(memory, "available", lambda: 100)
    for command in ("predict", "evaluate"):
        status, out, err = run(capsys, command, "--weights", str(path))
        assert_one_line_error(status, out, err, f"reading {path} needs about")


def test_out_of_memory_beyond_the_estimates_is_one_line(capsys, monkeypatch):
    def exhausted(**settings):
        raise MemoryError("Unable to allocate 1.00 GiB for an array")

    monkeypatch.setattr(ni.network, "train", exhausted)
    status, out, err = run(capsys, "train", "--epochs", "5")
    assert_one_line_error(status, out, err, "out of memory: Unable to allocate 1.00 GiB")


@pytest.mark.numerics  # the weights file: np.savez
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_weights_get_the_mode_of_the_umask(capsys, tmp_path, umask, mode):
    import os
    import stat

    path = tmp_path / "w.npz"
    old = os.umask(umask)
    try:
        assert run(capsys, "train", "--epochs", "5", "--quiet", "--save", str(path))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert os.listdir(tmp_path) == ["w.npz"]  # no temporary file left beside it


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT as a POSIX terminal sends it")
def test_ctrl_c_during_train_leaves_no_file(tmp_path):
    import signal
    import time

    # 10 million epochs: minutes of training, interrupted after 2 s
    with subprocess.Popen(
        [sys.executable, "-m", "numpy_impl", "train", "--epochs", "10000000", "--save", "w.npz"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            time.sleep(2)
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=60)
        finally:
            child.kill()  # one that ignored Ctrl-C is not left training for minutes
    assert child.returncode == 130
    assert (out, err) == ("", "interrupted\n")
    assert list(tmp_path.iterdir()) == []


def _write_half_then_ctrl_c(head):
    """A writer that gets ``head`` out, then is interrupted."""

    def writer(*args, **options):
        file = next(a for a in args if hasattr(a, "write"))
        file.write(head)
        raise KeyboardInterrupt

    return writer


def _assert_interrupted_leaving_nothing(capsys, folder, *argv):
    assert run(capsys, *argv) == (130, "", "interrupted\n")
    assert list(folder.iterdir()) == []


@pytest.mark.numerics  # the weights file: np.savez
def test_ctrl_c_while_saving_leaves_no_file(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(np, "savez", _write_half_then_ctrl_c(b"PK\x03\x04 half an archive"))
    path = str(tmp_path / "w.npz")
    _assert_interrupted_leaving_nothing(capsys, tmp_path, "train", "--epochs", "5", "--save", path)


@pytest.mark.plot
def test_ctrl_c_while_drawing_leaves_no_file(capsys, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib", reason="pictures need matplotlib")
    from matplotlib.figure import Figure

    monkeypatch.setattr(Figure, "savefig", _write_half_then_ctrl_c(b"\x89PNG half a picture"))
    path = str(tmp_path / "l.png")
    _assert_interrupted_leaving_nothing(capsys, tmp_path, "train", "--epochs", "5", "--plot", path)
