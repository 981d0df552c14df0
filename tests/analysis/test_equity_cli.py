"""``junheng equity``: the JSON contract on the published books example, the screen table, errors."""
import json
import subprocess
import sys

import pytest

from tests.test_cli import HEAD, ROWS

PUPILS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]


def run(*args):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True)


@pytest.fixture
def county_csv(tmp_path):
    p = tmp_path / "county.csv"
    p.write_text("\n".join([HEAD, *ROWS]) + "\n", encoding="utf-8")
    return p


def test_json_on_the_published_books_example(county_csv, tmp_path):
    out = tmp_path / "equity.json"
    r = run("equity", str(county_csv), "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(c))
    assert doc["rules"] == "basic-2012" and doc["quadrants"] == {}
    (c,) = doc["counties"]
    books = c["levels"]["primary"]["indicators"]["books_per_student"]
    assert books["cv"] == pytest.approx(0.515257, abs=5e-7)         # docs: worked example 1
    # Gini by the double sum of the definition, pupil-weighted
    x = [b / p for b, p in zip(BOOKS, PUPILS)]
    total, mean = sum(PUPILS), sum(BOOKS) / sum(PUPILS)
    g = sum(wi * wj * abs(xi - xj) for xi, wi in zip(x, PUPILS) for xj, wj in zip(x, PUPILS)) / (2 * total ** 2 * mean)
    assert books["gini"] == pytest.approx(g, rel=1e-12)
    # no township column: one group 未填, so nothing lies between groups
    assert books["decomposition"]["township"]["theil_t"]["between"] == pytest.approx(0.0, abs=1e-15)
    assert set(books) >= {"gini", "theil_t", "theil_l", "mcloone", "verstegen", "range_ratio",
                          "restricted_range", "cv", "decomposition"}


def test_table_on_screen_and_unsupported_format(county_csv, tmp_path):
    r = run("equity", str(county_csv))
    assert r.returncode == 0, r.stderr
    assert "基尼系数" in r.stdout and "差异系数" in r.stdout and "0.515" in r.stdout
    r = run("equity", str(county_csv), "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "table 和 json" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_input_is_exit_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "\n" + ROWS[0].replace(",45,", ",-45,") + "\n", encoding="utf-8")
    r = run("equity", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_quadrant_and_charts_on_a_province(tmp_path):
    """Four counties of one province and one of another: quadrants of the four, a chart per measure."""
    import polars as pl

    from junheng.sample import generate, write_school_table

    t = generate(schools=300, counties=5, seed=11)
    codes = sorted(t["county_code"].unique().to_list())
    new = {c: (f"5201{i:02d}" if i < 4 else "530101") for i, c in enumerate(codes)}
    t = t.with_columns(pl.col("county_code").replace_strict(new))
    src = tmp_path / "prov.xlsx"
    write_school_table(t, src)
    out = tmp_path / "q.json"
    charts = tmp_path / "图表"
    r = run("equity", str(src), "-o", str(out), "--charts", str(charts))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    for level in ("primary", "junior"):
        q = doc["quadrants"][level]
        assert sorted(x["county_code"] for x in q) == ["520100", "520101", "520102", "520103"]
        assert {x["province"] for x in q} == {"52"}
        li = sorted(x["level_index"] for x in q)
        med = (li[1] + li[2]) / 2                      # the median of four
        assert [x["quadrant"].startswith("高水平") for x in q] == [x["level_index"] >= med for x in q]
        assert sum(x["quadrant"].startswith("高水平") for x in q) == 2
    names = sorted(p.name for p in charts.iterdir())
    assert names == sorted(f"{lv}_{m}.png" for lv in ("primary", "junior")
                           for m in ("gini", "theil_t", "theil_l", "mcloone", "verstegen", "range_ratio",
                                     "restricted_range", "quadrant_52"))
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts.iterdir())
    r = run("equity", str(src), "--quadrant")
    assert r.returncode == 0 and "高水平" in r.stdout and "基尼系数" not in r.stdout


@pytest.mark.parametrize("where", ["file", "proc"])
def test_unwritable_chart_folder_writes_nothing(county_csv, tmp_path, where):
    """--charts that cannot be a folder: exit 2 and the -o file is not written either."""
    out = tmp_path / "eqx.json"
    if where == "file":
        charts = tmp_path / "not-a-folder"
        charts.write_text("x", encoding="utf-8")
    else:
        charts = "/proc/charts"
    r = run("equity", str(county_csv), "-f", "json", "-o", str(out), "--charts", str(charts))
    assert r.returncode == 2, r.stderr
    assert "无法写入图表" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
def test_quadrant_view_is_readable_at_80_columns(tmp_path):
    """``--quadrant`` at 80 columns: county names, indexes and quadrant names whole on one line each,
    nothing cut with “…”, every line within 80 cells; the per-indicator quadrants in their own table."""
    import os

    import polars as pl
    from rich.cells import cell_len

    from junheng.sample import generate, write_school_table

    t = generate(schools=200, counties=3, seed=11)
    codes = sorted(t["county_code"].unique().to_list())
    t = t.with_columns(pl.col("county_code").replace_strict({c: f"5201{i:02d}" for i, c in enumerate(codes)}))
    src = tmp_path / "同省.xlsx"
    write_school_table(t, src)
    json_out = tmp_path / "q.json"
    assert run("equity", str(src), "-r", "quality-2017", "-o", str(json_out)).returncode == 0
    doc = json.loads(json_out.read_text(encoding="utf-8"))
    r = subprocess.run([sys.executable, "-m", "junheng.cli", "equity", str(src), "-r", "quality-2017", "--quadrant"],
                       capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "…" not in r.stdout
    assert max(cell_len(x) for x in lines) <= 80
    for level in ("primary", "junior"):
        for q in doc["quadrants"][level]:
            row = [x for x in lines if q["county"] in x and q["quadrant"] in x]
            assert row, (q["county"], q["quadrant"])
            assert f"{q['level_index']:.3f}"[:4] in row[0]
    assert r.stdout.count("：分指标象限") == 2
