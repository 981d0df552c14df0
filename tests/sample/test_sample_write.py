"""The county-export writer and the bundled workbook."""
from __future__ import annotations

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from junheng.sample import SAMPLE_XLSX, column_header, generate, write_school_table
from junheng.schema import FIELDS as ALL_FIELDS
from junheng.schema import LOCATION_COLUMNS

#: The columns generate() writes by default (the position columns only on request).
FIELDS = tuple(f for f in ALL_FIELDS if f.code not in LOCATION_COLUMNS)
HEADERS = [column_header(f) for f in FIELDS]


def read_back_xlsx(path) -> tuple[list, list, pl.DataFrame]:
    """Title row, group row and the data as a canonical frame (equipment back in 元), via openpyxl."""
    ws = openpyxl.load_workbook(path, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[2]) == HEADERS
    data = {f.code: [r[j] for r in rows[3:]] for j, f in enumerate(FIELDS)}
    df = pl.DataFrame(data, schema={f.code: {"text": pl.Utf8, "float": pl.Float64}.get(f.kind, pl.Int64) for f in FIELDS})
    df = df.with_columns((pl.col("equipment_value_yuan") * 10_000).round(2))
    return list(rows[0]), list(rows[1]), df


def test_bundled_workbook_is_the_default_sample():
    """Regenerating with the default seed gives exactly the table in the committed workbook."""
    title, groups, df = read_back_xlsx(SAMPLE_XLSX)
    assert title[0] == "均衡示例县义务教育学校基本情况统计表（2026学年初）"
    assert_frame_equal(df, generate(), check_exact=False, abs_tol=1e-6)


def test_bundled_workbook_bytes_reproducible(tmp_path):
    out = write_school_table(generate(), tmp_path / "again.xlsx")
    assert out.read_bytes() == SAMPLE_XLSX.read_bytes()


def test_xlsx_layout(tmp_path):
    path = write_school_table(generate(300, 3, seed=2), tmp_path / "t.xlsx")
    title, groups, df = read_back_xlsx(path)
    assert title[0] == "各县(区)义务教育学校基本情况统计表（2026学年初）"
    labels = [g for g in groups if g is not None]
    assert labels == ["学校基本信息", "小学", "初中", "高中", "办学条件"]
    ws = openpyxl.load_workbook(path).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 42 columns: 11 identity (incl. 是否中心城区学校), 11 + 11 per section (incl. 走教…), 8 办学条件
    assert "A1:AP1" in merged and "A2:K2" in merged and "AI2:AP2" in merged
    assert ws.freeze_panes == "C4"
    assert ws["A4"].data_type == "s" and ws["C4"].data_type == "s"  # ids and codes as text
    assert isinstance(ws["G4"].value, int)  # school_type as its code
    assert "教学仪器设备资产值(万元)" in HEADERS
    assert df.height == 300


def test_csv_round_trip(tmp_path):
    df = generate(seed=3)
    path = write_school_table(df, tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(path, encoding="utf8", infer_schema=False)
    assert back.columns == HEADERS
    back = back.rename(dict(zip(HEADERS, [f.code for f in FIELDS]))).with_columns(
        pl.col(f.code).cast({"float": pl.Float64}.get(f.kind, pl.Int64)) for f in FIELDS if f.kind != "text"
    ).with_columns((pl.col("equipment_value_yuan") * 10_000).round(2))
    assert_frame_equal(back, df, check_exact=False, abs_tol=1e-6)


def test_importer_reads_both_without_warnings(tmp_path):
    io = pytest.importorskip("junheng.io")
    df = generate(2_000, 25, seed=9)
    for name in ("t.csv", "t.xlsx"):
        loaded = io.read_school_table(write_school_table(df, tmp_path / name))
        assert loaded.warnings == []
        assert_frame_equal(loaded.table.select(df.columns), df, check_exact=False, abs_tol=1e-6)


def test_unknown_extension(tmp_path):
    with pytest.raises(ValueError):
        write_school_table(generate(20, 1), tmp_path / "t.xls")
