"""Rule-pack validation (rules/loader.py) at its boundaries, on the bundled packs changed one key
at a time: what is refused, what just passes, and the key each refusal names."""
import copy
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from junheng.errors import RulesError
from junheng.rules import load_rules
from junheng.rules.catalog import _stems, available_packs, available_provinces, pack_names
from junheng.rules.loader import (CountyItem, PerLevel, RulePack, Split, VisitingTeachers, _merge, _origin,
                                  _province_problems, _toml_reason)

RULES = Path(__import__("junheng.rules", fromlist=["x"]).__path__[0])
BASIC = tomllib.loads((RULES / "basic-2012.toml").read_text(encoding="utf-8"))
QUALITY = tomllib.loads((RULES / "quality-2017.toml").read_text(encoding="utf-8"))


def refused(data: dict) -> str:
    with pytest.raises(ValidationError) as e:
        RulePack.model_validate(data)
    return str(e.value)


def changed(base: dict, fn) -> dict:
    d = copy.deepcopy(base)
    fn(d)
    return d


def test_the_bundled_packs_validate():
    assert RulePack.model_validate(BASIC).id == "basic-2012"
    assert RulePack.model_validate(QUALITY).id == "quality-2017"


def test_duplicate_codes_and_ids_are_refused():
    assert "indicators：" in refused(changed(BASIC, lambda d: d["indicators"].append(d["indicators"][0])))
    assert "county_items：" in refused(changed(QUALITY, lambda d: d["county_items"].append(d["county_items"][0])))


def test_unit_rule_min_met_may_equal_the_number_of_indicators():
    n = len(QUALITY["indicators"])
    ok = changed(QUALITY, lambda d: d["unit_rule"].update(min_met=n))
    assert RulePack.model_validate(ok).unit_rule.min_met == n
    msg = refused(changed(QUALITY, lambda d: d["unit_rule"].update(min_met=n + 1)))
    assert f"unit_rule.min_met：{n + 1}" in msg and str(n) in msg
    assert "unit_rule：" in refused(changed(QUALITY, lambda d: d["indicators"][0].pop("threshold")))


def test_funding_checks_need_the_funding_table():
    assert "county_items：" in refused(changed(QUALITY, lambda d: d.pop("funding")))


def test_score_items_need_a_score_sheet_whose_points_add_up():
    assert "county_items：" in refused(changed(BASIC, lambda d: d.pop("score_sheet")))
    item = next(i for i in BASIC["county_items"] if i.get("part") == "score")
    msg = refused(changed(BASIC, lambda d: next(i for i in d["county_items"] if i["id"] == item["id"]).update(area="zz")))
    assert f"county_items（{item['id']}）.area" in msg and "zz" in msg
    msg = refused(changed(BASIC, lambda d: next(i for i in d["county_items"] if i["id"] == item["id"]).update(
        points=item["points"] + 0.01)))
    assert f"（{item['area']}）" in msg and "score_sheet.areas" in msg
    # both the item and its area up by the same amount: the area matches, the total does not
    def both(d):
        next(i for i in d["county_items"] if i["id"] == item["id"])["points"] += 1
        next(a for a in d["score_sheet"]["areas"] if a["id"] == item["area"])["points"] += 1
    msg = refused(changed(BASIC, both))
    assert "score_sheet：" in msg and "score_sheet.areas" not in msg
    def all_up(d):
        both(d)
        d["score_sheet"]["total"] += 1
    assert RulePack.model_validate(changed(BASIC, all_up)).score_sheet.total == BASIC["score_sheet"]["total"] + 1


def test_school_standard_minima_must_name_indicators():
    code = BASIC["indicators"][0]["code"]
    ok = changed(BASIC, lambda d: d.update(school_standard={"name": "x", "minima": {code: {"primary": 1, "junior": 1}}}))
    assert RulePack.model_validate(ok).school_standard.minima[code].junior == 1
    d = changed(ok, lambda d: d["school_standard"]["minima"].update(nosuch={"primary": 1, "junior": 1}))
    msg = refused(d)
    assert "school_standard.minima：" in msg and "nosuch" in msg


def test_provisions_need_their_numerator():
    msg = refused(changed(BASIC, lambda d: d.setdefault("provisions", {}).update(visiting_pe_art_teachers={})))
    assert "provisions.visiting_pe_art_teachers：" in msg and "pe_art_teachers" in msg


def test_split_ratios_must_be_positive_and_are_given_per_category():
    ok = {"nine_year": {"P": 1, "J": 1e-9}, "complete": {"J": 1, "S": 1}, "twelve_year": {"P": 1, "J": 1, "S": 1},
          "resources": []}
    s = Split.model_validate(ok)
    assert s.ratios("nine_year") == {"P": 1, "J": 1e-9} and s.ratios("twelve_year")["S"] == 1
    assert s.ratios("complete") == {"J": 1, "S": 1}
    assert s.ratios("primary") is None and s.ratios("resources") is None
    for name in ("nine_year", "complete", "twelve_year"):
        bad = copy.deepcopy(ok)
        key = next(iter(bad[name]))
        bad[name][key] = 0
        with pytest.raises(ValidationError, match=name):
            Split.model_validate(bad)


def test_dispersion_needs_the_threshold_of_its_test():
    for test, key in (("composite", "composite_threshold"), ("each", "cv_threshold")):
        data = changed(QUALITY if test == "each" else BASIC, lambda d: d["dispersion"].pop(key, None))
        assert key in refused(data)


def test_visiting_teacher_band_must_be_nonempty():
    assert VisitingTeachers(min_students=99, max_students=100).min_students == 99
    with pytest.raises(ValidationError, match="100"):
        VisitingTeachers(min_students=100, max_students=100)


def _item(**kw):
    base = {"id": "T1", "part": "guarantee", "name": "测试", "kind": "computed"}
    return CountyItem.model_validate({**base, **kw})


def test_county_item_checks():
    assert _item(check="school_size", params={"single": 2000, "combined": 2500}).check == "school_size"
    assert _item(kind="qualitative").check is None
    with pytest.raises(ValidationError, match="check"):
        _item(kind="qualitative", check="school_size")
    with pytest.raises(ValidationError, match="nosuch"):
        _item(check="nosuch")
    with pytest.raises(ValidationError, match="min_rates"):
        _item(check="min_rates")
    with pytest.raises(ValidationError, match="zzz_rate"):
        _item(check="min_rates", params={"zzz_rate": 1})
    assert _item(check="max_rates", params={"dropout_primary_rate": 0.6}).params == {"dropout_primary_rate": 0.6}
    with pytest.raises(ValidationError, match="school_size"):
        _item(check="school_size", params={"single": 2000})
    with pytest.raises(ValidationError, match="school_size"):
        _item(check="school_size", params={"single": 2000, "combined": 2500, "extra": 1})
    assert _item(check="operating_base").params == {}
    with pytest.raises(ValidationError, match="points"):
        _item(part="score", check="operating_base")
    assert _item(part="score", check="operating_base", points=2).points == 2


def test_labels_lookups_and_parts():
    r = load_rules("quality-2017")
    assert PerLevel(primary=1, junior=2).get("primary") == 1 and PerLevel(primary=1, junior=2).get("junior") == 2
    i = r.indicators[0]
    assert i.label == (i.short or i.name) and r.indicator(i.code) is i
    with pytest.raises(KeyError):
        r.indicator("nosuch")
    assert _item(kind="qualitative", name="长名", short="短").label == "短"
    assert _item(kind="qualitative", name="长名").label == "长名"
    guarantee = r.items_of("guarantee")
    assert guarantee and all(x.part == "guarantee" for x in guarantee)
    assert [x.id for x in guarantee] == [x.id for x in r.county_items if x.part == "guarantee"]
    assert r.items_of("nosuch") == []


def test_merge_and_origin():
    base = {"a": {"b": 1, "c": 2}, "l": [1, 2], "x": 1}
    out = _merge(base, {"a": {"b": 5}, "l": [3], "x": {"y": 1}})
    assert out == {"a": {"b": 5, "c": 2}, "l": [3], "x": {"y": 1}} and base["a"]["b"] == 1
    over = {"scope": {"private": "include"}, "indicators": [{"code": "x"}]}
    assert _origin(("scope", "private"), over) and _origin(("scope", "[key]", "private"), over)
    assert _origin(("indicators", 0, "code"), over)
    assert not _origin(("indicators", 1, "code"), over) and not _origin(("split",), over)
    assert not _origin(("scope", "private", "deeper"), over)


def test_province_problems():
    assert _province_problems({"province": "52", "packs": {"basic-2012": {}}}, "p.toml") == []
    out = _province_problems({"provinc": "52", "packs": {"basic-2012": 3, "nosuch": {}}}, "p.toml")
    assert [line.split("：")[0].strip() for line in out] == ["provinc", "packs.basic-2012", "packs.nosuch"]
    assert "province" in out[0]
    assert "province、name、document、packs" in _province_problems({"zzzzzz": 1}, "p.toml")[0]
    assert _province_problems({"packs": []}, "p.toml")[0].strip().startswith("packs：")


def test_toml_reason_position_or_somewhere():
    with pytest.raises(tomllib.TOMLDecodeError) as e:
        tomllib.loads("a = 1\nb = \n")
    assert _toml_reason(e.value).startswith("第 2 行第 5 列")
    assert _toml_reason(tomllib.TOMLDecodeError("odd")).startswith("某处")


def test_unknown_pack_lists_the_bundled_ones():
    with pytest.raises(RulesError) as e:
        load_rules("nosuch")
    assert "'nosuch'" in str(e.value) and "basic-2012, quality-2017" in str(e.value)


def test_catalog(tmp_path):
    (tmp_path / "b.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.toml").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    (tmp_path / "d.toml").mkdir()
    assert _stems(tmp_path) == ["a", "b"]
    assert available_packs() == ["basic-2012", "quality-2017"]
    assert "52" in available_provinces()
    names = pack_names()
    assert names == {"basic-2012": BASIC.get("short") or BASIC["name"], "quality-2017": QUALITY.get("short") or QUALITY["name"]}


def test_origin_after_a_key_marker():
    over = {"scope": {"private": "include"}}
    assert _origin(("scope", "[key]", "private"), over)
    assert not _origin(("scope", "[key]", "nosuch"), over)


def test_lookups_name_what_is_missing():
    with pytest.raises(KeyError, match="nosuch"):
        load_rules("basic-2012").indicator("nosuch")
    assert _province_problems({"province": "52"}, "p.toml") == []


def test_pack_names_fall_back_to_the_name_then_the_id(tmp_path, monkeypatch):
    import types

    from junheng.rules import catalog

    (tmp_path / "a.toml").write_text('short = "甲"\nname = "甲规则包"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('name = "乙规则包"\n', encoding="utf-8")
    (tmp_path / "c.toml").write_text('id = "c"\n', encoding="utf-8")
    (tmp_path / "d.toml").write_text('name = "未闭合\n', encoding="utf-8")
    monkeypatch.setattr(catalog, "resources", types.SimpleNamespace(files=lambda package: tmp_path))
    assert catalog.pack_names() == {"a": "甲", "b": "乙规则包", "c": "c", "d": "d"}


def test_default_pack_and_a_file_not_in_utf8(tmp_path):
    assert load_rules().id == "basic-2012"
    bad = tmp_path / "pack.toml"
    bad.write_bytes('name = "规则"\n'.encode("gbk"))
    with pytest.raises(RulesError) as e:
        load_rules(path=bad)
    assert str(bad) in str(e.value) and "UTF-8" in str(e.value)


def test_unknown_province_lists_the_bundled_ones_or_none(monkeypatch):
    from junheng.rules import loader

    with pytest.raises(RulesError) as e:
        load_rules("basic-2012", "99")
    assert "'99'" in str(e.value) and "52" in str(e.value)
    monkeypatch.setattr(loader, "available_provinces", lambda: ["52", "53"])
    with pytest.raises(RulesError, match="可用：52, 53$"):
        load_rules("basic-2012", "99")
    monkeypatch.setattr(loader, "available_provinces", lambda: [])
    with pytest.raises(RulesError, match="可用：无$"):
        load_rules("basic-2012", "99")


def test_an_override_without_a_table_for_this_pack_changes_nothing(tmp_path):
    base = load_rules("basic-2012")
    other = tmp_path / "98.toml"
    other.write_text('province = "98"\n[packs."quality-2017".scope]\nprivate = "include"\n', encoding="utf-8")
    none = tmp_path / "97.toml"
    none.write_text('province = "97"\nname = "测试省"\n', encoding="utf-8")
    for path, code in ((other, "98"), (none, "97")):
        r = load_rules("basic-2012", str(path))
        assert r.province == code and r.scope == base.scope and r.indicators == base.indicators


def test_a_key_missing_from_an_override_list_item_is_the_overrides(tmp_path):
    """Lists replace: an indicator the override writes without ``code`` is the override's error."""
    over = tmp_path / "99.toml"
    over.write_text('province = "99"\nname = "测试"\n[[packs."quality-2017".indicators]]\nname = "只写了名称"\n',
                    encoding="utf-8")
    with pytest.raises(RulesError) as e:
        load_rules("quality-2017", str(over))
    assert str(e.value).startswith(f"规则文件 {over} 校验失败")
    assert "indicators[1].code：缺少必填的设置项" in str(e.value)


@pytest.mark.parametrize("text", ["a = " + "[" * 3000 + "]" * 3000 + "\n", "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"])
def test_a_toml_nested_beyond_the_parser_is_a_chinese_error(tmp_path, text):
    """tomllib recurses into nested arrays and inline tables: a few kB of brackets used to end in
    a RecursionError (exit 3) in every settings file; now each names the file."""
    from junheng.plan.costs import load_costs
    from junheng.errors import InputError

    f = tmp_path / "深.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as e:
        load_rules("quality-2017", province=str(f))
    assert str(f) in str(e.value) and "嵌套层数过多" in str(e.value)
    with pytest.raises(InputError) as e:
        load_costs(path=f)
    assert e.value.issues[0].file == str(f) and "嵌套层数过多" in e.value.issues[0].message
