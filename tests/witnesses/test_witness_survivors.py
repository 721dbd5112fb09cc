"""A described network's file is read as UTF-8 (TOML's standard) under an ASCII locale
in this very process too, not only in a child (test_networks.py checks a child's)."""

import locale

from reference.witnesses.networks import read

#: A description with an accent in a comment (no built-in file has one).
TEXT = (
    '# un réseau\nsizes = [6, 5, 3]\nactivations = ["relu", "softmax"]\nbiases = true\n'
    'loss = "softmax-ce"\nreduction = "mean"\nlayout = "rows"\n'
    'parameters = ["x", "y", "w1", "b1", "w2", "b2"]\nreturns = ["dw1", "db1", "dw2", "db2"]\n'
)


def test_a_description_file_is_read_as_utf8_under_the_c_locale_in_this_process(tmp_path):
    """Under LC_CTYPE C the locale's encoding is ASCII (out of Python's UTF-8 mode): the
    file's UTF-8 bytes are read all the same, and the description is the file's."""
    path = tmp_path / "mine.toml"
    path.write_bytes(TEXT.encode("utf-8"))
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        found = read(str(path))
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    assert (found.name, found.sizes, found.loss) == ("mine", (6, 5, 3), "softmax-ce")
