"""Figures, one function per concept (图表), with seaborn's habits.

Each function takes the result of the matching crmlib function (or the raw values it needs), draws
it, labels it through :mod:`crmlib.i18n` (``lang="zh"`` for Chinese) and returns the matplotlib
``Axes``. Nothing is computed here that crmlib does not expose.

Like seaborn's axes-level functions, every plot here draws on one Axes:

* ``ax=`` the Axes to draw on; without it, the current Axes (``plt.gca()``) — or, when no figure is
  open, a new figure of a size that suits the plot. Two plots in one cell of a notebook therefore
  share an Axes unless each gets its own (``fig, (ax1, ax2) = plt.subplots(1, 2)``). None of them
  makes a figure of several Axes (there are no figure-level plots here).
* ``**kwargs`` go on to the matplotlib (or seaborn) call that draws the data — each docstring says
  which; they win over the plot's defaults, and ``color=`` replaces its colouring.
* Importing crmlib changes no matplotlib setting: each plot draws with its fonts (the CJK fallback
  of :func:`crmlib.i18n.cjk_font`) inside ``matplotlib.rc_context``; :func:`set_style` is the
  explicit call that applies them — and a seaborn theme — to the figures a notebook draws itself.
* seaborn is imported on the first plot that needs it, not by ``import crmlib.plots``.

One module per chapter, all re-exported here (``plots.pareto_chart``):
:mod:`~crmlib.plots.identification` (1), :mod:`~crmlib.plots.selection` (2),
:mod:`~crmlib.plots.development` (3), :mod:`~crmlib.plots.satisfaction` (4),
:mod:`~crmlib.plots.loyalty` (5), :mod:`~crmlib.plots.records` (6), :mod:`~crmlib.plots.casework`.

>>> import matplotlib; matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> lorenz_plot([1, 2, 3, 10], ax=ax, color="tab:green") is ax
True
>>> ax.get_title(), ax.lines[1].get_color()
('Lorenz curve — Gini index = 0.44', 'tab:green')
>>> plt.close(fig)
"""

from __future__ import annotations

from crmlib.plots._base import PALETTE, set_style
from crmlib.plots.casework import (
    asset_mix_pie,
    asset_trend_bars,
    comp_economics_plot,
    delivery_calendar_plot,
    files_plot,
    key_account_map,
    lobby_numbers,
    lobby_plot,
    schedule_comparison_plot,
)
from crmlib.plots.development import channel_plot, contact_tradeoff_plot, franklin_plot, funnel_plot
from crmlib.plots.identification import (
    abc_plot,
    lorenz_plot,
    man_plot,
    pareto_chart,
    profitability_plot,
    relationship_plot,
    rfm_heatmap,
    rfm_segment_plot,
    state_plot,
    value_matrix_plot,
)
from crmlib.plots.loyalty import clv_histogram, cohort_heatmap, retention_economics_plot, value_loyalty_plot
from crmlib.plots.records import customer_timeline_plot
from crmlib.plots.satisfaction import complaint_steps_plot, iceberg_plot, ipa_plot, nps_plot, satisfaction_index_plot
from crmlib.plots.selection import (
    aging_plot,
    credit_plot,
    growth_plot,
    ideal_score_parts,
    ideal_score_plot,
    risk_plot,
    rubric_plot,
    whale_plot,
)

#: the plot functions, chapter by chapter (each draws on one Axes and returns it)
PLOTS = [
    # chapter 1: identification
    "pareto_chart",
    "lorenz_plot",
    "abc_plot",
    "rfm_segment_plot",
    "rfm_heatmap",
    "value_matrix_plot",
    "profitability_plot",
    "relationship_plot",
    "man_plot",
    "state_plot",
    # chapter 2: selection, credit, receivables
    "ideal_score_plot",
    "whale_plot",
    "risk_plot",
    "growth_plot",
    "rubric_plot",
    "credit_plot",
    "aging_plot",
    # chapter 3: development
    "channel_plot",
    "funnel_plot",
    "contact_tradeoff_plot",
    "franklin_plot",
    # chapter 4: satisfaction and complaints
    "ipa_plot",
    "satisfaction_index_plot",
    "nps_plot",
    "iceberg_plot",
    "complaint_steps_plot",
    # chapter 5: loyalty, retention, CLV
    "value_loyalty_plot",
    "cohort_heatmap",
    "clv_histogram",
    "retention_economics_plot",
    # casework 1-6
    "comp_economics_plot",
    "lobby_plot",
    "files_plot",
    "delivery_calendar_plot",
    "schedule_comparison_plot",
    "asset_mix_pie",
    "asset_trend_bars",
    "key_account_map",
    # chapter 6: customer records
    "customer_timeline_plot",
]
#: what an explorer needs to change a drawing in place
HELPERS = ["lobby_numbers", "ideal_score_parts"]
__all__ = [*PLOTS, *HELPERS, "set_style", "PALETTE"]
