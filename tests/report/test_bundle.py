"""write_report / write_reports: file names, all-or-nothing writes, several processes."""
from __future__ import annotations

import pytest

from junheng.core import assess
from junheng.report.bundle import FORMATS, file_names, split_by_county, write_report, write_reports
from junheng.rules import load_rules
from junheng.sample import generate


def test_sample_county_files(report_files, assessment):
    assert set(report_files) == set(FORMATS) | {"txt"}  # the 说明 file beside the documents
    names = file_names(assessment, assessment.counties[0])
    assert {p.name for p in report_files.values()} == set(names.values()) | {
        f"529901均衡示例县_{assessment.rules.id}_说明.txt"}
    assert names["docx"] == f"529901均衡示例县_{assessment.rules.id}_自评报告.docx"
    assert not [p for p in report_files["xlsx"].parent.iterdir() if p.name.startswith(".")]


def test_failure_leaves_nothing(assessment, tmp_path, monkeypatch):
    import junheng.report.html.writer as html_report

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(html_report, "write_html", boom)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    with pytest.raises(OSError, match="disk full"):
        write_report(assessment, out, source_name=None)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no xlsx/docx written before it, no temp folder


def test_name_taken_by_a_folder_moves_nothing(assessment, tmp_path):
    out = tmp_path / "out"
    (out / file_names(assessment, assessment.counties[0])["html"]).mkdir(parents=True)
    with pytest.raises(IsADirectoryError):
        write_report(assessment, out, source_name=None)
    assert [p.name for p in out.iterdir()] == [file_names(assessment, assessment.counties[0])["html"]]


def test_bad_arguments(assessment, tmp_path):
    with pytest.raises(ValueError, match="未知的输出格式"):
        write_report(assessment, tmp_path, source_name=None, formats=("pdf",))
    with pytest.raises(FileNotFoundError, match="模板"):
        write_report(assessment, tmp_path, source_name=None, template=tmp_path / "none.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a docx")
    with pytest.raises(ValueError, match="无法打开 Word 模板"):
        write_report(assessment, tmp_path / "out", source_name=None, template=bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx"]


def test_batch_in_two_processes_equals_one(tmp_path):
    # Excel only: the worker pipeline is the same for every format, and the Word/HTML charts take
    # most of a report's time (test_county_report covers Word written in worker processes).
    from openpyxl import load_workbook

    table = generate(schools=240, counties=3, seed=11)
    a = assess(table, load_rules("quality-2017"))
    assert len(split_by_county(a)) == 3
    ticks: dict[int, list] = {1: [], 2: []}
    one = write_reports(a, tmp_path / "one", source_name="t.xlsx", formats=("xlsx",), jobs=1, table=table,
                        progress=lambda *t: ticks[1].append(t))
    two = write_reports(a, tmp_path / "two", source_name="t.xlsx", formats=("xlsx",), jobs=2, table=table,
                        progress=lambda *t: ticks[2].append(t))
    assert [p.name for p in one] == [p.name for p in two] and len(one) == 3
    assert ticks[1] == ticks[2] == [(1, 3), (2, 3), (3, 3)]      # one tick per county (the CLI's progress bar)
    for p, q in zip(one, two):
        wp, wq = load_workbook(p), load_workbook(q)
        assert wp.sheetnames == wq.sheetnames
        for name in wp.sheetnames:
            assert list(wp[name].iter_rows(values_only=True)) == list(wq[name].iter_rows(values_only=True)), name
