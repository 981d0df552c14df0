"""Wording of the self-evaluation report: units with the fewest thresholds met, values per pupil,
zero values, merged teaching points, the provincial citation, next steps that follow the rule
pack, and full-width brackets. Every number checked against the Assessment."""
from __future__ import annotations

import re

import polars as pl
import pytest

from junheng.core import assess
from junheng.report.narrative.blocks import Heading, Para
from junheng.report.narrative.numbers import cn_brackets, fmt_value
from junheng.report.narrative.report import report_blocks
from junheng.report.narrative.phrases import exclusion_sentence, fewest_met
from junheng.rules import load_rules
from junheng.schema import LEVEL_NAMES


@pytest.fixture(scope="module")
def quality(sample_table):
    return assess(sample_table, load_rules("quality-2017"), year=2024)


@pytest.fixture(scope="module")
def basic52(sample_table):
    return assess(sample_table, load_rules("basic-2012", province="52"), year=2024)


def _sections(a) -> dict[str, str]:
    """Level-1 heading → the text of its paragraphs (the report without charts)."""
    out: dict[str, list[str]] = {"": []}
    key = ""
    for b in report_blocks(a, a.counties[0], {}):
        if isinstance(b, Heading) and b.level == 1:
            key = b.text
            out[key] = []
        elif isinstance(b, (Para, Heading)):
            out[key].append(b.text)
    return {k: "\n".join(v) for k, v in out.items()}


def test_fewest_met_names_the_right_units(quality):
    c = quality.counties[0]
    text = _sections(quality)["四、存在的主要问题"]
    for level in c.levels:
        units = quality.units_of(c.county_key).filter(pl.col("level") == level)
        failing = units.filter(~pl.col("passed"))
        m = re.search(f"{LEVEL_NAMES[level]}共有(\\d+)个单位未达到单校标准，(?:其中达标项数最少的(\\d+)个单位是|分别是|即)(.*?)。", text)
        assert m and int(m.group(1)) == failing.height
        named = re.findall(r"([^、（]+)（7项中达标(\d)项）", m.group(3))
        assert m.group(2) is None or int(m.group(2)) == len(named) < failing.height
        assert "（共" not in m.group(0) and "等" not in m.group(3)  # no “…等5个单位（共58个）”
        counts = dict(zip(failing["name"], failing["met_count"]))
        for name, met in named:
            assert counts[name] == int(met)
        # nobody left out has fewer thresholds met than somebody named
        left_out = failing.filter(~pl.col("name").is_in([n for n, _ in named]))
        assert left_out["met_count"].min() >= max(int(x) for _, x in named)
        ranked = fewest_met(units, quality.rules, level)
        assert [n for n, _ in named] == ranked["name"].to_list()[:len(named)]
        assert ranked["met_count"].is_sorted()


def test_values_are_written_per_pupil(quality, basic52):
    for a in (quality, basic52):
        text = _sections(a)["四、存在的主要问题"]
        assert not re.search(r"\d+\.\d{3}(㎡|人|间|台|册|元)", text), "a per-pupil value reads like a total"
        assert re.search(r"生均\d+\.\d{2}㎡，(高于|低于)平均水平", text)  # the direction of the deviation
    text = _sections(quality)["四、存在的主要问题"]
    assert re.search(r"每百名学生\d+\.\d{2}人，(高于|低于)平均水平", text)
    assert fmt_value(35.0, "㎡", 1) == "生均35.00㎡" and fmt_value(7.5757, "人", 100) == "每百名学生7.58人"


def test_zero_values_say_none(quality):
    c = quality.counties[0]
    text = _sections(quality)["四、存在的主要问题"]
    assert "为0.0" not in text and "标准的0.0%" not in text
    zero = quality.units_of(c.county_key).filter((pl.col("level") == "primary") & (pl.col("multimedia_rooms_per_100") == 0))
    assert zero.height and "、".join(sorted(zero["name"])) + "没有网络多媒体教室" in text


def test_merged_teaching_points_said_once(basic52):
    c = basic52.counties[0]
    reasons = basic52.excluded_of(c.county_key)["reason"].to_list()
    merged = reasons.count("merged")
    assert merged > 1
    text = _sections(basic52)["一、基本情况"]
    assert f"小学教学点{merged}所并入所属上级学校计算" in text
    assert f"未纳入差异系数计算的学校{len(reasons) - merged}所：" in text
    assert "已并入上级学校" not in text and not re.search(r"\d{8,}", text)


def test_exclusion_reasons_grouped_by_kind():
    reasons = ["小学教学点，上级学校 2152000008 不在参评范围内，无法并入",
               "小学教学点，上级学校 2152000009 不在参评范围内，无法并入", "特殊教育学校"]
    assert exclusion_sentence(reasons) == ("按评估办法规定，未纳入差异系数计算的学校3所：小学教学点2所"
                                           "（上级学校不在参评范围内，无法并入）、特殊教育学校1所。")
    assert exclusion_sentence([]) == ""


def test_province_citation(basic52, quality):
    head = _sections(basic52)[""]
    assert "和【请填写：省级实施细则的名称和文号】" in head and "（示例）" not in head and "示例覆盖" not in head
    assert "和" not in _sections(quality)[""].split("，")[0]


def test_basic_next_steps_follow_the_pack(basic52, assessment):
    for a in (basic52, assessment):
        text = _sections(a)["五、下一步工作"]
        measured = {i.numerator for i in a.rules.indicators}
        if "multimedia_rooms" not in measured:
            assert "网络多媒体教室" not in text
        if "backbone_teachers" not in measured:
            assert "骨干教师" not in text
        if "pe_art_teachers" not in measured:
            assert "体育、艺术" not in text and "体育和艺术" not in text


def test_full_width_brackets(quality):
    text = "\n".join(_sections(quality).values())
    assert "体育、艺术（美术、音乐）专任教师数" in text
    assert not re.search(r"[\u4e00-\u9fff][()]|[()][\u4e00-\u9fff]", text)
    assert cn_brackets("x (1).xlsx") == "x (1).xlsx"
