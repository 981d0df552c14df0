"""Rule packs carry every number of RULES.md; overrides merge; bad packs are refused in Chinese."""
import pytest

from junheng.errors import RulesError
from junheng.rules import available_packs, available_provinces, load_rules


def test_basic_2012_numbers():
    r = load_rules("basic-2012")
    assert [i.code for i in r.indicators] == [
        "teaching_area_per_student", "sports_area_per_student", "equipment_per_student", "computers_per_100",
        "books_per_student", "teachers_per_student", "qualified_teachers_per_student", "senior_title_teachers_per_student"]
    assert r.dispersion.test == "composite"
    assert (r.dispersion.composite_threshold.primary, r.dispersion.composite_threshold.junior) == (0.65, 0.55)
    assert r.split.nine_year == {"P": 1.0, "J": 1.1}
    assert r.split.complete == {"J": 1.0, "S": 1.2}
    assert r.split.twelve_year == {"P": 1.0, "J": 1.1, "S": 1.32}
    assert r.scope.teaching_points == "exclude" and r.scope.private == "exclude"
    assert "省属" in r.scope.excluded_authorities and "市属" in r.scope.excluded_authorities
    assert r.split.indoor_sports_in_sports_area is True
    assert r.unit_rule is None


def test_quality_2017_numbers():
    r = load_rules("quality-2017")
    thr = {i.code: (i.threshold.primary, i.threshold.junior) for i in r.indicators}
    assert thr == {
        "qualified_teachers_per_100": (4.2, 5.3), "backbone_teachers_per_100": (1.0, 1.0),
        "pe_art_teachers_per_100": (0.9, 0.9), "teaching_area_per_student": (4.5, 5.8),
        "sports_area_per_student": (7.5, 10.2), "equipment_per_student": (2000, 2500),
        "multimedia_rooms_per_100": (2.3, 2.4)}
    assert (r.dispersion.cv_threshold.primary, r.dispersion.cv_threshold.junior) == (0.5, 0.45)
    assert (r.unit_rule.min_met, r.unit_rule.floor_ratio) == (6, 0.85)
    assert r.scope.teaching_point_min_students == 50 and r.scope.private == "include"
    assert "multimedia_rooms" in r.split.resources


def test_bundled_lists():
    assert available_packs() == ["basic-2012", "quality-2017"]
    assert "52" in available_provinces()


def test_province_override_merges_only_what_it_names():
    r = load_rules("quality-2017", "52")
    assert r.province == "52" and r.scope.private == "exclude"
    assert r.scope.teaching_point_min_students == 50  # untouched key kept


def test_unknown_pack_and_province(tmp_path):
    with pytest.raises(RulesError, match="未知的规则包"):
        load_rules("basic-2099")
    with pytest.raises(RulesError, match="未找到省份覆盖文件"):
        load_rules("basic-2012", "99")


def test_invalid_override_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[packs."basic-2012".dispersion]\ncomposite_threshold = { primary = "高" , junior = 0.5 }\n', encoding="utf-8")
    with pytest.raises(RulesError, match="校验失败"):
        load_rules("basic-2012", str(bad))
    broken = tmp_path / "broken.toml"
    broken.write_text("[packs\n", encoding="utf-8")
    with pytest.raises(RulesError, match="格式错误"):
        load_rules("basic-2012", str(broken))


def test_province_document_is_carried_for_citations():
    r = load_rules("basic-2012", "52")
    assert r.province_name.startswith("贵州省") and "示例" in r.province_document
    assert load_rules("basic-2012").province_document is None
