"""主要做法's funding sentence: the 年均增长 is the compound rate between the two amounts it states,
so an inspector with a calculator gets it back (a plain mean of the yearly rates did not)."""
from __future__ import annotations

import re

import pytest

from junheng.report.narrative.practices import _funding_data, average_growth


def test_average_growth_is_the_compound_rate():
    assert average_growth(56500, 67900, 3) == pytest.approx(0.0631808, abs=1e-7)  # 1.0631808³ = 1.2017699 = 67900 / 56500
    assert average_growth(100, 121, 2) == pytest.approx(0.10)
    assert average_growth(100, 100, 4) == 0


def test_sample_sentence_reproducible_from_its_own_numbers(checks):
    text = _funding_data(checks)
    m = re.search(r"(\d{4})—(\d{4})年，全县教育财政拨款由([\d.]+)万元增加到([\d.]+)万元，年均增长([\d.]+)%", text)
    assert m, text
    y0, y1, a, b, g = int(m[1]), int(m[2]), float(m[3]), float(m[4]), float(m[5])
    assert g == pytest.approx(round(((b / a) ** (1 / (y1 - y0)) - 1) * 100, 2))
