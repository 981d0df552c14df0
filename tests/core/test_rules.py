"""Rule packs carry every number of docs/rules.md; overrides merge; bad packs are refused in Chinese."""
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


def _override(tmp_path, text: str):
    f = tmp_path / "prov.toml"
    f.write_text(text, encoding="utf-8")
    return f


def _refused(tmp_path, text: str, pack: str = "quality-2017") -> str:
    f = _override(tmp_path, text)
    with pytest.raises(RulesError) as e:
        load_rules(pack, str(f))
    msg = str(e.value)
    assert str(f) in msg, msg  # names the file the mistake is in
    ascii_words = [w for w in msg.replace(str(f), "").split() if w.isascii() and w.isalpha() and w.lower() not in ALLOWED]
    assert not ascii_words, f"English in the message: {ascii_words}: {msg}"
    return msg


#: English words allowed in a message: the keys and values the user wrote themselves.
ALLOWED = {"true", "false", "toml"}


@pytest.mark.parametrize("text, key, reason", [
    ('[packs."quality-2017".scope]\nprivat = "exclude"\n', "scope.privat", "未知的设置项，是否应为 private？"),
    ('[packs."quality-2017".split]\nnine_year = { P = 1.0, J = 0 }\n', "split", "nine_year 的折算系数必须大于 0"),
    ('[packs."quality-2017".split]\ncomplete = { J = 1.0, S = -1.2 }\n', "split", "complete 的折算系数必须大于 0"),
    ('[packs."quality-2017".unit_rule]\nmin_met = 8\n', "unit_rule.min_met", "8 超过指标个数 7"),
    ('[packs."quality-2017".unit_rule]\nfloor_ratio = 0\n', "unit_rule.floor_ratio", "应大于 0（现为 0）"),
    ('[packs."quality-2017".unit_rule]\nfloor_ratio = 1.5\n', "unit_rule.floor_ratio", "应不大于 1（现为 1.5）"),
    ('[packs."quality-2017".unit_rule]\nmin_met = "六"\n', "unit_rule.min_met", "应为整数（现为 “六”）"),
    ('[packs."quality-2017".dispersion]\ntest = "mean"\n', "dispersion.test", "取值应为 composite、each 之一"),
    ('[packs."quality-2017".scope]\nteaching_point_min_students = -5\n', "scope.teaching_point_min_students", "应不小于 0"),
])
def test_nonsense_settings_are_refused_in_chinese(tmp_path, text, key, reason):
    msg = _refused(tmp_path, text)
    assert f"{key}：{reason}" in msg, msg


def test_an_unknown_numerator_names_the_indicator(tmp_path):
    pack = tmp_path / "pack.toml"
    src = (__import__("junheng.rules", fromlist=["x"]).__path__[0] + "/basic-2012.toml")
    pack.write_text(open(src, encoding="utf-8").read().replace('numerator = "books"', 'numerator = "book"'), encoding="utf-8")
    with pytest.raises(RulesError) as e:
        load_rules("basic-2012", path=pack)
    msg = str(e.value)
    assert str(pack) in msg and "indicators[5]（books_per_student）：numerator：未知的分子 “book”" in msg, msg
    assert "Value error" not in msg


def test_typos_in_the_override_file_itself_are_refused(tmp_path):
    msg = _refused(tmp_path, 'provence = "52"\n[packs."quality-2017".scope]\nprivate = "exclude"\n')
    assert "provence：未知的设置项，是否应为 province？" in msg
    msg = _refused(tmp_path, '[packs."quality-2071".scope]\nprivate = "exclude"\n')
    assert "packs.quality-2071：未知的规则包；可用：basic-2012、quality-2017" in msg


def test_a_mistake_in_the_national_pack_names_that_file(tmp_path):
    pack = tmp_path / "pack.toml"
    src = __import__("junheng.rules", fromlist=["x"]).__path__[0] + "/quality-2017.toml"
    pack.write_text(open(src, encoding="utf-8").read().replace("min_met = 6", "min_mett = 6"), encoding="utf-8")
    with pytest.raises(RulesError) as e:
        load_rules("quality-2017", path=pack)
    msg = str(e.value)
    assert f"规则文件 {pack} 校验失败" in msg and "unit_rule.min_mett：未知的设置项，是否应为 min_met？" in msg, msg
    assert "unit_rule.min_met：缺少必填的设置项" in msg, msg


def test_toml_syntax_errors_in_chinese(tmp_path):
    msg = _refused(tmp_path, '[packs."quality-2017".scope]\nprivate = exclude\n')
    assert "第 2 行" in msg and "不符合 TOML 语法" in msg


def test_the_special_provision_settings_load_and_refuse_nonsense_in_chinese(tmp_path):
    ok = _override(tmp_path, '[packs."quality-2017".provisions.visiting_pe_art_teachers]\nenabled = false\n')
    assert load_rules("quality-2017", str(ok)).provisions.visiting_pe_art_teachers.enabled is False
    msg = _refused(tmp_path, '[packs."quality-2017".provisions.visiting_pe_art_teachers]\nmin_students = 200\n')
    assert "provisions.visiting_pe_art_teachers：min_students（200）须小于 max_students（100）" in msg
    msg = _refused(tmp_path, '[packs."quality-2017".provisions.extra_sports_area]\nenabeld = true\n')
    assert "provisions.extra_sports_area.enabeld：未知的设置项，是否应为 enabled？" in msg
    msg = _refused(tmp_path, '[packs."basic-2012".provisions.visiting_pe_art_teachers]\nenabled = true\n', pack="basic-2012")
    assert "provisions.visiting_pe_art_teachers：本规则包没有分子为 pe_art_teachers 的指标" in msg, msg
