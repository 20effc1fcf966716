"""Interactive explorers (ipywidgets), thin views over crmlib functions (交互式小工具).

Each explorer is an ``ipywidgets.VBox``: controls on top, a one-line verdict, then the figure.
Changing a control recomputes ``.result`` through the library function and redraws. The logic is
testable without a browser: set a control's ``.value`` and read ``.result`` / ``.text.value``.

>>> import matplotlib; matplotlib.use("Agg")
>>> q = man_qualifier()
>>> q.result.code
'M+A+N'
>>> q.authority.value = False
>>> q.result.code
'M+a+N'
"""
from __future__ import annotations

import base64
import html
import io
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import pandas as pd

from crmlib import i18n, plots, segmentation
from crmlib import qualification as Q


class Explorer(W.VBox):
    """Base class: subclasses define ``controls()``, ``compute()``, ``describe()`` and ``draw()``."""

    def __init__(self, draw: bool = True, lang: str | None = None) -> None:
        self.lang = i18n.resolve(lang, type(self).__name__)
        self.draw_plots = draw
        self.text = W.HTML()
        self.output = W.Output()
        self.result: Any = None
        ctrls = self.controls()
        super().__init__([W.HBox(ctrls, layout=W.Layout(flex_flow="row wrap")), self.text, self.output])
        for c in ctrls:
            c.observe(self._changed, names="value")
        self.update()

    def controls(self) -> list[W.Widget]:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        return ""

    def draw(self, result: Any, ax) -> None:
        pass

    def _changed(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the result from the controls, rewrite the verdict and redraw."""
        self.result = self.compute()
        self.text.value = self.describe(self.result)
        if self.draw_plots:
            fig, ax = plt.subplots(figsize=(7, 4.2))
            try:
                self.draw(self.result, ax)
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
            finally:
                plt.close(fig)
            # replace (never append) the figure; works in a kernel and headless alike
            self.output.outputs = ({"output_type": "display_data", "metadata": {},
                                    "data": {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
                                             "text/plain": f"<{type(self).__name__} figure>"}},)


class MANQualifier(Explorer):
    """Tick what a prospect has — money, authority, need — and read its MAN code and strategy."""

    def __init__(self, money: bool = True, authority: bool = True, need: bool = True,
                 lang: str | None = None) -> None:
        self._init = (money, authority, need)
        super().__init__(draw=False, lang=lang)

    def controls(self):
        m, a, n = self._init
        zh = self.lang == "zh"
        self.money = W.Checkbox(value=m, description="购买能力 Money" if zh else "Money (can pay)", indent=False)
        self.authority = W.Checkbox(value=a, description="购买决定权 Authority" if zh else "Authority (decides)",
                                    indent=False)
        self.need = W.Checkbox(value=n, description="购买需求 Need" if zh else "Need", indent=False)
        return [self.money, self.authority, self.need]

    def compute(self) -> Q.MANResult:
        return Q.man_classify(self.money.value, self.authority.value, self.need.value)

    def describe(self, r: Q.MANResult) -> str:
        strategy = r.strategy_zh if self.lang == "zh" else r.strategy
        return (f"<b>{r.code}</b> — priority {r.priority} of 8<br>{html.escape(strategy)}")


class ParetoExplorer(Explorer):
    """Slide the share of top customers and watch their share of value (the 80/20 check)."""

    def __init__(self, values: Any, fraction: float = 0.2, draw: bool = True, lang: str | None = None) -> None:
        self.values = segmentation.pareto_table(values)["value"]  # validates once
        self._fraction = fraction
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.fraction = W.FloatSlider(value=self._fraction, min=0.01, max=1.0, step=0.01,
                                      description="top share", readout_format=".0%",
                                      continuous_update=False)
        return [self.fraction]

    def compute(self) -> float:
        return segmentation.top_share(self.values, self.fraction.value)

    def describe(self, share: float) -> str:
        f = self.fraction.value
        if self.lang == "zh":
            return f"前 <b>{f:.0%}</b> 的客户贡献了 <b>{share:.1%}</b> 的价值。"
        return f"The top <b>{f:.0%}</b> of customers hold <b>{share:.1%}</b> of the value."

    def draw(self, share, ax) -> None:
        plots.pareto_chart(self.values, top_fraction=self.fraction.value, ax=ax, lang=self.lang)


class RFMExplorer(Explorer):
    """Choose the number of score bins; see how many customers fall in each RFM segment."""

    def __init__(self, tx: pd.DataFrame, bins: int = 5, draw: bool = True, lang: str | None = None,
                 **columns: str) -> None:
        self.rfm = segmentation.rfm_table(tx, **columns)
        self._bins = bins
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.bins = W.IntSlider(value=self._bins, min=2, max=10, description="bins", continuous_update=False)
        self.segment = W.Dropdown(options=["(all)"] + i18n.categories(segmentation.SEGMENT_KEYS, self.lang),
                                  value="(all)", description="segment")
        return [self.bins, self.segment]

    def compute(self) -> pd.DataFrame:
        return segmentation.rfm_segments(segmentation.rfm_scores(self.rfm, bins=self.bins.value), lang=self.lang)

    @property
    def summary(self) -> pd.DataFrame:
        """Customers, share of value and mean R/F/M per segment."""
        g = self.result.groupby("segment", observed=False)
        out = g.agg(customers=("monetary", "size"), monetary=("monetary", "sum"),
                    recency_days=("recency_days", "mean"), frequency=("frequency", "mean"))
        out["value_share"] = out["monetary"] / out["monetary"].sum()
        return out

    def describe(self, seg: pd.DataFrame) -> str:
        s = self.summary
        if self.segment.value != "(all)":
            row = s.loc[self.segment.value]
            return (f"<b>{html.escape(self.segment.value)}</b>: {int(row.customers)} customers, "
                    f"{row.value_share:.1%} of value, mean recency {row.recency_days:.0f} days, "
                    f"mean frequency {row.frequency:.1f}")
        top = s["customers"].idxmax()
        return f"{len(seg)} customers in {int((s.customers > 0).sum())} segments; largest: <b>{html.escape(str(top))}</b>"

    def draw(self, seg, ax) -> None:
        plots.rfm_segment_plot(seg, ax=ax, lang=self.lang)


class ValueMatrixExplorer(Explorer):
    """Move the cut-offs of current and potential value (as quantiles) and watch the quadrants."""

    def __init__(self, current: Any, potential: Any, draw: bool = True, lang: str | None = None) -> None:
        base = segmentation.value_matrix(current, potential)  # validates once
        self.current, self.potential = base["current"], base["potential"]
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.current_q = W.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05, description="current cut q",
                                       continuous_update=False)
        self.potential_q = W.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05,
                                         description="potential cut q", continuous_update=False)
        return [self.current_q, self.potential_q]

    def compute(self) -> pd.DataFrame:
        return segmentation.value_matrix(self.current, self.potential,
                                         current_cut=float(self.current.quantile(self.current_q.value)),
                                         potential_cut=float(self.potential.quantile(self.potential_q.value)),
                                         lang=self.lang)

    def describe(self, vm: pd.DataFrame) -> str:
        counts = vm["quadrant"].value_counts(sort=False)
        return " · ".join(f"{html.escape(str(k))}: <b>{v}</b>" for k, v in counts.items())

    def draw(self, vm, ax) -> None:
        plots.value_matrix_plot(vm, ax=ax, lang=self.lang)


def man_qualifier(money: bool = True, authority: bool = True, need: bool = True,
                  lang: str | None = None) -> MANQualifier:
    """The MAN qualifier: three ticks → the MAN code, its priority and what to do.

    >>> q = man_qualifier(money=False, authority=True, need=False, lang="zh")
    >>> q.result.code, "只有决定权" in q.text.value
    ('m+A+n', True)
    """
    return MANQualifier(money, authority, need, lang=lang)


def pareto_explorer(values: Any, fraction: float = 0.2, draw: bool = True, lang: str | None = None) -> ParetoExplorer:
    """The 80/20 slider over customer values.

    >>> p = pareto_explorer([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], draw=False)
    >>> p.fraction.value = 0.1
    >>> p.result
    0.5
    """
    return ParetoExplorer(values, fraction, draw=draw, lang=lang)


def rfm_explorer(tx: pd.DataFrame, bins: int = 5, draw: bool = True, lang: str | None = None,
                 **columns: str) -> RFMExplorer:
    """RFM segments of a transaction log with a bins slider and a segment picker.

    >>> tx = pd.DataFrame({"customer_id": list("aabc"), "amount": [5.0, 5.0, 50.0, 1.0],
    ...                    "date": ["2024-01-01", "2024-03-01", "2024-02-01", "2023-01-01"]})
    >>> r = rfm_explorer(tx, bins=3, draw=False)
    >>> r.result["segment"].tolist()
    ['Champions', 'Loyal', 'Hibernating']
    """
    return RFMExplorer(tx, bins=bins, draw=draw, lang=lang, **columns)


def value_matrix_explorer(current: Any, potential: Any, draw: bool = True,
                          lang: str | None = None) -> ValueMatrixExplorer:
    """The customer value matrix with movable cut-offs.

    >>> v = value_matrix_explorer([900, 800, 100, 50], [50, 600, 700, 20], draw=False)
    >>> v.current_q.value = 0.95
    >>> v.result["quadrant"].value_counts()["maintain"]  # only 900 is above the 95% quantile
    np.int64(1)
    """
    return ValueMatrixExplorer(current, potential, draw=draw, lang=lang)


# ============================================================================ Chapter 2 (selection)


# ============================================================================ Chapter 3 (development)
