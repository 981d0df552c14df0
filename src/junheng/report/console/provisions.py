"""The special provisions used in one county, on screen (rich); the wording is
report/narrative/provisions.py."""
from __future__ import annotations

from rich.table import Table as RichTable

from ...core.result import Assessment, CountyResult
from ..narrative.provisions import provision_rows
from ..safe_text import plain_text


def provisions_table(a: Assessment, c: CountyResult):
    """The provisions used in one county as a rich Table, or None when there are none."""
    rows = provision_rows(a, c.county_key)
    if not rows:
        return None
    several = len({r["provision"] for r in rows}) > 1
    t = RichTable(title="特殊规定的使用（教督〔2017〕6号指标说明）", title_justify="left")
    t.add_column("学校（学段 在校生）", overflow="fold")
    if several:
        t.add_column("项目", overflow="fold")
    t.add_column("计入/填报", justify="right")
    t.add_column("计入前→后", justify="right")
    t.add_column("说明", overflow="fold")
    for r in rows:
        name, level, pupils, item, given, added, before, after, note = r["cells"]
        cells = [plain_text(f"{name}（{level} {pupils}人）"), *([item] if several else []), f"{added}/{given}",
                 f"{before}→{after}", plain_text(note)]
        t.add_row(*cells, style="green" if r["decisive"] else None)
    return t
