"""Screen tables of ``whatif`` and ``pair`` at 80 columns: no number split over two lines, every
line within 80 cells, headings that do not wrap onto a lone “）”."""
from __future__ import annotations

import io
import re

from rich.cells import cell_len
from rich.console import Console

from junheng.analysis.pair import recommend_pairs
from junheng.analysis.whatif import load_scenario, run_whatif
from junheng.core import assess
from junheng.report.console.pair import print_pair
from junheng.report.console.whatif import print_whatif, whatif_payload
from junheng.report.narrative.numbers import fmt_num
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX, generate

QUALITY = load_rules("quality-2017")
TABLE = generate(coordinates=True)


def screen(fn, *args) -> list[str]:
    con = Console(width=80, file=io.StringIO(), color_system=None, highlight=False)
    fn(*args, con)
    lines = con.file.getvalue().splitlines()
    assert max(cell_len(x) for x in lines) <= 80
    assert not any(x.strip() in ("）", ")") for x in lines)
    return lines


def test_pair_numbers_stay_whole_at_80_columns():
    r = recommend_pairs(assess(TABLE, QUALITY), TABLE, max_km=15)
    assert r.pairs
    lines = screen(print_pair, r)
    text = "\n".join(lines)
    for p in r.pairs:
        for v in p["cover"].values():
            triple = "/".join(fmt_num(v[k], 2, undefined="—") for k in ("strong", "weak", "threshold"))
            assert triple in text, triple
        # the distance is on the line of the weak school's first cell, whole
        km = fmt_num(p["km"], 1, undefined="—")
        assert any(re.search(rf"(^|\s){re.escape(km)}\s*$", x) for x in lines), km
    assert "距离不超过 15 公里" in text


def test_whatif_numbers_stay_whole_at_80_columns():
    sc = load_scenario(SAMPLE_XLSX.parent / "whatif_example.toml", TABLE)
    r = run_whatif(TABLE, QUALITY, sc)
    lines = screen(print_whatif, r)
    text = "\n".join(lines)
    doc = whatif_payload(r)
    for s in doc["schools"]:
        before = "新建" if s["pupils_before"] is None else str(s["pupils_before"])
        assert f"{before}→{s['pupils']}" in text
    for m in doc["moves"]:
        assert re.search(rf"\s{m['pupils']}\s+{re.escape(fmt_num(m['km'], 1, undefined='—'))}\s*$", text, re.M), m
