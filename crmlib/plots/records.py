"""Chapter 6, customer records (客户档案): one customer's file on a time line."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import pandas as pd
from matplotlib.axes import Axes

from crmlib._errors import CRMDataError
from crmlib.plots._base import PALETTE, _axes, _kw, _lab, _start, _style, _text


def customer_timeline_plot(card: Any, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """One customer's file on a time line (客户档案时间轴): purchases as stems (height = amount), follow-ups
    and complaints as markers — the linked tables of :meth:`crmlib.records.Archive.customer_card` joined
    again on one axis. ``**kwargs`` go to ``ax.vlines`` (the purchase stems; their dots take the colour).

    >>> from crmlib.records import Archive
    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Mill"]}))
    >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["K1", "K1"], "date": ["2024-01-05", "2024-02-04"],
    ...                                        "amount": [100.0, 50.0]}))
    >>> fig, ax = plt.subplots()
    >>> ax = customer_timeline_plot(arc.customer_card("K1"), ax=ax, lang="en")
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Customer K1: purchases, follow-ups and complaints', ['purchases'])
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.records import DATE_RANGE, Card

    def _dates(values: pd.Series) -> pd.Series:  # the dates as stored; impossible ones (Archive.bad_dates) become NaT
        d = pd.to_datetime(values, format="ISO8601", errors="coerce")
        return d.where(d.between(*DATE_RANGE))

    func = "customer_timeline_plot"
    lang = _start(lang, func, ax)
    if not isinstance(card, Card):
        raise CRMDataError(func, "card", f"must be a card from Archive.customer_card, got {type(card).__name__}")
    colors = sns.color_palette(PALETTE, 3)
    pu = card.purchases
    top = float(pu["amount"].max()) if len(pu) else 1.0
    with _style(lang, func):
        ax = _axes(ax, (8, 3.6))
        # an old archive's impossible dates (year 0024; Archive.bad_dates) are left off the time axis
        pu = pu[_dates(pu["date"]).notna().to_numpy()]
        fd = _dates(card.follow_ups["date"]).dropna()
        cd = _dates(card.complaints["date"]).dropna()
        if len(pu):
            d = _dates(pu["date"])
            stems = ax.vlines(d, 0, pu["amount"], **_kw(kwargs, {"color": colors[1]}, lw=2))
            ax.plot(d, pu["amount"], "o", color=stems.get_color()[0], ms=4, label=_lab("rec_purchases", lang))
        if len(fd):
            ax.plot(fd, [-0.06 * top] * len(fd), "^", color=colors[2], ms=8, label=_lab("rec_follow_ups", lang))
        if len(cd):
            ax.plot(cd, [-0.14 * top] * len(cd), "X", color="#d62728", ms=8, label=_lab("rec_complaints", lang))
        ax.axhline(0, color="#999", lw=0.8)
        ax.set_ylabel(_lab("rec_amount", lang))
        ax.set_xlabel(_lab("rec_date", lang))
        ax.set_title(_text("plots_timeline_title", lang, customer=card.fields.get("customer_id")))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax
