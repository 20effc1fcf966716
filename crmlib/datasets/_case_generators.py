"""The seeded generators of the case studies (案例数据), one per case of ``casework/``: the data a
case notebook works on, drawn from its ``seed`` parameter (nothing is committed as a CSV). The
computations of each case are in :mod:`crmlib.casework`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V


# ---------------------------------------------------------------------------- case 1: Harrah's (哈拉赌场)
def make_casino_players(n: int = 2000, seed: int = 1) -> pd.DataFrame:
    """A year of card-tracked play (会员卡记录), one row per player: visits, hours, average bet,
    the casino's ``net_loss`` on the player (what the player lost; negative = the player won) and
    the details the card remembers (favourite game, drink, room).

    Theoretical loss = visits × hours × 60 bets an hour × average bet × a 5 % house edge; the
    actual net loss scatters around it. Seeded: the same ``seed`` gives the same table.

    >>> p = make_casino_players(5, seed=3)
    >>> p.columns.tolist()
    ['player_id', 'visits', 'hours_per_visit', 'avg_bet', 'net_loss', 'game', 'drink', 'room']
    >>> p.equals(make_casino_players(5, seed=3))
    True
    """
    func = "make_casino_players"
    n = V.integer(n, func, "n", lo=1, hi=1_000_000)
    seed = V.integer(seed, func, "seed", lo=0)
    rng = np.random.default_rng(seed)
    visits = 1 + rng.negative_binomial(2, 0.25, n)
    hours = np.round(rng.gamma(2.0, 1.2, n) + 0.25, 2)
    bet = np.round(np.exp(rng.normal(2.6, 1.0, n)), 2)
    theo = visits * hours * 60 * bet * 0.05
    loss = np.round(theo * (1 + rng.normal(0, 0.5, n)), 2)
    return pd.DataFrame(
        {
            "player_id": [f"H{i:05d}" for i in range(1, n + 1)],
            "visits": visits.astype("int64"),
            "hours_per_visit": hours,
            "avg_bet": bet,
            "net_loss": loss,
            "game": rng.choice(["slots", "blackjack", "roulette", "baccarat", "poker"], n, p=[0.5, 0.2, 0.1, 0.1, 0.1]),
            "drink": rng.choice(["coffee", "tea", "soda", "juice", "wine"], n),
            "room": rng.choice(["standard", "quiet floor", "suite", "near the lift"], n),
        }
    )


# ---------------------------------------------------------------------------- case 2: the bank lobby (银行大堂)
LOBBY_PURPOSES = {  # purpose: (share of visitors, shows a need the bank can sell to)
    "deposit or withdrawal": (0.35, False),
    "bill payment": (0.15, False),
    "wealth management": (0.15, True),
    "loan enquiry": (0.12, True),
    "account opening": (0.10, True),
    "foreign exchange": (0.08, True),
    "complaint": (0.05, False),
}


def make_lobby_visitors(n: int = 40, seed: int = 5) -> pd.DataFrame:
    """A morning in a bank lobby (银行大堂): who walks in, in arrival order. ``assets`` are the
    balances the bank's records show (0 for a newcomer), ``annual_inflow`` what the visitor's
    income could bring in a year (potential), ``decides`` whether the visitor decides alone.

    >>> v = make_lobby_visitors(4, seed=1)
    >>> v.columns.tolist()
    ['visitor_id', 'arrival_min', 'purpose', 'assets', 'annual_inflow', 'decides', 'age']
    >>> bool(v["arrival_min"].is_monotonic_increasing)
    True
    """
    func = "make_lobby_visitors"
    n = V.integer(n, func, "n", lo=1, hi=100_000)
    seed = V.integer(seed, func, "seed", lo=0)
    rng = np.random.default_rng(seed)
    names = list(LOBBY_PURPOSES)
    probs = np.array([LOBBY_PURPOSES[k][0] for k in names])
    purpose = rng.choice(names, n, p=probs / probs.sum())
    age = rng.integers(18, 85, n)
    newcomer = rng.random(n) < 0.2
    assets = np.where(newcomer, 0.0, np.round(np.exp(rng.normal(10.8, 1.4, n)), -2))
    inflow = np.round(np.exp(rng.normal(10.9, 0.8, n)) * np.where(age > 60, 0.4, 1.0), -2)
    decides = rng.random(n) < np.where(age > 75, 0.4, 0.85)
    arrival = np.sort(rng.uniform(0, 180, n)).round(1)
    return pd.DataFrame(
        {
            "visitor_id": [f"V{i:03d}" for i in range(1, n + 1)],
            "arrival_min": arrival,
            "purpose": purpose,
            "assets": assets,
            "annual_inflow": inflow,
            "decides": decides,
            "age": age.astype("int64"),
        }
    )


# ---------------------------------------------------------------------------- case 3: the gas station (加油站)
def make_station(n_employees: int = 6, months: int = 12, new_per_employee: int = 5, seed: int = 8) -> dict:
    """A gas station's year (加油站): ``customers`` (the customer files each employee opens — on
    average a little below or above ``new_per_employee`` a month, depending on the employee),
    ``fillups`` (one row per visit: date, litres, amount) and ``complaints`` (one row per complaint
    with the hours of the six handling steps, as in :func:`crmlib.satisfaction.complaint_report`).
    An unresolved complaint makes a customer much more likely to stop coming.

    >>> d = make_station(2, 3, 5, seed=1)
    >>> sorted(d), d["customers"].columns.tolist()[:4]
    (['complaints', 'customers', 'fillups'], ['customer_id', 'employee', 'joined', 'kind'])
    """
    func = "make_station"
    ne = V.integer(n_employees, func, "n_employees", lo=1, hi=500)
    nm = V.integer(months, func, "months", lo=1, hi=60)
    per = V.integer(new_per_employee, func, "new_per_employee", lo=1, hi=100)
    seed = V.integer(seed, func, "seed", lo=0)
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    end = start + pd.DateOffset(months=nm) - pd.Timedelta(days=1)
    effort = rng.uniform(0.6, 1.35, ne)
    counts = rng.poisson(np.outer(effort, np.ones(nm)) * per)  # employee × month
    emp = np.repeat(np.repeat(np.arange(ne), nm), counts.ravel())
    mon = np.repeat(np.tile(np.arange(nm), ne), counts.ravel())
    n = len(emp)
    month_start = np.array([start + pd.DateOffset(months=int(m)) for m in range(nm)], dtype="datetime64[ns]")
    joined = pd.to_datetime(month_start[mon]) + pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    kinds = np.array(["private car", "taxi", "company fleet", "truck"])
    k = rng.choice(4, n, p=[0.6, 0.15, 0.15, 0.1])
    cycle = np.array([9.0, 2.5, 5.0, 6.0])[k] * rng.uniform(0.7, 1.4, n)
    litres = np.array([40.0, 45.0, 60.0, 150.0])[k] * rng.uniform(0.8, 1.2, n)
    days_open = ((end - joined) / pd.Timedelta(days=1)).to_numpy()
    natural = rng.exponential(900, n)  # days until a customer drifts away
    # complaints: about one customer in six, handled in six steps
    has_c = rng.random(n) < 0.17
    c_idx = np.flatnonzero(has_c)
    m = len(c_idx)
    c_day = rng.uniform(0, 1, m) * days_open[c_idx]
    h1 = rng.gamma(1.5, 0.3, m)
    h2 = h1 + rng.gamma(1.0, 0.1, m)
    h3 = h2 + rng.gamma(1.0, 0.1, m)
    h4 = h3 + rng.gamma(1.5, 16, m)
    gap = rng.gamma(2.0, 60, m)  # hours from remedy to follow-up call
    done = rng.random(m) > 0.12
    h5 = np.where(done, h4 + gap, np.nan)
    h6 = np.maximum(np.nan_to_num(h5, nan=0), h4) + rng.gamma(3, 100, m)
    in_time = done & (gap <= 168)
    satisfied = rng.random(m) < np.where(in_time, 0.8, 0.35)
    leaves = ~satisfied & (rng.random(m) < 0.7)
    stop = natural.copy()
    stop[c_idx] = np.where(leaves, np.minimum(natural[c_idx], c_day + rng.uniform(3, 20, m)), natural[c_idx])
    # fill-ups: gamma gaps around each customer's own cycle, up to the end or the day they stop
    kmax = int(np.ceil((days_open / cycle).max() * 1.6)) + 3
    gaps = rng.gamma(4.0, 1.0, (n, kmax)) * (cycle[:, None] / 4.0)
    t = np.cumsum(gaps, axis=1) - gaps[:, :1]  # first visit on the day they join
    keep = (t <= days_open[:, None]) & (t <= np.maximum(stop, 0)[:, None])
    rows, cols = np.nonzero(keep)
    date = joined[rows] + pd.to_timedelta(np.floor(t[rows, cols]), unit="D")
    lit = np.round(litres[rows] * rng.uniform(0.6, 1.1, len(rows)), 1)
    ids = np.array([f"G{i:04d}" for i in range(1, n + 1)])
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "employee": [f"E{e + 1:02d}" for e in emp],
            "joined": joined,
            "kind": kinds[k],
            "litres_per_fill": litres.round(1),
            "phone": [f"138{x:08d}" for x in rng.integers(0, 10**8, n)],
        }
    )
    fillups = (
        pd.DataFrame(
            {"customer_id": ids[rows], "date": date.to_numpy(), "litres": lit, "amount": np.round(lit * 7.6, 2)}
        )
        .sort_values(["date", "customer_id"], kind="mergesort")
        .reset_index(drop=True)
    )
    causes = np.array(["waiting time", "service attitude", "fuel quality", "billing error", "card/invoice"])
    complaints = pd.DataFrame(
        {
            "complaint_id": [f"Q{i:04d}" for i in range(1, m + 1)],
            "customer_id": ids[c_idx],
            "received": (joined[c_idx] + pd.to_timedelta(np.floor(c_day), unit="D")).to_numpy(),
            "cause": causes[rng.integers(0, 5, m)],
            "apologise_h": h1.round(2),
            "restate_h": h2.round(2),
            "reassure_h": h3.round(2),
            "remedy_h": h4.round(2),
            "follow_up_h": np.round(h5, 2),
            "review_h": h6.round(2),
            "satisfied": satisfied,
        }
    )
    # keep the step order after rounding
    for a_, b_ in [("apologise_h", "restate_h"), ("restate_h", "reassure_h"), ("reassure_h", "remedy_h")]:
        complaints[b_] = complaints[[a_, b_]].max(axis=1)
    return {"customers": customers, "fillups": fillups, "complaints": complaints}


# ---------------------------------------------------------------------------- case 4: the rice shop (王永庆的米店)
def make_rice_purchases(
    n_households: int = 150, days: int = 300, seed: int = 2024, start: str = "2025-01-06"
) -> pd.DataFrame:
    """A rice shop's purchase book (米店的购米记录): one row per bag bought, over ``days`` days.

    Each household has a size (1–8 people) and eats about 0.2 kg of rice per person a day
    (log-normal spread); it buys a bag sized to last two to six weeks (5 kg steps) and comes back
    when the bag is nearly empty (up to a day early), the bag lasting ±8 % longer or shorter each
    time (guests, festivals). Columns: ``household_id`` (str "H001"), ``household_size`` (int),
    ``date``, ``kg`` (float). Deterministic for a given ``seed``.

    >>> log = make_rice_purchases(n_households=5, days=60, seed=1)
    >>> list(log.columns), log["household_id"].nunique()
    (['household_id', 'household_size', 'date', 'kg'], 5)
    """
    func = "make_rice_purchases"
    n = V.integer(n_households, func, "n_households", 1, 100_000)
    d = V.integer(days, func, "days", 30, 3650)
    s = V.integer(seed, func, "seed", 0)
    t0 = V.timestamp(start, func, "start")
    rng = np.random.default_rng(s)
    size = rng.choice(np.arange(1, 9), size=n, p=[0.08, 0.14, 0.18, 0.20, 0.16, 0.12, 0.07, 0.05])
    daily = size * rng.lognormal(np.log(0.2), 0.18, n)  # kg a day for the household
    bag = np.maximum(5.0, np.round(daily * rng.uniform(14, 42, n) / 5) * 5)
    t = rng.uniform(0, 1, n) * bag / daily  # day of the first purchase
    hh, when, kg = [], [], []
    while (t < d).any():  # one round of purchases at a time
        idx = np.flatnonzero(t < d)
        hh.append(idx)
        when.append(np.floor(t[idx]))
        kg.append(bag[idx])
        lasts = bag[idx] / (daily[idx] * rng.lognormal(0, 0.08, len(idx)))
        t[idx] = t[idx] + np.maximum(1.0, lasts - rng.uniform(0, 1, len(idx)))
    h = np.concatenate(hh)
    width = max(3, len(str(n)))
    out = pd.DataFrame(
        {
            "household_id": [f"H{i + 1:0{width}d}" for i in h],
            "household_size": size[h].astype("int64"),
            "date": t0 + pd.to_timedelta(np.concatenate(when), unit="D"),
            "kg": np.concatenate(kg),
        }
    )
    return out.sort_values(["date", "household_id"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------- case 5: the bank relationship manager (客户经理)
#: asset classes of the review table, in the order of the review table's columns
ASSET_CLASSES = ["deposits", "bonds", "funds", "stocks", "insurance"]
POLICIES = ["life", "medical", "accident"]


def make_bank_clients(n_clients: int = 30, n_quarters: int = 8, seed: int = 2024) -> dict[str, pd.DataFrame]:
    """A relationship manager's book of clients (客户经理的客户资料), in three linked tables.

    * ``clients``: ``client_id`` ("C001"), ``age``, ``occupation``, ``dependants``, ``annual_income``
      (NT$), ``risk_profile`` (conservative / balanced / growth, more growth among the young);
    * ``insurance``: one row per policy held — ``client_id``, ``policy`` (life / medical / accident),
      ``cover`` and ``annual_premium`` (NT$); about a quarter of clients hold no life policy;
    * ``assets``: the quarterly asset review — ``client_id``, ``quarter`` ("2024Q1"), ``asset_class``
      (deposits, bonds, funds, stocks, insurance cash value) and ``value`` (NT$), the mix following
      the risk profile and each class earning its own noisy quarterly return.

    >>> book = make_bank_clients(n_clients=4, n_quarters=3, seed=1)
    >>> sorted(book), len(book["assets"]) == 4 * 3 * 5
    (['assets', 'clients', 'insurance'], True)
    """
    func = "make_bank_clients"
    n = V.integer(n_clients, func, "n_clients", 1, 10_000)
    q = V.integer(n_quarters, func, "n_quarters", 2, 40)
    rng = np.random.default_rng(V.integer(seed, func, "seed", 0))
    ids = [f"C{i + 1:0{max(3, len(str(n)))}d}" for i in range(n)]
    age = rng.integers(25, 71, n)
    p_growth = np.clip((70 - age) / 60, 0.05, 0.7)
    u = rng.uniform(size=n)
    risk = np.where(u < p_growth, 2, np.where(u < p_growth + 0.35, 1, 0))
    income = np.round(rng.lognormal(np.log(1_200_000), 0.5, n), -3)
    clients = pd.DataFrame(
        {
            "client_id": ids,
            "age": age.astype("int64"),
            "occupation": rng.choice(
                ["engineer", "teacher", "business owner", "doctor", "civil servant", "retired"], n
            ),
            "dependants": rng.integers(0, 5, n).astype("int64"),
            "annual_income": income,
            "risk_profile": np.array(["conservative", "balanced", "growth"])[risk],
        }
    )
    has = np.column_stack([rng.uniform(size=n) < 0.75, rng.uniform(size=n) < 0.85, rng.uniform(size=n) < 0.5])
    cover = np.column_stack(
        [income * rng.uniform(2, 15, n), rng.choice([3e5, 5e5, 1e6, 2e6], n), rng.choice([1e6, 3e6, 5e6], n)]
    )
    rate = np.array([0.006, 0.015, 0.003]) * rng.lognormal(0, 0.3, (n, 3))
    ci, pi = np.nonzero(has)
    insurance = pd.DataFrame(
        {
            "client_id": np.array(ids)[ci],
            "policy": np.array(POLICIES)[pi],
            "cover": np.round(cover[ci, pi], -3),
            "annual_premium": np.round((cover * rate)[ci, pi], 0),
        }
    )
    mixes = np.array([[0.55, 0.25, 0.10, 0.02, 0.08], [0.30, 0.20, 0.25, 0.15, 0.10], [0.12, 0.08, 0.35, 0.40, 0.05]])
    mix = np.vstack([rng.dirichlet(20 * mixes[r]) for r in risk])
    start = rng.lognormal(np.log(3_000_000), 0.8, n)
    mean = np.array([0.003, 0.008, 0.015, 0.02, 0.007])
    sd = np.array([0.0005, 0.015, 0.06, 0.10, 0.002])
    growth = np.cumprod(1 + rng.normal(mean, sd, (n, q, 5)), axis=1) / (1 + rng.normal(mean, sd, (n, 1, 5)))
    value = np.round(start[:, None, None] * mix[:, None, :] * growth, 0)
    quarters = pd.period_range("2024Q1", periods=q, freq="Q").astype(str)
    assets = pd.DataFrame(
        {
            "client_id": np.repeat(ids, q * 5),
            "quarter": np.tile(np.repeat(quarters, 5), n),
            "asset_class": np.tile(ASSET_CLASSES, n * q),
            "value": value.ravel(),
        }
    )
    return {"clients": clients, "insurance": insurance, "assets": assets}
