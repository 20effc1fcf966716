"""Customer development (客户开发) — Chapter 3.

Development turns potential customers (潜在客户) into real ones (现实客户). This module holds the
computable parts of the chapter:

* the prospecting methods of the seed texts as lead sources and :func:`channel_report` (leads,
  MAN-qualified leads, deals won, conversion, cost per lead, cost per acquisition and return per
  channel);
* the four steps of finding customers, the six analyses and the five buying roles
  (:func:`buying_roles`, :func:`buying_center`), with the MAN rule telling who has authority;
* the AIDMAS funnel (:func:`funnel`), the approach methods and the Franklin balance sheet
  (:func:`franklin_balance`);
* the 12-contact rule (:func:`contact_rule`, :func:`contact_limit_tradeoff`) next to the
  deal-time classes of :func:`crmlib.qualification.deal_stage`;
* acquisition versus retention economics (:func:`acquisition_economics`).

Everything is vectorised: no Python loop runs over leads or contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.qualification import man_table

#: the AIDMAS stages of approaching a customer, in order (AIDMAS法则)
AIDMAS: tuple[str, ...] = ("attention", "interest", "desire", "memory", "action", "satisfaction")
#: the five roles in a buying decision (客户内部角色), in the order a purchase usually runs
ROLES: tuple[str, ...] = ("initiator", "influencer", "decider", "buyer", "user")
#: lead statuses understood by the 12-contact rule
STATUSES: tuple[str, ...] = ("open", "won", "lost")
ACTION_KEYS = ["action_continue", "action_pause", "action_won", "action_lost"]
#: default cost of one contact with a lead (the generator's LEAD_CONTACT_COST)
CONTACT_COST = 40.0


def _aidmas_key(stage: str) -> str:
    return f"aidmas_{stage}"


def _stage_labels(stages: Sequence[str], lang: str) -> list[str]:
    """Glossary labels for the AIDMAS stages; other (user-defined) stage names are kept as given."""
    return [i18n.label(_aidmas_key(s), lang) if s in AIDMAS else str(s) for s in stages]


# ============================================================================ reference tables
# Their text lives in i18n.TEXTS (keys dev_method_*, dev_step_*, dev_analysis_*, dev_approach_*,
# dev_signal_*); i18n.reference_table lays it out in the language asked for.
# (method, seed list 000 position, seed list 003 position, matching channel in the leads data)
_METHODS: tuple[tuple[str, int | None, int | None, str], ...] = (
    ("door_to_door", 1, 1, "door-to-door"),
    ("meetings", 2, 6, "trade fair"),
    ("clubs", 3, 17, "club"),
    ("friends", 4, None, "network"),
    ("records", 5, 4, "data search"),
    ("consultancies", 6, 9, ""),
    ("helpers", 7, 13, ""),
    ("agents", None, 11, ""),
    ("referral_chains", 8, 3, "referral chain"),
    ("centres", 9, 5, "referral chain"),
    ("telephone", 10, 7, "phone"),
    ("mail", 11, 8, "mail"),
    ("text_messages", 12, None, "mail"),
    ("internet", 13, None, "network"),
    ("competitors", 14, 12, "competitor"),
    ("observation", 15, 10, "observation"),
    ("advertising", None, 2, ""),
    ("trade_associations", None, 14, "trade fair"),
    ("outlets", None, 15, ""),
    ("partners", None, 16, "referral chain"),
    ("relationships", None, 18, "network"),
)


def prospecting_methods(lang: str | None = None) -> pd.DataFrame:
    """The prospecting methods (寻找客户的方法) of the two seed lists (15 and 18 methods) side by side,
    with the lead channel of the ``leads`` data that stands for each ("" = not in the data).

    ``lang`` (default: the current language) sets the names and headings; the ``channel`` column
    holds values of the leads data and keeps them as they are.

    >>> m = prospecting_methods()
    >>> int(m["list_15"].notna().sum()), int(m["list_18"].notna().sum())
    (15, 18)
    >>> m.loc["referral chains", "channel"]
    'referral chain'
    >>> prospecting_methods("zh").loc["链式介绍法（又称连锁介绍）", "18种方法中的序号"]
    np.int64(3)
    """
    func = "prospecting_methods"
    keys, l15, l18, channel = zip(*_METHODS)
    df = i18n.reference_table("dev_method", keys, lang=lang, func=func)
    lang = i18n.resolve(lang, func)
    df[i18n.text("dev_method_h_list_15", lang)] = pd.array(l15, dtype="Int64")
    df[i18n.text("dev_method_h_list_18", lang)] = pd.array(l18, dtype="Int64")
    df["channel"] = list(channel)
    return df


_STEPS = ("collect", "analyse", "plan", "feedback")
_ANALYSES = ("motive", "choice", "timing", "place", "quantity", "roles")


def finding_steps(lang: str | None = None) -> pd.DataFrame:
    """The four steps of finding customers (寻找客户的步骤): collect, analyse, plan, feed back,
    in ``lang`` (default: the current language).

    >>> finding_steps().index.tolist()
    ['1. collect', '2. analyse', '3. plan', '4. feed back']
    >>> finding_steps("zh").index.tolist()
    ['收集信息', '分析资料', '制定方案', '反馈调整']
    """
    return i18n.reference_table("dev_step", _STEPS, ["means"], lang, func="finding_steps")


def six_analyses(lang: str | None = None) -> pd.DataFrame:
    """The six analyses of a customer group made in step 2 (客户分析的六个方面), each with the
    question it answers, in ``lang`` (default: the current language).

    >>> six_analyses().loc["buying roles", "中文"]
    '客户内部角色分析'
    >>> six_analyses("zh").loc["消费时机分析", "要回答的问题"]
    '客户在什么时候买，多久买一次？'
    """
    return i18n.reference_table("dev_analysis", _ANALYSES, ["question"], lang, func="six_analyses")


_APPROACH = ("introduction", "product", "survey", "advice", "service", "social", "benefit")
_SIGNALS = ("usage", "advert", "repeat", "delivery", "payment", "brands", "opinions")


def approach_methods(lang: str | None = None) -> pd.DataFrame:
    """Ways of approaching a customer (接近客户的方法), one line each, in ``lang`` (default: the
    current language).

    >>> len(approach_methods()), approach_methods().loc["benefit", "中文"]
    (7, '利益接近法')
    >>> approach_methods("zh").columns.tolist()
    ['做法']
    """
    return i18n.reference_table("dev_approach", _APPROACH, ["how"], lang, func="approach_methods")


def buying_signals(lang: str | None = None) -> pd.DataFrame:
    """Buying signals (购买信号): what a prospect says or does when ready to decide, in ``lang``
    (default: the current language).

    >>> buying_signals().shape, buying_signals("zh").shape
    ((7, 2), (7, 1))
    """
    return i18n.reference_table("dev_signal", _SIGNALS, lang=lang, names_as_index=False, func="buying_signals")


# ============================================================================ channel report
def _flags_fast(s: pd.Series, func: str, field: str) -> np.ndarray:
    return V.flags(s, func, field).to_numpy(dtype=bool)


def channel_report(
    leads: pd.DataFrame,
    channel_col: str = "channel",
    won_col: str = "won",
    cost_col: str = "cost",
    value_col: str = "value",
    money_col: str = "money",
    authority_col: str = "authority",
    need_col: str = "need",
) -> pd.DataFrame:
    """Leads, MAN-qualified leads, deals won, conversion, cost and return per lead channel.

    A lead is *qualified* when it meets all three MAN conditions (M+A+N, priority 1 in
    :func:`crmlib.qualification.man_table`). Per channel (寻找客户的方法):

    * ``qualified_rate`` = qualified / leads; ``win_rate`` = won / leads (lead-to-customer
      conversion, 转化率); ``close_rate`` = qualified leads won / qualified leads;
    * ``cost_per_lead`` = cost / leads; ``cost_per_acquisition`` (获客成本) = cost / won;
    * ``return`` = (value − cost) / cost, the return on the money spent on the channel.

    Undefined ratios (no qualified lead, no deal, no cost) are NaN, and so is a return too large
    to be a number at all (a positive cost of almost nothing, say 1e-320: the ratio would be
    infinite, which no table, sum or plot can use). Rows are sorted by channel.

    >>> leads = pd.DataFrame({"channel": ["phone", "phone", "referral", "phone"],
    ...                       "money": [1, 1, 1, 0], "authority": [1, 0, 1, 1], "need": [1, 1, 1, 1],
    ...                       "won": [True, False, True, False], "cost": [50.0, 30.0, 20.0, 20.0],
    ...                       "value": [400.0, 0.0, 300.0, 0.0]})
    >>> channel_report(leads)[["leads", "qualified", "won", "cost_per_lead", "cost_per_acquisition", "return"]]
              leads  qualified  won  cost_per_lead  cost_per_acquisition  return
    channel
    phone         3          1    1      33.333333                 100.0     3.0
    referral      1          1    1      20.000000                  20.0    14.0
    """
    func = "channel_report"
    V.table(leads, func, [channel_col, won_col, cost_col, value_col, money_col, authority_col, need_col], name="leads")
    codes, uniques = pd.factorize(leads[channel_col], sort=True)
    if (codes < 0).any():
        V.ids(leads[channel_col], func, channel_col)
    V.group_keys(pd.Index(uniques), leads[channel_col], func, channel_col)
    won = _flags_fast(leads[won_col], func, won_col)
    qual = (
        _flags_fast(leads[money_col], func, money_col)
        & _flags_fast(leads[authority_col], func, authority_col)
        & _flags_fast(leads[need_col], func, need_col)
    )
    cost = V.numeric(leads[cost_col], func, cost_col).to_numpy()
    value = V.numeric(leads[value_col], func, value_col).to_numpy()
    k = len(uniques)
    n = np.bincount(codes, minlength=k)
    q = np.bincount(codes, weights=qual, minlength=k)
    w = np.bincount(codes, weights=won, minlength=k)
    qw = np.bincount(codes, weights=qual & won, minlength=k)
    c = np.bincount(codes, weights=cost, minlength=k)
    v = np.bincount(codes, weights=value, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ret = np.where(c > 0, (v - c) / np.where(c > 0, c, 1), np.nan)
        out = pd.DataFrame(
            {
                "leads": n.astype(np.int64),
                "qualified": q.astype(np.int64),
                "won": w.astype(np.int64),
                "qualified_rate": q / n,
                "win_rate": w / n,
                "close_rate": np.where(q > 0, qw / np.where(q > 0, q, 1), np.nan),
                "cost": c,
                "value": v,
                "cost_per_lead": c / n,
                "cost_per_acquisition": np.where(w > 0, c / np.where(w > 0, w, 1), np.nan),
                "return": np.where(np.isfinite(ret), ret, np.nan),
            },
            index=pd.Index(np.asarray(uniques), name=channel_col),
        )
    return out


def report_total(report: pd.DataFrame) -> pd.Series:
    """All channels together: the same figures as one row of :func:`channel_report` (undefined
    ratios — nothing won, no lead, no cost, a return too large to be a number — are NaN there too).

    >>> rep = pd.DataFrame({"leads": [3, 1], "qualified": [1, 1], "won": [1, 1],
    ...                     "cost": [100.0, 20.0], "value": [400.0, 300.0]})
    >>> report_total(rep)[["leads", "won", "cost_per_acquisition", "return"]].tolist()
    [4.0, 2.0, 60.0, 4.833333333333333]
    """
    func = "report_total"
    V.table(report, func, ["leads", "qualified", "won", "cost", "value"], name="report")
    n, q, w, c, v = (float(V.numeric(report[k], func, k).sum()) for k in ["leads", "qualified", "won", "cost", "value"])
    return pd.Series(
        {
            "leads": n,
            "qualified": q,
            "won": w,
            "qualified_rate": q / n if n else np.nan,
            "win_rate": w / n if n else np.nan,
            "cost": c,
            "value": v,
            "cost_per_lead": c / n if n else np.nan,
            "cost_per_acquisition": c / w if w else np.nan,
            "return": (v - c) / c if c and np.isfinite((v - c) / c) else np.nan,
        },
        name="all channels",
    )


# ============================================================================ buying roles
def buying_roles(
    contacts: pd.DataFrame,
    role_col: str = "role",
    money_col: str = "money",
    authority_col: str = "authority",
    need_col: str = "need",
    lang: str | None = None,
) -> pd.DataFrame:
    """The five buying roles (客户内部角色) of an account's contacts, checked against the MAN rule.

    Each row is one person in one role (a person with two roles has two rows). The role becomes an
    ordered Categorical (initiator → influencer → decider → buyer → user); the MAN code comes from
    :func:`crmlib.qualification.man_table`. ``check`` flags the two cases worth a second look: a
    *decider* without authority (find who really decides) and someone with authority outside the
    decider role (a hidden decision maker: involve them).

    >>> c = pd.DataFrame({"role": ["initiator", "decider", "user"], "money": [0, 1, 0],
    ...                   "authority": [1, 0, 0], "need": [1, 1, 1]}, index=["Ann", "Bo", "Cy"])
    >>> buying_roles(c)[["role", "man_code", "check"]]
              role man_code                    check
    Ann  initiator    m+A+N  authority outside decider
    Bo     decider    M+a+N  decider without authority
    Cy        user    m+a+N
    """
    func = "buying_roles"
    lang = i18n.resolve(lang, func)
    V.table(contacts, func, [role_col, money_col, authority_col, need_col], name="contacts")
    role = contacts[role_col].astype("string").str.strip().str.lower()
    codes = pd.Index(list(ROLES)).get_indexer(role)  # -1 = unknown (a Categorical would warn, later raise)
    bad = codes < 0
    if bad.any():
        V._fail(func, role_col, f"must be one of {list(ROLES)}", bad, contacts.index)
    with V.caller(func):
        man = man_table(contacts, money_col, authority_col, need_col, lang=lang)
    is_decider = codes == ROLES.index("decider")
    auth = man["authority"].to_numpy()
    check = np.where(
        is_decider & ~auth,
        i18n.text("dev_check_decider_without_authority", lang),
        np.where(~is_decider & auth, i18n.text("dev_check_authority_outside_decider", lang), ""),
    )
    advice = np.array([i18n.text(f"dev_role_advice_{r}", lang) for r in ROLES], dtype=object)
    out = pd.DataFrame(index=contacts.index)
    out["role"] = i18n.categorical(pd.Series(codes, index=contacts.index), [f"role_{r}" for r in ROLES], lang)
    out["man_code"] = man["man_code"]
    out["authority"] = auth
    out["check"] = check
    out["how_to_work_with"] = advice[codes]
    return out


def buying_center(
    contacts: pd.DataFrame,
    account_col: str = "account_id",
    name_col: str = "contact",
    role_col: str = "role",
    authority_col: str = "authority",
) -> pd.DataFrame:
    """Per account: who holds each buying role, which roles nobody covers yet, and who has
    authority by the MAN rule (the people the decision really rests on).

    >>> c = example_buying_center()
    >>> bc = buying_center(c)
    >>> bc.loc["A1", "decider"], bc.loc["A1", "has_authority"], bc.loc["A2", "missing_roles"]
    ('Ms Zhou', 'Ms Zhou, Mr Wang', 'buyer')
    """
    func = "buying_center"
    V.table(contacts, func, [account_col, name_col, role_col, authority_col], name="contacts")
    contacts = contacts.assign(**{account_col: V.ids(contacts[account_col], func, account_col)})  # 'K1 ' is 'K1'
    V.ids(contacts[name_col], func, name_col)
    role = contacts[role_col].astype("string").str.strip().str.lower()
    bad = ~role.isin(ROLES).to_numpy(dtype=bool)
    if bad.any():
        V._fail(func, role_col, f"must be one of {list(ROLES)}", bad, contacts.index)
    auth = V.flags(contacts[authority_col], func, authority_col).to_numpy()
    df = pd.DataFrame(
        {
            "account": contacts[account_col].to_numpy(),
            "name": contacts[name_col].astype(str).to_numpy(),
            "role": pd.Categorical(role, categories=list(ROLES)),
            "auth": auth,
        }
    )
    joined = (
        df.groupby(["account", "role"], observed=False, sort=True)["name"]
        .agg(lambda s: ", ".join(dict.fromkeys(s)))
        .unstack("role")
    )
    joined = joined.reindex(columns=list(ROLES)).fillna("")
    joined.columns = list(ROLES)
    missing = joined.eq("").apply(lambda r: ", ".join(c for c in ROLES if r[c]), axis=1)
    who = df[df["auth"]].groupby("account")["name"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    joined["missing_roles"] = missing
    joined["has_authority"] = who.reindex(joined.index).fillna("")
    joined.index.name = account_col
    return joined


def example_buying_center() -> pd.DataFrame:
    """A small made-up example: the contacts of two business accounts with role and MAN flags.

    A1 is a bakery chain buying delivery vans, A2 a clinic buying a laboratory analyser.

    >>> example_buying_center().shape
    (9, 7)
    """
    rows = [
        ("A1", "Mr Li", "driver supervisor", "initiator", False, False, True),
        ("A1", "Ms Chen", "head of logistics", "influencer", False, False, True),
        ("A1", "Ms Zhou", "managing director", "decider", True, True, True),
        ("A1", "Mr Wang", "purchasing manager", "buyer", True, True, False),
        ("A1", "Mr Li", "driver supervisor", "user", False, False, True),
        ("A2", "Dr Sun", "head of laboratory", "initiator", False, True, True),
        ("A2", "Dr Sun", "head of laboratory", "user", False, True, True),
        ("A2", "Mr Gao", "finance officer", "influencer", True, False, False),
        ("A2", "Ms Xu", "clinic manager", "decider", True, False, True),
    ]
    return pd.DataFrame(rows, columns=["account_id", "contact", "title", "role", "money", "authority", "need"])


# ============================================================================ AIDMAS funnel
def _stage_list(stages: Any, func: str) -> list[str]:
    if isinstance(stages, (str, bytes)) or not isinstance(stages, Iterable):
        raise CRMDataError(func, "stages", f"must be a sequence of stage names, got {stages!r}")
    st = [str(s) for s in stages]
    if len(st) < 2:
        raise CRMDataError(func, "stages", f"needs at least two stages, got {st!r}")
    dup = pd.Series(st).duplicated().to_numpy()
    if dup.any():
        V._fail(func, "stages", "repeats a stage name", dup, pd.Index(st))
    return st


def _funnel_frame(counts: np.ndarray, stages: list[str], lang: str) -> pd.DataFrame:
    """counts: groups × stages array → long table with conversion figures."""
    g, k = counts.shape
    prev = np.concatenate([counts[:, :1], counts[:, :-1]], axis=1).astype(float)
    first = np.repeat(counts[:, :1].astype(float), k, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        conv = np.where(prev > 0, counts / np.where(prev > 0, prev, 1), np.nan)
        share = np.where(first > 0, counts / np.where(first > 0, first, 1), np.nan)
    conv[:, 0] = np.where(counts[:, 0] > 0, 1.0, np.nan)
    labels = _stage_labels(stages, lang)
    return pd.DataFrame(
        {
            "label": np.tile(np.asarray(labels, dtype=object), g),
            "count": counts.reshape(-1).astype(np.int64),
            "conversion": conv.reshape(-1),
            "share_of_first": share.reshape(-1),
            "drop": (prev - counts).reshape(-1).astype(np.int64),
        }
    )


def funnel(
    leads: Any, stages: Sequence[str] = AIDMAS, stage_col: str = "stage", by: Any = None, lang: str | None = None
) -> pd.DataFrame:
    """The AIDMAS funnel (AIDMAS法则): how many leads reach each stage and the stage-to-stage
    conversion (转化率).

    ``leads`` may be

    * a table with ``stage_col`` holding each lead's furthest stage (one of ``stages``): a lead
      that reached *desire* also counts for *attention* and *interest*;
    * a table with one yes/no column per stage: a lead flagged for a stage but not for the one
      before it is an error (its rows are named);
    * the counts themselves (a dict or Series: stage → count), which must not grow from one
      stage to the next.

    ``by`` (a column name or a Series aligned with the table) splits the funnel into groups, e.g.
    channels or periods. Columns: ``label`` (stage name in ``lang``), ``count``, ``conversion``
    (count / count of the previous stage; 1 for the first, NaN after a stage nobody reached),
    ``share_of_first`` and ``drop`` (leads
    lost since the previous stage). Index: the stage, or (group, stage) with ``by``.

    >>> funnel({"attention": 100, "interest": 40, "desire": 10}, stages=["attention", "interest", "desire"])
                   label  count  conversion  share_of_first  drop
    stage
    attention  attention    100        1.00            1.00     0
    interest    interest     40        0.40            0.40    60
    desire        desire     10        0.25            0.10    30
    >>> funnel({"attention": 10, "interest": 12}, stages=["attention", "interest"])
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: funnel: field 'interest' has more than the stage before it (12 > 10) (rows 'interest')
    """
    func = "funnel"
    lang = i18n.resolve(lang, func)
    st = _stage_list(stages, func)
    k = len(st)
    if isinstance(leads, (Mapping, pd.Series)) and not isinstance(leads, pd.DataFrame):
        if by is not None:
            raise CRMDataError(func, "by", "needs a table of leads, not counts")
        s = pd.Series(leads) if isinstance(leads, Mapping) else leads
        missing = [x for x in st if x not in s.index]
        if missing:
            raise CRMDataError(
                func,
                ", ".join(missing),
                "is missing from the counts",
                detail=f"counts given for: {list(map(str, s.index))}",
            )
        vals = V.numeric(s.reindex(st), func, "counts")
        frac = (vals != np.round(vals)).to_numpy()
        if frac.any():
            V._fail(func, "counts", "must be whole numbers of leads", frac, vals.index)
        c = vals.to_numpy()
        up = np.flatnonzero(c[1:] > c[:-1])
        if up.size:
            i = int(up[0]) + 1
            V._fail(
                func,
                st[i],
                f"has more than the stage before it ({c[i]:.0f} > {c[i - 1]:.0f})",
                np.isin(np.arange(k), up + 1),
                pd.Index(st),
            )
        out = _funnel_frame(c.reshape(1, k), st, lang)
        out.index = pd.Index(st, name="stage")
        return out

    V.table(leads, func, [], name="leads")
    if not isinstance(stage_col, str):
        raise CRMDataError(func, "stage_col", f"must be a column name, got {stage_col!r}")
    n = len(leads)
    if by is None:
        gcodes, groups = np.zeros(n, dtype=np.int64), None
    else:
        gser = leads[by] if isinstance(by, str) and by in leads.columns else by
        if isinstance(by, str) and by not in leads.columns:
            V.table(leads, func, [by], name="leads")
        if not isinstance(gser, pd.Series) or len(gser) != n:
            raise CRMDataError(func, "by", "must be a column name or a Series as long as the table")
        gser = V.ids(pd.Series(gser.to_numpy(), index=leads.index), func, "by")
        gcodes, groups = pd.factorize(gser, sort=True)
    ng = 1 if groups is None else len(groups)

    if stage_col in leads.columns:
        text = leads[stage_col].astype("string").str.strip().str.lower()
        pos = pd.Index([x.lower() for x in st]).get_indexer(text)  # -1 = not a stage
        bad = pos < 0
        if bad.any():
            V._fail(func, stage_col, f"must be one of the stages {st}", bad, leads.index)
        hist = np.bincount(gcodes * k + pos, minlength=ng * k).reshape(ng, k)
        counts = hist[:, ::-1].cumsum(axis=1)[:, ::-1]  # reached = at or beyond the stage
    elif all(x in leads.columns for x in st):
        flags = np.column_stack([V.flags(leads[x], func, x).to_numpy(dtype=bool) for x in st])
        skipped = flags[:, 1:] & ~flags[:, :-1]
        if skipped.any():
            j = int(np.flatnonzero(skipped.any(axis=0))[0])
            V._fail(func, st[j + 1], f"is reached without the stage before it ('{st[j]}')", skipped[:, j], leads.index)
        counts = np.stack([np.bincount(gcodes, weights=flags[:, j], minlength=ng) for j in range(k)], axis=1).astype(
            np.int64
        )
    else:
        V.table(leads, func, [stage_col], name="leads")  # names the missing column
        raise AssertionError("unreachable")  # pragma: no cover
    out = _funnel_frame(counts, st, lang)
    if groups is None:
        out.index = pd.Index(st, name="stage")
    else:
        out.index = pd.MultiIndex.from_product([list(groups), st], names=["group", "stage"])
    return out


# ============================================================================ Franklin balance
@dataclass(frozen=True)
class FranklinResult:
    """The Franklin balance sheet: the weighed items and the verdict."""

    table: pd.DataFrame
    for_buying: float
    against: float
    balance: float
    verdict: str


def _points(x: Any, func: str, field: str) -> pd.Series:
    """Items with weights from a dict, a list of items (weight 1) or text lines ``item: weight``."""
    if x is None:
        return pd.Series(dtype=float)
    if isinstance(x, str):
        items: dict[str, Any] = {}
        for line in x.splitlines():
            line = line.strip().lstrip("-*• ").strip()
            if not line:
                continue
            name, sep, w = line.rpartition(":")
            if not sep:
                name, w = line, "1"
            w = w.strip()
            try:
                items[name.strip()] = float(w)
            except ValueError:
                items[name.strip() or line] = w
        x = items
    if isinstance(x, Mapping):
        s = pd.Series(list(x.values()), index=[str(k) for k in x.keys()], dtype=object)
    elif isinstance(x, Iterable):
        names = [str(v) for v in x]
        s = pd.Series([1.0] * len(names), index=names, dtype=object)
    else:
        raise CRMDataError(func, field, f"must be text lines, a dict or a list of items, got {type(x).__name__}")
    w = V.numeric(s, func, field)
    big = (w > 10).to_numpy()
    if big.any():
        V._fail(func, field, "weights must lie in [0, 10]", big, w.index)
    return w


def franklin_balance(
    benefits: Any, losses: Any = None, objections: Any = None, lang: str | None = None
) -> FranklinResult:
    """The Franklin balance sheet (富兰克林式表达), a persuasion aid (说服客户).

    The salesperson lists, with a weight from 0 to 10, each **benefit** the customer gains by
    buying (好处) and each **loss** the customer suffers by not buying (损失); together they are the
    case *for* buying. The customer's **objections** (顾虑: price, switching effort, risk) sit on the
    other pan. Items may be given as a dict, as a list (weight 1 each), or as text with one
    ``item: weight`` per line.

    >>> r = franklin_balance("saves 2 hours a day: 3\\nfewer errors: 2", ["late deliveries go on"],
    ...                      {"price": 4})
    >>> r.for_buying, r.against, r.balance
    (6.0, 4.0, 2.0)
    >>> r.verdict
    'The case for buying outweighs the objections by 2.0.'
    """
    func = "franklin_balance"
    lang = i18n.resolve(lang, func)
    parts = [
        (_points(benefits, func, "benefits"), "franklin_benefit", 1.0),
        (_points(losses, func, "losses"), "franklin_loss", 1.0),
        (_points(objections, func, "objections"), "franklin_objection", -1.0),
    ]
    rows = [
        pd.DataFrame(
            {
                "side": i18n.label(key, lang),
                "item": s.index.astype(str),
                "weight": s.to_numpy(),
                "signed": sign * s.to_numpy(),
            }
        )
        for s, key, sign in parts
    ]
    table = pd.concat(rows, ignore_index=True)
    if len(table) == 0:
        raise CRMDataError(func, "benefits", "the balance sheet is empty: list at least one item")
    pro = float(parts[0][0].sum() + parts[1][0].sum())
    con = float(parts[2][0].sum())
    bal = pro - con
    verdict = i18n.text(
        "dev_franklin_for" if bal > 0 else "dev_franklin_against" if bal < 0 else "dev_franklin_level",
        lang,
        balance=abs(bal),
    )
    table["side"] = pd.Categorical(
        table["side"],
        categories=i18n.categories(["franklin_benefit", "franklin_loss", "franklin_objection"], lang),
        ordered=True,
    )
    return FranklinResult(table, pro, con, bal, verdict)


# ============================================================================ the 12-contact rule
def _contact_inputs(contacts: pd.DataFrame, func: str, contacts_col: str, status_col: str, value_col: str):
    V.table(contacts, func, [contacts_col, status_col, value_col], name="contacts")
    n = V.numeric(contacts[contacts_col], func, contacts_col)
    frac = (n != np.round(n)).to_numpy()
    if frac.any():
        V._fail(func, contacts_col, "must be whole numbers of contacts", frac, n.index)
    status = contacts[status_col].astype("string").str.strip().str.lower()
    code = pd.Index(list(STATUSES)).get_indexer(status)  # -1 = unknown status
    bad = code < 0
    if bad.any():
        V._fail(func, status_col, f"must be one of {list(STATUSES)}", bad, contacts.index)
    value = V.numeric(contacts[value_col], func, value_col).to_numpy()
    return n.to_numpy(), code, value


def contact_rule(
    contacts: pd.DataFrame,
    limit: int = 12,
    contacts_col: str = "contacts",
    status_col: str = "status",
    value_col: str = "value",
    lang: str | None = None,
) -> pd.DataFrame:
    """The 12-contact rule (12次沟通): after ``limit`` contacts without a deal, pause the prospect.

    On average a deal needs about twelve contacts: fewer and the two sides do not know each other
    well enough, more and development costs run away. Per lead this gives the ``action`` for open
    leads (*keep contacting* below the limit, *pause* at or above it) and, for closed leads,
    looking back, what the rule would have changed: ``saved_contacts`` (contacts beyond the
    limit, on won and lost leads alike) and ``lost_value`` (the value of deals that were only won
    after more than ``limit`` contacts). :func:`contact_limit_tradeoff` adds it all up.

    >>> leads = pd.DataFrame({"contacts": [3, 14, 12, 15, 20], "status": ["open", "open", "won", "won", "lost"],
    ...                       "value": [0.0, 0.0, 500.0, 800.0, 0.0]})
    >>> contact_rule(leads)[["action", "saved_contacts", "lost_value"]]
                 action  saved_contacts  lost_value
    0  keep contacting               0         0.0
    1             pause               0         0.0
    2               won               0         0.0
    3               won               3       800.0
    4              lost               8         0.0
    """
    func = "contact_rule"
    lang = i18n.resolve(lang, func)
    lim = V.integer(limit, func, "limit", lo=1)
    n, code, value = _contact_inputs(contacts, func, contacts_col, status_col, value_col)
    closed = code > 0
    action = np.where(code == 0, np.where(n >= lim, 1, 0), np.where(code == 1, 2, 3))
    out = pd.DataFrame(index=contacts.index)
    out["contacts"] = n.astype(np.int64)
    out["action"] = i18n.categorical(pd.Series(action, index=contacts.index), ACTION_KEYS, lang)
    out["saved_contacts"] = np.where(closed, np.maximum(n - lim, 0), 0).astype(np.int64)
    out["lost_value"] = np.where((code == 1) & (n > lim), value, 0.0)
    return out


def contact_limit_tradeoff(
    contacts: pd.DataFrame,
    limits: Any = range(1, 31),
    contact_cost: float = CONTACT_COST,
    margin: float = 0.3,
    contacts_col: str = "contacts",
    status_col: str = "status",
    value_col: str = "value",
) -> pd.DataFrame:
    """What a contact limit saves versus the deals it loses, for several limits, on closed leads.

    For each limit L: ``saved_contacts`` = contacts beyond L on closed (won or lost) leads,
    ``saved_cost`` = saved_contacts × ``contact_cost``; ``lost_deals`` and ``lost_value`` = deals won
    only after more than L contacts; ``lost_margin`` = ``margin`` × lost_value; ``net`` =
    saved_cost − lost_margin (positive: the limit pays); ``paused_open`` = open leads the rule
    would pause now. Vectorised over leads and limits (sorting and cumulative sums).

    >>> leads = pd.DataFrame({"contacts": [3, 14, 12, 15, 20], "status": ["open", "open", "won", "won", "lost"],
    ...                       "value": [0.0, 0.0, 500.0, 800.0, 0.0]})
    >>> t = contact_limit_tradeoff(leads, limits=[12], contact_cost=10, margin=0.5)
    >>> t.loc[12].tolist()
    [1.0, 11.0, 110.0, 1.0, 800.0, 400.0, -290.0]
    """
    func = "contact_limit_tradeoff"
    cc = V.number(contact_cost, func, "contact_cost", 0)
    mg = V.number(margin, func, "margin", 0, 1)
    if isinstance(limits, (str, bytes)) or not isinstance(limits, Iterable):
        raise CRMDataError(func, "limits", f"must be a list of whole numbers, got {limits!r}")
    lims = np.asarray([V.integer(x, func, "limits", lo=1) for x in limits], dtype=np.int64)
    if lims.size == 0:
        raise CRMDataError(func, "limits", "needs at least one limit")
    n, code, value = _contact_inputs(contacts, func, contacts_col, status_col, value_col)

    def beyond(x: np.ndarray, w: np.ndarray | None = None):
        """count, sum of x and sum of w over x > L, for every L (sorted x + suffix sums)."""
        order = np.argsort(x, kind="stable")
        xs = x[order]
        suf = np.concatenate([np.cumsum(xs[::-1])[::-1], [0.0]])
        ws = np.concatenate([np.cumsum((w[order] if w is not None else np.zeros_like(xs))[::-1])[::-1], [0.0]])
        i = np.searchsorted(xs, lims, side="right")
        return xs.size - i, suf[i], ws[i]

    cnt_c, sum_c, _ = beyond(n[code > 0])
    cnt_w, _, val_w = beyond(n[code == 1], value[code == 1])
    saved = sum_c - lims * cnt_c
    paused = np.searchsorted(np.sort(n[code == 0]), lims, side="left")
    paused = (code == 0).sum() - paused
    out = pd.DataFrame(
        {
            "paused_open": paused.astype(np.int64),
            "saved_contacts": saved.astype(np.int64),
            "saved_cost": saved * cc,
            "lost_deals": cnt_w.astype(np.int64),
            "lost_value": val_w,
            "lost_margin": val_w * mg,
        },
        index=pd.Index(lims, name="limit"),
    )
    out["net"] = out["saved_cost"] - out["lost_margin"]
    return out


# ============================================================================ acquisition economics
def acquisition_economics(
    budget: float = 10_000.0,
    retention_cost: float = 50.0,
    multiple: float = 5.5,
    customer_value: float = 300.0,
    acquisition_cost: float | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Spend a budget on winning new customers or on keeping existing ones (争取新客户的成本)?

    The seeds quote a rule of thumb: a new customer costs 5–6 times as much to win as an existing
    one costs to keep (``multiple``). Keeping one customer who would otherwise leave costs
    ``retention_cost``; winning one costs ``acquisition_cost`` (default ``multiple`` ×
    retention_cost; pass a measured cost per acquisition instead, e.g. from
    :func:`channel_report`, and the implied multiple is reported). Each customer won or kept is
    worth ``customer_value`` (e.g. a year's margin). A rule of thumb, not a law: measure your own.

    >>> e = acquisition_economics(budget=1100, retention_cost=20, multiple=5.5, customer_value=200)
    >>> e[["cost_per_customer", "customers", "net"]]
              cost_per_customer  customers     net
    strategy
    acquire               110.0       10.0   900.0
    retain                 20.0       55.0  9900.0
    """
    func = "acquisition_economics"
    lang = i18n.resolve(lang, func)
    b = V.number(budget, func, "budget", 0, closed="neither")
    r = V.number(retention_cost, func, "retention_cost", 0, closed="neither")
    cv = V.number(customer_value, func, "customer_value", 0)
    if acquisition_cost is None:
        m = V.number(multiple, func, "multiple", 0, closed="neither")
        a = m * r
    else:
        a = V.number(acquisition_cost, func, "acquisition_cost", 0, closed="neither")
        m = a / r
    cost = np.array([a, r])
    customers = b / cost
    value = customers * cv
    out = pd.DataFrame(
        {
            "label": i18n.categories(["acq_acquire", "acq_retain"], lang),
            "cost_per_customer": cost,
            "customers": customers,
            "value": value,
            "net": value - b,
            "return": np.round((value - b) / b, 3),
        },
        index=pd.Index(["acquire", "retain"], name="strategy"),
    )
    out.attrs["multiple"] = m
    return out
