"""Chinese help screens and usage-error messages of the command line (no English fragment).

typer/click render ``--help`` with English labels (Usage, Options, Arguments, Commands,
"Show this message and exit.", ``[default: …]``, ``<int range>``) and report option errors in
English (click's or pydantic's wording). Rather than translating their internal strings, the
help screen is rendered here from the command's public parameter objects
(:class:`ZhTyper` makes every command and group use :class:`ZhCommand` / :class:`ZhGroup`,
whose ``format_help`` is overridden — the documented hook for a custom help page), and
:func:`usage_message` words every usage error in Chinese from the error's parameter, never from
its English text.
"""
from __future__ import annotations

import enum
import importlib
import io
import pathlib
import re
import shutil

import typer
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from typer.core import TyperCommand, TyperGroup

#: Labels of the help screen.
USAGE, ARGUMENTS, OPTIONS, COMMANDS = "用法", "参数", "选项", "命令"
HELP_TEXT = "显示此帮助并退出"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
#: Chinese names of parameter types (shown after an option that takes a value).
TYPE_NAMES = {int: "整数", float: "数值", str: "文本", pathlib.Path: "路径", bool: ""}


def _descriptor(param):
    return getattr(param, "type_descriptor", None)


def _type_text(param) -> str:
    """``整数 1990–2100``, ``basic-2012|quality-2017``, ``路径`` … ('' for a flag)."""
    if getattr(param, "is_flag", False):
        return ""
    desc = _descriptor(param)
    choices = getattr(desc, "choices", None) if desc is not None else None
    if choices:
        return "|".join(str(c.value if isinstance(c, enum.Enum) else c) for c in choices)
    annotation = getattr(desc, "annotation", None)
    name = TYPE_NAMES.get(annotation, "文本")
    if getattr(desc, "is_path", False):
        name = "路径"
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return f"{name} {lo}–{hi}"
    if lo is not None:
        return f"{name} ≥ {lo}"
    if hi is not None:
        return f"{name} ≤ {hi}"
    return name


def _default_text(param) -> str:
    default = getattr(param, "default", None)
    if getattr(param, "required", False):
        return "（必填）"
    if default is None or getattr(param, "is_flag", False) or callable(default) or getattr(param, "show_default", None) is False:
        return ""   # show_default=False: the help text states the default itself
    if isinstance(default, enum.Enum):
        default = default.value
    return f"［默认：{default}］"


def _usage(cmd, ctx) -> str:
    pieces = [OPTIONS_METAVAR]
    for p in cmd.get_params(ctx):
        if getattr(p, "param_type_name", "") == "argument":
            pieces.append(_argument_name(p))
    if isinstance(cmd, TyperGroup):
        pieces.append(SUBCOMMAND_METAVAR)
    return f"{USAGE}：{ctx.command_path} " + " ".join(pieces)


def _argument_name(p) -> str:
    """An argument's name for people: its metavar if set, else 文件 for a path, else its name."""
    if getattr(p, "metavar", None):
        return p.metavar
    return "文件" if getattr(_descriptor(p), "is_path", False) else (p.name or "参数")


def render_help(cmd, ctx) -> str:
    """The Chinese help screen of ``cmd`` (a command or group) as text."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 120)
    con = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    con.print(Padding(_usage(cmd, ctx), (1, 1, 0, 1)), markup=False)
    text = (cmd.help or "").strip()
    if text:
        con.print(Padding(text, (1, 1, 0, 1)), markup=False)
    args, opts = _grid(2), _grid(3)
    n_args = n_opts = 0
    for p in cmd.get_params(ctx):
        if getattr(p, "hidden", False):
            continue
        if getattr(p, "param_type_name", "") == "argument":
            args.add_row(_argument_name(p), (getattr(p, "help", None) or "") + _default_text(p))
            n_args += 1
            continue
        names = ", ".join(sorted(p.opts, key=len) + list(getattr(p, "secondary_opts", ())))
        is_help = p.name == "help"
        help_text = HELP_TEXT if is_help else (getattr(p, "help", None) or "")
        opts.add_row(names, "" if is_help else _type_text(p), help_text + ("" if is_help else _default_text(p)))
        n_opts += 1
    if n_args:
        con.print(Panel(args, title=ARGUMENTS, title_align="left", border_style="dim"))
    if n_opts:
        con.print(Panel(opts, title=OPTIONS, title_align="left", border_style="dim"))
    if isinstance(cmd, TyperGroup):
        table = _grid(2)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            table.add_row(name, (sub.help or "").strip().splitlines()[0] if sub.help else "")
        con.print(Panel(table, title=COMMANDS, title_align="left", border_style="dim"))
    return con.file.getvalue()


def _grid(n: int) -> Table:
    """A borderless table of ``n`` columns: the first ones never wrapped, the last folded."""
    t = Table.grid(padding=(0, 2))
    for k in range(n):
        last = k == n - 1
        t.add_column(no_wrap=not last, overflow="fold", ratio=1 if last else None)
    return t


class ZhCommand(TyperCommand):
    """A typer command whose ``--help`` is :func:`render_help`."""

    def format_help(self, ctx, formatter) -> None:  # noqa: D102 - click hook
        formatter.write(render_help(self, ctx))


class ZhGroup(TyperGroup):
    """A typer group whose ``--help`` (and bare invocation) is :func:`render_help`."""

    def format_help(self, ctx, formatter) -> None:  # noqa: D102 - click hook
        formatter.write(render_help(self, ctx))


class ZhTyper(typer.Typer):
    """``typer.Typer`` whose group and commands render Chinese help (:class:`ZhGroup`, :class:`ZhCommand`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("cls", ZhGroup)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def command(self, *args, **kwargs):  # noqa: D102 - typer API
        kwargs.setdefault("cls", ZhCommand)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        return super().command(*args, **kwargs)


def click_exceptions():
    """The exception module of the click that typer uses (vendored in typer ≥ 0.2x, else click)."""
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def _param_name(param) -> str:
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") == "argument":
        return _argument_name(param)
    return "/".join(getattr(param, "opts", None) or [getattr(param, "name", None) or "参数"])


def _bad_value(e) -> str:
    """Why a value was refused, from the parameter (its range, choices, type), in Chinese."""
    param = getattr(e, "param", None)
    kind = _type_text(param) if param is not None else ""
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return f"应为 {lo}–{hi} 之间的{TYPE_NAMES.get(getattr(_descriptor(param), 'annotation', None), '数')}"
    if lo is not None or hi is not None:
        return f"应{'不小于 ' + str(lo) if lo is not None else '不大于 ' + str(hi)}"
    choices = getattr(_descriptor(param), "choices", None) if param is not None else None
    if choices:
        return "应为以下之一：" + "、".join(str(c.value if isinstance(c, enum.Enum) else c) for c in choices)
    return f"应为{kind}" if kind else "格式不对"


def usage_message(e) -> str:
    """A Chinese message for a usage error (option names and values stay as typed)."""
    kind = type(e).__name__
    if kind == "NoSuchOption":
        hint = f"，是否想用 {'、'.join(e.possibilities)}？" if getattr(e, "possibilities", None) else ""
        return f"没有这个选项：{e.option_name}{hint}"
    if kind == "MissingParameter":
        param = getattr(e, "param", None)
        if (getattr(e, "param_type", None) or getattr(param, "param_type_name", None)) == "argument":
            return f"缺少要处理的{_argument_name(param) if param is not None else '文件'}"
        return f"缺少选项：{_param_name(param)}"
    if kind == "BadOptionUsage":
        return f"选项 {getattr(e, 'option_name', '')} 用法有误（缺少值或多给了值）"
    if kind in ("BadParameter", "BadArgumentUsage"):
        hint = getattr(e, "param_hint", None)
        param = getattr(e, "param", None)
        name = hint if isinstance(hint, str) and param is None else _param_name(param)
        return f"{name} 的值无效：{_bad_value(e)}"
    if kind == "NoArgsIsHelpError":
        return "缺少命令"
    text = str(getattr(e, "message", "") or "")
    quoted = re.search(r"'([^']*)'", text)
    if text.startswith("No such command"):
        return "没有这个命令" + (f"：{quoted.group(1)}" if quoted else "")
    extra = re.findall(r"\(([^()]*)\)", text)
    if text.startswith("Got unexpected extra argument"):
        return "多余的参数" + (f"：{extra[-1]}" if extra else "")
    if text.startswith("Missing command"):
        return "缺少命令"
    return "命令行用法有误"
