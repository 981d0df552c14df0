"""io.issues.IssueCollector: where an issue points, the cap on listed issues (errors and warnings
each), the closing count line, and the order of the final list."""
from __future__ import annotations

import polars as pl
import pytest

from junheng.errors import InputError
from junheng.io.issues import MAX_REPORTED_ISSUES, IssueCollector


def _rows(n: int, start: int = 2) -> pl.DataFrame:
    return pl.DataFrame({"source_row": list(range(start, start + n)), "v": list(range(n))})


def test_rows_are_listed_up_to_the_cap_and_the_rest_counted():
    rep = IssueCollector(file="学校.csv", sheet="学校", columns={"books": "图书 (M列)"})
    df = _rows(250)
    n = rep.add_rows(df, pl.col("v") >= 0, level="error", code="negative", column="books", values=("v",),
                     message=lambda r: f"第 {r['v']} 个")
    assert n == 250 and rep.counts["error"] == 250 and rep.listed["error"] == MAX_REPORTED_ISSUES
    first = rep.issues[0]
    assert (first.file, first.sheet, first.row, first.column, first.code, first.message) == \
        ("学校.csv", "学校", 2, "图书 (M列)", "negative", "第 0 个")
    assert rep.issues[-1].row == MAX_REPORTED_ISSUES + 1
    # past the cap, a second rule's rows are only counted, and so are single issues ...
    assert rep.add_rows(df, pl.col("v") < 3, level="error", code="other", column=None,
                        message=lambda r: "x") == 3
    rep.add("error", "one", "单个")
    assert len(rep.issues) == MAX_REPORTED_ISSUES and rep.counts["error"] == 254
    # ... but a file- or header-level one is always listed; warnings have their own cap
    rep.add("error", "missing_column", "缺少列", row=1, always=True)
    rep.add_rows(df.head(2), pl.col("v") >= 0, level="warning", code="high", column="pupils",
                 message=lambda r: "偏高")
    assert [(i.code, i.column) for i in rep.issues[-3:]] == [("missing_column", None), ("high", "pupils"),
                                                            ("high", "pupils")]
    final = rep.final_issues()       # the header-level error first (row 1), the closing line last
    assert [i.code for i in final] == ["missing_column", *["negative"] * MAX_REPORTED_ISSUES, "high", "high",
                                       "more_errors"]
    assert (final[-1].level, final[-1].file, final[-1].sheet, final[-1].message) == \
        ("error", "学校.csv", "学校", "共 255 处错误，另有 54 处未列出。")


def test_single_issues_are_capped_too():
    rep = IssueCollector(file="f")
    for k in range(MAX_REPORTED_ISSUES + 5):
        rep.add("warning", "w", f"第 {k} 条", row=k)
    assert len(rep.issues) == MAX_REPORTED_ISSUES and rep.counts["warning"] == MAX_REPORTED_ISSUES + 5
    assert not rep.has_errors
    [more] = [i for i in rep.warnings() if i.code == "more_warnings"]
    assert more.message == f"共 {MAX_REPORTED_ISSUES + 5} 处警告，另有 5 处未列出。"


def test_no_closing_line_when_nothing_was_left_out():
    rep = IssueCollector(file="f")
    rep.add_rows(_rows(MAX_REPORTED_ISSUES), pl.lit(True), level="error", code="e", column=None,
                 message=lambda r: "错")
    assert not [i for i in rep.final_issues() if i.code.startswith("more_")]


def test_null_in_a_mask_is_no_hit():
    rep = IssueCollector(file="f")
    df = pl.DataFrame({"source_row": [2, 3, 4], "v": [1, None, 5]})
    assert rep.add_rows(df, pl.col("v") > 2, level="error", code="e", column=None, message=lambda r: "错") == 1
    assert [i.row for i in rep.issues] == [4]
    assert rep.add_rows_many(df, [(pl.col("v") > 9, dict(level="error", code="a", column=None, message=str)),
                                  (pl.col("v") < 2, dict(level="error", code="b", column=None, message=str))]) == [0, 1]
    assert [(i.code, i.row) for i in rep.issues] == [("e", 4), ("b", 2)]


def test_final_order_errors_first_file_wide_first_then_by_row():
    rep = IssueCollector(file="f")
    rep.add("warning", "w1", "w", row=3)
    rep.add("error", "e2", "e", row=9)
    rep.add("warning", "w0", "w")
    rep.add("error", "e1", "e", row=1)
    rep.add("error", "e0", "e")
    assert [i.code for i in rep.final_issues()] == ["e0", "e1", "e2", "w0", "w1"]
    with pytest.raises(InputError) as info:
        raise rep.fatal("stop", "停止", row=5)
    assert [i.code for i in info.value.issues][:4] == ["e0", "e1", "stop", "e2"]


def test_column_labels_fall_back_to_the_chinese_header_never_the_code():
    rep = IssueCollector(file="f", columns={"books": "图书(册) (X列)"})
    assert rep.label("books") == "图书(册) (X列)"
    assert rep.label("students_P") == "小学在校生数"
    assert rep.label("已是标签 (C列)") == "已是标签 (C列)" and rep.label(None) is None
