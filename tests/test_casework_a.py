"""Cases 1-3 (crmlib.casework.harrahs, .bank_lobby, .gas_station; their data from crmlib.datasets):
hand-computed cases, hypothesis properties, bad input, and the case exercises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmlib import CRMDataError, casework, datasets, exercises
from crmlib.loyalty import churn_watch


# ---------------------------------------------------------------- case 1
def test_casino_players_are_seeded_and_plausible():
    a = datasets.make_casino_players(300, seed=4)
    assert a.equals(datasets.make_casino_players(300, seed=4))
    assert not a.equals(datasets.make_casino_players(300, seed=5))
    assert a["player_id"].is_unique and (a["visits"] >= 1).all() and (a["avg_bet"] > 0).all()


def test_design_tiers_by_hand():
    t = casework.design_tiers([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], cuts=(0.5, 0.8, 0.9))
    assert t["tier"].tolist() == ["silver"] * 5 + ["gold"] * 3 + ["platinum", "diamond"]
    assert casework.design_tiers([1, 2, 3, 4], lang="zh")["tier"].iloc[-1] == "钻石客户"


def test_tier_summary_by_hand():
    t = casework.design_tiers([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], cuts=(0.5, 0.8, 0.9))
    s = casework.tier_summary(t, lang="en")
    # silver 0..40: 5 players, 100, mean 20; gold 50, 60, 70: 3, 180, 60; platinum 80; diamond 90
    assert s.index.tolist() == ["silver", "gold", "platinum", "diamond"] and s.index.name == "tier"
    assert s["players"].tolist() == [5, 3, 1, 1]
    assert s["value"].tolist() == [100.0, 180.0, 80.0, 90.0] and s["mean_value"].tolist() == [20.0, 60.0, 80.0, 90.0]
    # tiers written by hand, in two languages; the summary in Chinese; empty tiers count 0
    hand = pd.DataFrame({"value": [5.0, 7.0, 3.0], "tier": ["gold", "钻石客户", "Gold"]})
    zh = casework.tier_summary(hand, lang="zh")
    assert zh.index[-1] == "钻石客户" and zh["players"].tolist() == [0, 2, 0, 1]
    assert zh["value"].tolist() == [0.0, 8.0, 0.0, 7.0] and np.isnan(zh["mean_value"].iloc[0])
    with pytest.raises(CRMDataError, match="tier_summary: field 'tier'"):
        casework.tier_summary(hand.assign(tier=["gold", "bronze", "gold"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e4, 1e6, allow_nan=False), min_size=4, max_size=200))
def test_tiers_are_monotone_in_value(values):
    t = casework.design_tiers(values)
    order = np.argsort(np.asarray(values), kind="stable")
    codes = t["tier"].cat.codes.to_numpy()[order]
    assert (np.diff(codes) >= 0).all()


def test_comp_economics_by_hand():
    e = casework.comp_economics(
        [200, -50, 1000],
        ["gold", "gold", "diamond"],
        comp_rates=[0.1, 0.1, 0.1, 0.4],
        base_retention=0.5,
        retention_lift=0.1,
        player_years=2,
    )
    assert e.loc["gold", "comp_cost"] == pytest.approx(20.0)  # the winner gets no comp
    assert e.loc["gold", "value_kept"] == pytest.approx(0.1 * 200 * 2)
    assert e.loc["diamond", "retention_with"] == pytest.approx(0.7)  # 0.5 + 0.1 * sqrt(4)
    assert e.loc["diamond", "net_value"] == pytest.approx(0.2 * 1000 * 2 - 400)
    assert np.isnan(e.loc["silver", "payback"])


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 0.95), st.floats(0, 0.3))
def test_comp_response_is_monotone_and_capped(r, b, lift):
    p = float(casework.comp_response(r, b, lift))
    assert b - 1e-12 <= p <= 0.99 or p == pytest.approx(min(b, 0.99))
    assert float(casework.comp_response(min(1.0, r + 0.1), b, lift)) >= p - 1e-12


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: casework.design_tiers([1, 2, 3], cuts=(0.5, 0.8)), "cuts"),
        (lambda: casework.design_tiers([1, "x", 3]), "value"),
        (lambda: casework.comp_economics([1, 2], ["gold", "emerald"]), "tier"),
        (lambda: casework.comp_economics([1, 2], ["gold", "gold"], comp_rates=[0.1, 0.2]), "comp_rates"),
        (lambda: casework.comp_economics([1, 2], ["gold", "gold"], base_retention=1.5), "base_retention"),
        (lambda: casework.comp_response(1.5), "comp_rate"),
        (lambda: datasets.make_casino_players(0), "n"),
    ],
)
def test_case1_bad_input(call, field):
    with pytest.raises(CRMDataError) as e:
        call()
    assert e.value.field == field


# ---------------------------------------------------------------- case 2
def _visitors():
    return pd.DataFrame(
        {
            "visitor_id": ["V1", "V2", "V3", "V4"],
            "arrival_min": [1.0, 2.0, 3.0, 4.0],
            "purpose": ["bill payment", "wealth management", "loan enquiry", "wealth management"],
            "assets": [5e3, 8e5, 0.0, 8e5],
            "annual_inflow": [3e4, 2e5, 2e5, 2e5],
            "decides": [True, True, False, True],
        }
    )


def test_lobby_triage_by_hand():
    t = casework.lobby_triage(_visitors(), money_cut=100_000)
    assert t.loc["V3", "man_code"] == "M+a+N" and t.loc["V1", "man_code"] == "m+A+n"
    assert t.loc["V2", "order"] == 1 and t.loc["V4", "order"] == 2  # tie: the earlier arrival first
    assert sorted(t["order"]) == [1, 2, 3, 4]
    assert t.loc["V2", "desk"] == "VIP room"


def test_lobby_reweigh_by_hand():
    t = casework.lobby_triage(_visitors())
    # MAN priorities: V1 m+A+n, V2 M+A+N (1), V3 M+a+N, V4 M+A+N (1); weights (1, 0, 0): (8 - priority) / 7
    r = casework.lobby_reweigh(t, weights=(2, 0, 0))
    assert r["score"].tolist() == [round((8 - p) / 7, 6) for p in t["man_priority"]]
    assert r.loc[["V2", "V4"], "score"].tolist() == [1.0, 1.0]
    # assets only: ranks 5e3 -> 2/4, 8e5 (twice) -> 3.5/4, 0 -> 1/4; ties go to the earlier arrival
    a = casework.lobby_reweigh(t, weights=(0, 1, 0))
    assert a["score"].tolist() == [0.5, 0.875, 0.25, 0.875]
    assert a["order"].tolist() == [3, 1, 4, 2]
    assert (a["desk"] == t["desk"]).all() and (a["man_code"] == t["man_code"]).all()
    assert t["order"].tolist() == casework.lobby_triage(_visitors())["order"].tolist()  # input left as it was


@pytest.mark.parametrize("weights", [(0.4, 0.35, 0.25), (0, 0, 1), (1, 0, 0), (0.2, 0.9, 0.1)])
def test_lobby_reweigh_of_a_triage_is_the_triage_with_those_weights(weights):
    v = datasets.make_lobby_visitors(120, seed=4)
    got = casework.lobby_reweigh(casework.lobby_triage(v), weights)
    pd.testing.assert_frame_equal(got, casework.lobby_triage(v, weights=weights))


def test_lobby_explorer_orders_and_numbers_the_visitors_of_the_new_weights():
    from crmlib import widgets

    v = datasets.make_lobby_visitors(40, seed=3)
    w = widgets.lobby_explorer(v, first=3)
    w.weights[0].value = 0.0
    w.weights[2].value = 0.0
    expect = casework.lobby_triage(v, weights=(0, 0.35, 0))
    pd.testing.assert_frame_equal(w.result, expect)
    ax = w.figure.axes[0]
    first = expect.sort_values("order").head(3)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "3"]
    assert sorted(t.xy for t in ax.texts) == sorted(zip(first["assets"].clip(lower=100), first["annual_inflow"]))
    assert ", ".join(first.index) in w.text.value


@settings(max_examples=25, deadline=None)
@given(st.integers(10, 200), st.integers(0, 10_000))
def test_lobby_order_is_a_permutation(n, seed):
    t = casework.lobby_triage(datasets.make_lobby_visitors(n, seed=seed))
    assert sorted(t["order"]) == list(range(1, n + 1))
    assert t["score"].between(0, 1).all()


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda v: v.assign(purpose=["bill payment", "gambling", "loan enquiry", "loan enquiry"]), "purpose"),
        (lambda v: v.assign(visitor_id=["V1", "V1", "V3", "V4"]), "visitor_id"),
        (lambda v: v.assign(assets=[1.0, -2.0, 3.0, 4.0]), "assets"),
        (lambda v: v.drop(columns="decides"), "decides"),
    ],
)
def test_case2_bad_input(change, field):
    with pytest.raises(CRMDataError) as e:
        casework.lobby_triage(change(_visitors()))
    assert e.value.field == field
    with pytest.raises(CRMDataError):
        casework.lobby_triage(_visitors(), weights=(1, 1))


# ---------------------------------------------------------------- case 3
def test_station_is_seeded_and_consistent():
    d = datasets.make_station(3, 4, 5, seed=2)
    assert d["fillups"].equals(datasets.make_station(3, 4, 5, seed=2)["fillups"])
    c, f, q = d["customers"], d["fillups"], d["complaints"]
    assert set(f["customer_id"]) <= set(c["customer_id"]) and set(q["customer_id"]) <= set(c["customer_id"])
    assert c["employee"].nunique() <= 3
    from crmlib.satisfaction import complaint_report

    complaint_report(q)  # the steps are in order: the chapter-4 report accepts the log


def test_file_quota_and_monthly_files_by_hand():
    c = pd.DataFrame(
        {"employee": ["A", "A", "A", "B"], "joined": ["2024-01-02", "2024-01-20", "2024-03-01", "2024-02-10"]}
    )
    q = casework.file_quota(c, per_month=1)
    assert q.loc["A", "met"] and not q.loc["B", "met"] and q.loc["B", "shortfall"] == 2
    m = casework.monthly_files(c, per_month=1)
    assert m["new"].tolist() == [2, 1, 1] and m["target"].tolist() == [2, 4, 6]


def test_follow_up_outcomes_groups():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", "c"],
            "date": ["2024-01-01", "2024-01-11", "2024-01-01", "2024-01-11", "2024-01-01", "2024-03-01"],
        }
    )
    w = churn_watch(tx, as_of="2024-03-01")
    q = pd.DataFrame({"customer_id": ["a", "a", "b"], "remedy_h": [1.0, 1.0, 1.0], "follow_up_h": [20.0, 400.0, 50.0]})
    o = casework.follow_up_outcomes(w, q, follow_up_days=7)
    assert o["customers"].tolist() == [1, 1, 1]  # a has one late call-back
    assert o["lapsed"].tolist() == [0, 1, 1]
    with pytest.raises(CRMDataError):
        casework.follow_up_outcomes(w, q.assign(customer_id=["a", "a", "zz"]))
    with pytest.raises(CRMDataError):
        casework.file_quota(pd.DataFrame({"employee": ["A"], "joined": ["not a date"]}))
    with pytest.raises(CRMDataError):
        datasets.make_station(0)


# ---------------------------------------------------------------- the exercises
def test_case_exercises_accept_their_solutions_and_reject_others():
    p = datasets.make_casino_players(500, seed=1)
    kw = dict(
        players=p,
        cuts=[0.5, 0.8, 0.95],
        comp_rates=[0.1, 0.15, 0.2, 0.3],
        base_retention=0.5,
        retention_lift=0.06,
        player_years=3.0,
    )
    cost = exercises.expected("case1.comp_cost", **kw)
    assert exercises.check("case1.comp_cost", cost, strict=True, **kw)
    assert not exercises.check("case1.comp_cost", cost * 1.1, strict=False, **kw)
    assert exercises.expected("case1.best_payback", **kw) in {"silver", "gold", "platinum", "diamond"}
    assert 0 < exercises.expected("case1.diamond_share", players=p, cuts=[0.5, 0.8, 0.95]) < 1
    v = datasets.make_lobby_visitors(50, seed=2)
    kw2 = dict(visitors=v, money_cut=1e5, abc_cuts=[0.8, 0.95], weights=[0.4, 0.35, 0.25])
    first = exercises.expected("case2.serve_first", vip_count=3, **kw2)
    assert len(first) == 3
    assert exercises.check("case2.serve_first", sorted(first), strict=True, vip_count=3, **kw2)
    assert isinstance(exercises.expected("case2.ideal_prospects", **kw2), int)
    d = datasets.make_station(4, 6, 5, seed=3)
    missed = exercises.expected("case3.missed_quota", customers=d["customers"], per_month=5)
    q = casework.file_quota(d["customers"], per_month=5)
    assert missed == frozenset(q.index[~q["met"]])
    gap = exercises.expected(
        "case3.lapsed_gap", fillups=d["fillups"], complaints=d["complaints"], days=7, at_risk=1.5, lapsed=3.0
    )
    assert -1 <= gap <= 1
    assert 0 <= exercises.expected("case3.loyal_share", fillups=d["fillups"], min_repeats=3) <= 1


def test_winback_by_employee_hands_lapsed_customers_back():
    d = datasets.make_station(3, 6, 5, seed=4)
    w = churn_watch(d["fillups"])
    wb = casework.winback_by_employee(w, d["customers"])
    assert wb["customers"].sum() == len(w)
    assert wb["lapsed"].sum() == int((w["status"].cat.codes == 2).sum())
    listed = [x for s in wb["call_list"] for x in s.split(", ") if x]
    assert sorted(listed) == sorted(w.index[w["status"].cat.codes == 2])
    with pytest.raises(CRMDataError):
        casework.winback_by_employee(w, d["customers"].iloc[1:])


def test_case_widgets_recompute_headlessly():
    from crmlib import widgets

    p = datasets.make_casino_players(200, seed=2)
    t = casework.design_tiers(p["net_loss"])
    cx = widgets.comp_explorer(p["net_loss"], t["tier"].to_numpy(), draw=False)
    before = float(cx.result["comp_cost"].sum())
    cx.rates[3].value = 0.0
    assert float(cx.result["comp_cost"].sum()) < before and "net value" in cx.text.value
    v = datasets.make_lobby_visitors(30, seed=1)
    lx = widgets.lobby_explorer(v, first=3, draw=False)
    for s in lx.weights:
        s.value = 0.0  # all zero: falls back to equal weights instead of failing
    assert sorted(lx.result["order"]) == list(range(1, 31))
    with pytest.raises(CRMDataError):
        widgets.lobby_explorer(v.drop(columns="purpose"), draw=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_case_plots_label_themselves(lang):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib import plots

    p = datasets.make_casino_players(300, seed=1)
    t = casework.design_tiers(p["net_loss"], lang=lang)
    e = casework.comp_economics(p["net_loss"], t["tier"].to_numpy(), lang=lang)
    ax = plots.comp_economics_plot(e, lang=lang)
    assert [x.get_text() for x in ax.get_yticklabels()] == list(map(str, e.index))
    ax = plots.lobby_plot(
        casework.lobby_triage(datasets.make_lobby_visitors(40, seed=1), lang=lang), first=3, lang=lang
    )
    assert len(ax.texts) == 3
    d = datasets.make_station(2, 4, 5, seed=1)
    ax = plots.files_plot(casework.monthly_files(d["customers"]), lang=lang)
    assert len(ax.get_xticklabels()) == 4
    plt.close("all")
    with pytest.raises(CRMDataError):
        plots.files_plot(pd.DataFrame({"new": [1]}))
