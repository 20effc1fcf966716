"""Explorers of the case studies (案例): Harrah's comps, the bank lobby's serving order, the rice
deliveries. Each is a thin view over the case's functions in :mod:`crmlib.casework`.

>>> cx = comp_explorer([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"], draw=False,
...                    lang="zh")
>>> "返还成本" in cx.text.value
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib.widgets.base import Explorer, _bounded


def _casework():
    from crmlib import casework

    return casework


class CompExplorer(Explorer):
    """Harrah's comps as sliders (哈拉赌场的返还): the comp rate of each tier and the retention lift,
    over fixed tiers; the verdict gives the programme's cost and net value."""

    keep = 32

    def __init__(
        self,
        loss,
        tier,
        comp_rates=(0.10, 0.15, 0.20, 0.30),
        base_retention: float = 0.5,
        retention_lift: float = 0.06,
        player_years: float = 3.0,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self._cw = _casework()
        self.base = dict(loss=loss, tier=tier, base_retention=base_retention, player_years=player_years)
        self._cw.comp_economics(**self.base, comp_rates=comp_rates, retention_lift=retention_lift)  # validates once
        self._init = (list(comp_rates), retention_lift)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        rates, lift = self._init
        names = i18n.categories(self._cw.TIER_KEYS, self.lang)
        self.rates = [
            _bounded(
                self,
                "comp_rates",
                W.FloatSlider,
                grow=True,
                value=r,
                min=0.0,
                max=0.5,
                step=0.01,
                readout_format=".0%",
                continuous_update=False,
                description=n,
            )
            for r, n in zip(rates, names)
        ]
        self.lift = _bounded(
            self,
            "retention_lift",
            W.FloatSlider,
            grow=True,
            value=float(lift),
            min=0.0,
            max=0.3,
            step=0.005,
            continuous_update=False,
            description=self.say("w_comp_lift"),
        )
        return [*self.rates, self.lift]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return self._cw.comp_economics(
            **self.base, comp_rates=[s.value for s in self.rates], retention_lift=self.lift.value, lang=self.lang
        )

    def describe(self, e: pd.DataFrame) -> str:
        return self.say("w_comp_verdict", cost=float(e["comp_cost"].sum()), net=float(e["net_value"].sum()))

    def draw(self, e, ax) -> None:
        from crmlib import plots

        plots.comp_economics_plot(e, ax=ax, lang=self.lang)


class LobbyExplorer(Explorer):
    """The bank lobby's serving order with sliders for the weights of MAN priority, asset value and
    potential (大堂经理：先服务谁); the verdict lists the first ``first`` visitors."""

    keep = 32

    def __init__(
        self,
        visitors: pd.DataFrame,
        money_cut: float = 100_000.0,
        abc_cuts=(0.8, 0.95),
        weights=(0.4, 0.35, 0.25),
        first: int = 5,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self._cw = _casework()
        self.base = dict(visitors=visitors, money_cut=money_cut, abc_cuts=abc_cuts)
        # the MAN codes, value classes and desks do not depend on the weights: read once
        lang = i18n.resolve(lang, type(self).__name__)
        self.triage = self._cw.lobby_triage(**self.base, weights=weights, lang=lang)
        self.first = V.integer(first, type(self).__name__, "first", 1)
        self._init = list(weights)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        labels = [self.say("w_lobby_man"), self.say("w_lobby_value"), self.say("w_lobby_potential")]
        self.weights = [
            _bounded(
                self,
                "weights",
                W.FloatSlider,
                grow=True,
                value=w,
                min=0.0,
                max=1.0,
                step=0.05,
                continuous_update=False,
                description=d,
            )
            for w, d in zip(self._init, labels)
        ]
        return list(self.weights)

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        w = [s.value for s in self.weights]
        if sum(w) <= 0:
            w = [1.0, 1.0, 1.0]
        return self._cw.lobby_reweigh(self.triage, weights=w)

    def describe(self, t: pd.DataFrame) -> str:
        ids = ", ".join(t.sort_values("order").index[: self.first].astype(str))
        return self.say("w_lobby_verdict", visitors=html.escape(ids))

    def draw(self, t, ax) -> None:
        from crmlib import plots

        plots.lobby_plot(t, first=self.first, ax=ax, lang=self.lang)

    def redraw(self, last, t, ax) -> bool:
        # the weights change only the serving order: the dots (desks) stay, the numbers move
        if not t["desk"].equals(last["desk"]):
            return False
        from crmlib import plots

        numbers = plots.lobby_numbers(t, self.first)
        if len(numbers) != len(ax.texts):
            return False
        for text, (label, xy) in zip(ax.texts, numbers):
            text.set_text(label)
            text.xy = xy
        return True


class DeliveryExplorer(Explorer):
    """Wang Yongqing's rice deliveries as sliders (送米计划): lead time, fixed-round interval and the
    "early" limit, recomputing the backtest of predicted against fixed deliveries."""

    keep = 32

    def __init__(
        self,
        purchases: pd.DataFrame,
        cutoff: Any,
        lead_days: int = 1,
        interval_days: int = 30,
        early_days: int = 5,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self._cw = _casework()
        self.purchases, self.cutoff = purchases, cutoff
        self._cw.backtest_deliveries(
            purchases, cutoff, interval_days=interval_days, lead_days=lead_days, early_days=early_days
        )  # validates once
        self._init = (lead_days, interval_days, early_days)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        lead, every, early = self._init
        self.lead = _bounded(
            self,
            "lead_days",
            W.IntSlider,
            grow=True,
            value=lead,
            min=0,
            max=10,
            continuous_update=False,
            description=self.say("w_delivery_lead"),
        )
        self.interval = _bounded(
            self,
            "interval_days",
            W.IntSlider,
            grow=True,
            value=every,
            min=7,
            max=90,
            continuous_update=False,
            description=self.say("w_delivery_interval"),
        )
        self.early = _bounded(
            self,
            "early_days",
            W.IntSlider,
            grow=True,
            value=early,
            min=1,
            max=30,
            continuous_update=False,
            description=self.say("w_delivery_early"),
        )
        return [self.lead, self.interval, self.early]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        bt = self._cw.backtest_deliveries(
            self.purchases,
            self.cutoff,
            interval_days=self.interval.value,
            lead_days=self.lead.value,
            early_days=self.early.value,
            lang=self.lang,
        )
        return self._cw.schedule_summary(bt, lang=self.lang)

    def describe(self, s: pd.DataFrame) -> str:
        p, f = s.iloc[0], s.iloc[1]
        return self.say(
            "w_delivery_verdict",
            on_time=p.iloc[1],
            late=p.iloc[0],
            fixed_on_time=f.iloc[1],
            fixed_late=f.iloc[0],
            dry=p.iloc[3],
            fixed_dry=f.iloc[3],
        )

    def draw(self, s, ax) -> None:
        from crmlib import plots

        plots.schedule_comparison_plot(s, ax=ax, lang=self.lang)


def comp_explorer(
    loss,
    tier,
    comp_rates=(0.10, 0.15, 0.20, 0.30),
    base_retention: float = 0.5,
    retention_lift: float = 0.06,
    player_years: float = 3.0,
    draw: bool = True,
    lang: str | None = None,
) -> CompExplorer:
    """Comp rates per tier and the retention lift as sliders over :func:`crmlib.casework.comp_economics`.

    >>> cx = comp_explorer([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"], draw=False)
    >>> round(float(cx.result["comp_cost"].sum()), 2)
    1755.0
    >>> cx.rates[3].value = 0.1
    >>> round(float(cx.result["comp_cost"].sum()), 2)
    755.0
    """
    return CompExplorer(
        loss,
        tier,
        comp_rates=comp_rates,
        base_retention=base_retention,
        retention_lift=retention_lift,
        player_years=player_years,
        draw=draw,
        lang=lang,
    )


def lobby_explorer(
    visitors: pd.DataFrame,
    money_cut: float = 100_000.0,
    abc_cuts=(0.8, 0.95),
    weights=(0.4, 0.35, 0.25),
    first: int = 5,
    draw: bool = True,
    lang: str | None = None,
) -> LobbyExplorer:
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
    return LobbyExplorer(
        visitors, money_cut=money_cut, abc_cuts=abc_cuts, weights=weights, first=first, draw=draw, lang=lang
    )


def delivery_explorer(
    purchases: pd.DataFrame,
    cutoff: Any,
    lead_days: int = 1,
    interval_days: int = 30,
    early_days: int = 5,
    draw: bool = True,
    lang: str | None = None,
) -> DeliveryExplorer:
    """Predicted against fixed rice deliveries with sliders (case 4, 王永庆的米店).

    >>> from crmlib.datasets import make_rice_purchases
    >>> log = make_rice_purchases(n_households=40, days=200, seed=1)
    >>> dx = delivery_explorer(log, log["date"].min() + pd.Timedelta(days=120), draw=False, lang="en")
    >>> late_before = dx.result.iloc[0, 0]
    >>> dx.lead.value = 5
    >>> bool(dx.result.iloc[0, 0] <= late_before)
    True
    """
    return DeliveryExplorer(
        purchases, cutoff, lead_days=lead_days, interval_days=interval_days, early_days=early_days, draw=draw, lang=lang
    )
