"""Every number in the prose of the county items comes from the result it describes, counted
independently here from the sample county's data (issue 8 item 1): the class-size sentence
names the real number of classes over the limit (not the length of a listed sample), their
share and the schools involved; school sizes, rooms and small-school funding likewise; no tool
text, formulas or internal codes in the body."""
from __future__ import annotations

import math
import re

import polars as pl
import pytest

from junheng.core import assess
from junheng.core.county_verdict import evaluate_county
from junheng.report.narrative.blocks import Annex, Heading, Para, Table, fill_fields
from junheng.report.narrative.numbers import fmt_pct
from junheng.report.narrative.report import report_blocks
from junheng.rules import load_rules
from junheng.schema import SCHOOL_TYPES


@pytest.fixture(scope="module")
def blocks(assessment, checks, sample_table):
    return report_blocks(assessment, assessment.counties[0], {}, table=sample_table, checks=checks)


@pytest.fixture(scope="module")
def quality(sample_table):
    return assess(sample_table, load_rules("quality-2017"), year=2024)


@pytest.fixture(scope="module")
def q_checks(quality, county_data, sample_table):
    return evaluate_county(quality, county_data, quality.rules, table=sample_table)


@pytest.fixture(scope="module")
def q_blocks(quality, q_checks, sample_table):
    return report_blocks(quality, quality.counties[0], {}, table=sample_table, checks=q_checks)


def _body(blocks) -> str:
    """Every text of the document before the annexes: paragraphs, headings and table cells."""
    out = []
    for b in blocks:
        if isinstance(b, Annex):
            break
        if isinstance(b, (Para, Heading)):
            out.append(b.text)
        elif isinstance(b, Table):
            out += [b.caption, *b.header, *(c for row in b.rows for c in row)]
    return "\n".join(out)


def _item(checks, check: str):
    return next((i for p in checks.parts.values() for i in p.items if i.check == check), None)


def test_class_size_counts_every_class(q_checks, county_data, q_blocks):
    blocks = q_blocks
    text = _body(blocks)
    classes = county_data.classes
    limits = {"primary": 45, "junior": 50}
    for level, name in (("primary", "小学"), ("junior", "初中")):
        of = classes.filter(pl.col("level") == level)
        over = of.filter(pl.col("size") > limits[level])
        assert over.height > 0 or level == "junior"
        if over.height:
            want = (f"{name}共有教学班{of.height}个，其中{over.height}个班超过{limits[level]}人，"
                    f"占{fmt_pct(over.height / of.height)}，涉及{over['school_id'].n_unique()}所学校")
            assert want in text
    total_over = classes.filter(pl.col("size") > pl.col("level").replace_strict(limits, return_dtype=pl.Int64)).height
    assert total_over > 50  # more than the core lists one by one: the count is the total, not the list
    assert f"（以上为其中3个班，共{total_over}个班）" in text and "等，共" not in text


def test_school_size_and_its_excess(q_blocks, sample_table):
    blocks = q_blocks
    text = _body(blocks)
    t = sample_table.with_columns((pl.col("students_P").fill_null(0) + pl.col("students_J").fill_null(0)).alias("n"))
    cat = pl.col("school_type").replace_strict({k: v.category for k, v in SCHOOL_TYPES.items()}, default=None)
    t = t.with_columns(cat.alias("cat")).filter(pl.col("cat").is_in(
        ["primary", "junior", "nine_year", "complete", "twelve_year", "teaching_point"]))
    lim = pl.when(pl.col("cat").is_in(["nine_year", "twelve_year"])).then(2500).otherwise(2000)
    over = t.filter(pl.col("n") > lim).sort("n", descending=True)
    assert f"全县{t.height}所学校中，{over.height}所规模超过标准" in text
    biggest = over.row(0, named=True)
    assert f"{biggest['name']}义务教育阶段在校生{biggest['n']}人，超出{biggest['n'] - 2000}人" in text


def test_music_rooms_and_small_schools(q_checks, county_data, sample_table, q_blocks):
    blocks = q_blocks
    small = _item(q_checks, "small_school_funding")
    text = _body(blocks)
    cls = sample_table.with_columns((pl.col("classes_P").fill_null(0) + pl.col("classes_J").fill_null(0)).alias("c"))
    have = {r["school_id"]: r for r in county_data.schools.iter_rows(named=True)}
    short = 0
    for r in cls.iter_rows(named=True):
        h = have.get(r["school_id"])
        if h is None or r["c"] <= 0 or SCHOOL_TYPES[r["school_type"]].category not in (
                "primary", "junior", "nine_year", "complete", "twelve_year"):
            continue
        need = max(1, math.ceil(r["c"] / 12))
        short += h["music_rooms"] < need or h["art_rooms"] < need
    assert f"所学校中，{short}所音乐、美术专用教室未达到每12个班级各1间" in text
    assert f"其中{small.facts['short']}所未按100名学生核定公用经费" in text and small.facts["short"] == len(small.rows)


def test_no_tool_text_formulas_or_codes(blocks, checks):
    text = _body(blocks)
    for bad in ("junheng", "python-docx", ".xlsx", "自动生成", "初稿", "（示例）", "最新学年", "--province"):
        assert bad not in text, bad
    assert not re.search(r"\d ?[<>≥≤] ?\d|÷|= \d", text), "a formula or comparison sign in the text"
    assert not re.search(r"\b(?:[GQRVBFSZ]\d{1,2}|SS)\b", text), "an internal item code in the text"
    assert not re.search(r"\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d", text), "digit spacing"
    assert "定性：达标" not in text
    for b in blocks:  # no row says 达标 in its 情况 while its result is 未达标
        if isinstance(b, Table) and b.header[-1] == "结果":
            for row in b.rows:
                if row[-1] == "未达标":
                    assert "：达标" not in row[2]


def test_fill_fields_are_explicit(blocks):
    fields = fill_fields(blocks)
    assert fields and all(f.startswith("【请填写：") and f.endswith("】") for f in fields)
    # the sample county workbook gives the whole profile (基本信息), so no profile field is left
    assert not any("总面积" in f or "人口" in f for f in fields)
    text = "".join(b.text for b in blocks if isinstance(b, Para))
    assert "总面积2316平方公里，辖乡镇（街道）18个，户籍人口48.6万人，常住人口41.2万人。" in text
