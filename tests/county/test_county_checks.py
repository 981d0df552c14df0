"""Each computed county item on small hand-made cases, boundaries included (≥ / ≤ pass on equality)."""
from __future__ import annotations

import polars as pl
import pytest

from junheng.core import county_checks as cc
from junheng.core.funding import funding_checks
from junheng.report.narrative.findings import say
from junheng.rules import load_rules

Q = load_rules("quality-2017")
FUNDING = Q.funding


def schools(*rows) -> pl.DataFrame:
    """rows: (school_id, category, students_P, students_J, classes_P, classes_J)."""
    return pl.DataFrame([{"school_id": r[0], "name": f"学校{r[0]}", "category": r[1], "school_type": 0,
                          "students_P": float(r[2]), "students_J": float(r[3]),
                          "classes_P": float(r[4]), "classes_J": float(r[5])} for r in rows])


def classes(*rows) -> pl.DataFrame:
    return pl.DataFrame([{"school_id": s, "level": lv, "class_name": f"{i}班", "size": n, "source_row": i + 3}
                         for i, (s, lv, n) in enumerate(rows)])


LIMITS = {"primary": 45, "junior": 50}


def test_class_size_boundary():
    ok = cc.class_size(classes(("1", "primary", 45), ("2", "junior", 50)), None, LIMITS)
    assert ok.passed is True
    bad = cc.class_size(classes(("1", "primary", 46), ("2", "junior", 50), ("2", "junior", 51)), None, LIMITS)
    assert bad.passed is False and bad.value == 2
    assert [(f.code, f["size"], f["limit"]) for f in bad.failures] == [("class_size.over", 46, 45), ("class_size.over", 51, 50)]
    assert "46 人 > 45" in say(bad.failures[0]) and "51 人 > 50" in say(bad.failures[1])


def test_class_size_without_class_list_uses_averages():
    over = schools(("1", "primary", 460, 0, 10, 0))      # average 46 > 45: some class is over
    assert cc.class_size(None, over, LIMITS).passed is False
    fine = schools(("1", "primary", 450, 0, 10, 0))      # average 45: cannot prove every class
    assert cc.class_size(None, fine, LIMITS).passed is None


def test_class_size_school_without_classes_is_undecided():
    s = schools(("1", "primary", 90, 0, 2, 0), ("2", "junior", 100, 0, 0, 2))
    out = cc.class_size(classes(("1", "primary", 45), ("1", "primary", 45)), s, LIMITS)
    assert out.passed is None and [n.code for n in out.notes] == ["sheet.missing_schools"]
    assert out.notes[0]["schools"] == [{"school_id": "2", "name": "学校2", "level": "junior"}]
    assert "没有 1 个学校学段的班级" in say(out.detail)


def test_school_size_boundary():
    p = {"single": 2000, "combined": 2500}
    ok = schools(("1", "primary", 2000, 0, 40, 0), ("2", "nine_year", 1500, 1000, 30, 20),
                 ("3", "complete", 0, 2000, 0, 40))
    assert cc.school_size(ok, p).passed is True
    bad = schools(("1", "primary", 2001, 0, 40, 0), ("2", "nine_year", 1500, 1001, 30, 20),
                  ("9", "special", 3000, 0, 10, 0))
    out = cc.school_size(bad, p)
    assert out.passed is False and out.value == 2
    assert cc.school_size(None, p).passed is None


def test_music_art_rooms_per_12_classes():
    p = {"classes_per_room": 12}
    s = schools(("1", "primary", 500, 0, 12, 0), ("2", "primary", 600, 0, 13, 0))
    extra = pl.DataFrame({"school_id": ["1", "2"], "music_rooms": [1, 2], "art_rooms": [1, 2]})
    assert cc.music_art_rooms(extra, s, p).passed is True          # 12 classes: 1 room each is enough
    extra = pl.DataFrame({"school_id": ["1", "2"], "music_rooms": [1, 2], "art_rooms": [1, 1]})
    out = cc.music_art_rooms(extra, s, p)                            # 13 classes need 2
    assert out.passed is False and out.failures[0].args == {"school_id": "2", "name": "学校2", "classes": 13, "need": 2,
                                                            "music_rooms": 2, "art_rooms": 1}
    assert say(out.failures[0]).endswith("实有美术教室 1 间")
    assert cc.music_art_rooms(extra.filter(pl.col("school_id") == "1"), s.head(1), p).passed is True
    assert cc.music_art_rooms(extra.head(1), s, p).passed is None    # school 2 not filled in


def test_small_school_funding_as_100_pupils():
    s = schools(("1", "primary", 60, 0, 3, 0), ("2", "teaching_point", 30, 0, 2, 0), ("3", "primary", 300, 0, 7, 0))
    # west: primary base 600 元 → 100 × 600 = 60 000 元
    extra = pl.DataFrame({"school_id": ["1", "2", "3"], "operating_funds_yuan": [60_000.0, 59_999.0, 1.0]})
    out = cc.small_school_funding(extra, s, FUNDING, "west")
    assert out.passed is False and len(out.failures) == 1 and out.failures[0]["school_id"] == "2"
    assert out.failures[0]["need"] == 60_000 and out.failures[0]["funds"] == 59_999 and "（2）" in say(out.failures[0])
    extra = extra.with_columns(pl.lit(60_000.0).alias("operating_funds_yuan"))
    assert cc.small_school_funding(extra, s, FUNDING, "west").passed is True
    assert cc.small_school_funding(extra, s, FUNDING, None).passed is None
    # east: 650 → 65 000
    assert cc.small_school_funding(extra, s, FUNDING, "east").passed is False


def test_special_funding_boundary():
    p = {"min_yuan": 6000}
    assert cc.special_funding({"special_school_per_pupil_yuan": 6000}, None, p).passed is True
    assert cc.special_funding({"special_school_per_pupil_yuan": 5999.99}, None, p).passed is False
    assert cc.special_funding({}, schools(("1", "primary", 1, 0, 1, 0)), p).passed is True   # no special school
    assert cc.special_funding({}, schools(("1", "special", 1, 0, 1, 0)), p).passed is None


def test_teacher_pay_latest_year_equality_passes():
    fin = pl.DataFrame({"year": [2022, 2023], "teacher_pay_yuan": [70_000.0, 80_000.0],
                        "civil_servant_pay_yuan": [90_000.0, 80_000.0]})
    out = cc.teacher_pay(fin, {"min_ratio": 1.0})
    assert out.passed is True and out.value == 1.0 and out.detail["year"] == 2023 and "2023年" in say(out.detail)
    fin = fin.with_columns(pl.Series("teacher_pay_yuan", [70_000.0, 79_999.0]))
    assert cc.teacher_pay(fin, {"min_ratio": 1.0}).passed is False
    assert cc.teacher_pay(pl.DataFrame({"year": [2023]}), {"min_ratio": 1.0}).passed is None


P_ROT = {"min_rotated": 10, "min_backbone": 20}


def test_rotation_boundaries():
    assert cc.rotation({"rotation_eligible_teachers": 1000, "rotated_teachers": 100,
                        "rotated_backbone_teachers": 20}, P_ROT).passed is True
    out = cc.rotation({"rotation_eligible_teachers": 1000, "rotated_teachers": 99,
                       "rotated_backbone_teachers": 30}, P_ROT)
    assert out.passed is False and out.shortfall == pytest.approx(0.1)
    out = cc.rotation({"rotation_eligible_teachers": 1000, "rotated_teachers": 100,
                       "rotated_backbone_teachers": 19}, P_ROT)
    assert out.passed is False and out.failures[0].code == "rotation.backbone_below" and out.failures[0]["share"] == 19
    assert "骨干" in say(out.failures[0])
    assert cc.rotation({"rotation_eligible_teachers": 1000, "rotated_teachers": 100}, P_ROT).passed is None
    assert cc.rotation({"rotation_eligible_teachers": 1000, "rotated_teachers": 100},
                       {"min_rotated": 10, "min_backbone": 0}).passed is True


@pytest.mark.parametrize("code,thr", [("migrant_public_rate", 85), ("junior_retention_rate", 95),
                                      ("disabled_enrolment_rate", 95)])
def test_rates_at_least(code, thr):
    assert cc.rates({code: thr}, {code: thr}).passed is True
    out = cc.rates({code: thr - 0.01}, {code: thr})
    assert out.passed is False and out.shortfall == pytest.approx(0.01)
    assert cc.rates({}, {code: thr}).passed is None


def test_rates_several_and_at_most():
    p = {"zoned_primary_rate": 100, "zoned_junior_rate": 95}
    assert cc.rates({"zoned_primary_rate": 100, "zoned_junior_rate": 95}, p).passed is True
    assert cc.rates({"zoned_primary_rate": 99.9}, p).passed is False       # one fails, one missing
    assert cc.rates({"zoned_primary_rate": 100}, p).passed is None
    d = {"dropout_primary_rate": 0.6, "dropout_junior_rate": 1.8}
    assert cc.rates(d, d, at_most=True).passed is True
    assert cc.rates({**d, "dropout_junior_rate": 1.81}, d, at_most=True).passed is False


def test_recognition_pooled_boundary():
    sat = pl.DataFrame({"group": ["学生", "家长"], "valid": [100, 100], "satisfied": [80.0, 90.0]})
    out = cc.recognition(sat, {"min": 85})
    assert out.passed is True and out.value == pytest.approx(85.0)
    sat = sat.with_columns(pl.Series("satisfied", [80.0, 89.0]))
    assert cc.recognition(sat, {"min": 85}).passed is False
    assert cc.recognition(None, {"min": 85}).passed is None


def test_operating_base_and_funding_growth():
    fin = pl.DataFrame({"year": [2020, 2021, 2022, 2023],
                        "appropriation_wan": [100.0, 110.0, 120.0, 119.0], "regular_revenue_wan": [100.0, 105.0, 106.0, 107.0],
                        "students": [1000, 1000, 1000, 1000], "teacher_pay_yuan": [1.0, 2.0, 3.0, 4.0],
                        "operating_per_pupil_P_yuan": [600.0, 610.0, 620.0, 630.0],
                        "operating_per_pupil_J_yuan": [800.0, 810.0, 820.0, 799.0]})
    f = funding_checks(fin, FUNDING, "west")
    base = cc.operating_base(f)
    assert base.passed is False and [(f["year"], f["check"], f["value"]) for f in base.failures] == [
        (2023, "operating_base_J", 799.0)]
    assert "2023年初中生均公用经费 799 元" in say(base.failures[0])
    g = cc.funding_growth(f, {"years": 3})
    # 2023: appropriation falls (growth and per pupil) and junior operating funds fall
    assert g.passed is False and g.failed_count == 3 and not g.zero
    g2 = cc.funding_growth(f, {"years": 2})
    assert g2.failed_count == 3
    assert cc.funding_growth(None, {"years": 3}).passed is None


def test_checks_needing_class_counts_say_so_without_them():
    # issue 7.6: a school table without 班数 is assessed; these two items are undecided and say why
    s = schools(("1", "primary", 900, 0, 0, 0)).with_columns(
        pl.lit(None, pl.Float64).alias("classes_P"), pl.lit(None, pl.Float64).alias("classes_J"))
    size = cc.class_size(None, s, LIMITS)
    rooms = cc.music_art_rooms(pl.DataFrame({"school_id": ["1"], "music_rooms": [0], "art_rooms": [0]}), s,
                               {"classes_per_room": 12})
    for out in (size, rooms):
        assert out.passed is None and out.detail.code.endswith(".no_class_counts")
        assert "学校表没有“小学班数”“初中班数”列" in say(out.detail)
    # with the counts the same school fails both
    full = schools(("1", "primary", 900, 0, 18, 0))
    assert cc.class_size(None, full, LIMITS).passed is False
    assert cc.music_art_rooms(pl.DataFrame({"school_id": ["1"], "music_rooms": [0], "art_rooms": [0]}), full,
                              {"classes_per_room": 12}).passed is False
