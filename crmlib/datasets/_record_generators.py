"""The seeded generators of the customer archive (客户档案的数据) of chapter 6: the synthetic details
of the customer cards (:func:`make_card_details`), follow-up records (:func:`make_follow_ups`) and
complaints attached to the customers on file (:func:`assign_complaints`). The archive itself, and the
cards written from the accounts' figures, are :mod:`crmlib.records`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._checks import grade_codes
from crmlib._errors import CRMDataError

_CITY = {
    "North": ["北京", "天津", "石家庄"],
    "East": ["上海", "杭州", "南京"],
    "South": ["广州", "深圳", "厦门"],
    "West": ["成都", "重庆", "西安"],
    "Central": ["武汉", "长沙", "郑州"],
}
_AREA = {
    "北京": "010",
    "天津": "022",
    "石家庄": "0311",
    "上海": "021",
    "杭州": "0571",
    "南京": "025",
    "广州": "020",
    "深圳": "0755",
    "厦门": "0592",
    "成都": "028",
    "重庆": "023",
    "西安": "029",
    "武汉": "027",
    "长沙": "0731",
    "郑州": "0371",
}
_FIRM = [
    "恒达",
    "华新",
    "金桥",
    "宏远",
    "鑫源",
    "瑞丰",
    "天成",
    "东方",
    "永信",
    "联创",
    "中泰",
    "嘉禾",
    "博远",
    "安泰",
    "盛世",
    "康华",
    "新元",
    "立信",
    "万通",
    "景程",
]
_TRADE = {
    "manufacturing": "精密制造",
    "retail": "商贸",
    "construction": "建设工程",
    "IT services": "信息技术",
    "logistics": "物流",
    "healthcare": "医疗器械",
}
_SURNAME = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗")
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "建国",
    "志强",
    "秀英",
    "海燕",
    "晓东",
    "丽华",
    "国栋",
    "文博",
]
_ROAD = ["人民", "中山", "解放", "建设", "和平", "长江", "新华", "友谊", "光明", "学府"]
_TITLES = {
    "en": (
        ["general manager", "owner", "purchasing director", "plant manager"],
        ["purchasing manager", "buyer", "office manager"],
    ),
    "zh": (["总经理", "董事长", "采购总监", "厂长"], ["采购经理", "采购员", "办公室主任"]),
}
#: the sales team whose members own the customer files (专人负责)
OWNERS = ["赵敏", "钱磊", "孙静", "李强", "周洋", "吴芳"]
#: how a follow-up is made (跟进方式)
FOLLOW_UP_CHANNELS = ["visit", "phone", "WeChat", "email"]
_FOLLOW = {
    "en": (
        [
            "quarterly review of orders",
            "discussed next season's needs",
            "sent price list and samples",
            "handled a delivery question",
            "introduced the new product line",
            "checked satisfaction",
        ],
        ["send quotation", "arrange a visit", "call back in two weeks", "invite to the trade fair", "no action needed"],
    ),
    "zh": (
        ["季度订单回顾", "了解下季度需求", "寄送价目表和样品", "处理送货问题", "介绍新产品线", "回访满意度"],
        ["发送报价", "安排拜访", "两周后回电", "邀请参加展会", "无需跟进"],
    ),
}
#: days between follow-ups by grade: the key customers are contacted most often (突出重点)
FOLLOW_UP_DAYS = {"A": 30, "B": 60, "C": 120}


def _pick(rng: np.random.Generator, options: list[str], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def _people(rng: np.random.Generator, n: int) -> np.ndarray:
    return _pick(rng, _SURNAME, n) + _pick(rng, _GIVEN, n)


def make_card_details(
    accounts: pd.DataFrame, seed: int = 2024, as_of: Any = "2024-01-01", lang: str | None = None
) -> pd.DataFrame:
    """The synthetic details of a customer card (客户卡) for each account of a B2B accounts table such
    as the ``accounts`` dataset, seeded and deterministic: the company's ``name`` (a firm in a city of
    the account's region), the ``decision_maker`` and ``contact_person`` (a name and a title in
    ``lang``), ``address``, ``phone`` (the city's area code), the ``owner`` (专人负责, one of
    :data:`OWNERS`, who also ``created_by`` the card), ``created_on`` (``years_as_customer`` years
    before ``as_of``, less up to 300 days) and the contact's ``birthday``.
    :func:`crmlib.records.customer_cards` adds the fields written from the account's figures.

    >>> from crmlib.datasets import make_accounts
    >>> d = make_card_details(make_accounts(n=3, seed=1), seed=1, lang="en")
    >>> d.columns.tolist()
    ['customer_id', 'name', 'decision_maker', 'contact_person', 'address', 'phone', 'owner', 'created_by', 'created_on', 'birthday']
    >>> d.equals(make_card_details(make_accounts(n=3, seed=1), seed=1, lang="en"))
    True
    """  # noqa: E501
    func = "make_card_details"
    lang = i18n.resolve(lang, func)
    a = V.table(accounts, func, ["account_id", "industry", "region", "years_as_customer"], name="accounts")
    ids = V.unique(V.ids(a["account_id"], func, "account_id"), func, "account_id").astype(str)
    s = V.integer(seed, func, "seed", 0)
    t0 = V.timestamp(as_of, func, "as_of").normalize()
    years = V.numeric(a["years_as_customer"], func, "years_as_customer", allow_negative=True).to_numpy()
    rng = np.random.default_rng(s)
    n = len(a)
    region = a["region"].astype(str).to_numpy()
    unknown = ~np.isin(region, list(_CITY))
    if unknown.any():
        V._fail(func, "region", f"must be one of {list(_CITY)}", unknown, a.index)
    city = np.array([_CITY[r][k] for r, k in zip(region, rng.integers(0, 3, n))], dtype=object)
    trade = a["industry"].astype(str).map(lambda x: _TRADE.get(x, "贸易")).to_numpy(dtype=object)
    name = city + _pick(rng, _FIRM, n) + trade + "有限公司"
    boss_t, contact_t = _TITLES[lang]
    dm = _people(rng, n) + " (" + _pick(rng, boss_t, n) + ")"
    contact = _people(rng, n) + " (" + _pick(rng, contact_t, n) + ")"
    address = city + "市" + _pick(rng, _ROAD, n) + "路" + rng.integers(1, 999, n).astype(str) + "号"
    phone = np.array([_AREA[c] for c in city], dtype=object) + "-" + rng.integers(20_000_000, 89_999_999, n).astype(str)
    owner = _pick(rng, OWNERS, n)
    created = t0 - pd.to_timedelta(years * 365 - rng.integers(0, 300, n), unit="D")
    birthday = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 35 * 365, n), unit="D")
    return pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "name": name,
            "decision_maker": dm,
            "contact_person": contact,
            "address": address,
            "phone": phone,
            "owner": owner,
            "created_by": owner,
            "created_on": pd.DatetimeIndex(created).strftime("%Y-%m-%d"),
            "birthday": pd.DatetimeIndex(birthday).strftime("%Y-%m-%d"),
        }
    )


def make_follow_ups(
    customers: pd.DataFrame,
    seed: int = 2024,
    start: Any = "2024-01-01",
    end: Any = "2024-12-31",
    lang: str | None = None,
) -> pd.DataFrame:
    """Follow-up records (跟进记录) for the customers on file, seeded and deterministic.

    A customer is contacted about every :data:`FOLLOW_UP_DAYS` days for its grade (A monthly, B every
    two months, C every four: 突出重点) — a Poisson number of contacts on random days between
    ``start`` and ``end`` — by its ``owner``, by visit, phone, WeChat or email, with a short summary
    and next step in ``lang``.

    >>> cards = pd.DataFrame({"customer_id": ["K1", "K2"], "grade": ["A", "C"], "owner": ["Zhao", "Qian"]})
    >>> fu = make_follow_ups(cards, seed=1, lang="en")
    >>> fu.columns.tolist(), bool(fu.groupby("customer_id").size()["K1"] > 3)
    (['customer_id', 'date', 'channel', 'by', 'summary', 'next_step'], True)
    """
    func = "make_follow_ups"
    lang = i18n.resolve(lang, func)
    c = V.table(customers, func, ["customer_id", "grade", "owner"], name="customers")
    ids = V.ids(c["customer_id"], func, "customer_id").astype(str).to_numpy()
    s = V.integer(seed, func, "seed", 0)
    t0 = V.timestamp(start, func, "start").normalize()
    t1 = V.timestamp(end, func, "end").normalize()
    if t1 <= t0:
        raise CRMDataError(func, "end", f"must come after start ({t0:%Y-%m-%d}), got {t1:%Y-%m-%d}")
    grade = grade_codes(c["grade"].astype(object).where(c["grade"].notna(), None), func, "grade")
    gap = grade.map(lambda g: FOLLOW_UP_DAYS.get(g, 180)).to_numpy(dtype=float)
    span = (t1 - t0).days + 1
    rng = np.random.default_rng(s)
    k = rng.poisson(span / gap)
    rows = np.repeat(np.arange(len(c)), k)
    day = rng.integers(0, span, len(rows))
    summary, step = _FOLLOW[lang]
    out = pd.DataFrame(
        {
            "customer_id": ids[rows],
            "date": t0 + pd.to_timedelta(day, unit="D"),
            "channel": _pick(rng, FOLLOW_UP_CHANNELS, len(rows)),
            "by": c["owner"].astype(object).to_numpy()[rows],
            "summary": _pick(rng, summary, len(rows)),
            "next_step": _pick(rng, step, len(rows)),
        }
    )
    out = out.sort_values(["date", "customer_id"], kind="mergesort").reset_index(drop=True)
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out


def assign_complaints(complaints: pd.DataFrame, customers: pd.DataFrame, seed: int = 2024) -> pd.DataFrame:
    """Attach a complaints log (such as the ``complaints`` dataset, kept for another customer base) to
    the customers on file: each complaint goes to one customer, drawn with weight (6 − satisfaction)²
    so unhappy accounts complain more. Returns rows for the ``complaints`` table (``ref`` = the
    original complaint number).

    >>> log = pd.DataFrame({"complaint_id": ["Q1", "Q2"], "received": ["2024-02-01", "2024-03-01"],
    ...                     "channel": ["phone", "letter box"], "cause": ["packaging", "late delivery"],
    ...                     "satisfied": [True, False]})
    >>> cust = pd.DataFrame({"customer_id": ["K1", "K2"], "satisfaction": [5, 1]})
    >>> assign_complaints(log, cust, seed=3).columns.tolist()
    ['ref', 'customer_id', 'date', 'channel', 'cause', 'satisfied']
    """
    func = "assign_complaints"
    log = V.table(complaints, func, ["complaint_id", "received", "channel", "cause", "satisfied"], name="complaints")
    c = V.table(customers, func, ["customer_id", "satisfaction"], name="customers")
    ids = V.ids(c["customer_id"], func, "customer_id").astype(str).to_numpy()
    sat = V.numeric(c["satisfaction"], func, "satisfaction").clip(upper=5).to_numpy()
    s = V.integer(seed, func, "seed", 0)
    w = (6 - sat) ** 2
    rng = np.random.default_rng(s)
    who = rng.choice(ids, size=len(log), p=w / w.sum())
    return pd.DataFrame(
        {
            "ref": log["complaint_id"].astype(str).to_numpy(),
            "customer_id": who,
            "date": V.dates(log["received"], func, "received").dt.strftime("%Y-%m-%d").to_numpy(),
            "channel": log["channel"].to_numpy(),
            "cause": log["cause"].to_numpy(),
            "satisfied": V.flags(log["satisfied"], func, "satisfied").to_numpy(),
        }
    )
