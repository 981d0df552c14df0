"""Official outputs of an assessment, per county: Excel tables, Word report, one-page HTML.

    from junheng.report.bundle import write_report, write_reports
    paths = write_report(assessment, "报告", source_name="本县学校数据.xlsx")          # one process
    paths = write_reports([basic, quality], "报告", source_name="全省.xlsx", jobs=None)  # all cores

For each county of each Assessment three files are written into ``out_dir`` (see
:func:`file_names`): ``<县区代码><县区>_<规则包>_差异系数表.xlsx`` (xlsx/),
``…_自评报告.docx`` (docx/writer.py on the template) and ``…_自评报告.html`` (html/writer.py, one
self-contained page). Charts (charts.py) are drawn once per county and used by both reports.
Every number comes from the Assessment; nothing is recomputed. When county-level checks are given
(``county_checks``: ``{county_key: CountyChecks}`` from ``core.county_verdict.evaluate_county``),
that county's reports also carry them: the Word/HTML county sections and full verdict
(narrative/county.py) and the Excel sheets 县级指标 and 经费增长 (xlsx/county.py).

All-or-nothing: everything is first written into a hidden temporary folder inside ``out_dir``
and moved into place only when every file of the call succeeded; on any error the temporary
folder is removed and ``out_dir`` keeps what it had (files of the same names are replaced only on
success).
"""
from __future__ import annotations

import dataclasses

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import as_completed
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from ..core.county_result import CountyChecks
from ..core.result import Assessment, CountyResult
from ..core.units import county_key
from ..outputs import REPORT, names_for
from .files import publish, refuse_inputs, stage_dir
from .safe_text import safe_filename, xml_safe_blocks, xml_text
from .workers import worker_pool

#: The output formats, in the order files are written (the registry's report formats).
FORMATS = names_for(REPORT)
_SUFFIX = {"xlsx": "差异系数表.xlsx", "docx": "自评报告.docx", "html": "自评报告.html"}


def file_names(a: Assessment, c: CountyResult, formats: Sequence[str] = FORMATS) -> dict[str, str]:
    """{format: file name} of one county, e.g. ``529901均衡示例县_basic-2012_自评报告.docx``."""
    who = f"{c.county_code or ''}{c.county or ''}" or c.county_key or "未注明县区"
    return {f: safe_filename(f"{who}_{a.rules.id}", f"_{_SUFFIX[f]}") for f in formats}


def _check(formats: Sequence[str], template: str | Path | None) -> tuple[str, ...]:
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"未知的输出格式：{', '.join(bad) or '（空）'}；可用：{', '.join(FORMATS)}")
    if template is not None:
        if not Path(template).is_file():
            raise FileNotFoundError(f"找不到 Word 模板文件：{template}")
        if "docx" in formats:
            from docx import Document

            from .docx.template import check_template

            try:
                doc = Document(str(template))
            except Exception as e:  # python-docx raises several kinds for a file that is not a .docx
                raise ValueError(f"无法打开 Word 模板文件：{template}（不是 .docx 格式的 Word 文档，或文件已损坏）；"
                                 "请在 Word 或 WPS 中另存为“Word 文档（*.docx）”") from None
            check_template(doc)
    return tuple(f for f in FORMATS if f in formats)


def write_county(a: Assessment, c: CountyResult, folder: str | Path, *, source_name: str | None,
                 template: str | Path | None = None, formats: Sequence[str] = FORMATS,
                 table: pl.DataFrame | None = None, checks: CountyChecks | None = None,
                 signer: str | None = None, bureau: str | None = None, plan=None, fill=None, costs=None,
                 years: int = 3, partial: str | None = None) -> list[Path]:
    """Write one county's files into ``folder`` directly (not atomic: callers stage them; see
    :func:`write_report`). checks: this county's county-level checks, if any; signer: the 落款
    (signing unit; default “{county}人民政府”), also the Word file's author; bureau: the 填报单位
    of the Excel tables (default: the county's 教育局); plan: its plan/summary.PlanSummary (adds the
    填平补齐测算 section to the Word and HTML reports); fill: the county's 补足资源测算 (plan/fill.Fill;
    default: measured from ``table`` with ``costs``, plan/costs.CostTable, default the national unit
    costs, recurring ones over ``years``). With a Word or HTML report, a
    ``…_说明.txt`` beside it holds what the user must know or fill in (never the document itself).
    partial: for data that are not the whole county (the workspace's snapshot leaving out schools not
    approved), the sentence saying so: the titles get :data:`PARTIAL_MARK`, the sentence opens 基本情况
    and the 说明 file, and the Excel workbook gets a first sheet 注意 and the mark in every sheet's
    printed header.
    Returns the paths in FORMATS order, then the 说明 file."""
    from .narrative.common import YEAR_FIELD, county_name, default_signer, statistics_year
    from .narrative.report import report_blocks, report_title, user_notes

    names = file_names(a, c, formats)
    given = a
    year, _ = statistics_year(a, checks)
    if year != a.year:  # one statistics year for every document (the 说明 file says where it came from)
        a = dataclasses.replace(a, year=year)
    folder = Path(folder)
    out = []
    if fill is None and table is not None:
        from .narrative.shortfalls import county_fill

        fill = county_fill(table, a, c, costs, years)
    if "xlsx" in names:
        from .xlsx import write_official_xlsx

        out.append(write_official_xlsx(a, c, folder / names["xlsx"], source=source_name, checks=checks, bureau=bureau,
                                       fill=fill, partial=(PARTIAL_MARK, partial) if partial else None))
    if "docx" in names or "html" in names:
        from .charts import county_charts

        pngs = {ch.key: (ch.png(), ch.caption) for ch in county_charts(a, c)}
        blocks = report_blocks(a, c, pngs, table=table, source_name=source_name, checks=checks, plan=plan, fill=fill)
        if partial:
            blocks = _with_partial(blocks, partial)
        blocks = xml_safe_blocks(blocks)
        title = xml_text(report_title(a, c) + (PARTIAL_MARK if partial else ""))
        if "docx" in names:
            from .docx.writer import write_docx

            values = {"{{标题}}": title, "{{县区}}": xml_text(county_name(c)), "{{规则}}": a.rules.name,
                      "{{年度}}": str(a.year) if a.year else YEAR_FIELD,  # the year the text says (statistics_year)
                      "{{落款}}": xml_text(signer or default_signer(c))}
            out.append(write_docx(blocks, folder / names["docx"], template=template, values=values))
        if "html" in names:
            from .docx.template import cn_date
            from .html.writer import write_html

            out.append(write_html(blocks, folder / names["html"], title=title, signer=xml_text(signer or default_signer(c)),
                                  date=cn_date(dt.date.today())))
        notes = ([partial] if partial else []) + user_notes(given, c, blocks, source_name=source_name, checks=checks)
        if plan is not None:
            from .narrative.plan import plan_note

            notes.append(plan_note(plan))
        name = names.get("docx") or names["html"]
        readme = folder / (name.rsplit("_", 1)[0] + "_说明.txt")
        readme.write_text(f"{title}（{a.rules.name}）\n\n" + "\n".join(notes) + "\n", encoding="utf-8")
        out.append(readme)
    return out


#: Appended to the title of a report whose data are not the whole county (``partial``).
PARTIAL_MARK = "（非正式：数据不完整）"


def _with_partial(blocks: list, sentence: str) -> list:
    """``blocks`` with ``sentence`` as the first paragraph of 基本情况 (at the start without that heading)."""
    from .narrative.blocks import Heading, Para

    at = next((i + 1 for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1
               and b.text.endswith("基本情况")), 0)
    return [*blocks[:at], Para(sentence), *blocks[at:]]


@contextmanager
def _staged(out_dir: str | Path) -> Iterator[Path]:
    """A staging folder inside out_dir (files.stage_dir); its files are moved into out_dir when
    the block ends without error (files.publish), and the folder is removed either way."""
    tmp = stage_dir(out_dir)
    try:
        yield tmp
        publish(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _counties(a: Assessment) -> Iterator[CountyResult]:
    yield from a.counties


def _check_county_checks(assessments: Sequence[Assessment],
                         county_checks: dict[str, CountyChecks] | None) -> dict[str, CountyChecks]:
    """The county checks, validated against the assessments before anything is written: each key
    must be its value's county_key and a county of an assessment of the same rule pack."""
    if not county_checks:
        return {}
    known = {(a.rules.id, c.county_key) for a in assessments for c in a.counties}
    for key, ch in county_checks.items():
        if not isinstance(ch, CountyChecks):
            raise TypeError(f"county_checks[{key!r}] is not a CountyChecks")
        if ch.county_key != key:
            raise ValueError(f"县级核查结果的键“{key}”与其县区“{ch.county_key}”不一致")
        if (ch.rules, key) not in known:
            raise ValueError(f"县级核查结果（{ch.county or key}，规则包 {ch.rules}）在评估结果中找不到对应的县区和规则包")
    return dict(county_checks)


def _checks_for(checks: dict[str, CountyChecks], a: Assessment, c: CountyResult) -> CountyChecks | None:
    ch = checks.get(c.county_key)
    return ch if ch is not None and ch.rules == a.rules.id else None


def write_report(assessment: Assessment, out_dir: str | Path, *, source_name: str | None,
                 template: str | Path | None = None, formats: Sequence[str] = FORMATS,
                 table: pl.DataFrame | None = None,
                 county_checks: dict[str, CountyChecks] | None = None, signer: str | None = None,
                 inputs: Sequence[str | Path] = (), bureau: str | None = None) -> list[Path]:
    """Write the official outputs of every county of one Assessment into ``out_dir``, in this
    process (all-or-nothing, module doc). bureau: the 填报单位 of the Excel tables.

    source_name: the input file's name (shown in the outputs); template: a .docx to start the
    Word report from (default: the bundled official-style template); formats: any of ``xlsx``,
    ``docx``, ``html``; table: the canonical school table (optional; adds class counts to
    基本情况); county_checks: ``{county_key: CountyChecks}`` of the same rule pack (optional; adds
    the county-level sections and sheets to those counties' outputs); inputs: the files read for
    this report (school table, county workbook; the template is added here): a report file
    that would replace one of them is refused before anything is written. Returns the final
    paths, per county in FORMATS order.
    Raises ValueError (unknown format, a template that is not a .docx or has no ``{{报告正文}}``
    marker or an unknown placeholder (docx/template.py), county checks of a county or
    rule pack not in the assessment; files.OutputIsInputError), FileNotFoundError (no template
    file), OSError (cannot write), fonts.FontMissingError (no CJK chart font); messages in Chinese.
    """
    formats = _check(formats, template)
    checks = _check_county_checks([assessment], county_checks)
    _refuse_inputs([assessment], out_dir, formats, [*inputs, template])
    with _staged(out_dir) as tmp:
        written = [p for c in _counties(assessment)
                   for p in write_county(assessment, c, tmp, source_name=source_name, template=template,
                                         formats=formats, table=table, checks=_checks_for(checks, assessment, c),
                                         signer=signer, bureau=bureau)]
    return [Path(out_dir) / p.name for p in written]


def _refuse_inputs(assessments: Sequence[Assessment], out_dir: str | Path, formats: Sequence[str],
                   inputs: Sequence[str | Path | None]) -> None:
    """files.refuse_inputs over every file the call would write."""
    refuse_inputs([Path(out_dir) / n for a in assessments for c in a.counties
                   for n in file_names(a, c, formats).values()], inputs)


def split_by_county(a: Assessment) -> list[Assessment]:
    """One Assessment per county (same rules and year; its own units and excluded rows), small
    enough to send to a worker process."""
    units = a.units.partition_by("county_key", as_dict=True, maintain_order=True)
    excluded = a.excluded.partition_by("county_key", as_dict=True, maintain_order=True)
    return [Assessment(a.rules, [c], units.get((c.county_key,), a.units.clear()),
                       excluded.get((c.county_key,), a.excluded.clear()), a.year, list(a.notes))
            for c in a.counties]


def _table_of(table: pl.DataFrame | None, c: CountyResult) -> pl.DataFrame | None:
    if table is None or "county_code" not in table.columns:
        return table
    return table.filter(county_key(table.columns) == c.county_key)


def _job(args: tuple) -> list[str]:
    a, folder, source_name, template, formats, table, checks, signer, bureau, plan, costs, years, partial = args
    return [str(p) for p in write_county(a, a.counties[0], folder, source_name=source_name, template=template,
                                         formats=formats, table=table, checks=checks, signer=signer, bureau=bureau,
                                         plan=plan, costs=costs, years=years, partial=partial)]


def write_reports(assessments: Assessment | Iterable[Assessment], out_dir: str | Path, *, source_name: str | None,
                  template: str | Path | None = None, formats: Sequence[str] = FORMATS,
                  table: pl.DataFrame | None = None, jobs: int | None = None,
                  county_checks: dict[str, CountyChecks] | None = None, signer: str | None = None,
                  inputs: Sequence[str | Path] = (), bureau: str | None = None,
                  progress: Callable[[int, int], None] | None = None, plans: dict | None = None, costs=None,
                  years: int = 3, partial: str | None = None) -> list[Path]:
    """Write the official outputs of many counties (and/or several rule packs) using all cores.

    assessments: one Assessment (any number of counties) or several (e.g. basic-2012 and
    quality-2017 of the same table); every (Assessment, county) pair becomes one task.
    jobs: worker processes (default ``os.cpu_count()``); 1 writes in this process. Workers are
    started with the ``spawn`` method (polars' thread pool does not survive ``fork``) and get
    per-county Assessments (:func:`split_by_county`) and, if given, the county's rows of
    ``table`` and its CountyChecks (plain frozen dataclasses, pickled to the worker).
    county_checks: as in :func:`write_report`; a county's checks are used with the assessment of
    their rule pack; inputs, bureau: as in :func:`write_report`. Workers die with this process
    (workers.worker_pool), so a killed run leaves no worker behind. All-or-nothing over the
    whole call. Returns the final paths, in task order. progress: called as ``progress(done,
    total)`` each time a county's files are written (in the order they finish; the CLI's bar).
    plans: ``{county_key: plan/summary.PlanSummary}`` (``--plan``), used with every rule pack's report.
    costs, years: the unit costs (plan/costs.CostTable; default national) and years of recurring
    costs of the 补足资源测算 (``--costs``, ``--years``; :func:`write_county`).
    partial: the sentence of data that are not the whole county (see :func:`write_county`).
    Raises as :func:`write_report`; a worker's exception is re-raised here.
    """
    formats = _check(formats, template)
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    checks = _check_county_checks(items, county_checks)
    _refuse_inputs(items, out_dir, formats, [*inputs, template])
    tasks = [(sub, source_name, template, formats, _table_of(table, sub.counties[0]),
              _checks_for(checks, sub, sub.counties[0]), signer, bureau, (plans or {}).get(sub.counties[0].county_key),
              costs, years, partial)
             for a in items for sub in split_by_county(a)]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    with _staged(out_dir) as tmp:
        args = [(t[0], str(tmp), *t[1:]) for t in tasks]
        tick = progress or (lambda done, total: None)
        if workers == 1:
            written = []
            for k, arg in enumerate(args, start=1):
                written += _job(arg)
                tick(k, len(args))
        else:
            with worker_pool(workers) as pool:
                futures = [pool.submit(_job, arg) for arg in args]
                for k, fut in enumerate(as_completed(futures), start=1):
                    fut.result()                    # a worker's exception, as soon as it happens
                    tick(k, len(args))
                written = [p for fut in futures for p in fut.result()]
    return [Path(out_dir) / Path(p).name for p in written]
