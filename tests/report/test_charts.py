"""Charts draw Chinese with the registered CJK font: fail if any text would fall back to a font
without CJK glyphs (matplotlib then draws empty boxes and only warns "Glyph … missing")."""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.text import Text

from junheng.report.charts import county_charts, render_png
from junheng.report.fonts import CJK_FONT_FILE, chart_rc, cjk_font_path, register_cjk_font


def _strict_glyphs():
    """A context in which a missing-glyph warning is an error."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from font")
    return ctx


def test_font_comes_from_the_package():
    path = cjk_font_path()
    assert path.name == CJK_FONT_FILE and path.is_file()
    assert "site-packages" in path.parts or "dist-packages" in path.parts
    assert register_cjk_font() == "Noto Sans CJK SC"


def test_every_chart_text_resolves_to_the_cjk_font(assessment):
    cjk = Path(cjk_font_path()).resolve()
    charts = county_charts(assessment, assessment.counties[0])
    assert {c.key.split("_")[1] for c in charts} == {"cv", "dist", "contrib"}
    n = 0
    for ch in charts:
        for t in ch.figure.findobj(Text):
            if t.get_text().strip():
                found = Path(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)).resolve()
                assert found == cjk, f"{ch.key}: “{t.get_text()}” uses {found}"
                n += 1
    assert n > 50


def test_rendering_raises_no_missing_glyph_warning(assessment):
    ctx = _strict_glyphs()
    try:
        for ch in county_charts(assessment, assessment.counties[0]):
            png = ch.png()
            assert png.startswith(b"\x89PNG")
    finally:
        ctx.__exit__(None, None, None)


def test_the_glyph_check_catches_a_latin_only_font():
    """Control: the same check fails for Chinese text drawn in DejaVu Sans (no CJK glyphs)."""
    fig = Figure()
    with rc_context({"font.family": ["DejaVu Sans"]}):
        fig.add_subplot().set_title("差异系数")
        ctx = _strict_glyphs()
        try:
            with pytest.raises(UserWarning, match="missing from font"):
                fig.savefig(io.BytesIO(), format="png")
        finally:
            ctx.__exit__(None, None, None)


def test_chart_rc_selects_the_registered_family():
    rc = chart_rc()
    assert rc["font.family"] == ["Noto Sans CJK SC"]
    with rc_context(rc):
        fig = Figure()
        t = fig.text(0, 0, "均衡")
        assert Path(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)) == cjk_font_path()
    assert render_png(fig).startswith(b"\x89PNG")
