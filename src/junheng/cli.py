"""Command line (typer + rich): a thin shell over junheng.io, junheng.core and junheng.report.

Contract: docs/json-contract.md. Exit status 0 when the assessment ran (pass or fail), 1 when the
input is invalid (messages on stderr, in Chinese), 2 for a usage error (bad option, unknown rule
pack or province).
"""
from __future__ import annotations

import os
import re
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .cli_help import ZhTyper, click_exceptions, render_help, usage_message
from .errors import InputError, Issue, JunhengError, RulesError, WorkerLost
from .outputs import (ASSESS, EQUITY, MONITOR, PAIR, PLAN, REPORT, WHATIF, AnalysisOutput, AssessOutput, EquityOutput,
                      MonitorOutput, OutputError, PlanOutput, formats_for, infer_format, names_for, parse_formats)
from .report.safe_text import SafeConsole
from .report.safe_text import console_text as _c
from .rules.catalog import available_provinces, pack_names

app = ZhTyper(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="均衡（junheng）：县域义务教育均衡发展督导评估。读取学校基础数据表，计算差异系数与单校达标情况。",
)
#: The screen tables (markup off: names in them are never rich markup) and the messages (markup on:
#: data in a message string goes through _c).
out = SafeConsole(highlight=False)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True, markup=True)

#: How many warnings are printed on screen (all go into the JSON document).
MAX_WARNINGS_SHOWN = 20


#: The rule packs offered are the TOML files found (rules/catalog.py): a new pack is a file.
PACK_NAMES = pack_names()
Rules = Enum("Rules", {pid.replace("-", "_"): pid for pid in PACK_NAMES}, type=str)
#: The assess formats are those of the output registry (outputs.py).
Format = Enum("Format", {n: n for n in names_for(ASSESS)}, type=str)
EquityFormat = Enum("EquityFormat", {n: n for n in names_for(EQUITY)}, type=str)
PlanFormat = Enum("PlanFormat", {n: n for n in names_for(PLAN)}, type=str)
WhatIfFormat = Enum("WhatIfFormat", {n: n for n in names_for(WHATIF)}, type=str)
PairFormat = Enum("PairFormat", {n: n for n in names_for(PAIR)}, type=str)
MonitorFormat = Enum("MonitorFormat", {n: n for n in names_for(MONITOR)}, type=str)
Objective = Enum("Objective", {"min_cost": "min-cost", "max_pass": "max-pass", "min_worst": "min-worst", "curve": "curve",
                               "rotation": "rotation"}, type=str)


def _load_rules(rules: str, province: str | None):
    from .rules import load_rules

    try:
        return load_rules(rules, province)
    except RulesError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None


def _report_input_error(e: InputError) -> None:
    for issue in e.issues[:200]:
        err.print(str(issue), style="red" if issue.level == "error" else "yellow", markup=False)
    err.print(f"[bold red]{_c(e)}[/bold red]")


def _checked(path: Path, sheet: str | None, packs):
    """The school table and its warnings (Issues); InputError when it is invalid or lacks a column
    a rule pack needs."""
    from .core.requirements import missing_fields
    from .io import read_school_table

    with err.status(f"正在读取 {_c(path.name)} …"):
        res = read_school_table(path, sheet=sheet)
    issues = []
    # the importer's generic "missing indicator column" warning is replaced by the rule-aware check below
    kept = [w for w in res.warnings if w.code != "optional_column_missing"]
    unknown = [w.message for w in kept if w.code == "unknown_columns"]
    for p in packs:
        missing = missing_fields(res.present, res.table, p)
        if missing:
            names = "、".join(f.header for f in missing)
            hint = f"（{unknown[0].rstrip('。')}，是否拼写有误？）" if unknown else ""
            issues.append(Issue("error", f"规则包 {p.id}（{p.name}）计算需要以下列，文件中没有：{names}。请补充后再评估。{hint}",
                                file=res.file, sheet=res.sheet, code="missing_indicator_column"))
    if issues:
        raise InputError(issues + kept)
    return res, kept


def _show_warnings(kept) -> list[str]:
    """Print the first warnings on stderr; returns all as text (the JSON list: no “[警告]” tag)."""
    warnings = [w.text() for w in kept]
    for w in kept[:MAX_WARNINGS_SHOWN]:
        err.print(str(w), style="yellow", markup=False)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        err.print(f"……另有 {len(warnings) - MAX_WARNINGS_SHOWN} 条警告（完整列表见 --format json 输出的 warnings）", style="yellow")
    return warnings


def _read(path: Path, sheet: str | None, packs):
    """Read and validate the school table; refuse it when a rule pack needs a column it lacks."""
    try:
        res, kept = _checked(path, sheet, packs)
    except InputError as e:
        _report_input_error(e)
        raise typer.Exit(1) from None
    return res, _show_warnings(kept)


def _output_format(fmt, output: Path | None, command: str, inputs: tuple[Path, ...] = ()):
    """The registry format for --format / -o (outputs.infer_format); exit 2 before any work when
    the output does not suit it or would write over one of ``inputs`` (the files read)."""
    from .report.files import OutputIsInputError, refuse_inputs

    try:
        refuse_inputs([output] if output is not None else [], inputs)  # first: say the worst
        return infer_format(fmt.value if fmt is not None else None, output, command)
    except (OutputError, OutputIsInputError) as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None
    except OSError as e:  # the output path cannot even be looked at (name too long, …)
        err.print(f"[red]错误：无法写入输出文件：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None


def _emit(assessments, f, output: Path | None, source: Path, warnings: list[str], checks,
          bureau: str | None = None, table=None) -> None:
    """Write the results in format ``f`` (from :func:`_output_format`); checks: per assessment a
    ``{county_key: CountyChecks}`` dict (or None); bureau: the 填报单位 of the Excel workbook;
    table: the canonical school table (the workbook's 补足资源测算)."""
    job = AssessOutput(assessments, checks, output, source, warnings, out,
                       notice=lambda m: err.print(m, style="yellow", markup=False), bureau=bureau, table=table)
    for p in f.write(ASSESS, job):
        err.print(f"已写入 {_c(p)}")


def _read_county_data(path: Path):
    """Read the county workbook (经费、班级、指标、定性、满意度); exit 1 on invalid input."""
    from .io.county_workbook import read_county_workbook

    try:
        with err.status(f"正在读取县级数据 {_c(path.name)} …"):
            res = read_county_workbook(path)
    except InputError as e:
        _report_input_error(e)
        raise typer.Exit(1) from None
    for w in res.warnings[:MAX_WARNINGS_SHOWN]:
        err.print(str(w), style="yellow", markup=False)
    return res


def _county_checks(results, res, county_data):
    """Per assessment, the county checks of the county the workbook describes."""
    from .core.county_verdict import evaluate_county

    if county_data is None:
        return [None] * len(results)
    out = []
    for a in results:
        try:
            ch = evaluate_county(a, county_data.data, a.rules, table=res.table)
        except ValueError as e:
            err.print(f"[red]错误：县级数据无法对应到学校表中的县区：{_c(e)}[/red]")
            raise typer.Exit(1) from None
        out.append({ch.county_key: ch})
    return out


def _evaluate(file: Path, packs, year, sheet, county_data: Path | None):
    """Read the school table (and county workbook), assess under each pack, run the county checks.

    Returns (assessments, per-assessment county checks or None, warnings as text, the load result)."""
    from .core import assess

    res, warnings = _read(file, sheet, packs)
    cdata = _read_county_data(county_data) if county_data is not None else None
    if cdata is not None:
        warnings = warnings + [w.text() for w in cdata.warnings]
    with err.status("正在计算差异系数 …"):
        results = [assess(res.table, p, year=year) for p in packs]
        checks = _county_checks(results, res, cdata)
    return results, checks, warnings, res


def _run(file: Path, rules: list[str], province, year, fmt, output, sheet, county_data: Path | None = None,
         bureau: str | None = None) -> None:
    f = _output_format(fmt, output, ASSESS, (file, *((county_data,) if county_data is not None else ())))
    packs = [_load_rules(r, province) for r in rules]
    results, checks, warnings, res = _evaluate(file, packs, year, sheet, county_data)
    try:
        _emit(results, f, output, file, warnings, checks, bureau, res.table)
    except OSError as e:
        err.print(f"[red]错误：无法写入输出文件：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None


def _os_reason(e: OSError, target: Path | None = None) -> str:
    """A Chinese reason for a failed write; names ``target`` (not the hidden temporary file)."""
    import errno

    where = str(target) if target is not None else (e.filename or "")
    reasons = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EISDIR: "这是一个文件夹",
               errno.ENOTDIR: "路径中有一部分不是文件夹", errno.ENOSPC: "磁盘空间不足", errno.EROFS: "只读文件系统",
               errno.EEXIST: "路径中有一部分是已存在的文件", errno.ENOENT: "路径不存在或无法创建",
               errno.EFBIG: "文件超过系统允许的大小", errno.EDQUOT: "超出磁盘配额", errno.EIO: "磁盘读写错误",
               errno.ENAMETOOLONG: "文件名过长"}
    reason = reasons.get(e.errno)
    if reason is None:  # junheng's own OSErrors carry a Chinese text; the system's may be English
        own = e.strerror if e.errno is not None else str(e)
        reason = own if own and re.search(r"[\u4e00-\u9fff]", own) else \
            (f"系统错误，错误号 {e.errno}" if e.errno else "系统无法写入该文件")
    return f"{where}（{reason}）" if where else reason


def signer_opt(default: str) -> Any:
    """The --signer option (the 落款 / 署名 of a Word or HTML report) of a command whose default
    signer is ``default`` (“县区名称+人民政府”: it differs between commands)."""
    return Annotated[Optional[str], typer.Option("--signer", help=f"落款单位（默认“{default}”），也作为 Word 文件的作者")]


def rules_opt(default: str) -> Any:
    """The --rules option of a command whose default pack is ``default``: the help starts with the
    default (it differs between commands), codes set apart by spaces so a narrow help never
    splits one."""
    return Annotated[Rules, typer.Option(
        "--rules", "-r", show_default=False,
        help=f"规则包。本命令默认 {default} {PACK_NAMES[default]}； 另可选 "
             + "、 ".join(f"{k} {v}" for k, v in PACK_NAMES.items() if k != default))]

ProvinceOpt = Annotated[Optional[str], typer.Option(
    "--province", "-p", help=f"省级覆盖文件代码（内置：{'、'.join(available_provinces()) or '无'}），或 .toml 文件路径")]
YearOpt = Annotated[Optional[int], typer.Option("--year", "-y", min=1990, max=2100, help="统计年度（显示在结果中）")]
FormatOpt = Annotated[Optional[Format], typer.Option(
    "--format", "-f", help="输出格式：" + "、".join(f"{f.name}（{f.label}）" for f in formats_for(ASSESS)) + "；默认按 -o 的扩展名，否则为屏幕表格")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件（json 默认输出到屏幕）")]
FileArg = Annotated[Path, typer.Argument(help="学校基础数据表：.xlsx、.xls 或 .csv", show_default=False)]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help="工作表名称（默认自动查找）")]
BureauOpt = Annotated[Optional[str], typer.Option("--bureau", help="Excel 表中的填报单位（默认：县区名称加“教育局”）")]
def _format_opt(enum, command: str):
    """The ``--format`` / ``-f`` option of a command offering the registry formats ``enum``."""
    return Annotated[Optional[enum], typer.Option(
        "--format", "-f", help="输出格式：" + "、".join(f"{f.name}（{f.label}）" for f in formats_for(command))
        + "；默认按 -o 的扩展名，否则为屏幕表格")]


EquityFormatOpt = _format_opt(EquityFormat, EQUITY)
PlanFormatOpt = _format_opt(PlanFormat, PLAN)
WhatIfFormatOpt = _format_opt(WhatIfFormat, WHATIF)
PairFormatOpt = _format_opt(PairFormat, PAIR)
CostsOpt = Annotated[Optional[Path], typer.Option("--costs", help="单价文件（.toml），覆盖默认单价与省级单价")]
LimitsOpt = Annotated[Optional[Path], typer.Option("--limits", help="限额文件（.toml）：各校可建面积、项目上限、撤并学校")]
YearsOpt = Annotated[int, typer.Option("--years", min=1, max=30, help="经常性支出（工资、津贴）计算的年数")]


def _plan_tables(costs: Path | None, limits: Path | None, province: str | None, table):
    """(CostTable, Limits) of --costs / --limits (plan/costs.py); a bad file: its Chinese issues
    (file, line, key) and exit 1, before anything is written."""
    from .plan.costs import load_costs, load_limits

    try:
        return load_costs(province, costs), load_limits(limits, table["school_id"].to_list())
    except InputError as e:
        _report_input_error(e)
        raise typer.Exit(1) from None


CountyDataOpt = Annotated[Optional[Path], typer.Option("--county-data", "-c", help="县级数据表（经费、班级、指标、定性、满意度），用于县级指标核查和完整结论")]


@app.command()
def assess(
    file: FileArg,
    rules: rules_opt("basic-2012") = Rules("basic-2012"),
    province: ProvinceOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    county_data: CountyDataOpt = None,
    bureau: BureauOpt = None,
) -> None:
    """评估一个学校数据表（每县一份结果）；给出 --county-data 时同时核查县级指标。"""
    _run(file, [rules.value], province, year, fmt, output, sheet, county_data, bureau)


@app.command()
def demo(
    rules: Annotated[Optional[Rules], typer.Option("--rules", "-r", help="只用一个规则包（默认两个都算）")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    full: Annotated[bool, typer.Option("--full", help="同时用示例县的县级数据表核查县级指标（经费、班额、校额等）")] = False,
) -> None:
    """用内置示例县（均衡示例县）演示评估：基本均衡与优质均衡。"""
    from .sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX

    err.print(f"示例数据：{_c(SAMPLE_XLSX)}" + (f"；县级数据：{_c(SAMPLE_COUNTY_DATA)}" if full else ""), style="dim")
    packs = [rules.value] if rules else [r.value for r in Rules]
    _run(Path(SAMPLE_XLSX), packs, None, None, fmt, output, None, Path(SAMPLE_COUNTY_DATA) if full else None)


@app.command()
def report(
    file: FileArg,
    rules: rules_opt("basic-2012") = Rules("basic-2012"),
    province: ProvinceOpt = None,
    year: YearOpt = None,
    template: Annotated[Optional[Path], typer.Option("--template", "-t", help="Word 模板（.docx）；默认使用内置的公文格式模板")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹（不存在时自动创建）")] = Path("评估报告"),
    formats: Annotated[str, typer.Option("--formats", help="输出格式，逗号分隔：" + "、".join(f"{f.name}（{f.label}）" for f in formats_for(REPORT)))] = ",".join(names_for(REPORT)),
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="并行进程数（默认等于 CPU 核数；多县时有效）")] = None,
    sheet: SheetOpt = None,
    county_data: CountyDataOpt = None,
    signer: signer_opt("县区名称+人民政府") = None,
    bureau: BureauOpt = None,
    with_plan: Annotated[bool, typer.Option("--plan", help="在自评报告中加入填平补齐测算（全部达标的最少投入、实施效果和投入—达标曲线）")] = False,
    costs: CostsOpt = None,
    limits: Annotated[Optional[Path], typer.Option("--limits", help="限额文件（.toml，需与 --plan 同用）：各校可建面积、项目上限、撤并学校")] = None,
    years: YearsOpt = 3,
) -> None:
    """生成正式材料（每县一套）：校际差异系数表（Excel）、自评报告（Word）和网页版报告（HTML）；给出 --county-data 时含县级指标。"""
    from .report.bundle import write_reports
    from .report.fonts import FontMissingError

    if template is not None and not template.is_file():
        err.print(f"[red]错误：找不到 Word 模板：{_c(template)}[/red]")
        raise typer.Exit(2)
    try:
        fmts = tuple(f.name for f in parse_formats(formats, REPORT))
    except OutputError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None
    if limits is not None and not with_plan:
        err.print("[red]错误：--limits 只用于填平补齐测算，请同时给出 --plan[/red]")
        raise typer.Exit(2)
    pack = _load_rules(rules.value, province)
    (result,), (checks,), _, res = _evaluate(file, [pack], year, sheet, county_data)
    cost_table, limit_table = _plan_tables(costs, limits, province, res.table)
    plans = None
    try:
        if with_plan:
            from .plan.parallel import plan_parallel
            from .plan.summary import summaries

            with err.status("正在测算填平补齐方案 …"):
                plans = summaries(plan_parallel(res.table, pack, cost_table, limit_table, jobs=jobs,
                                                objective="curve", points=10, years=years))
        with _progress("正在生成报告（县区）", len(result.counties)) as tick:
            paths = write_reports(result, output, source_name=file.name, template=template, formats=fmts,
                                  table=res.table, jobs=jobs, county_checks=checks, signer=signer,
                                  inputs=[file, *(p for p in (county_data, costs, limits) if p)], bureau=bureau,
                                  progress=tick, plans=plans, costs=cost_table, years=years)
    except (ValueError, FontMissingError) as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None
    except OSError as e:
        err.print(f"[red]错误：无法写入输出文件夹：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None
    for p in paths:
        err.print(f"已写入 {_c(p)}")
    _print_fill_fields(paths)


@contextmanager
def _progress(what: str, total: int):
    """A rich progress bar on stderr (done / total, elapsed time); yields ``tick(done, total)``.
    Shown only on a terminal and gone when done (the 已写入 lines follow)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, n: bar.update(task, completed=done, total=n)


def _print_fill_fields(paths: list[Path]) -> None:
    """After a report run: the 【请填写：…】 fields of each county's documents, from its 说明 file."""
    for p in paths:
        if not p.name.endswith("_说明.txt"):
            continue
        lines = [line.strip() for line in p.read_text(encoding="utf-8").splitlines()]
        fields = [line for line in lines if line[:1].isdigit() and "【请填写：" in line]
        for note in (line for line in lines if line.startswith("统计年度未指定")):
            err.print(f"\n{note}", markup=False, highlight=False)
        if fields:
            err.print(f"\n{_c(p.name.removesuffix('_说明.txt'))}：Word 和网页报告中有 {len(fields)} 处需要手工填写（黄色突出显示），"
                      f"清单见 {_c(p.name)}：")
            for f in fields:
                err.print(f"  {f}", markup=False, highlight=False)


@app.command()
def equity(
    file: FileArg,
    rules: rules_opt("basic-2012") = Rules("basic-2012"),
    province: ProvinceOpt = None,
    fmt: EquityFormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    quadrant: Annotated[bool, typer.Option("--quadrant", help="屏幕表格只列各省所辖县（区）的水平与均衡象限（含分指标象限）")] = False,
    charts: Annotated[Optional[Path], typer.Option("--charts", help="把每个度量的图和象限图（PNG）写入此文件夹")] = None,
) -> None:
    """差异系数以外的均衡度量（按在校生加权）：基尼系数、泰尔指数（按乡镇、城乡分解）、McLoone、Verstegen、极差率；同省多县时给出水平与均衡象限。"""
    from .analysis.equity import assess_equity

    f = _output_format(fmt, output, EQUITY, (file,))
    pack = _load_rules(rules.value, province)
    (result,), _, _, _ = _evaluate(file, [pack], None, sheet, None)
    with err.status("正在计算均衡度量 …"):
        r = assess_equity(result)
    # All or nothing: the charts are drawn into a staging folder inside --charts first, so a
    # folder that cannot be created or written stops the command before the output is written.
    stage = None
    if charts is not None:
        import shutil

        from .report.equity_charts import equity_charts, write_charts
        from .report.files import publish, stage_dir

        try:
            with err.status("正在绘图 …"):
                stage = stage_dir(charts)
                write_charts(equity_charts(result, r), stage)
        except OSError as e:
            if stage is not None:
                shutil.rmtree(stage, ignore_errors=True)
            err.print(f"[red]错误：无法写入图表：{_c(_os_reason(e, charts))}[/red]")
            raise typer.Exit(2) from None
    try:
        _write(f, EQUITY, EquityOutput(result, r, output, file, out, quadrant_only=quadrant), output)
        if stage is not None:
            try:
                written = publish(stage, charts)
            except OSError as e:
                err.print(f"[red]错误：无法写入图表：{_c(_os_reason(e, charts))}[/red]")
                raise typer.Exit(2) from None
            err.print(f"已写入 {len(written)} 张图：{_c(charts)}")
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _write(f, command: str, job, output: Path | None) -> None:
    """Write ``job`` in format ``f`` (outputs.py) and name the files written; exit 2 when it
    cannot be written (nothing half-written: the writers are atomic)."""
    try:
        written = f.write(command, job)
    except OSError as e:
        err.print(f"[red]错误：无法写入输出文件：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None
    for p in written:
        err.print(f"已写入 {_c(p)}")


@app.command()
def plan(
    file: FileArg,
    rules: rules_opt("quality-2017") = Rules("quality-2017"),
    province: ProvinceOpt = None,
    objective: Annotated[Objective, typer.Option("--objective", help="目标：min-cost（全部达标的最少投入）、max-pass（预算内达标学校最多，需 --budget）、min-worst（预算内最差差异系数与标准之比最小，需 --budget）、curve（从零投入到全部达标的投入—达标曲线）、rotation（年度交流轮岗方案，不招聘）")] = Objective("min-cost"),
    budget: Annotated[Optional[float], typer.Option("--budget", min=0, help="预算（万元，含经常性支出按 --years 年计）；max-pass、min-worst 必填；curve 时为曲线终点（默认全部达标所需投入）")] = None,
    points: Annotated[int, typer.Option("--points", help="curve：曲线上的预算点数（含零投入和终点，2–100）")] = 20,
    strict: Annotated[bool, typer.Option("--strict", help="优质均衡：每所学校 7 项指标全部达标（默认 6 项达标、其余不低于 85%）")] = False,
    costs: CostsOpt = None,
    limits: LimitsOpt = None,
    years: YearsOpt = 3,
    fmt: PlanFormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="并行进程数（默认等于 CPU 核数；多县时有效）")] = None,
) -> None:
    """填平补齐测算：每所学校建什么、买什么、招聘或培养哪些教师、花多少钱才能达标（最优化求解，并用评估引擎复核）。"""
    from .plan.parallel import plan_parallel as make_plan

    inputs = tuple(p for p in (file, costs, limits) if p is not None)
    f = _output_format(fmt, output, PLAN, inputs)
    pack = _load_rules(rules.value, province)
    if objective.value == "max-pass" and (budget is None or pack.unit_rule is None):
        err.print("[red]错误：--objective max-pass 需要 --budget（万元），且只适用于有单校标准的规则包（quality-2017）[/red]")
        raise typer.Exit(2)
    if objective.value == "rotation" and pack.unit_rule is None:
        err.print(f"[red]错误：规则包 {pack.id} 没有单校教师标准（骨干教师等），无法测算教师交流轮岗；"
                  "请用有单校标准的规则包（-r quality-2017）[/red]")
        raise typer.Exit(2)
    bad = _plan_usage(objective.value, budget, points)
    if bad:
        err.print(f"[red]错误：{bad}[/red]")
        raise typer.Exit(2)
    res, _ = _read(file, sheet, [pack])
    cost_table, limit_table = _plan_tables(costs, limits, province, res.table)
    with err.status("正在求解填平补齐方案 …"):
        result = make_plan(res.table, pack, cost_table, limit_table, objective=objective.value, years=years,
                           strict=strict, budget_yuan=None if budget is None else budget * 10_000, jobs=jobs,
                           **({"points": points} if objective.value == "curve" else {}))
    _write(f, PLAN, PlanOutput(result, output, file, out), output)


@app.command()
def monitor(
    files: Annotated[Optional[list[Path]], typer.Argument(
        help="各年度的学校基础数据表（.xlsx、.xls、.csv，每个文件一个年度），或存放它们的文件夹（含子文件夹）",
        metavar="文件或文件夹…", show_default=False)] = None,
    year: Annotated[Optional[list[str]], typer.Option(
        "--year", "-y", help="指定文件的统计年度：年度=文件，如 --year 2023=学校数据.xlsx（可重复；优先于表中的年度列和文件名中的年份）")] = None,
    rules: rules_opt("basic-2012") = Rules("basic-2012"),
    province: ProvinceOpt = None,
    county_data: Annotated[Optional[list[str]], typer.Option(
        "--county-data", "-c", help="县级数据表，用其班级名单逐班统计大班额：年度=文件，或只给文件（用于最后一个年度）；可重复")] = None,
    margin: Annotated[float, typer.Option("--margin", min=0, max=0.99, help="橙色预警：达标但与标准相差不到这个比例（0.1 即 10%）")] = 0.10,
    worse_years: Annotated[int, typer.Option("--worse-years", min=1, max=10, help="黄色预警：连续变差的年数")] = 2,
    big_class: Annotated[int, typer.Option("--big-class", min=1, help="大班额：每班人数不少于")] = 56,
    huge_class: Annotated[int, typer.Option("--huge-class", min=1, help="超大班额：每班人数不少于")] = 66,
    fmt: Annotated[Optional[MonitorFormat], typer.Option(
        "--format", "-f", help="输出格式：table（屏幕表格）、json（供程序读取）、xlsx（Excel 表格）、docx（Word 监测复查报告）、"
                               "html（网页版监测复查报告）；默认按 -o 的扩展名，否则为屏幕表格")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件（json 默认输出到屏幕；xlsx、docx、html 默认为“监测复查报告”加扩展名）")] = None,
    sheet: SheetOpt = None,
    signer: signer_opt("县区名称+教育局；多县时不署名") = None,
) -> None:
    """年度监测复查：多个年度的学校数据表逐年评估、按学校标识码对应学校，列出差异系数变化、退步、预警、大班额和超规模学校。"""
    from .analysis.monitor import MonitorSettings, YearError, YearInput, monitor as run_monitor, resolve_year

    given = _year_pairs(year or [], "--year")
    shown = _monitor_files([*(files or []), *given.values()], output)
    paths = list(shown)
    cdata = _year_pairs(county_data or [], "--county-data", bare=True)
    f = _output_format(fmt, output, MONITOR, (*paths, *cdata.values()))
    try:
        settings = MonitorSettings(margin=margin, worse_years=worse_years, big_class=big_class, huge_class=huge_class)
    except ValueError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None
    pack = _load_rules(rules.value, province)
    by_path = {p.resolve(): y for y, p in given.items()}
    loaded, issues, warnings = [], [], []
    for path in paths:
        try:
            res, kept = _checked(path, sheet, [pack])
        except InputError as e:
            issues += _named(e.issues, path, shown[path])
            continue
        kept = _named(kept, path, shown[path])
        try:
            y, how = resolve_year(shown[path], given=by_path.get(path.resolve()),
                                  column=res.year_column[1] if res.year_column else (),
                                  place=_year_place(res), rows=res.year_place[1] if res.year_place else ())
        except YearError as e:
            issues.append(Issue("error", str(e), code="year_unknown"))  # the message names the file
            continue
        # the importer's note that assessments ignore the year column is wrong here when it is used
        warnings += _show_warnings([w for w in kept if not (how == "column" and w.code == "year_column")])
        loaded.append((y, how, path, res))
    years = [y for y, *_ in loaded]
    for y in sorted({y for y in years if years.count(y) > 1}):
        names = "、".join(shown[p] for yy, _, p, _ in loaded if yy == y)
        issues.append(Issue("error", f"{names} 都是 {y} 年的数据；每个年度只能有一个文件（可用 --year 年度=文件 指定）。",
                            code="year_repeated"))
    if issues:
        _report_input_error(InputError(issues))
        raise typer.Exit(1)
    if len(loaded) < 2:
        err.print("[red]错误：年度监测复查至少需要两个年度的学校数据表。[/red]")
        raise typer.Exit(2)
    for y, how, path, _ in sorted(loaded, key=lambda t: t[0]):
        err.print(f"{y} 年：{_c(shown[path])}（年度取自{YEAR_SOURCES[how]}）", style="dim")
    classes = _monitor_classes(cdata, loaded)
    inputs = [YearInput(y, res.table, shown[path], classes.get(y, {})) for y, _, path, res in loaded]
    with err.status("正在逐年评估 …"):
        result = run_monitor(inputs, pack, settings)
    from .report.narrative.monitor import missing_text

    warnings += _show_warnings([Issue("warning", t, code="county_missing_year")
                                for t in (missing_text(c, result) for c in result.counties) if t])
    _write(f, MONITOR, MonitorOutput(result, output, paths, warnings, out, signer), output)


def _named(issues: list, path: Path, name: str) -> list:
    """The importer's issues about ``path`` (named by its base name) named ``name`` instead (the
    path relative to the folder given to ``monitor``)."""
    from dataclasses import replace

    return [replace(i, file=name) if i.file == path.name else i for i in issues]


def _year_place(res) -> str:
    """Where a table's year column is, for resolve_year's messages: “工作表“学校”，AS列” or “AS列”."""
    if res.year_place is None:
        return ""
    sheet = f"工作表“{res.sheet}”，" if res.sheet else ""
    return f"{sheet}{res.year_place[0]}列"


#: How the year of a file was found (analysis.monitor.resolve_year), as ``monitor`` says it.
YEAR_SOURCES = {"option": " --year", "column": "表中的年度列", "name": "文件名", "folder": "所在文件夹名"}
#: Files of a folder that ``monitor`` reads (Excel's ~$ lock files and hidden files skipped).
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def _year_pairs(items: list[str], option: str, *, bare: bool = False) -> dict:
    """``["2023=a.xlsx", …]`` → {2023: Path("a.xlsx")}; with ``bare`` a plain file maps to None
    (the last year). Exit 2 (usage) for a malformed pair or a year given twice."""
    out: dict = {}
    for item in items:
        head, sep, tail = item.partition("=")
        if sep and head.strip().isdigit() and 1990 <= int(head) <= 2100 and tail.strip():
            key, path = int(head), Path(tail.strip())
        elif bare and not sep:
            key, path = None, Path(item)
        else:
            err.print(f"[red]错误：{option} 应写成 年度=文件（如 {option} 2023=学校数据.xlsx）：{_c(item)}[/red]")
            raise typer.Exit(2)
        if key in out:
            err.print(f"[red]错误：{option} 对 {key or '最后一个年度'} 给了两个文件。[/red]")
            raise typer.Exit(2)
        out[key] = path
    return out


def _monitor_files(items: list[Path], output: Path | None = None) -> dict[Path, str]:
    """The school tables named, or found in the folders named and their sub-folders (sorted, each
    once), each with the name messages use (a folder's files by their path relative to it, as
    ``hist/2023/学校数据.xlsx``). In folders, junheng's own outputs are skipped with a note: the
    ``-o`` file, files named …监测复查…, workbooks with the monitoring's sheets. Exit 1 when a path
    does not exist or a folder holds no table."""
    out: dict[Path, str] = {}
    for p in items:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in TABLE_SUFFIXES
                           and not any(part.startswith(("~$", ".")) for part in q.relative_to(p).parts))
            tables = []
            for q in found:
                rel = q.relative_to(p).as_posix()
                if _own_output(q, output):
                    err.print(f"已跳过 {rel}：这是 junheng 生成的监测复查结果，不是学校数据表。", style="dim", markup=False)
                else:
                    tables.append((q, rel))
            if not tables:
                err.print(f"[red]错误：文件夹 {_c(p)} 中没有学校数据表（.xlsx、.xls、.csv）。[/red]")
                raise typer.Exit(1)
            for q, rel in tables:
                out.setdefault(q, rel)
        elif p.exists():
            out.setdefault(p, p.name)
        else:
            err.print(f"[red]错误：找不到文件：{_c(p)}[/red]")
            raise typer.Exit(1)
    seen: set = set()
    return {p: n for p, n in out.items() if not (p.resolve() in seen or seen.add(p.resolve()))}


def _own_output(path: Path, output: Path | None) -> bool:
    """A file junheng monitor wrote: the -o file itself, a …监测复查… name, or a workbook with the
    monitoring's sheets (report/xlsx/monitor.SHEETS)."""
    if (output is not None and path.resolve() == output.resolve()) or "监测复查" in path.stem:
        return True
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from python_calamine import CalamineWorkbook

    from .report.xlsx.monitor import SHEETS
    try:
        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:  # unreadable: the importer reports it with its place
        return False
    return {"差异系数逐年", "预警"} <= set(names) and set(names) <= set(SHEETS)


def _monitor_classes(cdata: dict, loaded: list) -> dict:
    """Per year, the county workbooks' class lists by county key (code, else name; a workbook
    naming no county belongs to the year's only county). Exit 1 on an invalid workbook or one
    whose county is not in that year's table."""
    from .core.units import KEY, prepare

    last = max(y for y, *_ in loaded)
    tables = {y: res.table for y, _, _, res in loaded}
    out: dict = {}
    for y, path in cdata.items():
        y = last if y is None else y
        if y not in tables:
            err.print(f"[red]错误：--county-data 的年度 {y} 没有对应的学校数据表。[/red]")
            raise typer.Exit(2)
        data = _read_county_data(path).data
        keys = prepare(tables[y])[KEY].unique().to_list()
        key = data.county_code if data.county_code in keys else data.county if data.county in keys else (
            keys[0] if len(keys) == 1 and not (data.county_code or data.county) else None)
        if key is None:
            err.print(f"[red]错误：{_c(path.name)} 的县区（{_c(data.county_code or data.county or '未填')}）"
                      f"不在 {y} 年的学校数据表中。[/red]")
            raise typer.Exit(1)
        if data.classes is not None:
            out.setdefault(y, {})[key] = data.classes
    return out


@app.command()
def whatif(
    file: FileArg,
    scenario: Annotated[Path, typer.Argument(help="布局调整情景文件（.toml，格式见 docs/whatif.md）", show_default=False)],
    rules: rules_opt("quality-2017") = Rules("quality-2017"),
    province: ProvinceOpt = None,
    fmt: WhatIfFormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
) -> None:
    """布局调整测算：合并学校、撤并教学点、迁移学段、新建学校后重新评估，给出调整前后的差异系数、结论、单校达标、学校规模、班额和上学距离。"""
    from .analysis.whatif import load_scenario, run_whatif

    f = _output_format(fmt, output, WHATIF, (file, scenario))
    pack = _load_rules(rules.value, province)
    res, _ = _read(file, sheet, [pack])
    try:
        sc = load_scenario(scenario, res.table)
        with err.status("正在测算布局调整 …"):
            result = run_whatif(res.table, pack, sc)
    except InputError as e:
        _report_input_error(e)
        raise typer.Exit(1) from None
    if sc.empty:
        err.print(f"警告：情景文件 {scenario} 没有任何调整（没有 [[open]]、[[merge]]、[[close_point]]、"
                  "[[move_section]]），调整前后相同。", style="yellow", markup=False)
    for w in result.warnings:
        err.print(str(w), style="yellow", markup=False)
    _write(f, WHATIF, AnalysisOutput(result, output, file, out), output)


@app.command()
def pair(
    file: FileArg,
    rules: rules_opt("quality-2017") = Rules("quality-2017"),
    province: ProvinceOpt = None,
    max_per_strong: Annotated[int, typer.Option("--max-per-strong", "-k", min=1, max=50, help="每所帮扶学校最多结对的受援学校数")] = 3,
    max_km: Annotated[Optional[float], typer.Option("--max-km", min=0, help="结对学校之间的最大直线距离（公里，需经度、纬度）")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="单校达标但有指标未达到标准的学校也作为受援学校")] = False,
    fmt: PairFormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
) -> None:
    """精准帮教结对：每个薄弱单位配一个同学段、长处覆盖其短板的优质单位（城带乡、就近），每个优质单位至多带 k 个，按指派问题求最优解。"""
    from .analysis.pair import recommend_pairs
    from .core import assess

    f = _output_format(fmt, output, PAIR, (file,))
    pack = _load_rules(rules.value, province)
    if pack.unit_rule is None:
        err.print(f"[red]错误：规则包 {pack.id} 没有单校标准，无法判断薄弱学校；请用有单校标准的规则包（quality-2017）[/red]")
        raise typer.Exit(2)
    res, _ = _read(file, sheet, [pack])
    with err.status("正在计算帮扶结对 …"):
        result = recommend_pairs(assess(res.table, pack), res.table, max_per_strong=max_per_strong, max_km=max_km,
                                 gaps=gaps)
    _write(f, PAIR, AnalysisOutput(result, output, file, out), output)


#: The largest --budget (万元): 1 万亿元, beyond any county (and past it the 元 amounts lose their
#: exact rounding).
MAX_BUDGET_WAN = 1e8


def _plan_usage(objective: str, budget: float | None, points: int) -> str | None:
    """The Chinese usage error of ``plan``'s --budget / --points for an objective, or None."""
    import math

    if budget is not None and not math.isfinite(budget):
        return f"--budget 应为有限的万元数（收到 {budget:g}）"
    if budget is not None and budget > MAX_BUDGET_WAN:
        return f"--budget 单位为万元，不能超过 {MAX_BUDGET_WAN:,.0f} 万元（1 万亿元）（收到 {budget:g}）"
    if objective == "rotation" and budget is not None:
        return "--objective rotation（教师交流轮岗）不使用 --budget：轮岗只调配教师，不花经费；请去掉 --budget"
    if objective == "min-worst" and budget is None:
        return "--objective min-worst 需要 --budget（万元）"
    if objective == "curve" and budget is not None and budget <= 0:
        return "--objective curve 的 --budget（曲线终点，万元）应大于 0"
    if not 2 <= points <= 100:
        return f"--points 应为 2 到 100 之间的整数（收到 {points}）"
    if points != 20 and objective != "curve":
        return "--points 只用于 --objective curve"
    return None


def _sample_usage_problem(output: Path, schools: int | None, counties: int, force: bool) -> str | None:
    """The Chinese usage error of ``sample``'s --schools / --counties / -o, or None.

    Bounds: counties ≤ MAX_SAMPLE_COUNTIES, schools (given, or 106 per county by default) ≤
    MAX_SAMPLE_SCHOOLS, counties ≤ schools; an existing output file only with --force.
    """
    from .sample.generate import DEFAULT_SCHOOLS_PER_COUNTY, MAX_SAMPLE_COUNTIES, MAX_SAMPLE_SCHOOLS

    if counties > MAX_SAMPLE_COUNTIES:
        return f"县区数（--counties {counties}）不能超过 {MAX_SAMPLE_COUNTIES}"
    total = schools if schools is not None else counties * DEFAULT_SCHOOLS_PER_COUNTY
    if total > MAX_SAMPLE_SCHOOLS:
        given = f"--schools {schools}" if schools is not None else f"默认每县 {DEFAULT_SCHOOLS_PER_COUNTY} 所 × {counties} 个县区"
        return f"学校总数（{given}）不能超过 {MAX_SAMPLE_SCHOOLS}"
    if schools is not None and schools < counties:
        return f"学校数（{schools}）不能少于县区数（{counties}），每个县区至少一所学校。"
    if output.is_dir():
        return f"输出路径是文件夹，不是文件：{output}"
    if output.exists() and not force:
        return f"文件已存在：{output}（如需覆盖请指定 --force）"
    return None


@app.command()
def sample(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件 .xlsx 或 .csv")],
    schools: Annotated[Optional[int], typer.Option("--schools", "-n", min=1, help="学校总数（默认：示例县的规模）")] = None,
    counties: Annotated[int, typer.Option("--counties", "-k", min=1, help="县区个数")] = 1,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="随机种子（同一种子生成同一份数据）")] = 20261129,
    coordinates: Annotated[bool, typer.Option("--coordinates", help="同时生成学校的经度、纬度（模拟位置，用于 whatif 和 pair 的距离）")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="文件已存在时覆盖")] = False,
    province: Annotated[Optional[str], typer.Option(
        "--province", help="所有县区放在同一省（两位省级代码，如 52），便于 equity 的同省象限比较；默认各县区分属不同省份")] = None,
) -> None:
    """生成可复现的模拟学校数据表（用于演示、培训和性能测试）。"""
    from .report.files import write_atomic
    from .sample import generate, write_school_table

    if output.suffix.lower() not in (".xlsx", ".csv"):
        err.print("[red]错误：输出文件须为 .xlsx 或 .csv[/red]")
        raise typer.Exit(2)
    problem = _sample_usage_problem(output, schools, counties, force)
    if problem:
        err.print(f"[red]错误：{_c(problem)}[/red]")
        raise typer.Exit(2)
    if province is not None:
        from .sample.profiles import PROVINCES

        if province not in PROVINCES:
            err.print(f"[red]错误：--province {_c(province)} 不是省级代码（两位数字，可用：{'、'.join(PROVINCES)}）[/red]")
            raise typer.Exit(2)
        if counties > 998:
            err.print(f"[red]错误：同一省至多 998 个县区（--counties {counties}）[/red]")
            raise typer.Exit(2)
    try:
        with err.status("正在生成模拟数据 …"):
            df = generate(schools, counties, seed, coordinates=coordinates, province=province)
            write_atomic(output, lambda p: write_school_table(df, p))
    except OSError as e:
        err.print(f"[red]错误：无法写入输出文件：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None
    err.print(f"已写入 {_c(output)}：{df.height} 所学校，{counties} 个县区")


template_app = ZhTyper(help="生成空白填报模板", no_args_is_help=True)
app.add_typer(template_app, name="template")


@template_app.command("county")
def template_county(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.xlsx）")] = Path("县级数据模板.xlsx"),
    force: Annotated[bool, typer.Option("--force", "-f", help="文件已存在时覆盖")] = False,
) -> None:
    """生成空白的县级数据表模板（含“说明”表、各工作表表头、指标名称和定性项目清单）。"""
    from .sample.county_writer import write_template

    try:
        path = write_template(output, overwrite=force)
    except (FileExistsError, ValueError) as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(2) from None
    except OSError as e:
        err.print(f"[red]错误：无法写入输出文件：{_c(_os_reason(e, output))}[/red]")
        raise typer.Exit(2) from None
    err.print(f"已写入 {_c(path)}")


DataOpt = Annotated[Optional[Path], typer.Option(
    "--data", help="数据文件夹（数据库、密钥、生成的文件；默认：用户数据目录下的 junheng）")]


@app.command()
def serve(
    data: DataOpt = None,
    host: Annotated[str, typer.Option("--host", help="监听地址（只在本机使用时为 127.0.0.1；局域网访问用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="载入示例县和每个角色的演示账号（并打印账号和密码）")] = False,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="不在本进程中生成报告（另行运行 python -m junheng.web run_huey）")] = False,
) -> None:
    """启动县级共享工作平台（网页）：学校填报、县级审核、冻结数据快照、评估。"""
    from .web.server import run, setup

    if host not in ("127.0.0.1", "localhost", "::1"):
        # reached by this machine's address or name on the intranet: any Host header unless the
        # administrator lists them (JUNHENG_ALLOWED_HOSTS; production settings always list them)
        os.environ.setdefault("JUNHENG_ALLOWED_HOSTS", "*" if host in ("0.0.0.0", "::") else f"{host},127.0.0.1,localhost")
    folder = setup(data)
    err.print(f"数据文件夹：{_c(folder)}")
    if demo:
        from .web.demo import load_demo

        made, password = load_demo()
        if made:
            err.print(f"已载入示例县和演示账号（密码均为 {password}）：")
            for username, role, where in made:
                err.print(f"  {username:<10} {role}（{where}）", markup=False)
        else:
            err.print("示例县已在数据库中（演示账号的密码为首次载入时打印的密码）。")
    err.print(f"在浏览器中打开 http://{host}:{port}/ ；按 Ctrl-C 停止。")
    run(host, port, worker=not no_worker)


admin_app = ZhTyper(help="县级共享工作平台的账号管理和首次导入学校数据表", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("create-user")
def admin_create_user(
    username: Annotated[str, typer.Argument(help="用户名", metavar="用户名", show_default=False)],
    role: Annotated[str, typer.Option("--role", help="角色：reporter（学校填报员）、county_reviewer（县级审核员）、"
                                                      "county_admin（县级管理员）、township_viewer（乡镇查看员）、"
                                                      "inspector（市/省级督导）、sysadmin（系统管理员）")] = "sysadmin",
    area: Annotated[Optional[str], typer.Option("--area", help="区域代码（县(区)为 6 位代码，市为前 4 位，省为前 2 位）")] = None,
    school: Annotated[Optional[str], typer.Option("--school", help="学校标识码（学校填报员）")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="姓名")] = None,
    data: DataOpt = None,
) -> None:
    """新建账号（首次使用时先建系统管理员）；密码从终端输入两次，或从环境变量 JUNHENG_PASSWORD 读取。"""
    from .web.server import setup

    setup(data)
    from .web.accounts import AccountError, create_user

    password = os.environ.get("JUNHENG_PASSWORD")
    if not password:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        create_user(username, password, role, area_code=area, school_id=school, full_name=name or "")
    except AccountError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(1) from None
    err.print(f"已创建账号 {_c(username)}")


@admin_app.command("import")
def admin_import(
    file: Annotated[Path, typer.Argument(help="学校数据表（.xlsx、.xls 或 .csv，与 junheng assess 读取的表相同）",
                                         metavar="学校数据表", show_default=False)],
    year: Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help="学年（默认：今年）")] = None,
    data: DataOpt = None,
) -> None:
    """导入学校数据表（首次使用时建立省、市、县(区)、乡镇和学校）：文件有任何错误或被拒绝的行时不导入任何数据。"""
    from .web.server import setup

    setup(data)
    from .errors import InputError
    from .io import read_school_table
    from .web.areas.views import current_year
    from .web.collection.bulk import import_table, refused

    year = year or current_year()
    try:
        summary = import_table(read_school_table(file), year, None, strict=True)
    except InputError as e:
        summary = refused(e)
    if summary.failed:
        err.print("[red]错误：学校数据表有错误，未导入任何数据：[/red]")
        for issue in summary.issues:
            err.print(f"  {issue}", markup=False)
        raise typer.Exit(1)
    for w in summary.warnings:
        err.print(f"警告：{w}", markup=False)
    err.print(f"已导入 {_c(file)}（{year} 学年）：新增 {len(summary.added)}，修改 {len(summary.changed)}，"
              f"未变 {len(summary.unchanged)}；新增和修改的记录为“已提交待审核”，由县级审核员审核。")


@admin_app.command("create-token")
def admin_create_token(
    username: Annotated[str, typer.Argument(help="用户名", metavar="用户名", show_default=False)],
    renew: Annotated[bool, typer.Option("--renew", help="作废原令牌，发放新令牌")] = False,
    data: DataOpt = None,
) -> None:
    """发放账号的 API 令牌（打印到标准输出；令牌的权限与该账号在网页上的权限相同）。"""
    from .web.server import setup

    setup(data)
    from .web.accounts import AccountError, issue_token

    try:
        key = issue_token(username, renew=renew)
    except AccountError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        raise typer.Exit(1) from None
    print(key)


def _terminated(signum, frame):
    """SIGTERM (service stop, ``kill``) ends the run like Ctrl-C: staging folders are removed and
    worker processes stopped on the way out (report/files.py, report/workers.py)."""
    raise KeyboardInterrupt


def main() -> None:
    """Entry point: runs the app; usage errors in Chinese (exit 2), unexpected errors as a Chinese
    message (exit 3, traceback only with JUNHENG_DEBUG=1)."""
    cx = click_exceptions()
    usage_error = cx.UsageError if cx is not None else ()
    abort = cx.Abort if cx is not None and hasattr(cx, "Abort") else KeyboardInterrupt
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = app(standalone_mode=False, prog_name="junheng")
    except usage_error as e:
        ctx = getattr(e, "ctx", None)
        if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(render_help(ctx.command, ctx))
            sys.exit(2)
        cmd = ctx.command_path if ctx is not None else "junheng"
        err.print(f"错误：{usage_message(e)}", style="red", markup=False)
        err.print(f"运行 “{cmd} --help” 查看用法。", markup=False)
        sys.exit(2)
    except (abort, KeyboardInterrupt):
        err.print("已中断。")
        sys.exit(130)
    except JunhengError as e:
        err.print(f"[red]错误：{_c(e)}[/red]")
        sys.exit(1)
    except WorkerLost as e:
        err.print(f"程序内部错误：{e}", style="red", markup=False)
        sys.exit(3)
    except Exception as e:  # noqa: BLE001 - last line of defence: never show a traceback by default
        if os.environ.get("JUNHENG_DEBUG"):
            raise
        err.print(f"[red]程序内部错误：{type(e).__name__}: {_c(e)}[/red]\n请将输入文件与此信息报告给开发者（设置 JUNHENG_DEBUG=1 可查看详细信息）。")
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
