"""Chapter 1 explorers (客户识别): the MAN qualifier, the 80/20 slider, RFM segments, the value matrix.

>>> import matplotlib; matplotlib.use("Agg")
>>> q = man_qualifier()
>>> q.result.code
'M+A+N'
>>> q.authority.value = False
>>> q.result.code
'M+a+N'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import pandas as pd

from crmlib import i18n, qualification as Q, segmentation as S
from crmlib.widgets.base import Explorer, _bounded, _item, _move_dots, _tick

#: the value of the RFM segment picker that shows every segment
ALL = "(all)"


class MANQualifier(Explorer):
    """Tick what a prospect has — money, authority, need — and read its MAN code and strategy."""

    def __init__(self, money: bool = True, authority: bool = True, need: bool = True, lang: str | None = None) -> None:
        self._init = (money, authority, need)
        super().__init__(draw=False, lang=lang)

    def controls(self):
        m, a, n = self._init
        self.money = _tick(self, "money", m, description=self.say("w_man_money"), indent=False)
        self.authority = _tick(self, "authority", a, description=self.say("w_man_authority"), indent=False)
        self.need = _tick(self, "need", n, description=self.say("w_man_need"), indent=False)
        return [self.money, self.authority, self.need]

    def compute(self) -> Q.MANResult:
        return Q.man_classify(self.money.value, self.authority.value, self.need.value)

    def describe(self, r: Q.MANResult) -> str:
        strategy = i18n.text(f"man_strategy_{r.code}", self.lang)
        return self.say("w_man_verdict", code=r.code, priority=r.priority, strategy=html.escape(strategy))


class ParetoExplorer(Explorer):
    """Slide the share of top customers and watch their share of value (the 80/20 check)."""

    keep = 32

    def __init__(self, values: Any, fraction: float = 0.2, draw: bool = True, lang: str | None = None) -> None:
        self.values = S.pareto_table(values)["value"]  # validates once
        self._fraction = fraction
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.fraction = _bounded(
            self,
            "fraction",
            W.FloatSlider,
            self._fraction,
            min=0.01,
            max=1.0,
            step=0.01,
            description=self.say("w_pareto_fraction"),
            readout_format=".0%",
            continuous_update=False,
        )
        return [self.fraction]

    def compute(self) -> float:
        return S.top_share(self.values, self.fraction.value)

    def describe(self, share: float) -> str:
        return self.say("w_pareto_verdict", fraction=self.fraction.value, share=share)

    def draw(self, share, ax) -> None:
        from crmlib import plots

        plots.pareto_chart(self.values, top_fraction=self.fraction.value, ax=ax, lang=self.lang)


class RFMExplorer(Explorer):
    """Choose the number of score bins; see how many customers fall in each RFM segment."""

    keep = 9

    def __init__(
        self, tx: pd.DataFrame, bins: int = 5, draw: bool = True, lang: str | None = None, **columns: str
    ) -> None:
        self.rfm = S.rfm_table(tx, **columns)
        self._bins = bins
        self._summary: tuple = (None, None)  # (result, its summary)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.bins = _bounded(
            self,
            "bins",
            W.IntSlider,
            self._bins,
            min=2,
            max=10,
            description=self.say("w_rfm_bins"),
            continuous_update=False,
        )
        names = i18n.categories(S.SEGMENT_KEYS, self.lang)
        self.segment = W.Dropdown(
            options=[(self.say("w_all"), ALL)] + [(n, n) for n in names],
            value=ALL,
            description=i18n.label("segment", self.lang),
        )
        return [self.bins, self.segment]

    def compute_key(self):
        return (self.bins.value,)  # the segment picked only changes the verdict

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return S.rfm_segments(S.rfm_scores(self.rfm, bins=self.bins.value), lang=self.lang)

    @property
    def summary(self) -> pd.DataFrame:
        """Customers, share of value and mean R/F/M per segment (:func:`crmlib.segmentation.segment_summary`)."""
        if self._summary[0] is not self.result:
            self._summary = (self.result, S.segment_summary(self.result))
        return self._summary[1]

    def describe(self, seg: pd.DataFrame) -> str:
        s = self.summary
        if self.segment.value != ALL:
            row = s.loc[self.segment.value]
            return self.say(
                "w_rfm_segment",
                segment=html.escape(self.segment.value),
                n=int(row.customers),
                share=row.revenue_share,
                recency=row.mean_recency_days,
                frequency=row.mean_frequency,
            )
        return self.say(
            "w_rfm_overview",
            n=len(seg),
            segments=int((s.customers > 0).sum()),
            largest=html.escape(str(s["customers"].idxmax())),
        )

    def draw(self, seg, ax) -> None:
        from crmlib import plots

        plots.rfm_segment_plot(seg, ax=ax, lang=self.lang)


class ValueMatrixExplorer(Explorer):
    """Move the cut-offs of current and potential value (as quantiles) and watch the quadrants."""

    keep = 16  # a result is a table of every customer

    def __init__(self, current: Any, potential: Any, draw: bool = True, lang: str | None = None) -> None:
        base = S.value_matrix(current, potential)  # validates once
        self.current, self.potential = base["current"], base["potential"]
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.current_q = W.FloatSlider(
            value=0.5, min=0.05, max=0.95, step=0.05, description=self.say("w_vm_current_q"), continuous_update=False
        )
        self.potential_q = W.FloatSlider(
            value=0.5, min=0.05, max=0.95, step=0.05, description=self.say("w_vm_potential_q"), continuous_update=False
        )
        return [self.current_q, self.potential_q]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return S.value_matrix(
            self.current,
            self.potential,
            current_cut=float(self.current.quantile(self.current_q.value)),
            potential_cut=float(self.potential.quantile(self.potential_q.value)),
            lang=self.lang,
        )

    def describe(self, vm: pd.DataFrame) -> str:
        counts = vm["quadrant"].value_counts(sort=False)
        return self.say("w_list_sep").join(_item(html.escape(str(k)), v, lang=self.lang) for k, v in counts.items())

    def draw(self, vm, ax) -> None:
        from crmlib import plots

        plots.value_matrix_plot(vm, ax=ax, lang=self.lang)

    def redraw(self, last, vm, ax) -> bool:
        # the dots stay where they are: only their quadrants (colours) and the two cut lines move
        cuts = [("x", last.attrs.get(k), vm.attrs.get(k)) for k in ("current_cut",)]
        cuts += [("y", last.attrs.get(k), vm.attrs.get(k)) for k in ("potential_cut",)]
        return _move_dots(ax, last["quadrant"], vm["quadrant"], cuts)


def man_qualifier(
    money: bool = True, authority: bool = True, need: bool = True, lang: str | None = None
) -> MANQualifier:
    """The MAN qualifier: three ticks → the MAN code, its priority and what to do.

    >>> q = man_qualifier(money=False, authority=True, need=False, lang="zh")
    >>> q.result.code, "只有购买决定权" in q.text.value
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


def rfm_explorer(
    tx: pd.DataFrame, bins: int = 5, draw: bool = True, lang: str | None = None, **columns: str
) -> RFMExplorer:
    """RFM segments of a transaction log with a bins slider and a segment picker.

    >>> tx = pd.DataFrame({"customer_id": list("aabc"), "amount": [5.0, 5.0, 50.0, 1.0],
    ...                    "date": ["2024-01-01", "2024-03-01", "2024-02-01", "2023-01-01"]})
    >>> r = rfm_explorer(tx, bins=3, draw=False)
    >>> r.result["segment"].tolist()
    ['Champions', 'Loyal', 'Hibernating']
    """
    return RFMExplorer(tx, bins=bins, draw=draw, lang=lang, **columns)


def value_matrix_explorer(
    current: Any, potential: Any, draw: bool = True, lang: str | None = None
) -> ValueMatrixExplorer:
    """The customer value matrix with movable cut-offs.

    >>> v = value_matrix_explorer([900, 800, 100, 50], [50, 600, 700, 20], draw=False)
    >>> v.current_q.value = 0.95
    >>> v.result["quadrant"].value_counts()["maintain"]  # only 900 is above the 95% quantile
    np.int64(1)
    """
    return ValueMatrixExplorer(current, potential, draw=draw, lang=lang)
