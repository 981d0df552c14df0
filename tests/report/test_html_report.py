"""The HTML report: one self-contained page with the same tables and embedded charts."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from junheng.report.narrative.numbers import fmt_num, fmt_stat


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.imgs, self.cells, self._in_td = [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a:
                self.refs.append(a[k])
        if tag == "img":
            self.imgs.append(a["src"])
        if tag in ("link", "script", "iframe", "object"):
            self.refs.append(tag)
        self._in_td = tag == "td"

    def handle_data(self, data):
        if self._in_td:
            self.cells.append(data)


def test_self_contained(report_files, assessment):
    from junheng.report.charts import county_charts

    html = report_files["html"].read_text(encoding="utf-8")
    p = _Collect()
    p.feed(html)
    assert all(r.startswith("data:image/png;base64,") for r in p.refs), p.refs[:3]
    assert len(p.imgs) == len(county_charts(assessment, assessment.counties[0]))
    assert not re.search(r"https?://|url\(|@import", html)
    assert "<style>" in html and 'lang="zh-Hans"' in html


def test_same_numbers_as_assessment(report_files, assessment):
    html = report_files["html"].read_text(encoding="utf-8")
    p = _Collect()
    p.feed(html)
    for lv in assessment.counties[0].levels.values():
        for s in lv.indicators.values():
            assert fmt_stat(s.mean, s.unit) in p.cells and fmt_num(s.cv) in p.cells
        if assessment.rules.dispersion.test == "composite":  # quality-2017 has no average of the CVs
            assert fmt_num(lv.composite_cv) in p.cells
    for h in ("一、基本情况", "二、主要做法", "三、指标达成情况", "四、存在的主要问题", "五、下一步工作"):
        assert f"<h2>{h}</h2>" in html
