"""Case 2: the bank lobby manager's triage (银行大堂经理) — ``casework/02_bank_lobby.ipynb``.

The visitors come from :func:`crmlib.datasets.make_lobby_visitors`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.datasets import LOBBY_PURPOSES
from crmlib.qualification import man_table
from crmlib.segmentation import abc_classes, value_matrix

#: where the lobby manager sends a visitor (大堂经理的分流)
DESK_KEYS = ["cw_desk_vip", "cw_desk_advisor", "cw_desk_counter"]


def lobby_triage(
    visitors: pd.DataFrame,
    money_cut: float = 100_000.0,
    abc_cuts=(0.8, 0.95),
    weights=(0.4, 0.35, 0.25),
    lang: str | None = None,
) -> pd.DataFrame:
    """The lobby manager's read of every visitor (识别客户): MAN code (money = assets or a year's
    inflow reach ``money_cut``; authority = decides alone; need = a purpose the bank can sell to),
    value class A/B/C by assets, value-matrix quadrant (assets × inflow), a ``score`` mixing MAN
    priority, asset rank and potential rank with ``weights``, the serving ``order`` (1 = first;
    ties go to the earlier arrival) and the ``desk`` to send them to.

    >>> v = pd.DataFrame({"visitor_id": ["V1", "V2", "V3"], "arrival_min": [1.0, 2.0, 3.0],
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
    lang = i18n.resolve(lang, func)
    df = V.table(
        visitors, func, ["visitor_id", "arrival_min", "purpose", "assets", "annual_inflow", "decides"], name="visitors"
    )
    ids = V.unique(V.ids(df["visitor_id"], func, "visitor_id"), func, "visitor_id")
    assets = V.numeric(df["assets"], func, "assets")
    inflow = V.numeric(df["annual_inflow"], func, "annual_inflow")
    arrival = V.numeric(df["arrival_min"], func, "arrival_min")
    cut = V.number(money_cut, func, "money_cut", lo=0)
    ww = _weights(weights, func)
    unknown = ~df["purpose"].isin(list(LOBBY_PURPOSES)).to_numpy()
    if unknown.any():
        V._fail(func, "purpose", f"has unknown purposes (known: {list(LOBBY_PURPOSES)})", unknown, df.index)
    need = df["purpose"].map({k: v[1] for k, v in LOBBY_PURPOSES.items()}).to_numpy(dtype=bool)
    idx = pd.Index(ids.astype(str).to_numpy(), name="visitor_id")
    flags = pd.DataFrame(
        {
            "money": ((assets >= cut) | (inflow >= cut)).to_numpy(),
            "authority": V.flags(df["decides"], func, "decides").to_numpy(),
            "need": need,
        },
        index=idx,
    )
    out = man_table(flags, lang=lang)[["man_code", "priority"]].rename(columns={"priority": "man_priority"})
    out.insert(0, "arrival_min", arrival.to_numpy())
    out["assets"] = assets.to_numpy()
    out["annual_inflow"] = inflow.to_numpy()
    a = pd.Series(assets.to_numpy(), index=idx)
    if a.sum() <= 0:
        raise CRMDataError(func, "assets", "are all zero: no value classes can be formed")
    out["value_class"] = abc_classes(a, cuts=abc_cuts, lang=lang)["abc"].reindex(idx)
    out["quadrant"] = value_matrix(a, pd.Series(inflow.to_numpy(), index=idx), lang=lang)["quadrant"]
    _order(out, ww)
    is_a = (out["value_class"].cat.codes == 0).to_numpy()
    sell = (out["man_priority"] <= 3).to_numpy()
    codes = np.select([is_a & flags["need"].to_numpy(), sell], [0, 1], default=2)
    out["desk"] = pd.Categorical.from_codes(codes, categories=i18n.categories(DESK_KEYS, lang), ordered=True)
    return out


def lobby_reweigh(triage: pd.DataFrame, weights=(0.4, 0.35, 0.25)) -> pd.DataFrame:
    """The triage of :func:`lobby_triage` with the ``score`` and serving ``order`` of other
    ``weights`` (MAN priority, asset rank, potential rank): ``lobby_reweigh(lobby_triage(v), w)``
    is ``lobby_triage(v, weights=w)``. The MAN codes, value classes, quadrants and desks do not
    depend on the weights and are kept (the lobby explorer re-weighs as a slider moves).

    >>> v = pd.DataFrame({"visitor_id": ["V1", "V2", "V3"], "arrival_min": [1.0, 2.0, 3.0],
    ...                    "purpose": ["bill payment", "wealth management", "loan enquiry"],
    ...                    "assets": [5e3, 8e5, 0.0], "annual_inflow": [3e4, 2e5, 2e5],
    ...                    "decides": [True, True, True]})
    >>> lobby_reweigh(lobby_triage(v), weights=(0, 0, 1))[["score", "order"]]
                score  order
    visitor_id
    V1          0.333333      3
    V2          0.833333      1
    V3          0.833333      2
    """
    func = "lobby_reweigh"
    ww = _weights(weights, func)
    t = V.table(triage, func, ["arrival_min", "man_priority", "assets", "annual_inflow"], name="triage")
    for c in ("arrival_min", "assets", "annual_inflow"):
        V.numeric(t[c], func, c)
    prio = V.numeric(t["man_priority"], func, "man_priority").to_numpy()
    off = ~np.isin(prio, np.arange(1, 9))
    if off.any():
        V._fail(func, "man_priority", "must be MAN priorities 1 to 8 (see lobby_triage)", off, t.index)
    out = t.copy()
    _order(out, ww)
    return out


def _weights(weights, func: str) -> np.ndarray:
    """Three non-negative weights with a positive sum, normalised."""
    w = V.values(weights, func, "weights")
    if len(w) != 3 or w.sum() <= 0:
        raise CRMDataError(
            func,
            "weights",
            f"needs three non-negative weights (MAN, value, potential) with a positive sum, got {list(w)}",
        )
    return w.to_numpy() / w.sum()


def _order(out: pd.DataFrame, ww: np.ndarray) -> None:
    """Write the ``score`` (weights ``ww``) and serving ``order`` of the triage ``out``, in place."""
    score = (
        ww[0] * (8 - out["man_priority"]) / 7
        + ww[1] * out["assets"].rank(pct=True)
        + ww[2] * out["annual_inflow"].rank(pct=True)
    )
    out["score"] = score.round(6)
    ordered = out.sort_values(["score", "arrival_min"], ascending=[False, True], kind="mergesort").index
    out["order"] = pd.Series(np.arange(1, len(out) + 1), index=ordered).reindex(out.index).astype("int64")
