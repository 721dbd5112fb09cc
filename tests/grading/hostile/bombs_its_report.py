"""Writes, on the descriptor its report goes out on, an archive of a few hundred
kilobytes that inflates to 256 MiB of zeros, and exits: no report (a compressed one
is not read; the whole report once was, inflated in the grader's memory).

expect: status unchecked; reason exited
"""

import io
import os
import zipfile

import numpy as np

SIZE = 256 << 20
out = io.BytesIO()
archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
with archive.open("report.npy", "w") as member:
    header = {"descr": "|u1", "fortran_order": False, "shape": (SIZE,)}
    np.lib.format.write_array_header_1_0(member, header)
    zeros = bytes(1 << 20)
    for _ in range(SIZE >> 20):
        member.write(zeros)
archive.close()
os.write(3, out.getvalue())
os._exit(0)


def backprop(x, y, w1, w2):
    return w1, w2
