"""numpy_impl.memory: each estimate bounds what its run really holds at its
peak, and a run that cannot fit is refused before anything big is allocated.

The peaks are measured with tracemalloc, which sees NumPy's array buffers as
well as Python's objects. What NumPy allocates along the way can change with
its version, so these run in every cell of the matrix.
"""

import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

import numpy_impl as ni
from numpy_impl import memory, network, noisy
from numpy_impl import sweep as sweep_module
from numpy_impl.sweep import sweep

pytestmark = pytest.mark.numerics

#: An estimate must bound the measured peak, and stay within this factor of it
#: (the fixed 1 MiB of scratch aside): looser, and it would refuse runs that fit.
#: The measured ratios are 1.1-2.4.
LOOSEST = 2.5


def peak_bytes(run):
    """The most memory ``run()`` held at once, beyond what was held before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def assert_bounds(estimate, run):
    needed = sum(estimate.values())
    measured = peak_bytes(run)
    # an upper bound; and within LOOSEST of the peak, the fixed scratch aside
    assert measured <= needed and needed - memory.SCRATCH <= LOOSEST * measured, (
        f"estimate {memory.size(needed)} vs measured peak {memory.size(measured)}: {estimate}"
    )


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_training_with_many_hidden_units(dtype):
    itemsize = np.dtype(dtype).itemsize
    estimate = memory.for_training(2, 30, 50_000, 3, 3, itemsize)
    assert_bounds(estimate, lambda: ni.train(hidden=50_000, epochs=2, dtype=dtype))


def test_training_for_many_epochs():
    # one sample and one hidden unit: the loss history is nearly all there is
    xs, ys = ni.dataset()
    estimate = memory.for_training(20_000, 30, 1, 3, 1, 8)
    run = lambda: ni.train(epochs=20_000, hidden=1, data=(xs[:1], ys[:1]))  # noqa: E731
    assert_bounds(estimate, run)


@pytest.mark.parametrize(("batch_size", "dtype"), [(1, "float64"), (3, "float64"), (3, "float32")])
def test_sweep_of_many_networks(batch_size, dtype):
    # (tracemalloc slows the drawing of each network's weights: 200 of 500 units)
    itemsize = np.dtype(dtype).itemsize
    estimate = memory.for_sweep(200, 3, 500, batch_size, itemsize, history=True)
    settings = {"batch_size": batch_size, "dtype": dtype, "history": True}
    assert_bounds(estimate, lambda: sweep(networks=200, epochs=3, hidden=500, **settings))


def test_sweep_of_wide_networks():
    estimate = memory.for_sweep(50, 2, 10_000, 3, 8, history=False)
    assert_bounds(estimate, lambda: sweep(networks=50, epochs=2, hidden=10_000, batch_size=3))


@pytest.mark.parametrize("hidden", [5, 500])
def test_noisy_letters(hidden):
    w1, w2 = ni.init_weights(hidden=hidden)
    m = noisy.count(5, 30_000)  # random draws at distance 5 (C(30, 5) = 142506 > 30000)
    estimate = memory.for_noisy_letters([m], 1, hidden, 8)
    assert_bounds(estimate, lambda: noisy.evaluate(w1, w2, [0, 5], 30_000))


def test_noisy_letters_for_many_networks():
    result = sweep(networks=200, epochs=1, hidden=50)
    estimate = memory.for_noisy_letters([435], 200, 50, 8)  # C(30, 2) = 435 at distance 2
    assert_bounds(estimate, lambda: noisy.evaluate(result.w1, result.w2, [0, 1, 2]))


def test_reading_a_weights_file(tmp_path):
    path = tmp_path / "wide.npz"
    ni.save_weights(path, ni.train(hidden=100_000, epochs=1))
    stored = (30 + 3) * 100_000 * 8
    # the estimate is of twice the stored arrays (w1, w2 and the settings)
    assert_bounds({"arrays": 2 * stored}, lambda: ni.load_weights(path))


# --- runs that do not fit are refused, before allocating ----------------------


@pytest.fixture
def one_gib(monkeypatch):
    """A machine with 1 GiB available, where allocating the run's big arrays is
    an error: the functions that make them are replaced by tripwires."""
    monkeypatch.setattr(memory, "available", lambda: 2**30)
    for module, name in [
        (network, "init_weights"),  # train's starting weights
        (network, "forward"),  # train's loop
        (sweep_module, "initial_weights"),  # the sweep's K starting points
        (noisy, "noisy_letters"),  # the noisy bitmaps
    ]:
        monkeypatch.setattr(module, name, _tripwire(name))


def _tripwire(name):
    def called(*args, **kwargs):
        raise AssertionError(f"{name} was called before the memory check")

    return called


def refused(run):
    """The NotEnoughMemory ``run()`` raises, having allocated next to nothing."""
    caught = []

    def attempt():
        with pytest.raises(memory.NotEnoughMemory) as info:
            run()
        caught.append(info.value)

    assert peak_bytes(attempt) < 2**20
    assert isinstance(caught[0], ValueError)  # what the Python API promises
    return str(caught[0])


@pytest.mark.usefixtures("one_gib")
def test_training_too_wide_for_memory():
    message = refused(lambda: ni.train(hidden=10**9, epochs=1))
    assert message.startswith("this training (hidden 1000000000, epochs 1) needs about")
    # 33e9 weights of 8 bytes, 4 copies: 983 GiB
    assert "(the weights alone: 983 GiB), but only 1 GiB is available" in message


@pytest.mark.usefixtures("one_gib")
def test_training_too_long_for_memory():
    message = refused(lambda: ni.train(epochs=10**11))
    # 1e11 epochs of a Python float in a list (48 bytes) and its float64 (8): 5.09 TiB
    assert "(the loss history alone: 5.09 TiB)" in message


def test_given_weights_are_counted_too(one_gib):
    w1, w2 = np.zeros((30, 2)), np.zeros((2, 3))
    message = refused(lambda: ni.train(epochs=10**9, weights=(w1, w2)))
    assert "this training (hidden 2, epochs 1000000000)" in message


@pytest.mark.usefixtures("one_gib")
def test_sweep_too_big_for_memory():
    message = refused(lambda: sweep(networks=10**8, epochs=1))
    assert message.startswith("this sweep (100000000 networks, hidden 5, epochs 1) needs about")
    assert "(the weights alone: 123 GiB)" in message  # 33 * 5 * 1e8 float64s
    history = refused(lambda: sweep(networks=10**4, epochs=10**5, history=True))
    assert "(the loss history alone: 7.45 GiB)" in history  # 1e9 float64s


@pytest.mark.usefixtures("one_gib")
def test_noisy_letters_too_many_for_memory():
    w1, w2 = np.zeros((30, 5)), np.zeros((5, 3))
    message = refused(lambda: noisy.evaluate(w1, w2, [1, 12, 2], per_letter=10**8))
    # C(30, 12) = 86493225 <= 1e8: every one of them, at the worst distance named
    assert message.startswith("evaluating on 86493225 noisy bitmaps per letter at distance 12")


def test_a_weights_file_too_big_for_memory(tmp_path, monkeypatch):
    path = tmp_path / "w.npz"
    ni.save_weights(path, ni.train(epochs=2))
    monkeypatch.setattr(memory, "available", lambda: 1000)
    message = refused(lambda: ni.load_weights(path))
    assert message.startswith(f"reading {path} needs about")
    assert message.endswith("but only 1000 bytes is available")


def test_what_fits_runs(monkeypatch):
    # the article's job needs about 2 MiB (mostly scratch): 4 MiB available is enough
    monkeypatch.setattr(memory, "available", lambda: 4 * 2**20)
    assert ni.train(epochs=10).loss.shape == (10,)
    monkeypatch.setattr(memory, "available", lambda: None)  # a system that cannot tell
    assert sweep(networks=2, epochs=10).final_loss.shape == (2,)


@pytest.fixture
def asked(monkeypatch):
    """What each run asks memory.require about, as (what, parts)."""
    calls = []
    monkeypatch.setattr(memory, "require", lambda what, parts: calls.append((what, parts)))
    return calls


def test_each_run_asks_about_itself(asked, tmp_path):
    ni.train(epochs=4, hidden=3, dtype="float32")
    w1, w2 = ni.init_weights(hidden=2)
    ni.train(epochs=5, weights=(w1, w2), data=(np.zeros((7, 30)), np.zeros((7, 3))))
    sweep(networks=6, epochs=2, hidden=4, batch_size=3, history=True)
    stacked = sweep(networks=2, epochs=1, hidden=7, dtype="float32")
    noisy.evaluate(stacked.w1, stacked.w2, [0, 3], per_letter=50)
    noisy.evaluate(w1, w2, [1])
    assert asked == [
        ("this training (hidden 3, epochs 4)", memory.for_training(4, 30, 3, 3, 3, 4)),
        ("this training (hidden 2, epochs 5)", memory.for_training(5, 30, 2, 3, 7, 8)),
        (
            "this sweep (6 networks, hidden 4, epochs 2)",
            memory.for_sweep(6, 2, 4, 3, 8, history=True),
        ),
        (
            "this sweep (2 networks, hidden 7, epochs 1)",
            memory.for_sweep(2, 1, 7, 1, 4, history=False),
        ),
        (
            "evaluating on 50 noisy bitmaps per letter at distance 3",
            memory.for_noisy_letters([1, 50], 2, 7, 4),
        ),
        (
            "evaluating on 30 noisy bitmaps per letter at distance 1",
            memory.for_noisy_letters([30], 1, 2, 8),
        ),
    ]


def _long_run(epochs):
    """A TrainResult of one hidden unit with ``epochs`` epochs of loss history."""
    return ni.TrainResult(np.ones((30, 1)), np.ones((1, 3)), np.ones(epochs), {"epochs": epochs})


def test_reading_a_file_counts_all_but_the_loss(asked, tmp_path):
    import zipfile

    path = tmp_path / "long.npz"
    ni.save_weights(path, _long_run(20_000))
    ni.load_weights(path)
    with zipfile.ZipFile(path) as z:
        stored = sum(i.file_size for i in z.infolist() if i.filename != "loss.npy")
        assert z.getinfo("loss.npy").file_size > 20_000 * 8  # the largest array by far
    assert asked == [(f"reading {path}", {"its arrays": 2 * stored})]


def test_the_loss_history_is_left_unread(tmp_path):
    path = tmp_path / "long.npz"
    ni.save_weights(path, _long_run(200_000))
    small = tmp_path / "small.npz"
    ni.save_weights(small, _long_run(10))
    saved = ni.load_weights(path)  # what is read: the weights and the settings
    assert (saved.w1.shape, saved.w2.shape, saved.settings["epochs"]) == ((30, 1), (1, 3), 200_000)
    # the file holds 1.6 MB of loss history; reading it holds far less. Measured in
    # a fresh interpreter (after one read of a small file, for NumPy's first-use
    # allocations), so that nothing else this test process does is counted.
    child = textwrap.dedent(
        f"""
        import tracemalloc
        import numpy_impl as ni
        ni.load_weights({str(small)!r})
        tracemalloc.start()
        ni.load_weights({str(path)!r})
        print(tracemalloc.get_traced_memory()[1])
        """
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    assert int(done.stdout) < 200_000 * 8 / 4


def test_sizes_for_people():
    assert memory.size(1000) == "1000 bytes"
    assert memory.size(1536) == "1.5 KiB"
    assert memory.size(224 * 2**30) == "224 GiB"
    assert memory.size(5.09 * 2**40) == "5.09 TiB"


# --- what the machine has -----------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/meminfo")
def test_available_is_at_most_what_the_system_says(monkeypatch):
    # MemAvailable moves from one reading to the next on a busy machine, so the bound is
    # the one available() itself read (the real file, seen on its way back)
    seen = {}
    read = memory._read
    monkeypatch.setattr(memory, "_read", lambda path: seen.setdefault(str(path), read(path)))
    have = memory.available()
    line = next(
        line for line in seen["/proc/meminfo"].splitlines() if line.startswith("MemAvailable:")
    )
    assert 0 < have <= int(line.split()[1]) * 1024


@pytest.mark.skipif(sys.platform != "linux", reason="ulimit -v (RLIMIT_AS) as Linux keeps it")
def test_available_respects_an_address_space_limit():
    # Under ulimit -v 4 GiB, at most 4 GiB less what the process already maps.
    child = textwrap.dedent(
        """
        import resource
        from numpy_impl import memory
        resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, resource.RLIM_INFINITY))
        have = memory.available()
        size = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
        print(have, 4 * 2**30 - size)
        """
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    have, left = map(int, done.stdout.split())
    assert 0 < have < 4 * 2**30
    assert abs(have - left) < 64 * 2**20  # the same sum, but for what was mapped in between
