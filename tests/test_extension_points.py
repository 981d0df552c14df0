"""Extension points: the rule packs and provinces offered are the TOML files found; the output
formats of every command come from one registry (junheng.outputs)."""
from pathlib import Path

import pytest

from junheng import cli, outputs
from junheng.rules import catalog, load_rules


def test_the_cli_offers_exactly_the_packs_and_provinces_found():
    assert [r.value for r in cli.Rules] == catalog.available_packs() == ["basic-2012", "quality-2017"]
    assert catalog.pack_names() == {"basic-2012": "基本均衡", "quality-2017": "优质均衡"}
    assert "52" in catalog.available_provinces()


def test_a_new_pack_or_province_is_a_file(tmp_path, monkeypatch):
    (tmp_path / "provinces").mkdir()
    src = Path(catalog.__file__).parent
    (tmp_path / "quality-2030.toml").write_text(
        (src / "quality-2017.toml").read_text(encoding="utf-8").replace('id = "quality-2017"', 'id = "quality-2030"')
        .replace('short = "优质均衡"', 'short = "示例新规则"'), encoding="utf-8")
    (tmp_path / "provinces" / "33.toml").write_text('province = "33"\nname = "示例"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    monkeypatch.setattr(catalog.resources, "files", lambda _pkg: tmp_path)
    assert catalog.available_packs() == ["quality-2030"]
    assert catalog.available_provinces() == ["33"]
    assert catalog.pack_names() == {"quality-2030": "示例新规则"}


def test_the_format_registry_drives_assess_and_report():
    assert [f.value for f in cli.Format] == list(outputs.names_for("assess")) == ["table", "json", "xlsx"]
    assert [f.value for f in cli.EquityFormat] == list(outputs.names_for("equity")) == ["table", "json"]
    assert outputs.names_for("report") == ("xlsx", "docx", "html")
    from junheng.report.bundle import FORMATS

    assert FORMATS == outputs.names_for("report")
    for f in outputs.FORMATS.values():
        assert f.suffix.startswith(".") and f.label and f.commands, f.name
        for command, writer in f.writers.items():
            assert (writer is None) == (command == "report"), (f.name, command)


def test_format_inference_and_parsing():
    assert outputs.infer_format(None, None).name == "table"
    assert outputs.infer_format(None, Path("r.json")).name == "json"
    assert outputs.infer_format(None, Path("r.XLSX")).name == "xlsx"
    assert outputs.infer_format(None, Path("r.txt")).name == "table"
    assert outputs.infer_format("json", Path("r.txt")).name == "json"
    with pytest.raises(outputs.OutputError, match="--format json 的输出文件应以 .json 结尾"):
        outputs.infer_format("json", Path("r.xlsx"))
    with pytest.raises(outputs.OutputError, match=r"命令 assess 不能写入 \.pdf 文件：r\.pdf；可写入的文件格式：\.json \.xlsx \.txt（屏幕表格）$"):
        outputs.infer_format(None, Path("r.pdf"))
    assert outputs.infer_format(None, Path("r.json"), "equity").name == "json"
    with pytest.raises(outputs.OutputError, match="只支持 table 和 json"):
        outputs.infer_format(None, Path("r.xlsx"), "equity")
    assert [f.name for f in outputs.parse_formats("html, XLSX,html", "report")] == ["xlsx", "html"]
    with pytest.raises(outputs.OutputError, match="未知的输出格式：pdf；可用：xlsx、docx、html"):
        outputs.parse_formats("xlsx,pdf", "report")
    with pytest.raises(outputs.OutputError, match="（空）"):
        outputs.parse_formats(" , ", "report")
    with pytest.raises(outputs.OutputError, match="可用：table、json、xlsx"):
        outputs.parse_formats("docx", "assess")


def test_every_bundled_pack_and_province_loads():
    for pid in catalog.available_packs():
        assert load_rules(pid).id == pid
        for prov in catalog.available_provinces():
            assert load_rules(pid, prov).province == prov


def test_a_typo_in_a_province_file_stops_the_cli_in_chinese(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "prov.toml"
    bad.write_text('[packs."quality-2017".unit_rule]\nfloor_ratoi = 0.9\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "junheng.cli", "assess", "x.csv", "-r", "quality-2017", "-p", str(bad)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unit_rule.floor_ratoi：未知的设置项，是否应为 floor_ratio？" in r.stderr and "prov.toml" in r.stderr
