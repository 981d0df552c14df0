"""The CJK font of the charts: Noto Sans CJK SC from the ``mplfonts`` package, registered explicitly.

Charts never rely on system fonts: a government PC or a CI machine may have no Chinese font at
all, and matplotlib then draws empty boxes (□) with only a warning. The font file comes with the
``mplfonts`` dependency (installed from PyPI; nothing is copied into this repository); it is
located without importing ``mplfonts`` (whose import pulls in unrelated modules), added to
matplotlib's font manager with ``addfont`` and selected through ``rcParams["font.family"]`` inside
:func:`chart_rc`.

The Word report names the official document fonts instead (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体; see docx/style.py): those are the user's Word fonts, not ours to ship.
"""
from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

#: File name of the chart font inside the mplfonts package (Noto Sans CJK SC, SIL OFL 1.1).
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"


class FontMissingError(RuntimeError):
    """The CJK chart font is not installed (the ``mplfonts`` package or its font file is absent)."""


@cache
def cjk_font_path() -> Path:
    """Path of the CJK chart font file. Raises FontMissingError (Chinese message) when absent."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissingError("缺少图表中文字体：请安装 mplfonts（pip install mplfonts）")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FontMissingError(f"缺少图表中文字体文件 {path}：请重新安装 mplfonts")
    return path


@cache
def register_cjk_font() -> str:
    """Add the CJK font to matplotlib's font manager (once per process); return its family name
    (``"Noto Sans CJK SC"``). Raises FontMissingError when the font file is absent.

    A system font of the same family (Debian's fonts-noto-cjk ships "Noto Sans CJK SC" in a .ttc)
    is taken out of the font manager's list, so the family always resolves to the package's file:
    charts look the same on every machine, whatever fonts it has."""
    from matplotlib import font_manager

    path = cjk_font_path()
    manager = font_manager.fontManager
    manager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    manager.ttflist = [f for f in manager.ttflist if f.name != family or Path(f.fname) == path]
    cached = getattr(manager, "_findfont_cached", None)  # matplotlib memoises findfont (private, 3.x)
    if cached is not None:
        cached.cache_clear()
    return family


def chart_rc() -> dict:
    """rcParams for every chart: the registered CJK family first, ASCII minus (the CJK font's
    U+2212 is fine, but a hyphen keeps numbers identical to the tables), Agg-friendly sizes, and
    no mathtext or TeX: every label is plain text, whatever it holds."""
    family = register_cjk_font()
    return {
        "font.family": [family],
        "font.sans-serif": [family],
        "axes.unicode_minus": False,
        "font.size": 9,
        "axes.titlesize": 10,
        "svg.fonttype": "path",
        # names from the data are drawn as typed: "$\\frac{1}{0$" is text, not mathtext (no parse error, no formula)
        "text.parse_math": False,
        "text.usetex": False,
    }
