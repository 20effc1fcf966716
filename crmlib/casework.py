"""Computations behind the case-study notebooks in ``casework/`` (案例).

Each case reuses the chapter modules where it can; what only a case needs lives here, one
section per case, with the same conventions as every other crmlib module (validation through
``_validate``, ``CRMDataError`` naming the function, field and rows, a doctest per function).
"""
from __future__ import annotations

# ============================================================================ Casework 1-3
# Cases 1-3: Harrah's tiers and comps (哈拉赌场), the bank lobby manager (银行大堂经理), the gas
# station's customer files (加油站). Imports are local to this section so that it stands alone.
import numpy as _np
import pandas as _pd

from crmlib import _validate as _V
from crmlib import i18n as _i18n
from crmlib._errors import CRMDataError as _CRMDataError

#: Harrah's four card tiers, lowest first ("diamond" at the top, 钻石客户)
TIER_KEYS = ["cw_tier_silver", "cw_tier_gold", "cw_tier_platinum", "cw_tier_diamond"]
#: where the lobby manager sends a visitor (大堂经理的分流)
DESK_KEYS = ["cw_desk_vip", "cw_desk_advisor", "cw_desk_counter"]
#: complaint follow-up groups of the gas station (投诉回访)
FOLLOW_KEYS = ["cw_no_complaint", "cw_followed_in_time", "cw_followed_late"]


# ---------------------------------------------------------------------------- case 1: Harrah's
def make_casino_players(n: int = 2000, seed: int = 1) -> _pd.DataFrame:
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
    n = _V.integer(n, func, "n", lo=1, hi=1_000_000)
    seed = _V.integer(seed, func, "seed", lo=0)
    rng = _np.random.default_rng(seed)
    visits = 1 + rng.negative_binomial(2, 0.25, n)
    hours = _np.round(rng.gamma(2.0, 1.2, n) + 0.25, 2)
    bet = _np.round(_np.exp(rng.normal(2.6, 1.0, n)), 2)
    theo = visits * hours * 60 * bet * 0.05
    loss = _np.round(theo * (1 + rng.normal(0, 0.5, n)), 2)
    return _pd.DataFrame({
        "player_id": [f"H{i:05d}" for i in range(1, n + 1)],
        "visits": visits.astype("int64"), "hours_per_visit": hours, "avg_bet": bet, "net_loss": loss,
        "game": rng.choice(["slots", "blackjack", "roulette", "baccarat", "poker"], n, p=[.5, .2, .1, .1, .1]),
        "drink": rng.choice(["coffee", "tea", "soda", "juice", "wine"], n),
        "room": rng.choice(["standard", "quiet floor", "suite", "near the lift"], n),
    })


def design_tiers(value, cuts=(0.5, 0.8, 0.95), lang: str | None = None) -> _pd.DataFrame:
    """Four card tiers (会员等级) from play value: silver below the ``cuts[0]`` quantile, gold up to
    ``cuts[1]``, platinum up to ``cuts[2]``, diamond (钻石客户) above. A value equal to a cut
    goes to the higher tier. Returns ``value`` and an ordered ``tier`` per player.

    >>> t = design_tiers(_pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], index=list("abcdefghij")))
    >>> t["tier"].value_counts(sort=False).tolist()
    [5, 3, 1, 1]
    >>> t.loc["j", "tier"]
    'diamond'
    """
    func = "design_tiers"
    lang = _i18n.resolve(lang, func)
    v = _V.values(value, func, "value", allow_negative=True)
    c = _V.increasing(cuts, func, "cuts")
    if len(c) != 3:
        raise _CRMDataError(func, "cuts", f"needs exactly three quantile cuts for four tiers, got {c!r}")
    thresholds = _np.quantile(v.to_numpy(), c)
    codes = _np.searchsorted(thresholds, v.to_numpy(), side="right")
    out = _pd.DataFrame({"value": v})
    out["tier"] = _pd.Categorical.from_codes(codes, categories=_i18n.categories(TIER_KEYS, lang), ordered=True)
    out.attrs["thresholds"] = [float(x) for x in thresholds]
    return out


def comp_response(comp_rate, base_retention: float = 0.5, retention_lift: float = 0.06):
    """Chance a player comes back next year when ``comp_rate`` of the losses is returned as comps
    (免费赠送). The assumed response has diminishing returns: a 10 % comp adds ``retention_lift``,
    and the extra grows with the square root of the rate (30 % adds √3 ≈ 1.73 × as much); capped at 0.99.

    >>> float(comp_response(0.1, 0.5, 0.06)), float(comp_response(0.0, 0.5, 0.06))
    (0.56, 0.5)
    """
    func = "comp_response"
    r = _V.values(comp_rate, func, "comp_rate", min_size=1) if _np.ndim(comp_rate) else None
    b = _V.number(base_retention, func, "base_retention", 0, 1)
    lift = _V.number(retention_lift, func, "retention_lift", 0, 1)
    if r is None:
        x = _V.number(comp_rate, func, "comp_rate", 0, 1)
        return _np.float64(min(0.99, b + lift * _np.sqrt(x / 0.1)))
    if (r > 1).any():
        _V._fail(func, "comp_rate", "must lie in [0, 1]", (r > 1).to_numpy(), r.index)
    return _np.minimum(0.99, b + lift * _np.sqrt(r.to_numpy() / 0.1))


def comp_economics(loss, tier, comp_rates=(0.10, 0.15, 0.20, 0.30), base_retention: float = 0.5,
                   retention_lift: float = 0.06, player_years: float = 3.0,
                   lang: str | None = None) -> _pd.DataFrame:
    """What the comps cost and what the retention they buy is worth, per tier (返还与保持).

    Each tier returns its ``comp_rates`` share of the players' losses (winners get nothing).
    Retention rises from ``base_retention`` as :func:`comp_response` says; every extra player kept
    is worth their yearly loss for ``player_years`` more years. ``net_value`` = ``value_kept`` −
    ``comp_cost``; ``payback`` = ``value_kept`` / ``comp_cost``.

    >>> e = comp_economics([100, 100, 1000, 5000], ["silver", "silver", "platinum", "diamond"],
    ...                    comp_rates=[0.1, 0.1, 0.2, 0.3], base_retention=0.5, retention_lift=0.06)
    >>> e[["players", "comp_cost", "kept_extra"]].round(2)
              players  comp_cost  kept_extra
    tier
    silver          2       20.0        0.12
    gold            0        0.0        0.00
    platinum        1      200.0        0.08
    diamond         1     1500.0        0.10
    >>> round(float(e.loc["silver", "value_kept"]), 1)
    36.0
    """
    func = "comp_economics"
    lang = _i18n.resolve(lang, func)
    L = _V.values(loss, func, "loss", allow_negative=True)
    t = tier if isinstance(tier, _pd.Series) else _pd.Series([tier] if isinstance(tier, str) else list(tier))
    L, t = _V.paired(L, t, func, ("loss", "tier"))
    cats = {**{k: i for i, k in enumerate(_i18n.categories(TIER_KEYS, "en"))},
            **{k: i for i, k in enumerate(_i18n.categories(TIER_KEYS, "zh"))}}
    bad = ~t.astype(str).isin(list(cats)).to_numpy()
    if bad.any():
        _V._fail(func, "tier", f"has unknown tiers (known: {_i18n.categories(TIER_KEYS, 'en')})", bad, t.index)
    rates = _V.values(comp_rates, func, "comp_rates")
    if len(rates) != 4 or (rates > 1).any():
        raise _CRMDataError(func, "comp_rates", f"needs four rates in [0, 1], one per tier, got {list(rates)}")
    b = _V.number(base_retention, func, "base_retention", 0, 1)
    lift = _V.number(retention_lift, func, "retention_lift", 0, 1)
    years = _V.number(player_years, func, "player_years", 0, 100)
    codes = t.astype(str).map(cats).to_numpy()
    pos = L.clip(lower=0).to_numpy()
    g = _pd.DataFrame({"code": codes, "loss": L.to_numpy(), "pos": pos})
    agg = g.groupby("code").agg(players=("loss", "size"), loss=("loss", "sum"), pos=("pos", "sum")
                                ).reindex(range(4), fill_value=0)
    r = rates.to_numpy()
    p_with = comp_response(_pd.Series(r), b, lift)
    out = _pd.DataFrame({"players": agg["players"].to_numpy().astype("int64"), "loss": agg["loss"].to_numpy(),
                         "comp_rate": r, "comp_cost": r * agg["pos"].to_numpy(),
                         "retention_without": b, "retention_with": p_with},
                        index=_pd.CategoricalIndex(_i18n.categories(TIER_KEYS, lang), ordered=True, name="tier"))
    out["kept_extra"] = (p_with - b) * out["players"]
    out["value_kept"] = (p_with - b) * agg["pos"].to_numpy() * years
    out["net_value"] = out["value_kept"] - out["comp_cost"]
    with _np.errstate(divide="ignore", invalid="ignore"):
        out["payback"] = _np.where(out["comp_cost"] > 0, out["value_kept"] / out["comp_cost"], _np.nan)
    return out


# ---------------------------------------------------------------------------- case 2: bank lobby
LOBBY_PURPOSES = {  # purpose: (share of visitors, shows a need the bank can sell to)
    "deposit or withdrawal": (0.35, False), "bill payment": (0.15, False), "wealth management": (0.15, True),
    "loan enquiry": (0.12, True), "account opening": (0.10, True), "foreign exchange": (0.08, True),
    "complaint": (0.05, False)}


def make_lobby_visitors(n: int = 40, seed: int = 5) -> _pd.DataFrame:
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
    n = _V.integer(n, func, "n", lo=1, hi=100_000)
    seed = _V.integer(seed, func, "seed", lo=0)
    rng = _np.random.default_rng(seed)
    names = list(LOBBY_PURPOSES)
    probs = _np.array([LOBBY_PURPOSES[k][0] for k in names])
    purpose = rng.choice(names, n, p=probs / probs.sum())
    age = rng.integers(18, 85, n)
    newcomer = rng.random(n) < 0.2
    assets = _np.where(newcomer, 0.0, _np.round(_np.exp(rng.normal(10.8, 1.4, n)), -2))
    inflow = _np.round(_np.exp(rng.normal(10.9, 0.8, n)) * _np.where(age > 60, 0.4, 1.0), -2)
    decides = rng.random(n) < _np.where(age > 75, 0.4, 0.85)
    arrival = _np.sort(rng.uniform(0, 180, n)).round(1)
    return _pd.DataFrame({"visitor_id": [f"V{i:03d}" for i in range(1, n + 1)], "arrival_min": arrival,
                          "purpose": purpose, "assets": assets, "annual_inflow": inflow,
                          "decides": decides, "age": age.astype("int64")})


def lobby_triage(visitors: _pd.DataFrame, money_cut: float = 100_000.0, abc_cuts=(0.8, 0.95),
                 weights=(0.4, 0.35, 0.25), lang: str | None = None) -> _pd.DataFrame:
    """The lobby manager's read of every visitor (识别客户): MAN code (money = assets or a year's
    inflow reach ``money_cut``; authority = decides alone; need = a purpose the bank can sell to),
    value class A/B/C by assets, value-matrix quadrant (assets × inflow), a ``score`` mixing MAN
    priority, asset rank and potential rank with ``weights``, the serving ``order`` (1 = first;
    ties go to the earlier arrival) and the ``desk`` to send them to.

    >>> v = _pd.DataFrame({"visitor_id": ["V1", "V2", "V3"], "arrival_min": [1.0, 2.0, 3.0],
    ...                    "purpose": ["bill payment", "wealth management", "loan enquiry"],
    ...                    "assets": [5e3, 8e5, 0.0], "annual_inflow": [3e4, 2e5, 2e5],
    ...                    "decides": [True, True, True]})
    >>> lobby_triage(v)[["man_code", "order", "desk"]]
               man_code  order                  desk
    visitor_id
    V1            m+A+n      3  counter/self-service
    V2            M+A+N      1              VIP room
    V3            M+A+N      2   wealth/loan advisor
    """
    func = "lobby_triage"
    lang = _i18n.resolve(lang, func)
    from crmlib.qualification import man_table
    from crmlib.segmentation import abc_classes, value_matrix
    df = _V.table(visitors, func, ["visitor_id", "arrival_min", "purpose", "assets", "annual_inflow", "decides"],
                  name="visitors")
    ids = _V.unique(_V.ids(df["visitor_id"], func, "visitor_id"), func, "visitor_id")
    assets = _V.numeric(df["assets"], func, "assets")
    inflow = _V.numeric(df["annual_inflow"], func, "annual_inflow")
    arrival = _V.numeric(df["arrival_min"], func, "arrival_min")
    cut = _V.number(money_cut, func, "money_cut", lo=0)
    w = _V.values(weights, func, "weights")
    if len(w) != 3 or w.sum() <= 0:
        raise _CRMDataError(func, "weights", f"needs three non-negative weights (MAN, value, potential) "
                                             f"with a positive sum, got {list(w)}")
    unknown = ~df["purpose"].isin(list(LOBBY_PURPOSES)).to_numpy()
    if unknown.any():
        _V._fail(func, "purpose", f"has unknown purposes (known: {list(LOBBY_PURPOSES)})", unknown, df.index)
    need = df["purpose"].map({k: v[1] for k, v in LOBBY_PURPOSES.items()}).to_numpy(dtype=bool)
    idx = _pd.Index(ids.astype(str).to_numpy(), name="visitor_id")
    flags = _pd.DataFrame({"money": ((assets >= cut) | (inflow >= cut)).to_numpy(),
                           "authority": _V.flags(df["decides"], func, "decides").to_numpy(),
                           "need": need}, index=idx)
    out = man_table(flags, lang=lang)[["man_code", "priority"]].rename(columns={"priority": "man_priority"})
    out.insert(0, "arrival_min", arrival.to_numpy())
    out["assets"] = assets.to_numpy()
    out["annual_inflow"] = inflow.to_numpy()
    a = _pd.Series(assets.to_numpy(), index=idx)
    if a.sum() <= 0:
        raise _CRMDataError(func, "assets", "are all zero: no value classes can be formed")
    out["value_class"] = abc_classes(a, cuts=abc_cuts, lang=lang)["abc"].reindex(idx)
    out["quadrant"] = value_matrix(a, _pd.Series(inflow.to_numpy(), index=idx), lang=lang)["quadrant"]
    ww = w.to_numpy() / w.sum()
    score = (ww[0] * (8 - out["man_priority"]) / 7 + ww[1] * a.rank(pct=True)
             + ww[2] * _pd.Series(inflow.to_numpy(), index=idx).rank(pct=True))
    out["score"] = score.round(6)
    ordered = out.sort_values(["score", "arrival_min"], ascending=[False, True], kind="mergesort").index
    out["order"] = _pd.Series(_np.arange(1, len(out) + 1), index=ordered).reindex(idx).astype("int64")
    is_a = (out["value_class"].cat.codes == 0).to_numpy()
    sell = (out["man_priority"] <= 3).to_numpy()
    codes = _np.select([is_a & flags["need"].to_numpy(), sell], [0, 1], default=2)
    out["desk"] = _pd.Categorical.from_codes(codes, categories=_i18n.categories(DESK_KEYS, lang), ordered=True)
    return out


# ---------------------------------------------------------------------------- case 3: gas station
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
    ne = _V.integer(n_employees, func, "n_employees", lo=1, hi=500)
    nm = _V.integer(months, func, "months", lo=1, hi=60)
    per = _V.integer(new_per_employee, func, "new_per_employee", lo=1, hi=100)
    seed = _V.integer(seed, func, "seed", lo=0)
    rng = _np.random.default_rng(seed)
    start = _pd.Timestamp("2024-01-01")
    end = start + _pd.DateOffset(months=nm) - _pd.Timedelta(days=1)
    effort = rng.uniform(0.6, 1.35, ne)
    counts = rng.poisson(_np.outer(effort, _np.ones(nm)) * per)          # employee × month
    emp = _np.repeat(_np.repeat(_np.arange(ne), nm), counts.ravel())
    mon = _np.repeat(_np.tile(_np.arange(nm), ne), counts.ravel())
    n = len(emp)
    month_start = _np.array([start + _pd.DateOffset(months=int(m)) for m in range(nm)], dtype="datetime64[ns]")
    joined = _pd.to_datetime(month_start[mon]) + _pd.to_timedelta(rng.integers(0, 28, n), unit="D")
    kinds = _np.array(["private car", "taxi", "company fleet", "truck"])
    k = rng.choice(4, n, p=[0.6, 0.15, 0.15, 0.1])
    cycle = _np.array([9.0, 2.5, 5.0, 6.0])[k] * rng.uniform(0.7, 1.4, n)
    litres = _np.array([40.0, 45.0, 60.0, 150.0])[k] * rng.uniform(0.8, 1.2, n)
    days_open = ((end - joined) / _pd.Timedelta(days=1)).to_numpy()
    natural = rng.exponential(900, n)                                      # days until a customer drifts away
    # complaints: about one customer in six, handled in six steps
    has_c = rng.random(n) < 0.17
    c_idx = _np.flatnonzero(has_c)
    m = len(c_idx)
    c_day = rng.uniform(0, 1, m) * days_open[c_idx]
    h1 = rng.gamma(1.5, 0.3, m)
    h2 = h1 + rng.gamma(1.0, 0.1, m)
    h3 = h2 + rng.gamma(1.0, 0.1, m)
    h4 = h3 + rng.gamma(1.5, 16, m)
    gap = rng.gamma(2.0, 60, m)                                           # hours from remedy to follow-up call
    done = rng.random(m) > 0.12
    h5 = _np.where(done, h4 + gap, _np.nan)
    h6 = _np.maximum(_np.nan_to_num(h5, nan=0), h4) + rng.gamma(3, 100, m)
    in_time = done & (gap <= 168)
    satisfied = rng.random(m) < _np.where(in_time, 0.8, 0.35)
    leaves = ~satisfied & (rng.random(m) < 0.7)
    stop = natural.copy()
    stop[c_idx] = _np.where(leaves, _np.minimum(natural[c_idx], c_day + rng.uniform(3, 20, m)), natural[c_idx])
    # fill-ups: gamma gaps around each customer's own cycle, up to the end or the day they stop
    kmax = int(_np.ceil((days_open / cycle).max() * 1.6)) + 3
    gaps = rng.gamma(4.0, 1.0, (n, kmax)) * (cycle[:, None] / 4.0)
    t = _np.cumsum(gaps, axis=1) - gaps[:, :1]                            # first visit on the day they join
    keep = (t <= days_open[:, None]) & (t <= _np.maximum(stop, 0)[:, None])
    rows, cols = _np.nonzero(keep)
    date = joined[rows] + _pd.to_timedelta(_np.floor(t[rows, cols]), unit="D")
    lit = _np.round(litres[rows] * rng.uniform(0.6, 1.1, len(rows)), 1)
    ids = _np.array([f"G{i:04d}" for i in range(1, n + 1)])
    customers = _pd.DataFrame({"customer_id": ids, "employee": [f"E{e + 1:02d}" for e in emp], "joined": joined,
                               "kind": kinds[k], "litres_per_fill": litres.round(1),
                               "phone": [f"138{x:08d}" for x in rng.integers(0, 10**8, n)]})
    fillups = _pd.DataFrame({"customer_id": ids[rows], "date": date.to_numpy(), "litres": lit,
                             "amount": _np.round(lit * 7.6, 2)}).sort_values(["date", "customer_id"],
                                                                           kind="mergesort").reset_index(drop=True)
    causes = _np.array(["waiting time", "service attitude", "fuel quality", "billing error", "card/invoice"])
    complaints = _pd.DataFrame({
        "complaint_id": [f"Q{i:04d}" for i in range(1, m + 1)], "customer_id": ids[c_idx],
        "received": (joined[c_idx] + _pd.to_timedelta(_np.floor(c_day), unit="D")).to_numpy(),
        "cause": causes[rng.integers(0, 5, m)],
        "apologise_h": h1.round(2), "restate_h": h2.round(2), "reassure_h": h3.round(2), "remedy_h": h4.round(2),
        "follow_up_h": _np.round(h5, 2), "review_h": h6.round(2), "satisfied": satisfied})
    # keep the step order after rounding
    for a_, b_ in [("apologise_h", "restate_h"), ("restate_h", "reassure_h"), ("reassure_h", "remedy_h")]:
        complaints[b_] = complaints[[a_, b_]].max(axis=1)
    return {"customers": customers, "fillups": fillups, "complaints": complaints}


def file_quota(customers: _pd.DataFrame, per_month: int = 5, employee_col: str = "employee",
               joined_col: str = "joined") -> _pd.DataFrame:
    """Did every employee open ``per_month`` new customer files a month (每人每月发展5名新客户)?
    Months run from the first to the last month in which any file was opened. Per employee:
    ``added``, ``months``, ``target`` = months × per_month, ``per_month_avg``, ``shortfall``
    (0 when met) and ``met``.

    >>> c = _pd.DataFrame({"employee": ["E1"] * 10 + ["E2"] * 7,
    ...                    "joined": ["2024-01-05"] * 5 + ["2024-02-03"] * 5 + ["2024-01-09"] * 4 + ["2024-02-11"] * 3})
    >>> file_quota(c)[["added", "target", "shortfall", "met"]]
              added  target  shortfall    met
    employee
    E1           10      10          0   True
    E2            7      10          3  False
    """
    func = "file_quota"
    _V.table(customers, func, [employee_col, joined_col], name="customers")
    per = _V.integer(per_month, func, "per_month", lo=1)
    emp = _V.ids(customers[employee_col], func, employee_col)
    d = _V.dates(customers[joined_col], func, joined_col)
    period = d.dt.to_period("M")
    months = int((period.max() - period.min()).n) + 1
    added = emp.groupby(emp.to_numpy()).size().astype("int64")
    out = _pd.DataFrame({"added": added, "months": months})
    out["target"] = out["months"] * per
    out["per_month_avg"] = (out["added"] / months).round(2)
    out["shortfall"] = (out["target"] - out["added"]).clip(lower=0).astype("int64")
    out["met"] = out["shortfall"] == 0
    out.index.name = employee_col
    return out


def monthly_files(customers: _pd.DataFrame, per_month: int = 5, employee_col: str = "employee",
                  joined_col: str = "joined") -> _pd.DataFrame:
    """Customer files opened per month (新建客户档案): ``new``, the running total ``files`` and the
    running ``target`` if every employee met ``per_month``.

    >>> c = _pd.DataFrame({"employee": ["E1", "E1", "E2"], "joined": ["2024-01-05", "2024-02-03", "2024-02-09"]})
    >>> monthly_files(c, per_month=1)
             new  files  target
    month
    2024-01    1      1       2
    2024-02    2      3       4
    """
    func = "monthly_files"
    _V.table(customers, func, [employee_col, joined_col], name="customers")
    per = _V.integer(per_month, func, "per_month", lo=1)
    emp = _V.ids(customers[employee_col], func, employee_col)
    period = _V.dates(customers[joined_col], func, joined_col).dt.to_period("M")
    rng = _pd.period_range(period.min(), period.max(), freq="M")
    new = period.value_counts().reindex(rng, fill_value=0).astype("int64")
    out = _pd.DataFrame({"new": new.to_numpy(), "files": new.cumsum().to_numpy(),
                         "target": per * emp.nunique() * _np.arange(1, len(rng) + 1)},
                        index=_pd.Index(rng.astype(str), name="month"))
    return out


def follow_up_outcomes(watch: _pd.DataFrame, complaints: _pd.DataFrame, follow_up_days: float = 7,
                       lang: str | None = None) -> _pd.DataFrame:
    """Churn by how complaints were followed up (投诉回访与流失). Customers from a
    :func:`crmlib.loyalty.churn_watch` table fall in three groups: no complaint; every complaint
    called back within ``follow_up_days`` of the remedy; at least one called back late or never.
    Per group: ``customers``, ``lapsed`` (status lapsed), ``lapsed_share``, ``at_risk_or_lapsed_share``
    (the shares are NaN for a group without customers).

    >>> w = _pd.DataFrame({"status": _pd.Categorical(["active", "lapsed (win back)", "lapsed (win back)"],
    ...                    categories=["active", "at risk", "lapsed (win back)"], ordered=True)},
    ...                   index=_pd.Index(["a", "b", "c"], name="customer_id"))
    >>> q = _pd.DataFrame({"customer_id": ["b", "c"], "remedy_h": [10.0, 10.0], "follow_up_h": [50.0, None]})
    >>> follow_up_outcomes(w, q)[["customers", "lapsed", "lapsed_share"]]
                          customers  lapsed  lapsed_share
    group
    no complaint                  1       0           0.0
    followed up in time           1       1           1.0
    followed up late/never        1       1           1.0
    """
    func = "follow_up_outcomes"
    lang = _i18n.resolve(lang, func)
    _V.table(watch, func, ["status"], name="watch")
    _V.table(complaints, func, ["customer_id", "remedy_h", "follow_up_h"], name="complaints")
    days = _V.number(follow_up_days, func, "follow_up_days", lo=0)
    cid = _V.ids(complaints["customer_id"], func, "customer_id").astype(str)
    rem = _V.numeric(complaints["remedy_h"], func, "remedy_h")
    fol = _V.numeric(complaints["follow_up_h"], func, "follow_up_h", allow_nan=True)
    gap = (fol - rem).to_numpy()
    late = ~(_np.nan_to_num(gap, nan=_np.inf) <= 24.0 * days)
    any_late = _pd.Series(late, index=cid.to_numpy()).groupby(level=0).any()
    unknown = ~_pd.Index(any_late.index).isin(watch.index.astype(str))
    if unknown.any():
        _V._fail(func, "customer_id", "has customers missing from the watch table",
                 _np.asarray(unknown), _pd.Index(any_late.index))
    idx = watch.index.astype(str)
    code = _np.zeros(len(watch), dtype=int)
    lk = any_late.reindex(idx)
    code[lk.notna().to_numpy()] = 1
    code[(lk == True).to_numpy()] = 2  # noqa: E712
    st = watch["status"].cat.codes.to_numpy()
    g = _pd.DataFrame({"code": code, "lapsed": st == 2, "risk": st >= 1})
    agg = g.groupby("code").agg(customers=("lapsed", "size"), lapsed=("lapsed", "sum"), risk=("risk", "mean"),
                                lapsed_share=("lapsed", "mean")).reindex(range(3))
    out = _pd.DataFrame({"customers": agg["customers"].fillna(0).astype("int64").to_numpy(),
                         "lapsed": agg["lapsed"].fillna(0).astype("int64").to_numpy(),
                         "lapsed_share": agg["lapsed_share"].to_numpy(dtype=float),
                         "at_risk_or_lapsed_share": agg["risk"].to_numpy(dtype=float)},
                        index=_pd.CategoricalIndex(_i18n.categories(FOLLOW_KEYS, lang), ordered=True, name="group"))
    return out



def winback_by_employee(watch: _pd.DataFrame, customers: _pd.DataFrame, employee_col: str = "employee",
                        customer_col: str = "customer_id") -> _pd.DataFrame:
    """Whose customers are slipping away (谁的客户谁去做工作)? Per employee, from a
    :func:`crmlib.loyalty.churn_watch` table and the customer files: ``customers`` on file with
    fill-ups, ``at_risk``, ``lapsed``, ``lapsed_share`` and the ids to call (``call_list``, most
    overdue first), most lapsed customers first.

    >>> w = _pd.DataFrame({"status": _pd.Categorical(["active", "at risk", "lapsed (win back)"],
    ...                    categories=["active", "at risk", "lapsed (win back)"], ordered=True),
    ...                    "overdue": [0.5, 2.0, 4.0]}, index=_pd.Index(["a", "b", "c"], name="customer_id"))
    >>> c = _pd.DataFrame({"customer_id": ["a", "b", "c"], "employee": ["E1", "E1", "E2"]})
    >>> winback_by_employee(w, c)[["customers", "at_risk", "lapsed", "call_list"]]
              customers  at_risk  lapsed call_list
    employee
    E2                1        0       1         c
    E1                2        1       0
    """
    func = "winback_by_employee"
    _V.table(watch, func, ["status", "overdue"], name="watch")
    _V.table(customers, func, [customer_col, employee_col], name="customers")
    cid = _V.unique(_V.ids(customers[customer_col], func, customer_col), func, customer_col).astype(str)
    emp = _V.ids(customers[employee_col], func, employee_col).astype(str)
    owner = _pd.Series(emp.to_numpy(), index=cid.to_numpy())
    idx = watch.index.astype(str)
    missing = ~idx.isin(owner.index)
    if missing.any():
        _V._fail(func, customer_col, "has customers in the watch table without a file", missing, watch.index)
    code = watch["status"].cat.codes.to_numpy()
    f = _pd.DataFrame({"employee": owner.reindex(idx).to_numpy(), "id": idx, "risk": code == 1,
                       "lapsed": code == 2, "overdue": _V.numeric(watch["overdue"], func, "overdue").to_numpy()})
    g = f.groupby("employee", sort=True)
    out = _pd.DataFrame({"customers": g.size(), "at_risk": g["risk"].sum(), "lapsed": g["lapsed"].sum()})
    out["lapsed_share"] = out["lapsed"] / out["customers"]
    calls = f[f["lapsed"]].sort_values("overdue", ascending=False, kind="mergesort")
    out["call_list"] = calls.groupby("employee")["id"].agg(", ".join).reindex(out.index).fillna("")
    out = out.astype({"customers": "int64", "at_risk": "int64", "lapsed": "int64"})
    out.index.name = employee_col
    return out.sort_values("lapsed", ascending=False, kind="mergesort")


# ============================================================================ Casework 4-6
import numpy as np  # noqa: E402  (imports of the case 4-6 section, kept with it)
import pandas as pd  # noqa: E402

from crmlib import _validate as _V46  # noqa: E402
from crmlib import i18n as _i18n46  # noqa: E402
from crmlib._errors import CRMDataError as _Err46  # noqa: E402

# ---------------------------------------------------------------- case 4: Wang Yongqing's rice shop (王永庆的米店)
#: delivery outcomes, from worst to best: the household ran out first, the rice came in time, far too early
RICE_STATUS_KEYS = ["cw4_late", "cw4_on_time", "cw4_early"]


def make_rice_purchases(n_households: int = 150, days: int = 300, seed: int = 2024,
                        start: str = "2025-01-06") -> pd.DataFrame:
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
    n = _V46.integer(n_households, func, "n_households", 1, 100_000)
    d = _V46.integer(days, func, "days", 30, 3650)
    s = _V46.integer(seed, func, "seed", 0)
    t0 = _V46.timestamp(start, func, "start")
    rng = np.random.default_rng(s)
    size = rng.choice(np.arange(1, 9), size=n, p=[.08, .14, .18, .20, .16, .12, .07, .05])
    daily = size * rng.lognormal(np.log(0.2), 0.18, n)          # kg a day for the household
    bag = np.maximum(5.0, np.round(daily * rng.uniform(14, 42, n) / 5) * 5)
    t = rng.uniform(0, 1, n) * bag / daily                      # day of the first purchase
    hh, when, kg = [], [], []
    while (t < d).any():                                        # one round of purchases at a time
        idx = np.flatnonzero(t < d)
        hh.append(idx)
        when.append(np.floor(t[idx]))
        kg.append(bag[idx])
        lasts = bag[idx] / (daily[idx] * rng.lognormal(0, 0.08, len(idx)))
        t[idx] = t[idx] + np.maximum(1.0, lasts - rng.uniform(0, 1, len(idx)))
    h = np.concatenate(hh)
    width = max(3, len(str(n)))
    out = pd.DataFrame({"household_id": [f"H{i + 1:0{width}d}" for i in h],
                        "household_size": size[h].astype("int64"),
                        "date": t0 + pd.to_timedelta(np.concatenate(when), unit="D"),
                        "kg": np.concatenate(kg)})
    return out.sort_values(["date", "household_id"], kind="mergesort").reset_index(drop=True)


def rice_run_out(purchases: pd.DataFrame, as_of=None, household_col: str = "household_id",
                 size_col: str = "household_size", date_col: str = "date", kg_col: str = "kg") -> pd.DataFrame:
    """When will each household run out of rice? (预测每户何时吃完米) — Wang Yongqing's method.

    A household's daily use is the rice it bought before its last purchase divided by the days
    between its first and last purchase; a household seen only once (or on one day only) is given
    its size × the median use per person of the others (``estimated`` is True). The last purchase
    then lasts ``last_kg / daily_kg`` days: that is the ``run_out`` date, and ``days_left`` counts
    from ``as_of`` (default: the last date of the log).

    >>> log = pd.DataFrame({"household_id": ["A", "A", "A", "B"], "household_size": [2, 2, 2, 4],
    ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-02-01"], "kg": [10.0, 10, 10, 20]})
    >>> rice_run_out(log, as_of="2025-02-15")[["daily_kg", "estimated", "run_out", "days_left"]]
                  daily_kg  estimated    run_out  days_left
    household_id
    A                  0.5      False 2025-03-02         15
    B                  1.0       True 2025-02-21          6
    """
    func = "rice_run_out"
    df = _V46.table(purchases, func, [household_col, size_col, date_col, kg_col], name="purchases")
    hh = _V46.ids(df[household_col], func, household_col)
    when = _V46.dates(df[date_col], func, date_col).dt.normalize()
    kg = _V46.numeric(df[kg_col], func, kg_col)
    size = _V46.numeric(df[size_col], func, size_col)
    _V46._fail(func, kg_col, "must be positive (kg of rice bought)", (kg <= 0).to_numpy(), df.index) \
        if (kg <= 0).any() else None
    _V46._fail(func, size_col, "must be at least 1 person", (size < 1).to_numpy(), df.index) \
        if (size < 1).any() else None
    d = pd.DataFrame({"hh": hh.to_numpy(), "date": when.to_numpy(), "kg": kg.to_numpy(), "size": size.to_numpy()},
                     index=df.index)
    mixed = d.groupby("hh")["size"].transform("nunique") > 1
    if mixed.any():
        _V46._fail(func, size_col, "must be the same on every row of a household", mixed.to_numpy(), df.index)
    last_day = d["date"].max()
    t = last_day if as_of is None else _V46.timestamp(as_of, func, "as_of").normalize()
    if t < last_day:
        raise _Err46(func, "as_of", f"must not be before the last purchase ({last_day:%Y-%m-%d}), got {t:%Y-%m-%d}")
    g = d.groupby("hh", sort=True)
    first, last = g["date"].min(), g["date"].max()
    is_last = d["date"].to_numpy() == d["hh"].map(last).to_numpy()
    last_kg = d[is_last].groupby("hh")["kg"].sum().reindex(last.index)
    hsize = g["size"].first()
    span = (last - first).dt.days.astype(float)
    daily = ((g["kg"].sum() - last_kg) / span).where(span > 0)
    per_person = daily / hsize
    if per_person.notna().sum() == 0:
        raise _Err46(func, date_col, "needs at least one household that bought on two different days",
                     detail="daily use cannot be estimated from single purchases alone")
    estimated = daily.isna()
    daily = daily.fillna(hsize * float(per_person.median()))
    run_out = (last + pd.to_timedelta(last_kg / daily, unit="D")).dt.floor("D")
    out = pd.DataFrame({"household_size": hsize.astype("int64"), "purchases": g.size().astype("int64"),
                        "first_purchase": first, "last_purchase": last, "last_kg": last_kg,
                        "daily_kg": daily.round(4), "kg_per_person": (daily / hsize).round(4),
                        "estimated": estimated.to_numpy(), "run_out": run_out,
                        "days_left": (run_out - t).dt.days.astype("int64")})
    out.index.name = household_col
    out.attrs["as_of"] = t
    return out


def delivery_plan(forecast: pd.DataFrame, horizon_days: int = 14, lead_days: int = 1, as_of=None) -> pd.DataFrame:
    """Deliveries for the coming ``horizon_days`` (送米计划): each household whose rice runs out in
    that time gets its usual bag ``lead_days`` before the run-out date (never before ``as_of``, the
    forecast's date by default), earliest first.

    >>> fc = pd.DataFrame({"run_out": pd.to_datetime(["2025-03-02", "2025-02-21", "2025-02-15"]),
    ...     "last_kg": [10.0, 20.0, 5.0], "household_size": [2, 4, 1]}, index=["A", "B", "C"])
    >>> delivery_plan(fc, horizon_days=10, lead_days=2, as_of="2025-02-15")
      delivery_date    run_out    kg  household_size
    C    2025-02-15 2025-02-15   5.0               1
    B    2025-02-19 2025-02-21  20.0               4
    """
    func = "delivery_plan"
    df = _V46.table(forecast, func, ["run_out", "last_kg", "household_size"], name="forecast")
    h = _V46.integer(horizon_days, func, "horizon_days", 1, 365)
    lead = _V46.integer(lead_days, func, "lead_days", 0, 30)
    base = as_of if as_of is not None else df.attrs.get("as_of")
    if base is None:
        raise _Err46(func, "as_of", "is needed: the forecast carries no date, pass as_of='2025-01-31'")
    t = _V46.timestamp(base, func, "as_of").normalize()
    run_out = _V46.dates(df["run_out"], func, "run_out")
    deliver = (run_out - pd.Timedelta(days=lead)).clip(lower=t)
    keep = (run_out <= t + pd.Timedelta(days=h)).to_numpy()
    kg = _V46.numeric(df["last_kg"], func, "last_kg")
    _V46.numeric(df["household_size"], func, "household_size")
    out = pd.DataFrame({"delivery_date": deliver, "run_out": run_out, "kg": kg,
                        "household_size": df["household_size"]})[keep]
    return out.sort_values(["delivery_date", "run_out"], kind="mergesort")


def _status(gap: pd.Series, early_days: int, lang: str) -> pd.Series:
    codes = pd.Series(np.where(gap > 0, 0, np.where(gap < -early_days, 2, 1)), index=gap.index)
    return _i18n46.categorical(codes, RICE_STATUS_KEYS, lang)


def backtest_deliveries(purchases: pd.DataFrame, cutoff, interval_days: int = 30, lead_days: int = 1,
                        early_days: int = 5, lang: str | None = None, household_col: str = "household_id",
                        size_col: str = "household_size", date_col: str = "date",
                        kg_col: str = "kg") -> pd.DataFrame:
    """Predicted deliveries against a fixed round (按预测送米 vs 固定周期送米), tested on the log.

    Pretend today is ``cutoff``: forecast every household's run-out from the purchases before it
    (:func:`rice_run_out`); the household's next purchase on or after ``cutoff`` is when it really ran
    out. The *predictive* plan brings rice ``lead_days`` before the forecast run-out; the *fixed* plan
    visits every household once every ``interval_days``, the round spread evenly over the cycle (the
    i-th household first on day ``i mod interval_days``). ``*_gap`` = delivery − real run-out in days:
    above 0 the household ran out first (``late``), below −``early_days`` the rice came far too early.
    Households without purchases on both sides of ``cutoff`` are left out.

    >>> log = pd.DataFrame({"household_id": list("AAAABBBB"), "household_size": [2] * 4 + [4] * 4,
    ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-03-03",
    ...              "2025-01-05", "2025-01-15", "2025-01-25", "2025-02-04"], "kg": [10.0] * 8})
    >>> bt = backtest_deliveries(log, cutoff="2025-02-01", interval_days=7, lead_days=1, early_days=3)
    >>> bt[["error_days", "predictive_status", "fixed_gap", "fixed_status"]]
                  error_days predictive_status  fixed_gap fixed_status
    household_id
    A                      0           on time         -9        early
    B                      0           on time         -2      on time
    """
    func = "backtest_deliveries"
    df = _V46.table(purchases, func, [household_col, date_col], name="purchases")
    t = _V46.timestamp(cutoff, func, "cutoff").normalize()
    every = _V46.integer(interval_days, func, "interval_days", 1, 365)
    lead = _V46.integer(lead_days, func, "lead_days", 0, 30)
    early = _V46.integer(early_days, func, "early_days", 0, 365)
    lang = _i18n46.resolve(lang, func)
    when = _V46.dates(df[date_col], func, date_col).dt.normalize()
    before = (when < t).to_numpy()
    if not before.any() or before.all():
        raise _Err46(func, "cutoff", f"must fall inside the log ({when.min():%Y-%m-%d} to {when.max():%Y-%m-%d}), "
                                     f"got {t:%Y-%m-%d}")
    with _V46.caller(func):
        fc = rice_run_out(df[before], as_of=t, household_col=household_col, size_col=size_col,
                          date_col=date_col, kg_col=kg_col)
    actual = when[~before].groupby(df.loc[~before, household_col].to_numpy()).min()
    both = fc.index.intersection(actual.index)
    if len(both) == 0:
        raise _Err46(func, "cutoff", "leaves no household with purchases both before and after it")
    fc, actual = fc.loc[both], actual.loc[both]
    pred_del = (fc["run_out"] - pd.Timedelta(days=lead)).clip(lower=t)
    fixed_del = t + pd.to_timedelta(np.arange(len(both)) % every, unit="D")
    out = pd.DataFrame({"household_size": fc["household_size"], "predicted_run_out": fc["run_out"],
                        "actual_run_out": actual.to_numpy()}, index=both)
    out["error_days"] = (out["predicted_run_out"] - out["actual_run_out"]).dt.days.astype("int64")
    out["predictive_delivery"] = pred_del
    out["predictive_gap"] = (pred_del - out["actual_run_out"]).dt.days.astype("int64")
    out["predictive_status"] = _status(out["predictive_gap"], early, lang)
    out["fixed_delivery"] = fixed_del
    out["fixed_gap"] = (out["fixed_delivery"] - out["actual_run_out"]).dt.days.astype("int64")
    out["fixed_status"] = _status(out["fixed_gap"], early, lang)
    out.index.name = household_col
    out.attrs["early_days"] = early
    return out


def schedule_summary(backtest: pd.DataFrame, early_days: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """The two delivery plans side by side: share of households reached late / on time / early and
    the average days a household spent without rice (断米天数) before the delivery came.
    ``early_days`` defaults to the one the backtest was run with (else 5).

    >>> bt = pd.DataFrame({"predictive_gap": [0, -1, 2, -9], "fixed_gap": [5, 3, -2, -20]})
    >>> schedule_summary(bt, lang="en")
                       late (ran out first)  on time  early  days without rice
    predicted run-out                  0.25     0.50   0.25               0.50
    fixed schedule                     0.50     0.25   0.25               2.00
    """
    func = "schedule_summary"
    lang = _i18n46.resolve(lang, func)
    df = _V46.table(backtest, func, ["predictive_gap", "fixed_gap"], name="backtest")
    lim = _V46.integer(early_days if early_days is not None else df.attrs.get("early_days", 5),
                       func, "early_days", 0, 365)
    rows = {}
    for key, col in (("cw4_predictive", "predictive_gap"), ("cw4_fixed", "fixed_gap")):
        gap = _V46.numeric(df[col], func, col, allow_negative=True)
        rows[_i18n46.label(key, lang)] = [float((gap > 0).mean()), float(((gap <= 0) & (gap >= -lim)).mean()),
                                          float((gap < -lim).mean()), float(gap.clip(lower=0).mean())]
    cols = _i18n46.categories(RICE_STATUS_KEYS, lang) + [_i18n46.label("cw4_days_without", lang)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


# ---------------------------------------------------------------- case 5: the Taiwan bank relationship manager (客户经理)
#: asset classes of the review table, in the order of the review table's columns
ASSET_CLASSES = ["deposits", "bonds", "funds", "stocks", "insurance"]
POLICIES = ["life", "medical", "accident"]
#: review frequencies, most frequent first, with the months between two reviews
REVIEW_KEYS = ["cw5_monthly", "cw5_quarterly", "cw5_half_yearly"]
REVIEW_MONTHS = [1, 3, 6]


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
    n = _V46.integer(n_clients, func, "n_clients", 1, 10_000)
    q = _V46.integer(n_quarters, func, "n_quarters", 2, 40)
    rng = np.random.default_rng(_V46.integer(seed, func, "seed", 0))
    ids = [f"C{i + 1:0{max(3, len(str(n)))}d}" for i in range(n)]
    age = rng.integers(25, 71, n)
    p_growth = np.clip((70 - age) / 60, 0.05, 0.7)
    u = rng.uniform(size=n)
    risk = np.where(u < p_growth, 2, np.where(u < p_growth + 0.35, 1, 0))
    income = np.round(rng.lognormal(np.log(1_200_000), 0.5, n), -3)
    clients = pd.DataFrame({"client_id": ids, "age": age.astype("int64"),
                            "occupation": rng.choice(["engineer", "teacher", "business owner", "doctor",
                                                      "civil servant", "retired"], n),
                            "dependants": rng.integers(0, 5, n).astype("int64"), "annual_income": income,
                            "risk_profile": np.array(["conservative", "balanced", "growth"])[risk]})
    has = np.column_stack([rng.uniform(size=n) < 0.75, rng.uniform(size=n) < 0.85, rng.uniform(size=n) < 0.5])
    cover = np.column_stack([income * rng.uniform(2, 15, n), rng.choice([3e5, 5e5, 1e6, 2e6], n),
                             rng.choice([1e6, 3e6, 5e6], n)])
    rate = np.array([0.006, 0.015, 0.003]) * rng.lognormal(0, 0.3, (n, 3))
    ci, pi = np.nonzero(has)
    insurance = pd.DataFrame({"client_id": np.array(ids)[ci], "policy": np.array(POLICIES)[pi],
                              "cover": np.round(cover[ci, pi], -3), "annual_premium": np.round((cover * rate)[ci, pi], 0)})
    mixes = np.array([[.55, .25, .10, .02, .08], [.30, .20, .25, .15, .10], [.12, .08, .35, .40, .05]])
    mix = np.vstack([rng.dirichlet(20 * mixes[r]) for r in risk])
    start = rng.lognormal(np.log(3_000_000), 0.8, n)
    mean = np.array([0.003, 0.008, 0.015, 0.02, 0.007])
    sd = np.array([0.0005, 0.015, 0.06, 0.10, 0.002])
    growth = np.cumprod(1 + rng.normal(mean, sd, (n, q, 5)), axis=1) / (1 + rng.normal(mean, sd, (n, 1, 5)))
    value = np.round(start[:, None, None] * mix[:, None, :] * growth, 0)
    quarters = pd.period_range("2024Q1", periods=q, freq="Q").astype(str)
    assets = pd.DataFrame({"client_id": np.repeat(ids, q * 5), "quarter": np.tile(np.repeat(quarters, 5), n),
                           "asset_class": np.tile(ASSET_CLASSES, n * q), "value": value.ravel()})
    return {"clients": clients, "insurance": insurance, "assets": assets}


def coverage_review(clients: pd.DataFrame, insurance: pd.DataFrame, life_multiple: float = 10.0,
                    premium_cap: float = 0.10) -> pd.DataFrame:
    """The insurance coverage table (保险保障检视表) of every client, with the "double ten" rule of
    thumb (双十原则): life cover of about ``life_multiple`` × annual income, premiums of at most
    ``premium_cap`` of income. ``life_gap`` is the cover missing; ``underinsured`` and
    ``premium_heavy`` flag the two breaches.

    >>> cl = pd.DataFrame({"client_id": ["a", "b"], "annual_income": [1_000_000.0, 500_000.0]})
    >>> ins = pd.DataFrame({"client_id": ["a", "a", "b"], "policy": ["life", "medical", "life"],
    ...     "cover": [4e6, 1e6, 6e6], "annual_premium": [60_000.0, 20_000, 70_000]})
    >>> coverage_review(cl, ins)[["life_cover", "life_gap", "premium_share", "underinsured", "premium_heavy"]]
               life_cover   life_gap  premium_share  underinsured  premium_heavy
    client_id
    a           4000000.0  6000000.0           0.08          True          False
    b           6000000.0        0.0           0.14         False           True
    """
    func = "coverage_review"
    cl = _V46.table(clients, func, ["client_id", "annual_income"], name="clients")
    ins = _V46.table(insurance, func, ["client_id", "policy", "cover", "annual_premium"], name="insurance",
                     allow_empty=True)
    _V46.unique(_V46.ids(cl["client_id"], func, "client_id"), func, "client_id")
    income = _V46.numeric(cl["annual_income"], func, "annual_income")
    if (income <= 0).any():
        _V46._fail(func, "annual_income", "must be positive", (income <= 0).to_numpy(), cl.index)
    mult = _V46.number(life_multiple, func, "life_multiple", 0, 50)
    cap = _V46.number(premium_cap, func, "premium_cap", 0, 1)
    unknown = ~ins["client_id"].isin(cl["client_id"]).to_numpy()
    if unknown.any():
        _V46._fail(func, "client_id", "names clients missing from the clients table", unknown, ins.index)
    cover = _V46.numeric(ins["cover"], func, "cover")
    premium = _V46.numeric(ins["annual_premium"], func, "annual_premium")
    idx = pd.Index(cl["client_id"], name="client_id")
    pol = ins["policy"].astype(str).to_numpy()
    by = pd.DataFrame({"c": ins["client_id"].to_numpy(), "p": pol, "cover": cover.to_numpy()})
    wide = by.pivot_table(index="c", columns="p", values="cover", aggfunc="sum")
    wide = wide.reindex(index=idx, columns=sorted(set(POLICIES) | set(pol), key=lambda p: (p not in POLICIES,
                        POLICIES.index(p) if p in POLICIES else 0, p))).fillna(0.0)
    out = wide.add_suffix("_cover")
    out.columns.name = None
    inc = pd.Series(income.to_numpy(), index=idx)
    out.insert(0, "annual_income", inc)
    out["life_need"] = mult * inc
    out["life_gap"] = (out["life_need"] - out["life_cover"]).clip(lower=0)
    out["premium"] = pd.Series(premium.to_numpy(), index=ins["client_id"].to_numpy()).groupby(level=0).sum() \
        .reindex(idx).fillna(0.0)
    out["premium_share"] = (out["premium"] / inc).round(6)
    out["underinsured"] = (out["life_gap"] > 0).to_numpy()
    out["premium_heavy"] = (out["premium_share"] > cap).to_numpy()
    return out


def _assets(assets: pd.DataFrame, func: str) -> pd.DataFrame:
    a = _V46.table(assets, func, ["client_id", "quarter", "asset_class", "value"], name="assets")
    _V46.ids(a["client_id"], func, "client_id")
    _V46.ids(a["quarter"], func, "quarter")
    _V46.numeric(a["value"], func, "value")
    dup = a.duplicated(["client_id", "quarter", "asset_class"], keep=False).to_numpy()
    if dup.any():
        _V46._fail(func, "asset_class", "appears twice for the same client and quarter", dup, a.index)
    return a


def _one_client(a: pd.DataFrame, client, func: str) -> pd.DataFrame:
    rows = a[a["client_id"] == client]
    if rows.empty:
        raise _Err46(func, "client", f"unknown client {client!r}",
                     detail=f"clients run from {a['client_id'].min()!r} to {a['client_id'].max()!r}")
    return rows


def asset_review(assets: pd.DataFrame, client) -> pd.DataFrame:
    """One client's asset review table (资产检视表): a row per quarter, a column per asset class, the
    ``total`` and its change on the quarter before (``change``, a fraction).

    >>> a = pd.DataFrame({"client_id": ["a"] * 4, "quarter": ["2024Q1", "2024Q1", "2024Q2", "2024Q2"],
    ...     "asset_class": ["deposits", "funds"] * 2, "value": [100.0, 100, 120, 100]})
    >>> asset_review(a, "a")
             deposits  funds  total  change
    quarter
    2024Q1      100.0  100.0  200.0     NaN
    2024Q2      120.0  100.0  220.0     0.1
    """
    func = "asset_review"
    rows = _one_client(_assets(assets, func), client, func)
    wide = rows.pivot_table(index="quarter", columns="asset_class", values="value", aggfunc="sum").fillna(0.0)
    order = [c for c in ASSET_CLASSES if c in wide.columns] + sorted(c for c in wide.columns if c not in ASSET_CLASSES)
    wide = wide[order]
    wide.columns.name = None
    wide["total"] = wide.sum(axis=1)
    wide["change"] = wide["total"].pct_change().round(6)
    return wide


def asset_mix(assets: pd.DataFrame, client, quarter=None) -> pd.Series:
    """A client's asset mix (资产配置) in ``quarter`` (default: the latest): each class's share of the
    total, largest first — the slices of the review's pie chart.

    >>> a = pd.DataFrame({"client_id": ["a"] * 3, "quarter": ["2024Q1"] * 3,
    ...     "asset_class": ["deposits", "funds", "stocks"], "value": [50.0, 30, 20]})
    >>> asset_mix(a, "a").tolist()
    [0.5, 0.3, 0.2]
    """
    func = "asset_mix"
    with _V46.caller(func):
        review = asset_review(assets, client)
    qtr = review.index.max() if quarter is None else quarter
    if qtr not in review.index:
        raise _Err46(func, "quarter", f"unknown quarter {qtr!r}", detail=f"quarters: {list(review.index)}")
    row = review.loc[qtr].drop(["total", "change"])
    if not row.sum() > 0:
        raise _Err46(func, "value", f"client {client!r} holds nothing in {qtr}")
    out = (row / row.sum()).sort_values(ascending=False, kind="mergesort")
    out.name = qtr
    return out


def review_frequency(assets: pd.DataFrame, monthly_from: float = 5_000_000, quarterly_from: float = 1_500_000,
                     change_trigger: float = 0.15, lang: str | None = None) -> pd.DataFrame:
    """How often to review each client's assets (资产检视频率). Clients with assets (``aum``, latest
    quarter) of at least ``monthly_from`` are reviewed monthly, from ``quarterly_from`` quarterly,
    the others half-yearly; a client whose assets moved by ``change_trigger`` or more in the last
    quarter (either way) moves up one step (``moved``). ``reviews_per_year`` = 12 / ``every_months``.

    >>> a = pd.DataFrame({"client_id": list("aabbcc"), "quarter": ["2024Q1", "2024Q2"] * 3,
    ...     "asset_class": ["funds"] * 6, "value": [6e6, 6e6, 2e6, 2e6, 1e6, 5e5]})
    >>> review_frequency(a, lang="en")[["aum", "moved", "every_months", "frequency"]]
                     aum  moved  every_months    frequency
    client_id
    a          6000000.0  False             1      monthly
    b          2000000.0  False             3    quarterly
    c           500000.0   True             3    quarterly
    """
    func = "review_frequency"
    a = _assets(assets, func)
    lang = _i18n46.resolve(lang, func)
    lo = _V46.number(quarterly_from, func, "quarterly_from", 0)
    hi = _V46.number(monthly_from, func, "monthly_from", lo)
    trig = _V46.number(change_trigger, func, "change_trigger", 0, 10, closed="neither")
    tot = a.pivot_table(index="client_id", columns="quarter", values="value", aggfunc="sum").sort_index(axis=1)
    if tot.shape[1] < 2:
        raise _Err46(func, "quarter", "needs at least two quarters to see the last change")
    aum, prev = tot.iloc[:, -1].fillna(0.0), tot.iloc[:, -2].fillna(0.0)
    change = ((aum - prev) / prev.where(prev > 0)).fillna(0.0)
    step = np.where(aum >= hi, 0, np.where(aum >= lo, 1, 2))
    moved = (change.abs() >= trig).to_numpy()
    step = np.where(moved, np.maximum(step - 1, 0), step)
    months = np.array(REVIEW_MONTHS)[step]
    out = pd.DataFrame({"aum": aum, "last_change": change.round(6), "moved": moved,
                        "every_months": months.astype("int64"), "reviews_per_year": (12 // months).astype("int64")},
                       index=tot.index)
    out["frequency"] = _i18n46.categorical(pd.Series(step, index=tot.index), REVIEW_KEYS, lang)
    return out


def pick_client(clients: pd.DataFrame, number: int) -> str:
    """The id of the ``number``-th client (1 = the first row) of the clients table, for a notebook
    parameter that chooses whose review to show.

    >>> pick_client(pd.DataFrame({"client_id": ["C001", "C002"]}), 2)
    'C002'
    """
    func = "pick_client"
    cl = _V46.table(clients, func, ["client_id"], name="clients")
    _V46.ids(cl["client_id"], func, "client_id")
    k = _V46.integer(number, func, "number", 1, len(cl))
    return str(cl["client_id"].iloc[k - 1])


# ---------------------------------------------------------------- case 6: a key-account plan (大客户管理计划)
#: what a key account wants most, in the order the plan attends to them
NEED_KEYS = ["cw6_service", "cw6_price", "cw6_partnership", "cw6_supply"]


def key_account_needs(accounts: pd.DataFrame, price_cut: float = 0.6, unhappy_at: int = 2,
                      partner_from: int = 4, lang: str | None = None, id_col: str = "account_id") -> pd.Series:
    """What each account wants most (大客户想要什么), read from the account team's ratings: an unhappy
    account (``satisfaction`` ≤ ``unhappy_at``) needs service recovery first; else a price-sensitive one
    (``price_sensitivity`` ≥ ``price_cut``) wants better terms; else one keen on partnership
    (``partnership_interest`` ≥ ``partner_from``) wants joint solutions; the rest want reliable supply.

    >>> acc = pd.DataFrame({"account_id": list("abcd"), "satisfaction": [1, 4, 4, 3],
    ...     "price_sensitivity": [0.9, 0.8, 0.2, 0.1], "partnership_interest": [5, 5, 5, 2]})
    >>> key_account_needs(acc, lang="en").tolist()
    ['service recovery', 'better price terms', 'joint solutions', 'reliable supply']
    """
    func = "key_account_needs"
    a = _V46.table(accounts, func, [id_col, "satisfaction", "price_sensitivity", "partnership_interest"],
                   name="accounts")
    lang = _i18n46.resolve(lang, func)
    cut = _V46.number(price_cut, func, "price_cut", 0, 1)
    unhappy = _V46.number(unhappy_at, func, "unhappy_at", 1, 5)
    partner = _V46.number(partner_from, func, "partner_from", 1, 5)
    sat = _V46.numeric(a["satisfaction"], func, "satisfaction")
    price = _V46.numeric(a["price_sensitivity"], func, "price_sensitivity")
    part = _V46.numeric(a["partnership_interest"], func, "partnership_interest")
    code = np.select([sat <= unhappy, price >= cut, part >= partner], [0, 1, 2], default=3)
    idx = pd.Index(_V46.unique(_V46.ids(a[id_col], func, id_col), func, id_col), name=id_col)
    return _i18n46.categorical(pd.Series(code, index=idx), NEED_KEYS, lang, name="need")


def key_account_plan(accounts: pd.DataFrame, top: float = 0.1, value_weight: float = 0.6,
                     budget: float = 1_000_000.0, key_share: float = 0.6, horizon: int = 3,
                     lang: str | None = None, id_col: str = "account_id") -> pd.DataFrame:
    """The key-account plan (大客户计划) in one table, one row per account, best priority first.

    * value = this year's ``revenue``; potential = the extra revenue ``horizon`` years of the current
      growth would bring, ``revenue × ((1 + growth) ** horizon − 1)``, never below 0
      (:func:`crmlib.selection.growth_potential`);
    * ``score``, ``priority`` and ``key_account`` (the ``top`` share by score) from
      :func:`crmlib.loyalty.key_accounts`; ``budget`` from :func:`crmlib.loyalty.allocate_resources`
      (``key_share`` of the budget to the key accounts);
    * ``need`` from :func:`key_account_needs`; the four big-customer risks and ``n_risks`` from
      :func:`crmlib.selection.big_customer_risks` (big = the ``top`` share by revenue).

    >>> from crmlib.datasets import make_accounts
    >>> plan = key_account_plan(make_accounts(n=40, seed=1), top=0.1)
    >>> int(plan["key_account"].sum()), plan["priority"].tolist()[:3]
    (4, [1, 2, 3])
    """
    func = "key_account_plan"
    from crmlib.loyalty import allocate_resources, key_accounts
    from crmlib.selection import big_customer_risks, growth_potential
    a = _V46.table(accounts, func, [id_col, "revenue", "revenue_growth"], name="accounts")
    h = _V46.integer(horizon, func, "horizon", 1, 20)
    with _V46.caller(func):
        gp = growth_potential(a, horizon=h, id_col=id_col)
        revenue = gp["revenue"]
        potential = (gp["projected_revenue"] - revenue).clip(lower=0)
        ka = key_accounts(revenue, potential, top=top, value_weight=value_weight)
        out = ka.copy()
        out["budget"] = allocate_resources(ka, budget=budget, key_share=key_share)
        out["need"] = key_account_needs(a, lang=lang, id_col=id_col).to_numpy()
        risks = big_customer_risks(a, big_share=top, id_col=id_col)
    for col in ["financial_risk", "profit_risk", "management_risk", "churn_risk", "n_risks"]:
        out[col] = risks[col].to_numpy()
    out.index.name = id_col
    return out.sort_values("priority", kind="mergesort")
