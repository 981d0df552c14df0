"""basic-2012 on hand-computed counties: scope, split, composite and the ≤ rule."""
import math

import pytest

from junheng.core import assess
from junheng.rules import load_rules

from .helpers import full, school, table

BASIC = load_rules("basic-2012")
SQRT3_5 = math.sqrt(3) / 5  # CV of two units, 100 pupils at value 2v and 300 pupils at value v


def county():
    """2 primary units (100 pupils at double resources, 300 at single) + a 311 junior school, plus
    schools that must be excluded with their reasons."""
    return [
        school("2152990001", 211, **full(100, 2.0)),
        school("2152990002", 211, **full(300, 1.0)),
        school("3152990003", 311, **full(500, 1.0, "J")),
        school("2152990004", 218, parent_id="2152990002", **full(30, 1.0)),
        school("2152990005", 211, ownership="民办", **full(200, 1.0)),
        school("5152990006", 515, **full(40, 1.0)),
        school("3152990007", 311, authority="市属", **full(800, 1.0, "J")),
        school("3452990008", 342, students_S=900, teaching_area_m2=1.0),
        school("3152990009", 319, **full(100, 1.0, "J")),
    ]


def test_every_indicator_cv_and_the_composite_by_hand():
    a = assess(table(county()), BASIC)
    c = a.counties[0]
    p = c.levels["primary"]
    assert p.units == 2 and p.students == 400
    for code, s in p.indicators.items():
        assert s.cv == pytest.approx(SQRT3_5, rel=1e-12), code
        assert s.threshold is None and s.passed is None
    # mean of books per pupil: (2000 + 3000) / 400
    assert p.indicators["books_per_student"].mean == pytest.approx(12.5, rel=1e-15)
    assert p.indicators["teachers_per_student"].mean == pytest.approx(50 / 400, rel=1e-15)
    assert p.composite_cv == pytest.approx(SQRT3_5, rel=1e-12)
    assert p.composite_threshold == 0.65 and p.passed is True
    j = c.levels["junior"]
    assert j.units == 1 and j.composite_cv == 0.0 and j.passed is True  # one unit: CV 0
    assert c.passed is True


def test_exclusions_with_reasons():
    a = assess(table(county()), BASIC)
    reasons = dict(zip(a.excluded["school_id"], zip(a.excluded["reason"], a.excluded["reason_detail"])))
    assert reasons == {"2152990004": ("teaching_point", None), "2152990005": ("private", None),
                       "5152990006": ("special", None), "3152990007": ("authority", "市属"),
                       "3452990008": ("senior", None), "3152990009": ("vocational", None)}
    assert set(a.units["school_id"]) == {"2152990001", "2152990002", "3152990003"}


def test_composite_equality_passes_and_just_above_fails():
    a = assess(table(county()), BASIC)
    comp = a.counties[0].levels["primary"].composite_cv
    at = BASIC.model_copy(update={"dispersion": BASIC.dispersion.model_copy(update={"composite_threshold": BASIC.dispersion.composite_threshold.model_copy(update={"primary": comp})})})
    assert assess(table(county()), at).counties[0].levels["primary"].passed is True
    below = BASIC.model_copy(update={"dispersion": at.dispersion.model_copy(update={"composite_threshold": at.dispersion.composite_threshold.model_copy(update={"primary": comp - 1e-9})})})
    r = assess(table(county()), below)
    assert r.counties[0].levels["primary"].passed is False
    assert r.counties[0].passed is False


def test_single_cv_may_exceed_when_composite_passes():
    rows = county()[:3]
    rows[0] = school("2152990001", 211, **full(100, 2.0, books=100000))  # books wildly uneven
    c = assess(table(rows), BASIC).counties[0]
    p = c.levels["primary"]
    assert p.indicators["books_per_student"].cv > 0.65
    assert p.composite_cv <= 0.65 and p.passed is True


def test_indoor_sports_moved_from_teaching_to_sports_area():
    rows = [school("2152990001", 211, students_P=100, teaching_area_m2=600, indoor_sports_m2=100, sports_ground_m2=700, teachers_P=5)]
    u = assess(table(rows), BASIC).units.row(0, named=True)
    assert u["teaching_area_per_student"] == pytest.approx(5.0)
    assert u["sports_area_per_student"] == pytest.approx(8.0)
    off = BASIC.model_copy(update={"split": BASIC.split.model_copy(update={"indoor_sports_in_sports_area": False})})
    u = assess(table(rows), off).units.row(0, named=True)
    assert u["teaching_area_per_student"] == pytest.approx(6.0)
    assert u["sports_area_per_student"] == pytest.approx(7.0)


def test_complete_and_twelve_year_schools_split_and_drop_the_senior_part():
    rows = [
        school("3452990001", 341, students_J=100, students_S=200, books=3400, teachers_J=8),
        school("3452990002", 345, students_P=100, students_J=100, students_S=100, books=3420, teachers_P=5, teachers_J=6),
    ]
    u = {(r["school_id"], r["level"]): r for r in assess(table(rows), BASIC).units.iter_rows(named=True)}
    # 完全中学: junior share 100 / (100 + 1.2 × 200) = 100/340 → 1000 books
    assert u[("3452990001", "junior")]["books_per_student"] == pytest.approx(10.0)
    # 十二年一贯制: 1 : 1.1 : 1.32 → 100 + 110 + 132 = 342; primary 1000 books, junior 1100
    assert u[("3452990002", "primary")]["books_per_student"] == pytest.approx(10.0)
    assert u[("3452990002", "junior")]["books_per_student"] == pytest.approx(11.0)
    assert ("3452990001", "primary") not in u


def test_teaching_points_merged_into_parent_when_set():
    merge = load_rules("basic-2012", "52")
    assert merge.scope.teaching_points == "merge_into_parent"
    rows = county()[:4] + [school("2152990010", 218, parent_id="2152999999", **full(20, 1.0))]
    a = assess(table(rows), merge)
    parent = a.units.filter(a.units["school_id"] == "2152990002").row(0, named=True)
    assert parent["students"] == 330
    assert parent["books_per_student"] == pytest.approx(3300 / 330)
    reasons = dict(zip(a.excluded["school_id"], zip(a.excluded["reason"], a.excluded["reason_detail"])))
    assert reasons["2152990004"] == ("merged", "2152990002")
    assert reasons["2152990010"] == ("parent_out_of_scope", "2152999999")


def test_several_counties_are_assessed_separately():
    rows = county()[:3] + [school("2152980001", 211, county_code="529801", county="乙县", **full(50, 1.0))]
    a = assess(table(rows), BASIC)
    assert [c.county_code for c in a.counties] == ["529801", "529901"]
    assert a.counties[0].levels["primary"].units == 1
    assert "junior" not in a.counties[0].levels


def test_zero_mean_makes_the_cv_undefined_and_the_verdict_open():
    rows = [school("2152990001", 211, **full(100, 1.0, books=0)), school("2152990002", 211, **full(200, 1.0, books=0))]
    c = assess(table(rows), BASIC).counties[0]
    p = c.levels["primary"]
    assert p.indicators["books_per_student"].cv is None
    assert p.composite_cv is None and p.passed is None
    assert c.passed is False and c.verdict is None
    assert [(n.code, n["indicator"]) for n in p.notes] == [("assess.mean_zero", "books_per_student")]
    assert [n.code for n in c.notes] == ["assess.cv_undefined"]


def test_needed_and_missing_fields_follow_the_rule_pack_and_the_sections():
    from junheng.core.requirements import missing_fields, needed_fields

    codes = [f.code for f in needed_fields(BASIC, ("P",))]
    assert codes == ["teaching_area_m2", "sports_ground_m2", "equipment_value_yuan", "teaching_computers", "books",
                     "teachers_P", "qualified_teachers_P", "senior_title_teachers_P"]
    q = [f.code for f in needed_fields(load_rules("quality-2017"), ("J",))]
    assert "multimedia_rooms" in q and "backbone_teachers_J" in q and "books" not in q
    t = table(county()[:2])  # primary schools only: junior columns are not needed
    present = set(codes) - {"books"}
    assert [f.header for f in missing_fields(present, t, BASIC)] == ["图书"]


def test_needed_fields_without_pupils_are_the_school_wide_ones():
    from junheng.core.requirements import missing_fields, needed_fields

    codes = [f.code for f in needed_fields(BASIC, ())]
    assert codes == ["teaching_area_m2", "sports_ground_m2", "equipment_value_yuan", "teaching_computers", "books"]
    empty = table([school("2152990001", 211, students_P=0)])
    assert [f.code for f in missing_fields(["books"], empty, BASIC)] == codes[:4]
