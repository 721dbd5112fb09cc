"""numpy_impl/progress.py: the terminal's progress bar, as the sweep draws it,
with an injected clock (the figures shown are exact)."""

import io

import pytest

from numpy_impl.progress import terminal_progress
from numpy_impl.sweep import STAGES, sweep


def test_sweep_progress_bar_on_a_terminal():
    stream = io.StringIO()
    ticks = iter(range(10**6))  # a clock that advances 1/16 s a reading (exactly)
    progress = terminal_progress(STAGES, stream, clock=lambda: next(ticks) / 16)
    sweep(networks=40, epochs=250, progress=progress)
    frames = stream.getvalue().split("\r")[1:]
    assert all(f.startswith("[") for f in frames)  # a shorter line is padded on the right
    # at once, before the first network's weights are drawn
    assert frames[0].startswith("[..............................] drawing starting weights: 0/40")
    assert "drawing starting weights: 40/40" in "".join(frames)  # the last one is always drawn
    # redrawn at most every 0.1 s (every other reading of the clock), on one line
    assert len(frames) <= 2 + (40 + 250) // 2 + 2
    training = [f for f in frames if "training" in f]
    # drawn at epochs 1 (the stage's start), 3, 5, 7, 9: 9 epochs in 8/16 s,
    # 18 a second; 241 epochs left: 13.4 s
    assert "training epochs: 9/250, 18/s, 13 s left" in training[4]
    assert training[-1].startswith("[##############################] training epochs: 250/250")
    assert training[-1].endswith(" 0 s left\n") and stream.getvalue().count("\n") == 1


def test_the_progress_bar_goes_to_stderr_at_its_pace(capsys):
    # clock readings 0, 0.1 (exactly 0.1 s later: drawn), 0.15 (too soon: not),
    # then the stage's last step (always drawn)
    readings = iter([0.0, 0.1, 0.15, 0.4])
    bar = terminal_progress(STAGES, clock=lambda: next(readings))
    for done in (1, 2, 3, 4):
        bar("training", done, 4)
    frames = capsys.readouterr().err.split("\r")[1:]
    assert [f.split("] ")[1].split(",")[0] for f in frames] == [
        "training epochs: 1/4",
        "training epochs: 2/4",
        "training epochs: 4/4",
    ]
    assert frames[1].endswith(", 20/s, 0 s left")  # 2 epochs in 0.1 s
    assert frames[2].endswith(", 10/s, 0 s left\n")


@pytest.mark.parametrize(
    ("done", "seconds", "shown"),
    [(5, 2.0, "2.5/s"), (2469, 2.0, "1,234/s"), (1, 1.0, "1/s")],
)
def test_rates_are_shown_for_people(done, seconds, shown):
    stream = io.StringIO()
    readings = iter([0.0, seconds])
    bar = terminal_progress(STAGES, stream, clock=lambda: next(readings))
    bar("drawing", 0, 10**6)
    bar("drawing", done, 10**6)
    assert f", {shown}, " in stream.getvalue()


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0.4, "0 s"),
        (59, "59 s"),
        (60, "1 min 00 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h 00 min"),
        (3661, "1 h 01 min"),
        (7140, "1 h 59 min"),
    ],
)
def test_time_left_is_shown_for_people(seconds, shown):
    stream = io.StringIO()
    readings = iter([0.0, 1.0])
    bar = terminal_progress(STAGES, stream, clock=lambda: next(readings))
    bar("training", 0, 10**9)
    bar("training", 10**9 // (seconds + 1), 10**9)  # the rest, at this rate, takes `seconds`
    assert stream.getvalue().endswith(f", {shown} left")


def test_a_bar_of_one_stage_ends_its_line_when_that_stage_is_done():
    # the grader's bar: one stage, "grading", counting submissions
    stream = io.StringIO()
    readings = iter([0.0, 0.5, 1.0])
    bar = terminal_progress({"grading": "submissions"}, stream, clock=lambda: next(readings))
    bar("grading", 0, 2)
    bar("grading", 1, 2)
    assert "\n" not in stream.getvalue()
    bar("grading", 2, 2)
    frames = stream.getvalue().split("\r")[1:]
    assert frames[0].startswith("[..............................] grading submissions: 0/2")
    assert frames[-1].startswith("[##############################] grading submissions: 2/2")
    assert stream.getvalue().endswith("\n") and stream.getvalue().count("\n") == 1


def test_the_first_frame_is_drawn_whatever_the_clock_says():
    # a clock that starts at 0: the first call is always drawn, at any reading
    stream = io.StringIO()
    bar = terminal_progress(STAGES, stream, clock=lambda: 0.0)
    bar("drawing", 0, 10)
    assert stream.getvalue().startswith("\r[")
