"""``junheng whatif``: the rows a scenario writes go through the importer's checks
(io.school_table.read_rows), sections that do not exist, special schools, and where errors point."""
from __future__ import annotations

import polars as pl
import pytest

from junheng.analysis.whatif import load_scenario, run_whatif
from junheng.errors import InputError
from junheng.rules import load_rules
from junheng.sample import generate

QUALITY = load_rules("quality-2017")
TABLE = generate()
PRIMARY = TABLE.filter(pl.col("school_type") == 211)["school_id"].to_list()
JUNIOR = TABLE.filter(pl.col("school_type") == 311)["school_id"].to_list()
SPECIAL = TABLE.filter(pl.col("school_type").is_between(511, 519))["school_id"].to_list()


def issues(tmp_path, text: str) -> list:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        run_whatif(TABLE, QUALITY, load_scenario(p, TABLE))
    return [i for i in e.value.issues if i.level == "error"]


OPEN = f"""name = "新建"
[[open]]
school_id = "2152999999"
name = "新建小学"
school_type = 211
like = "{PRIMARY[0]}"
[open.values]
"""
GOOD = "students_P = 100\nclasses_P = 3\nteachers_P = 6\nqualified_teachers_P = 6\n"


@pytest.mark.parametrize("values, key", [
    ("students_P = 1e15\nclasses_P = 3\nteachers_P = 6\n", "students_P"),
    ("students_P = 100.5\nclasses_P = 3\nteachers_P = 6\n", "students_P"),
    ("students_P = 100\nclasses_P = 99999999999999999\nteachers_P = 6\n", "classes_P"),
])
def test_open_values_go_through_the_importer(tmp_path, values, key):
    found = issues(tmp_path, OPEN + values)
    assert found, values
    assert all(i.file.endswith("s.toml") and i.column.startswith("设置项 open[1]") for i in found)
    if key is not None:
        hit = [i for i in found if i.column == f"设置项 open[1].values.{key}"]
        assert hit, [str(i) for i in found]
        # the line of the key inside [open.values], not the [[open]] header
        assert hit[0].row == (OPEN + values).splitlines().index(next(
            t for t in (OPEN + values).splitlines() if t.startswith(f"{key} ="))) + 1
    assert "设置项 open[1]" in str(found[0]) and "列 设置项" not in str(found[0])


def test_pupils_without_teachers_are_warned_about(tmp_path):
    """The importer warns (生师比 100:0), so the scenario's result carries that warning, located."""
    p = tmp_path / "s.toml"
    p.write_text(OPEN + "students_P = 100\nclasses_P = 0\nteachers_P = 0\n", encoding="utf-8")
    r = run_whatif(TABLE, QUALITY, load_scenario(p, TABLE))
    hit = [w for w in r.warnings if "100:0" in w.message]
    assert hit and hit[0].level == "warning" and hit[0].column == "设置项 open[1].values.teachers_P"
    assert hit[0].row == 10


def test_a_valid_new_school_passes(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(OPEN + GOOD, encoding="utf-8")
    r = run_whatif(TABLE, QUALITY, load_scenario(p, TABLE))
    assert "2152999999" in r.applied.table["school_id"].to_list()
    assert not [w for w in r.warnings if "生师比" in w.message]


def test_absurd_class_count_of_a_merge(tmp_path):
    text = f'[[merge]]\nschools = ["{PRIMARY[1]}"]\ninto = "{PRIMARY[2]}"\nclasses_P = 99999999999999999\n'
    found = issues(tmp_path, text)
    assert any(i.column == "设置项 merge[1].classes_P" and i.row == 4 for i in found), [str(i) for i in found]


def test_moving_a_primary_section_a_junior_school_lacks(tmp_path):
    name = TABLE.filter(pl.col("school_id") == JUNIOR[0])["name"][0]
    text = f'[[move_section]]\nsection = "小学"\nschools = ["{JUNIOR[0]}"]\ninto = "{PRIMARY[0]}"\n'
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scenario(p, TABLE)
    msg = str(e.value.issues[0])
    assert JUNIOR[0] in msg and name in msg and "没有小学学段" in msg
    assert "设置项 move_section[1].schools" in msg


@pytest.mark.parametrize("order", ["special_into_ordinary", "ordinary_into_special"])
def test_special_school_is_not_merged_with_an_ordinary_one(tmp_path, order):
    src, into = (SPECIAL[0], PRIMARY[0]) if order == "special_into_ordinary" else (PRIMARY[0], SPECIAL[0])
    p = tmp_path / "s.toml"
    p.write_text(f'[[merge]]\nschools = ["{src}"]\ninto = "{into}"\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scenario(p, TABLE)
    assert "特殊教育学校" in str(e.value.issues[0]) and SPECIAL[0] in str(e.value.issues[0])


def test_a_gbk_scenario_is_read(tmp_path):
    """Windows 记事本 “ANSI” (GBK) is read like UTF-8."""
    text = f'name = "撤并两所小学"\n[[merge]]\nschools = ["{PRIMARY[1]}"]\ninto = "{PRIMARY[0]}"\n'
    p = tmp_path / "gbk.toml"
    p.write_bytes(text.encode("gbk"))
    sc = load_scenario(p, TABLE)
    assert sc.name == "撤并两所小学" and sc.merge[0].into == PRIMARY[0]


@pytest.mark.parametrize("kind, words", [("xlsx", "应为 TOML 文本文件"), ("dir", "是文件夹")])
def test_not_a_text_scenario(tmp_path, kind, words):
    if kind == "xlsx":
        from junheng.sample import SAMPLE_XLSX
        p = SAMPLE_XLSX
    else:
        p = tmp_path / "folder.toml"
        p.mkdir()
    with pytest.raises(InputError) as e:
        load_scenario(p, TABLE)
    assert words in str(e.value.issues[0]) and "Is a directory" not in str(e.value.issues[0])


def test_empty_scenario_warns_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from junheng.cli import app
    from junheng.sample import SAMPLE_XLSX

    p = tmp_path / "empty.toml"
    p.write_text('name = "空"\n', encoding="utf-8")
    out = tmp_path / "w.json"
    r = CliRunner().invoke(app, ["whatif", str(SAMPLE_XLSX), str(p), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "没有任何调整" in r.output


def test_a_wrong_kind_inside_open_values_names_its_line(tmp_path):
    text = OPEN + 'students_P = 100\nbooks = "很多"\n'
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_scenario(p, TABLE)
    i = e.value.issues[0]
    assert i.row == text.splitlines().index('books = "很多"') + 1
    assert i.column == "设置项 open[1].values.books"
