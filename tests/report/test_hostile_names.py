"""Reports of a county whose names hold anything (issue 7 item 1, output side): NUL and other
control characters, bidi overrides, mathtext, markup, very long names. Every file is written,
nothing crashes, the text is kept visible. The names are put into the table directly (past the
importer), as the report must cope whatever reaches it."""
from __future__ import annotations

import zipfile

import polars as pl
import pytest
from docx import Document

from junheng.core import assess
from junheng.report.bundle import write_report
from junheng.report.charts import county_charts
from junheng.rules import load_rules
from junheng.sample import generate

NAMES = ["$\\frac{1}{0$", "a\x00b", "c\x01\x1b[31md", "\u202e反向小学", "$x^2$小学", "<script>alert(1)</script>",
         "[/]", "长" * 3000, "\ufffe\uffff"]


@pytest.fixture(scope="module")
def hostile():
    t = generate(schools=60, counties=1, seed=9)
    t = t.with_columns(pl.Series("name", [NAMES[i % len(NAMES)] + (str(i) if i >= len(NAMES) else "")
                                          for i in range(t.height)]),
                       pl.lit("县\x00\u202e$\\frac{1}{0$").alias("county"))
    return t


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_every_file_is_written(hostile, tmp_path, pack):
    a = assess(hostile, load_rules(pack))
    paths = write_report(a, tmp_path, source_name="hostile\x00.xlsx", table=hostile)
    assert sorted(p.suffix for p in paths) == [".docx", ".html", ".txt", ".xlsx"]  # .txt: the 说明 beside them
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    docx, html = (next(p for p in paths if p.suffix == s) for s in (".docx", ".html"))
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "县\\x00\\u202e$\\frac{1}{0$" in text  # NUL and the override shown as typed, not fatal, not reversing
    page = html.read_text(encoding="utf-8")
    assert "\x00" not in page and "\u202e" not in page and "<script>alert" not in page and "&lt;script&gt;" in page
    with zipfile.ZipFile(next(p for p in paths if p.suffix == ".xlsx")) as z:
        assert z.testzip() is None


def test_charts_draw_mathtext_as_text(hostile):
    a = assess(hostile, load_rules("quality-2017"))
    charts = county_charts(a, a.counties[0])
    assert charts and all(ch.png().startswith(b"\x89PNG") for ch in charts)
