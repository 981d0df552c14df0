"""Fixtures of the importer tests (fixture files are written at test time, none are committed)."""
from __future__ import annotations

import pytest
from io_files import write_csv

from junheng.errors import InputError


@pytest.fixture
def load_fails(tmp_path):
    """Write rows as CSV, load, assert InputError; returns the InputError."""
    from junheng.io import read_school_table

    def run(rows, name="t.csv", **kw):
        path = write_csv(tmp_path / name, rows)
        with pytest.raises(InputError) as info:
            read_school_table(path, **kw)
        return info.value

    return run
