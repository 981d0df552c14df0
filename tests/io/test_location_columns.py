"""The optional 经度 / 纬度 columns: read as numbers, blank kept null, bad values named (Chinese)."""
from __future__ import annotations

import pytest

from junheng.errors import InputError
from junheng.io import read_school_table
from tests.test_cli import HEAD, ROWS

POS = ["116.40,39.91", "116.41,39.92", "", "116.2,40.0", "116.3,39.8", "116.39,39.90", "116.5,40.1"]


def write(tmp_path, positions, head=",经度(°),纬度(度)"):
    p = tmp_path / "t.csv"
    p.write_text("\n".join([HEAD + head, *(r + "," + (x or ",") for r, x in zip(ROWS, positions))]) + "\n",
                 encoding="utf-8")
    return p


def test_positions_are_read_and_blank_stays_null(tmp_path):
    res = read_school_table(write(tmp_path, POS))
    assert res.table["longitude"].to_list()[:3] == [116.40, 116.41, None]
    assert res.table["latitude"].to_list()[:3] == [39.91, 39.92, None]
    assert not [w for w in res.warnings if w.code in ("blank_cells", "unknown_columns")]


@pytest.mark.parametrize("bad, code, text", [
    ("39.91,116.40", "coordinate_out_of_range", "“经度”为 39.91，不在 73–136 度之间"),
    ("116.4,", "coordinate_incomplete", "应同时填写或同时留空"),
])
def test_bad_positions_are_errors_naming_the_row(tmp_path, bad, code, text):
    with pytest.raises(InputError) as e:
        read_school_table(write(tmp_path, [bad, *POS[1:]]))
    issues = [i for i in e.value.issues if i.code == code]
    assert issues and issues[0].row == 2 and text in issues[0].message, e.value.issues


def test_a_position_that_is_not_a_number_is_one_error_without_knock_on_ones(tmp_path):
    """经度 “东经116” fails conversion: that is the error; the pair is not also called incomplete
    (io.validate.clean leaves a failed cell out of the later checks)."""
    with pytest.raises(InputError) as e:
        read_school_table(write(tmp_path, ["东经116,39.91", *POS[1:]]))
    assert [(i.code, i.row, i.column) for i in e.value.issues if i.level == "error"] == [
        ("not_numeric", 2, "经度(°) (Z列)")]
