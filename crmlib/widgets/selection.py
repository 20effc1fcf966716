"""Chapter 2 explorers (客户选择): ideal-customer weights and the aging of receivables.

>>> from crmlib.datasets import make_accounts
>>> e = ideal_score_explorer(make_accounts(n=30, seed=2), draw=False)
>>> e.result["rank"].min()
np.int64(1)
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import pandas as pd

from crmlib import _checks, _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.widgets.base import Explorer, _bounded


class IdealScoreExplorer(Explorer):
    """One slider per ideal-customer criterion; the accounts are re-scored and re-ranked live."""

    keep = 16

    def __init__(
        self,
        accounts: pd.DataFrame,
        weights: dict | None = None,
        top: int = 15,
        draw: bool = True,
        lang: str | None = None,
        id_col: str = "account_id",
    ) -> None:
        from crmlib import selection

        self._sel = selection
        self.accounts = accounts
        self.id_col = id_col
        # the accounts' standing on each criterion does not change with the weights: ranked once
        self.criteria = selection.ideal_criteria(accounts, id_col=id_col)
        self._w = (
            {k: 1.0 for k in selection.CRITERIA}
            if weights is None
            else {
                k: float(weights.get(k, 0.0))
                for k in _checks.criterion_weights(weights, "ideal_score_explorer", selection.CRITERIA)
            }
        )
        self.top = V.integer(top, type(self).__name__, "top", 1)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.sliders = {
            k: _bounded(
                self,
                "weights",
                W.FloatSlider,
                grow=True,
                value=self._w[k],
                min=0.0,
                max=5.0,
                step=0.5,
                description=i18n.label("crit_" + k, self.lang)[:18],
                style={"description_width": "initial"},
                continuous_update=False,
            )
            for k in self._sel.CRITERIA
        }
        return list(self.sliders.values())

    @property
    def weights(self) -> dict[str, float]:
        return {k: s.value for k, s in self.sliders.items()}

    def draw_key(self):
        return ()

    def compute(self):
        try:
            return self._sel.weigh_criteria(self.criteria, weights=self.weights)
        except CRMDataError:  # every slider at zero: nothing to rank by
            return None

    def describe(self, scores) -> str:
        if scores is None:
            return self.say("w_ideal_no_weight")
        best = scores.sort_values("rank", kind="mergesort").head(3)
        names = ", ".join(f"<b>{html.escape(str(i))}</b> ({s:.1f})" for i, s in best["score"].items())
        return self.say("w_ideal_top", names=names)

    def draw(self, scores, ax) -> None:
        if scores is not None:
            from crmlib import plots

            plots.ideal_score_plot(scores, top=self.top, ax=ax, lang=self.lang)

    def redraw(self, last, scores, ax) -> bool:
        # new weights change the bars' parts and which accounts lead: the same number of bars, the
        # same criteria (legend) and the same fixed score axis (0-100), so the bars change in place
        if last is None or scores is None:
            return False
        from crmlib import plots

        parts = plots.ideal_score_parts(scores, self.top)
        bars = ax.containers
        if len(bars) != parts.shape[1] or any(len(c) != len(parts) for c in bars):
            return False
        left = np.zeros(len(parts))
        for container, k in zip(bars, parts.columns):
            width = parts[k].to_numpy()
            for rect, x, w in zip(container, left, width):
                rect.set_x(x)
                rect.set_width(w)
                rect.sticky_edges.x[:] = [x]
            container.datavalues = width
            left = left + width
        ax.set_yticks(np.arange(len(parts)), list(parts.index))
        return True


class AgingExplorer(Explorer):
    """Pick the day of the books and the aging buckets; see the aging, DSO and bad-debt provision."""

    SCHEMES = {
        "30 / 60 / 90": (30, 60, 90),
        "15 / 30 / 60 / 90": (15, 30, 60, 90),
        "30 / 60 / 90 / 180": (30, 60, 90, 180),
        "30 / 90": (30, 90),
    }
    keep = 32

    def __init__(
        self, invoices: pd.DataFrame, as_of=None, buckets=(30, 60, 90), draw: bool = True, lang: str | None = None
    ) -> None:
        from crmlib import receivables

        self._rec = receivables
        self.invoices = invoices
        with V.caller("aging_explorer"):  # checked once, errors named after the explorer
            issue = receivables.check_invoices(invoices)["issue_date"]
        first = receivables.receivables_aging(invoices, as_of if as_of is not None else issue.max(), buckets=buckets)
        ends = pd.date_range(issue.min(), issue.max() + pd.offsets.MonthEnd(0), freq="ME")
        self._dates = [d.strftime("%Y-%m-%d") for d in ends] or [str(issue.max().date())]
        start = str(V.timestamp(as_of, "aging_explorer", "as_of").date()) if as_of is not None else self._dates[-1]
        if start not in self._dates:
            self._dates = sorted(set(self._dates) | {start})
        self._start = start
        self._buckets = tuple(int(b) for b in first.buckets)
        self._dso: dict[str, float] = {}
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.as_of = W.SelectionSlider(
            options=self._dates, value=self._start, description=self.say("w_aging_as_of"), continuous_update=False
        )
        schemes = dict(self.SCHEMES)
        label = " / ".join(map(str, self._buckets))
        schemes.setdefault(label, self._buckets)
        self.scheme = W.Dropdown(options=list(schemes), value=label, description=self.say("w_aging_buckets"))
        self._schemes = schemes
        return [self.as_of, self.scheme]

    def draw_key(self):
        return ()

    def compute(self):
        return self._rec.receivables_aging(
            self.invoices, self.as_of.value, buckets=self._schemes[self.scheme.value], lang=self.lang
        )

    @property
    def dso(self) -> float:
        """Days sales outstanding on the chosen day (:func:`crmlib.receivables.dso`)."""
        day = self.as_of.value
        if day not in self._dso:
            self._dso[day] = self._rec.dso(self.invoices, day)
        return self._dso[day]

    def describe(self, rep) -> str:
        t = rep.total
        total = float(t["amount"].sum())
        overdue = 1.0 - float(t["share"].iloc[0]) if total > 0 else 0.0
        text = self.say("w_aging_verdict", total=total, n=int(t["count"].sum()), overdue=overdue, dso=self.dso)
        if len(rep.labels) == len(self._rec.PROVISION_RATES):
            prov = float(self._rec.bad_debt_provision(rep)["provision"].sum())
            text += self.say("w_aging_provision", provision=prov)
        return text

    def draw(self, rep, ax) -> None:
        from crmlib import plots

        plots.aging_plot(rep, ax=ax, lang=self.lang)


def ideal_score_explorer(
    accounts: pd.DataFrame, weights: dict | None = None, top: int = 15, draw: bool = True, lang: str | None = None
) -> IdealScoreExplorer:
    """Sliders for the five ideal-customer weights, re-ranking the accounts live.

    >>> from crmlib.datasets import make_accounts
    >>> e = ideal_score_explorer(make_accounts(n=40, seed=1), draw=False)
    >>> e.sliders["payment"].value = 0.0; e.sliders["service_cost"].value = 0.0
    >>> e.sliders["risk"].value = 0.0; e.sliders["partnership"].value = 0.0
    >>> e.result["rank"].idxmin() == make_accounts(n=40, seed=1).set_index("account_id")["revenue"].idxmax()
    True
    """
    return IdealScoreExplorer(accounts, weights=weights, top=top, draw=draw, lang=lang)


def aging_explorer(
    invoices: pd.DataFrame, as_of=None, buckets=(30, 60, 90), draw: bool = True, lang: str | None = None
) -> AgingExplorer:
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
