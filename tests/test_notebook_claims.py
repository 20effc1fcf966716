"""The numbers and directions chapter 1's text states, checked without executing the notebook.

Each sentence of notebooks/01_identification.ipynb that states a direction or a size about the full
data ("the synthetic shop is more concentrated than CDNOW", "the headroom rises with current value",
"on gross margin the least profitable tier's losses are a rounding error") is a test here, run for the
notebook's default parameters and for every set of tests/params/01_identification.yaml, through the
same crmlib calls the notebook makes. When a parameter set or a generator change makes a sentence
false, this file fails and names it, instead of the chapter quietly saying something untrue. Numbers
that drift with the parameters are printed by the notebook's code cells, not written in its text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml

import _executions as ex
from _support import notebook_defaults
from crmlib import datasets, exercises, plots, qualification, segmentation as S

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks" / "01_identification.ipynb"
SETS = [{}] + list(yaml.safe_load((ROOT / "tests" / "params" / "01_identification.yaml").read_text()) or [])
IDS = ["defaults"] + [f"params-{i}" for i in range(len(SETS) - 1)]


@cache
def _cdnow() -> pd.DataFrame:
    return S.rfm_table(datasets.load_dataset("cdnow_master"))


@cache
def chapter(i: int) -> dict:
    """The notebook's objects for parameter set ``i`` (0 = defaults), made as its cells make them."""
    p = {**notebook_defaults(NB), **SETS[i]}
    tx = datasets.make_transactions(n_customers=p["n_customers"], seed=p["seed"])
    prospects = datasets.make_prospects(n=p["n_prospects"], seed=p["seed"])
    wallets = datasets.make_wallets(n_customers=p["n_customers"], seed=p["seed"]).set_index("customer_id")
    wallets = wallets["est_category_spend"]
    summary = S.customer_summary(tx, profile_cols=["region", "segment"])
    rfm = S.rfm_table(tx)
    spend = S.recent_revenue(tx, days=365)
    active = spend.index[spend > 0]
    sow = S.share_of_wallet(spend[active], wallets[active])
    vm = S.value_matrix(sow["spend"], sow["headroom"], lang="en")
    rt = S.relationship_type(summary["margin"], summary["discount_pct"], discount_cut=p["discount_cut"], lang="en")
    return dict(p=p, tx=tx, prospects=prospects, wallets=wallets, summary=summary, rfm=rfm, sow=sow, vm=vm, rt=rt)


def _rank_corr(a: pd.Series, b: pd.Series) -> float:
    return float(a.rank().corr(b.rank()))


@pytest.fixture(params=range(len(SETS)), ids=IDS)
def ch(request) -> dict:
    return chapter(request.param)


# ---------------------------------------------------------------------------------------------- section 2
def test_corporate_customers_spend_more_than_consumers(ch):
    """profile-reading: 'corporate customers spend more per customer than consumers'."""
    prof = S.segment_profile(ch["summary"], by="segment")
    assert prof.loc["corporate", "revenue"] > prof.loc["consumer", "revenue"]


# ---------------------------------------------------------------------------------------------- section 3
def test_cdnow_has_no_new_customers_and_champions_carry_it(ch):
    """rfm-cdnow-read: 'In CDNOW nobody is New / growing'; 'how much revenue sits with the Champions'."""
    seg = S.segment_summary(S.rfm_segments(S.rfm_scores(_cdnow(), bins=ch["p"]["rfm_bins"]), lang="en"))
    assert seg.loc["New / growing", "customers"] == 0
    assert seg["revenue_share"].idxmax() == "Champions" and seg.loc["Champions", "revenue_share"] > 0.5


def test_half_of_cdnow_ordered_once_and_the_others_bring_most_revenue():
    """rfm-interpret and pareto-read: 'half the customers ordered once'; 'most of the revenue comes from the
    other half, the customers who came back'."""
    r = _cdnow()
    once = r["frequency"] == 1
    assert 0.45 <= once.mean() <= 0.55
    assert r.loc[~once, "monetary"].sum() / r["monetary"].sum() > 0.75


def test_champions_bring_the_largest_share_of_the_synthetic_shop(ch):
    """rfm-mini-interpret / the RFM plot's reading: the Champions segment holds the largest revenue share."""
    seg = S.segment_summary(S.rfm_segments(S.rfm_scores(ch["rfm"], bins=ch["p"]["rfm_bins"]), lang="en"))
    assert seg["revenue_share"].idxmax() == "Champions"


# ---------------------------------------------------------------------------------------------- section 4
def test_on_gross_margin_the_least_profitable_tier_is_small(ch):
    """prof-interpret: 'on gross margin only a few customers bring zero or less, and their losses are a rounding
    error beside the total' (the claim that replaced 'some customers destroy margin')."""
    tiers = S.profitability_tiers(ch["summary"]["margin"], top=ch["p"]["top_fraction"])
    least = tiers["tier"].cat.codes.to_numpy() == 2
    assert least.mean() < 0.05
    assert abs(tiers.loc[least, "profit"].sum()) < 0.005 * tiers["profit"].sum()


def test_the_cost_to_serve_decides_who_loses_money(ch):
    """Summary: 'on gross margin few customers lose money; the cost to serve decides who really does'."""
    s, cost = ch["summary"], ch["p"]["cost_per_order"]
    gross = (s["margin"] <= 0).sum()
    net = (s["margin"] - cost * s["n_transactions"] <= 0).sum()
    assert cost > 0 and net > 2 * gross


# ---------------------------------------------------------------------------------------------- section 5
def test_both_bases_are_concentrated_and_the_synthetic_one_more_so(ch):
    """pareto-read: 'Both customer bases are concentrated, and the synthetic shop more so than CDNOW on both
    measures: its top customers hold a larger share and its Gini index is higher'."""
    f = ch["p"]["top_fraction"]
    syn, real = ch["rfm"]["monetary"], _cdnow()["monetary"]
    assert S.top_share(syn, f) > S.top_share(real, f) > 2 * f
    assert S.gini(syn) > S.gini(real) > 0.5


# ---------------------------------------------------------------------------------------------- section 7
def test_headroom_rises_with_current_value_and_the_shortcut_falls(ch):
    """vm-full-read: 'the headroom rises with current value (a positive rank correlation) ... The segment shortcut
    ... falls with current value instead (a negative correlation)'."""
    vm, s = ch["vm"], ch["summary"]
    assert _rank_corr(vm["current"], vm["potential"]) > 0.2
    old = s["revenue"].groupby(s["segment"]).transform(lambda v: v.quantile(0.9)) - s["revenue"]
    assert _rank_corr(s["revenue"], old.clip(lower=0)) < -0.2


def test_every_quadrant_holds_several_business_segments(ch):
    """vm-full-read: 'every quadrant holds customers of several business segments'."""
    table = pd.crosstab(ch["vm"]["quadrant"], ch["summary"].loc[ch["vm"].index, "segment"])
    assert len(table) == 4 and (table.gt(0).sum(axis=1) >= 2).all()


def test_value_matrix_axes_are_logarithmic_and_start_at_zero(ch):
    """223367d7: 'The axes are logarithmic because spending and headroom range from a few units to tens of
    thousands; the potential axis starts at 0 and is linear near it' (symlog from 0: no negative tick)."""
    vm = ch["vm"]
    assert vm["current"].min() < 10 and vm["current"].max() > 10_000 and vm["potential"].max() > 10_000
    fig, ax = plt.subplots()
    plots.value_matrix_plot(vm, ax=ax)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "symlog" and ax.get_ylim()[0] == 0
    assert ax.yaxis.get_transform().linthresh > 0 and min(ax.get_yticks()) >= 0
    plt.close(fig)


def test_the_matrix_covers_only_last_year_buyers(ch):
    """vm-independence, assumption 4: customers silent for a year are left out (and are lost customers)."""
    states = qualification.customer_state(ch["tx"], ch["prospects"], lapse_days=ch["p"]["lapse_days"], lang="en")
    out = states.index.difference(ch["vm"].index).intersection(ch["summary"].index)
    assert len(out) > 0 and (states.loc[out, "state"] == "lost customer").all()


# ---------------------------------------------------------------------------------------------- sections 11, 12
def test_there_are_mature_ideal_prospects_to_call(ch):
    """Section 11 and exercise 7: 'mature M+A+N prospects are this month's calls' — there are some."""
    pr, p = ch["prospects"], ch["p"]
    ideal = qualification.man_table(pr)["man_code"] == "M+A+N"
    soon = qualification.deal_stage(pr["expected_close_days"], cuts=(p["mature_days"], 60)).cat.codes == 0
    assert (ideal & soon).sum() >= 3


def test_transactional_customers_earn_far_less(ch):
    """rel-interpret: 'the transactional customers' average margin is far below the relational customers''."""
    summ = S.relationship_type_summary(ch["rt"])
    assert summ.loc["transactional", "mean_margin"] < 0.5 * summ.loc["relational", "mean_margin"]


# ---------------------------------------------------------------------------------------------- exercise 5
def test_the_three_prospects_of_exercise_5_support_answer_b(ch):
    """Exercise 5's options and feedback: a is near the ceiling of its wallet, b is relational with room to
    grow, c has headroom but buys on discount at a thinner margin; all three bought in the last 60 days."""
    vm, sow, rt, s = ch["vm"], ch["sow"], ch["rt"], ch["summary"]
    known = vm.join(sow[["wallet", "share_of_wallet"]]).join(rt[["discount_pct", "type"]])
    known["margin_rate"] = s["margin"] / s["revenue"]
    known = known[ch["rfm"].loc[known.index, "recency_days"] <= 60]
    quadrant, relational = known["quadrant"].cat.codes, known["type"].cat.codes == 0
    a = known[(quadrant == 1) & relational]["current"].idxmax()
    b = known[(quadrant == 2) & relational]["potential"].idxmax()
    c = known[(quadrant != 3) & ~relational]["potential"].idxmax()
    k = known.loc[[a, b, c]]
    assert k.loc[a, "share_of_wallet"] > 0.5 > 0.05 > k.loc[b, "share_of_wallet"]
    assert k.loc[b, "potential"] > 10 * max(k.loc[a, "potential"], 1.0)
    assert k.loc[c, "discount_pct"] >= ch["p"]["discount_cut"] > k.loc[b, "discount_pct"]
    assert k.loc[c, "margin_rate"] < k.loc[b, "margin_rate"]
    assert np.isfinite(k[["current", "wallet", "share_of_wallet", "potential"]].to_numpy(dtype=float)).all()


# ---------------------------------------------------------------------------------------------- no answer shown early
def _exercise_data(c: dict) -> dict[str, dict]:
    """The data each of the chapter's self-checks is called with (as in the notebook's check cells)."""
    p = c["p"]
    return {
        "ch1.handling_losses": dict(tx=c["tx"], cost_per_order=p["cost_per_order"]),
        "ch1.drop_losers": {},
        "ch1.cdnow_customers_for_80": dict(cdnow=datasets.load_dataset("cdnow_master")),
        "ch1.develop_headroom": dict(tx=c["tx"], wallets=c["wallets"], discount_cut=p["discount_cut"]),
        "ch1.better_prospect": {},
        "ch1.need_essence": {},
        "ch1.call_list": dict(prospects=c["prospects"], mature_days=p["mature_days"]),
        "ch1.recommendation": {},
    }


JOBS = [ex.defaults(NB)] + [ex.variant(NB, i) for i in range(len(SETS) - 1)]


def _runs():
    for i, job in enumerate(JOBS):
        yield pytest.param(i, id=IDS[i], marks=[pytest.mark.notebook, pytest.mark.executions(job)])


@pytest.mark.parametrize("i", list(_runs()))
def test_no_answer_is_shown_above_its_question(i, executions):
    """DESIGN: an answer is never printed above its question (the issue: section 5 printed exercise 1's answer).
    The executed chapter's outputs above each check cell hold none of the answers (exercises.answers_shown_early),
    and the notebook's checks are exactly the chapter's exercises."""
    nb = executions.result(JOBS[i]).notebook()
    data = _exercise_data(chapter(i))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    checks = re.findall(r'exercises\.check\("([^"]+)"', code)
    assert sorted(checks) == sorted(data)
    key = {k: exercises.key_entry(k, **kw) for k, kw in data.items()}
    assert exercises.answers_shown_early(nb, key=key) == []
