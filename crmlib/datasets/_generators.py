"""The seeded generators of the chapter datasets (数据集生成器): every committed CSV of the
top-level ``datasets/`` folder that is not real data is one of these functions' output with its
default arguments (see :mod:`crmlib.datasets`). Loading and regenerating the files is
:mod:`crmlib.datasets._base`; the case studies' and the archive's generators are
:mod:`crmlib.datasets._case_generators` and :mod:`crmlib.datasets._record_generators`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate
from crmlib._errors import CRMDataError

# ----------------------------------------------------------------------------- vocabularies
CHANNELS: tuple[str, ...] = ("store", "online", "app", "phone")
REGIONS: tuple[str, ...] = ("North", "East", "South", "West", "Central")
SEGMENTS: tuple[str, ...] = ("consumer", "small business", "corporate")
SOURCES: tuple[str, ...] = (
    "door-to-door",
    "referral chain",
    "phone",
    "mail",
    "network",
    "club",
    "trade fair",
    "data search",
    "observation",
    "competitor",
)

#: Average number of purchase rows per customer with the default model parameters and the
#: default two-year window (measured: 1,000,000 rows need about 130,000 customers).
ROWS_PER_CUSTOMER: float = 7.8

# ----------------------------------------------------------------------------- model parameters
# Purchase process (BG/NBD, time in days): rate λ ~ Gamma(shape, scale), dropout p ~ Beta(a, b).
_RATE_SHAPE = 1.0  # r: shape of the gamma distribution of purchase rates
_RATE_SCALE = 1.0 / 20.0  # 1/α: mean rate 0.05 purchases a day (median gap ≈ 4 weeks)
_DROP_A, _DROP_B = 1.2, 8.0  # dropout probability after each purchase, mean ≈ 0.13
_MAX_PURCHASES = 200  # cap on purchases per customer (a vectorised draw needs a bound)
_JOIN_BETA = (1.0, 1.3)  # join dates: Beta over the window, a little denser early on
_SEGMENT_P = (0.70, 0.20, 0.10)
_SEGMENT_SPEND = (1.0, 2.2, 4.0)  # basket multiplier per segment
_SEGMENT_RATE = (1.0, 1.15, 1.25)  # purchase-rate multiplier per segment
_BASKET_MEDIAN = 45.0  # median list-price basket of a consumer (currency units)
_BASKET_SIGMA = 0.75  # log-normal spread of customers' mean baskets
_BASKET_SHAPE = 4.0  # per-purchase basket ~ mean × Gamma(4, 1/4): CV 0.5 around the mean
_REGION_P = (0.22, 0.26, 0.20, 0.14, 0.18)
_CHANNEL_P = (  # preferred channel by segment (store, online, app, phone)
    (0.42, 0.30, 0.22, 0.06),
    (0.30, 0.35, 0.10, 0.25),
    (0.15, 0.35, 0.05, 0.45),
)
_CHANNEL_LOYALTY = 0.8  # share of purchases made in the preferred channel (the rest: any)
_DEAL_P = (0.28, 0.20, 0.12)  # share of deal seekers by segment (≈ 25 % overall)
_DEAL_SPEND = 0.8  # deal seekers' baskets are a little smaller
_DEAL_HIGH = 0.85  # share of a deal seeker's purchases made on a deep discount
_COST_RANGE = (0.50, 0.66)  # cost of goods as a share of the list price


# ----------------------------------------------------------------------------- helpers
def _check_seed(seed: Any, func: str) -> int:
    return _validate.integer(seed, func, "seed", lo=0)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` + zero-padded 1..n as a numpy string array (vectorised)."""
    width = max(width, len(str(n)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _take(labels: Any, codes: np.ndarray) -> pd.Series:
    """A string column holding ``labels[codes]`` (taking from a small string array is fast)."""
    return pd.Series(pd.array(np.asarray(labels, dtype=object), dtype=str).take(codes))


def _window(start: Any, end: Any, func: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    t0 = _validate.timestamp(start, func, "start").normalize()
    t1 = _validate.timestamp(end, func, "end").normalize()
    if not t0 < t1:
        raise CRMDataError(func, "start, end", f"start must be before end, got start={t0.date()} and end={t1.date()}")
    return t0, t1


def _calendar(seed: Any, start: Any, end: Any, func: str) -> tuple[np.random.Generator, pd.Timestamp, int]:
    """The seeded generator of a log over ``start``…``end``, its first day and its days (both ends included)."""
    rng = np.random.default_rng(_check_seed(seed, func))
    t0, t1 = _window(start, end, func)
    return rng, t0, (t1 - t0).days + 1


# ----------------------------------------------------------------------------- transactions
def _customer_traits(rng: np.random.Generator, n: int, span: int) -> tuple[np.ndarray, ...]:
    """The fixed traits of ``n`` customers of :func:`make_transactions`, drawn first from its ``rng``:
    join day, segment, region, preferred channel, deal seeker or not, purchase rate, dropout
    probability and mean list-price basket (one value per customer, in order of joining).
    :func:`make_wallets` draws the same traits from the same seed."""
    join = np.sort(np.floor(span * rng.beta(*_JOIN_BETA, size=n)))
    seg = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_P)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_P)
    cum = np.cumsum(np.asarray(_CHANNEL_P), axis=1)[seg]  # n × 4 cumulative shares
    pref = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), len(CHANNELS) - 1)
    deal = rng.random(n) < np.asarray(_DEAL_P)[seg]
    rate = rng.gamma(_RATE_SHAPE, _RATE_SCALE, size=n) * np.asarray(_SEGMENT_RATE)[seg]
    drop = rng.beta(_DROP_A, _DROP_B, size=n)
    basket = (
        _BASKET_MEDIAN
        * np.exp(_BASKET_SIGMA * rng.standard_normal(n))
        * np.asarray(_SEGMENT_SPEND)[seg]
        * np.where(deal, _DEAL_SPEND, 1.0)
    )
    return join, seg, region, pref, deal, rate, drop, basket


def make_transactions(
    n_customers: int = 3000, seed: int = 2024, start: Any = "2023-01-01", end: Any = "2024-12-31"
) -> pd.DataFrame:
    """A synthetic retail purchase log (零售交易记录), one row per purchase.

    The customer base is heterogeneous like real retail data:

    * customers join on different days of the window; their first purchase is the join date;
    * each buys at their own rate λ ~ Gamma(1, 1/20) per day (exponential gaps between
      purchases) and after every purchase leaves for good with probability p ~ Beta(1.2, 8)
      (the BG/NBD model), so many customers are inactive (流失) by ``end``;
    * each has a log-normal mean basket (σ = 0.75; small business ×2.2, corporate ×4), and each
      purchase varies around it (CV 0.5); with the skewed purchase counts this puts about 75 %
      of revenue with the top 20 % of customers (Gini ≈ 0.71);
    * about a quarter are price-driven deal seekers (价格敏感型) who mostly buy at 20–60 %
      off with thin or negative margin; the others get 0–10 % (occasional 15–30 % promotions)
      and keep a 25–45 % margin (边际贡献);
    * region, segment and preferred channel are fixed per customer (80 % of purchases go
      through the preferred channel).

    Columns: ``transaction_id`` (int64, 1..N in date order), ``customer_id`` (str, "C00001",
    numbered in order of joining), ``date`` (datetime64[ns], whole days), ``amount`` (revenue
    after discount, 2 decimals, > 0), ``discount_pct`` (share of the list price, 3 decimals,
    in [0, 0.6]), ``margin`` (amount minus cost of goods, 2 decimals, may be negative),
    ``channel``, ``region``, ``segment`` (str).

    Every customer appears at least once. About ``ROWS_PER_CUSTOMER`` (≈ 7.8) rows are made
    per customer over the default two-year window: ``n_customers=130_000`` gives about
    1,000,000 rows in about a second.

    >>> tx = make_transactions(n_customers=50, seed=1)
    >>> list(tx.columns)
    ['transaction_id', 'customer_id', 'date', 'amount', 'discount_pct', 'margin', 'channel', 'region', 'segment']
    >>> tx["customer_id"].nunique(), bool(tx["date"].is_monotonic_increasing)
    (50, True)
    >>> make_transactions(n_customers=0)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: make_transactions: field 'n_customers' must lie in [1, 5000000], got 0
    """
    func = "make_transactions"
    n = _validate.integer(n_customers, func, "n_customers", lo=1, hi=5_000_000)
    rng, t0, span = _calendar(seed, start, end, func)
    join, seg, region, pref, deal, rate, drop, basket = _customer_traits(rng, n, span)

    # --- purchases: number before dropout ~ Geometric(p) (capped), exponential gaps
    life = np.minimum(rng.geometric(drop), _MAX_PURCHASES)
    cust = np.repeat(np.arange(n), life)
    first = np.cumsum(life) - life  # position of each customer's first purchase
    seq = np.arange(cust.size) - first[cust]  # 0 = the join purchase
    gaps = rng.exponential(1.0, size=cust.size) / rate[cust]
    gaps[seq == 0] = 0.0
    clock = np.cumsum(gaps)
    day = np.floor(clock - clock[first][cust] + join[cust])
    keep = day < span  # purchases after `end` are not observed
    cust, seq, day = cust[keep], seq[keep], day[keep].astype(np.int64)
    m = cust.size

    # --- baskets, discounts, margins per purchase
    is_deal = deal[cust]
    list_price = np.maximum(basket[cust] * rng.gamma(_BASKET_SHAPE, 1.0 / _BASKET_SHAPE, size=m), 1.0)
    u = rng.random(m)
    deep = 0.2 + 0.4 * rng.beta(2.0, 3.5, size=m)  # 20–60 %, mean ≈ 35 %
    small = rng.uniform(0.0, 0.10, size=m)
    promo = rng.uniform(0.15, 0.30, size=m)
    disc = np.where(
        is_deal,
        np.where(u < _DEAL_HIGH, deep, small),
        np.where(u < 0.40, 0.0, np.where(u < 0.92, small, promo)),
    )
    disc = np.round(disc, 3)
    amount = np.round(list_price * (1.0 - disc), 2)
    cost = list_price * rng.uniform(*_COST_RANGE, size=m)
    margin = np.round(amount - cost, 2) + 0.0  # + 0.0 turns -0.0 into 0.0

    # --- channel: mostly the preferred one
    other = rng.integers(0, len(CHANNELS), size=m)
    channel = np.where(rng.random(m) < _CHANNEL_LOYALTY, pref[cust], other)

    # --- assemble in date order
    order = np.lexsort((seq, cust, day))
    cust, day = cust[order], day[order]
    ids = _ids("C", n, 5)
    dates = (np.datetime64(t0.date(), "D") + day).astype("datetime64[ns]")
    return pd.DataFrame(
        {
            "transaction_id": np.arange(1, m + 1, dtype=np.int64),
            "customer_id": _take(ids, cust),
            "date": dates,
            "amount": amount[order],
            "discount_pct": disc[order],
            "margin": margin[order],
            "channel": _take(CHANNELS, channel[order]),
            "region": _take(REGIONS, region[cust]),
            "segment": _take(SEGMENTS, seg[cust]),
        }
    )


# ----------------------------------------------------------------------------- wallets (share of wallet)
# True share of wallet (钱包份额) while a customer buys from us: Beta draws, independent of every other
# trait; deal seekers spread their category spending over more shops.
_SOW_BETA = (3.0, 3.0)  # mean 0.5
_SOW_BETA_DEAL = (1.5, 4.0)  # mean ≈ 0.27
_WALLET_ERROR = 0.3  # log-normal spread of the estimate around the true wallet (mean-unbiased)
_WALLET_STREAM = 0x3A11E7  # second entropy word of the wallets' own random stream


def _expected_discount(deal: np.ndarray) -> np.ndarray:
    """Mean discount of a purchase under :func:`make_transactions`' discount rules, per customer."""
    deep = 0.2 + 0.4 * 2.0 / 5.5  # mean of 0.2 + 0.4 · Beta(2, 3.5)
    dealer = _DEAL_HIGH * deep + (1.0 - _DEAL_HIGH) * 0.05
    other = 0.52 * 0.05 + 0.08 * 0.225  # 40 % full price, 52 % 0–10 % off, 8 % 15–30 % off
    return np.where(deal, dealer, other)


def make_wallets(
    n_customers: int = 3000, seed: int = 2024, start: Any = "2023-01-01", end: Any = "2024-12-31"
) -> pd.DataFrame:
    """Estimated yearly category spend (钱包, "wallet") of the customers of :func:`make_transactions`.

    Call it with the same ``n_customers``, ``seed``, ``start`` and ``end`` as the log it belongs to:
    it draws the same customers (same ids, same traits) and adds, from a random stream of its own,

    * a **true share of wallet** (钱包份额) per customer — the part of its yearly spending in the
      category that comes to us while it is a customer: Beta(3, 3) (mean 0.5), for deal seekers
      Beta(1.5, 4) (mean ≈ 0.27), independent of size, rate and segment;
    * its **true wallet** = what it would spend with us in a year at its own purchase rate and
      basket while active (rate × 365 × mean basket × (1 − mean discount)) ÷ that share;
    * the **estimate** a sales team would have (from a survey, the size of the household or firm):
      the true wallet × a log-normal error (σ = 0.3, unbiased on average), 2 decimals.

    Only the estimate is returned — the true share stays hidden, as in real life. Synthetic by
    construction: that a customer's spending with us is a share of a wallet is the rule the data were
    made with, so the data cannot be evidence for it.

    Columns: ``customer_id`` (str, as in the log), ``est_category_spend`` (float, 2 decimals, > 0:
    estimated yearly spend in the category at all shops).

    >>> w = make_wallets(n_customers=50, seed=1)
    >>> list(w.columns), len(w), w["customer_id"].iloc[0]
    (['customer_id', 'est_category_spend'], 50, 'C00001')
    >>> bool(w["customer_id"].equals(pd.Series(make_transactions(50, seed=1)["customer_id"].unique())))
    True
    """
    func = "make_wallets"
    n = _validate.integer(n_customers, func, "n_customers", lo=1, hi=5_000_000)
    rng, _, span = _calendar(seed, start, end, func)
    _, _, _, _, deal, rate, _, basket = _customer_traits(rng, n, span)
    own = np.random.default_rng(np.random.SeedSequence([_check_seed(seed, func), _WALLET_STREAM]))
    share = np.where(deal, own.beta(*_SOW_BETA_DEAL, size=n), own.beta(*_SOW_BETA, size=n))
    yearly_with_us = rate * 365.0 * basket * (1.0 - _expected_discount(deal))
    error = np.exp(_WALLET_ERROR * own.standard_normal(n) - _WALLET_ERROR**2 / 2.0)
    estimate = np.maximum(np.round(yearly_with_us / share * error, 2), 0.01)
    return pd.DataFrame({"customer_id": _take(_ids("C", n, 5), np.arange(n)), "est_category_spend": estimate})


# ----------------------------------------------------------------------------- prospects
# Source quality (shift of the latent "fit" of a prospect) and share of the list.
_SOURCE_P = (0.08, 0.12, 0.16, 0.10, 0.10, 0.06, 0.10, 0.14, 0.06, 0.08)
_SOURCE_SHIFT = (-0.3, 0.6, -0.2, -0.4, 0.4, 0.3, 0.2, -0.1, 0.0, 0.1)
_MAN_THRESHOLD = (0.05, 0.2, -0.15)  # money, authority, need: latent cut-offs
_CLOSE_MEDIAN = (105.0, 66.0, 40.0, 21.0)  # median days to close by number of M/A/N flags
_CLOSE_SIGMA = 0.55
_VALUE_MEDIAN = 6000.0
_VALUE_SIGMA = 1.0


def make_prospects(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """A synthetic prospect list (准客户名单) for the MAN rule and deal-time classes.

    Each prospect comes from a prospecting method (``source``: door-to-door 逐户访问,
    referral chain 连锁介绍, phone, mail, network 人际关系, club, trade fair 展会,
    data search 资料查询, observation 观察, competitor 竞争对手). Money (购买能力), authority
    (购买决定权) and need (购买需求) are yes/no flags driven by one latent "fit" score plus noise, so
    they are positively correlated; referral chains and personal networks give better
    prospects than mail or door-to-door. All eight MAN combinations occur, M+A+N about 25 %.
    ``expected_close_days`` (days until the expected deal) is log-normal with a median that
    falls with the number of flags (≈ 105, 66, 40, 21 days for 0–3 flags), so roughly 30 %
    close within 30 days, 30 % in 31–60 days and 40 % later. ``estimated_value`` (expected
    first-year revenue) is log-normal (median 6,000, higher with money and authority).

    Columns: ``prospect_id`` (str "P0001"), ``source`` (str), ``money``, ``authority``,
    ``need`` (bool), ``expected_close_days`` (int64 ≥ 0), ``estimated_value`` (float, 2 decimals).

    >>> pr = make_prospects(n=20, seed=3)
    >>> list(pr.columns)
    ['prospect_id', 'source', 'money', 'authority', 'need', 'expected_close_days', 'estimated_value']
    >>> pr["prospect_id"].iloc[0], str(pr["money"].dtype)
    ('P0001', 'bool')
    """
    func = "make_prospects"
    n = _validate.integer(n, func, "n", lo=1, hi=5_000_000)
    seed = _check_seed(seed, func)
    rng = np.random.default_rng(seed)

    src = rng.choice(len(SOURCES), size=n, p=_SOURCE_P)
    fit = np.asarray(_SOURCE_SHIFT)[src] + 0.7 * rng.standard_normal(n)
    latent = fit[:, None] + 0.7 * rng.standard_normal((n, 3))
    flags = latent > np.asarray(_MAN_THRESHOLD)
    k = flags.sum(axis=1)
    close = np.floor(np.asarray(_CLOSE_MEDIAN)[k] * np.exp(_CLOSE_SIGMA * rng.standard_normal(n)))
    value = (
        _VALUE_MEDIAN
        * np.exp(_VALUE_SIGMA * rng.standard_normal(n))
        * np.where(flags[:, 0], 1.6, 1.0)
        * np.where(flags[:, 1], 1.3, 1.0)
    )
    return pd.DataFrame(
        {
            "prospect_id": _take(_ids("P", n, 4), np.arange(n)),
            "source": _take(SOURCES, src),
            "money": flags[:, 0].copy(),
            "authority": flags[:, 1].copy(),
            "need": flags[:, 2].copy(),
            "expected_close_days": close.astype(np.int64),
            "estimated_value": np.round(value, 2),
        }
    )


# ----------------------------------------------------------------------------- chapter 2: B2B accounts and invoices
INDUSTRIES: tuple[str, ...] = ("manufacturing", "retail", "construction", "IT services", "logistics", "healthcare")
ACCOUNT_SIZES: tuple[str, ...] = ("small", "medium", "large")
_IND_P = (0.24, 0.20, 0.14, 0.16, 0.14, 0.12)
_IND_OUTLOOK = (3.2, 2.8, 2.2, 4.0, 3.0, 3.8)  # mean industry outlook (1 poor … 5 good)
_SIZE_P = (0.55, 0.30, 0.15)
_SIZE_EMPLOYEES = (30.0, 250.0, 2000.0)  # median employees by size
_SIZE_REVENUE = (40_000.0, 200_000.0, 1_200_000.0)  # median yearly list-price sales to the account
_SIZE_GROWTH = ((0.10, 0.22), (0.05, 0.12), (0.02, 0.10))  # mean, sd of sales growth
_SIZE_DISCOUNT = (0.04, 0.07, 0.14)  # mean discount rate (big buyers bargain harder)
_SIZE_SERVICE = (0.05, 0.06, 0.09)  # median cost to serve / sales (big buyers demand more)
_SIZE_DEMANDING = (0.15, 0.20, 0.35)  # share of accounts asking for special treatment
_SIZE_LATE = (7.0, 9.0, 15.0)  # mean days paid late (big buyers pay slowly)
_SIZE_TERMS = ((0.7, 0.2, 0.1), (0.4, 0.4, 0.2), (0.1, 0.3, 0.6))  # P(30, 45, 60 days terms)
_TERMS = (30, 45, 60)
_SIZE_INVOICES = (10.0, 18.0, 30.0)  # mean invoices a year by size


def make_accounts(n: int = 400, seed: int = 2024) -> pd.DataFrame:
    """A synthetic list of B2B accounts (企业客户) for customer selection and credit management.

    One row per business customer, with what a sales team's records hold about it (the four
    kinds of customer information, 客户信息: basic data, characteristics, business situation,
    transaction and credit status) for one year of sales:

    * ``size`` small / medium / large (55 / 30 / 15 %) drives ``employees`` and ``revenue``
      (log-normal, medians 40,000 / 200,000 / 1,200,000 a year at list price); big accounts get
      bigger ``discounts``, cost more to serve (``service_cost``) and pay later
      (``avg_days_late``); 15 / 20 / 35 % of small / medium / large accounts are demanding and cost
      three times as much to serve, so some big accounts earn little or lose money (大客户不等于理想客户);
    * small accounts grow faster on average (``revenue_growth``, sd 22 %), some of them much;
    * ``cogs`` (cost of goods) is 56–70 % of list-price sales; about a fifth of the accounts lose
      money once every cost is counted;
    * credit information for the 5C score: ``on_time_share`` (share of invoices paid by the due
      date, character), ``current_ratio`` (capacity), ``debt_ratio`` (capital),
      ``collateral`` (pledged assets and guarantees, zero for about 60 %), ``industry_outlook``
      (1–5, conditions); ``payment_terms`` (30 / 45 / 60 days);
    * ratings from the account team: ``price_sensitivity`` (0–1), ``satisfaction`` and
      ``partnership_interest`` (1–5), and ``years_as_customer``.

    Columns: ``account_id`` (str "A0001"), ``industry``, ``region``, ``size`` (str),
    ``employees``, ``years_as_customer`` (int64), ``revenue``, ``discounts``, ``cogs``,
    ``service_cost`` (float, 2 decimals), ``revenue_growth`` (3 decimals), ``avg_days_late``
    (1 decimal, ≥ 0), ``on_time_share``, ``price_sensitivity``, ``debt_ratio`` (3 decimals),
    ``current_ratio`` (2 decimals), ``collateral`` (2 decimals), ``industry_outlook``,
    ``satisfaction``, ``partnership_interest``, ``payment_terms`` (int64).

    >>> acc = make_accounts(n=30, seed=1)
    >>> acc.shape, acc["account_id"].iloc[0]
    ((30, 21), 'A0001')
    >>> bool((acc["cogs"] < acc["revenue"]).all())
    True
    >>> make_accounts(n=0)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: make_accounts: field 'n' must lie in [1, 5000000], got 0
    """
    func = "make_accounts"
    n = _validate.integer(n, func, "n", lo=1, hi=5_000_000)
    seed = _check_seed(seed, func)
    rng = np.random.default_rng(seed)
    size = rng.choice(3, size=n, p=_SIZE_P)
    ind = rng.choice(len(INDUSTRIES), size=n, p=_IND_P)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_P)
    employees = np.maximum(np.round(np.asarray(_SIZE_EMPLOYEES)[size] * np.exp(0.5 * rng.standard_normal(n))), 2)
    revenue = np.asarray(_SIZE_REVENUE)[size] * np.exp(0.6 * rng.standard_normal(n))
    g = np.asarray(_SIZE_GROWTH)[size]
    growth = np.clip(g[:, 0] + g[:, 1] * rng.standard_normal(n), -0.5, 1.5)
    disc_rate = np.clip(np.asarray(_SIZE_DISCOUNT)[size] * rng.gamma(2.0, 0.5, size=n), 0.0, 0.35)
    cogs_rate = rng.uniform(0.56, 0.70, size=n)
    demanding = rng.random(n) < np.asarray(_SIZE_DEMANDING)[size]  # ask for special treatment
    service = 2500.0 + (
        revenue * np.asarray(_SIZE_SERVICE)[size] * np.where(demanding, 3.0, 1.0) * np.exp(0.5 * rng.standard_normal(n))
    )
    debt = np.clip(rng.beta(4.0, 5.0, size=n) + 0.05 * (size == 2), 0.05, 0.95)
    current = np.clip(1.9 * np.exp(0.3 * rng.standard_normal(n)) - 1.1 * (debt - 0.45), 0.3, 4.0)
    late = np.asarray(_SIZE_LATE)[size] * rng.gamma(1.5, 1 / 1.5, size=n) * (0.5 + debt)
    on_time = np.clip(np.exp(-late / 25.0) + 0.08 * rng.standard_normal(n), 0.02, 1.0)
    price_sens = np.clip(rng.beta(2.5, 3.0, size=n) + 0.12 * (size == 2) - 0.06 * (size == 0), 0.0, 1.0)
    outlook = np.clip(np.round(np.asarray(_IND_OUTLOOK)[ind] + 0.8 * rng.standard_normal(n)), 1, 5)
    latent = 0.8 * rng.standard_normal(n) - 0.02 * late
    satisfaction = np.clip(np.round(3.6 + latent + 0.6 * rng.standard_normal(n)), 1, 5)
    partner = np.clip(np.round(3.2 + 0.8 * latent + 0.8 * rng.standard_normal(n)), 1, 5)
    years = np.minimum(rng.geometric(0.18, size=n), 25) + (size == 2) * rng.integers(0, 5, size=n)
    pledged = rng.random(n) < 0.4
    collateral = np.where(pledged, revenue * 0.12 * np.exp(0.7 * rng.standard_normal(n)), 0.0)
    cum = np.cumsum(np.asarray(_SIZE_TERMS), axis=1)[size]
    terms = np.asarray(_TERMS)[np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), 2)]
    return pd.DataFrame(
        {
            "account_id": _take(_ids("A", n, 4), np.arange(n)),
            "industry": _take(INDUSTRIES, ind),
            "region": _take(REGIONS, region),
            "size": _take(ACCOUNT_SIZES, size),
            "employees": employees.astype(np.int64),
            "years_as_customer": years.astype(np.int64),
            "revenue": np.round(revenue, 2),
            "discounts": np.round(revenue * disc_rate, 2),
            "cogs": np.round(revenue * cogs_rate, 2),
            "service_cost": np.round(service, 2),
            "revenue_growth": np.round(growth, 3) + 0.0,
            "avg_days_late": np.round(late, 1),
            "on_time_share": np.round(on_time, 3),
            "price_sensitivity": np.round(price_sens, 3),
            "debt_ratio": np.round(debt, 3),
            "current_ratio": np.round(current, 2),
            "collateral": np.round(collateral, 2),
            "industry_outlook": outlook.astype(np.int64),
            "satisfaction": satisfaction.astype(np.int64),
            "partnership_interest": partner.astype(np.int64),
            "payment_terms": terms.astype(np.int64),
        }
    )


def make_invoices(
    accounts: pd.DataFrame | None = None, seed: int = 2024, start: Any = "2024-01-01", end: Any = "2024-12-31"
) -> pd.DataFrame:
    """Synthetic invoices (发票) of B2B ``accounts`` (default: ``make_accounts()``), one row each.

    Each account is invoiced a Poisson number of times in the window (mean 10 / 18 / 30 a year for
    small / medium / large accounts, at least once) on uniformly drawn days; the invoices add up to
    about its yearly net sales (``revenue - discounts``). The due date is the issue date plus the
    account's ``payment_terms``. An invoice is paid on time with the account's ``on_time_share``
    (up to 5 days early); otherwise it is paid late by a gamma(2)-distributed number of days scaled so that
    the account's lateness matches ``avg_days_late``; accounts with a ``debt_ratio`` above 0.7 leave
    one invoice in five unpaid for a further 60–240 days (slow, doubtful debts).

    ``paid_date`` is the simulated day of payment, which may fall after ``end``: to look at the
    books on a day ``as_of``, treat invoices with ``paid_date > as_of`` as still open (that is
    what :func:`crmlib.receivables.receivables_aging` does).

    Columns: ``invoice_id`` (str "INV000001", in issue order), ``account_id`` (str),
    ``issue_date``, ``due_date``, ``paid_date`` (datetime64[ns]), ``amount`` (float, 2 decimals, > 0).

    >>> inv = make_invoices(make_accounts(n=20, seed=1), seed=1)
    >>> list(inv.columns)
    ['invoice_id', 'account_id', 'issue_date', 'due_date', 'paid_date', 'amount']
    >>> bool((inv["due_date"] >= inv["issue_date"]).all() and (inv["paid_date"] >= inv["issue_date"]).all())
    True
    """
    func = "make_invoices"
    seed = _check_seed(seed, func)
    t0, t1 = _window(start, end, func)
    if accounts is None:
        accounts = make_accounts()
    need = [
        "account_id",
        "size",
        "revenue",
        "discounts",
        "payment_terms",
        "on_time_share",
        "avg_days_late",
        "debt_ratio",
    ]
    _validate.table(accounts, func, need, name="accounts")
    _validate.unique(_validate.ids(accounts["account_id"], func, "account_id"), func, "account_id")
    for col in ("revenue", "discounts", "payment_terms", "on_time_share", "avg_days_late", "debt_ratio"):
        _validate.numeric(accounts[col], func, col)
    rng = np.random.default_rng(seed)
    n = len(accounts)
    size = pd.Index(list(ACCOUNT_SIZES)).get_indexer(accounts["size"])  # -1 = unknown size
    if (size < 0).any():
        _validate._fail(func, "size", f"must be one of {list(ACCOUNT_SIZES)}", size < 0, accounts.index)
    span = (t1 - t0).days + 1
    years = span / 365.0
    k = np.maximum(rng.poisson(np.asarray(_SIZE_INVOICES)[size] * years), 1)
    acc = np.repeat(np.arange(n), k)
    m = acc.size
    day = rng.integers(0, span, size=m)
    net = (accounts["revenue"].to_numpy(float) - accounts["discounts"].to_numpy(float)) * years
    amount = np.maximum(np.round(net[acc] / k[acc] * rng.gamma(4.0, 0.25, size=m), 2), 1.0)
    terms = accounts["payment_terms"].to_numpy(np.int64)[acc]
    on_time = accounts["on_time_share"].to_numpy(float)[acc]
    late_mean = accounts["avg_days_late"].to_numpy(float)[acc] / np.maximum(1.0 - on_time, 0.3)
    paid_on_time = rng.random(m) < on_time
    delay = np.where(paid_on_time, -rng.integers(0, 6, size=m), np.ceil(rng.gamma(2.0, 0.5, size=m) * late_mean))
    doubtful = (accounts["debt_ratio"].to_numpy(float)[acc] > 0.7) & (rng.random(m) < 0.2)
    delay = delay + np.where(doubtful, rng.integers(60, 241, size=m), 0)
    paid = np.maximum(day + terms + delay, day).astype(np.int64)
    order = np.lexsort((acc, day))
    acc, day, terms, paid, amount = acc[order], day[order], terms[order], paid[order], amount[order]
    base = np.datetime64(t0.date(), "D")
    return pd.DataFrame(
        {
            "invoice_id": _take(_ids("INV", m, 6), np.arange(m)),
            "account_id": _take(accounts["account_id"].astype(str).to_numpy(dtype=object), acc),
            "issue_date": (base + day).astype("datetime64[ns]"),
            "due_date": (base + day + terms).astype("datetime64[ns]"),
            "paid_date": (base + paid).astype("datetime64[ns]"),
            "amount": amount,
        }
    )


# ----------------------------------------------------------------------------- chapter 3: leads and pipeline
# ---- make_leads (chapter 3): a seeded lead / pipeline log
#: cost of producing one lead by each prospecting method (SOURCES order), in currency units
_LEAD_CHANNEL_P = (0.08, 0.10, 0.18, 0.12, 0.10, 0.05, 0.08, 0.15, 0.06, 0.08)
_LEAD_COST = (40.0, 20.0, 8.0, 5.0, 15.0, 35.0, 90.0, 6.0, 4.0, 60.0)
LEAD_CONTACT_COST: float = 40.0  # cost of one contact (call, visit, mail) with a lead
AIDMAS: tuple[str, ...] = ("attention", "interest", "desire", "memory", "action", "satisfaction")
LEAD_STATUSES: tuple[str, ...] = ("open", "won", "lost")
# logistic advance from each AIDMAS stage to the next: intercept, weight of fit, weight of the MAN bonus
_ADVANCE = ((0.9, 1.0, 0.0), (0.2, 1.0, 0.7), (0.9, 0.8, 0.0), (-0.9, 0.9, 1.2), (1.3, 0.4, 0.0))


def make_leads(n: int = 2000, seed: int = 3, start: Any = "2024-01-01", end: Any = "2024-12-31") -> pd.DataFrame:
    """A synthetic lead and pipeline log (销售线索) for customer development (客户开发), one row per lead.

    Each lead comes from a prospecting method (``channel``: one of ``SOURCES``) that costs a fixed
    amount per lead (trade fairs and competitor raids are dear, observation and data search cheap)
    and shifts a hidden "fit" score (referral chains and personal networks bring the best leads).
    Money / authority / need (MAN) flags come from the fit as in :func:`make_prospects`. The lead
    then moves through the AIDMAS stages (attention → interest → desire → memory → action →
    satisfaction); each step succeeds with a logistic probability that grows with fit (and, for
    desire and action, with need and with money + authority), so ``stage`` is the furthest stage
    reached. Reaching *action* means the deal was won (``won``, ``status == "won"``); other leads
    are ``lost`` or, mostly when created in the last quarter, still ``open``. ``contacts`` counts
    the calls and visits made (won deals take about 8, a few more than 12; lost leads were often
    chased long after any hope). ``cost`` = cost per lead of the channel + contacts ×
    ``LEAD_CONTACT_COST``; ``value`` is the first-year revenue of won deals (0 otherwise).

    Columns: ``lead_id`` (str "L00001", in order of ``created``), ``channel`` (str),
    ``created``, ``last_contact`` (datetime64[ns]), ``money``, ``authority``, ``need`` (bool),
    ``stage`` (str), ``contacts`` (int64 ≥ 1), ``expected_close_days`` (int64, the salesperson's
    forecast at qualification), ``status`` (str), ``won`` (bool), ``cost``, ``value`` (float).

    >>> leads = make_leads(n=30, seed=1)
    >>> leads.shape, leads["lead_id"].iloc[0]
    ((30, 14), 'L00001')
    >>> bool((leads["won"] == (leads["status"] == "won")).all())
    True
    """
    func = "make_leads"
    n = _validate.integer(n, func, "n", lo=1, hi=5_000_000)
    rng, t0, span = _calendar(seed, start, end, func)

    created = np.sort(rng.integers(0, span, size=n))
    ch = rng.choice(len(SOURCES), size=n, p=_LEAD_CHANNEL_P)
    fit = np.asarray(_SOURCE_SHIFT)[ch] + 0.7 * rng.standard_normal(n)
    latent = fit[:, None] + 0.7 * rng.standard_normal((n, 3))
    man = latent > np.asarray(_MAN_THRESHOLD)
    bonus = np.stack([np.zeros(n), man[:, 2], np.zeros(n), man[:, 0] & man[:, 1], np.zeros(n)], axis=1)
    a = np.asarray(_ADVANCE)
    p = 1.0 / (1.0 + np.exp(-(a[:, 0] + a[:, 1] * fit[:, None] + a[:, 2] * bonus)))
    passed = np.cumprod(rng.random((n, 5)) < p, axis=1)
    stage = passed.sum(axis=1)  # 0 = attention … 5 = satisfaction
    won = stage >= 4
    recent = created >= span - 90
    open_ = ~won & (rng.random(n) < np.where(recent, 0.7, 0.04))
    status = np.where(won, 1, np.where(open_, 0, 2))
    need_c = np.where(won, rng.gamma(3.0, 2.0, n), np.where(open_, rng.gamma(2.0, 2.5, n), rng.gamma(1.5, 8.0, n)))
    contacts = np.maximum(1 + rng.poisson(need_c), stage + 1).astype(np.int64)
    gap = rng.gamma(2.0, 3.0, size=n)
    last = np.minimum(created + np.round(contacts * gap), span - 1).astype(np.int64)
    k = man.sum(axis=1)
    close = np.floor(np.asarray(_CLOSE_MEDIAN)[k] * np.exp(_CLOSE_SIGMA * rng.standard_normal(n)))
    value = np.where(won, 4000.0 * np.exp(0.8 * rng.standard_normal(n)) * np.where(man[:, 0], 1.5, 1.0), 0.0)
    cost = np.asarray(_LEAD_COST)[ch] + contacts * LEAD_CONTACT_COST
    day0 = np.datetime64(t0.date(), "D")
    return pd.DataFrame(
        {
            "lead_id": _take(_ids("L", n, 5), np.arange(n)),
            "channel": _take(SOURCES, ch),
            "created": (day0 + created).astype("datetime64[ns]"),
            "last_contact": (day0 + last).astype("datetime64[ns]"),
            "money": man[:, 0].copy(),
            "authority": man[:, 1].copy(),
            "need": man[:, 2].copy(),
            "stage": _take(AIDMAS, stage),
            "contacts": contacts,
            "expected_close_days": close.astype(np.int64),
            "status": _take(LEAD_STATUSES, status),
            "won": won,
            "cost": np.round(cost, 2),
            "value": np.round(value, 2),
        }
    )


# -------------------------------------------------------------------- chapter 4: satisfaction survey and complaints log
# ---- make_survey, make_complaints (chapter 4): a satisfaction survey and a complaints log
#: the 8 categories of the survey instrument (满意测评指标, 8类40个指标), 5 indicators each
SURVEY_CATEGORIES: tuple[str, ...] = (
    "network",
    "outlets",
    "hotline",
    "complaints",
    "new_services",
    "billing",
    "online",
    "image",
)
SURVEY_CODES: tuple[str, ...] = ("NW", "OU", "HL", "CH", "NS", "BI", "ON", "IM")
SURVEY_SEGMENTS: tuple[str, ...] = ("personal", "business")
COMPLAINT_CAUSES: tuple[str, ...] = (
    "product quality",
    "late delivery",
    "wrong specification",
    "packaging",
    "service attitude",
)
COMPLAINT_CHANNELS: tuple[str, ...] = ("phone", "in person", "complaint book", "letter box")
#: the six steps of handling a complaint (处理投诉的六个步骤), as the log's hour columns
COMPLAINT_STEPS: tuple[str, ...] = ("apologise", "restate", "reassure", "remedy", "follow_up", "review")
# true mean importance and performance (1–5) of the 40 indicators, in SURVEY_CODES × 1..5 order
_SURVEY_IMP = (
    4.6,
    4.7,
    4.1,
    4.4,
    3.6,
    3.9,
    3.4,
    3.0,
    4.0,
    2.6,
    4.2,
    4.5,
    3.9,
    3.5,
    3.0,
    4.3,
    4.6,
    3.8,
    4.4,
    3.3,
    3.1,
    2.8,
    2.6,
    3.4,
    2.9,
    4.7,
    4.0,
    4.4,
    3.7,
    3.2,
    3.8,
    3.3,
    4.0,
    2.7,
    3.1,
    3.5,
    2.6,
    3.9,
    2.8,
    2.5,
)
_SURVEY_PERF = (
    4.1,
    3.1,
    3.9,
    3.2,
    3.5,
    4.0,
    3.8,
    3.9,
    3.4,
    4.2,
    3.8,
    2.9,
    3.6,
    3.7,
    4.0,
    3.6,
    2.8,
    3.5,
    2.9,
    3.4,
    3.3,
    3.8,
    2.9,
    3.1,
    3.2,
    3.0,
    4.0,
    3.1,
    3.9,
    4.1,
    3.9,
    3.2,
    3.6,
    4.0,
    3.3,
    3.9,
    4.1,
    3.3,
    4.2,
    3.0,
)
_SEGMENT_PERF = (0.0, -0.25)  # business respondents are harder to please
_CAUSE_P = (0.30, 0.22, 0.12, 0.10, 0.26)
_CAUSE_REMEDY_H = (60.0, 30.0, 72.0, 24.0, 12.0)  # mean hours from reassurance to remedy, by cause
_CHANNEL_P_CH4 = (0.45, 0.20, 0.20, 0.15)


def make_survey(n_respondents: int = 200, seed: int = 4) -> pd.DataFrame:
    """A synthetic customer-satisfaction survey (满意度调查) in long form: one row per respondent ×
    indicator of the 8-category, 40-indicator instrument (``SURVEY_CATEGORIES``; codes ``NW1`` … ``IM5``).

    Each indicator has a true mean importance and performance on a 1–5 scale; a respondent's
    ratings are those means plus a personal offset (some people rate everything higher) and noise,
    rounded and clipped to 1–5. Business respondents rate performance a quarter point lower.
    The two overall questions are respondent-level and repeated on each of the respondent's rows:
    ``csat`` (overall satisfaction, 1–5) and ``recommend`` (likelihood to recommend, 0–10, for
    NPS); both follow the respondent's average performance rating.

    Columns: ``respondent_id`` (str "R0001"), ``segment`` (str), ``category`` (str),
    ``indicator`` (str), ``importance``, ``performance`` (int64 1–5), ``csat`` (int64 1–5),
    ``recommend`` (int64 0–10).

    >>> s = make_survey(n_respondents=3, seed=1)
    >>> s.shape, s["indicator"].iloc[[0, -1]].tolist()
    ((120, 8), ['NW1', 'IM5'])
    """
    func = "make_survey"
    n = _validate.integer(n_respondents, func, "n_respondents", lo=1, hi=1_000_000)
    seed = _check_seed(seed, func)
    rng = np.random.default_rng(seed)
    k = len(_SURVEY_IMP)
    seg = (rng.random(n) < 0.3).astype(np.int64)
    imp_off = 0.35 * rng.standard_normal(n)
    mood = 0.45 * rng.standard_normal(n) + np.asarray(_SEGMENT_PERF)[seg]
    imp = np.asarray(_SURVEY_IMP)[None, :] + imp_off[:, None] + 0.7 * rng.standard_normal((n, k))
    perf = np.asarray(_SURVEY_PERF)[None, :] + mood[:, None] + 0.8 * rng.standard_normal((n, k))
    imp = np.clip(np.rint(imp), 1, 5).astype(np.int64)
    perf = np.clip(np.rint(perf), 1, 5).astype(np.int64)
    level = (perf * imp).sum(axis=1) / imp.sum(axis=1)  # importance-weighted performance
    csat = np.clip(np.rint(level + 0.25 + 0.55 * rng.standard_normal(n)), 1, 5).astype(np.int64)
    rec = np.clip(np.rint(2.6 * level - 1.2 + 1.3 * rng.standard_normal(n)), 0, 10).astype(np.int64)
    codes = np.char.add(np.repeat(np.asarray(SURVEY_CODES), 5), np.tile(np.arange(1, 6).astype(str), 8))
    resp = np.repeat(np.arange(n), k)
    ind = np.tile(np.arange(k), n)
    return pd.DataFrame(
        {
            "respondent_id": _take(_ids("R", n, 4), resp),
            "segment": _take(SURVEY_SEGMENTS, seg[resp]),
            "category": _take(SURVEY_CATEGORIES, ind // 5),
            "indicator": _take(codes, ind),
            "importance": imp.ravel(),
            "performance": perf.ravel(),
            "csat": csat[resp],
            "recommend": rec[resp],
        }
    )


def make_complaints(n: int = 600, seed: int = 4, start: Any = "2024-01-01", end: Any = "2024-12-31") -> pd.DataFrame:
    """A synthetic complaints log (投诉记录) in which every complaint went through the six handling
    steps (``COMPLAINT_STEPS``): apologise, restate the complaint, reassure, remedy, follow up,
    review the cause at the staff meeting.

    Complaints arrive uniformly over the window from a large pool of customers, most of whom
    complain once; about 12 % come from a small group of chronic complainers (repeat complainers).
    Complaints by phone or in person get the apology, the
    restatement and the reassurance within the first conversation (minutes); written ones (the
    complaint book, the letter box) wait about a day for the call back. The remedy takes hours to
    days depending on the cause; about three in four follow-up calls are made within a week of the
    remedy, the rest later; step 6 happens at the first monthly staff meeting after the follow-up.
    ``satisfied`` (the customer's answer at the follow-up) is likelier when the remedy was fast
    and the follow-up on time.

    Columns: ``complaint_id`` (str "Q00001", in order of ``received``), ``customer_id`` (str),
    ``received`` (datetime64[ns], a day), ``channel``, ``cause`` (str), ``apologise_h`` …
    ``review_h`` (float, hours from receipt to the end of each step, non-decreasing),
    ``satisfied`` (bool).

    >>> q = make_complaints(n=20, seed=1)
    >>> q.shape, q["complaint_id"].iloc[0]
    ((20, 12), 'Q00001')
    >>> bool((q[["restate_h", "reassure_h", "remedy_h"]].diff(axis=1).iloc[:, 1:] >= 0).all().all())
    True
    """
    func = "make_complaints"
    n = _validate.integer(n, func, "n", lo=1, hi=5_000_000)
    rng, t0, span = _calendar(seed, start, end, func)
    day = np.sort(rng.integers(0, span, size=n))
    pool = 10 * n  # most complainers complain once …
    chronic = rng.random(n) < 0.12  # … a handful of chronic ones again and again
    n_chronic = max(1, n // 40)
    cust = rng.permutation(pool)[np.where(chronic, rng.integers(0, n_chronic, n), rng.integers(0, pool, n))]
    cause = rng.choice(len(COMPLAINT_CAUSES), size=n, p=_CAUSE_P)
    chan = rng.choice(len(COMPLAINT_CHANNELS), size=n, p=_CHANNEL_P_CH4)
    written = chan >= 2
    steps = np.empty((n, 6))
    steps[:, 0] = np.where(written, rng.gamma(2.0, 12.0, n), rng.gamma(2.0, 0.05, n))
    steps[:, 1] = rng.gamma(2.0, 0.05, n)
    steps[:, 2] = rng.gamma(2.0, 0.1, n)
    steps[:, 3] = rng.gamma(1.5, np.asarray(_CAUSE_REMEDY_H)[cause] / 1.5)
    late = rng.random(n) < 0.25
    steps[:, 4] = 24.0 * np.where(late, 7.0 + rng.gamma(2.0, 3.0, n), rng.gamma(3.0, 1.3, n).clip(0.1, 6.9))
    inc = np.maximum(np.round(steps[:, :5], 1), 0.1)
    cum = np.cumsum(inc, axis=1)
    # step 6: the first monthly staff meeting (1st of the month, 09:00) after the follow-up
    # explicit units throughout: numpy 2.5 deprecates the generic unit of a bare `+ 12`
    hours = np.timedelta64(1, "h")
    recv = np.datetime64(t0.date(), "D") + day * np.timedelta64(1, "D")
    fu = recv.astype("datetime64[h]") + (12 + np.floor(cum[:, 4]).astype(np.int64)) * hours
    meeting = (fu.astype("datetime64[M]") + np.timedelta64(1, "M")).astype("datetime64[h]") + 9 * hours
    review = np.round((meeting - recv.astype("datetime64[h]") - 12 * hours) / hours, 1)
    cum = np.column_stack([cum, np.maximum(review, cum[:, 4] + 0.1)])
    z = 1.6 - 0.015 * inc[:, 3] - 1.2 * late - 0.5 * (cause == 4)
    satisfied = rng.random(n) < 1.0 / (1.0 + np.exp(-z))
    out = pd.DataFrame(
        {
            "complaint_id": _take(_ids("Q", n, 5), np.arange(n)),
            "customer_id": _take(_ids("C", pool, 5), cust),
            "received": recv.astype("datetime64[ns]"),
            "channel": _take(COMPLAINT_CHANNELS, chan),
            "cause": _take(COMPLAINT_CAUSES, cause),
        }
    )
    for j, s in enumerate(COMPLAINT_STEPS):
        out[f"{s}_h"] = np.round(cum[:, j], 1)
    out["satisfied"] = satisfied
    return out
