"""The special provisions of quality-2017 (docs/rules.md §2) on hand-computed small counties.

Each small school below meets the six other thresholds comfortably; its PE/art teachers decide.
"""
import pytest

from junheng.core import assess
from junheng.core.trace import provisions_used
from junheng.errors import RulesError
from junheng.rules import load_rules

from .helpers import school, table

Q = load_rules("quality-2017")
B = load_rules("basic-2012")


def small(sid: str, pupils: int, school_type: int = 211, **extra) -> dict:
    """A primary school of ``pupils`` pupils, 1.2 × every primary threshold except PE/art (none)."""
    n = pupils
    vals = dict(students_P=n, teachers_P=0.1 * n, qualified_teachers_P=0.0504 * n, backbone_teachers_P=0.012 * n,
                teaching_area_m2=5.4 * n, sports_ground_m2=9 * n, equipment_value_yuan=2400 * n,
                multimedia_rooms=0.0276 * n, urban_rural_code="220")
    vals.update(extra)
    return school(sid, school_type, **vals)


def unit_of(a, sid, level="primary"):
    rows = a.units.filter((a.units["school_id"] == sid) & (a.units["level"] == level))
    assert rows.height == 1
    return rows.row(0, named=True)


def with_settings(pack=Q, **visiting):
    prov = pack.provisions
    return pack.model_copy(update={"provisions": prov.model_copy(update={
        "visiting_pe_art_teachers": prov.visiting_pe_art_teachers.model_copy(update=visiting)})})


def test_60_pupil_rural_school_counts_a_visiting_teacher_and_passes():
    a = assess(table([small("2152990060", 60, visiting_pe_art_teachers_P=1)]), Q)
    u = unit_of(a, "2152990060")
    assert u["pe_art_teachers_per_100"] == pytest.approx(100 / 60)  # 1 × 100 / 60 = 1.667 ≥ 0.9
    assert u["visiting_pe_art_teachers_status"] == "counted"
    assert u["visiting_pe_art_teachers_basis"] == "rural_code"
    assert u["visiting_pe_art_teachers_added"] == 1
    assert u["visiting_pe_art_teachers_delta"] == pytest.approx(100 / 60)
    assert u["met_count"] == 7 and u["passed"] is True
    t = provisions_used(a).row(0, named=True)
    assert (t["status"], t["before"], t["threshold"], t["meets_before"], t["meets_after"], t["decisive"]) == \
        ("counted", 0.0, 0.9, False, True, True)
    assert t["after"] == pytest.approx(100 / 60) and t["delta"] == pytest.approx(100 / 60)


def test_without_the_column_the_same_school_fails():
    u = unit_of(assess(table([small("2152990060", 60)]), Q), "2152990060")
    assert u["pe_art_teachers_per_100"] == 0 and u["met_count"] == 6
    assert u["passed"] is False  # 0 < 0.85 × 0.9
    assert u["visiting_pe_art_teachers_status"] is None


def test_40_pupil_teaching_point_is_excluded_anyway():
    a = assess(table([small("2152990040", 40, 218, visiting_pe_art_teachers_P=1),
                      small("2152990300", 300, pe_art_teachers_P=3)]), Q)
    assert "2152990040" not in a.units["school_id"].to_list()
    assert a.excluded["school_id"].to_list() == ["2152990040"]
    assert provisions_used(a).height == 0


def test_120_pupil_school_is_not_counted():
    a = assess(table([small("2152990120", 120, visiting_pe_art_teachers_P=2)]), Q)
    u = unit_of(a, "2152990120")
    assert u["visiting_pe_art_teachers_status"] == "size_out_of_band"
    assert u["visiting_pe_art_teachers_added"] == 0 and u["pe_art_teachers_per_100"] == 0
    t = provisions_used(a).row(0, named=True)
    assert (t["given"], t["added"], t["before"], t["after"], t["decisive"]) == (2, 0, 0, 0, False)
    assert t["size"] == 120


@pytest.mark.parametrize(("pupils", "status", "value"), [
    (49, "size_out_of_band", 0.0),
    (50, "counted", 2.0),       # ≥ 50: 1 × 100 / 50
    (99, "counted", 100 / 99),  # < 100
    (100, "size_out_of_band", 0.0),
])
def test_band_boundaries(pupils, status, value):
    u = unit_of(assess(table([small("2152990001", pupils, visiting_pe_art_teachers_P=1)]), Q), "2152990001")
    assert u["visiting_pe_art_teachers_status"] == status
    assert u["pe_art_teachers_per_100"] == pytest.approx(value)


def test_band_is_a_setting():
    rules = with_settings(min_students=40, max_students=130)
    u = unit_of(assess(table([small("2152990120", 120, visiting_pe_art_teachers_P=2)]), rules), "2152990120")
    assert u["visiting_pe_art_teachers_status"] == "counted"
    assert u["pe_art_teachers_per_100"] == pytest.approx(200 / 120)


def test_visiting_teachers_add_to_own_specialists():
    u = unit_of(assess(table([small("2152990080", 80, pe_art_teachers_P=1, visiting_pe_art_teachers_P=2)]), Q),
                "2152990080")
    assert u["pe_art_teachers"] == 3 and u["pe_art_teachers_per_100"] == pytest.approx(3.75)
    assert u["visiting_pe_art_teachers_delta"] == pytest.approx(2.5)


@pytest.mark.parametrize(("code", "school_type", "status", "basis"), [
    ("210", 211, "counted", "rural_code"),       # 乡中心区
    ("220", 211, "counted", "rural_code"),       # 村庄
    ("121", 211, "not_rural", None),             # 镇中心区
    ("111", 211, "not_rural", None),             # 主城区
    (None, 211, "counted", "code_missing"),      # ASSUMPTION setting rural_if_code_missing
    ("111", 218, "counted", "teaching_point"),   # teaching points count whatever the code
])
def test_rurality(code, school_type, status, basis):
    row = small("2152990070", 70, school_type, visiting_pe_art_teachers_P=1, urban_rural_code=code)
    u = unit_of(assess(table([row]), Q), "2152990070")
    assert (u["visiting_pe_art_teachers_status"], u["visiting_pe_art_teachers_basis"]) == (status, basis)


def test_rurality_settings():
    row = small("2152990070", 70, visiting_pe_art_teachers_P=1, urban_rural_code=None)
    off = with_settings(rural_if_code_missing=False)
    assert unit_of(assess(table([row]), off), "2152990070")["visiting_pe_art_teachers_status"] == "not_rural"
    point = small("2152990071", 70, 218, visiting_pe_art_teachers_P=1, urban_rural_code="111")
    strict = with_settings(teaching_points_rural=False)
    assert unit_of(assess(table([point]), strict), "2152990071")["visiting_pe_art_teachers_status"] == "not_rural"


def _nine_year(**extra):
    """A nine-year school with 60 primary and 30 junior pupils (90 compulsory pupils)."""
    return school("3152990090", 312, students_P=60, students_J=30, teachers_P=6, teachers_J=4,
                  visiting_pe_art_teachers_P=1, visiting_pe_art_teachers_J=1, urban_rural_code="210", **extra)


def test_sections_of_a_small_nine_year_school_count_by_school_size():
    a = assess(table([_nine_year()]), Q)
    p, j = unit_of(a, "3152990090"), unit_of(a, "3152990090", "junior")
    assert p["pe_art_teachers_per_100"] == pytest.approx(100 / 60)  # school 90 pupils: in the band
    assert j["pe_art_teachers_per_100"] == pytest.approx(100 / 30)
    assert j["visiting_pe_art_teachers_status"] == "counted"


def test_size_basis_unit_uses_the_sections_pupils():
    a = assess(table([_nine_year()]), with_settings(size_basis="unit"))
    assert unit_of(a, "3152990090")["visiting_pe_art_teachers_status"] == "counted"  # 60 pupils
    j = unit_of(a, "3152990090", "junior")
    assert j["visiting_pe_art_teachers_status"] == "size_out_of_band"  # 30 pupils
    assert j["pe_art_teachers_per_100"] == 0


def test_extra_sports_area_split_in_a_nine_year_school():
    # 166 primary, 210 junior pupils: primary share 166 / (166 + 1.1 × 210) = 166 / 397 (docs/rules.md §3)
    row = school("3152990376", 312, students_P=166, students_J=210, teachers_P=10, teachers_J=20,
                 sports_ground_m2=2779, extra_sports_m2=794, central_urban="是", urban_rural_code="111")
    a = assess(table([row]), Q)
    p, j = unit_of(a, "3152990376"), unit_of(a, "3152990376", "junior")
    assert p["extra_sports_area_given"] == pytest.approx(794 * 166 / 397)  # 332 ㎡
    assert j["extra_sports_area_given"] == pytest.approx(794 * 231 / 397)  # 462 ㎡
    assert p["sports_area_per_student"] == pytest.approx(9.0)  # 2779 / 397 = 7 ㎡, + 794 / 397 = 2
    assert j["sports_area_per_student"] == pytest.approx(9.9)  # 7.7 + 2.2
    assert p["extra_sports_area_delta"] == pytest.approx(2.0)
    assert j["extra_sports_area_delta"] == pytest.approx(2.2)
    t = provisions_used(a).sort("level", descending=True)
    assert t["before"].to_list() == pytest.approx([7.0, 7.7])
    assert t["after"].to_list() == pytest.approx([9.0, 9.9])
    # primary: 7.0 < 7.5 ≤ 9.0, met thanks to the provision; junior: 9.9 still < 10.2
    assert t["meets_after"].to_list() == [True, False]
    assert t["decisive"].to_list() == [True, False]


@pytest.mark.parametrize("flag", ["否", None])
def test_extra_area_only_for_central_urban_schools(flag):
    row = small("2152990500", 500, extra_sports_m2=1000, central_urban=flag, urban_rural_code="111")
    u = unit_of(assess(table([row]), Q), "2152990500")
    assert u["extra_sports_area_status"] == "not_central_urban"
    assert u["extra_sports_area_added"] == 0 and u["sports_area_per_student"] == pytest.approx(9.0)


def test_provisions_off_in_a_province_override_give_the_old_result(tmp_path):
    over = tmp_path / "99.toml"
    over.write_text('province = "99"\nname = "测试省"\n'
                    '[packs."quality-2017".provisions.visiting_pe_art_teachers]\nenabled = false\n'
                    '[packs."quality-2017".provisions.extra_sports_area]\nenabled = false\n', encoding="utf-8")
    off = load_rules("quality-2017", str(over))
    rows = [small("2152990060", 60, visiting_pe_art_teachers_P=1),
            small("2152990500", 500, pe_art_teachers_P=5, extra_sports_m2=1000, central_urban="是")]
    plain = [small("2152990060", 60), small("2152990500", 500, pe_art_teachers_P=5)]
    a, old, on = assess(table(rows), off), assess(table(plain), Q), assess(table(rows), Q)
    codes = [i.code for i in Q.indicators]
    assert a.units.select(codes, "met_count", "passed").equals(old.units.select(codes, "met_count", "passed"))
    for lv in ("primary",):
        assert a.counties[0].levels[lv].indicators["pe_art_teachers_per_100"].cv == \
            old.counties[0].levels[lv].indicators["pe_art_teachers_per_100"].cv
    assert set(provisions_used(a)["status"]) == {"disabled"}
    assert on.units["passed"].to_list() == [True, True] and a.units["passed"].to_list() == [False, True]
    # the counted teacher moves the county mean: (1 + 5) × 100 / 560 vs 5 × 100 / 560
    assert on.counties[0].levels["primary"].indicators["pe_art_teachers_per_100"].mean == pytest.approx(600 / 560)
    assert old.counties[0].levels["primary"].indicators["pe_art_teachers_per_100"].mean == pytest.approx(500 / 560)


def test_merged_teaching_point_brings_its_visiting_teachers():
    # a province merging teaching points into their 中心校: 40 + 30 pupils = a 70-pupil school
    rules = Q.model_copy(update={"scope": Q.scope.model_copy(update={"teaching_points": "merge_into_parent"})})
    parent = small("2152990001", 40)
    point = small("2152990002", 30, 218, parent_id="2152990001", visiting_pe_art_teachers_P=1)
    u = unit_of(assess(table([parent, point]), rules), "2152990001")
    assert u["students"] == 70 and u["visiting_pe_art_teachers_status"] == "counted"
    assert u["pe_art_teachers_per_100"] == pytest.approx(100 / 70)


def test_basic_2012_has_no_provisions():
    row = small("2152990060", 60, visiting_pe_art_teachers_P=1, extra_sports_m2=600, central_urban="是")
    u = unit_of(assess(table([row]), B), "2152990060")
    assert u["sports_area_per_student"] == pytest.approx(9.0)  # the extra 600 ㎡ is not counted
    assert u["extra_sports_area_status"] is None and u["visiting_pe_art_teachers_status"] is None


def test_bad_band_is_rejected(tmp_path):
    over = tmp_path / "98.toml"
    over.write_text('[packs."quality-2017".provisions.visiting_pe_art_teachers]\nmin_students = 100\n',
                    encoding="utf-8")
    with pytest.raises(RulesError, match="min_students"):
        load_rules("quality-2017", str(over))


def test_unknown_setting_is_rejected(tmp_path):
    over = tmp_path / "97.toml"
    over.write_text('[packs."quality-2017".provisions.visiting_pe_art_teachers]\nenabeld = false\n', encoding="utf-8")
    with pytest.raises(RulesError, match="enabeld"):
        load_rules("quality-2017", str(over))
