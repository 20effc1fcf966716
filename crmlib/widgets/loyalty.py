"""Chapter 5 explorers (客户忠诚): value × loyalty, customer lifetime value, retention economics.

>>> rx = retention_explorer(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300,
...                         draw=False, lang="zh")
>>> "节省销售成本" in rx.text.value
True
"""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from crmlib import loyalty as LOY
from crmlib.widgets.base import Explorer, _bounded, _item, _move_dots, _option


class ValueLoyaltyExplorer(Explorer):
    """Move the loyalty threshold (repeat purchases) and the value cut (a quantile of revenue) and watch
    customers change relationship in the value × loyalty matrix."""

    keep = 16  # a result is a table of every customer

    def __init__(
        self,
        tx: pd.DataFrame,
        min_repeats: int = 3,
        value_q: float = 0.5,
        draw: bool = True,
        lang: str | None = None,
        **columns: str,
    ) -> None:
        self.inputs = LOY.value_loyalty_inputs(tx, **columns)  # validates once
        self.revenue = self.inputs["revenue"]
        self._init = (min_repeats, value_q)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.min_repeats = _bounded(
            self,
            "min_repeats",
            W.IntSlider,
            grow=True,
            value=self._init[0],
            min=1,
            max=10,
            continuous_update=False,
            description=self.say("w_vl_min_repeats"),
        )
        self.value_q = _bounded(
            self,
            "value_q",
            W.FloatSlider,
            self._init[1],
            min=0.05,
            max=0.95,
            step=0.05,
            continuous_update=False,
            description=self.say("w_vl_value_q"),
        )
        return [self.min_repeats, self.value_q]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return LOY.value_loyalty_matrix(
            self.revenue,
            self.inputs["repeat_purchases"],
            value_cut=float(self.revenue.quantile(self.value_q.value)),
            loyalty_cut=self.min_repeats.value,
            lang=self.lang,
        )

    def describe(self, m: pd.DataFrame) -> str:
        g = m.groupby("relationship", observed=False)["value"]
        share = g.sum() / m["value"].sum()
        items = [_item(html.escape(str(k)), n, share[k], self.lang) for k, n in g.size().items()]
        return self.say("w_list_sep").join(items)

    def draw(self, m, ax) -> None:
        from crmlib import plots

        plots.value_loyalty_plot(m, ax=ax, lang=self.lang)

    def redraw(self, last, m, ax) -> bool:
        # the dots stay where they are: only their relationships (colours) and the two cut lines
        # move (value_loyalty_plot draws the loyalty cut half a repeat below the cut)
        def loyalty_line(r):
            cut = r.attrs.get("loyalty_cut")
            return None if cut is None else cut - 0.5

        cuts = [
            ("x", last.attrs.get("value_cut"), m.attrs.get("value_cut")),
            ("y", loyalty_line(last), loyalty_line(m)),
        ]
        return _move_dots(ax, last["relationship"], m["relationship"], cuts)


class CLVExplorer(Explorer):
    """Pick a customer, the horizon and the annual discount rate; read P(alive), the purchases expected
    over the horizon and the customer lifetime value (models fitted once, on the given log).

    The report of every customer is computed once per horizon and discount rate
    (:func:`crmlib.loyalty.clv_from_summary` on the summary and models of the first report) and kept:
    picking another customer only looks up that customer's line and marks it on the figure."""

    keep = 16

    def __init__(
        self,
        tx: pd.DataFrame,
        customer: str | None = None,
        horizon_months: float = 12,
        annual_discount: float = 0.10,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        base = LOY.clv_report(tx, horizon_months=horizon_months, annual_discount=annual_discount)
        self.models = base.attrs["models"]
        self.tx = tx
        self._summary = base[["frequency", "recency", "T", "monetary_value"]]
        ids = base.sort_values("clv", ascending=False).index.astype(str).tolist()
        self._ids = ids
        self._base = base
        self._init = (customer if customer is not None else ids[0], horizon_months, annual_discount)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        c, h, d = self._init
        self.customer = _option(self, "customer", str(c), self._ids, description=self.say("w_clv_customer"))
        self.horizon = _bounded(
            self,
            "horizon_months",
            W.IntSlider,
            grow=True,
            value=int(h),
            min=1,
            max=60,
            continuous_update=False,
            description=self.say("w_clv_horizon"),
        )
        self.discount = _bounded(
            self,
            "annual_discount",
            W.FloatSlider,
            grow=True,
            value=float(d),
            min=0.0,
            max=0.30,
            step=0.01,
            readout_format=".0%",
            continuous_update=False,
            description=self.say("w_clv_discount"),
        )
        if (self.horizon.value, self.discount.value) == (h, d):  # the first report is that of the sliders
            self._remember(self.compute_key(), self._base)
        del self._base
        return [self.customer, self.horizon, self.discount]

    def compute_key(self):
        return (self.horizon.value, self.discount.value)  # not the customer: one report serves all

    def draw_key(self):
        return (self.customer.value,)

    def compute(self) -> pd.DataFrame:
        return LOY.clv_from_summary(
            self._summary, models=self.models, horizon_months=self.horizon.value, annual_discount=self.discount.value
        )

    @property
    def row(self) -> pd.Series:
        """The chosen customer's line of the report."""
        return self.result.loc[self.customer.value]

    def describe(self, rep: pd.DataFrame) -> str:
        r = self.row
        return self.say(
            "w_clv_verdict",
            customer=html.escape(str(self.customer.value)),
            frequency=int(r.frequency),
            recency=r.recency,
            T=r["T"],
            prob_alive=r.prob_alive,
            months=self.horizon.value,
            expected=r.expected_purchases,
            spend=r.expected_spend,
            clv=r.clv,
        )

    def draw(self, rep, ax) -> None:
        from crmlib import plots

        plots.clv_histogram(rep, customer=self.customer.value, ax=ax, lang=self.lang)


class RetentionExplorer(Explorer):
    """The retention rules of thumb as sliders: extra retention, acquisition-cost multiple and the reach
    of an unhappy customer, over the figures of one business."""

    keep = 32

    def __init__(
        self,
        customers: float,
        retention_rate: float,
        sales_cost: float,
        retention_cost: float,
        customer_value: float,
        retention_gain: float = 0.02,
        multiple: float = 6.0,
        reach: float = 25.0,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self.base = dict(
            customers=customers,
            retention_rate=retention_rate,
            sales_cost=sales_cost,
            retention_cost=retention_cost,
            customer_value=customer_value,
        )
        LOY.retention_economics(**self.base, retention_gain=0.0)  # validates once
        self._init = (retention_gain, multiple, reach)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        g, m, r = self._init
        top = max(0.0, min(0.2, 1.0 - self.base["retention_rate"]))
        self.gain = W.FloatSlider(
            value=min(g, top),
            min=0.0,
            max=top,
            step=0.005,
            readout_format=".1%",
            continuous_update=False,
            description=self.say("w_retention_gain"),
        )
        self.multiple = _bounded(
            self,
            "multiple",
            W.FloatSlider,
            grow=True,
            value=m,
            min=1.0,
            max=10.0,
            step=0.5,
            continuous_update=False,
            description=self.say("w_retention_multiple"),
        )
        self.reach = _bounded(
            self,
            "reach",
            W.IntSlider,
            grow=True,
            value=int(r),
            min=0,
            max=50,
            continuous_update=False,
            description=self.say("w_retention_reach"),
        )
        return [self.gain, self.multiple, self.reach]

    def draw_key(self):
        return ()

    def compute(self) -> pd.Series:
        return LOY.retention_economics(
            **self.base,
            retention_gain=self.gain.value,
            multiple=self.multiple.value,
            reach=self.reach.value,
            lang=self.lang,
        )

    def describe(self, e: pd.Series) -> str:
        return self.say(
            "w_retention_verdict",
            kept=e.kept_extra,
            saved=e.sales_cost_saved,
            cost_keep=e.cost_keep,
            cost_replace=e.cost_replace,
            lost=e.lost,
            reached=e.people_reached,
        )

    def draw(self, e, ax) -> None:
        from crmlib import plots

        plots.retention_economics_plot(e, ax=ax, lang=self.lang)


def value_loyalty_explorer(
    tx: pd.DataFrame,
    min_repeats: int = 3,
    value_q: float = 0.5,
    draw: bool = True,
    lang: str | None = None,
    **columns: str,
) -> ValueLoyaltyExplorer:
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


def clv_explorer(
    tx: pd.DataFrame,
    customer: str | None = None,
    horizon_months: float = 12,
    annual_discount: float = 0.10,
    draw: bool = True,
    lang: str | None = None,
) -> CLVExplorer:
    """A customer's history → P(alive), expected purchases and CLV, with horizon and discount rate.

    >>> from crmlib.datasets import make_transactions
    >>> cx = clv_explorer(make_transactions(n_customers=300, seed=1), draw=False)
    >>> short = cx.row["clv"]
    >>> cx.horizon.value = 36
    >>> bool(cx.row["clv"] > short)
    True
    """
    return CLVExplorer(
        tx, customer=customer, horizon_months=horizon_months, annual_discount=annual_discount, draw=draw, lang=lang
    )


def retention_explorer(
    customers: float,
    retention_rate: float,
    sales_cost: float,
    retention_cost: float,
    customer_value: float,
    retention_gain: float = 0.02,
    multiple: float = 6.0,
    reach: float = 25.0,
    draw: bool = True,
    lang: str | None = None,
) -> RetentionExplorer:
    """Retention economics with sliders (2 % ≈ 10 % rule, 6× acquisition cost, 25 people reached).

    >>> rx = retention_explorer(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300, draw=False)
    >>> float(rx.result["sales_cost_saved"])
    10000.0
    >>> rx.gain.value = 0.04
    >>> float(rx.result["sales_cost_saved"])
    20000.0
    """
    return RetentionExplorer(
        customers,
        retention_rate,
        sales_cost,
        retention_cost,
        customer_value,
        retention_gain=retention_gain,
        multiple=multiple,
        reach=reach,
        draw=draw,
        lang=lang,
    )
