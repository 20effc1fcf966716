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
import numpy as np
import pandas as pd

from crmlib import _validate as V
from crmlib import i18n, plots, segmentation
from crmlib import qualification as Q
from crmlib._errors import CRMDataError


# A slider silently clamps a starting value outside its range, and a drop-down or text box refuses
# one with a raw traitlets.TraitError: the helpers below check the value first (naming the widget
# and the argument) and widen a slider to hold any value the library accepts (lead_days=20 shows
# 20, not 10). Whether the value makes sense is checked by the library function the widget calls.
def _bounded(owner: Any, field: str, slider: type, value: Any, min: float, max: float, grow: bool = False,
             **kw: Any) -> W.Widget:
    """A slider starting at ``value``, which must lie in [min, max] — or, with ``grow`` (the slider
    shows a convenient part of what the library accepts), be at least ``min``: the range then grows
    to include it."""
    func = type(owner).__name__
    check = V.integer if slider is W.IntSlider else V.number
    v = check(value, func, field, min, None if grow else max)
    return slider(value=v, min=min, max=v if v > max else max, **kw)


def _option(owner: Any, field: str, value: Any, options: list, **kw: Any) -> W.Dropdown:
    """A drop-down starting at ``value``, which must be one of ``options``."""
    V.choice(value, list(options), type(owner).__name__, field)
    return W.Dropdown(options=options, value=value, **kw)


def _text(owner: Any, field: str, widget: type, value: Any, **kw: Any) -> W.Widget:
    """A text box starting at ``value``, which must be text."""
    if not isinstance(value, str):
        raise CRMDataError(type(owner).__name__, field, f"must be text, got {value!r} ({type(value).__name__})")
    return widget(value=value, **kw)


def _tick(owner: Any, field: str, value: Any, **kw: Any) -> W.Checkbox:
    """A check box starting at ``value``, which must be True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise CRMDataError(type(owner).__name__, field, f"must be True or False, got {value!r}")
    return W.Checkbox(value=bool(value), **kw)


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
        self.money = _tick(self, 'money', m, description="购买能力 Money" if zh else "Money (can pay)", indent=False)
        self.authority = _tick(self, 'authority', a, description="购买决定权 Authority" if zh else "Authority (decides)",
                                    indent=False)
        self.need = _tick(self, 'need', n, description="购买需求 Need" if zh else "Need", indent=False)
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
        self.fraction = _bounded(self, 'fraction', W.FloatSlider, self._fraction, min=0.01, max=1.0, step=0.01,
                                      description="前多少客户" if self.lang == "zh" else "top share",
                                      readout_format=".0%",
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
        zh = self.lang == "zh"
        self.bins = _bounded(self, 'bins', W.IntSlider, self._bins, min=2, max=10, description="分档数" if zh else "bins",
                                continuous_update=False)
        self.segment = W.Dropdown(options=["(all)"] + i18n.categories(segmentation.SEGMENT_KEYS, self.lang),
                                  value="(all)", description=i18n.label("segment", self.lang))
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
            if self.lang == "zh":
                return (f"<b>{html.escape(self.segment.value)}</b>：{int(row.customers)} 位客户，占价值 "
                        f"{row.value_share:.1%}，平均最近一次消费 {row.recency_days:.0f} 天前，"
                        f"平均消费频率 {row.frequency:.1f}")
            return (f"<b>{html.escape(self.segment.value)}</b>: {int(row.customers)} customers, "
                    f"{row.value_share:.1%} of value, mean recency {row.recency_days:.0f} days, "
                    f"mean frequency {row.frequency:.1f}")
        top = s["customers"].idxmax()
        if self.lang == "zh":
            return (f"{len(seg)} 位客户，分布在 {int((s.customers > 0).sum())} 个细分群体；"
                    f"最大的是 <b>{html.escape(str(top))}</b>")
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
        zh = self.lang == "zh"
        self.current_q = W.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05,
                                       description="当前价值分位" if zh else "current cut q",
                                       continuous_update=False)
        self.potential_q = W.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05,
                                         description="潜在价值分位" if zh else "potential cut q",
                                         continuous_update=False)
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


class GlossarySearch(Explorer):
    """A search box over :func:`crmlib.i18n.glossary`: type an English or Chinese word, see the matching terms."""

    def __init__(self, search: str = "", rows: int = 20, lang: str | None = None) -> None:
        self._search, self.rows = search, V.integer(rows, type(self).__name__, "rows", 1)
        super().__init__(draw=False, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        self.search = _text(self, 'search', W.Text, self._search, description="搜索" if zh else "search",
                             placeholder="例如 忠诚 或 loyal" if zh else "e.g. loyal or 忠诚",
                             continuous_update=True)
        return [self.search]

    def compute(self) -> pd.DataFrame:
        return i18n.glossary(self.search.value.strip() or None)

    def describe(self, g: pd.DataFrame) -> str:
        zh = self.lang == "zh"
        head = (f"<p>{len(g)} 个术语" if zh else f"<p>{len(g)} term{'s' if len(g) != 1 else ''}")
        if len(g) > self.rows:
            head += (f"，显示前 {self.rows} 个" if zh else f", showing the first {self.rows}")
        return head + "</p>" + g.head(self.rows).to_html(escape=True)


def glossary_search(search: str = "", rows: int = 20, lang: str | None = None) -> GlossarySearch:
    """The glossary (术语表) as a searchable table: a thin view over ``i18n.glossary(search)``.

    >>> g = glossary_search()
    >>> g.search.value = "二八"
    >>> g.result.index.tolist(), "80/20 rule" in g.text.value
    (['pareto'], True)
    """
    return GlossarySearch(search, rows=rows, lang=lang)


# ============================================================================ Chapter 2 (selection)
class IdealScoreExplorer(Explorer):
    """One slider per ideal-customer criterion; the accounts are re-scored and re-ranked live."""

    def __init__(self, accounts: pd.DataFrame, weights: dict | None = None, top: int = 15, draw: bool = True,
                 lang: str | None = None, id_col: str = "account_id") -> None:
        from crmlib import selection
        self._sel = selection
        self.accounts = accounts
        self.id_col = id_col
        selection.ideal_criteria(accounts, id_col=id_col)                 # validates once
        self._w = {k: 1.0 for k in selection.CRITERIA} if weights is None else \
            {k: float(weights.get(k, 0.0)) for k in selection._weights(weights, "ideal_score_explorer",
                                                                        selection.CRITERIA)}
        self.top = V.integer(top, type(self).__name__, "top", 1)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.sliders = {k: _bounded(self, "weights", W.FloatSlider, grow=True, value=self._w[k], min=0.0, max=5.0, step=0.5,
                                         description=i18n.label("crit_" + k, self.lang)[:18],
                                         style={"description_width": "initial"}, continuous_update=False)
                        for k in self._sel.CRITERIA}
        return list(self.sliders.values())

    @property
    def weights(self) -> dict[str, float]:
        return {k: s.value for k, s in self.sliders.items()}

    def compute(self):
        from crmlib._errors import CRMDataError
        try:
            return self._sel.ideal_customer_score(self.accounts, weights=self.weights, id_col=self.id_col)
        except CRMDataError:        # every slider at zero: nothing to rank by
            return None

    def describe(self, scores) -> str:
        if scores is None:
            return "至少有一个权重须大于零。" if self.lang == "zh" else "Give at least one criterion a weight above zero."
        best = scores.sort_values("rank", kind="mergesort").head(3)
        names = ", ".join(f"<b>{html.escape(str(i))}</b> ({s:.1f})" for i, s in best["score"].items())
        return ("排名前三：" if self.lang == "zh" else "Top three: ") + names

    def draw(self, scores, ax) -> None:
        if scores is not None:
            plots.ideal_score_plot(scores, top=self.top, ax=ax, lang=self.lang)


class AgingExplorer(Explorer):
    """Pick the day of the books and the aging buckets; see the aging, DSO and bad-debt provision."""

    SCHEMES = {"30 / 60 / 90": (30, 60, 90), "15 / 30 / 60 / 90": (15, 30, 60, 90),
               "30 / 60 / 90 / 180": (30, 60, 90, 180), "30 / 90": (30, 90)}

    def __init__(self, invoices: pd.DataFrame, as_of=None, buckets=(30, 60, 90), draw: bool = True,
                 lang: str | None = None) -> None:
        from crmlib import receivables
        self._rec = receivables
        self.invoices = invoices
        issue = receivables._invoices(invoices, "aging_explorer", "2000-01-01", "account_id", "amount",
                                      "issue_date", "due_date", "paid_date")[3]              # validates once
        first = receivables.receivables_aging(invoices, as_of if as_of is not None else issue.max(), buckets=buckets)
        ends = pd.date_range(issue.min(), issue.max() + pd.offsets.MonthEnd(0), freq="ME")
        self._dates = [d.strftime("%Y-%m-%d") for d in ends] or [str(issue.max().date())]
        start = str(pd.Timestamp(as_of).date()) if as_of is not None else self._dates[-1]
        if start not in self._dates:
            self._dates = sorted(set(self._dates) | {start})
        self._start = start
        self._buckets = tuple(int(b) for b in first.buckets)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        self.as_of = W.SelectionSlider(options=self._dates, value=self._start, description="截至" if zh else "as of",
                                       continuous_update=False)
        schemes = dict(self.SCHEMES)
        label = " / ".join(map(str, self._buckets))
        schemes.setdefault(label, self._buckets)
        self.scheme = W.Dropdown(options=list(schemes), value=label, description="账龄分段" if zh else "buckets")
        self._schemes = schemes
        return [self.as_of, self.scheme]

    def compute(self):
        return self._rec.receivables_aging(self.invoices, self.as_of.value,
                                           buckets=self._schemes[self.scheme.value], lang=self.lang)

    @property
    def dso(self) -> float:
        return self._rec.dso(self.invoices, self.as_of.value)

    def describe(self, rep) -> str:
        t = rep.total
        total = float(t["amount"].sum())
        overdue = 1.0 - float(t["share"].iloc[0]) if total > 0 else 0.0
        zh = self.lang == "zh"
        text = (f"未收 <b>{total:,.0f}</b>，共 {int(t['count'].sum())} 张发票 · 逾期 <b>{overdue:.1%}</b> · "
                f"应收账款周转天数 <b>{self.dso:.1f}</b> 天" if zh else
                f"open <b>{total:,.0f}</b> in {int(t['count'].sum())} invoices · overdue <b>{overdue:.1%}</b> · "
                f"DSO <b>{self.dso:.1f}</b> days")
        if len(rep.labels) == len(self._rec.PROVISION_RATES):
            prov = float(self._rec.bad_debt_provision(rep)["provision"].sum())
            text += f" · 坏账准备 <b>{prov:,.0f}</b>" if zh else f" · provision <b>{prov:,.0f}</b>"
        return text

    def draw(self, rep, ax) -> None:
        plots.aging_plot(rep, ax=ax, lang=self.lang)


def ideal_score_explorer(accounts: pd.DataFrame, weights: dict | None = None, top: int = 15, draw: bool = True,
                         lang: str | None = None) -> IdealScoreExplorer:
    """Sliders for the five ideal-customer weights, re-ranking the accounts live.

    >>> from crmlib.datasets import make_accounts
    >>> e = ideal_score_explorer(make_accounts(n=40, seed=1), draw=False)
    >>> e.sliders["payment"].value = 0.0; e.sliders["service_cost"].value = 0.0
    >>> e.sliders["risk"].value = 0.0; e.sliders["partnership"].value = 0.0
    >>> e.result["rank"].idxmin() == make_accounts(n=40, seed=1).set_index("account_id")["revenue"].idxmax()
    True
    """
    return IdealScoreExplorer(accounts, weights=weights, top=top, draw=draw, lang=lang)


def aging_explorer(invoices: pd.DataFrame, as_of=None, buckets=(30, 60, 90), draw: bool = True,
                   lang: str | None = None) -> AgingExplorer:
    """Receivables aging with a month-end slider and a choice of buckets.

    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": [1000.0, 200.0],
    ...     "issue_date": ["2024-01-01", "2024-06-01"], "due_date": ["2024-01-31", "2024-07-01"],
    ...     "paid_date": [None, "2024-07-15"]})
    >>> e = aging_explorer(inv, as_of="2024-06-30", draw=False)
    >>> e.result.total["amount"].tolist()
    [200.0, 0.0, 0.0, 0.0, 1000.0]
    >>> e.as_of.value = "2024-01-31"; e.result.total["amount"].sum()
    np.float64(1000.0)
    """
    return AgingExplorer(invoices, as_of=as_of, buckets=buckets, draw=draw, lang=lang)


# ============================================================================ Chapter 3 (development)
import numpy as np  # noqa: E402  (chapter 3 imports kept in its own section)

from crmlib import development as DEV  # noqa: E402
from crmlib._errors import CRMDataError  # noqa: E402


class FunnelExplorer(Explorer):
    """Compare the AIDMAS funnel of two slices of the leads: two channels, two quarters, or one
    slice against all leads."""

    def __init__(self, leads: pd.DataFrame, first: str | None = None, second: str = "all",
                 channel_col: str = "channel", date_col: str = "created", stage_col: str = "stage",
                 draw: bool = True, lang: str | None = None) -> None:
        DEV.funnel(leads, stage_col=stage_col)  # validates once
        self.leads = leads
        self.stage_col = stage_col
        ch = leads[channel_col].astype(str)
        q = pd.PeriodIndex(leads[date_col], freq="Q").astype(str)
        self._slices = {"all": np.ones(len(leads), dtype=bool)}
        for c in sorted(ch.unique()):
            self._slices[f"channel: {c}"] = (ch == c).to_numpy()
        for p in sorted(pd.unique(q)):
            self._slices[f"period: {p}"] = np.asarray(q == p)
        self._init = (first or list(self._slices)[1], second)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        opts = list(self._slices)
        zh = self.lang == "zh"
        self.first = _option(self, 'first', self._init[0], opts, description="比较 A" if zh else "slice A")
        self.second = _option(self, 'second', self._init[1], opts, description="比较 B" if zh else "slice B")
        return [self.first, self.second]

    def compute(self) -> pd.DataFrame:
        parts = {name: DEV.funnel(self.leads[self._slices[name]], stage_col=self.stage_col, lang=self.lang)
                 for name in dict.fromkeys([self.first.value, self.second.value])}
        return pd.concat(parts, names=["group"])

    def describe(self, f: pd.DataFrame) -> str:
        out = []
        for g in dict.fromkeys(f.index.get_level_values(0)):
            sub = f.loc[g]
            worst = sub["conversion"].iloc[1:].idxmin()
            out.append(f"<b>{html.escape(g)}</b>: {int(sub['count'].iloc[0])} leads → "
                       f"{sub['share_of_first'].iloc[-2]:.1%} buy; weakest step: "
                       f"<b>{html.escape(str(sub.loc[worst, 'label']))}</b> ({sub.loc[worst, 'conversion']:.0%})")
        return "<br>".join(out)

    def draw(self, f, ax) -> None:
        plots.funnel_plot(f, ax=ax, lang=self.lang)


class FranklinExplorer(Explorer):
    """Type the benefits of buying, the losses of not buying and the customer's objections, one
    ``item: weight`` per line, and watch the balance tip."""

    def __init__(self, benefits: str = "", losses: str = "", objections: str = "", draw: bool = True,
                 lang: str | None = None) -> None:
        self._init = (benefits, losses, objections)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        lay = W.Layout(width="32%", height="120px")
        b, l, o = self._init
        self.benefits = _text(self, 'benefits', W.Textarea, b, description="好处" if zh else "benefits", layout=lay,
                                   continuous_update=False)
        self.losses = _text(self, 'losses', W.Textarea, l, description="损失" if zh else "losses", layout=lay,
                                 continuous_update=False)
        self.objections = _text(self, 'objections', W.Textarea, o, description="顾虑" if zh else "objections", layout=lay,
                                     continuous_update=False)
        return [self.benefits, self.losses, self.objections]

    def compute(self):
        try:
            return DEV.franklin_balance(self.benefits.value, self.losses.value, self.objections.value,
                                        lang=self.lang)
        except CRMDataError as exc:   # a typing slip shows as a message, not a traceback
            return exc

    def describe(self, r) -> str:
        if isinstance(r, CRMDataError):
            return f"⚠️ {html.escape(str(r))}"
        pans = ("支持", "反对") if self.lang == "zh" else ("for", "against")
        return (f"<b>{r.for_buying:.1f}</b> {pans[0]} · <b>{r.against:.1f}</b> {pans[1]} — "
                f"{html.escape(r.verdict)}")

    def draw(self, r, ax) -> None:
        if isinstance(r, CRMDataError):
            ax.set_axis_off()
            return
        plots.franklin_plot(r, ax=ax, lang=self.lang)


class ContactRuleExplorer(Explorer):
    """Move the contact limit and see what it saves, what it loses and how many open leads it pauses."""

    def __init__(self, leads: pd.DataFrame, limit: int = 12, contact_cost: float = DEV.CONTACT_COST,
                 margin: float = 0.3, draw: bool = True, lang: str | None = None) -> None:
        self.curve = DEV.contact_limit_tradeoff(leads, limits=range(1, 31), contact_cost=contact_cost,
                                                margin=margin)
        self._limit = limit
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.limit = _bounded(self, 'limit', W.IntSlider, self._limit, min=1, max=30, continuous_update=False,
                                 description="上限" if self.lang == "zh" else "limit")
        return [self.limit]

    def compute(self) -> pd.Series:
        return self.curve.loc[self.limit.value]

    def describe(self, row: pd.Series) -> str:
        best = int(self.curve["net"].idxmax())
        if self.lang == "zh":
            return (f"上限 <b>{self.limit.value}</b> 次：暂停 {int(row.paused_open)} 条进行中的线索；节省 "
                    f"{int(row.saved_contacts):,} 次沟通（{row.saved_cost:,.0f}），但失去 {int(row.lost_deals)} 笔成交"
                    f"（利润 {row.lost_margin:,.0f}）→ 净效果 <b>{row.net:,.0f}</b>。本数据上的最佳上限：{best}。")
        return (f"Limit <b>{self.limit.value}</b>: pauses {int(row.paused_open)} open leads; saves "
                f"{int(row.saved_contacts):,} contacts ({row.saved_cost:,.0f}) but loses {int(row.lost_deals)} deals "
                f"({row.lost_margin:,.0f} margin) → net <b>{row.net:,.0f}</b>. Best limit on this data: {best}.")

    def draw(self, row, ax) -> None:
        plots.contact_tradeoff_plot(self.curve, limit=self.limit.value, ax=ax, lang=self.lang)


def funnel_explorer(leads: pd.DataFrame, first: str | None = None, second: str = "all", draw: bool = True,
                    lang: str | None = None, **columns: str) -> FunnelExplorer:
    """Two AIDMAS funnels side by side; pick channels (``"channel: phone"``) or quarters
    (``"period: 2024Q3"``) or ``"all"``.

    >>> from crmlib.datasets import make_leads
    >>> fx = funnel_explorer(make_leads(n=300, seed=2), first="channel: phone", draw=False)
    >>> fx.second.value = "channel: referral chain"
    >>> sorted(set(fx.result.index.get_level_values(0)))
    ['channel: phone', 'channel: referral chain']
    """
    return FunnelExplorer(leads, first=first, second=second, draw=draw, lang=lang, **columns)


def franklin_explorer(benefits: str = "saves two hours a day: 3\nfewer delivery errors: 2",
                      losses: str = "keeps losing late-delivery penalties: 3",
                      objections: str = "price: 4\nstaff must be trained: 2", draw: bool = True,
                      lang: str | None = None) -> FranklinExplorer:
    """The Franklin balance sheet as a small tool: edit the three lists, read the verdict.

    >>> fr = franklin_explorer(draw=False)
    >>> fr.result.balance
    2.0
    >>> fr.objections.value = "price: 9"
    >>> fr.result.balance
    -1.0
    """
    return FranklinExplorer(benefits, losses, objections, draw=draw, lang=lang)


def contact_rule_explorer(leads: pd.DataFrame, limit: int = 12, contact_cost: float = DEV.CONTACT_COST,
                          margin: float = 0.3, draw: bool = True, lang: str | None = None) -> ContactRuleExplorer:
    """The 12-contact rule with a movable limit.

    >>> leads = pd.DataFrame({"contacts": [3, 14, 12, 15, 20], "status": ["open", "open", "won", "won", "lost"],
    ...                       "value": [0.0, 0.0, 500.0, 800.0, 0.0]})
    >>> cr = contact_rule_explorer(leads, draw=False)
    >>> cr.limit.value = 14
    >>> int(cr.result["lost_deals"]), int(cr.result["paused_open"])
    (1, 1)
    """
    return ContactRuleExplorer(leads, limit=limit, contact_cost=contact_cost, margin=margin, draw=draw, lang=lang)


# ============================================================================ Chapter 4 (satisfaction)
from crmlib import satisfaction as SAT  # noqa: E402


class IPAExplorer(Explorer):
    """Importance–performance grid for all respondents or one segment, with mean or median cross-hairs."""

    def __init__(self, survey: pd.DataFrame, segment: str = "all", cut: str = "mean", segment_col: str = "segment",
                 draw: bool = True, lang: str | None = None) -> None:
        SAT.importance_performance(survey)   # validates once
        self.survey = survey
        self.segment_col = segment_col
        self._segments = ["all"] + (sorted(survey[segment_col].astype(str).unique())
                                    if segment_col in survey.columns else [])
        self._init = (segment, cut)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        self.segment = _option(self, "segment", self._init[0], self._segments,
                                  description="客户群" if zh else "segment")
        self.cut = _option(self, "cut", self._init[1], ["mean", "median"],
                              description="分界线" if zh else "cut at")
        return [self.segment, self.cut]

    def compute(self) -> pd.DataFrame:
        s = self.survey
        if self.segment.value != "all":
            s = s[(s[self.segment_col].astype(str) == self.segment.value).to_numpy()]
        return SAT.importance_performance(s, cut=self.cut.value, lang=self.lang)

    def describe(self, ipa: pd.DataFrame) -> str:
        first = ipa["quadrant"].cat.categories[0]
        hot = ipa[ipa["quadrant"] == first].sort_values("gap", ascending=False)
        items = ", ".join(hot.index.astype(str)[:8])
        return (f"<b>{html.escape(str(first))}</b>: {len(hot)} of {len(ipa)} — {html.escape(items)}"
                + (" …" if len(hot) > 8 else ""))

    def draw(self, ipa, ax) -> None:
        plots.ipa_plot(ipa, ax=ax, lang=self.lang)


class IcebergCalculator(Explorer):
    """Move the seed's assumptions and see how many unhappy, lost and talked-to customers a month's
    complaints stand for."""

    def __init__(self, n_complaints: int = 40, complain_share: float = 0.04, leave_share: float = 0.96,
                 never_return_share: float = 0.91, tell_few: float = 9.0, tell_many: float = 20.0,
                 value_per_customer: float | None = None, draw: bool = True, lang: str | None = None) -> None:
        self._init = (n_complaints, complain_share, leave_share, never_return_share, tell_few, tell_many)
        self.value_per_customer = value_per_customer
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        n, c, l, nr, tf, tm = self._init
        n = V.integer(n, type(self).__name__, "n_complaints", 0)
        zh = self.lang == "zh"
        style = {"description_width": "initial"}
        pct = dict(step=0.01, readout_format=".0%", continuous_update=False, style=style)
        self.n_complaints = _bounded(self, 'n_complaints', W.IntSlider, n, min=0, max=max(1000, n), continuous_update=False, style=style,
                                        description="投诉数" if zh else "complaints")
        self.complain_share = _bounded(self, 'complain_share', W.FloatSlider, c, min=0.01, max=1.0, description="投诉比例" if zh else "who complain", **pct)
        self.leave_share = _bounded(self, 'leave_share', W.FloatSlider, l, min=0.0, max=1.0, description="离开比例" if zh else "leave quietly", **pct)
        self.never_return_share = _bounded(self, 'never_return_share', W.FloatSlider, nr, min=0.0, max=1.0,
                                                description="不再回来" if zh else "never return", **pct)
        self.tell_few = _bounded(self, 'tell_few', W.FloatSlider, tf, min=0, max=30, step=1, continuous_update=False, style=style,
                                      description="告诉几人(80%)" if zh else "most tell")
        self.tell_many = _bounded(self, 'tell_many', W.FloatSlider, tm, min=0, max=50, step=1, continuous_update=False, style=style,
                                       description="告诉几人(20%)" if zh else "some tell")
        return [self.n_complaints, self.complain_share, self.leave_share, self.never_return_share,
                self.tell_few, self.tell_many]

    def compute(self) -> pd.DataFrame:
        return SAT.complaint_iceberg(self.n_complaints.value, complain_share=self.complain_share.value,
                                     leave_share=self.leave_share.value,
                                     never_return_share=self.never_return_share.value,
                                     tell_few=self.tell_few.value, tell_many=self.tell_many.value,
                                     value_per_customer=self.value_per_customer, lang=self.lang)

    def describe(self, ice: pd.DataFrame) -> str:
        c = ice["count"]
        if self.lang == "zh":
            text = (f"{c['complaints']:,.0f} 条投诉 → 约 <b>{c['unhappy']:,.0f}</b> 位不满意的客户，"
                    f"<b>{c['lost']:,.0f}</b> 位永不回来，<b>{c['told']:,.0f}</b> 人听到抱怨。")
        else:
            text = (f"{c['complaints']:,.0f} complaints → about <b>{c['unhappy']:,.0f}</b> unhappy customers, "
                    f"<b>{c['lost']:,.0f}</b> never come back, <b>{c['told']:,.0f}</b> people hear about it.")
        if "value" in ice:
            text += f" ({ice.loc['lost', 'value']:,.0f})"
        return text

    def draw(self, ice, ax) -> None:
        plots.iceberg_plot(ice, ax=ax, lang=self.lang)


def ipa_explorer(survey: pd.DataFrame, segment: str = "all", cut: str = "mean", draw: bool = True,
                 lang: str | None = None, **columns: str) -> IPAExplorer:
    """Importance–performance analysis with a segment and a cross-hair rule to choose.

    >>> from crmlib.datasets import make_survey
    >>> ex = ipa_explorer(make_survey(n_respondents=40, seed=1), draw=False)
    >>> ex.segment.value = "business"
    >>> len(ex.result), str(ex.result["quadrant"].cat.categories[0])
    (40, 'concentrate here')
    """
    return IPAExplorer(survey, segment=segment, cut=cut, draw=draw, lang=lang, **columns)


def iceberg_calculator(n_complaints: int = 40, complain_share: float = 0.04, leave_share: float = 0.96,
                       never_return_share: float = 0.91, tell_few: float = 9.0, tell_many: float = 20.0,
                       value_per_customer: float | None = None, draw: bool = True,
                       lang: str | None = None) -> IcebergCalculator:
    """The complaint iceberg as a calculator: every assumption of the seed is a slider.

    >>> ic = iceberg_calculator(draw=False)
    >>> round(ic.result.loc["unhappy", "count"])
    1000
    >>> ic.complain_share.value = 0.5
    >>> round(ic.result.loc["unhappy", "count"])
    80
    """
    return IcebergCalculator(n_complaints, complain_share, leave_share, never_return_share, tell_few, tell_many,
                             value_per_customer=value_per_customer, draw=draw, lang=lang)


# ============================================================================ Chapter 5 (loyalty, CLV)
# ---- chapter 5: loyalty and retention (crmlib.loyalty)
from crmlib import loyalty as LOY  # noqa: E402


class ValueLoyaltyExplorer(Explorer):
    """Move the loyalty threshold (repeat purchases) and the value cut (a quantile of revenue) and watch
    customers change relationship in the value × loyalty matrix."""

    def __init__(self, tx: pd.DataFrame, min_repeats: int = 3, value_q: float = 0.5, draw: bool = True,
                 lang: str | None = None, **columns: str) -> None:
        amount_col = columns.pop("amount_col", "amount")
        self.status = LOY.loyalty_status(tx, **columns)          # validates once
        cid = columns.get("customer_col", "customer_id")
        func = type(self).__name__
        V.table(tx, func, [cid, amount_col], name="tx")
        amount = V.numeric(tx[amount_col], func, amount_col, allow_negative=True)   # returns may be negative
        self.revenue = amount.groupby(tx[cid]).sum().reindex(self.status.index)
        self._init = (min_repeats, value_q)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        self.min_repeats = _bounded(self, 'min_repeats', W.IntSlider, grow=True, value=self._init[0], min=1, max=10, continuous_update=False,
                                       description="忠诚门槛" if zh else "min repeats")
        self.value_q = _bounded(self, 'value_q', W.FloatSlider, self._init[1], min=0.05, max=0.95, step=0.05, continuous_update=False,
                                     description="价值分位" if zh else "value cut q")
        return [self.min_repeats, self.value_q]

    def compute(self) -> pd.DataFrame:
        return LOY.value_loyalty_matrix(self.revenue, self.status["repeat_purchases"],
                                        value_cut=float(self.revenue.quantile(self.value_q.value)),
                                        loyalty_cut=self.min_repeats.value, lang=self.lang)

    def describe(self, m: pd.DataFrame) -> str:
        g = m.groupby("relationship", observed=False)["value"]
        share = g.sum() / m["value"].sum()
        return " · ".join(f"{html.escape(str(k))}: <b>{n}</b> ({share[k]:.0%})" for k, n in g.size().items())

    def draw(self, m, ax) -> None:
        plots.value_loyalty_plot(m, ax=ax, lang=self.lang)


class CLVExplorer(Explorer):
    """Pick a customer, the horizon and the annual discount rate; read P(alive), the purchases expected
    over the horizon and the customer lifetime value (models fitted once, on the given log)."""

    def __init__(self, tx: pd.DataFrame, customer: str | None = None, horizon_months: float = 12,
                 annual_discount: float = 0.10, draw: bool = True, lang: str | None = None) -> None:
        base = LOY.clv_report(tx, horizon_months=horizon_months, annual_discount=annual_discount)
        self.models = base.attrs["models"]
        self.tx = tx
        ids = base.sort_values("clv", ascending=False).index.astype(str).tolist()
        self._ids = ids
        self._init = (customer if customer is not None else ids[0], horizon_months, annual_discount)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        c, h, d = self._init
        self.customer = _option(self, 'customer', str(c), self._ids, description="客户" if zh else "customer")
        self.horizon = _bounded(self, 'horizon_months', W.IntSlider, grow=True, value=int(h), min=1, max=60, continuous_update=False,
                                   description="期限(月)" if zh else "horizon (months)")
        self.discount = _bounded(self, 'annual_discount', W.FloatSlider, grow=True, value=float(d), min=0.0, max=0.30, step=0.01, readout_format=".0%",
                                      continuous_update=False, description="年折现率" if zh else "discount / year")
        return [self.customer, self.horizon, self.discount]

    def compute(self) -> pd.DataFrame:
        return LOY.clv_report(self.tx, horizon_months=self.horizon.value, annual_discount=self.discount.value,
                              models=self.models)

    @property
    def row(self) -> pd.Series:
        """The chosen customer's line of the report."""
        return self.result.loc[self.customer.value]

    def describe(self, rep: pd.DataFrame) -> str:
        r = self.row
        cid = html.escape(str(self.customer.value))
        if self.lang == "zh":
            return (f"<b>{cid}</b>：重复购买 {int(r.frequency)} 次，最近一次在第 {r.recency:.0f} 周（共 {r['T']:.0f} 周）→ "
                    f"仍活跃概率 <b>{r.prob_alive:.0%}</b>，未来 {self.horizon.value} 个月预计购买 "
                    f"<b>{r.expected_purchases:.2f}</b> 次，每次约 {r.expected_spend:,.0f} → CLV <b>{r.clv:,.0f}</b>")
        return (f"<b>{cid}</b>: {int(r.frequency)} repeat purchases, last in week {r.recency:.0f} of {r['T']:.0f} → "
                f"P(alive) <b>{r.prob_alive:.0%}</b>, expected purchases in {self.horizon.value} months "
                f"<b>{r.expected_purchases:.2f}</b> at about {r.expected_spend:,.0f} each → CLV <b>{r.clv:,.0f}</b>")

    def draw(self, rep, ax) -> None:
        plots.clv_histogram(rep, customer=self.customer.value, ax=ax, lang=self.lang)


def value_loyalty_explorer(tx: pd.DataFrame, min_repeats: int = 3, value_q: float = 0.5, draw: bool = True,
                           lang: str | None = None, **columns: str) -> ValueLoyaltyExplorer:
    """The value × loyalty matrix with a movable loyalty threshold and value cut.

    >>> tx = pd.DataFrame({"customer_id": ["A"] * 5 + ["B"] * 2 + ["C"],
    ...                    "date": pd.date_range("2024-01-01", periods=8, freq="7D"),
    ...                    "amount": [100.0] * 5 + [300.0, 300.0, 10.0]})
    >>> vx = value_loyalty_explorer(tx, draw=False)
    >>> vx.result["relationship"].tolist()
    ['strategic partner', 'retain (vendor relationship)', 'build relationship']
    >>> vx.min_repeats.value = 1
    >>> vx.result.loc["B", "relationship"]
    'strategic partner'
    """
    return ValueLoyaltyExplorer(tx, min_repeats=min_repeats, value_q=value_q, draw=draw, lang=lang, **columns)


def clv_explorer(tx: pd.DataFrame, customer: str | None = None, horizon_months: float = 12,
                 annual_discount: float = 0.10, draw: bool = True, lang: str | None = None) -> CLVExplorer:
    """A customer's history → P(alive), expected purchases and CLV, with horizon and discount rate.

    >>> from crmlib.datasets import make_transactions
    >>> cx = clv_explorer(make_transactions(n_customers=300, seed=1), draw=False)
    >>> short = cx.row["clv"]
    >>> cx.horizon.value = 36
    >>> bool(cx.row["clv"] > short)
    True
    """
    return CLVExplorer(tx, customer=customer, horizon_months=horizon_months, annual_discount=annual_discount,
                       draw=draw, lang=lang)


class RetentionExplorer(Explorer):
    """The retention rules of thumb as sliders: extra retention, acquisition-cost multiple and the reach
    of an unhappy customer, over the figures of one business."""

    def __init__(self, customers: float, retention_rate: float, sales_cost: float, retention_cost: float,
                 customer_value: float, retention_gain: float = 0.02, multiple: float = 6.0, reach: float = 25.0,
                 draw: bool = True, lang: str | None = None) -> None:
        self.base = dict(customers=customers, retention_rate=retention_rate, sales_cost=sales_cost,
                         retention_cost=retention_cost, customer_value=customer_value)
        LOY.retention_economics(**self.base, retention_gain=0.0)       # validates once
        self._init = (retention_gain, multiple, reach)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        g, m, r = self._init
        top = max(0.0, min(0.2, 1.0 - self.base["retention_rate"]))
        self.gain = W.FloatSlider(value=min(g, top), min=0.0, max=top, step=0.005, readout_format=".1%",
                                  continuous_update=False, description="多保持" if zh else "extra kept")
        self.multiple = _bounded(self, 'multiple', W.FloatSlider, grow=True, value=m, min=1.0, max=10.0, step=0.5, continuous_update=False,
                                      description="获客倍数" if zh else "acq. multiple")
        self.reach = _bounded(self, 'reach', W.IntSlider, grow=True, value=int(r), min=0, max=50, continuous_update=False,
                                 description="影响人数" if zh else "reach")
        return [self.gain, self.multiple, self.reach]

    def compute(self) -> pd.Series:
        return LOY.retention_economics(**self.base, retention_gain=self.gain.value, multiple=self.multiple.value,
                                       reach=self.reach.value, lang=self.lang)

    def describe(self, e: pd.Series) -> str:
        if self.lang == "zh":
            return (f"多保持 <b>{e.kept_extra:,.0f}</b> 位客户：节省销售成本 <b>{e.sales_cost_saved:,.0f}</b>，"
                    f"保持成本 {e.cost_keep:,.0f}，而争取同样多的新客户要 {e.cost_replace:,.0f}；"
                    f"流失的 {e.lost:,.0f} 位客户若不满意，会影响 <b>{e.people_reached:,.0f}</b> 人。")
        return (f"Keeping <b>{e.kept_extra:,.0f}</b> more customers saves <b>{e.sales_cost_saved:,.0f}</b> of sales cost; "
                f"keeping them costs {e.cost_keep:,.0f}, winning as many new ones {e.cost_replace:,.0f}. "
                f"If the {e.lost:,.0f} who leave are unhappy, they put off <b>{e.people_reached:,.0f}</b> people.")

    def draw(self, e, ax) -> None:
        plots.retention_economics_plot(e, ax=ax, lang=self.lang)


def retention_explorer(customers: float, retention_rate: float, sales_cost: float, retention_cost: float,
                       customer_value: float, retention_gain: float = 0.02, multiple: float = 6.0,
                       reach: float = 25.0, draw: bool = True, lang: str | None = None) -> RetentionExplorer:
    """Retention economics with sliders (2 % ≈ 10 % rule, 6× acquisition cost, 25 people reached).

    >>> rx = retention_explorer(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300, draw=False)
    >>> float(rx.result["sales_cost_saved"])
    10000.0
    >>> rx.gain.value = 0.04
    >>> float(rx.result["sales_cost_saved"])
    20000.0
    """
    return RetentionExplorer(customers, retention_rate, sales_cost, retention_cost, customer_value,
                             retention_gain=retention_gain, multiple=multiple, reach=reach, draw=draw, lang=lang)


# ============================================================================ Casework 1-3
class CompExplorer(Explorer):
    """Harrah's comps as sliders (哈拉赌场的返还): the comp rate of each tier and the retention lift,
    over fixed tiers; the verdict gives the programme's cost and net value."""

    def __init__(self, loss, tier, comp_rates=(0.10, 0.15, 0.20, 0.30), base_retention: float = 0.5,
                 retention_lift: float = 0.06, player_years: float = 3.0, draw: bool = True,
                 lang: str | None = None) -> None:
        from crmlib import casework as CW
        self._cw = CW
        self.base = dict(loss=loss, tier=tier, base_retention=base_retention, player_years=player_years)
        CW.comp_economics(**self.base, comp_rates=comp_rates, retention_lift=retention_lift)   # validates once
        self._init = (list(comp_rates), retention_lift)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        rates, lift = self._init
        names = i18n.categories(self._cw.TIER_KEYS, self.lang)
        self.rates = [_bounded(self, "comp_rates", W.FloatSlider, grow=True, value=r, min=0.0, max=0.5, step=0.01, readout_format=".0%",
                                    continuous_update=False, description=n) for r, n in zip(rates, names)]
        self.lift = _bounded(self, 'retention_lift', W.FloatSlider, grow=True, value=float(lift), min=0.0, max=0.3, step=0.005, continuous_update=False,
                                  description="保持提升" if self.lang == "zh" else "lift per 10%")
        return [*self.rates, self.lift]

    def compute(self) -> pd.DataFrame:
        return self._cw.comp_economics(**self.base, comp_rates=[s.value for s in self.rates],
                                       retention_lift=self.lift.value, lang=self.lang)

    def describe(self, e: pd.DataFrame) -> str:
        cost, net = float(e["comp_cost"].sum()), float(e["net_value"].sum())
        if self.lang == "zh":
            return f"返还成本 <b>{cost:,.0f}</b>，保持带来的净价值 <b>{net:,.0f}</b>"
        return f"Comps cost <b>{cost:,.0f}</b>; net value of the retention they buy <b>{net:,.0f}</b>"

    def draw(self, e, ax) -> None:
        plots.comp_economics_plot(e, ax=ax, lang=self.lang)


def comp_explorer(loss, tier, comp_rates=(0.10, 0.15, 0.20, 0.30), base_retention: float = 0.5,
                  retention_lift: float = 0.06, player_years: float = 3.0, draw: bool = True,
                  lang: str | None = None) -> CompExplorer:
    """Comp rates per tier and the retention lift as sliders over :func:`crmlib.casework.comp_economics`.

    >>> cx = comp_explorer([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"], draw=False)
    >>> round(float(cx.result["comp_cost"].sum()), 2)
    1755.0
    >>> cx.rates[3].value = 0.1
    >>> round(float(cx.result["comp_cost"].sum()), 2)
    755.0
    """
    return CompExplorer(loss, tier, comp_rates=comp_rates, base_retention=base_retention,
                        retention_lift=retention_lift, player_years=player_years, draw=draw, lang=lang)


class LobbyExplorer(Explorer):
    """The bank lobby's serving order with sliders for the weights of MAN priority, asset value and
    potential (大堂经理：先服务谁); the verdict lists the first ``first`` visitors."""

    def __init__(self, visitors: pd.DataFrame, money_cut: float = 100_000.0, abc_cuts=(0.8, 0.95),
                 weights=(0.4, 0.35, 0.25), first: int = 5, draw: bool = True, lang: str | None = None) -> None:
        from crmlib import casework as CW
        self._cw = CW
        self.base = dict(visitors=visitors, money_cut=money_cut, abc_cuts=abc_cuts)
        CW.lobby_triage(**self.base, weights=weights)        # validates once
        self.first = V.integer(first, type(self).__name__, "first", 1)
        self._init = list(weights)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        labels = ["MAN", "价值" if zh else "value", "潜力" if zh else "potential"]
        self.weights = [_bounded(self, "weights", W.FloatSlider, grow=True, value=w, min=0.0, max=1.0, step=0.05, continuous_update=False,
                                      description=d) for w, d in zip(self._init, labels)]
        return list(self.weights)

    def compute(self) -> pd.DataFrame:
        w = [s.value for s in self.weights]
        if sum(w) <= 0:
            w = [1.0, 1.0, 1.0]
        return self._cw.lobby_triage(**self.base, weights=w, lang=self.lang)

    def describe(self, t: pd.DataFrame) -> str:
        ids = ", ".join(t.sort_values("order").index[: self.first].astype(str))
        return ("先服务: " if self.lang == "zh" else "Serve first: ") + f"<b>{html.escape(ids)}</b>"

    def draw(self, t, ax) -> None:
        plots.lobby_plot(t, first=self.first, ax=ax, lang=self.lang)


def lobby_explorer(visitors: pd.DataFrame, money_cut: float = 100_000.0, abc_cuts=(0.8, 0.95),
                   weights=(0.4, 0.35, 0.25), first: int = 5, draw: bool = True,
                   lang: str | None = None) -> LobbyExplorer:
    """Weights of the serving order as sliders over :func:`crmlib.casework.lobby_triage`.

    >>> v = pd.DataFrame({"visitor_id": ["V1", "V2"], "arrival_min": [1.0, 2.0],
    ...                   "purpose": ["wealth management", "loan enquiry"], "assets": [9e5, 1e4],
    ...                   "annual_inflow": [5e4, 9e5], "decides": [True, True]})
    >>> lx = lobby_explorer(v, first=1, draw=False)
    >>> lx.text.value
    'Serve first: <b>V1</b>'
    >>> lx.weights[1].value = 0.0
    >>> lx.text.value
    'Serve first: <b>V2</b>'
    """
    return LobbyExplorer(visitors, money_cut=money_cut, abc_cuts=abc_cuts, weights=weights, first=first,
                         draw=draw, lang=lang)



# ============================================================================ Casework 4-6
class DeliveryExplorer(Explorer):
    """Wang Yongqing's rice deliveries as sliders (送米计划): lead time, fixed-round interval and the
    "early" limit, recomputing the backtest of predicted against fixed deliveries."""

    def __init__(self, purchases: pd.DataFrame, cutoff: Any, lead_days: int = 1, interval_days: int = 30,
                 early_days: int = 5, draw: bool = True, lang: str | None = None) -> None:
        from crmlib import casework as CW
        self._cw = CW
        self.purchases, self.cutoff = purchases, cutoff
        CW.backtest_deliveries(purchases, cutoff, interval_days=interval_days, lead_days=lead_days,
                               early_days=early_days)                     # validates once
        self._init = (lead_days, interval_days, early_days)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        zh = self.lang == "zh"
        lead, every, early = self._init
        self.lead = _bounded(self, 'lead_days', W.IntSlider, grow=True, value=lead, min=0, max=10, continuous_update=False,
                                description="提前天数" if zh else "lead days")
        self.interval = _bounded(self, 'interval_days', W.IntSlider, grow=True, value=every, min=7, max=90, continuous_update=False,
                                    description="固定周期" if zh else "round (days)")
        self.early = _bounded(self, 'early_days', W.IntSlider, grow=True, value=early, min=1, max=30, continuous_update=False,
                                 description="过早界限" if zh else "early after")
        return [self.lead, self.interval, self.early]

    def compute(self) -> pd.DataFrame:
        bt = self._cw.backtest_deliveries(self.purchases, self.cutoff, interval_days=self.interval.value,
                                          lead_days=self.lead.value, early_days=self.early.value, lang=self.lang)
        return self._cw.schedule_summary(bt, lang=self.lang)

    def describe(self, s: pd.DataFrame) -> str:
        p, f = s.iloc[0], s.iloc[1]
        if self.lang == "zh":
            return (f"按预测送米：<b>{p.iloc[1]:.0%}</b> 及时、{p.iloc[0]:.0%} 送晚；固定周期：<b>{f.iloc[1]:.0%}</b> 及时、"
                    f"{f.iloc[0]:.0%} 送晚。平均断米天数 {p.iloc[3]:.2f} 对 {f.iloc[3]:.2f}。")
        return (f"Predicted deliveries: <b>{p.iloc[1]:.0%}</b> on time, {p.iloc[0]:.0%} late; fixed round: "
                f"<b>{f.iloc[1]:.0%}</b> on time, {f.iloc[0]:.0%} late. Days without rice {p.iloc[3]:.2f} vs {f.iloc[3]:.2f}.")

    def draw(self, s, ax) -> None:
        plots.schedule_comparison_plot(s, ax=ax, lang=self.lang)


def delivery_explorer(purchases: pd.DataFrame, cutoff: Any, lead_days: int = 1, interval_days: int = 30,
                      early_days: int = 5, draw: bool = True, lang: str | None = None) -> DeliveryExplorer:
    """Predicted against fixed rice deliveries with sliders (case 4, 王永庆的米店).

    >>> from crmlib.datasets import make_rice_purchases
    >>> log = make_rice_purchases(n_households=40, days=200, seed=1)
    >>> dx = delivery_explorer(log, log["date"].min() + pd.Timedelta(days=120), draw=False, lang="en")
    >>> late_before = dx.result.iloc[0, 0]
    >>> dx.lead.value = 5
    >>> bool(dx.result.iloc[0, 0] <= late_before)
    True
    """
    return DeliveryExplorer(purchases, cutoff, lead_days=lead_days, interval_days=interval_days,
                            early_days=early_days, draw=draw, lang=lang)


# ============================================================================ Chapter 6 (customer records)
class CustomerSearch(Explorer):
    """Type a customer's name or number, see its card (客户卡查询): a thin view over
    :meth:`crmlib.records.Archive.search` and :meth:`~crmlib.records.Archive.customer_card`."""

    def __init__(self, archive: Any, query: str = "", limit: int = 10, lang: str | None = None) -> None:
        from crmlib.records import Archive
        if not isinstance(archive, Archive):
            from crmlib._errors import CRMDataError
            raise CRMDataError("customer_search", "archive", f"must be a crmlib.records.Archive, got {type(archive).__name__}")
        self.archive, self._query, self.limit = archive, query, limit
        self.matches = pd.DataFrame()
        super().__init__(draw=False, lang=lang if lang is not None else archive.lang)

    def controls(self):
        zh = self.lang == "zh"
        self.query = _text(self, 'query', W.Text, self._query, description="客户" if zh else "customer",
                            placeholder="名称或编号，例如 A0001" if zh else "name or number, e.g. A0001",
                            continuous_update=False)
        return [self.query]

    def compute(self):
        """The card of the best match (exact number first), or None; ``matches`` lists all matches."""
        q = self.query.value.strip()
        self.matches = self.archive.search(q, limit=self.limit) if q else pd.DataFrame()
        if len(self.matches) == 0:
            return None
        return self.archive.customer_card(str(self.matches.index[0]), lang=self.lang)

    def describe(self, card) -> str:
        zh = self.lang == "zh"
        if not self.query.value.strip():
            return "<p>输入客户名称或编号。</p>" if zh else "<p>Type a customer's name or number.</p>"
        if card is None:
            return (f"<p>没有找到 “{html.escape(self.query.value)}”。</p>" if zh
                    else f"<p>No customer matches “{html.escape(self.query.value)}”.</p>")
        n = len(self.matches)
        others = ", ".join(f"{html.escape(str(i))} {html.escape(str(v))}" for i, v in self.matches["name"].iloc[1:].items())
        head = ""
        if n > 1:
            head = (f"<p>{n} 个匹配，显示第一个；其他：{others}</p>" if zh
                    else f"<p>{n} matches, showing the first; others: {others}</p>")
        return head + card._repr_html_()


def customer_search(archive: Any, query: str = "", limit: int = 10, lang: str | None = None) -> CustomerSearch:
    """A search box over the customer archive: name or number → the customer's card (Chapter 6).

    >>> from crmlib.records import Archive
    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1", "K2"], "name": ["王记米店", "李记粮行"]}))
    >>> s = customer_search(arc, lang="en")
    >>> s.query.value = "李记"
    >>> s.result.fields["customer_id"], "李记粮行" in s.text.value
    ('K2', True)
    """
    return CustomerSearch(archive, query=query, limit=limit, lang=lang)
