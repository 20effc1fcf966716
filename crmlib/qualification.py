"""Identifying potential customers (识别潜在客户) — Chapter 1.

* The MAN rule (MAN法则): a prospect qualifies on Money (购买能力, can afford it), Authority
  (购买决定权, decides the purchase) and Need (购买需求). Each of the 2³ = 8 combinations gets its
  own strategy; the seed text lists seven, the eighth (m+A+n) is reasoned out here.
* Deal-time classes (按成交时间分类): mature (within a month), hopeful (within two months),
  potential (more than two months away).
* Customer states (客户状态): actual, potential, lost and non-customers, from a transaction
  log and a prospect list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError

# the priority of each MAN code follows the seed's order, with the reasoned-out eighth case (authority
# only) placed before the plain non-customer; the strategies are i18n.TEXTS["man_strategy_<code>"]
_MAN_PRIORITY = {"M+A+N": 1, "M+A+n": 2, "M+a+N": 3, "m+A+N": 4, "m+a+N": 5, "M+a+n": 6, "m+A+n": 7, "m+a+n": 8}
#: code -> (priority, English strategy, Chinese strategy)
MAN_STRATEGIES: dict[str, tuple[int, str, str]] = {
    c: (p, *i18n.TEXTS[f"man_strategy_{c}"]) for c, p in _MAN_PRIORITY.items()
}
MAN_CODES = sorted(MAN_STRATEGIES, key=lambda c: MAN_STRATEGIES[c][0])

DEAL_KEYS = ["mature", "hopeful", "potential_deal"]
STATE_KEYS = ["actual", "potential", "lost", "non_customer"]


@dataclass(frozen=True)
class MANResult:
    """The MAN verdict for one prospect."""

    code: str
    priority: int
    strategy: str
    strategy_zh: str
    money: bool
    authority: bool
    need: bool


def _code(m: np.ndarray, a: np.ndarray, n: np.ndarray) -> np.ndarray:
    mm = np.where(m, "M", "m")
    aa = np.where(a, "A", "a")
    nn = np.where(n, "N", "n")
    return np.char.add(np.char.add(np.char.add(np.char.add(mm, "+"), aa), "+"), nn)


def _flag(x: Any, func: str, field: str) -> bool:
    return bool(V.flags(pd.Series([x]), func, field).iloc[0])


def man_classify(money: Any, authority: Any, need: Any) -> MANResult:
    """Classify one prospect by the MAN rule (capital letter = has it) and give the strategy.

    >>> r = man_classify(money=True, authority=False, need=True)
    >>> r.code, r.priority
    ('M+a+N', 3)
    >>> r.strategy_zh
    '有购买能力和需求，但没有购买决定权：深入沟通，设法找到有购买决定权的人。'
    """
    func = "man_classify"
    m, a, n = _flag(money, func, "money"), _flag(authority, func, "authority"), _flag(need, func, "need")
    code = str(_code(np.array([m]), np.array([a]), np.array([n]))[0])
    prio, en, zh = MAN_STRATEGIES[code]
    return MANResult(code, prio, en, zh, m, a, n)


def man_table(
    df: pd.DataFrame,
    money_col: str = "money",
    authority_col: str = "authority",
    need_col: str = "need",
    lang: str | None = None,
) -> pd.DataFrame:
    """The MAN code, priority and strategy of every prospect in a table (vectorised).

    >>> prospects = pd.DataFrame({"money": [True, False, "yes"], "authority": [True, True, "no"],
    ...                           "need": [True, False, 1]}, index=["P1", "P2", "P3"])
    >>> man_table(prospects)[["man_code", "priority"]]
       man_code  priority
    P1    M+A+N         1
    P2    m+A+n         7
    P3    M+a+N         3
    """
    func = "man_table"
    lang = i18n.resolve(lang, func)
    V.table(df, func, [money_col, authority_col, need_col], name="df")
    m = V.flags(df[money_col], func, money_col).to_numpy()
    a = V.flags(df[authority_col], func, authority_col).to_numpy()
    n = V.flags(df[need_col], func, need_col).to_numpy()
    codes = _code(m, a, n)
    out = pd.DataFrame({"money": m, "authority": a, "need": n}, index=df.index)
    out["man_code"] = pd.Categorical(codes, categories=MAN_CODES, ordered=True)
    out["priority"] = np.array([MAN_STRATEGIES[c][0] for c in MAN_CODES])[out["man_code"].cat.codes]
    strategies = np.array([i18n.text(f"man_strategy_{c}", lang) for c in MAN_CODES], dtype=object)
    out["strategy"] = strategies[out["man_code"].cat.codes]
    return out


#: the columns of :func:`man_strategies`, each headed by ``TEXTS[f"man_h_{column}"]`` in its language
MAN_COLUMNS = ["man_code", "money", "authority", "need", "priority", "strategy"]


def man_strategies(lang: str | None = None) -> pd.DataFrame:
    """All eight MAN combinations with their priority and strategy, as a table: a descriptive table,
    so its headings follow ``lang`` like its strategies (``MAN_COLUMNS`` in English: ``man_code``
    (the index), ``money``, ``authority``, ``need``, ``priority``, ``strategy``).

    >>> man_strategies().loc["m+A+n", "priority"]
    np.int64(7)
    >>> man_strategies("zh").columns.tolist()
    ['购买能力', '购买决定权', '购买需求', '优先级', '策略']
    """
    lang = i18n.resolve(lang, "man_strategies")
    rows = [
        (c, *[c[0] == "M", c[2] == "A", c[4] == "N"], MAN_STRATEGIES[c][0], i18n.text(f"man_strategy_{c}", lang))
        for c in MAN_CODES
    ]
    heads = [i18n.text(f"man_h_{c}", lang) for c in MAN_COLUMNS]
    return pd.DataFrame(rows, columns=heads).set_index(heads[0])


def deal_stage(expected_close_days: Any, cuts: Sequence[int] = (30, 60), lang: str | None = None):
    """Deal-time class (按成交时间分类): mature (≤1 month), hopeful (≤2 months), potential (later).

    A scalar gives one label; a list or Series gives an ordered Categorical Series.

    >>> deal_stage(45)
    'hopeful (closes within 2 months)'
    >>> deal_stage([0, 30, 31, 61]).tolist()
    ['mature (closes within 1 month)', 'mature (closes within 1 month)', 'hopeful (closes within 2 months)', 'potential (over 2 months)']
    """  # noqa: E501
    func = "deal_stage"
    lang = i18n.resolve(lang, func)
    if isinstance(cuts, np.ndarray):
        cuts = cuts.tolist()
    if isinstance(cuts, (str, bytes)) or not isinstance(cuts, Sequence) or len(cuts) != 2:
        raise CRMDataError(func, "cuts", f"needs two day limits (mature, hopeful), got {cuts!r}")
    c1 = V.number(cuts[0], func, "cuts", 0)
    c2 = V.number(cuts[1], func, "cuts", 0)
    if not c1 < c2:
        raise CRMDataError(func, "cuts", f"must be increasing, got {cuts!r}")
    scalar = np.ndim(expected_close_days) == 0 and not isinstance(expected_close_days, pd.Series)
    days = V.values([expected_close_days] if scalar else expected_close_days, func, "expected_close_days")
    codes = np.where(days <= c1, 0, np.where(days <= c2, 1, 2))
    cats = i18n.categories(DEAL_KEYS, lang)
    if scalar:
        return cats[int(codes[0])]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=cats, ordered=True), index=days.index, name="deal_stage"
    )


def customer_state(
    tx: pd.DataFrame,
    prospects: pd.DataFrame,
    as_of: Any = None,
    lapse_days: int = 180,
    customer_col: str = "customer_id",
    date_col: str = "date",
    prospect_col: str = "prospect_id",
    money_col: str = "money",
    need_col: str = "need",
    lang: str | None = None,
) -> pd.DataFrame:
    """Actual, potential, lost and non-customers (现实客户/潜在客户/流失客户/非客户).

    Buyers are *actual* customers when their last purchase lies at most ``lapse_days`` before
    ``as_of`` and *lost* otherwise. People who never bought are *potential* customers when they
    both need the product and can pay for it (the seed's definition), else *non-customers*.

    >>> tx = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2024-06-01", "2023-01-01"]})
    >>> pr = pd.DataFrame({"prospect_id": ["P1", "P2"], "money": [True, True], "need": [True, False]})
    >>> customer_state(tx, pr, as_of="2024-07-01")
                     state  days_since_purchase
    id
    A      actual customer                   30
    B        lost customer                  547
    P1  potential customer                 <NA>
    P2        non-customer                 <NA>
    """
    func = "customer_state"
    lang = i18n.resolve(lang, func)
    lapse = V.integer(lapse_days, func, "lapse_days", 0)
    V.table(tx, func, [customer_col, date_col], name="tx")
    V.table(prospects, func, [prospect_col, money_col, need_col], name="prospects", allow_empty=True)
    ids = V.ids(tx[customer_col], func, customer_col)
    dates = V.dates(tx[date_col], func, date_col)
    as_of_ts = (dates.max().normalize() + pd.Timedelta(days=1)) if as_of is None else V.timestamp(as_of, func, "as_of")
    late = (dates > as_of_ts).to_numpy()
    if late.any():
        V._fail(func, date_col, f"has transactions after as_of={as_of_ts.date()}", late, dates.index)
    last = dates.groupby(ids.to_numpy(), sort=True).max()
    days = ((as_of_ts - last) // pd.Timedelta(days=1)).astype("int64")
    buyer_codes = np.where(days.to_numpy() <= lapse, 0, 2)

    pid = V.unique(V.ids(prospects[prospect_col], func, prospect_col), func, prospect_col)
    money = V.flags(prospects[money_col], func, money_col).to_numpy()
    need = V.flags(prospects[need_col], func, need_col).to_numpy()
    keep = ~pid.isin(last.index).to_numpy()
    p_codes = np.where(money & need, 1, 3)[keep]

    index = pd.Index(list(last.index) + list(pid.to_numpy()[keep]), name="id")
    codes = np.concatenate([buyer_codes, p_codes]).astype(int)
    out = pd.DataFrame(index=index)
    out["state"] = pd.Categorical.from_codes(codes, categories=i18n.categories(STATE_KEYS, lang), ordered=True)
    out["days_since_purchase"] = pd.array(list(days.to_numpy()) + [pd.NA] * int(keep.sum()), dtype="Int64")
    return out
