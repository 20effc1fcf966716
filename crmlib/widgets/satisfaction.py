"""Chapter 4 explorers (客户满意): importance–performance analysis and the complaint iceberg.

>>> ic = iceberg_calculator(draw=False, lang="zh")
>>> "位不满意的客户" in ic.text.value
True
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import pandas as pd

from crmlib import _validate as V, satisfaction as SAT
from crmlib.widgets.base import Explorer, _bounded, _option, _relimit


class IPAExplorer(Explorer):
    """Importance–performance grid for all respondents or one segment, with mean or median cross-hairs."""

    keep = 16

    def __init__(
        self,
        survey: pd.DataFrame,
        segment: str = "all",
        cut: str = "mean",
        segment_col: str = "segment",
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self.survey = survey
        self.segment_col = segment_col
        # each segment's item means, grouped once (a survey holds a row per respondent and
        # indicator): a new segment or cut only classifies them
        has_segments = isinstance(survey, pd.DataFrame) and segment_col in survey.columns
        self._means = SAT.segment_means(survey, segment_col if has_segments else None)
        self._segments = list(self._means)
        self._init = (segment, cut)
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        self.segment = _option(self, "segment", self._init[0], self._segments, description=self.say("w_ipa_segment"))
        self.cut = _option(self, "cut", self._init[1], ["mean", "median"], description=self.say("w_ipa_cut"))
        return [self.segment, self.cut]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return SAT.ipa_quadrants(self._means[self.segment.value], cut=self.cut.value, lang=self.lang)

    def describe(self, ipa: pd.DataFrame) -> str:
        first = ipa["quadrant"].cat.categories[0]
        hot = ipa[ipa["quadrant"] == first].sort_values("gap", ascending=False)
        items = ", ".join(hot.index.astype(str)[:8])
        return self.say(
            "w_ipa_verdict",
            quadrant=html.escape(str(first)),
            n=len(hot),
            total=len(ipa),
            items=html.escape(items),
            more=" …" if len(hot) > 8 else "",
        )

    def draw(self, ipa, ax) -> None:
        from crmlib import plots

        plots.ipa_plot(ipa, ax=ax, lang=self.lang)

    def redraw(self, last, ipa, ax) -> bool:
        # another segment or cut moves the indicators' dots, codes and cross-hairs: in place, while
        # the quadrants present are the same, met in the same order (the same scatters and legend)
        quadrants = ipa["quadrant"].to_numpy(dtype=object)
        levels = list(pd.unique(quadrants))
        if not ipa.index.equals(last.index) or levels != list(pd.unique(last["quadrant"].to_numpy(dtype=object))):
            return False
        x, y = ipa["performance"].to_numpy(dtype=float), ipa["importance"].to_numpy(dtype=float)
        lines = [ipa.attrs.get("importance_line"), ipa.attrs.get("performance_line")]
        if not (np.isfinite(x).all() and np.isfinite(y).all()) or any(v is None for v in lines):
            return False
        if len(ax.collections) != len(levels) or len(ax.texts) != len(ipa) or len(ax.lines) != 2:
            return False
        for dots, level in zip(ax.collections, levels):
            m = quadrants == level
            dots.set_offsets(np.column_stack([x[m], y[m]]))
        for code, xy in zip(ax.texts, zip(x, y)):
            code.set_position(xy)
        ax.lines[0].set_ydata([lines[0]] * 2)
        ax.lines[1].set_xdata([lines[1]] * 2)
        _relimit(ax)
        return True


class IcebergCalculator(Explorer):
    """Move the seed's assumptions and see how many unhappy, lost and talked-to customers a month's
    complaints stand for."""

    keep = 32

    def __init__(
        self,
        n_complaints: int = 40,
        complain_share: float = 0.04,
        leave_share: float = 0.96,
        never_return_share: float = 0.91,
        tell_few: float = 9.0,
        tell_many: float = 20.0,
        value_per_customer: float | None = None,
        draw: bool = True,
        lang: str | None = None,
    ) -> None:
        self._init = (n_complaints, complain_share, leave_share, never_return_share, tell_few, tell_many)
        self.value_per_customer = value_per_customer
        super().__init__(draw=draw, lang=lang)

    def controls(self):
        n, c, lead, nr, tf, tm = self._init
        n = V.integer(n, type(self).__name__, "n_complaints", 0)
        style = {"description_width": "initial"}
        pct = dict(step=0.01, readout_format=".0%", continuous_update=False, style=style)
        self.n_complaints = _bounded(
            self,
            "n_complaints",
            W.IntSlider,
            n,
            min=0,
            max=max(1000, n),
            continuous_update=False,
            style=style,
            description=self.say("w_iceberg_complaints"),
        )
        self.complain_share = _bounded(
            self,
            "complain_share",
            W.FloatSlider,
            c,
            min=0.01,
            max=1.0,
            description=self.say("w_iceberg_complain_share"),
            **pct,
        )
        self.leave_share = _bounded(
            self,
            "leave_share",
            W.FloatSlider,
            lead,
            min=0.0,
            max=1.0,
            description=self.say("w_iceberg_leave_share"),
            **pct,
        )
        self.never_return_share = _bounded(
            self,
            "never_return_share",
            W.FloatSlider,
            nr,
            min=0.0,
            max=1.0,
            description=self.say("w_iceberg_never_return"),
            **pct,
        )
        self.tell_few = _bounded(
            self,
            "tell_few",
            W.FloatSlider,
            tf,
            min=0,
            max=30,
            step=1,
            continuous_update=False,
            style=style,
            description=self.say("w_iceberg_tell_few"),
        )
        self.tell_many = _bounded(
            self,
            "tell_many",
            W.FloatSlider,
            tm,
            min=0,
            max=50,
            step=1,
            continuous_update=False,
            style=style,
            description=self.say("w_iceberg_tell_many"),
        )
        return [
            self.n_complaints,
            self.complain_share,
            self.leave_share,
            self.never_return_share,
            self.tell_few,
            self.tell_many,
        ]

    def draw_key(self):
        return ()

    def compute(self) -> pd.DataFrame:
        return SAT.complaint_iceberg(
            self.n_complaints.value,
            complain_share=self.complain_share.value,
            leave_share=self.leave_share.value,
            never_return_share=self.never_return_share.value,
            tell_few=self.tell_few.value,
            tell_many=self.tell_many.value,
            value_per_customer=self.value_per_customer,
            lang=self.lang,
        )

    def describe(self, ice: pd.DataFrame) -> str:
        c = ice["count"]
        text = self.say(
            "w_iceberg_verdict", complaints=c["complaints"], unhappy=c["unhappy"], lost=c["lost"], told=c["told"]
        )
        if "value" in ice:
            text += f" ({ice.loc['lost', 'value']:,.0f})"  # the value lost: a number, in any language
        return text

    def draw(self, ice, ax) -> None:
        from crmlib import plots

        plots.iceberg_plot(ice, ax=ax, lang=self.lang)


def ipa_explorer(
    survey: pd.DataFrame,
    segment: str = "all",
    cut: str = "mean",
    draw: bool = True,
    lang: str | None = None,
    **columns: str,
) -> IPAExplorer:
    """Importance–performance analysis with a segment and a cross-hair rule to choose.

    >>> from crmlib.datasets import make_survey
    >>> ex = ipa_explorer(make_survey(n_respondents=40, seed=1), draw=False)
    >>> ex.segment.value = "business"
    >>> len(ex.result), str(ex.result["quadrant"].cat.categories[0])
    (40, 'concentrate here')
    """
    return IPAExplorer(survey, segment=segment, cut=cut, draw=draw, lang=lang, **columns)


def iceberg_calculator(
    n_complaints: int = 40,
    complain_share: float = 0.04,
    leave_share: float = 0.96,
    never_return_share: float = 0.91,
    tell_few: float = 9.0,
    tell_many: float = 20.0,
    value_per_customer: float | None = None,
    draw: bool = True,
    lang: str | None = None,
) -> IcebergCalculator:
    """The complaint iceberg as a calculator: every assumption of the seed is a slider.

    >>> ic = iceberg_calculator(draw=False)
    >>> round(ic.result.loc["unhappy", "count"])
    1000
    >>> ic.complain_share.value = 0.5
    >>> round(ic.result.loc["unhappy", "count"])
    80
    """
    return IcebergCalculator(
        n_complaints,
        complain_share,
        leave_share,
        never_return_share,
        tell_few,
        tell_many,
        value_per_customer=value_per_customer,
        draw=draw,
        lang=lang,
    )
