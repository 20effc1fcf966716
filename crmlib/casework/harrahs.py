"""Case 1: Harrah's card tiers and comps (哈拉赌场) — ``casework/01_harrahs.ipynb``.

The players come from :func:`crmlib.datasets.make_casino_players`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError

#: Harrah's four card tiers, lowest first ("diamond" at the top, 钻石客户)
TIER_KEYS = ["cw_tier_silver", "cw_tier_gold", "cw_tier_platinum", "cw_tier_diamond"]


def design_tiers(value, cuts=(0.5, 0.8, 0.95), lang: str | None = None) -> pd.DataFrame:
    """Four card tiers (会员等级) from play value: silver below the ``cuts[0]`` quantile, gold up to
    ``cuts[1]``, platinum up to ``cuts[2]``, diamond (钻石客户) above. A value equal to a cut
    goes to the higher tier. Returns ``value`` and an ordered ``tier`` per player.

    >>> t = design_tiers(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], index=list("abcdefghij")))
    >>> t["tier"].value_counts(sort=False).tolist()
    [5, 3, 1, 1]
    >>> t.loc["j", "tier"]
    'diamond'
    """
    func = "design_tiers"
    lang = i18n.resolve(lang, func)
    v = V.values(value, func, "value", allow_negative=True)
    c = V.increasing(cuts, func, "cuts")
    if len(c) != 3:
        raise CRMDataError(func, "cuts", f"needs exactly three quantile cuts for four tiers, got {c!r}")
    thresholds = np.quantile(v.to_numpy(), c)
    codes = np.searchsorted(thresholds, v.to_numpy(), side="right")
    out = pd.DataFrame({"value": v})
    out["tier"] = pd.Categorical.from_codes(codes, categories=i18n.categories(TIER_KEYS, lang), ordered=True)
    out.attrs["thresholds"] = [float(x) for x in thresholds]
    return out


def tier_summary(tiers: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The tiers of :func:`design_tiers` summarised: for each of the four tiers, lowest first, the
    number of ``players``, their total ``value`` and their ``mean_value`` (NaN for an empty tier).
    The tiers may be labelled in any language; the result is labelled in ``lang``.

    >>> t = design_tiers(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], index=list("abcdefghij")))
    >>> tier_summary(t, lang="en")
              players  value  mean_value
    tier
    silver          5   15.0         3.0
    gold            3   21.0         7.0
    platinum        1    9.0         9.0
    diamond         1   10.0        10.0
    """
    func = "tier_summary"
    lang = i18n.resolve(lang, func)
    df = V.table(tiers, func, ["value", "tier"], name="tiers")
    value = V.numeric(df["value"], func, "value", allow_negative=True)
    known = {i18n.label(k, x).lower(): i for i, k in enumerate(TIER_KEYS) for x in i18n.LANGUAGES}
    codes = df["tier"].astype(object).map(lambda t: known.get(t.strip().lower() if isinstance(t, str) else t))
    bad = codes.isna().to_numpy()
    if bad.any():
        V._fail(func, "tier", f"must be one of the tiers {i18n.categories(TIER_KEYS, 'en')}", bad, df.index)
    tier = i18n.categorical(codes.astype("int64"), TIER_KEYS, lang, name="tier")
    frame = pd.DataFrame({"value": value.to_numpy()})
    out = frame.groupby(tier.array, observed=False).agg(
        players=("value", "size"), value=("value", "sum"), mean_value=("value", "mean")
    )
    out["players"] = out["players"].astype("int64")
    out.index.name = "tier"
    return out


def comp_response(comp_rate, base_retention: float = 0.5, retention_lift: float = 0.06):
    """Chance a player comes back next year when ``comp_rate`` of the losses is returned as comps
    (免费赠送). The assumed response has diminishing returns: a 10 % comp adds ``retention_lift``,
    and the extra grows with the square root of the rate (30 % adds √3 ≈ 1.73 × as much); capped at 0.99.

    >>> float(comp_response(0.1, 0.5, 0.06)), float(comp_response(0.0, 0.5, 0.06))
    (0.56, 0.5)
    """
    func = "comp_response"
    r = V.values(comp_rate, func, "comp_rate", min_size=1) if np.ndim(comp_rate) else None
    b = V.number(base_retention, func, "base_retention", 0, 1)
    lift = V.number(retention_lift, func, "retention_lift", 0, 1)
    if r is None:
        x = V.number(comp_rate, func, "comp_rate", 0, 1)
        return np.float64(min(0.99, b + lift * np.sqrt(x / 0.1)))
    if (r > 1).any():
        V._fail(func, "comp_rate", "must lie in [0, 1]", (r > 1).to_numpy(), r.index)
    return np.minimum(0.99, b + lift * np.sqrt(r.to_numpy() / 0.1))


def comp_economics(
    loss,
    tier,
    comp_rates=(0.10, 0.15, 0.20, 0.30),
    base_retention: float = 0.5,
    retention_lift: float = 0.06,
    player_years: float = 3.0,
    lang: str | None = None,
) -> pd.DataFrame:
    """What the comps cost and what the retention they buy is worth, per tier (返还与保留).

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
    lang = i18n.resolve(lang, func)
    L = V.values(loss, func, "loss", allow_negative=True)
    t = tier if isinstance(tier, pd.Series) else pd.Series([tier] if isinstance(tier, str) else list(tier))
    L, t = V.paired(L, t, func, ("loss", "tier"))
    cats = {
        **{k: i for i, k in enumerate(i18n.categories(TIER_KEYS, "en"))},
        **{k: i for i, k in enumerate(i18n.categories(TIER_KEYS, "zh"))},
    }
    bad = ~t.astype(str).isin(list(cats)).to_numpy()
    if bad.any():
        V._fail(func, "tier", f"has unknown tiers (known: {i18n.categories(TIER_KEYS, 'en')})", bad, t.index)
    rates = V.values(comp_rates, func, "comp_rates")
    if len(rates) != 4 or (rates > 1).any():
        raise CRMDataError(func, "comp_rates", f"needs four rates in [0, 1], one per tier, got {list(rates)}")
    b = V.number(base_retention, func, "base_retention", 0, 1)
    lift = V.number(retention_lift, func, "retention_lift", 0, 1)
    years = V.number(player_years, func, "player_years", 0, 100)
    codes = t.astype(str).map(cats).to_numpy()
    pos = L.clip(lower=0).to_numpy()
    g = pd.DataFrame({"code": codes, "loss": L.to_numpy(), "pos": pos})
    agg = (
        g.groupby("code")
        .agg(players=("loss", "size"), loss=("loss", "sum"), pos=("pos", "sum"))
        .reindex(range(4), fill_value=0)
    )
    r = rates.to_numpy()
    p_with = comp_response(pd.Series(r), b, lift)
    out = pd.DataFrame(
        {
            "players": agg["players"].to_numpy().astype("int64"),
            "loss": agg["loss"].to_numpy(),
            "comp_rate": r,
            "comp_cost": r * agg["pos"].to_numpy(),
            "retention_without": b,
            "retention_with": p_with,
        },
        index=pd.CategoricalIndex(i18n.categories(TIER_KEYS, lang), ordered=True, name="tier"),
    )
    out["kept_extra"] = (p_with - b) * out["players"]
    out["value_kept"] = (p_with - b) * agg["pos"].to_numpy() * years
    out["net_value"] = out["value_kept"] - out["comp_cost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["payback"] = np.where(out["comp_cost"] > 0, out["value_kept"] / out["comp_cost"], np.nan)
    return out
