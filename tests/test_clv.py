"""Customer lifetime value models (crmlib.clv).

What is checked here:

* ``summary_from_transactions`` against hand-computed cases and a plain pandas recomputation;
* the published CDNOW estimates (weeks, calibration to 1997-09-30): BG/NBD (Fader, Hardie & Lee
  2005), Pareto/NBD and Gamma-Gamma (Fader & Hardie's notes), with their log-likelihoods;
* recovery of known parameters from data simulated by ``simulate_beta_geo``;
* analytic gradients and Hessians against finite differences, the Pareto/NBD quadrature against
  hyp2f1; fits on the distinct (x, tₓ, T) rows with weights equal fits on all rows; Newton's
  method and its L-BFGS-B fallback agree; parameters and predictions match lifetimes 0.11.3;
* properties (hypothesis): P(alive) in [0, 1] (1 without repeats in BG/NBD), expected purchases
  increasing in t, CLV falling with the discount rate;
* invalid summaries and non-convergence raise ``CRMDataError`` naming function and field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as st
from scipy import special

from _support import expect_error
from crmlib import CRMDataError, clv
from crmlib.clv import (
    BetaGeo,
    GammaGamma,
    ParetoNBD,
    customer_lifetime_value,
    simulate_beta_geo,
    summary_from_transactions,
)
from crmlib.datasets import load_dataset

BG_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD_PUBLISHED = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
GG_PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}
# lifetimes 0.11.3 on the same CDNOW summary (BetaGeoFitter; ParetoNBDFitter starts at random points and
# stops at Nelder–Mead's tol=1e-4, so its figures move in the 5th digit from run to run)
BG_LIFETIMES = {"r": 0.2425945434, "alpha": 4.4136027161, "a": 0.7929218333, "b": 2.4259057287}
PNBD_LIFETIMES = {"r": 0.5532911186, "alpha": 10.5777734250, "s": 0.6062398153, "beta": 11.6681196114}
# lifetimes' predictions with the published parameters for these histories (T = 38.86 weeks)
HIST = ([0, 2, 2, 7, 29], [0.0, 30.43, 5.0, 35.0, 38.0], [38.86] * 5)
LIFETIMES_PREDICTIONS = {
    "bg_alive": [1.0, 0.7265785701, 0.1236789227, 0.8437678219, 0.9552217212],
    "bg_cep39": [0.195098052, 1.2260281748, 0.2086957282, 4.3874878545, 19.4522938432],
    "pnbd_alive": [0.2952866046, 0.8691675592, 0.130169243, 0.9360811765, 0.9864743442],
    "pnbd_cep39": [0.1070814682, 1.4551231933, 0.2179237852, 4.6363737333, 19.1175752559],
}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return summary_from_transactions(load_dataset("cdnow_sample"), observation_end="1997-09-30", freq="W")


@pytest.fixture(scope="module")
def bg(cdnow) -> BetaGeo:
    return BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def pnbd(cdnow) -> ParetoNBD:
    return ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def _fixed(model, params):
    m = model()
    m.params_ = dict(params)
    return m


# ============================================================================ the CDNOW sample
def test_cdnow_dataset_loads_with_dtypes():
    tx = load_dataset("cdnow_sample")
    assert tx.shape == (6919, 5)
    assert list(tx.columns) == ["customer_id", "sample_id", "date", "quantity", "amount"]
    assert str(tx["date"].dtype) == "datetime64[ns]" and str(tx["amount"].dtype) == "float64"
    assert str(tx["quantity"].dtype) == "int64" and tx["customer_id"].nunique() == 2357
    assert tx["date"].min() == pd.Timestamp("1997-01-01") and tx["date"].max() == pd.Timestamp("1998-06-30")


def test_cdnow_summary_figures(cdnow):
    assert len(cdnow) == 2357 and cdnow.index.is_monotonic_increasing
    assert (cdnow["T"] <= 39).all() and cdnow["T"].max() == pytest.approx(272 / 7)
    rep = cdnow[cdnow["frequency"] > 0]
    assert len(rep) == 946  # Fader & Hardie's Gamma-Gamma note
    assert rep["monetary_value"].mean() == pytest.approx(35.078, abs=1e-3)
    assert (cdnow.loc[cdnow["frequency"] == 0, ["recency", "monetary_value"]] == 0).all().all()


def test_bg_nbd_matches_published_cdnow_estimates(bg):
    for k, v in BG_PUBLISHED.items():
        assert bg.params_[k] == pytest.approx(v, abs=1e-3), k
    assert bg.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)  # the full LL, not a mean
    assert bg.n_customers_ == 2357
    # Fader, Hardie & Lee (2005): customer with x=2, t_x=30.43, T=38.86 → 1.226 purchases in 39 weeks
    assert bg.conditional_expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=1e-3)


def test_pareto_nbd_matches_published_cdnow_estimates(pnbd):
    for k, v in PNBD_PUBLISHED.items():
        assert pnbd.params_[k] == pytest.approx(v, abs=1e-3), k
    assert pnbd.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)


def test_fits_match_lifetimes_to_four_significant_digits(bg, pnbd):
    for k, v in BG_LIFETIMES.items():
        assert bg.params_[k] == pytest.approx(v, rel=1e-5), k  # both at the optimum
    for k, v in PNBD_LIFETIMES.items():
        assert pnbd.params_[k] == pytest.approx(v, rel=2e-4), k  # lifetimes' own precision
    assert bg.log_likelihood_ == pytest.approx(-9582.4292, abs=1e-3)
    assert pnbd.log_likelihood_ == pytest.approx(-9594.9762, abs=1e-3)


def test_predictions_match_lifetimes():
    bg, pn = _fixed(BetaGeo, BG_PUBLISHED), _fixed(ParetoNBD, PNBD_PUBLISHED)
    got = {
        "bg_alive": bg.prob_alive(*HIST),
        "bg_cep39": bg.conditional_expected_purchases(39, *HIST),
        "pnbd_alive": pn.prob_alive(*HIST),
        "pnbd_cep39": pn.conditional_expected_purchases(39, *HIST),
    }
    for k, ref in LIFETIMES_PREDICTIONS.items():
        np.testing.assert_allclose(got[k], ref, rtol=1e-9, err_msg=k)
    # the same numbers from Series, numpy arrays of ints or floats, and lists (fast and full checks)
    x, tx, T = (pd.Series(v, index=list("abcde")) for v in HIST)
    for args in ((x, tx, T), (x.to_numpy(), tx.to_numpy(), T.to_numpy()), (x.to_numpy(float), tx, T.tolist())):
        np.testing.assert_allclose(
            np.asarray(bg.conditional_expected_purchases(39, *args)), LIFETIMES_PREDICTIONS["bg_cep39"], rtol=1e-9
        )
    assert bg.prob_alive(x, tx, T).index.equals(x.index)


def test_gamma_gamma_matches_published_cdnow_estimates(cdnow):
    gg = GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])
    for k, v in GG_PUBLISHED.items():
        assert gg.params_[k] == pytest.approx(v, abs=6e-3), k
    assert gg.n_customers_ == 946 and gg.log_likelihood_ < 0
    # the population mean spend p·gamma/(q-1) is what a customer without repeats gets
    p, q, g = (gg.params_[k] for k in ("p", "q", "gamma"))
    assert gg.conditional_expected_spend(0, 0.0) == pytest.approx(p * g / (q - 1))


def test_fits_accept_series_lists_and_return_self(cdnow):
    m = BetaGeo()
    assert m.fit(cdnow["frequency"].tolist(), cdnow["recency"].to_numpy(), cdnow["T"]) is m
    out = m.prob_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert isinstance(out, pd.Series) and out.index.equals(cdnow.index)
    assert isinstance(
        m.prob_alive(cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(), cdnow["T"].to_numpy()), np.ndarray
    )


# ============================================================================ simulation recovery
def test_big_fits_start_from_a_subsample(monkeypatch):
    import crmlib.clv as clv

    monkeypatch.setattr(clv, "_WARM_N", 3000)  # exercise the big-data path on small data
    monkeypatch.setattr(clv, "_WARM_SAMPLE", 1000)
    summ = simulate_beta_geo(6000, 0.5, 5.0, 0.8, 2.5, T=40.0, seed=9)
    warm = BetaGeo().fit(summ["frequency"], summ["recency"], summ["T"])
    monkeypatch.setattr(clv, "_WARM_N", 10**9)
    cold = BetaGeo().fit(summ["frequency"], summ["recency"], summ["T"])
    for k in cold.params_:
        assert warm.params_[k] == pytest.approx(cold.params_[k], rel=1e-4)
    assert warm.log_likelihood_ == pytest.approx(cold.log_likelihood_, abs=1e-6)


def test_bg_nbd_recovers_simulated_parameters():
    truth = {"r": 0.8, "alpha": 6.0, "a": 0.6, "b": 3.0}
    summ = simulate_beta_geo(40_000, T=np.linspace(20, 52, 40_000), seed=7, **truth)
    m = BetaGeo().fit(summ["frequency"], summ["recency"], summ["T"])
    for k, v in truth.items():
        assert m.params_[k] == pytest.approx(v, rel=0.12), (k, m.params_)
    # the simulator follows the model: mean purchases match E[X(T)] of the true parameters
    true = _fixed(BetaGeo, truth)
    assert summ["frequency"].mean() == pytest.approx(np.mean(true.expected_purchases(summ["T"].to_numpy())), rel=0.03)


def test_simulator_is_seeded_and_valid():
    a = simulate_beta_geo(500, 0.5, 5.0, 0.8, 2.5, T=30.0, seed=3)
    assert a.equals(simulate_beta_geo(500, 0.5, 5.0, 0.8, 2.5, T=30.0, seed=3))
    assert not a.equals(simulate_beta_geo(500, 0.5, 5.0, 0.8, 2.5, T=30.0, seed=4))
    assert (a["recency"] <= a["T"]).all() and (a.loc[a["frequency"] == 0, "recency"] == 0).all()
    expect_error(lambda: simulate_beta_geo(10, -1.0, 5.0, 0.8, 2.5), "simulate_beta_geo", "r")


# ============================================================================ gradients
def _fd_check(loglik, theta, *data, rel=1e-5):
    _, g = loglik(theta, *data)
    for i in range(len(theta)):
        h = 1e-6 * theta[i]
        up, dn = theta.copy(), theta.copy()
        up[i] += h
        dn[i] -= h
        fd = (loglik(up, *data)[0].sum() - loglik(dn, *data)[0].sum()) / (2 * h)
        assert g[i].sum() == pytest.approx(fd, rel=rel, abs=1e-4), i  # FD noise ≈ 1e-16·|LL|/h


@pytest.mark.parametrize("theta", [[0.243, 4.414, 0.793, 2.426], [1.7, 0.5, 3.0, 0.9]])
def test_bg_nbd_gradient_matches_finite_differences(cdnow, theta):
    data = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    theta = np.array(theta)
    _fd_check(BetaGeo._loglik, theta, *data)
    # the fast group-wise objective used by fit() is the same function, with or without weights
    ll, g = BetaGeo._loglik(theta, *data)
    groups = np.unique(data[0], return_inverse=True)
    w = np.random.default_rng(0).integers(1, 4, size=len(ll)).astype(float)
    for weights, total, grad in ((None, ll.sum(), g.sum(axis=1)), (w, ll @ w, g @ w)):
        t2, g2 = BetaGeo()._objective(theta, *data, groups, weights)
        assert t2 == pytest.approx(total, rel=1e-12)
        np.testing.assert_allclose(g2, grad, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("theta", [[0.553, 10.578, 0.606, 11.669], [2.0, 3.0, 1.5, 40.0]])
def test_pareto_nbd_gradient_and_quadrature(cdnow, theta):
    data = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    theta = np.array(theta)
    _fd_check(ParetoNBD._loglik, theta, *data)
    quad = ParetoNBD._loglik(theta, *data, grad=False)[0].sum()
    closed = _fixed(ParetoNBD, {})._final_loglik(theta, *data)  # hyp2f1 form
    assert quad == pytest.approx(closed, rel=1e-9)


def test_pareto_nbd_works_in_blocks(cdnow, monkeypatch):
    import crmlib.clv as clv

    data = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    theta = np.array([0.5, 10.0, 0.6, 11.0])
    whole = ParetoNBD._loglik(theta, *data)
    monkeypatch.setattr(clv, "_PNBD_CHUNK", 500)  # big inputs are processed block by block
    blocks = ParetoNBD._loglik(theta, *data)
    np.testing.assert_array_equal(whole[0], blocks[0])
    np.testing.assert_array_equal(whole[1], blocks[1])


def _hessian_fd_check(model, theta, x, tx, T, wt=None):
    groups = np.unique(x, return_inverse=True)
    _, _, H = model._objective(theta, x, tx, T, groups, wt, hess=True)
    fd = np.zeros((4, 4))
    for i in range(4):
        h = 1e-6 * theta[i]
        up, dn = theta.copy(), theta.copy()
        up[i] += h
        dn[i] -= h
        grad_up, grad_dn = (model._objective(v, x, tx, T, groups, wt)[1] for v in (up, dn))
        fd[:, i] = (grad_up - grad_dn) / (2 * h)
    np.testing.assert_allclose(H, H.T, rtol=1e-14)
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-6 * np.abs(fd).max())


@pytest.mark.parametrize(
    "model, theta",
    [
        (BetaGeo, [0.243, 4.414, 0.793, 2.426]),
        (BetaGeo, [1.7, 0.5, 3.0, 0.9]),
        (ParetoNBD, [0.553, 10.578, 0.606, 11.669]),
        (ParetoNBD, [2.0, 3.0, 1.5, 40.0]),
        (ParetoNBD, [0.5, 20.0, 0.8, 3.0]),
    ],
)
def test_hessians_match_finite_differences(cdnow, model, theta):
    data = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    _hessian_fd_check(model(), np.array(theta), *data)
    (ux, utx, uT), wt, _ = clv._groups(*data)  # and on weighted distinct rows
    _hessian_fd_check(model(), np.array(theta), ux, utx, uT, wt)


def test_gamma_gamma_gradient_matches_finite_differences(cdnow):
    rep = cdnow[cdnow["frequency"] > 0]
    data = (rep["frequency"].to_numpy(float), rep["monetary_value"].to_numpy() / 35.0)
    _fd_check(GammaGamma._loglik, np.array([6.25, 3.74, 0.44]), *data)


# ============================================================================ distinct rows, Newton
def test_weighted_distinct_rows_give_the_all_rows_likelihood():
    # by hand: three histories held by 3, 2 and 1 customers are three weighted rows
    x, tx, T = np.array([2.0, 0, 2, 5, 0, 2]), np.array([10.0, 0, 10, 30, 0, 10]), np.array([40.0, 35, 40, 40, 35, 40])
    (ux, utx, uT), counts, group = clv._groups(x, tx, T)
    np.testing.assert_array_equal(ux, [0, 2, 5])
    np.testing.assert_array_equal(utx, [0, 10, 30])
    np.testing.assert_array_equal(uT, [35, 40, 40])
    np.testing.assert_array_equal(counts, [2, 3, 1])
    np.testing.assert_array_equal(group, [1, 0, 1, 2, 0, 1])
    np.testing.assert_array_equal(ux[group], x)
    for model, theta in ((BetaGeo(), np.array([0.5, 6.0, 0.8, 2.5])), (ParetoNBD(), np.array([0.6, 9.0, 0.7, 12.0]))):
        ll, g = model._loglik(theta, x, tx, T)[:2]
        total, grad, H = model._objective(theta, ux, utx, uT, np.unique(ux, return_inverse=True), counts, hess=True)
        assert total == pytest.approx(ll.sum(), rel=1e-13)
        assert total == pytest.approx(3 * ll[0] + 2 * ll[1] + ll[3], rel=1e-13)
        np.testing.assert_allclose(grad, g.sum(axis=1), rtol=1e-12)
        _, _, H_all = model._objective(theta, x, tx, T, np.unique(x, return_inverse=True), None, hess=True)
        np.testing.assert_allclose(H, H_all, rtol=1e-12)


@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD])
def test_fit_on_distinct_rows_equals_fit_on_all_rows(cdnow, model, monkeypatch):
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    weighted = model().fit(f, r, T)  # 1,016 weighted rows
    monkeypatch.setattr(clv, "_DISTINCT_MAX", 0)  # every customer a row of its own
    every = model().fit(f, r, T)
    for k in weighted.params_:
        assert weighted.params_[k] == pytest.approx(every.params_[k], rel=1e-8), k
    assert weighted.log_likelihood_ == pytest.approx(every.log_likelihood_, abs=1e-8)
    assert weighted.n_customers_ == every.n_customers_ == 2357


@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD])
def test_newton_and_its_lbfgs_fallback_agree(cdnow, model, monkeypatch):
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    newton = model().fit(f, r, T)
    assert newton.n_iter_ <= 12  # a handful of Newton steps
    monkeypatch.setattr(clv, "_newton", lambda *a, **k: None)  # as if Newton got nowhere
    lbfgs = model().fit(f, r, T)
    for k in newton.params_:
        assert newton.params_[k] == pytest.approx(lbfgs.params_[k], rel=5e-5), k
    assert newton.log_likelihood_ == pytest.approx(lbfgs.log_likelihood_, abs=1e-6)
    assert newton.log_likelihood_ >= lbfgs.log_likelihood_ - 1e-9  # Newton's optimum is no worse


def test_pareto_nbd_refines_a_coarse_quadrature(cdnow, monkeypatch):
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    data = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    theta = np.array(list(PNBD_PUBLISHED.values()))
    closed = _fixed(ParetoNBD, {})._final_loglik(theta, *data)
    coarse = ParetoNBD._loglik(theta, *data, grad=False, nodes=clv._PNBD_NODES[0])[0].sum()
    assert coarse == pytest.approx(closed, rel=1e-10)  # why 16 nodes are tried first
    default = ParetoNBD().fit(f, r, T)
    monkeypatch.setattr(clv, "_PNBD_NODES", (3, 64))  # too coarse: refined with 64
    refined = ParetoNBD().fit(f, r, T)
    for k in default.params_:
        assert refined.params_[k] == pytest.approx(default.params_[k], rel=1e-6), k


def test_newton_gives_up_cleanly():
    flat = lambda z: (0.0, np.zeros(z.size), np.zeros((z.size, z.size)))  # noqa: E731
    assert clv._newton(flat, np.zeros(2), 10) == (pytest.approx(np.zeros(2)), 0)  # gradient 0: done
    away = lambda z: (float(z.sum()), np.ones(z.size), np.zeros((z.size, z.size)))  # noqa: E731
    assert clv._newton(away, np.zeros(2), 100) is None  # runs off beyond ±12
    nan = lambda z: (np.nan, np.ones(z.size), np.eye(z.size))  # noqa: E731
    assert clv._newton(nan, np.zeros(2), 10) is None


# ============================================================================ heavy buyers, edge cases
def test_heavy_buyers_stay_finite():
    bg = _fixed(BetaGeo, BG_PUBLISHED)
    x, tx, T = [30, 300, 3000], [38.86] * 3, [38.86] * 3  # bought on the last day
    cep = bg.conditional_expected_purchases(39, x, tx, T)  # hyp2f1 overflowed: was NaN at 3000
    assert np.isfinite(cep).all() and (np.diff(cep) > 0).all() and cep[2] == pytest.approx(10 * cep[1], rel=0.01)
    assert np.isfinite(customer_lifetime_value(bg, 30.0, x, tx, T, horizon=52)).all()
    # where both are finite, the Pfaff-transformed form used past the overflow is the same number
    r, alpha, a, b = BG_PUBLISHED.values()
    xx, TT, t = 300.0, 38.86, 39.0
    z = t / (alpha + TT + t)
    plain = ((alpha + TT) / (alpha + TT + t)) ** (r + xx) * special.hyp2f1(r + xx, b + xx, a + b + xx - 1, z)
    assert special.hyp2f1(r + xx, a - 1, a + b + xx - 1, z / (z - 1)) == pytest.approx(plain, rel=1e-10)
    # Pareto/NBD with alpha < beta: hyp2f1 overflowed too (NaN at 3000); x = 300 is as before
    pn = _fixed(ParetoNBD, {**PNBD_PUBLISHED, "beta": 30.0})
    alive = pn.prob_alive(x, [30.0] * 3, T)
    assert np.isfinite(alive).all() and (alive > 0).all() and alive[1] == pytest.approx(1.12377477e-23, rel=1e-6)
    assert np.isfinite(pn.conditional_expected_purchases(39, x, tx, T)).all()
    # E[purchases] is never negative, even where 1 − (…) cancels (t → 0)
    assert bg.conditional_expected_purchases(1e-13, 24, 0.0, 3.0) >= 0.0


def test_fast_and_full_checks_agree():
    x, tx, T = np.array([0, 2, 5]), np.array([0.0, 10.0, 30.0]), np.array([35.0, 40.0, 40.0])
    fast = clv._summary(x, tx, T, "f")
    full = clv._summary(x.tolist(), tx.tolist(), T.tolist(), "f")  # lists take the full checks
    for a, b in zip(fast, full):
        np.testing.assert_array_equal(a, b)
    # recency a hair above T (rounding) is accepted and clipped, as before
    _, tx2, _ = clv._summary(x, np.array([0.0, 40.0 * (1 + 1e-13), 30.0]), T, "f")
    assert tx2[1] == 40.0
    assert clv._fast_summary(pd.Series([0, 2, 5], dtype="Int64"), tx, T) is None  # nullable: full checks


def test_clv_accepts_any_model_with_the_method(cdnow, bg):
    class Wrapped:  # not a crmlib model: the plain loop over periods
        params_ = bg.params_

        def conditional_expected_purchases(self, t, x, tx, T):
            return bg.conditional_expected_purchases(t, x, tx, T)

    args = (30.0, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_allclose(
        customer_lifetime_value(Wrapped(), *args, horizon=26, discount_rate=0.01),
        customer_lifetime_value(bg, *args, horizon=26, discount_rate=0.01),
        rtol=1e-12,
    )


# ============================================================================ properties
histories = st.tuples(st.integers(0, 60), st.floats(0, 1), st.floats(0.5, 200))
params_bg = st.fixed_dictionaries(
    {"r": st.floats(0.05, 5), "alpha": st.floats(0.1, 50), "a": st.floats(0.05, 5), "b": st.floats(0.05, 10)}
)
params_pn = st.fixed_dictionaries(
    {"r": st.floats(0.05, 5), "alpha": st.floats(0.1, 50), "s": st.floats(0.05, 5), "beta": st.floats(0.1, 50)}
)


def _history(h):
    x, share, T = h
    return x, (share * T if x > 0 else 0.0), T


@settings(max_examples=60, deadline=None)
@given(params_bg, histories)
def test_bg_prob_alive_is_a_probability(params, h):
    m = _fixed(BetaGeo, params)
    x, tx, T = _history(h)
    p = m.prob_alive(x, tx, T)
    assert 0.0 <= p <= 1.0
    if x == 0:
        assert p == 1.0  # BG/NBD: no repeat purchase, no chance to drop out
    if x > 0:
        assert m.prob_alive(x, T, T) >= p - 1e-12  # a later last purchase never lowers P(alive)


@settings(max_examples=60, deadline=None)
@given(params_pn, histories)
def test_pareto_prob_alive_is_a_probability(params, h):
    m = _fixed(ParetoNBD, params)
    x, tx, T = _history(h)
    p = m.prob_alive(x, tx, T)
    assert 0.0 <= p <= 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([(BetaGeo, BG_PUBLISHED), (ParetoNBD, PNBD_PUBLISHED)]),
    histories,
    st.lists(st.floats(0, 500), min_size=2, max_size=6),
)
def test_expected_purchases_increase_with_t(model, h, ts):
    m = _fixed(*model)
    t = np.sort(np.asarray(ts))
    un = m.expected_purchases(t)
    assert un[0] >= 0 and (np.diff(un) >= -1e-9).all()
    x, tx, T = _history(h)
    cond = np.array([m.conditional_expected_purchases(v, x, tx, T) for v in t])
    assert np.isfinite(cond).all() and cond[0] >= 0 and (np.diff(cond) >= -1e-9).all()


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 0.2), st.floats(0.001, 0.2))
def test_clv_falls_with_the_discount_rate(d, extra):
    bg = _fixed(BetaGeo, BG_PUBLISHED)
    args = (bg, 30.0, [0, 2, 7], [0, 30.43, 35.0], [38.86, 38.86, 38.86])
    low = customer_lifetime_value(*args, horizon=52, discount_rate=d)
    high = customer_lifetime_value(*args, horizon=52, discount_rate=d + extra)
    assert (high < low).all() and (high > 0).all()


# ============================================================================ CLV
def test_clv_without_discounting_is_spend_times_expected_purchases():
    bg = _fixed(BetaGeo, BG_PUBLISHED)
    x, tx, T = [0, 2, 7], [0, 30.43, 35.0], [38.86, 38.86, 38.86]
    expected = 30.0 * bg.conditional_expected_purchases(52, x, tx, T)
    for step in (1.0, 4.0, 52.0, 5.0):  # the path does not matter at a zero rate
        got = customer_lifetime_value(bg, 30.0, x, tx, T, horizon=52, discount_rate=0.0, freq=step)
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    # one discounting period of the whole horizon: the total divided by (1 + d)
    one = customer_lifetime_value(bg, 30.0, x, tx, T, horizon=52, discount_rate=0.1, freq=52)
    np.testing.assert_allclose(one, expected / 1.1, rtol=1e-12)


def test_clv_with_a_spend_model(cdnow, bg):
    gg = GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])
    clv = customer_lifetime_value(
        bg,
        gg,
        cdnow["frequency"],
        cdnow["recency"],
        cdnow["T"],
        cdnow["monetary_value"],
        horizon=52,
        discount_rate=0.10 / 52,
    )
    assert isinstance(clv, pd.Series) and clv.index.equals(cdnow.index) and (clv > 0).all()
    spend = gg.conditional_expected_spend(cdnow["frequency"], cdnow["monetary_value"])
    plain = customer_lifetime_value(
        bg, spend.to_numpy(), cdnow["frequency"], cdnow["recency"], cdnow["T"], horizon=52, discount_rate=0.10 / 52
    )
    np.testing.assert_allclose(clv.to_numpy(), plain.to_numpy(), rtol=1e-12)
    expect_error(
        lambda: customer_lifetime_value(bg, gg, [1], [1.0], [2.0], horizon=5),
        "customer_lifetime_value",
        "monetary_value",
    )


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"horizon": 0}, "horizon"),
        ({"discount_rate": -0.1}, "discount_rate"),
        ({"discount_rate": 10}, "discount_rate"),
        ({"freq": 0}, "freq"),
    ],
)
def test_clv_rejects_bad_units(kw, field):
    bg = _fixed(BetaGeo, BG_PUBLISHED)
    args = {"horizon": 52, "discount_rate": 0.01, **kw}
    expect_error(lambda: customer_lifetime_value(bg, 30.0, [1], [1.0], [2.0], **args), "customer_lifetime_value", field)


# ============================================================================ summary
def test_summary_hand_computed():
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "A", "B", "C"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-01 15:00", "2024-01-08", "2024-01-22", "2024-01-15", "2024-02-10"],
                format="ISO8601",
            ),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 9.0],
        }
    )
    before = tx.copy()
    s = summary_from_transactions(tx, observation_end="2024-01-29", freq="W")
    assert tx.equals(before)  # input untouched
    assert list(s.index) == ["A", "B"]  # C first bought after the end
    assert s.loc["A"].tolist() == [2, 3.0, 4.0, 30.0]  # same-day orders are one purchase
    assert s.loc["B"].tolist() == [0, 0.0, 2.0, 0.0]
    d = summary_from_transactions(tx)  # days, end = last date in the log
    assert d.loc["C"].tolist() == [0, 0.0, 0.0, 0.0] and d.loc["A", "T"] == 40.0
    assert str(d["frequency"].dtype) == "int64"


def test_summary_matches_a_plain_pandas_recomputation():
    tx = load_dataset("retail_transactions")
    s = summary_from_transactions(tx, observation_end="2024-06-30")
    t = tx[tx["date"] <= "2024-06-30"]
    days = t.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    g = days.groupby("customer_id")
    first, last = g["date"].min(), g["date"].max()
    first_amount = days.sort_values("date").groupby("customer_id")["amount"].first()
    freq = g.size() - 1
    assert (s["frequency"] == freq).all()
    assert np.allclose(s["recency"], (last - first).dt.days)
    assert np.allclose(s["T"], (pd.Timestamp("2024-06-30") - first).dt.days)
    mv = ((g["amount"].sum() - first_amount) / freq.where(freq > 0)).fillna(0.0)
    assert np.allclose(s["monetary_value"], mv)


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"freq": "M"}, "freq"),
        ({"freq": 7}, "freq"),
        ({"observation_end": "1990-01-01"}, "observation_end"),
        ({"amount_col": "amt"}, "amt"),
    ],
)
def test_summary_rejects_bad_arguments(kw, field):
    tx = pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"], "amount": [1.0]})
    expect_error(lambda: summary_from_transactions(tx, **kw), "summary_from_transactions", field)


def test_summary_names_bad_rows():
    tx = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "amount": [1.0, -2.0, np.nan],
        }
    )
    ids = tx.assign(customer_id=["A", None, "  "], amount=1.0)
    expect_error(lambda: summary_from_transactions(ids), "summary_from_transactions", "customer_id", rows=[1, 2])
    dates = tx.assign(date=["2024-01-01", "soon", "2024-01-03"], amount=1.0)
    expect_error(lambda: summary_from_transactions(dates), "summary_from_transactions", "date", rows=[1])
    expect_error(lambda: summary_from_transactions(tx.iloc[:2]), "summary_from_transactions", "amount", rows=[1])
    expect_error(lambda: summary_from_transactions(tx), "summary_from_transactions", "amount", rows=[2])


# ============================================================================ invalid summaries
@pytest.mark.parametrize("model", [BetaGeo, ParetoNBD])
def test_invalid_summaries_are_named(model):
    func = f"{model.__name__}.fit"
    expect_error(
        lambda: model().fit([1, 2], [5.0, 12.0], [10.0, 11.0]),
        func,
        "recency",
        rows=[1],
        contains=("must not exceed T",),
    )
    expect_error(
        lambda: model().fit([0, 1], [3.0, 2.0], [10.0, 11.0]), func, "recency", rows=[0], contains=("frequency 0",)
    )
    expect_error(lambda: model().fit([0, np.nan], [0.0, 2.0], [10.0, 11.0]), func, "frequency", rows=[1])
    expect_error(lambda: model().fit([0, 1.5], [0.0, 2.0], [10.0, 11.0]), func, "frequency", rows=[1])
    expect_error(lambda: model().fit([0, 1], [0.0, -2.0], [10.0, 11.0]), func, "recency", rows=[1])
    expect_error(lambda: model().fit([0, 1], [0.0, 2.0], [10.0]), func, "frequency, recency, T")
    with pytest.raises(CRMDataError, match="not fitted yet"):
        model().prob_alive([1], [1.0], [2.0])


def test_gamma_gamma_rejects_bad_spend_and_reports_non_convergence():
    expect_error(lambda: GammaGamma().fit([1, 2, 3], [10.0, -5.0, 7.0]), "GammaGamma.fit", "monetary_value", rows=[1])
    expect_error(
        lambda: GammaGamma().fit(
            pd.Series([1, 2, 3], index=["a", "b", "c"]), pd.Series([10.0, 0.0, 7.0], index=["a", "b", "c"])
        ),
        "GammaGamma.fit",
        "monetary_value",
        rows=["b"],
        contains=("must be positive",),
    )
    # eight nearly identical customers: no heterogeneity to estimate, q runs off to infinity
    with pytest.raises(CRMDataError, match="did not converge") as e:
        GammaGamma().fit([1, 2, 5, 3, 1, 4, 2, 6], [20.0, 35.5, 30.0, 18.0, 60.0, 25.0, 40.0, 28.0])
    assert e.value.func == "GammaGamma.fit"


def test_bg_nbd_reports_non_convergence():
    with pytest.raises(CRMDataError, match="did not converge") as e:
        BetaGeo().fit([0, 1, 2, 5, 0, 3], [0, 5, 8, 30, 0, 12], [10, 20, 20, 40, 40, 30])
    assert e.value.func == "BetaGeo.fit"


# ============================================================================ messy inputs (issue 14)
ABC = pd.DataFrame(
    {"frequency": [1, 5, 10], "recency": [10.0, 30.0, 37.0], "T": [38.0] * 3, "monetary_value": [20.0, 40.0, 60.0]},
    index=list("abc"),
)


def test_series_are_matched_by_label_not_position():
    bg, gg = _fixed(BetaGeo, BG_PUBLISHED), _fixed(GammaGamma, GG_PUBLISHED)
    f, r, T, m = (ABC[c] for c in ("frequency", "recency", "T", "monetary_value"))
    per_unit = customer_lifetime_value(bg, 1.0, f, r, T)
    spend = pd.Series([60.0, 40.0, 20.0], index=list("cba"))  # a: 20, b: 40, c: 60, sorted the other way
    got = customer_lifetime_value(bg, spend, f, r, T)
    assert list(got.index) == list("abc")
    np.testing.assert_allclose(got, [20 * per_unit["a"], 40 * per_unit["b"], 60 * per_unit["c"]], rtol=1e-14)
    # before: matched by position, a got c's spend (60 × a's value instead of 20 ×)
    assert got["a"] == pytest.approx(20 * per_unit["a"]) and got["a"] != pytest.approx(60 * per_unit["a"])
    # every per-customer argument follows the same rule
    pa = bg.prob_alive(f, r, T)
    pd.testing.assert_series_equal(bg.prob_alive(f, r[::-1], T.sample(frac=1, random_state=1)), pa)
    cep = bg.conditional_expected_purchases(pd.Series([39.0, 10.0, 5.0], index=list("cab")), f, r, T)
    assert cep["a"] == pytest.approx(bg.conditional_expected_purchases(10.0, 1, 10.0, 38.0), rel=1e-14)
    # Gamma-Gamma: a's expected spend = p (gamma + x m) / (p x + q − 1) = 6.25 × 35.44 / 8.99 = 24.638…
    es = gg.conditional_expected_spend(f, m[::-1])
    assert es["a"] == pytest.approx(6.25 * (15.44 + 20.0) / (6.25 + 2.74), rel=1e-14)
    with_gg = customer_lifetime_value(bg, gg, f, r, T, m.iloc[[2, 0, 1]])
    np.testing.assert_allclose(with_gg, customer_lifetime_value(bg, gg, f, r, T, m), rtol=1e-14)


def test_series_of_other_customers_are_refused_with_their_labels():
    bg = _fixed(BetaGeo, BG_PUBLISHED)
    f, r, T = ABC["frequency"], ABC["recency"], ABC["T"]
    err = expect_error(
        lambda: customer_lifetime_value(bg, pd.Series([1.0, 2.0, 3.0], index=list("abz")), f, r, T),
        "customer_lifetime_value",
        "spend_model_or_spend",
    )
    assert "missing 'c'" in str(err) and "'z'" in str(err)
    err = expect_error(lambda: bg.prob_alive(f, r.rename(index={"b": "a"}), T), "BetaGeo.prob_alive", "recency")
    assert "repeated labels" in str(err) and "'a'" in str(err)
    # arrays and lists keep their positions (no labels to match)
    np.testing.assert_allclose(
        customer_lifetime_value(bg, np.array([60.0, 40.0, 20.0]), f, r, T),
        np.array([60.0, 40.0, 20.0]) * customer_lifetime_value(bg, 1.0, f, r, T),
        rtol=1e-14,
    )


def test_length_mismatches_name_the_fields_and_lengths():
    bg, gg = _fixed(BetaGeo, BG_PUBLISHED), _fixed(GammaGamma, GG_PUBLISHED)
    for model in (bg, _fixed(ParetoNBD, PNBD_PUBLISHED)):
        name = f"{type(model).__name__}.conditional_expected_purchases"
        err = expect_error(
            lambda model=model: model.conditional_expected_purchases([39, 40, 41], [1, 2], [3.0, 4.0], [38.0] * 2),
            name,
            "t, frequency",
        )
        assert "got 3 and 2" in str(err)
    err = expect_error(
        lambda: customer_lifetime_value(bg, [30.0, 20.0, 10.0], [1, 2], [3.0, 4.0], [38.0, 38.0]),
        "customer_lifetime_value",
        "spend_model_or_spend, frequency",
    )
    assert "got 3 and 2" in str(err)
    expect_error(  # the spend model's own check, under the name of the function called
        lambda: customer_lifetime_value(bg, gg, [1, 2], [3.0, 4.0], [38.0, 38.0], [5.0, 6.0, 7.0]),
        "customer_lifetime_value",
        "frequency, monetary_value",
    )
    # one customer and several horizons is still a forecast curve
    curve = bg.conditional_expected_purchases([13.0, 26.0, 39.0], 2, 30.43, 38.86)
    assert curve.shape == (3,) and curve[2] == pytest.approx(LIFETIMES_PREDICTIONS["bg_cep39"][1], rel=1e-9)


# High-precision references: mpmath 1.3 at 40 digits (150 for the last two BG rows) on the plain closed forms
# E = c/(a−1) (1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; c; z)), c = a+b+x−1, z = t/(α+T+t) (BG/NBD), and
# I = (α+tₓ)^−N / N (2F1(s+1, N; N+1; w) − ρᴺ 2F1(s+1, N; N+1; wρ)), N = r+s+x (Pareto/NBD); a = 1 and
# a + b = 1 as limits (a = 1 + 1e-25, b = 0.6 + 1e-60).
BG_REFERENCES = [  # (r, alpha, a, b), x, T, t, E[purchases in t | alive]
    (BG_PUBLISHED.values(), 3000, 38.86, 39.0, 2062.0183344706699),
    (BG_PUBLISHED.values(), 2, 38.86, 39.0, 1.687399305805313),
    (BG_PUBLISHED.values(), 100, 0.01, 1e6, 5817.4504730349026),  # was inf
    (BG_PUBLISHED.values(), 1000, 0.01, 52.0, 3356.1755590302518),  # was NaN
    ((1.2666, 0.2233, 4.8376, 10.3047), 4363, 18.2705, 22013.1396, 1140.5936783388203),  # was NaN
    ((0.243, 4.414, 1.0, 2.426), 5, 38.86, 39.0, 3.6278757511825761),  # a = 1: was NaN
    ((0.243, 4.414, 0.4, 0.6), 0, 0.0, 39.0, 1.0815242786057801),  # a + b = 1, new customer: was NaN
    (BG_PUBLISHED.values(), 0, 0.0, 1e9, 256.25492550312434),  # expected_purchases(1e9): was 256.2549235
    (BG_PUBLISHED.values(), 2, 38.86, 1e90, 3.4347166624965399e19),
]
PNBD_REFERENCES = [  # (r, alpha, s, beta), x, tₓ, T, P(alive), term2 = log s + log I
    (PNBD_PUBLISHED.values(), 100_000, 38.0, 38.86, 1.2364654095538055e-757, -388333.62542865958),
    (PNBD_PUBLISHED.values(), 3000, 38.0, 38.86, 6.7910463205842138e-20, -11662.556142484941),
    (PNBD_PUBLISHED.values(), 2, 30.43, 38.86, 0.8691675591530112, -14.229218764143223),
    ((0.4469, 1.337, 1.1152, 945.1104), 35186, 13.4932, 14.9925, 4.0241190332703079e-1466, -94908.266975247671),
    ((0.553, 10.578, 0.606, 3.0), 100_000, 38.0, 38.86, 1.0184423385842853e-757, -388333.31738684011),
    ((0.553, 10.578, 0.606, 30.0), 300, 30.0, 38.86, 1.1237747650740477e-23, -1122.0947795157724),
]


@pytest.mark.parametrize("theta, x, T, t, expected", BG_REFERENCES)
def test_bg_expected_purchases_match_high_precision_values(theta, x, T, t, expected):
    m = _fixed(BetaGeo, dict(zip(BetaGeo._names, theta)))
    if T == 0:  # a new customer
        assert m.expected_purchases(t) == pytest.approx(expected, rel=1e-10)
    else:  # P(alive) = 1 when the last purchase was at T … no: divide it out
        got = m.conditional_expected_purchases(t, x, T, T) / m.prob_alive(x, T, T)
        assert got == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("theta, x, tx, T, alive, term2", PNBD_REFERENCES)
def test_pareto_prob_alive_matches_high_precision_values(theta, x, tx, T, alive, term2):
    m = _fixed(ParetoNBD, dict(zip(ParetoNBD._names, theta)))
    _, got = m._terms(np.array([float(x)]), np.array([tx]), np.array([T]), np.array(list(theta)))
    assert got[0] == pytest.approx(term2, rel=1e-12)
    p = m.prob_alive(x, tx, T)
    assert np.isfinite(p) and p == pytest.approx(alive, rel=1e-9, abs=1e-300)  # below 1e-308: 0
    assert np.isfinite(m.conditional_expected_purchases(39, x, tx, T))


def test_far_horizons_stay_finite_or_say_why():
    bg, pn = _fixed(BetaGeo, BG_PUBLISHED), _fixed(ParetoNBD, PNBD_PUBLISHED)
    for m in (bg, pn):  # a < 1 and s < 1: E[purchases] grows without bound, as a power of t
        far = m.conditional_expected_purchases(1e90, [0, 2, 3000], [0.0, 30.43, 38.86], [38.86] * 3)
        assert np.isfinite(far).all() and (far > 1e10).all()
        assert np.isfinite(customer_lifetime_value(m, 30.0, [2], [30.43], [38.86], horizon=1e90, freq=1e87)).all()
    err = expect_error(
        lambda: customer_lifetime_value(bg, 1e300, [2], [30.43], [38.86], horizon=1e90, freq=1e87),
        "customer_lifetime_value",
        "horizon",
    )
    assert "beyond the range" in str(err)


def test_a_narrow_dropout_posterior_is_integrated_not_refused():
    """a and b in the thousands: scipy cannot make Gauss–Jacobi nodes for Beta(1000, 10000), the
    closed form overflows; the Gauss–Legendre fallback gives mpmath's values (quad at 30 digits)."""
    bg = _fixed(BetaGeo, {"r": 1000.0, "alpha": 1000.0, "a": 1000.0, "b": 10000.0})
    got = [float(bg.conditional_expected_purchases(t, 0, 0.0, 1.0)) for t in (1e4, 1e2, 1.0)]
    assert got == pytest.approx([11.01001001001001, 11.008645826746896, 0.9549396374488080], rel=1e-10)


def test_simulator_refuses_rates_it_cannot_count():
    err = expect_error(lambda: simulate_beta_geo(5, r=1e10, alpha=1e-10, a=0.8, b=2.5), "simulate_beta_geo", "r, alpha")
    assert "more than can be counted" in str(err)
    s = simulate_beta_geo(200, r=1e6, alpha=1e-3, a=1e-300, b=2.5, T=1.0, seed=1)  # 1e9 purchases a unit
    assert (s["frequency"] >= 0).all() and (s["recency"] <= s["T"]).all()


wide = st.floats(-4.0, 4.0).map(lambda v: float(10.0**v))  # 1e-4 … 1e4
wide_histories = st.tuples(
    st.integers(0, 10**6), st.sampled_from([0.0, 0.3, 0.9, 0.999, 1.0]), st.floats(-2.0, 4.0).map(lambda v: 10.0**v)
)


@settings(max_examples=80, deadline=None)
@given(st.tuples(wide, wide, wide, wide), wide_histories, st.floats(-3.0, 6.0).map(lambda v: 10.0**v))
# found by a run of this test: a and b in the thousands, where scipy cannot make Gauss–Jacobi nodes
# (the quadrature's Gauss–Legendre fallback, _beta_legendre; 11.0100100 by mpmath's quad)
@example(theta=(1000.0, 1000.0, 1000.0, 10000.0), h=(0, 0.0, 1.0), t=10000.0)
def test_predictions_are_finite_for_every_valid_input(theta, h, t):
    """Finite, non-negative numbers — or, in the few corners where scipy's hyp2f1 gives up even after
    the transforms and the quadrature (a parameter ~1e4 with another ~1), a CRMDataError that says so:
    never a NaN or inf passed on."""
    x, tx, T = _history(h)
    for model in (BetaGeo, ParetoNBD):
        m = _fixed(model, dict(zip(model._names, theta)))
        try:
            p = m.prob_alive(x, tx, T)
            e = m.conditional_expected_purchases(t, x, tx, T)
            n = m.expected_purchases(t)
            v = customer_lifetime_value(
                m, 30.0, [x], [tx], [T], horizon=min(t, 1e4), freq=max(1.0, t / 500), discount_rate=0.01
            )
        except CRMDataError as err:
            assert "too extreme" in str(err) and max(theta) >= 100 * min(theta), str(err)
            continue
        assert 0.0 <= p <= 1.0 and np.isfinite(e) and e >= 0.0, (model.__name__, p, e)
        assert np.isfinite(n) and n >= 0.0
        assert np.isfinite(v).all() and (v >= 0).all()
