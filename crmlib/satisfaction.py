"""Customer satisfaction and complaints (客户满意与投诉) — Chapter 4.

The computable parts of the chapter:

* a survey instrument modelled on the seed's **8 categories × 40 indicators** (满意测评指标),
  :func:`indicators`, with importance and performance ratings per respondent;
* :func:`satisfaction_index` (0–100, overall and per category), :func:`csat` and :func:`nps`
  (with a confidence interval), :func:`importance_performance` (IPA quadrants);
* the complaint "iceberg" of the seed's figures, :func:`complaint_iceberg`, and
  :func:`complaint_report` over a complaints log handled in six steps (处理投诉的六个步骤);
* reference tables for the ideas without a formula: kinds of satisfaction, the four steps from
  quality to value, the three service strategies, the three service models and the six keys to
  excellent service.

Everything is vectorised: no Python loop runs over respondents or complaints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.datasets import COMPLAINT_STEPS, SURVEY_CATEGORIES

#: IPA quadrants, most urgent first (glossary keys)
QUADRANTS: tuple[str, ...] = ("ipa_concentrate", "ipa_keep_up", "ipa_low_priority", "ipa_overkill")
#: NPS groups by the 0–10 answer (glossary keys)
NPS_GROUPS: tuple[str, ...] = ("nps_detractor", "nps_passive", "nps_promoter")

# ============================================================================ the instrument
# The wording of the categories and indicators is in i18n.TEXTS (sat_cat_<category>, sat_ind_<code>).
_INDICATOR_CODES = tuple(f"{p}{i}" for p in ("NW", "OU", "HL", "CH", "NS", "BI", "ON", "IM") for i in range(1, 6))


def indicators(lang: str | None = None) -> pd.DataFrame:
    """The survey instrument (满意测评指标): 8 categories × 5 indicators = 40, worded in ``lang``
    (default: the current language); an English table shows the Chinese wording beside the English.
    The codes (the index) and the ``category`` column are those of the ``survey`` dataset; the
    category's Chinese name stands beside it.

    >>> ind = indicators()
    >>> ind.shape, ind["category"].nunique(), ind.loc["CH4", "中文"]
    ((40, 4), 8, '处理后回访')
    >>> indicators("zh").loc["CH4"].tolist()
    ['complaints', '投诉处理', '处理后回访']
    """
    func = "indicators"
    lang = i18n.resolve(lang, func)
    df = i18n.reference_table("sat_ind", _INDICATOR_CODES, lang=lang, names_as_index=False, func=func)
    df.index = pd.Index(_INDICATOR_CODES, name=i18n.text("sat_ind_h_code", lang))
    cat = np.repeat(np.asarray(SURVEY_CATEGORIES), 5)
    df.insert(0, "category", cat)
    df.insert(1, i18n.text("sat_ind_h_category_name", lang), [i18n.text(f"sat_cat_{c}", "zh") for c in cat])
    return df


def categories(lang: str | None = None) -> pd.DataFrame:
    """The eight categories of the instrument, indexed by their code in the ``survey`` dataset, with
    their names in ``lang`` (default: the current language; an English table adds the Chinese).

    >>> categories().loc["billing", "中文"]
    '计费/收费/扣费/缴费'
    >>> categories("zh").loc["online", "名称"]
    '网上服务'
    """
    func = "categories"
    df = i18n.reference_table("sat_cat", SURVEY_CATEGORIES, lang=lang, names_as_index=False, func=func)
    df.index = pd.Index(list(SURVEY_CATEGORIES), name="category")
    return df


# ============================================================================ validation helpers
def _scale(scale: Any, func: str) -> tuple[float, float]:
    if not isinstance(scale, (tuple, list)) or len(scale) != 2:
        raise CRMDataError(func, "scale", f"must be a pair (lowest, highest), got {scale!r}")
    lo, hi = (V.number(v, func, "scale") for v in scale)
    if not lo < hi:
        raise CRMDataError(func, "scale", f"lowest must be below highest, got {scale!r}")
    return lo, hi


def _ratings(values: Any, func: str, field: str, lo: float, hi: float) -> pd.Series:
    """Whole-number ratings on the scale [lo, hi]; names the rows outside it."""
    s = V.values(values, func, field, allow_negative=True)
    arr = s.to_numpy()
    frac = arr != np.round(arr)
    if frac.any():
        V._fail(func, field, "must hold whole-number ratings", frac, s.index)
    out = (arr < lo) | (arr > hi)
    if out.any():
        V._fail(func, field, f"has ratings outside the scale {lo:g}–{hi:g}", out, s.index)
    return s


def _survey(
    survey: Any, func: str, cols: list[str], scale: tuple[float, float], rating_cols: tuple[str, ...]
) -> tuple[list[tuple[np.ndarray, pd.Index]], pd.DataFrame]:
    """Check the survey; return the codes and distinct values of its first two columns (the
    identifiers, checked as such) for :func:`_group_means`, and the survey with those identifiers
    under the one id rule and its ratings as numbers (a rating typed as text '4' is 4)."""
    V.table(survey, func, cols, name="survey")
    keys = [V.id_codes(survey[c], func, c) for c in cols[:2]]
    clean = {c: V.same_ids(survey[c]) for c in cols[:2]}
    clean.update({c: _ratings(survey[c], func, c, *scale) for c in rating_cols})
    return keys, survey.assign(**clean)


def _group_means(survey: pd.DataFrame, keys: list, names: list[str], value_cols: list[str]) -> pd.DataFrame:
    """``survey.groupby(names, sort=False)[value_cols].mean()``, grouped by the codes ``keys`` of
    :func:`_survey` (the same groups, rows and order) instead of hashing the identifiers again;
    identifiers that are not text are grouped by pandas itself.

    >>> s = pd.DataFrame({"c": ["x", "y", "x"], "v": [1.0, 2.0, 3.0]})
    >>> _group_means(s, [pd.factorize(s["c"])], ["c"], ["v"]).equals(s.groupby(["c"], sort=False)[["v"]].mean())
    True
    """
    kinds = [survey[c].dtype for c in names]
    if not all(pd.api.types.is_object_dtype(k) or pd.api.types.is_string_dtype(k) for k in kinds):
        return survey.groupby(names, sort=False)[value_cols].mean()
    g = survey[value_cols].groupby([codes for codes, _ in keys], sort=False).mean()
    levels = []
    for i, ((_, distinct), kind) in enumerate(zip(keys, kinds)):
        level = distinct.take(g.index.get_level_values(i).to_numpy())
        # pandas names the groups of an object column by what they hold (text: str)
        levels.append(pd.Index(level.to_numpy(dtype=object)) if pd.api.types.is_object_dtype(kind) else level)
    g.index = pd.MultiIndex.from_arrays(levels, names=names) if len(names) > 1 else levels[0].rename(names[0])
    return g


# ============================================================================ satisfaction index
@dataclass(frozen=True)
class SatisfactionIndex:
    """Result of :func:`satisfaction_index`: the overall 0–100 index and one row per category."""

    overall: float
    by_category: pd.DataFrame
    by_indicator: pd.DataFrame

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return f"<b>satisfaction index = {self.overall:.1f} / 100</b>" + self.by_category.to_html(
            float_format=lambda v: f"{v:.2f}"
        )


def satisfaction_index(
    survey: pd.DataFrame,
    weights: Mapping[str, float] | str | None = None,
    scale: tuple[float, float] = (1, 5),
    category_col: str = "category",
    indicator_col: str = "indicator",
    importance_col: str = "importance",
    performance_col: str = "performance",
) -> SatisfactionIndex:
    """Customer satisfaction index (客户满意度指数) on 0–100, overall and per category.

    Each indicator's mean performance rating is rescaled to 0–100 (the lowest point of ``scale``
    → 0, the highest → 100); a category's index is the mean of its indicators; the overall index
    is the weighted mean of the categories. ``weights``: ``None`` weighs each category by the
    mean **importance** respondents gave its indicators (what matters to them counts more);
    ``"equal"`` weighs them equally; a mapping ``{category: weight}`` sets them by hand (every
    category present needs a non-negative weight, not all zero).

    >>> s = pd.DataFrame({"category": ["a", "a", "b", "b"], "indicator": ["a1", "a1", "b1", "b1"],
    ...                   "importance": [5, 5, 1, 1], "performance": [5, 3, 1, 1]})
    >>> r = satisfaction_index(s)
    >>> r.by_category["index"].tolist(), round(r.overall, 2)
    ([75.0, 0.0], 62.5)
    >>> satisfaction_index(s, weights="equal").overall
    37.5
    """
    func = "satisfaction_index"
    lo, hi = _scale(scale, func)
    cols = [category_col, indicator_col, importance_col, performance_col]
    _, survey = _survey(survey, func, cols, (lo, hi), (importance_col, performance_col))
    g = survey.groupby([category_col, indicator_col], sort=False)
    ind = (
        g[[importance_col, performance_col]]
        .mean()
        .rename(columns={importance_col: "importance", performance_col: "performance"})
    )
    ind["responses"] = g.size()
    ind["index"] = (ind["performance"] - lo) / (hi - lo) * 100.0
    cat = ind.groupby(level=0, sort=False)[["importance", "performance", "index"]].mean()
    cat.index.name = category_col
    if weights is None:
        w = cat["importance"].to_numpy(dtype=float)
    elif isinstance(weights, str):
        V.choice(weights, ["equal"], func, "weights")
        w = np.ones(len(cat))
    elif isinstance(weights, Mapping):
        missing = [c for c in cat.index if c not in weights]
        if missing:
            raise CRMDataError(func, "weights", f"has no weight for categories {missing[:5]}")
        w = np.array([V.number(weights[c], func, "weights", lo=0) for c in cat.index])
        if not w.sum() > 0:
            raise CRMDataError(func, "weights", "are all zero: at least one category needs weight")
    else:
        raise CRMDataError(func, "weights", f"must be None, 'equal' or a mapping, got {type(weights).__name__}")
    cat["weight"] = w / w.sum()
    overall = float((cat["weight"] * cat["index"]).sum())
    return SatisfactionIndex(overall, cat, ind.reset_index(level=0))


# ============================================================================ CSAT and NPS
def csat(scores: Any, scale: tuple[int, int] = (1, 5), satisfied_from: int = 4) -> float:
    """Customer satisfaction score (CSAT, 客户满意率): the percentage of answers at or above
    ``satisfied_from`` on the scale (the "top two boxes" of a 1–5 scale by default).

    >>> csat([5, 4, 3, 2, 4])
    60.0
    >>> csat([1, 6])
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: csat: field 'scores' has ratings outside the scale 1–5 (rows 1)
    """
    func = "csat"
    lo, hi = _scale(scale, func)
    s = _ratings(scores, func, "scores", lo, hi).to_numpy()
    V.number(satisfied_from, func, "satisfied_from", lo, hi)
    return float(np.mean(s >= satisfied_from) * 100.0)


@dataclass(frozen=True)
class NPSResult:
    """Result of :func:`nps`: the score, its confidence interval and the three groups' shares."""

    nps: float
    low: float
    high: float
    promoters: float
    passives: float
    detractors: float
    n: int
    confidence: float

    def __str__(self) -> str:
        return f"NPS = {self.nps:+.1f} ({self.confidence:.0%} CI {self.low:+.1f} … {self.high:+.1f}; n = {self.n})"


def nps(scores: Any, confidence: float = 0.95) -> NPSResult:
    """Net Promoter Score (净推荐值): % promoters (9–10) − % detractors (0–6) on the 0–10
    "would you recommend us?" question, with a normal-approximation confidence interval.

    The variance of the NPS (in fractions) is (p + d − (p − d)²) / n, where p and d are the
    promoter and detractor shares; the interval is NPS ± z·√variance·100, clipped to −100…100.

    >>> r = nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 0])
    >>> r.nps, r.promoters, r.detractors
    (20.0, 50.0, 30.0)
    >>> round(r.low, 1), round(r.high, 1)
    (-34.0, 74.0)
    >>> nps([10, 11, 8.5])
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: nps: field 'scores' must hold whole-number ratings (rows 2)
    """
    func = "nps"
    s = _ratings(scores, func, "scores", 0, 10).to_numpy()
    conf = V.number(confidence, func, "confidence", 0, 1, closed="neither")
    n = len(s)
    p, d = float(np.mean(s >= 9)), float(np.mean(s <= 6))
    score = p - d
    se = math.sqrt(max(p + d - score**2, 0.0) / n)
    z = NormalDist().inv_cdf(0.5 + conf / 2)
    return NPSResult(
        nps=100 * score,
        low=max(-100.0, 100 * (score - z * se)),
        high=min(100.0, 100 * (score + z * se)),
        promoters=100 * p,
        passives=100 * (1 - p - d),
        detractors=100 * d,
        n=n,
        confidence=conf,
    )


def nps_groups(scores: Any, lang: str | None = None) -> pd.Series:
    """Detractor (0–6), passive (7–8) or promoter (9–10) for each answer, as an ordered Categorical.

    >>> nps_groups([0, 7, 9]).tolist()
    ['detractor', 'passive', 'promoter']
    >>> nps_groups([3], lang="zh").tolist()
    ['贬损者']
    """
    func = "nps_groups"
    lang = i18n.resolve(lang, func)
    s = _ratings(scores, func, "scores", 0, 10)
    codes = np.where(s.to_numpy() >= 9, 2, np.where(s.to_numpy() >= 7, 1, 0))
    return i18n.categorical(pd.Series(codes, index=s.index), list(NPS_GROUPS), lang, name="group")


def respondents(
    survey: pd.DataFrame,
    respondent_col: str = "respondent_id",
    cols: tuple[str, ...] = ("segment", "csat", "recommend"),
) -> pd.DataFrame:
    """One row per respondent with the respondent-level answers of a long survey table (which
    repeats them on every indicator row); they must agree on all of a respondent's rows.

    >>> s = pd.DataFrame({"respondent_id": ["r1", "r1", "r2"], "segment": ["a", "a", "b"],
    ...                   "csat": [4, 4, 2], "recommend": [9, 9, 3]})
    >>> respondents(s)
                  segment  csat  recommend
    respondent_id
    r1                  a     4          9
    r2                  b     2          3
    """
    func = "respondents"
    V.table(survey, func, [respondent_col, *cols], name="survey")
    survey = survey.assign(**{respondent_col: V.ids(survey[respondent_col], func, respondent_col)})
    n_distinct = survey.groupby(respondent_col, sort=False)[list(cols)].transform("nunique")
    for c in cols:
        bad = (n_distinct[c] > 1).to_numpy()
        if bad.any():
            V._fail(func, c, "differs between rows of the same respondent", bad, survey.index)
    return survey.drop_duplicates(respondent_col).set_index(respondent_col)[list(cols)]


# ============================================================================ importance–performance
def importance_performance(
    survey: pd.DataFrame,
    cut: str = "mean",
    scale: tuple[float, float] = (1, 5),
    by: str = "indicator",
    category_col: str = "category",
    importance_col: str = "importance",
    performance_col: str = "performance",
    lang: str | None = None,
) -> pd.DataFrame:
    """Importance–performance analysis (IPA, 重要性—表现分析) of the survey's indicators.

    Each indicator (or category, ``by="category"``) is placed by its mean importance and mean
    performance; the cross-hairs are the grand means (``cut="mean"``) or medians of the items.
    The four quadrants, most urgent first:

    * **concentrate here** (重点改进区): important, but performing below the line;
    * **keep up the good work** (继续保持区): important and performing well;
    * **low priority** (次要改进区): neither important nor performing well;
    * **possible overkill** (过度投入区): performing well on what matters little.

    Items exactly on a line count as high. ``gap`` = importance − performance.

    >>> s = pd.DataFrame({"category": ["x"] * 8, "indicator": list("aabbccdd"),
    ...                   "importance": [5, 5, 5, 5, 1, 1, 1, 1], "performance": [1, 1, 5, 5, 1, 1, 5, 5]})
    >>> importance_performance(s)["quadrant"].tolist()
    ['concentrate here', 'keep up the good work', 'low priority', 'possible overkill']
    """
    func = "importance_performance"
    lang = i18n.resolve(lang, func)
    V.choice(cut, ["mean", "median"], func, "cut")
    items = _ipa_items(survey, None, by, scale, category_col, importance_col, performance_col, func)["all"]
    return _quadrants(items, cut, lang)


def segment_means(
    survey: pd.DataFrame,
    segment_col: str | None = "segment",
    by: str = "indicator",
    scale: tuple[float, float] = (1, 5),
    category_col: str = "category",
    importance_col: str = "importance",
    performance_col: str = "performance",
) -> dict[str, pd.DataFrame]:
    """The mean importance and performance of each item (indicator, or category with
    ``by="category"``) over all respondents (key ``"all"``) and over each segment of ``segment_col``
    (keys: the segments as text, sorted; ``segment_col=None``: ``"all"`` only) — what
    :func:`importance_performance` groups, checked and grouped once, for :func:`ipa_quadrants`
    to classify: ``ipa_quadrants(segment_means(s)[name], cut)`` is
    ``importance_performance(<the rows of segment name>, cut)``, row for row (the items in the order
    the segment's rows first name them).

    >>> s = pd.DataFrame({"segment": ["p", "p", "b", "b"], "category": ["x"] * 4, "indicator": list("abab"),
    ...                   "importance": [5, 1, 3, 3], "performance": [1, 5, 2, 4]})
    >>> m = segment_means(s)
    >>> sorted(m), m["b"]["performance"].tolist(), m["all"]["importance"].tolist()
    (['all', 'b', 'p'], [2.0, 4.0], [4.0, 2.0])
    """
    return _ipa_items(survey, segment_col, by, scale, category_col, importance_col, performance_col, "segment_means")


def _ipa_items(
    survey: Any,
    segment_col: str | None,
    by: str,
    scale: Any,
    category_col: str,
    importance_col: str,
    performance_col: str,
    func: str,
) -> dict[str, pd.DataFrame]:
    """The item means of :func:`segment_means` (checked once; each segment grouped by the codes of
    the whole survey)."""
    V.choice(by, ["indicator", "category"], func, "by")
    lo, hi = _scale(scale, func)
    key = by if by == "indicator" else category_col
    cols = [category_col, key] if key != category_col else [category_col]
    if segment_col is not None:
        V.table(survey, func, [segment_col], name="survey")
    keys, survey = _survey(
        survey, func, cols + [importance_col, performance_col], (lo, hi), (importance_col, performance_col)
    )
    keys = keys[: len(cols)]
    parts: dict[str, Any] = {"all": None}
    if segment_col is not None:
        seg = survey[segment_col].astype(str).to_numpy()
        parts.update((name, seg == name) for name in sorted(pd.unique(seg)))
    out = {}
    for name, rows in parts.items():
        part = survey if rows is None else survey.loc[rows]
        part_keys = keys if rows is None else [(codes[rows], distinct) for codes, distinct in keys]
        g = _group_means(part, part_keys, cols, [importance_col, performance_col])
        g.columns = ["importance", "performance"]
        out[name] = g.reset_index(level=0) if key != category_col else g
    return out


def ipa_quadrants(items: pd.DataFrame, cut: str = "mean", lang: str | None = None) -> pd.DataFrame:
    """The importance–performance quadrants of items whose mean ratings are known (a table with
    ``importance`` and ``performance`` columns, one row per item, as :func:`segment_means` gives):
    the cross-hairs at the items' mean (or median) importance and performance, each item's ``gap``
    and ``quadrant`` as :func:`importance_performance` gives them.

    >>> items = pd.DataFrame({"importance": [4.0, 4.0, 2.0, 2.0], "performance": [2.0, 5.0, 1.0, 4.0]},
    ...                      index=list("abcd"))
    >>> r = ipa_quadrants(items)
    >>> r["quadrant"].tolist(), r.attrs["performance_line"], r["gap"].tolist()
    (['concentrate here', 'keep up the good work', 'low priority', 'possible overkill'], 3.0, [2.0, -1.0, 1.0, -2.0])
    """
    func = "ipa_quadrants"
    lang = i18n.resolve(lang, func)
    V.choice(cut, ["mean", "median"], func, "cut")
    V.table(items, func, ["importance", "performance"], name="items")
    for c in ("importance", "performance"):
        V.values(items[c], func, c, allow_negative=True)
    return _quadrants(items.copy(), cut, lang)


def _quadrants(g: pd.DataFrame, cut: str, lang: str) -> pd.DataFrame:
    """``g`` (item means; changed in place) with its gap, quadrant and cross-hairs."""
    imp_line = float(getattr(g["importance"], cut)())
    perf_line = float(getattr(g["performance"], cut)())
    high_i = (g["importance"] >= imp_line).to_numpy()
    high_p = (g["performance"] >= perf_line).to_numpy()
    codes = np.where(high_i, np.where(high_p, 1, 0), np.where(high_p, 3, 2))
    g["gap"] = g["importance"] - g["performance"]
    g["quadrant"] = pd.Categorical.from_codes(codes, categories=i18n.categories(QUADRANTS, lang), ordered=True)
    g.attrs.update(importance_line=imp_line, performance_line=perf_line, cut=cut)
    return g


# ============================================================================ complaints
def complaint_iceberg(
    n_complaints: float,
    complain_share: float = 0.04,
    leave_share: float = 0.96,
    never_return_share: float = 0.91,
    tell_few: float = 9.0,
    tell_few_share: float = 0.8,
    tell_many: float = 20.0,
    attitude_share: float = 0.83,
    value_per_customer: float | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The complaint iceberg (投诉冰山): what the complaints we see imply about those we do not.

    Figures quoted by the seeds, each a parameter (rules of thumb, not laws):

    * only a small share of unhappy customers complain — the seeds say 70–95 % never do, and of
      customers unhappy with service only about 4 % speak up (``complain_share``);
    * 96 % of the unhappy leave quietly (``leave_share``), and 91 % of those never come back
      (``never_return_share``);
    * of those who leave, 80 % tell 8–10 people (``tell_few`` = 9, ``tell_few_share``) and the
      other 20 % about 20 (``tell_many``);
    * 83 % of departures come from unprofessional management or a bad attitude
      (``attitude_share``): losses that better service would have prevented.

    ``value_per_customer`` (optional) adds the yearly value walking out of the door.

    >>> ice = complaint_iceberg(40)
    >>> ice["count"].round(1).tolist()
    [40.0, 1000.0, 960.0, 873.6, 10752.0, 725.1]
    >>> complaint_iceberg(10, complain_share=0)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: complaint_iceberg: field 'complain_share' must lie in (0, 1], got 0
    """
    func = "complaint_iceberg"
    lang = i18n.resolve(lang, func)
    n = V.number(n_complaints, func, "n_complaints", lo=0)
    c = V.number(complain_share, func, "complain_share", 0, 1, closed="right")
    leave = V.number(leave_share, func, "leave_share", 0, 1)
    never = V.number(never_return_share, func, "never_return_share", 0, 1)
    few = V.number(tell_few, func, "tell_few", lo=0)
    few_s = V.number(tell_few_share, func, "tell_few_share", 0, 1)
    many = V.number(tell_many, func, "tell_many", lo=0)
    att = V.number(attitude_share, func, "attitude_share", 0, 1)
    unhappy = n / c
    leavers = unhappy * leave
    lost = leavers * never
    told = leavers * (few_s * few + (1 - few_s) * many)
    keys = ["ice_complaints", "ice_unhappy", "ice_leave", "ice_lost", "ice_told", "ice_preventable"]
    counts = [n, unhappy, leavers, lost, told, lost * att]
    how = [
        i18n.text("sat_ice_how_complaints", lang),
        i18n.text("sat_ice_how_unhappy", lang, complain=c),
        i18n.text("sat_ice_how_leave", lang, leave=leave),
        i18n.text("sat_ice_how_lost", lang, never=never),
        i18n.text("sat_ice_how_told", lang, few_share=few_s, few=few, many_share=1 - few_s, many=many),
        i18n.text("sat_ice_how_preventable", lang, attitude=att),
    ]
    out = pd.DataFrame(
        {"label": [i18n.label(k, lang) for k in keys], "count": counts, "how": how},
        index=pd.Index([k.removeprefix("ice_") for k in keys], name="level"),
    )
    if value_per_customer is not None:
        v = V.number(value_per_customer, func, "value_per_customer", lo=0)
        out["value"] = np.where(out.index.isin(["lost", "preventable"]), out["count"] * v, np.nan)
    return out


def handling_steps(lang: str | None = None) -> pd.DataFrame:
    """The six steps of handling a complaint (处理投诉的六个步骤) in ``lang`` (default: the current
    language) and the column of the complaints log that times each (``column``, a column name of
    the data, the same in every language).

    >>> handling_steps()["column"].tolist()[:2]
    ['apologise_h', 'restate_h']
    >>> handling_steps("zh").index.tolist()[:3]
    ['道歉', '复述确认', '表态与安抚']
    """
    func = "handling_steps"
    df = i18n.reference_table("sat_step", COMPLAINT_STEPS, ["do"], lang, func=func)
    df[i18n.text("sat_step_h_column", i18n.resolve(lang, func))] = [f"{s}_h" for s in COMPLAINT_STEPS]
    return df


@dataclass(frozen=True)
class ComplaintReport:
    """Result of :func:`complaint_report`."""

    steps: pd.DataFrame
    causes: pd.DataFrame
    repeat: pd.DataFrame
    followed_up_within: float
    follow_up_days: float
    n: int
    lang: str = "en"

    @property
    def summary(self) -> pd.Series:
        """The headline figures in one Series, labelled in the report's language."""
        say = lambda key, **v: i18n.text(key, self.lang, **v)  # noqa: E731
        return pd.Series(
            {
                say("sat_report_complaints"): self.n,
                say("sat_report_followed_up", days=self.follow_up_days): self.followed_up_within,
                say("sat_report_repeat"): len(self.repeat),
                say("sat_report_by_repeat"): int(self.repeat["complaints"].sum()),
                say("sat_report_remedy_hours"): float(self.steps.loc["remedy", "median_since_received"]),
            },
            name=say("sat_report_complaints"),
        )


def complaint_report(
    log: pd.DataFrame,
    follow_up_days: float = 7,
    repeat_min: int = 2,
    customer_col: str = "customer_id",
    cause_col: str = "cause",
    satisfied_col: str | None = "satisfied",
    lang: str | None = None,
) -> ComplaintReport:
    """A complaints log, step by step (投诉处理报告).

    ``log`` has one row per complaint with the hours from receipt to the end of each of the six
    handling steps (``apologise_h`` … ``review_h``, see :func:`handling_steps`; a missing value
    means the step was not done). The report gives:

    * ``steps``: per step, how many complaints went through it, the median and mean hours the step
      itself took (since the previous step done) and the median hours since receipt;
    * ``followed_up_within``: the share of complaints whose follow-up call came within
      ``follow_up_days`` of the remedy (not followed up = not within);
    * ``repeat``: customers with at least ``repeat_min`` complaints, most complaints first;
    * ``causes``: complaints, share, median hours to remedy and (when ``satisfied_col`` is given)
      the share satisfied with the outcome, per cause, most frequent first.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "cause": ["late", "late", "rude"],
    ...                     "apologise_h": [0.1, 0.2, 1.0], "restate_h": [0.2, 0.3, 1.1],
    ...                     "reassure_h": [0.3, 0.4, 1.2], "remedy_h": [24.0, 10.0, 2.0],
    ...                     "follow_up_h": [100.0, 300.0, None], "review_h": [500.0, 500.0, 500.0],
    ...                     "satisfied": [True, False, False]})
    >>> r = complaint_report(log)
    >>> round(r.followed_up_within, 3), r.repeat.index.tolist(), int(r.steps.loc["follow_up", "done"])
    (0.333, ['a'], 2)
    >>> r.causes[["complaints", "satisfied"]]
           complaints  satisfied
    cause
    late            2        0.5
    rude            1        0.0
    """
    func = "complaint_report"
    lang = i18n.resolve(lang, func)
    cols = [f"{s}_h" for s in COMPLAINT_STEPS]
    need = [customer_col, cause_col, *cols] + ([satisfied_col] if satisfied_col else [])
    V.table(log, func, need, name="log")
    log = log.assign(**{customer_col: V.ids(log[customer_col], func, customer_col)})  # 'C1 ' is 'C1'
    V.ids(log[cause_col], func, cause_col)
    fdays = V.number(follow_up_days, func, "follow_up_days", lo=0)
    rmin = V.integer(repeat_min, func, "repeat_min", lo=2)
    h = np.column_stack([V.numeric(log[c], func, c, allow_nan=True).to_numpy() for c in cols])
    # each step done must end no earlier than the last step done before it
    prev = np.fmax.accumulate(np.where(np.isnan(h), -np.inf, h), axis=1)
    prev = np.column_stack([np.zeros(len(h)), prev[:, :-1]])
    for j, c in enumerate(cols):
        bad = ~np.isnan(h[:, j]) & (h[:, j] < prev[:, j])
        if bad.any():
            V._fail(func, c, "ends before an earlier handling step", bad, log.index)
    took = h - prev
    steps = pd.DataFrame(
        {
            "label": [i18n.label(f"step_{s}", lang) for s in COMPLAINT_STEPS],
            "done": (~np.isnan(h)).sum(axis=0),
            "median_hours": np.nanmedian(np.where(np.isnan(h), np.nan, took), axis=0) if len(h) else np.nan,
            "mean_hours": np.nanmean(took, axis=0),
            "median_since_received": np.nanmedian(h, axis=0),
        },
        index=pd.Index(list(COMPLAINT_STEPS), name="step"),
    )
    gap = h[:, 4] - h[:, 3]
    within = float(np.mean(np.nan_to_num(gap, nan=np.inf) <= 24.0 * fdays))
    counts = log.groupby(customer_col, sort=False).size()
    rep = counts[counts >= rmin].sort_values(ascending=False, kind="mergesort").rename("complaints").to_frame()
    if len(rep):
        sub = log[log[customer_col].isin(rep.index)]
        rep["causes"] = (
            sub.groupby(customer_col, sort=False)[cause_col]
            .agg(lambda x: ", ".join(sorted(set(map(str, x)))))
            .reindex(rep.index)
        )
    else:
        rep["causes"] = pd.Series(dtype=str)
    g = pd.DataFrame({"cause": log[cause_col].to_numpy(), "remedy": h[:, 3]})
    if satisfied_col:
        g["satisfied"] = V.flags(log[satisfied_col], func, satisfied_col).to_numpy(dtype=float)
    gg = g.groupby("cause", sort=True)
    causes = pd.DataFrame(
        {"complaints": gg.size(), "share": gg.size() / len(g), "median_hours_to_remedy": gg["remedy"].median()}
    )
    if satisfied_col:
        causes["satisfied"] = gg["satisfied"].mean()
    causes = causes.sort_values("complaints", ascending=False, kind="mergesort")
    return ComplaintReport(
        steps=steps, causes=causes, repeat=rep, followed_up_within=within, follow_up_days=fdays, n=len(log), lang=lang
    )


# ============================================================================ reference tables
# Their text lives in i18n.TEXTS (keys sat_kind_*, sat_four_*, sat_strategy_*, sat_model_*,
# sat_key_*); i18n.reference_table lays it out in the language asked for.
def satisfaction_kinds(lang: str | None = None) -> pd.DataFrame:
    """The three kinds of customer satisfaction (客户满意的分类), in ``lang`` (default: the current
    language).

    >>> satisfaction_kinds().index.tolist()
    ['product', 'service', 'internal customer']
    >>> satisfaction_kinds("zh").index.tolist()
    ['产品满意', '服务满意', '内部客户满意']
    """
    rows = ("product", "service", "internal")
    return i18n.reference_table("sat_kind", rows, ["meaning"], lang, func="satisfaction_kinds")


def four_steps(lang: str | None = None) -> pd.DataFrame:
    """The four steps of managing by customer satisfaction (客户满意经营的四个步骤):
    quality → satisfaction → loyalty → value, with what each step delivers and a measure of it,
    in ``lang`` (default: the current language).

    >>> four_steps()["measure"].tolist()
    ['defect / return rate', 'CSAT, satisfaction index', 'repeat purchases, NPS', 'value per customer vs competitors']
    >>> four_steps("zh")["衡量指标"].tolist()[:2]
    ['次品率、退货率', '客户满意率（CSAT）、客户满意度指数']
    """
    rows = ("quality", "satisfaction", "loyalty", "value")
    return i18n.reference_table("sat_four", rows, ["means", "measure"], lang, func="four_steps")


def service_strategies(lang: str | None = None) -> pd.DataFrame:
    """The three basic strategies of customer service (客户服务的三大基本战略) and the competitive
    approach paired with each in the seed, in ``lang`` (default: the current language).

    >>> service_strategies().loc["serve with quality", "paired approach"]
    'focus (集中化)'
    >>> service_strategies("zh").loc["提供优质服务", "对应的竞争策略"]
    '集中化'
    """
    rows = ("listen", "organisation", "quality")
    return i18n.reference_table("sat_strategy", rows, ["means", "paired"], lang, func="service_strategies")


def service_models(lang: str | None = None) -> pd.DataFrame:
    """The three models of the service experience (服务模型), with a worked example: the same
    restaurant seen through each, in ``lang`` (default: the current language).

    >>> service_models().index.tolist()
    ['service theatre', 'servuction', 'service delivery system']
    >>> service_models("zh").columns.tolist()
    ['构成要素', '优点', '以餐厅为例']
    """
    rows = ("theatre", "servuction", "delivery")
    return i18n.reference_table("sat_model", rows, ["elements", "strength", "example"], lang, func="service_models")


def six_keys(lang: str | None = None) -> pd.DataFrame:
    """The six keys to excellent service (实现卓越服务的六个关键), each with a question to audit it,
    in ``lang`` (default: the current language).

    >>> len(six_keys()), six_keys().loc["keep improving", "中文"]
    (6, '不断改进')
    >>> six_keys("zh").loc["客户为先", "自查问题"]
    '我们知道最重要的那些客户今年期望什么吗？'
    """
    rows = ("customer", "staff", "leadership", "system", "measure", "improve")
    return i18n.reference_table("sat_key", rows, ["meaning", "audit"], lang, func="six_keys")
