"""Bundled datasets and the seeded generators behind them (数据集).

Two synthetic tables feed the whole workbook:

* ``retail_transactions`` — a retail purchase log (交易记录) made by :func:`make_transactions`,
  one row per purchase, with customer-level region, segment and preferred channel. The purchase
  process is the BG/NBD story (each customer buys at a gamma-distributed rate until a
  beta-distributed dropout ends the relationship), so recency, frequency and monetary value
  (RFM), customer lifetime value (CLV) and "lost" customers all behave as in real data.
* ``prospects`` — a prospect list (潜在客户名单) made by :func:`make_prospects` for the MAN rule
  (money · authority · need) and the deal-time classes.

The committed CSVs in the top-level ``datasets/`` folder (installed as ``crmlib._data``) are the
generators' output with their default arguments; :func:`regenerate` (``crmlib data regenerate``,
``make data``) rewrites them byte-identically. :func:`load_dataset` reads them through
``importlib.resources``, so it works from any install and any working directory.

>>> {"prospects", "retail_transactions"} <= set(list_datasets())
True
>>> load_dataset("prospects").shape
(600, 7)
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from crmlib import _validate
from crmlib._errors import CRMDataError

__all__ = [
    "make_transactions",
    "make_prospects",
    "load_dataset",
    "list_datasets",
    "dataset_path",
    "regenerate",
    "CHANNELS",
    "REGIONS",
    "SEGMENTS",
    "SOURCES",
    "ROWS_PER_CUSTOMER",
]

_DATA_PACKAGE = "crmlib._data"

# ----------------------------------------------------------------------------- vocabularies
CHANNELS: tuple[str, ...] = ("store", "online", "app", "phone")
REGIONS: tuple[str, ...] = ("North", "East", "South", "West", "Central")
SEGMENTS: tuple[str, ...] = ("consumer", "small business", "corporate")
SOURCES: tuple[str, ...] = (
    "door-to-door", "referral chain", "phone", "mail", "network",
    "club", "trade fair", "data search", "observation", "competitor",
)

#: Average number of purchase rows per customer with the default model parameters and the
#: default two-year window (measured: 1,000,000 rows need about 130,000 customers).
ROWS_PER_CUSTOMER: float = 7.8

# ----------------------------------------------------------------------------- model parameters
# Purchase process (BG/NBD, time in days): rate λ ~ Gamma(shape, scale), dropout p ~ Beta(a, b).
_RATE_SHAPE = 1.0          # r: shape of the gamma distribution of purchase rates
_RATE_SCALE = 1.0 / 20.0   # 1/α: mean rate 0.05 purchases a day (median gap ≈ 4 weeks)
_DROP_A, _DROP_B = 1.2, 8.0  # dropout probability after each purchase, mean ≈ 0.13
_MAX_PURCHASES = 200       # cap on purchases per customer (a vectorised draw needs a bound)
_JOIN_BETA = (1.0, 1.3)    # join dates: Beta over the window, a little denser early on
_SEGMENT_P = (0.70, 0.20, 0.10)
_SEGMENT_SPEND = (1.0, 2.2, 4.0)      # basket multiplier per segment
_SEGMENT_RATE = (1.0, 1.15, 1.25)     # purchase-rate multiplier per segment
_BASKET_MEDIAN = 45.0      # median list-price basket of a consumer (currency units)
_BASKET_SIGMA = 0.75       # log-normal spread of customers' mean baskets
_BASKET_SHAPE = 4.0        # per-purchase basket ~ mean × Gamma(4, 1/4): CV 0.5 around the mean
_REGION_P = (0.22, 0.26, 0.20, 0.14, 0.18)
_CHANNEL_P = (             # preferred channel by segment (store, online, app, phone)
    (0.42, 0.30, 0.22, 0.06),
    (0.30, 0.35, 0.10, 0.25),
    (0.15, 0.35, 0.05, 0.45),
)
_CHANNEL_LOYALTY = 0.8     # share of purchases made in the preferred channel (the rest: any)
_DEAL_P = (0.28, 0.20, 0.12)  # share of deal seekers by segment (≈ 25 % overall)
_DEAL_SPEND = 0.8          # deal seekers' baskets are a little smaller
_DEAL_HIGH = 0.85          # share of a deal seeker's purchases made on a deep discount
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
        raise CRMDataError(func, "start, end",
                           f"start must be before end, got start={t0.date()} and end={t1.date()}")
    return t0, t1


# ----------------------------------------------------------------------------- transactions
def make_transactions(n_customers: int = 3000, seed: int = 2024, start: Any = "2023-01-01",
                      end: Any = "2024-12-31") -> pd.DataFrame:
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
    seed = _check_seed(seed, func)
    t0, t1 = _window(start, end, func)
    rng = np.random.default_rng(seed)
    span = (t1 - t0).days + 1                      # days in the window, both ends included

    # --- customers (one row per customer; sorted by join day so ids follow joining order)
    join = np.sort(np.floor(span * rng.beta(*_JOIN_BETA, size=n)))
    seg = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_P)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_P)
    cum = np.cumsum(np.asarray(_CHANNEL_P), axis=1)[seg]          # n × 4 cumulative shares
    pref = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), len(CHANNELS) - 1)
    deal = rng.random(n) < np.asarray(_DEAL_P)[seg]
    rate = rng.gamma(_RATE_SHAPE, _RATE_SCALE, size=n) * np.asarray(_SEGMENT_RATE)[seg]
    drop = rng.beta(_DROP_A, _DROP_B, size=n)
    basket = (_BASKET_MEDIAN * np.exp(_BASKET_SIGMA * rng.standard_normal(n))
              * np.asarray(_SEGMENT_SPEND)[seg] * np.where(deal, _DEAL_SPEND, 1.0))

    # --- purchases: number before dropout ~ Geometric(p) (capped), exponential gaps
    life = np.minimum(rng.geometric(drop), _MAX_PURCHASES)
    cust = np.repeat(np.arange(n), life)
    first = np.cumsum(life) - life                 # position of each customer's first purchase
    seq = np.arange(cust.size) - first[cust]       # 0 = the join purchase
    gaps = rng.exponential(1.0, size=cust.size) / rate[cust]
    gaps[seq == 0] = 0.0
    clock = np.cumsum(gaps)
    day = np.floor(clock - clock[first][cust] + join[cust])
    keep = day < span                              # purchases after `end` are not observed
    cust, seq, day = cust[keep], seq[keep], day[keep].astype(np.int64)
    m = cust.size

    # --- baskets, discounts, margins per purchase
    is_deal = deal[cust]
    list_price = np.maximum(basket[cust] * rng.gamma(_BASKET_SHAPE, 1.0 / _BASKET_SHAPE, size=m), 1.0)
    u = rng.random(m)
    deep = 0.2 + 0.4 * rng.beta(2.0, 3.5, size=m)             # 20–60 %, mean ≈ 35 %
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
    margin = np.round(amount - cost, 2) + 0.0                  # + 0.0 turns -0.0 into 0.0

    # --- channel: mostly the preferred one
    other = rng.integers(0, len(CHANNELS), size=m)
    channel = np.where(rng.random(m) < _CHANNEL_LOYALTY, pref[cust], other)

    # --- assemble in date order
    order = np.lexsort((seq, cust, day))
    cust, day = cust[order], day[order]
    ids = _ids("C", n, 5)
    dates = (np.datetime64(t0.date(), "D") + day).astype("datetime64[ns]")
    return pd.DataFrame({
        "transaction_id": np.arange(1, m + 1, dtype=np.int64),
        "customer_id": _take(ids, cust),
        "date": dates,
        "amount": amount[order],
        "discount_pct": disc[order],
        "margin": margin[order],
        "channel": _take(CHANNELS, channel[order]),
        "region": _take(REGIONS, region[cust]),
        "segment": _take(SEGMENTS, seg[cust]),
    })


# ----------------------------------------------------------------------------- prospects
# Source quality (shift of the latent "fit" of a prospect) and share of the list.
_SOURCE_P = (0.08, 0.12, 0.16, 0.10, 0.10, 0.06, 0.10, 0.14, 0.06, 0.08)
_SOURCE_SHIFT = (-0.3, 0.6, -0.2, -0.4, 0.4, 0.3, 0.2, -0.1, 0.0, 0.1)
_MAN_THRESHOLD = (0.05, 0.2, -0.15)   # money, authority, need: latent cut-offs
_CLOSE_MEDIAN = (105.0, 66.0, 40.0, 21.0)  # median days to close by number of M/A/N flags
_CLOSE_SIGMA = 0.55
_VALUE_MEDIAN = 6000.0
_VALUE_SIGMA = 1.0


def make_prospects(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """A synthetic prospect list (潜在客户名单) for the MAN rule and deal-time classes.

    Each prospect comes from a prospecting method (``source``: door-to-door 逐户访问,
    referral chain 连锁介绍, phone, mail, network 人际关系, club, trade fair 展会,
    data search 资料查阅, observation 观察, competitor 竞争对手). Money (购买力), authority
    (决策权) and need (需求) are yes/no flags driven by one latent "fit" score plus noise, so
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
    value = (_VALUE_MEDIAN * np.exp(_VALUE_SIGMA * rng.standard_normal(n))
             * np.where(flags[:, 0], 1.6, 1.0) * np.where(flags[:, 1], 1.3, 1.0))
    return pd.DataFrame({
        "prospect_id": _take(_ids("P", n, 4), np.arange(n)),
        "source": _take(SOURCES, src),
        "money": flags[:, 0].copy(),
        "authority": flags[:, 1].copy(),
        "need": flags[:, 2].copy(),
        "expected_close_days": close.astype(np.int64),
        "estimated_value": np.round(value, 2),
    })


# ----------------------------------------------------------------------------- chapter 2: B2B accounts and invoices


# ----------------------------------------------------------------------------- chapter 3: leads and pipeline


# ----------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class _Spec:
    make: Callable[[], pd.DataFrame]
    dtypes: dict[str, str]
    dates: tuple[str, ...]        # written as YYYY-MM-DD, read back as datetime64[ns]
    bools: tuple[str, ...]        # written as True/False, read back as bool
    formats: dict[str, str]       # fixed float formatting in the CSV


_SPECS: dict[str, _Spec] = {
    "retail_transactions": _Spec(
        make=make_transactions,
        dtypes={"transaction_id": "int64", "customer_id": "str", "date": "str",
                "amount": "float64", "discount_pct": "float64", "margin": "float64",
                "channel": "str", "region": "str", "segment": "str"},
        dates=("date",),
        bools=(),
        formats={"amount": "%.2f", "discount_pct": "%.3f", "margin": "%.2f"},
    ),
    "prospects": _Spec(
        make=make_prospects,
        dtypes={"prospect_id": "str", "source": "str", "money": "str", "authority": "str",
                "need": "str", "expected_close_days": "int64", "estimated_value": "float64"},
        dates=(),
        bools=("money", "authority", "need"),
        formats={"estimated_value": "%.2f"},
    ),
    # ---- chapter 2 datasets (accounts, invoices) below this line
    # ---- chapter 3 datasets (leads) below this line
}


def list_datasets() -> list[str]:
    """Names of the bundled datasets, for :func:`load_dataset`.

    >>> "retail_transactions" in list_datasets(), list_datasets() == sorted(list_datasets())
    (True, True)
    """
    return sorted(_SPECS)


def _spec(name: Any, func: str) -> _Spec:
    if not isinstance(name, str) or name not in _SPECS:
        raise CRMDataError(func, "name", f"unknown dataset {name!r}",
                           detail=f"available datasets: {', '.join(list_datasets())}")
    return _SPECS[name]


def _resource(name: str):
    return resources.files(_DATA_PACKAGE).joinpath(f"{name}.csv")


def dataset_path(name: str) -> Path:
    """Path of the committed CSV of dataset ``name`` inside the installed package.

    >>> dataset_path("prospects").name
    'prospects.csv'
    """
    func = "dataset_path"
    _spec(name, func)
    res = _resource(name)
    if not isinstance(res, Path):  # e.g. a zipped install: there is no file to point to
        raise CRMDataError(func, "name", f"dataset {name!r} is not a file on disk here",
                           detail="read it with load_dataset(name) instead")
    return res


def load_dataset(name: str) -> pd.DataFrame:
    """Read a bundled dataset (``list_datasets()`` names them) with its documented dtypes.

    Dates come back as datetime64[ns], yes/no columns as bool, identifiers and labels as
    strings; the frame equals the generator's output with its default arguments.

    >>> tx = load_dataset("retail_transactions")
    >>> str(tx["date"].dtype), str(tx["amount"].dtype)
    ('datetime64[ns]', 'float64')
    >>> load_dataset("nope")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: load_dataset: field 'name' unknown dataset 'nope'; available datasets: ...
    """
    func = "load_dataset"
    spec = _spec(name, func)
    res = _resource(name)
    try:
        with res.open("rb") as fh:
            # everything as text first, so a hand-edited cell is reported with its row
            df = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise CRMDataError(func, "name", f"the file of dataset {name!r} is missing from the install",
                           detail="run `crmlib data regenerate` or reinstall crmlib") from exc
    except (ValueError, UnicodeDecodeError) as exc:  # e.g. ragged rows or a binary file
        raise CRMDataError(func, "name", f"{name}.csv cannot be read: {exc}") from exc
    _validate.table(df, func, required=list(spec.dtypes), name=f"{name}.csv")
    df = df[list(spec.dtypes)]
    for col, dtype in spec.dtypes.items():
        if dtype == "float64":
            df[col] = _validate.numeric(df[col], func, col, allow_negative=True).to_numpy()
        elif dtype == "int64":
            v = _validate.numeric(df[col], func, col, allow_negative=True)
            frac = (v != np.round(v)).to_numpy()
            if frac.any():
                _validate._fail(func, col, "must hold whole numbers", frac, v.index)
            df[col] = v.to_numpy(dtype=np.int64)
    for col in spec.dates:
        parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        if parsed.isna().any():  # another layout: parse it leniently, or name the offending rows
            parsed = _validate.dates(df[col], func, col)
        df[col] = pd.Series(parsed.to_numpy(), index=df.index).astype("datetime64[ns]")
    for col in spec.bools:
        text = df[col]
        if text.isin(["True", "False"]).all():
            df[col] = (text == "True").to_numpy(dtype=bool)
        else:  # hand-edited file: accept yes/no, 1/0, 是/否 and name anything else
            df[col] = _validate.flags(text, func, col).to_numpy(dtype=bool)
    return df


def _csv_bytes(name: str, df: pd.DataFrame) -> bytes:
    """The exact bytes of a dataset's CSV: fixed float formats, ISO dates, True/False, LF."""
    spec = _SPECS[name]
    out = df.copy()
    for col, fmt in spec.formats.items():
        out[col] = np.char.mod(fmt, out[col].to_numpy(dtype=np.float64))
    for col in spec.dates:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def regenerate(out: str | os.PathLike[str] | None = None) -> list[Path]:
    """Rewrite every bundled CSV from its generator's defaults, byte-identically each time.

    ``out`` is the folder to write to; by default the installed ``crmlib._data`` folder (the
    repository's ``datasets/`` in an editable install). Returns the paths written.
    The command line form is ``crmlib data regenerate [--out FOLDER]`` (or ``make data``).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     names = [p.name for p in regenerate(tmp)]
    >>> {"prospects.csv", "retail_transactions.csv"} <= set(names)
    True
    """
    func = "regenerate"
    if out is None:
        folder = resources.files(_DATA_PACKAGE)
        if not isinstance(folder, Path):
            raise CRMDataError(func, "out", "the installed data folder is not a folder on disk",
                               detail="pass out=... to choose where to write")
    else:
        if not isinstance(out, (str, os.PathLike)) or str(out).strip() == "":
            raise CRMDataError(func, "out", f"must be a folder path, got {out!r}")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise CRMDataError(func, "out", f"{str(folder)!r} exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in list_datasets():
        path = Path(folder) / f"{name}.csv"
        path.write_bytes(_csv_bytes(name, _SPECS[name].make()))
        written.append(path)
    return written
