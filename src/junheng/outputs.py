"""The output formats: one registry for every command that writes results.

Each :class:`OutputFormat` says what it is called (``--format`` / ``--formats``), its file suffix,
and per command that offers it how it is written. ``junheng assess`` writes one result for the
whole input (screen table, JSON, Excel); ``junheng equity`` the equity measures (table, JSON);
``junheng report`` one set of official documents per county (its writers live in
:mod:`junheng.report.bundle`, which takes the format names from here). A new format, or a format
for a new command, is one entry in :data:`FORMATS`.

Contract: docs/json-contract.md (format names, exit status 2 for a wrong output file).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class OutputError(Exception):
    """A usage error about the output (wrong suffix, unknown format): Chinese message, exit 2."""


@dataclass
class AssessOutput:
    """What ``assess`` writes: the assessments (one per rule pack), per assessment the county
    checks (``{county_key: CountyChecks}`` or None), the output path (None: screen / stdout), the
    input file, the warnings as text, the screen console, a callback for notes to the user and the
    填报单位 of the Excel workbook (None: each county's 教育局)."""

    assessments: list
    checks: list
    output: Path | None
    source: Path
    warnings: list[str]
    screen: Any
    notice: Callable[[str], None] = print
    bureau: str | None = None
    table: Any = None  # the canonical school table (the workbook's 补足资源测算, plan/fill.py)


@dataclass
class EquityOutput:
    """What ``equity`` writes: the assessment, its equity measures (analysis.equity), the output
    path (None: screen / stdout), the input file, the screen console and whether the screen table
    shows the quadrants only (``--quadrant``)."""

    assessment: Any
    equity: Any
    output: Path | None
    source: Path
    screen: Any
    quadrant_only: bool = False


@dataclass
class PlanOutput:
    """What ``plan`` writes: the PlanResult (plan/run.py), the output path (None: screen /
    stdout), the input file and the screen console."""

    plan: Any
    output: Path | None
    source: Path
    screen: Any


@dataclass
class MonitorOutput:
    """What ``monitor`` writes: the MonitorResult (analysis/monitor.py), the output path (None:
    screen / stdout, or the default file name for xlsx/docx/html), the input files, the importer's
    warnings as text, the screen console and the 署名 (落款) of the Word / HTML report (None: the
    county's 教育局, see :func:`monitor_signer`)."""

    result: Any
    output: Path | None
    sources: list[Path]
    warnings: list[str]
    screen: Any
    signer: str | None = None


@dataclass
class AnalysisOutput:
    """What ``whatif`` and ``pair`` write: the result (analysis/whatif, analysis/pair), the output
    path (None: screen / stdout), the input file and the screen console."""

    result: Any
    output: Path | None
    source: Path
    screen: Any


@dataclass(frozen=True)
class OutputFormat:
    """One output format.

    name: the option value (``table``, ``json``, ``xlsx``, ``docx``, ``html``); label: Chinese
    description for help texts; suffix: the file suffix; accepts: the ``-o`` suffixes a
    one-file command writes this format to (``""`` = no suffix); writers: per command offering the
    format, its writer (job → written paths), or None where the command writes it itself
    (``report``: the bundle).
    """

    name: str
    label: str
    suffix: str
    accepts: tuple[str, ...] = ()
    writers: dict[str, Callable[[Any], list[Path]] | None] = field(default_factory=dict, compare=False)

    @property
    def commands(self) -> frozenset[str]:
        """The commands that offer this format."""
        return frozenset(self.writers)

    def write(self, command: str, job) -> list[Path]:
        """Write ``job`` for ``command`` (its output already passed :meth:`check`); returns the
        files written (none for the screen/stdout)."""
        return self.writers[command](job)

    def check(self, output: Path | None) -> None:
        """OutputError (Chinese) when ``output`` has a suffix this format is not written to."""
        if output is not None and output.suffix.lower() not in self.accepts:
            if self.name == "table":
                raise OutputError(f"表格只能写入文本文件（.txt）；要导出其他格式请用相应的扩展名（如 .json）：{output}")
            raise OutputError(f"--format {self.name} 的输出文件应以 {self.suffix} 结尾：{output}")


def _text_file(path: Path, show: Callable, width: int) -> None:
    """A rich rendering as a plain UTF-8 text file (no colour codes, control and bidi characters
    of the data as escapes: safe_text.SafeConsole), written all-or-nothing."""
    from .report.files import write_atomic
    from .report.safe_text import SafeConsole

    def write(p: Path) -> None:
        with p.open("w", encoding="utf-8") as fh:
            show(SafeConsole(file=fh, width=width, highlight=False, color_system=None))

    write_atomic(path, write)


def _write_bytes(job_output: Path | None, write: Callable) -> list[Path]:
    """``write(fh)`` to stdout's byte stream (output None; C1 and bidi characters as ``\\u``
    escapes: safe_text.TerminalSafeWriter) or all-or-nothing to the output file."""
    from .report.files import write_atomic
    from .report.safe_text import TerminalSafeWriter

    if job_output is None:
        sys.stdout.flush()
        write(TerminalSafeWriter(sys.stdout.buffer))
        sys.stdout.buffer.flush()
        return []

    def to_file(p: Path) -> None:
        with p.open("wb", buffering=1 << 20) as fh:
            write(fh)

    write_atomic(job_output, to_file)
    return [job_output]


def _write_table(job: AssessOutput) -> list[Path]:
    from .report.console.assessment import print_assessment
    from .report.console.county import print_county_checks

    def show(con) -> None:
        for a, ch in zip(job.assessments, job.checks):
            print_assessment(a, con, {k: v.verdict for k, v in (ch or {}).items()})
            if ch:
                print_county_checks(list(ch.values()), con)

    if job.output is None:
        show(job.screen)
        return []
    _text_file(job.output, show, 120)
    return [job.output]


def _write_json(job: AssessOutput) -> list[Path]:
    from .report.payload import write_assessments_json

    pairs = list(zip(job.assessments, job.checks))
    return _write_bytes(job.output, lambda fh: write_assessments_json(fh, pairs, warnings=job.warnings,
                                                                       source=job.source.name))


def _shown(output: Path | None, screen, show: Callable, width: int) -> list[Path]:
    """``show(console)`` on the screen (output None) or into the text file ``output``."""
    if output is None:
        show(screen)
        return []
    _text_file(output, show, width)
    return [output]


def _equity_table(job: EquityOutput) -> list[Path]:
    from .report.console.equity import print_equity

    return _shown(job.output, job.screen,
                  lambda con: print_equity(job.assessment, job.equity, con, quadrant_only=job.quadrant_only), 160)


def _equity_json(job: EquityOutput) -> list[Path]:
    import orjson

    from .report.console.equity import equity_payload

    data = orjson.dumps(equity_payload(job.assessment, job.equity, source=job.source.name),
                        option=orjson.OPT_INDENT_2) + b"\n"
    return _write_bytes(job.output, lambda fh: fh.write(data))


def xlsx_targets(output: Path | None, source: Path, rule_ids: list[str]) -> list[Path]:
    """The Excel files of ``assess --format xlsx`` (and ``demo``), one per rule pack, in order.

    Without ``-o``: ``<学校表文件名>_评估结果_<规则包>.xlsx`` in the working folder, always with the
    pack's code. With ``-o x.xlsx``: ``x.xlsx`` for one pack; for several (``demo`` runs both),
    ``x_<规则包>.xlsx`` each, next to ``x.xlsx`` (docs/json-contract.md)."""
    if output is None:
        return [Path(f"{source.stem}_评估结果_{r}.xlsx") for r in rule_ids]
    if len(rule_ids) == 1:
        return [output]
    return [output.with_name(f"{output.stem}_{r}{output.suffix}") for r in rule_ids]


def _write_xlsx(job: AssessOutput) -> list[Path]:
    from .report.xlsx import write_assessment_xlsx

    if any(job.checks):
        job.notice("注意：Excel 结果只含学校层面的评估；县级指标核查结果请用屏幕表格或 --format json 查看。")
    from .report.files import refuse_inputs

    targets = xlsx_targets(job.output, job.source, [a.rules.id for a in job.assessments])
    if job.output is not None and len(targets) > 1:
        job.notice(f"注意：{len(targets)} 个规则包各写一个 Excel 文件（文件名加规则包代码）："
                   + "、".join(t.name for t in targets))
    refuse_inputs(targets, [job.source])
    for a, target in zip(job.assessments, targets):
        write_assessment_xlsx(a, target, source=job.source.name, bureau=job.bureau, table=job.table)
    return targets


def _plan_table(job: PlanOutput) -> list[Path]:
    from .plan.output.console import print_plan

    return _shown(job.output, job.screen, lambda con: print_plan(job.plan, con), 140)


def _plan_json(job: PlanOutput) -> list[Path]:
    import orjson

    from .plan.output.payload import plan_payload

    data = orjson.dumps(plan_payload(job.plan, source=job.source.name), option=orjson.OPT_INDENT_2) + b"\n"
    return _write_bytes(job.output, lambda fh: fh.write(data))


def _plan_xlsx(job: PlanOutput) -> list[Path]:
    from .plan.output.xlsx import write_plan_xlsx
    from .report.files import refuse_inputs

    target = job.output or Path(f"{job.source.stem}_填平补齐清单.xlsx")
    refuse_inputs([target], [job.source])
    return [write_plan_xlsx(job.plan, target)]


def _monitor_table(job: MonitorOutput) -> list[Path]:
    from .report.console.monitor import print_monitor

    return _shown(job.output, job.screen, lambda con: print_monitor(job.result, con), 140)


def _monitor_json(job: MonitorOutput) -> list[Path]:
    import orjson

    from .report.console.monitor import monitor_payload

    data = orjson.dumps(monitor_payload(job.result, warnings=job.warnings), option=orjson.OPT_INDENT_2) + b"\n"
    return _write_bytes(job.output, lambda fh: fh.write(data))


#: Default file of ``monitor`` for a file format without ``-o``.
MONITOR_DEFAULT = "监测复查报告"


def _monitor_target(job: MonitorOutput, suffix: str) -> Path:
    from .report.files import refuse_inputs

    target = job.output or Path(MONITOR_DEFAULT + suffix)
    refuse_inputs([target], job.sources)
    return target


def _monitor_xlsx(job: MonitorOutput) -> list[Path]:
    from .report.xlsx.monitor import write_monitor_xlsx

    return [write_monitor_xlsx(job.result, _monitor_target(job, ".xlsx"))]


def _monitor_document(job: MonitorOutput, suffix: str) -> list[Path]:
    import datetime as dt

    from .report.docx.template import cn_date
    from .report.files import write_atomic
    from .report.narrative.monitor import monitor_blocks, monitor_title
    from .report.safe_text import xml_safe_blocks, xml_text
    from .report.trend_charts import monitor_charts

    m = job.result
    blocks = xml_safe_blocks(monitor_blocks(m, monitor_charts(m)))
    title = xml_text(monitor_title(m))
    signer = xml_text(monitor_signer(m, job.signer))
    target = _monitor_target(job, suffix)
    if suffix == ".docx":
        from .report.docx.writer import write_docx

        values = {"{{标题}}": title, "{{县区}}": xml_text(m.counties[0]["county"] or "") if len(m.counties) == 1 else "",
                  "{{规则}}": m.rules.name, "{{年度}}": str(m.years[-1]), "{{落款}}": signer}
        return [write_atomic(target, lambda p: write_docx(blocks, p, values=values))]
    from .report.html.writer import write_html

    return [write_atomic(target, lambda p: write_html(blocks, p, title=title, signer=signer or None,
                                                      date=cn_date(dt.date.today())))]


def monitor_signer(m: Any, signer: str | None = None) -> str:
    """The 署名 of the 年度监测复查报告: ``signer`` when given (``monitor --signer``), else the
    county's 教育局 (“均衡示例县教育局”, xlsx/book.bureau_of, the 填报单位 of the official tables);
    several counties without ``signer``: none ("")."""
    from .report.narrative.monitor import county_label
    from .report.xlsx.book import bureau_of

    if signer:
        return signer
    return bureau_of(county_label(m.counties[0])) if len(m.counties) == 1 else ""


ASSESS, REPORT, EQUITY, PLAN, MONITOR = "assess", "report", "equity", "plan", "monitor"


def _analysis_writers(module: str, name: str, xlsx_name: str) -> dict[str, Callable[[AnalysisOutput], list[Path]]]:
    """table / json / xlsx writers of an analysis command whose renderers live in
    ``report.console.<module>`` as ``print_<name>``, ``<name>_payload`` and ``write_<name>_xlsx``;
    the default Excel file is ``<input>_<xlsx_name>.xlsx``."""
    import importlib

    def mod():
        return importlib.import_module(f"junheng.report.console.{module}")

    def table(job: AnalysisOutput) -> list[Path]:
        show = getattr(mod(), f"print_{name}")
        return _shown(job.output, job.screen, lambda con: show(job.result, con), 140)

    def as_json(job: AnalysisOutput) -> list[Path]:
        import orjson

        data = orjson.dumps(getattr(mod(), f"{name}_payload")(job.result, source=job.source.name),
                            option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"
        return _write_bytes(job.output, lambda fh: fh.write(data))

    def xlsx(job: AnalysisOutput) -> list[Path]:
        from .report.files import refuse_inputs

        target = job.output or Path(f"{job.source.stem}_{xlsx_name}.xlsx")
        refuse_inputs([target], [job.source])
        return [getattr(mod(), f"write_{name}_xlsx")(job.result, target, source=job.source.name)]

    return {"table": table, "json": as_json, "xlsx": xlsx}


WHATIF, PAIR = "whatif", "pair"
_WHATIF = _analysis_writers("whatif", "whatif", "布局调整测算")
_PAIR = _analysis_writers("pair", "pair", "帮扶结对")

#: Every output format, in the order they are offered.
FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("table", "屏幕表格", ".txt", (".txt", ".log", ""),
                 {ASSESS: _write_table, EQUITY: _equity_table, PLAN: _plan_table, MONITOR: _monitor_table,
                  WHATIF: _WHATIF["table"], PAIR: _PAIR["table"]}),
    OutputFormat("json", "供程序读取", ".json", (".json", ".txt", ""),
                 {ASSESS: _write_json, EQUITY: _equity_json, PLAN: _plan_json, MONITOR: _monitor_json,
                  WHATIF: _WHATIF["json"], PAIR: _PAIR["json"]}),
    OutputFormat("xlsx", "Excel 表格", ".xlsx", (".xlsx",),
                 {ASSESS: _write_xlsx, REPORT: None, PLAN: _plan_xlsx, MONITOR: _monitor_xlsx,
                  WHATIF: _WHATIF["xlsx"], PAIR: _PAIR["xlsx"]}),
    OutputFormat("docx", "Word 自评报告", ".docx", (".docx",),
                 {REPORT: None, MONITOR: lambda job: _monitor_document(job, ".docx")}),
    OutputFormat("html", "网页版报告", ".html", (".html", ".htm"),
                 {REPORT: None, MONITOR: lambda job: _monitor_document(job, ".html")}),
)}


def _listing(names) -> str:
    """“table 和 json”, “table、json 和 xlsx”."""
    names = list(names)
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + " 和 " + names[-1]


def formats_for(command: str) -> list[OutputFormat]:
    """The formats a command offers, in registry order."""
    return [f for f in FORMATS.values() if command in f.commands]


def names_for(command: str) -> tuple[str, ...]:
    """The format names a command offers (``("table", "json", "xlsx")`` for assess)."""
    return tuple(f.name for f in formats_for(command))


def infer_format(name: str | None, output: Path | None, command: str = ASSESS) -> OutputFormat:
    """The format asked for by name, else the one whose suffix the output file has (``.json``,
    ``.xlsx``), else the command's first format (the screen table for assess and equity).
    OutputError (Chinese) when the name or the output file's suffix is a format the command does
    not offer, or the output file does not suit the format (:meth:`OutputFormat.check`). Call it
    before the work, so that a wrong output is refused at once."""
    offered = formats_for(command)
    if name is not None:
        f = parse_formats(name, command)[0]
        f.check(output)
        return f
    suffix = output.suffix.lower() if output is not None else ""
    known = next((f for f in FORMATS.values() if suffix and f.suffix == suffix), None)
    if known is not None and known not in offered:
        hint = f"；{known.label}请用 junheng report 生成" if REPORT in known.commands and ASSESS not in known.commands else ""
        raise OutputError(f"命令 {command} 只支持 {_listing(f.name for f in offered)} 输出格式，"
                          f"不能写入 {suffix} 文件：{output}{hint}")
    if known is None and suffix and suffix not in offered[0].accepts:
        files = [f.suffix for f in offered if f.name != "table" and f.suffix]
        files += [".txt（屏幕表格）" for f in offered if f.name == "table"]
        raise OutputError(f"命令 {command} 不能写入 {suffix} 文件：{output}；可写入的文件格式：{' '.join(files)}")
    f = known or offered[0]
    f.check(output)
    return f


def parse_formats(text: str, command: str) -> list[OutputFormat]:
    """Comma-separated format names (``"xlsx,docx"``) → formats; OutputError (Chinese) for an
    unknown or empty list. Duplicates are dropped; the order is the registry's."""
    offered = names_for(command)
    asked = [t.strip().lower() for t in text.split(",") if t.strip()]
    bad = [t for t in asked if t not in offered]
    if bad or not asked:
        raise OutputError(f"未知的输出格式：{'、'.join(bad) or '（空）'}；可用：{'、'.join(offered)}")
    return [FORMATS[n] for n in offered if n in asked]
