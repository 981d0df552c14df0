"""A mistyped 县(区)代码 is named: a code with very few schools, one name under several codes."""
import polars as pl

from junheng.io import read_school_table
from junheng.sample import generate, write_school_table


def _read_with(tmp_path, table):
    path = tmp_path / "t.xlsx"
    write_school_table(table, path)
    return read_school_table(path)


def test_a_one_school_code_and_a_name_under_two_codes_are_warned(tmp_path):
    t = generate(schools=60, counties=1, seed=4)
    code = t["county_code"][0]
    typo = code[:-1] + ("1" if code[-1] != "1" else "2")
    t = t.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(pl.lit(typo)).otherwise(pl.col("county_code"))
                       .alias("county_code"))
    res = _read_with(tmp_path, t)
    small = [w for w in res.warnings if w.code == "county_code_small"]
    assert len(small) == 1 and typo in small[0].message and "只有 1 所学校" in small[0].message
    assert "最大的县区有 59 所" in small[0].message
    names = [w for w in res.warnings if w.code == "county_name_codes"]
    assert len(names) == 1 and f"{code}（59 所）" in names[0].message and f"{typo}（1 所）" in names[0].message


def test_real_multi_county_files_are_not_warned(tmp_path):
    res = _read_with(tmp_path, generate(schools=120, counties=4, seed=4))
    assert not [w for w in res.warnings if w.code in ("county_code_small", "county_name_codes")]
