"""Text from the data on screen, in file names, in Word/HTML (report/safe_text.py)."""
from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.report.safe_text import (BIDI, SafeConsole, console_text, plain_text, safe_filename, short_label,
                                      xml_safe_blocks, xml_text)
from junheng.report.narrative.blocks import Figure, Heading, Para, Table

HOSTILE = ["\x1b[2J\x1b]0;pwned\x07", "a\x00b", "\u202eexe.txt", "\x9b31m", "[/]", "[link=http://evil]点[/link]",
           "$\\frac{1}{0$", "../../etc/passwd", "..", ".bashrc", "CON", "nul.txt", "x" * 600, "县" * 300]


def _no_controls(s: str) -> bool:
    return not re.search(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]", s)


def test_plain_text_makes_controls_visible():
    assert plain_text("a\x1b[31mb") == "a\\x1b[31mb"
    assert plain_text("x\u202ey") == "x\\u202ey"
    assert plain_text("tab\tnew\nline") == "tab\tnew\nline"  # layout characters stay


def test_console_text_escapes_markup():
    assert console_text("[/]") == "\\[/]"
    assert console_text("[link=http://evil]点[/link]") == "\\[link=http://evil]点\\[/link]"


def test_safe_console_prints_names_harmlessly():
    from rich.table import Table as RichTable
    from rich.text import Text

    buf = io.StringIO()
    con = SafeConsole(file=buf, width=200, force_terminal=True, color_system="standard")
    t = RichTable()
    t.add_column("学校")
    for name in HOSTILE:
        t.add_row(name)          # markup is off by default: a name goes in as it is
    con.print(t)
    marked = SafeConsole(file=buf, width=200, force_terminal=True, color_system="standard", markup=True)
    for name in HOSTILE:         # a console with markup on (the messages): names escaped with console_text
        marked.print(f"[red]{console_text(name)}[/red]")
    con.print(Text("\x1b]8;;http://evil\x1b\\点我\x1b]8;;\x1b\\"), style="red")
    out = buf.getvalue()
    # the only escape sequences are rich's own colour codes (ESC [ … m); no OSC, no clear screen
    assert not re.search(r"\x1b(?!\[[0-9;]*m)", out)
    assert "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    assert "\\x1b]0;pwned\\x07" in out and "[link=http://evil]点[/link]" in out


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_safe_filename_is_always_a_plain_bounded_name(stem):
    name = safe_filename(stem, "_自评报告.docx")
    assert name.endswith("_自评报告.docx")
    assert len(name.encode("utf-8")) <= 255
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", "-")) and _no_controls(name)
    assert name[: -len("_自评报告.docx")].strip()


def test_safe_filename_cases():
    assert safe_filename("529901均衡示例县_basic-2012", "_自评报告.docx") == "529901均衡示例县_basic-2012_自评报告.docx"
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename(".bashrc") == "bashrc"
    assert safe_filename("..") == "未命名"
    assert safe_filename("CON") == "_CON" and safe_filename("nul.txt") == "_nul.txt"
    assert safe_filename("a\u202etxt.exe") == "a_txt.exe"
    long_a, long_b = safe_filename("县" * 300 + "甲", ".xlsx"), safe_filename("县" * 300 + "乙", ".xlsx")
    assert long_a != long_b  # a hash of the whole name keeps long names apart
    assert len(long_a.encode()) <= 255 and long_a.endswith(".xlsx")


def test_xml_text_and_blocks():
    assert xml_text("a\x00b\x0bc\td") == "a\\x00b\\x0bc\td"
    blocks = xml_safe_blocks([Heading("县\x00", 0), Para("p\x01"),
                              Table(["h\x02"], [["c\x03"]], "cap\x04", [1.0]), Figure(b"png", "fig\x05")])
    assert blocks[0].text == "县\\x00" and blocks[1].text == "p\\x01"
    assert blocks[2].header == ["h\\x02"] and blocks[2].rows == [["c\\x03"]] and blocks[2].caption == "cap\\x04"
    assert blocks[3].caption == "fig\\x05" and blocks[3].png == b"png"


def test_short_label():
    assert short_label("短名") == "短名"
    assert short_label("x" * 100) == "x" * 23 + "…"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_terminal_safe_json_is_the_same_document(s):
    import json

    import orjson

    from junheng.report.safe_text import TerminalSafeWriter

    buf = io.BytesIO()
    TerminalSafeWriter(buf).write(orjson.dumps({"name": s}))
    out = buf.getvalue().decode("utf-8")
    assert json.loads(out) == {"name": s}
    assert _no_controls(out)
