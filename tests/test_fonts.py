"""Chinese labels in plots draw real glyphs (中文字体): the packaged Noto Sans CJK, preferred system fonts,
and a clean single warning when there is no CJK font at all."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import font_manager

from crmlib import (
    i18n,
    plots,
    qualification as qual,
)


def _zh_state_plot():
    """A crmlib plot whose title, axis label and tick labels are all Chinese."""
    states = qual.customer_state(
        pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
        pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}),
        lang="zh",
    )
    return plots.state_plot(states, lang="zh")


def _draw_recording(make_ax):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = make_ax()
        ax.figure.canvas.draw()
    plt.close(ax.figure)
    return ax, [str(w.message) for w in caught]


def _missing_glyphs(messages):
    return [m for m in messages if "Glyph" in m or "missing from font" in m]


def test_the_packaged_font_is_installed_with_crmlib():
    path = i18n.packaged_cjk_font()
    assert path is not None, "noto-cjk-sans-otc (a dependency in pyproject.toml) is not installed"
    assert path.name == "NotoSansCJK-Regular.ttc" and path.stat().st_size > 10_000_000


def test_cjk_font_registers_the_packaged_font_once():
    name = i18n.cjk_font()
    assert name in i18n.CJK_FONTS + ["Noto Sans CJK JP"]  # JP: first face, matplotlib < 3.10
    n = len(font_manager.fontManager.ttflist)
    assert i18n.cjk_font() == name and len(font_manager.fontManager.ttflist) == n  # lazily, once


def test_chinese_plot_has_no_missing_glyph():
    with matplotlib.rc_context():
        ax, messages = _draw_recording(_zh_state_plot)
    assert ax.get_title() == "客户状态" and ax.get_xlabel() == "数量"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["现实客户", "潜在客户", "流失客户", "非客户"]
    assert _missing_glyphs(messages) == []
    assert not any("No Chinese font" in m for m in messages)


def test_chinese_plot_on_an_axes_made_before_has_no_missing_glyph():
    """A widget makes its Axes first, outside any style (matplotlib's own fonts only), and the plot then
    draws Chinese on it: the plot gives the title, axis labels and tick labels the CJK fallback too."""
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        before = matplotlib.rcParams.copy()

        def make():
            fig, ax = plt.subplots()
            ax.set_title("placeholder")
            states = qual.customer_state(
                pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
                pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}),
                lang="zh",
            )
            out = plots.state_plot(states, ax=ax, lang="zh")
            assert out is ax
            ax.set_xlabel("客户数量（之后加上）")  # a label the notebook writes after the plot: the font is there
            return ax

        ax, messages = _draw_recording(make)
        assert matplotlib.rcParams == before, "drawing a plot changed matplotlib's settings"
    assert _missing_glyphs(messages) == [] and ax.get_title() == "客户状态"


def test_the_glyph_check_catches_a_font_without_chinese(monkeypatch):
    """Proof that the check above can fail: with DejaVu Sans only, the same plot warns of missing glyphs,
    and crmlib says once (not once per plot) that there is no Chinese font."""
    monkeypatch.setattr(i18n, "cjk_font", lambda: None)
    monkeypatch.setitem(i18n._font_state, "warned", False)
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        _, first = _draw_recording(_zh_state_plot)
        _, second = _draw_recording(_zh_state_plot)
    assert _missing_glyphs(first) and _missing_glyphs(second)
    hints = [m for m in first + second if m.startswith("No Chinese font")]
    assert len(hints) == 1 and "noto-cjk-sans-otc" in hints[0]


def test_a_system_noto_font_comes_before_the_packaged_one(monkeypatch):
    system = font_manager.FontEntry(
        fname="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", name="Noto Sans CJK SC"
    )
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [system])

    def _no(*a):
        raise AssertionError("the packaged font must not be registered when the system has Noto CJK")

    monkeypatch.setattr(i18n, "_register_packaged", _no)
    assert i18n.cjk_font() == "Noto Sans CJK SC"


def test_other_system_fonts_and_none_without_the_package(monkeypatch):
    monkeypatch.setattr(i18n, "packaged_cjk_font", lambda: None)
    monkeypatch.setitem(i18n._font_state, "registered", None)
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [font_manager.FontEntry(fname="/x/wqy.ttc", name="WenQuanYi Micro Hei")]
    )
    assert i18n.cjk_font() == "WenQuanYi Micro Hei"
    monkeypatch.setitem(i18n._font_state, "registered", None)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert i18n.cjk_font() is None


def test_use_fonts_appends_the_cjk_font_as_fallback():
    with matplotlib.rc_context():
        i18n.use_fonts("zh")
        fam = list(matplotlib.rcParams["font.family"])
        assert fam[-1] == i18n.cjk_font() and fam[0] != fam[-1]
        i18n.use_fonts("zh")  # idempotent
        assert list(matplotlib.rcParams["font.family"]) == fam
    with pytest.raises(i18n.CRMDataError):
        i18n.use_fonts("fr")
