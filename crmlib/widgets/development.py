"""Chapter 3 explorers (客户开发): AIDMAS funnels, the Franklin balance sheet, the contact limit.

>>> fr = franklin_explorer(draw=False)
>>> fr.result.balance
2.0
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import pandas as pd

from crmlib import development as DEV
from crmlib._errors import CRMDataError
from crmlib.widgets.base import Explorer, _bounded, _option, _text


class FunnelExplorer(Explorer):
    """Compare the AIDMAS funnel of two slices of the leads: two channels, two quarters, or one
    slice against all leads."""

    keep = 32

    def __init__(
        self,
        leads: pd.DataFrame,
        first: str | None = None,
        second: str = "all",
        channel_col: str = "channel",
        date_col: str = "created",
        stage_col: str = "stage",
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
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
        self.first = _option(self, "first", self._init[0], opts, description=self.say("w_funnel_first"))
        self.second = _option(self, "second", self._init[1], opts, description=self.say("w_funnel_second"))
        return [self.first, self.second]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        parts = {
            name: DEV.funnel(self.leads[self._slices[name]], stage_col=self.stage_col, lang=self.lang)
            for name in dict.fromkeys([self.first.value, self.second.value])
        }
        return pd.concat(parts, names=["group"])

    def describe(self, f: pd.DataFrame) -> str:
        out = []
        for g in dict.fromkeys(f.index.get_level_values(0)):
            sub = f.loc[g]
            worst = sub["conversion"].iloc[1:].idxmin()
            out.append(
                self.say(
                    "w_funnel_line",
                    group=html.escape(g),
                    n=int(sub["count"].iloc[0]),
                    bought=sub["share_of_first"].iloc[-2],
                    step=html.escape(str(sub.loc[worst, "label"])),
                    conversion=sub.loc[worst, "conversion"],
                )
            )
        return "<br>".join(out)

    def draw(self, f, ax) -> None:
        from crmlib import plots

        plots.funnel_plot(f, ax=ax, lang=self.lang)


class FranklinExplorer(Explorer):
    """Type the benefits of buying, the losses of not buying and the customer's objections, one
    ``item: weight`` per line, and watch the balance tip."""

    keep = 16

    def __init__(
        self, benefits: str = "", losses: str = "", objections: str = "", draw: bool = True, lang: str | None = None
    ) -> None:
        self._init = (benefits, losses, objections)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        lay = W.Layout(width="32%", height="120px")
        b, los, o = self._init
        self.benefits = _text(
            self,
            "benefits",
            W.Textarea,
            b,
            description=self.say("w_franklin_benefits"),
            layout=lay,
            continuous_update=False,
        )
        self.losses = _text(
            self,
            "losses",
            W.Textarea,
            los,
            description=self.say("w_franklin_losses"),
            layout=lay,
            continuous_update=False,
        )
        self.objections = _text(
            self,
            "objections",
            W.Textarea,
            o,
            description=self.say("w_franklin_objections"),
            layout=lay,
            continuous_update=False,
        )
        return [self.benefits, self.losses, self.objections]

    def draw_key(self):
        return ()

    def compute(self):
        try:
            return DEV.franklin_balance(self.benefits.value, self.losses.value, self.objections.value, lang=self.lang)
        except CRMDataError as exc:  # a typing slip shows as a message, not a traceback
            return exc

    def describe(self, r) -> str:
        if isinstance(r, CRMDataError):
            return self.say("w_franklin_slip", error=html.escape(str(r)))
        return self.say(
            "w_franklin_verdict", for_buying=r.for_buying, against=r.against, verdict=html.escape(r.verdict)
        )

    def draw(self, r, ax) -> None:
        if isinstance(r, CRMDataError):
            ax.set_axis_off()
            return
        from crmlib import plots

        plots.franklin_plot(r, ax=ax, lang=self.lang)


class ContactRuleExplorer(Explorer):
    """Move the contact limit and see what it saves, what it loses and how many open leads it pauses."""

    keep = 30

    def __init__(
        self,
        leads: pd.DataFrame,
        limit: int = 12,
        contact_cost: float = DEV.CONTACT_COST,
        margin: float = 0.3,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self.curve = DEV.contact_limit_tradeoff(leads, limits=range(1, 31), contact_cost=contact_cost, margin=margin)
        self._limit = limit
        self.best = int(self.curve["net"].idxmax())
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.limit = _bounded(
            self,
            "limit",
            W.IntSlider,
            self._limit,
            min=1,
            max=30,
            continuous_update=False,
            description=self.say("w_contact_limit"),
        )
        return [self.limit]

    def compute(self) -> pd.Series:
        return self.curve.loc[self.limit.value]

    def describe(self, row: pd.Series) -> str:
        return self.say(
            "w_contact_verdict",
            limit=self.limit.value,
            paused=int(row.paused_open),
            saved=int(row.saved_contacts),
            saved_cost=row.saved_cost,
            lost=int(row.lost_deals),
            lost_margin=row.lost_margin,
            net=row.net,
            best=self.best,
        )

    def draw(self, row, ax) -> None:
        from crmlib import plots

        plots.contact_tradeoff_plot(self.curve, limit=self.limit.value, ax=ax, lang=self.lang)


def funnel_explorer(
    leads: pd.DataFrame,
    first: str | None = None,
    second: str = "all",
    draw: bool = True,
    lang: str | None = None,
    **columns: str,
) -> FunnelExplorer:
    """Two AIDMAS funnels side by side; pick channels (``"channel: phone"``) or quarters
    (``"period: 2024Q3"``) or ``"all"``.

    >>> from crmlib.datasets import make_leads
    >>> fx = funnel_explorer(make_leads(n=300, seed=2), first="channel: phone", draw=False)
    >>> fx.second.value = "channel: referral chain"
    >>> sorted(set(fx.result.index.get_level_values(0)))
    ['channel: phone', 'channel: referral chain']
    """
    return FunnelExplorer(leads, first=first, second=second, draw=draw, lang=lang, **columns)


def franklin_explorer(
    benefits: str = "saves two hours a day: 3\nfewer delivery errors: 2",
    losses: str = "keeps losing late-delivery penalties: 3",
    objections: str = "price: 4\nstaff must be trained: 2",
    draw: bool = True,
    lang: str | None = None,
) -> FranklinExplorer:
    """The Franklin balance sheet as a small tool: edit the three lists, read the verdict.

    >>> fr = franklin_explorer(draw=False)
    >>> fr.result.balance
    2.0
    >>> fr.objections.value = "price: 9"
    >>> fr.result.balance
    -1.0
    """
    return FranklinExplorer(benefits, losses, objections, draw=draw, lang=lang)


def contact_rule_explorer(
    leads: pd.DataFrame,
    limit: int = 12,
    contact_cost: float = DEV.CONTACT_COST,
    margin: float = 0.3,
    draw: bool = True,
    lang: str | None = None,
) -> ContactRuleExplorer:
    """The 12-contact rule with a movable limit.

    >>> leads = pd.DataFrame({"contacts": [3, 14, 12, 15, 20], "status": ["open", "open", "won", "won", "lost"],
    ...                       "value": [0.0, 0.0, 500.0, 800.0, 0.0]})
    >>> cr = contact_rule_explorer(leads, draw=False)
    >>> cr.limit.value = 14
    >>> int(cr.result["lost_deals"]), int(cr.result["paused_open"])
    (1, 1)
    """
    return ContactRuleExplorer(leads, limit=limit, contact_cost=contact_cost, margin=margin, draw=draw, lang=lang)
