"""The data set: the three letters, labels, rendering and parsing."""

import numpy as np
import pytest

from numpy_impl import LETTERS, bitmap, dataset, parse_bitmap, render, samples
from reference.witnesses.article_transcript import LETTER_A, LETTER_B, LETTER_C

pytestmark = pytest.mark.numerics  # the outcome can depend on NumPy: run in every matrix cell


def test_letters_are_the_articles_bitmaps():
    # The article's own 0/1 lists, flattened row by row.
    for letter, pixels in zip("ABC", (LETTER_A, LETTER_B, LETTER_C)):
        np.testing.assert_array_equal(bitmap(letter).ravel(), pixels)
        assert bitmap(letter).shape == (5, 6)


def test_dataset_shapes_and_one_hot_labels():
    x, y = dataset()
    assert x.shape == (3, 30) and y.shape == (3, 3)
    assert x.dtype == y.dtype == np.float64
    np.testing.assert_array_equal(y, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert set(np.unique(x)) == {0.0, 1.0}
    assert dataset(np.float32)[0].dtype == np.float32


def test_samples_are_rows_in_order_a_b_c():
    pairs = samples()
    assert [(x.shape, y.shape) for x, y in pairs] == [((1, 30), (1, 3))] * 3
    for i, (x, y) in enumerate(pairs):
        np.testing.assert_array_equal(x[0], bitmap(LETTERS[i]).ravel())
        assert y[0, i] == 1 and y.sum() == 1


def test_render_draws_ink_as_hash():
    assert render(bitmap("A")) == "..##..\n.#..#.\n######\n#....#\n#....#"


@pytest.mark.parametrize("letter", LETTERS)
def test_parse_reads_render_back(letter):
    text = render(bitmap(letter)).replace("#", "1").replace(".", "0")
    np.testing.assert_array_equal(parse_bitmap(text), bitmap(letter).ravel())
    np.testing.assert_array_equal(parse_bitmap(text.replace("\n", "")), bitmap(letter).ravel())
    np.testing.assert_array_equal(parse_bitmap(text.replace("\n", "/")), bitmap(letter).ravel())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0" * 29, "must have 30 digits, got 29"),
        ("0" * 31, "must have 30 digits, got 31"),
        ("0" * 28 + "32", "only the digits 0 and 1, got '23'"),  # each bad one, in order
        ("00110x" * 5, "only the digits 0 and 1, got 'x'"),
        ("001100 010010 111111 100001", "5 rows of 6"),
        ("001100010010111111 100001100001", r"5 rows of 6 digits, got rows of length \[18, 12\]"),
        ("0011000 010010 111111 100001 10000", "5 rows of 6"),
        ("", "must have 30 digits, got 0"),
    ],
)
def test_parse_refuses_bad_bitmaps(text, message):
    with pytest.raises(ValueError, match=message):
        parse_bitmap(text)


def test_unknown_letter():
    with pytest.raises(ValueError, match=r"^unknown letter 'D': choose one of A, B, C$"):
        bitmap("D")
    with pytest.raises(ValueError, match=r"^unknown letter 1: choose one of A, B, C$"):
        bitmap(1)  # not a string: the same one line, not an AttributeError


def test_a_letter_in_either_case_as_integers():
    assert bitmap("b").tolist() == bitmap("B").tolist()
    assert bitmap("A").dtype == np.int64


def test_samples_in_the_dtype_asked_for():
    x, y = samples(np.float32)[2]
    assert x.dtype == y.dtype == np.float32


def test_render_rounds_half_up_to_ink():
    # 0.5 or more is ink: an output halfway is drawn, a hair below is not
    assert render([0.5] + [0.4999] * 29).splitlines()[0] == "#....."
