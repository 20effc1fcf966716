"""Plots draw the numbers the library computes, and label themselves in the chosen language."""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from crmlib import CRMDataError, plots, qualification as qual, segmentation as seg  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_pareto_chart_bars_are_decile_shares_and_line_is_cumulative():
    values = np.arange(1, 101, dtype=float)          # 100 customers, 1..100
    ax = plots.pareto_chart(values, top_fraction=0.2)
    heights = [p.get_height() for p in ax.patches]
    total = values.sum()
    # first bar = the 10 largest (91..100) = 955 / 5050
    assert heights[0] == pytest.approx(955 / total) and len(heights) == 10
    assert sum(heights) == pytest.approx(1.0)
    x, y = ax.lines[0].get_data()
    assert y[-1] == pytest.approx(1.0) and x[0] == 0
    assert "20%" in ax.get_title() and f"{seg.top_share(values, 0.2):.1%}" in ax.get_title()


def test_lorenz_plot_draws_the_curve_and_gini():
    ax = plots.lorenz_plot([0, 0, 0, 1])
    x, y = ax.lines[1].get_data()
    assert list(y) == [0, 0, 0, 0, 1]
    assert "0.75" in ax.get_title()


def test_segment_plot_counts():
    rfm = pd.DataFrame({"recency_days": [1, 2, 300, 400], "frequency": [9, 8, 1, 1],
                        "monetary": [90.0, 80.0, 5.0, 4.0]})
    segs = seg.rfm_segments(seg.rfm_scores(rfm, bins=2))
    ax = plots.rfm_segment_plot(segs)
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == 4


def test_man_plot_orders_codes_by_priority():
    df = pd.DataFrame({"money": [1, 0, 0], "authority": [1, 0, 0], "need": [1, 0, 1]})
    ax = plots.man_plot(qual.man_table(df))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == qual.MAN_CODES
    heights = dict(zip(labels, [p.get_height() for p in ax.patches]))
    assert heights["M+A+N"] == 1 and heights["m+a+N"] == 1 and heights["m+a+n"] == 1 and heights["M+a+n"] == 0


def test_chinese_labels():
    with pytest.warns(UserWarning) if plots.i18n.cjk_font() is None else _nullcontext():
        ax = plots.state_plot(qual.customer_state(
            pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
            pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}), lang="zh"), lang="zh")
    assert ax.get_title() == "客户状态"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["现实客户", "潜在客户", "流失客户", "非客户"]


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_plots_reject_tables_without_their_columns():
    with pytest.raises(CRMDataError) as e:
        plots.value_matrix_plot(pd.DataFrame({"current": [1.0]}))
    assert "potential" in str(e.value)
