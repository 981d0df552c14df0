"""Why a CSV or a file could not be read (io/grid.py): each cause gets its own reason."""
import csv
import errno

from junheng.io.grid import _csv_reason, os_reason


def test_csv_reasons_are_told_apart():
    big = _csv_reason(csv.Error("field larger than field limit (131072)"))
    nul = _csv_reason(csv.Error("line contains NUL"))
    nul2 = _csv_reason(csv.Error("line contains null byte"))
    other = _csv_reason(csv.Error("unexpected end of data"))
    assert f"{csv.field_size_limit():,}" in big
    assert nul == nul2 and "NUL" in nul
    assert len({big, nul, other}) == 3


def test_os_reasons_are_told_apart():
    got = {e: os_reason(OSError(e, "x")) for e in (errno.EACCES, errno.ENOENT, errno.EISDIR, errno.ELOOP,
                                                    errno.ENAMETOOLONG, errno.EIO, errno.EXDEV)}
    assert os_reason(OSError(errno.EPERM, "x")) == got[errno.EACCES]
    assert len(set(got.values())) == len(got)
