"""Rule-pack error texts (rules/messages.py) built from hand-made pydantic errors: the key path,
the key a whole-pack check names, the shown value and the reason."""
import pytest

from junheng.rules.loader import RulePack
from junheng.rules.messages import _fields_at, _model_of, _show, explain, key_path, message_loc

DATA = {"indicators": [{"code": "books_per_student"}, {"id": "G1"}, {"name": "无代码"}], "split": {"nine_year": {}}}


def test_key_path_counts_from_one_and_names_list_items():
    assert key_path(("indicators", 0, "numerator"), DATA) == "indicators[1]（books_per_student）.numerator"
    assert key_path(("indicators", 1, "part"), DATA) == "indicators[2]（G1）.part"
    assert key_path(("indicators", 2, "code"), DATA) == "indicators[3].code"
    assert key_path(("indicators", 7, "code"), DATA) == "indicators[8].code"  # beyond the data
    assert key_path(("split", "nine_year", "[key]"), DATA) == "split.nine_year"
    assert key_path(("a", "b"), None) == "a.b"
    assert key_path((), DATA) == "（整个文件）"


def test_message_loc_reads_the_key_of_a_whole_pack_check():
    err = {"type": "value_error", "loc": (), "ctx": {"error": "unit_rule.min_met：8 超过指标个数 7"}}
    assert message_loc(err) == ("unit_rule", "min_met")
    err = {"type": "value_error", "loc": (), "ctx": {"error": "county_items（G1）.area：未知"}}
    assert message_loc(err) == ("county_items", "area")
    err = {"type": "value_error", "loc": (), "ctx": {"error": "indicators[2].code：重复"}}
    assert message_loc(err) == ("indicators", "code")
    assert message_loc({"type": "value_error", "loc": (), "ctx": {"error": "各方面分值：不符"}}) == ()
    assert message_loc({"type": "value_error", "loc": (), "ctx": {"error": "a-b：x"}}) == ()
    assert message_loc({"type": "missing", "loc": ()}) == ()
    assert message_loc({"type": "value_error", "loc": ("split",), "ctx": {"error": "x.y：z"}}) == ("split",)
    assert message_loc({"type": "value_error"}) == ()


def test_show_values_as_the_user_wrote_them():
    assert _show("六") == "“六”"
    assert _show({"a": 1}) == "表" and _show([1]) == "列表"
    assert _show(True) == "true" and _show(False) == "false"
    assert _show(1.5) == "1.5" and _show(2.0) == "2" and _show(7) == "7"


def test_fields_at_and_model_of():
    assert "min_met" in _fields_at(RulePack, ("unit_rule", "min_mett"))
    assert "private" in _fields_at(RulePack, ("scope", "privat"))
    assert "numerator" in _fields_at(RulePack, ("indicators", 0, "numeratr"))
    assert _fields_at(RulePack, ("nosuch", "x")) == []
    assert "id" in _fields_at(RulePack, ("idd",))
    assert _model_of(int) is None and _model_of(list[int]) is None
    assert _model_of(RulePack) is RulePack


@pytest.mark.parametrize("err, text", [
    ({"type": "greater_than", "loc": ("unit_rule", "floor_ratio"), "ctx": {"gt": 0}, "input": 0},
     "unit_rule.floor_ratio：应大于 0（现为 0）"),
    ({"type": "less_than_equal", "loc": ("unit_rule", "floor_ratio"), "ctx": {"le": 1.0}, "input": 1.5},
     "unit_rule.floor_ratio：应不大于 1（现为 1.5）"),
    ({"type": "missing", "loc": ("unit_rule", "min_met"), "input": {}}, "unit_rule.min_met：缺少必填的设置项"),
    ({"type": "literal_error", "loc": ("dispersion", "test"), "ctx": {"expected": "'composite' or 'each'"},
      "input": "mean"}, "dispersion.test：取值应为 composite、each 之一（现为 “mean”）"),
    ({"type": "something_new", "loc": ("a",), "input": 3}, "a：取值无效（现为 3）"),
    ({"type": "something_new", "loc": ("a",)}, "a：取值无效"),
    ({"type": "value_error", "loc": ("split",), "ctx": {"error": "Value error, 须大于 0"}}, "split：须大于 0"),
    ({"type": "value_error", "loc": (), "ctx": {"error": "合计不符"}}, "合计不符"),
    ({"type": "value_error", "loc": ("x",)}, "x：取值无效"),
])
def test_explain(err, text):
    assert explain(err, RulePack, DATA) == text


def test_explain_unknown_keys_with_and_without_a_near_name():
    near = explain({"type": "extra_forbidden", "loc": ("unit_rule", "min_mett"), "input": 6}, RulePack)
    assert near == "unit_rule.min_mett：未知的设置项，是否应为 min_met？"
    far = explain({"type": "extra_forbidden", "loc": ("unit_rule", "zzz"), "input": 6}, RulePack)
    assert far == "unit_rule.zzz：未知的设置项；可用：min_met、floor_ratio"
    none = explain({"type": "extra_forbidden", "loc": ("nosuch", "zzz"), "input": 6}, RulePack)
    assert none == "nosuch.zzz：未知的设置项"


def test_fields_at_walks_through_list_items_and_key_markers():
    assert _fields_at(RulePack, ("indicators", 0, "threshold", "primay")) == ["primary", "junior"]
    assert "private" in _fields_at(RulePack, ("scope", "[key]", "privat"))
    assert _show(12345678) == "12345678" and _show(1e20) == "1e+20"


def test_message_loc_takes_the_first_key_of_a_message_with_several_marks():
    err = {"type": "value_error", "loc": (), "ctx": {"error": "unit_rule.min_met：8：超过"}}
    assert message_loc(err) == ("unit_rule", "min_met")
    err = {"type": "value_error", "loc": (), "ctx": {"error": "county_items（G1）（2）.area：未知"}}
    assert message_loc(err) == ("county_items", "area")
    err = {"type": "value_error", "loc": (), "ctx": {"error": "indicators[2][3].code：重复"}}
    assert message_loc(err) == ("indicators", "code")


def test_explain_without_loc_or_type():
    assert explain({"type": "missing"}, RulePack) == "（整个文件）：缺少必填的设置项"
    assert explain({"loc": ("a",)}, RulePack) == "a：取值无效"


def test_key_path_edges():
    assert key_path(("a", "[key]", "b")) == "a.b"
    assert key_path(("indicators", 3, "code"), DATA) == "indicators[4].code"  # one past the end


def test_explain_degenerate_errors():
    assert explain({"type": "extra_forbidden", "loc": ()}, RulePack).startswith("（整个文件）：未知的设置项；可用：")
    assert explain({"type": "literal_error", "loc": ("a",)}, RulePack) == "a：取值应为  之一"


def test_key_path_names_items_of_nested_lists():
    data = {"a": [{"b": [{"code": "x"}, {"id": "y"}]}]}
    assert key_path(("a", 0, "b", 1, "c"), data) == "a[1].b[2]（y）.c"
