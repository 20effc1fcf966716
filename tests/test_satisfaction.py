"""Satisfaction and complaints (crmlib.satisfaction): hand-computed cases, properties, bad input,
datasets, plots, widgets and exercises of chapter 4.

Expected numbers are worked out by hand in the comments next to them.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import (
    given,
    settings,
    strategies as st,
)

from _support import expect_error
from crmlib import (
    exercises,
    plots,
    satisfaction as S,
    widgets,
)
from crmlib.datasets import COMPLAINT_STEPS, SURVEY_CATEGORIES, load_dataset, make_complaints, make_survey
from crmlib.params import SPECS, check_parameters

FAST = settings(max_examples=50, deadline=None)
STEP_COLS = [f"{s}_h" for s in COMPLAINT_STEPS]


# ============================================================================ fixtures
def small_survey() -> pd.DataFrame:
    # two respondents, two categories with one indicator each
    return pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2", "r2"],
            "segment": ["personal", "personal", "business", "business"],
            "category": ["a", "b", "a", "b"],
            "indicator": ["a1", "b1", "a1", "b1"],
            "importance": [5, 2, 3, 2],
            "performance": [2, 5, 4, 3],
            "csat": [4, 4, 2, 2],
            "recommend": [9, 9, 5, 5],
        }
    )


def small_log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c"],
            "cause": ["quality", "late", "quality", "quality"],
            "apologise_h": [0.1, 20.0, 0.2, 0.1],
            "restate_h": [0.2, 20.1, 0.3, 0.2],
            "reassure_h": [0.5, 20.5, 0.4, 0.3],
            "remedy_h": [10.0, 30.5, 100.0, 5.0],
            "follow_up_h": [100.0, 200.0, 300.0, np.nan],
            "review_h": [700.0, 700.0, 700.0, 700.0],
            "satisfied": [True, True, False, False],
        }
    )


@pytest.fixture(scope="module")
def survey():
    return load_dataset("survey")


@pytest.fixture(scope="module")
def complaints():
    return load_dataset("complaints")


# ============================================================================ satisfaction index
def test_satisfaction_index_by_hand():
    r = S.satisfaction_index(small_survey())
    # a: mean performance 3 → (3−1)/4·100 = 50; b: mean 4 → 75
    assert r.by_category["index"].tolist() == [50.0, 75.0]
    # weights = mean importance: a 4, b 2 → (4·50 + 2·75) / 6 = 58.33
    assert r.overall == pytest.approx(350 / 6)
    assert r.by_category["weight"].sum() == pytest.approx(1.0)
    assert S.satisfaction_index(small_survey(), weights="equal").overall == pytest.approx(62.5)
    assert S.satisfaction_index(small_survey(), weights={"a": 0, "b": 1}).overall == pytest.approx(75.0)


def test_satisfaction_index_other_scale():
    s = small_survey().assign(performance=[1, 10, 10, 10], importance=[1, 1, 1, 1])
    r = S.satisfaction_index(s, scale=(1, 10))
    assert r.by_category["index"].tolist() == [50.0, 100.0]


@FAST
@given(st.lists(st.integers(1, 5), min_size=2, max_size=40))
def test_satisfaction_index_lies_in_0_100(perf):
    n = len(perf)
    s = pd.DataFrame(
        {
            "category": ["a", "b"] * (n // 2) + ["a"] * (n % 2),
            "indicator": ["x"] * n,
            "importance": [3] * n,
            "performance": perf,
        }
    )
    s["indicator"] = s["category"] + "1"
    r = S.satisfaction_index(s)
    assert 0 <= r.overall <= 100
    assert ((r.by_category["index"] >= 0) & (r.by_category["index"] <= 100)).all()


def test_satisfaction_index_bad_input():
    bad = small_survey()
    bad.loc[2, "performance"] = 6
    expect_error(
        lambda: S.satisfaction_index(bad),
        "satisfaction_index",
        "performance",
        rows=[2],
        contains=("outside the scale 1–5",),
    )
    bad = small_survey().assign(importance=[5, 2.5, 3, 2])
    expect_error(lambda: S.satisfaction_index(bad), "satisfaction_index", "importance", rows=[1])
    expect_error(
        lambda: S.satisfaction_index(small_survey().drop(columns="importance")), "satisfaction_index", "importance"
    )
    expect_error(lambda: S.satisfaction_index(small_survey(), weights={"a": 1}), "satisfaction_index", "weights")
    expect_error(lambda: S.satisfaction_index(small_survey(), weights="heavy"), "satisfaction_index", "weights")
    expect_error(
        lambda: S.satisfaction_index(small_survey(), weights={"a": 0, "b": 0}), "satisfaction_index", "weights"
    )
    expect_error(lambda: S.satisfaction_index(small_survey(), scale=(5, 1)), "satisfaction_index", "scale")
    expect_error(
        lambda: S.satisfaction_index(small_survey().assign(category=["a", None, "a", "b"])),
        "satisfaction_index",
        "category",
        rows=[1],
    )


# ============================================================================ CSAT and NPS
def test_csat_by_hand():
    assert S.csat([5, 4, 3, 2, 1]) == 40.0
    assert S.csat([5, 4, 3, 2, 1], satisfied_from=5) == 20.0
    assert S.csat([7, 8, 10], scale=(1, 10), satisfied_from=8) == pytest.approx(200 / 3)


def test_nps_by_hand():
    r = S.nps([10, 9, 8, 7, 0])
    # promoters 2/5, detractors 1/5 → NPS 20; variance (0.4 + 0.2 − 0.04)/5 = 0.112
    assert (r.nps, r.promoters, r.passives, r.detractors, r.n) == (20.0, 40.0, 40.0, 20.0, 5)
    half = 1.959964 * math.sqrt(0.112) * 100
    assert r.low == pytest.approx(max(-100, 20 - half), abs=1e-3)
    assert r.high == pytest.approx(min(100, 20 + half), abs=1e-3)
    assert S.nps([10] * 4).nps == 100.0 and S.nps([10] * 4).low == 100.0  # no spread, no interval
    assert "NPS = +20.0" in str(r)


@FAST
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200), st.floats(0.5, 0.99))
def test_nps_properties(scores, conf):
    r = S.nps(scores, confidence=conf)
    assert -100 <= r.low <= r.nps <= r.high <= 100
    assert r.promoters + r.passives + r.detractors == pytest.approx(100)
    wider = S.nps(scores, confidence=min(0.999, conf + 0.005))
    assert wider.high - wider.low >= r.high - r.low - 1e-9


def test_nps_groups_is_ordered_categorical():
    g = S.nps_groups(pd.Series([0, 6, 7, 8, 9, 10], index=list("abcdef")))
    assert g.cat.ordered and g.tolist() == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 2
    assert list(g.index) == list("abcdef")
    assert S.nps_groups([10], lang="zh").tolist() == ["推荐者"]


@pytest.mark.parametrize(
    "bad, rows, text",
    [
        ([3, 11, 5], [1], "outside the scale 0–10"),
        ([-1, 5], [0], "outside the scale 0–10"),
        ([9.5, 10], [0], "whole-number"),
        ([5, "ten"], [1], "non-numeric"),
        ([5, None], [1], "missing"),
    ],
)
def test_nps_rejects_scores_outside_0_10(bad, rows, text):
    expect_error(lambda: S.nps(bad), "nps", "scores", rows=rows, contains=(text,))


def test_csat_and_nps_bad_input():
    expect_error(lambda: S.csat([1, 6, 7]), "csat", "scores", rows=[1, 2])
    expect_error(lambda: S.csat([]), "csat", "scores")
    expect_error(lambda: S.csat([1, 2], satisfied_from=9), "csat", "satisfied_from")
    expect_error(lambda: S.nps([5, 6], confidence=1.0), "nps", "confidence")


def test_respondents_one_row_each_and_consistency():
    r = S.respondents(small_survey())
    assert r.index.tolist() == ["r1", "r2"] and r["recommend"].tolist() == [9, 5]
    bad = small_survey()
    bad.loc[1, "csat"] = 5
    expect_error(lambda: S.respondents(bad), "respondents", "csat", rows=[0, 1])


# ============================================================================ IPA
def test_importance_performance_quadrants_by_hand():
    s = pd.DataFrame(
        {
            "category": ["x"] * 4,
            "indicator": ["hi_lo", "hi_hi", "lo_lo", "lo_hi"],
            "importance": [5, 4, 1, 2],
            "performance": [1, 5, 2, 4],
        }
    )
    ipa = S.importance_performance(s)
    # means: importance 3, performance 3
    assert ipa.attrs["importance_line"] == 3.0 and ipa.attrs["performance_line"] == 3.0
    assert ipa["quadrant"].tolist() == [
        "concentrate here",
        "keep up the good work",
        "low priority",
        "possible overkill",
    ]
    assert ipa["gap"].tolist() == [4.0, -1.0, -1.0, -2.0]
    assert ipa["quadrant"].cat.ordered
    zh = S.importance_performance(s, lang="zh")
    assert zh["quadrant"].iloc[0] == "重点改进区"


def test_segment_means_by_hand():
    s = pd.DataFrame(
        {
            "segment": ["p", "b", "p", "b", "p", "b"],
            "category": ["x"] * 6,
            "indicator": ["u", "v", "v", "u", "u", "v"],
            "importance": [5, 2, 1, 4, 3, 2],
            "performance": [1, 3, 5, 2, 2, 4],
        }
    )
    m = S.segment_means(s)
    assert list(m) == ["all", "b", "p"]
    # all: u = rows 0, 3, 4 (importance 5, 4, 3; performance 1, 2, 2); v = rows 1, 2, 5
    assert m["all"].index.tolist() == ["u", "v"] and m["all"]["category"].tolist() == ["x", "x"]
    assert m["all"]["importance"].tolist() == [4.0, 5 / 3] and m["all"]["performance"].tolist() == [5 / 3, 4.0]
    # segment b names v first (row 1): v = rows 1, 5; u = row 3
    assert m["b"].index.tolist() == ["v", "u"]
    assert m["b"]["importance"].tolist() == [2.0, 4.0] and m["b"]["performance"].tolist() == [3.5, 2.0]
    assert m["p"]["importance"].tolist() == [4.0, 1.0] and m["p"]["performance"].tolist() == [1.5, 5.0]
    assert list(S.segment_means(s, segment_col=None)) == ["all"]


def test_ipa_quadrants_by_hand():
    items = pd.DataFrame({"importance": [5.0, 4.0, 1.0, 2.0], "performance": [1.0, 5.0, 2.0, 4.0]}, index=list("abcd"))
    ipa = S.ipa_quadrants(items, cut="median")
    # medians: importance (2 + 4) / 2 = 3, performance (2 + 4) / 2 = 3
    assert ipa.attrs == {"importance_line": 3.0, "performance_line": 3.0, "cut": "median"}
    assert ipa["quadrant"].tolist() == [
        "concentrate here",
        "keep up the good work",
        "low priority",
        "possible overkill",
    ]
    assert ipa["gap"].tolist() == [4.0, -1.0, -1.0, -2.0]
    assert "gap" not in items.columns  # the input is left as it was


@pytest.mark.parametrize("cut", ["mean", "median"])
@pytest.mark.parametrize("by", ["indicator", "category"])
def test_ipa_of_segment_means_is_importance_performance_of_the_segment(cut, by):
    sv = make_survey(n_respondents=120, seed=3)
    means = S.segment_means(sv, by=by)
    for name, items in means.items():
        part = sv if name == "all" else sv[sv["segment"] == name]
        expect = S.importance_performance(part, cut=cut, by=by)
        got = S.ipa_quadrants(items, cut=cut)
        pd.testing.assert_frame_equal(got, expect)
        assert got.attrs == expect.attrs


def test_importance_performance_median_and_categories(survey):
    a = S.importance_performance(survey, cut="median")
    assert len(a) == 40 and set(a["category"]) == set(SURVEY_CATEGORIES)
    # with median lines, half the indicators (ties aside) are above each line
    assert (a["importance"] >= a.attrs["importance_line"]).sum() >= 20
    c = S.importance_performance(survey, by="category")
    assert len(c) == 8


@pytest.mark.parametrize("kind", [None, object, "string"])
@pytest.mark.parametrize("by", ["indicator", "category"])
def test_importance_performance_means_are_pandas_group_means(kind, by):
    """The means grouped by the identifiers' codes are survey.groupby(..., sort=False).mean(), to the
    last bit, index (names, order, dtype) included, whatever the identifiers' dtype."""
    sv = make_survey(n_respondents=200, seed=5)
    if kind is not None:
        sv = sv.astype({"category": kind, "indicator": kind})
    cols = ["category", "indicator"] if by == "indicator" else ["category"]
    means = sv.groupby(cols, sort=False)[["importance", "performance"]].mean()
    if by == "indicator":
        means = means.reset_index(level=0)
    got = S.importance_performance(sv, by=by)
    pd.testing.assert_frame_equal(got[means.columns], means, check_exact=True)


def test_importance_performance_bad_input():
    expect_error(lambda: S.importance_performance(small_survey(), cut="mode"), "importance_performance", "cut")
    expect_error(lambda: S.importance_performance(small_survey(), by="respondent"), "importance_performance", "by")
    bad = small_survey().assign(importance=[5, 0, 3, 2])
    expect_error(lambda: S.importance_performance(bad), "importance_performance", "importance", rows=[1])


# ============================================================================ complaints
def test_complaint_iceberg_by_hand():
    ice = S.complaint_iceberg(
        10,
        complain_share=0.1,
        leave_share=0.5,
        never_return_share=0.5,
        tell_few=10,
        tell_few_share=0.5,
        tell_many=20,
        attitude_share=0.5,
        value_per_customer=100,
    )
    # 10 / 0.1 = 100 unhappy; 50 leave; 25 lost; 50 × (5 + 10) = 750 told; 12.5 preventable
    assert ice["count"].tolist() == [10, 100, 50, 25, 750, 12.5]
    assert ice.loc["lost", "value"] == 2500 and np.isnan(ice.loc["unhappy", "value"])
    assert S.complaint_iceberg(0)["count"].sum() == 0


@FAST
@given(st.floats(0, 1e5), st.floats(0.01, 1), st.floats(0, 1), st.floats(0, 1))
def test_complaint_iceberg_is_a_narrowing_funnel(n, c, leave, never):
    ice = S.complaint_iceberg(n, complain_share=c, leave_share=leave, never_return_share=never)["count"]
    assert ice["unhappy"] >= ice["complaints"] - 1e-6
    assert ice["unhappy"] >= ice["leave"] >= ice["lost"] >= ice["preventable"] >= 0


def test_complaint_iceberg_bad_input():
    expect_error(lambda: S.complaint_iceberg(-1), "complaint_iceberg", "n_complaints")
    expect_error(lambda: S.complaint_iceberg("many"), "complaint_iceberg", "n_complaints")
    expect_error(lambda: S.complaint_iceberg(5, leave_share=1.2), "complaint_iceberg", "leave_share")
    expect_error(lambda: S.complaint_iceberg(5, tell_many=-3), "complaint_iceberg", "tell_many")
    expect_error(lambda: S.complaint_iceberg(5, value_per_customer=-3), "complaint_iceberg", "value_per_customer")


def test_complaint_report_by_hand():
    r = S.complaint_report(small_log())
    # follow-up − remedy: 90, 169.5, 200, not done → only the first within 168 h
    assert r.followed_up_within == pytest.approx(0.25)
    assert S.complaint_report(small_log(), follow_up_days=9).followed_up_within == pytest.approx(0.75)
    assert r.repeat.index.tolist() == ["a"] and r.repeat["complaints"].tolist() == [2]
    assert r.steps.loc["follow_up", "done"] == 3 and r.steps.loc["apologise", "done"] == 4
    # remedy step took 9.5, 10, 99.6, 4.7 hours → median 9.75
    assert r.steps.loc["remedy", "median_hours"] == pytest.approx(9.75)
    assert r.causes.index.tolist() == ["quality", "late"]
    assert r.causes.loc["quality", "satisfied"] == pytest.approx(1 / 3)
    assert r.summary["repeat complainers"] == 1
    zh = S.complaint_report(small_log(), lang="zh").summary  # the same figures, labelled in Chinese
    assert zh["重复投诉客户数"] == 1 and zh["7 天内回访的比例"] == pytest.approx(0.25)
    assert zh.tolist() == r.summary.tolist()
    # the review step after a missing follow-up is measured from the remedy
    assert r.steps.loc["review", "done"] == 4
    assert S.complaint_report(small_log(), repeat_min=3).repeat.empty


def test_complaint_report_bad_input():
    bad = small_log()
    bad.loc[2, "remedy_h"] = 0.3  # remedy before the reassurance (0.4)
    expect_error(lambda: S.complaint_report(bad), "complaint_report", "remedy_h", rows=[2], contains=("ends before",))
    bad = small_log()
    bad.loc[1, "restate_h"] = -1.0
    expect_error(lambda: S.complaint_report(bad), "complaint_report", "restate_h", rows=[1])
    bad = small_log()
    bad.loc[3, "customer_id"] = " "
    expect_error(lambda: S.complaint_report(bad), "complaint_report", "customer_id", rows=[3])
    expect_error(lambda: S.complaint_report(small_log().drop(columns="review_h")), "complaint_report", "review_h")
    expect_error(
        lambda: S.complaint_report(small_log().assign(satisfied=["yes", "no", "maybe", "no"])),
        "complaint_report",
        "satisfied",
        rows=[2],
    )
    expect_error(lambda: S.complaint_report(small_log(), repeat_min=1), "complaint_report", "repeat_min")


def test_reference_tables():
    assert len(S.indicators()) == 40 and S.indicators()["category"].unique().tolist() == list(SURVEY_CATEGORIES)
    assert S.categories().index.tolist() == list(SURVEY_CATEGORIES)
    assert len(S.service_models()) == 3 and len(S.six_keys()) == 6
    assert len(S.four_steps()) == 4 and len(S.satisfaction_kinds()) == 3 and len(S.service_strategies()) == 3
    assert S.handling_steps()["column"].tolist() == STEP_COLS


# ============================================================================ datasets
def test_survey_dataset(survey):
    assert survey.shape == (8000, 8)
    assert survey["respondent_id"].nunique() == 200
    assert set(survey["indicator"]) == set(S.indicators().index)
    assert survey["importance"].between(1, 5).all() and survey["recommend"].between(0, 10).all()
    pd.testing.assert_frame_equal(survey, make_survey())
    # the instrument has every IPA quadrant populated and a plausible NPS
    ipa = S.importance_performance(survey)
    assert ipa["quadrant"].value_counts().min() >= 4
    assert -30 < S.nps(S.respondents(survey)["recommend"]).nps < 50


def test_complaints_dataset(complaints):
    assert complaints.shape == (600, 12)
    pd.testing.assert_frame_equal(complaints, make_complaints(), check_exact=False, atol=1e-9)
    h = complaints[STEP_COLS].to_numpy()
    assert (np.diff(h, axis=1) >= 0).all() and (h > 0).all()
    r = S.complaint_report(complaints)
    assert 0.6 < r.followed_up_within < 0.9
    assert 5 < len(r.repeat) < 100


def test_generators_are_seeded_and_reject_bad_input():
    pd.testing.assert_frame_equal(make_survey(5, seed=2), make_survey(5, seed=2))
    assert not make_complaints(30, seed=1).equals(make_complaints(30, seed=2))
    expect_error(lambda: make_survey(0), "make_survey", "n_respondents")
    expect_error(lambda: make_complaints(10, seed=-1), "make_complaints", "seed")
    expect_error(lambda: make_complaints(10, start="2024-05-01", end="2024-01-01"), "make_complaints", "start, end")


# ============================================================================ plots
def test_plots_draw(survey, complaints):
    ax = plots.ipa_plot(S.importance_performance(survey))
    assert len(ax.texts) == 40 and ax.get_xlabel() == "performance"
    assert (
        "75.0"
        in plots.satisfaction_index_plot(
            S.satisfaction_index(small_survey().assign(performance=[4, 4, 4, 4]))
        ).get_title()
    )
    # plots draw on the current Axes (seaborn's habit): each of these gets its own
    _, ax = matplotlib.pyplot.subplots()
    assert len(plots.iceberg_plot(S.complaint_iceberg(40), ax=ax).patches) == 6
    _, ax = matplotlib.pyplot.subplots()
    assert plots.complaint_steps_plot(S.complaint_report(complaints), ax=ax).get_xscale() == "log"
    _, ax = matplotlib.pyplot.subplots()
    assert "NPS" in plots.nps_plot(S.respondents(survey)["recommend"], ax=ax).get_title()
    matplotlib.pyplot.close("all")


# ============================================================================ widgets (headless)
def test_ipa_explorer_recomputes(survey):
    ex = widgets.ipa_explorer(survey, draw=False)
    everyone = ex.result.copy()
    ex.segment.value = "business"
    business = ex.result
    assert not everyone["performance"].equals(business["performance"])
    ex.cut.value = "median"
    assert ex.result.attrs["cut"] == "median"
    assert "concentrate here" in ex.text.value
    assert "重点改进区" in widgets.ipa_explorer(survey, lang="zh", draw=False).text.value
    assert widgets.ipa_explorer(survey).output.outputs


def test_iceberg_calculator_recomputes():
    ic = widgets.iceberg_calculator(n_complaints=10, value_per_customer=100.0, draw=False)
    assert ic.result.loc["unhappy", "count"] == pytest.approx(250)
    ic.n_complaints.value = 20
    ic.never_return_share.value = 0.5
    assert ic.result.loc["lost", "count"] == pytest.approx(20 / 0.04 * 0.96 * 0.5)
    assert "never come back" in ic.text.value
    assert "永不回来" in widgets.iceberg_calculator(lang="zh", draw=False).text.value
    assert widgets.iceberg_calculator().output.outputs


# ============================================================================ exercises and parameters
def test_exercises_accept_the_model_solutions(survey, complaints):
    answers = survey.drop_duplicates("respondent_id")["recommend"]
    nps_answer = 100 * ((answers >= 9).mean() - (answers <= 6).mean())
    assert exercises.check("ch4.nps", nps_answer, survey=survey, strict=True)
    assert not exercises.check("ch4.nps", nps_answer + 1, survey=survey, strict=False)
    for cut in ("mean", "median"):
        means = survey.groupby("indicator")[["importance", "performance"]].mean()
        lines = means.agg(cut)
        hot = means.index[(means["importance"] >= lines["importance"]) & (means["performance"] < lines["performance"])]
        assert exercises.check("ch4.concentrate", list(hot), survey=survey, cut=cut, strict=True)
    waited = complaints["follow_up_h"] - complaints["remedy_h"]
    assert exercises.check("ch4.follow_up_share", (waited <= 24 * 5).mean(), complaints=complaints, days=5, strict=True)
    assert exercises.check(
        "ch4.iceberg_lost",
        600 / 0.1 * 0.9 * 0.8,
        complaints=complaints,
        complain_share=0.1,
        leave_share=0.9,
        never_return_share=0.8,
        strict=True,
    )


def test_parameter_spec():
    spec = SPECS["04_satisfaction"]
    ok = {
        "seed": 1,
        "n_respondents": 100,
        "n_complaints": 100,
        "lang": "zh",
        "satisfied_from": 4,
        "ipa_cut": "median",
        "follow_up_days": 7,
        "complain_share": 0.04,
        "leave_share": 0.96,
        "never_return_share": 0.91,
        "value_per_customer": 1000.0,
    }
    assert check_parameters(ok, spec) == ok
    expect_error(lambda: check_parameters({**ok, "ipa_cut": "mode"}, spec), "parameters", "ipa_cut")
    expect_error(lambda: check_parameters({**ok, "complain_share": 0.0}, spec), "parameters", "complain_share")
