"""Issue 7, output side: no injection through names, nothing lost, a full disk reported in Chinese.

The hostile school tables are generated here (the sample generator with names replaced)."""
from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from junheng.sample import generate, write_school_table

#: Text Excel (or xlsxwriter's write()) would turn into a formula, array formula or hyperlink.
INJECT = ['=HYPERLINK("http://x","点此")', "+1", "-1+2", "@SUM(A1)", "{=1}", "=1+1", "http://evil.example/",
          "external:c:/x.xlsx", "mailto:a@b.cn", "ftp://x"]
#: Text a terminal would execute or show reversed.
SCREEN = ["\x1b]0;pwned\x07", "\x1b[2J清屏", "\u202e反向", "\u2066隔离"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True, cwd=cwd)


def hostile_table(tmp_path: Path, names: list[str], county: str = "=1+1县", suffix=".csv", counties=1) -> Path:
    t = generate(schools=48, counties=counties, seed=5)
    t = t.with_columns(pl.Series("name", [f"{names[i % len(names)]}" if i < len(names) else t["name"][i]
                                          for i in range(t.height)]))
    if counties == 1:
        t = t.with_columns(pl.lit(county).alias("county"))
    return write_school_table(t, tmp_path / f"hostile{suffix}")


def cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        assert not ws._hyperlinks, f"{path.name}/{ws.title} has hyperlinks"
        for row in ws.iter_rows():
            out += [c for c in row if c.value is not None]
    return out


#: The formulas of the 计算过程 sheet (report/xlsx/working.py): cell references, SUM, SUMPRODUCT,
#: SQRT, IF, COUNT, AVERAGE, arithmetic and the text “无法计算”; nothing from the user's table.
OWN_FORMULA = re.compile(r'=(?:[A-Z]{1,3}\$?\d+|\$?[A-Z]{1,3}\$?\d+|SUM|SUMPRODUCT|SQRT|IF|COUNT|AVERAGE|[$():,/^*+\-=.\d]|"无法计算")+')


def assert_all_text(path: Path, expect: list[str]) -> None:
    found = set()
    for c in cells(path):
        if c.data_type == "f":  # only our own formulas of 计算过程: references, functions, no data
            assert c.parent.title == "计算过程" and OWN_FORMULA.fullmatch(c.value), f"{path.name}!{c.coordinate} is a formula: {c.value!r}"
        assert c.hyperlink is None, f"{path.name}!{c.coordinate} is a hyperlink: {c.value!r}"
        if isinstance(c.value, str):
            for s in expect:
                if s in c.value:
                    assert c.data_type == "s", (c.coordinate, c.value, c.data_type)
                    found.add(s)
    assert found == set(expect), f"not written at all: {set(expect) - found}"


def test_assess_xlsx_writes_names_as_text(tmp_path):
    src = hostile_table(tmp_path, INJECT)
    r = run("assess", str(src), "-o", str(tmp_path / "结果.xlsx"))
    assert r.returncode == 0, r.stderr
    assert_all_text(tmp_path / "结果.xlsx", INJECT)


@pytest.mark.parametrize("rules", ["basic-2012", "quality-2017"])
def test_report_xlsx_writes_names_as_text(tmp_path, rules):
    src = hostile_table(tmp_path, INJECT)
    r = run("report", str(src), "-r", rules, "-o", str(tmp_path / "out"), "--formats", "xlsx")
    assert r.returncode == 0, r.stderr
    (x,) = (tmp_path / "out").glob("*.xlsx")
    assert x.name == f"529901=1+1县_{rules}_差异系数表.xlsx"
    assert_all_text(x, INJECT)


def test_screen_table_neutralises_escapes():
    """Names reaching the screen table (past the importer, which refuses such cells) are shown
    with visible escapes, and markup in them is not interpreted."""
    import io

    from junheng.cli import out
    from junheng.core import assess
    from junheng.report.console.assessment import print_assessment
    from junheng.report.safe_text import SafeConsole
    from junheng.rules import load_rules

    t = generate(schools=48, counties=1, seed=5)
    t = t.with_columns(pl.Series("name", [SCREEN[i % len(SCREEN)] + "[/]" for i in range(t.height)]),
                       pl.lit("\x1b[31m红县\u202e[link=http://e]").alias("county"))
    assert isinstance(out, SafeConsole)
    buf = io.StringIO()
    con = SafeConsole(file=buf, width=200, force_terminal=True, color_system="standard")
    for pack in ("basic-2012", "quality-2017"):
        print_assessment(assess(t, load_rules(pack)), con)
    shown = buf.getvalue()
    assert not re.search(r"\x1b(?!\[[0-9;]*m)", shown)  # only rich's own colour codes
    assert "\x07" not in shown and "\u202e" not in shown and "\u2066" not in shown
    assert "\\x1b[31m红县\\u202e[link=http://e]" in shown and "\\x1b]0;pwned\\x07[/]" in shown


def _hostile_file_name(tmp_path: Path) -> Path:
    """A valid school table whose file name holds an OSC sequence, a C1 control and an override."""
    src = hostile_table(tmp_path, ["甲校"])
    return src.rename(tmp_path / "\x1b]0;pwned\x07\x9b2J\u202e表[bold].csv")


def test_file_names_on_screen_and_in_json(tmp_path):
    src = _hostile_file_name(tmp_path)
    for args in (["assess", str(src)], ["assess", str(src), "-f", "json"], ["equity", str(src)],
                 ["assess", str(src), "-o", str(tmp_path / "\x1b[2J结果\u202e.xlsx")]):
        r = run(*args)
        assert r.returncode == 0, r.stderr
        for stream in (r.stdout, r.stderr):
            assert not any(ch in stream for ch in "\x1b\x07\x9b\u202e"), (args, stream[:300])
    r = run("assess", str(src), "-f", "json")
    assert json.loads(r.stdout)["source"] == src.name  # the same document, spelled with \u escapes


def test_equity_markup_in_names_and_output_equal_to_input(tmp_path):
    src = hostile_table(tmp_path, ["甲校"], county="[/][bold]县")
    r = run("equity", str(src))
    assert r.returncode == 0, r.stderr
    assert "[/][bold]县" in r.stdout
    r = run("equity", str(src), "-o", str(src))
    assert r.returncode == 2 and "就是输入文件" in r.stderr


def test_output_name_too_long(tmp_path):
    src = hostile_table(tmp_path, ["甲校"])
    r = run("assess", str(src), "-o", str(tmp_path / ("结" * 100 + ".xlsx")))
    assert r.returncode == 2 and "文件名过长" in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.csv"]


def test_report_file_names_from_hostile_county_names(tmp_path):
    src = hostile_table(tmp_path, ["甲校"], county="../../.隐藏" + "长" * 150)
    r = run("report", str(src), "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 4 and sorted(p.name for p in tmp_path.iterdir()) == ["hostile.csv", "out"]  # xlsx, docx, html, 说明
    for n in names:
        assert len(n.encode()) <= 255 and not n.startswith(".") and "/" not in n


def test_output_equal_to_input_is_refused(tmp_path):
    src = hostile_table(tmp_path, ["甲校"], suffix=".xlsx")
    before = src.read_bytes()
    for target in (src, tmp_path / "." / src.name):
        r = run("assess", str(src), "-o", str(target))
        assert r.returncode == 2 and "就是输入文件" in r.stderr, r.stderr
    os.link(src, tmp_path / "硬链接.xlsx")  # another name for the same file
    r = run("assess", str(src), "-o", str(tmp_path / "硬链接.xlsx"))
    assert r.returncode == 2 and "就是输入文件" in r.stderr
    assert src.read_bytes() == before


def test_report_over_its_input_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    t = generate(schools=30, counties=1, seed=2)
    src = write_school_table(t, out / "529901均衡示例县_basic-2012_差异系数表.xlsx")  # the name report would write
    before = src.read_bytes()
    r = run("report", str(src), "-o", str(out))
    assert r.returncode == 2 and "就是输入文件" in r.stderr, r.stderr
    assert src.read_bytes() == before and [p.name for p in out.iterdir()] == [src.name]


def _fsync_full(monkeypatch):
    """os.fsync raising ENOSPC, as a full disk does when delayed allocation meets it."""
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


def test_full_disk_in_assess_and_report(tmp_path, monkeypatch):
    from junheng.cli import app
    from typer.testing import CliRunner

    src = hostile_table(tmp_path, ["甲校"])
    out = tmp_path / "out"
    out.mkdir()
    _fsync_full(monkeypatch)
    runner = CliRunner()
    r = runner.invoke(app, ["assess", str(src), "-o", str(out / "结果.xlsx")])
    assert r.exit_code == 2 and "磁盘空间不足" in r.output and "结果.xlsx" in r.output, r.output
    r = runner.invoke(app, ["report", str(src), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 2 and "磁盘空间不足" in r.output, r.output
    assert list(out.iterdir()) == []  # nothing written, no staging folder left


def test_write_beyond_file_size_limit_leaves_nothing(tmp_path):
    """A real failing write (RLIMIT_FSIZE: the kernel refuses to grow a file past 20 kB)."""
    src = hostile_table(tmp_path, ["甲校"])
    out = tmp_path / "out"
    out.mkdir()
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); sys.argv = ['junheng'] + sys.argv[1:]; "
            "from junheng.cli import main; main()")
    for args in (["assess", str(src), "-o", str(out / "结果.xlsx")], ["report", str(src), "-o", str(out)]):
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        assert r.returncode == 2 and "无法写入输出" in r.stderr and "文件超过系统允许的大小" in r.stderr, r.stderr
        assert list(out.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b"garbage", "学校名称,图书\n".encode()])
def test_a_template_that_is_not_a_docx_is_refused_in_chinese(tmp_path, content):
    src = hostile_table(tmp_path, ["甲校"])
    template = tmp_path / "模板.docx"
    template.write_bytes(content)
    r = run("report", str(src), "-o", str(tmp_path / "out"), "--template", str(template))
    assert r.returncode == 2 and "无法打开 Word 模板文件" in r.stderr and "模板.docx" in r.stderr, r.stderr
    assert not re.search(r"Package|content type|not a", r.stderr), r.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_settings_file_is_named_in_chinese(tmp_path):
    src = hostile_table(tmp_path, ["甲校"])
    r = run("whatif", str(src), str(tmp_path / "情景.toml"))
    assert r.returncode == 1 and "情景.toml" in r.stderr and "文件不存在" in r.stderr, r.stderr
    assert "No such file" not in r.stderr


@pytest.mark.parametrize("exc,reason", [
    (OSError(errno.EMLINK, "Too many links"), f"系统错误，错误号 {errno.EMLINK}"),
    (OSError(errno.EINVAL, "不是普通文件（设备、管道或套接字），未写入"), "不是普通文件"),
    (IsADirectoryError("“x”是文件夹，请给出文件名"), "“x”是文件夹"),
    (OSError("disk gone"), "系统无法写入该文件")])
def test_every_write_failure_has_a_chinese_reason(exc, reason):
    """A write failure whose errno has no Chinese text of its own never shows the system's English."""
    from junheng.cli import _os_reason

    text = _os_reason(exc, Path("结果.xlsx"))
    assert text.startswith("结果.xlsx（") and reason in text and not re.search(r"[A-Za-z]{4,}", text.removeprefix("结果.xlsx")), text


@pytest.mark.parametrize("args", [["assess"], ["assess", "-r", "quality-2017"], ["plan"], ["plan", "--objective", "rotation"],
                                  ["pair"], ["equity"], ["report", "--formats", "xlsx"]])
def test_rich_markup_and_emoji_codes_in_names_are_text_on_screen(tmp_path, args):
    """A name is never rich markup: ``[/bold]`` once crashed plan (exit 3) and ``[red]`` vanished
    from tables; ``:cat:`` stays as typed. Styles of the screen go through style=, not markup."""
    names = ["[/bold]甲校[red]", "乙校:cat:"]
    src = hostile_table(tmp_path, names, county="[/i]县[link=http://x]")
    cmd = [args[0], str(src), *args[1:]] + (["-o", str(tmp_path / "报告")] if args[0] == "report" else [])
    r = run(*cmd)
    shown = r.stdout + r.stderr
    assert r.returncode == 0, r.stderr
    assert "[/i]县[link=http://x]" in shown or "[_i]县[link=http_x]" in shown, shown
    if args[0] in ("assess", "pair"):
        assert "[/bold]" in shown and ":cat:" in shown, shown   # (a narrow column may wrap the name)
    assert "\\[" not in shown and "🐱" not in shown


def test_a_long_signer_with_controls_fits_the_word_file_properties(tmp_path):
    """Word's file properties hold 255 characters: a longer --signer was an English error (exit 2)."""
    import docx

    src = hostile_table(tmp_path, ["甲校"])
    r = run("report", str(src), "-o", str(tmp_path / "报告"), "--formats", "docx", "--signer", "\x1b[31m" + "落" * 3000)
    assert r.returncode == 0, r.stderr
    [path] = (tmp_path / "报告").glob("*.docx")
    author = docx.Document(str(path)).core_properties.author
    assert len(author) == 255 and author.startswith("\\x1b[31m落")
