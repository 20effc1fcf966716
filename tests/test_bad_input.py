"""A table-driven catalogue of the bad inputs users really produce, for every public function.

Each public function of the topic modules has an entry in ``CATALOGUE`` (a test fails when a new
public function has none, so it gets covered). An entry is a list of cases:

* ``bad(...)`` — the call must raise :class:`crmlib.CRMDataError` whose message names the function,
  the field and (where there are rows) the offending rows; never a raw pandas/numpy/KeyError/
  TypeError traceback and never a silent NaN;
* ``ok(...)`` — inputs that look odd but are legitimate (a single customer, all-equal values, huge
  values, an ``as_of`` after the data): the call must return the hand-computed value, with no
  NaN/inf where the function promises numbers;
* ``table_cases(...)`` — generated cases for a function taking a DataFrame: the table missing,
  of the wrong type or empty, each required column missing or misspelt, missing/blank/duplicated
  ids, ``"1,234.5"``/text/NaN/inf/negative entries in number columns, unparseable, missing or
  mixed-format dates, yes/no columns holding anything else.

Classes that only carry results (``NPSResult``, ``AgingReport``, …) are listed in ``NO_INPUT``
with the reason; models (``BetaGeo`` …) are covered through their ``fit``/prediction methods.
"""
from __future__ import annotations

import importlib
import inspect
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from _support import expect_error

from crmlib import CRMDataError
from crmlib import casework as CW
from crmlib import clv, datasets, development, exercises, i18n, loyalty, params, qualification
from crmlib import receivables, satisfaction, segmentation, selection

MODULES = ["segmentation", "qualification", "selection", "receivables", "development", "satisfaction",
           "loyalty", "clv", "casework", "datasets", "exercises", "i18n", "params", "plots"]


def public_functions(module_name: str) -> list[str]:
    """The public callables defined in ``crmlib.<module_name>`` (``__all__`` if it has one)."""
    mod = importlib.import_module(f"crmlib.{module_name}")
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n, o in vars(mod).items()
                 if not n.startswith("_") and callable(o) and getattr(o, "__module__", None) == mod.__name__]
    return [n for n in names if callable(getattr(mod, n)) and not n.startswith("_")]


# ============================================================================ the case machinery
@dataclass
class Case:
    key: str            # "module.function"
    name: str           # what is wrong with the input
    run: Callable[[], None]


CATALOGUE: dict[str, list[Case]] = {}
NO_INPUT: dict[str, str] = {}
TABLES: list[tuple[str, Callable[[], pd.DataFrame]]] = []     # (function, a good table), for column keywords


def _add(key: str, name: str, run: Callable[[], None]) -> None:
    CATALOGUE.setdefault(key, []).append(Case(key, name, run))


def bad(key: str, name: str, call: Callable[[], Any], field: str, rows=None, func: str | None = None,
        contains: tuple[str, ...] = ()) -> None:
    """``call()`` must raise CRMDataError naming ``func`` (default: the function), field and rows."""
    f = func or key.split(".")[-1]
    if field is None:           # an error about the object itself (e.g. a model not fitted yet)
        def run():
            with pytest.raises(CRMDataError) as info:
                call()
            assert info.value.func == f and info.value.field is None, str(info.value)
            assert all(t in str(info.value) for t in contains), str(info.value)
        _add(key, name, run)
        return
    _add(key, name, lambda: expect_error(call, f, field, rows, contains))


def ok(key: str, name: str, call: Callable[[], Any], check: Callable[[Any], Any] | Any) -> None:
    """``call()`` must succeed; ``check`` is a value to compare with, or a function asserting on it."""
    def run():
        result = call()
        if callable(check):
            assert check(result) is not False, result
        else:
            assert _same(result, check), f"{result!r} != {check!r}"
    _add(key, name, run)


def _same(a, b) -> bool:
    if isinstance(b, float):
        return isinstance(a, (int, float, np.number)) and math.isclose(float(a), b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(list(a), b))
    return a == b


def finite(obj, cols=None) -> bool:
    """No NaN/inf in the numeric content of a result (a number, Series or DataFrame)."""
    if isinstance(obj, pd.DataFrame):
        frame = obj[cols] if cols is not None else obj
        num = frame.select_dtypes(include=[np.number])
        assert np.isfinite(num.to_numpy(dtype=float)).all(), f"NaN/inf in\n{num[~np.isfinite(num).all(axis=1)]}"
        return True
    if isinstance(obj, pd.Series):
        if pd.api.types.is_numeric_dtype(obj.dtype) and not pd.api.types.is_bool_dtype(obj.dtype):
            assert np.isfinite(obj.to_numpy(dtype=float)).all(), f"NaN/inf in\n{obj}"
        return True
    v = np.asarray(obj, dtype=float)
    assert np.isfinite(v).all(), v
    return True


def finite_result(result, nan_ok=()) -> None:
    """No NaN/inf in a result's numbers, except in the ``nan_ok`` columns (or labels of a Series)."""
    for attr in ("total", "steps", "by_category", "table"):          # result records
        if hasattr(result, attr) and isinstance(getattr(result, attr), (pd.DataFrame, pd.Series)):
            return finite_result(getattr(result, attr), nan_ok)
    if isinstance(result, pd.DataFrame):
        finite(result.drop(columns=[c for c in nan_ok if c in result.columns]))
    elif isinstance(result, pd.Series):
        finite(result.drop([c for c in nan_ok if c in result.index]))
    elif isinstance(result, (int, float, np.number)):
        finite(result)


def _set(df: pd.DataFrame, pos: int, col: str, value) -> pd.DataFrame:
    out = df.copy()
    if not (pd.isna(value) if np.isscalar(value) else False) or out[col].dtype.kind not in "fc":
        out[col] = out[col].astype(object)
    out.iloc[pos, out.columns.get_loc(col)] = value
    return out


def table_cases(key: str, call: Callable[[pd.DataFrame], Any], make: Callable[[], pd.DataFrame],
                name: str, required=(), ids=(), unique=(), money=(), signed=(), dates=(), flags=(),
                pos: int = 1, empty_ok: bool = False, func: str | None = None, row_id: str | None = None,
                id_pos: int | None = None, none_ok: bool = False, relabel: bool = True, nan_ok=()) -> None:
    """The generated bad-table cases of one DataFrame argument (see the module docstring).

    ``money``: number columns that must not be negative; ``signed``: number columns that may be;
    ``row_id``: a column whose value at the offending row may be reported instead of its label
    (functions that index their result by it, e.g. the account table); ``id_pos``: the row given
    a missing id (default ``pos``: choose a row the function must look at); ``nan_ok``: result
    columns documented to hold NaN for undefined values (a share of an empty group …).
    """
    f = func or key.split(".")[-1]
    id_pos = pos if id_pos is None else id_pos
    TABLES.append((key, make))

    def rows_ok(err, df, p):
        label = df.index[p]
        allowed = [[label if not isinstance(label, np.generic) else label.item()]]
        if row_id is not None:
            allowed.append([df[row_id].iloc[p]])
        assert err.rows in allowed, f"rows {err.rows}, expected one of {allowed}: {err}"

    def expect_rows(call_df, field, p):
        def run():
            df = call_df()
            err = expect_error(lambda: call(df), f, field)
            rows_ok(err, df, p)
        return run

    _add(key, f"{name}: not a DataFrame",
         lambda: expect_error(lambda: call(make().to_dict("records")), f, name))
    if not none_ok:
        _add(key, f"{name}: None", lambda: expect_error(lambda: call(None), f, name))
    def few(n, equal=False):
        def run():
            df = make().iloc[:n] if n else make()
            if equal:                         # every number column constant (ties everywhere)
                df = df.assign(**{c: df[c].iloc[1] for c in [*money, *signed]})
            try:
                result = call(df)
            except CRMDataError as err:      # e.g. "needs at least two purchases": fine, if it is ours
                assert err.func == f, str(err)
                return
            finite_result(result, nan_ok)
        return run
    _add(key, f"{name}: a single row", few(1))
    _add(key, f"{name}: two rows", few(2))
    if money or signed:
        _add(key, f"{name}: all-equal values", few(None, equal=True))
    if empty_ok:
        _add(key, f"{name}: empty table is fine", lambda: call(make().iloc[:0]))
    else:
        _add(key, f"{name}: empty", lambda: expect_error(lambda: call(make().iloc[:0]), f, name))
    for col in required:
        _add(key, f"{name}: column {col!r} missing",
             lambda col=col: expect_error(lambda: call(make().drop(columns=[col])), f, col, contains=(col,)))
        if col.title() != col:
            _add(key, f"{name}: column {col!r} capitalised",
                 lambda col=col: expect_error(lambda: call(make().rename(columns={col: col.title()})), f, col,
                                              contains=(f"did you mean '{col.title()}'",)))
        typo = col[:len(col) // 2] + col[len(col) // 2 + 1:] if len(col) > 2 else col + "_"
        _add(key, f"{name}: column {col!r} misspelt {typo!r}",
             lambda col=col, typo=typo: expect_error(lambda: call(make().rename(columns={col: typo})), f, col))
    for col in ids:
        _add(key, f"{name}: missing id in {col!r}",
             expect_rows(lambda col=col: _set(make(), id_pos, col, None), col, id_pos))
        _add(key, f"{name}: blank id in {col!r}",
             expect_rows(lambda col=col: _set(make(), id_pos, col, "  "), col, id_pos))
    for col in unique:
        def dup(col=col):
            df = make()
            df = _set(df, pos, col, df[col].iloc[pos - 1])
            err = expect_error(lambda: call(df), f, col)
            assert len(err.rows) == 2 and err.rows[1] in (df.index[pos], df[col].iloc[pos]), err
        _add(key, f"{name}: duplicated id in {col!r}", dup)
    for col in [*money, *signed]:
        for value, what in (("1,234.5", "thousands separator"), ("abc", "text"), (np.nan, "NaN"),
                            (np.inf, "inf")):
            _add(key, f"{name}: {what} in {col!r}",
                 expect_rows(lambda col=col, value=value: _set(make(), pos, col, value), col, pos))
    for col in [*money, *signed]:
        def overflow(col=col):
            df = make()
            for p in (0, 1):
                df = _set(df, p, col, 1.7e308)
            err = expect_error(lambda: call(df), f, col)
            allowed = [[df.index[0], df.index[1]]] + ([[df[row_id].iloc[0], df[row_id].iloc[1]]] if row_id else [])
            assert err.rows in allowed, err
        _add(key, f"{name}: values in {col!r} whose total overflows", overflow)
    for col in money:
        _add(key, f"{name}: negative {col!r}",
             expect_rows(lambda col=col: _set(make(), pos, col, -abs(float(make()[col].iloc[pos])) - 1), col, pos))
    for col in dates:
        _add(key, f"{name}: unparseable date in {col!r}",
             expect_rows(lambda col=col: _set(make(), pos, col, "31st of Smarch"), col, pos))
        _add(key, f"{name}: missing date in {col!r}",
             expect_rows(lambda col=col: _set(make(), pos, col, None), col, pos))

        def mixed(col=col):
            df = make()
            text = pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d").astype(object)
            text.iloc[pos] = pd.Timestamp(df[col].iloc[pos]).strftime("%d/%m/%Y")   # 10/02/2024 = 10 Feb
            df[col] = text
            return df
        _add(key, f"{name}: mixed date formats in {col!r}", expect_rows(mixed, col, pos))
        _add(key, f"{name}: numbers instead of dates in {col!r}",
             lambda col=col: expect_error(lambda: call(make().assign(**{col: np.arange(len(make())) + 20240101})),
                                          f, col))
    for col in flags:
        _add(key, f"{name}: 'maybe' in yes/no column {col!r}",
             expect_rows(lambda col=col: _set(make(), pos, col, "maybe"), col, pos))
    # the rows are named by the table's own labels, not by positions (a sorted or filtered table)
    labelled = [(c, "abc") for c in [*money, *signed]] + [(c, "31st of Smarch") for c in dates] + \
               [(c, None) for c in ids] + [(c, "maybe") for c in flags]
    if labelled and relabel:      # (relabel=False: the index is the customer id the function joins on)
        col, value = labelled[0]

        def relabel(col=col, value=value):
            df = make()
            df.index = pd.Index([f"row{i}" for i in range(len(df))][::-1])
            return _set(df, pos, col, value)
        _add(key, f"{name}: rows named by the index labels ({col!r})", expect_rows(relabel, col, pos))


def lang_case(key: str, call: Callable[[str], Any], func: str | None = None) -> None:
    bad(key, "unknown language", lambda: call("fr"), "lang", func=func)


# ============================================================================ shared inputs
def tx() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["A", "A", "B", "C", "C"],
        "date": pd.to_datetime(["2024-01-01", "2024-02-10", "2024-01-20", "2024-02-02", "2024-03-01"]),
        "amount": [10.0, 20.0, 5.0, 40.0, 25.0],
        "margin": [3.0, 5.0, -1.0, 12.0, 6.0],
        "discount_pct": [0.1, 0.0, 0.3, 0.05, 0.2]})


def prospects() -> pd.DataFrame:
    return pd.DataFrame({"prospect_id": ["P1", "P2", "P3"], "money": [True, True, False],
                         "authority": [True, False, True], "need": [True, False, True]})


def accounts() -> pd.DataFrame:
    return datasets.make_accounts(n=8, seed=1)


def invoices() -> pd.DataFrame:
    return pd.DataFrame({
        "account_id": ["a", "a", "b", "b"], "amount": [100.0, 50.0, 70.0, 30.0],
        "issue_date": pd.to_datetime(["2024-01-01", "2024-05-01", "2024-05-20", "2024-06-01"]),
        "due_date": pd.to_datetime(["2024-01-31", "2024-05-31", "2024-06-19", "2024-07-01"]),
        "paid_date": pd.to_datetime([None, "2024-06-01", "2024-06-25", None])})


def aging():
    return receivables.receivables_aging(invoices(), as_of="2024-06-30")


def leads() -> pd.DataFrame:
    return datasets.make_leads(n=40, seed=1)


def survey() -> pd.DataFrame:
    return datasets.make_survey(n_respondents=3, seed=1)


def complaints() -> pd.DataFrame:
    return datasets.make_complaints(n=10, seed=1)


def rfm() -> pd.DataFrame:
    return pd.DataFrame({"recency_days": [5, 40, 200, 10, 90], "frequency": [9, 3, 1, 5, 2],
                         "monetary": [900., 150., 20., 400., 60.]},
                        index=pd.Index(list("abcde"), name="customer_id"))


def scores() -> pd.DataFrame:
    return pd.DataFrame({"R": [5, 5, 1, 3], "F": [5, 1, 5, 3], "M": [4, 1, 5, 2]})


def contacts() -> pd.DataFrame:
    return pd.DataFrame({"contacts": [3, 14, 12, 15, 20], "status": ["open", "open", "won", "won", "lost"],
                         "value": [0.0, 0.0, 500.0, 800.0, 0.0]})


def roles() -> pd.DataFrame:
    return pd.DataFrame({"role": ["initiator", "decider", "user"], "money": [0, 1, 0],
                         "authority": [1, 0, 0], "need": [1, 1, 1]}, index=["Ann", "Bo", "Cy"])


def key_acc() -> pd.DataFrame:
    return loyalty.key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)


def station() -> dict:
    return CW.make_station(n_employees=2, months=3, new_per_employee=3, seed=1)


def rice() -> pd.DataFrame:
    return pd.DataFrame({"household_id": list("AAAABBBB"), "household_size": [2] * 4 + [4] * 4,
                         "date": pd.to_datetime(["2025-01-01", "2025-01-21", "2025-02-10", "2025-03-03",
                                                 "2025-01-05", "2025-01-15", "2025-01-25", "2025-02-04"]),
                         "kg": [10.0] * 8})


def bank() -> dict:
    return CW.make_bank_clients(n_clients=3, n_quarters=2, seed=1)


def watch() -> pd.DataFrame:
    return loyalty.churn_watch(station()["fillups"])


BAD_SCALARS = [("text", "abc"), ("None", None), ("NaN", float("nan")), ("inf", float("inf")), ("bool", True),
               ("1e308", 1e308)]


def scalar_cases(key: str, call: Callable[[Any], Any], field: str, out_of_range=(), func: str | None = None,
                 skip=()) -> None:
    """Wrong types (text, None, NaN, inf, True) and out-of-range values of one number argument."""
    for what, value in BAD_SCALARS:
        if what not in skip and not (what == "1e308" and "inf" in skip):
            bad(key, f"{field} = {what}", lambda value=value: call(value), field, func=func)
    for value in out_of_range:
        bad(key, f"{field} = {value!r} (out of range)", lambda value=value: call(value), field, func=func)


def values_cases(key: str, call: Callable[[Any], Any], field: str, negative_ok: bool = False,
                 empty_ok: bool = False, func: str | None = None, base: float = 10.0, bools: bool = True) -> None:
    """A list of numbers argument: text, "1,234.5", NaN, inf, negative, empty, wrong container.

    ``base``: a valid value for the other entries; ``empty_ok``: leave out the empty list (for the
    second of two paired lists, where the first one is named).
    """
    bad(key, f"{field}: thousands separator", lambda: call([base, "1,234.5", 3.0]), field, [1], func=func,
        contains=("'1,234.5'",))
    bad(key, f"{field}: text", lambda: call([base, 2.0, "n/a"]), field, [2], func=func)
    bad(key, f"{field}: NaN", lambda: call([base, np.nan, 3.0]), field, [1], func=func)
    bad(key, f"{field}: inf", lambda: call([base, np.inf, 3.0]), field, [1], func=func)
    bad(key, f"{field}: a bare string", lambda: call("10, 20"), field, func=func)
    bad(key, f"{field}: a DataFrame", lambda: call(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})), field,
        func=func)
    bad(key, f"{field}: values whose total overflows", lambda: call([1.7e308, 1.7e308, 3.0]), field, [0, 1],
        func=func)
    if bools:
        bad(key, f"{field}: True/False", lambda: call([True, False, True]), field, func=func)
    if not negative_ok:
        bad(key, f"{field}: negative", lambda: call([base, -2.0, 3.0]), field, [1], func=func)
    if not empty_ok:
        bad(key, f"{field}: empty", lambda: call([]), field, func=func)


# ============================================================================ segmentation
K = "segmentation.customer_summary"
table_cases(K, segmentation.customer_summary, tx, "tx",
            required=["customer_id", "date", "amount", "margin", "discount_pct"], ids=["customer_id"],
            money=["amount"], signed=["margin"], dates=["date"])
ok(K, "single customer", lambda: segmentation.customer_summary(tx().iloc[:2]),
   lambda r: len(r) == 1 and r["revenue"].iloc[0] == 30.0 and finite(r))
ok(K, "huge amounts", lambda: segmentation.customer_summary(tx().assign(amount=1e15)),
   lambda r: r.loc["A", "revenue"] == 2e15 and finite(r))

K = "segmentation.rfm_table"
table_cases(K, segmentation.rfm_table, tx, "tx", required=["customer_id", "date", "amount"],
            ids=["customer_id"], money=["amount"], dates=["date"])
bad(K, "as_of before the last purchase", lambda: segmentation.rfm_table(tx(), as_of="2024-02-01"), "date",
    rows=[1, 3, 4], contains=("after as_of",))
bad(K, "as_of not a date", lambda: segmentation.rfm_table(tx(), as_of="soon"), "as_of")
bad(K, "as_of a bare number", lambda: segmentation.rfm_table(tx(), as_of=20240301), "as_of")
ok(K, "as_of in the future adds the days", lambda: segmentation.rfm_table(tx(), as_of="2024-03-11"),
   lambda r: r.loc["C", "recency_days"] == 10 and finite(r))
ok(K, "single purchase (as_of defaults to the day after the last purchase)",
   lambda: segmentation.rfm_table(tx().iloc[:1]),
   lambda r: r.loc["A", ["recency_days", "frequency", "monetary"]].tolist() == [1, 1, 10.0])

K = "segmentation.rfm_scores"
table_cases(K, segmentation.rfm_scores, rfm, "rfm", required=["recency_days", "frequency", "monetary"],
            money=["recency_days", "frequency", "monetary"])
scalar_cases(K, lambda b: segmentation.rfm_scores(rfm(), bins=b), "bins", out_of_range=(1, 0, 11), skip=("inf",))
bad(K, "bins a float", lambda: segmentation.rfm_scores(rfm(), bins=2.5), "bins")
ok(K, "all-equal values get the top score... consistently", lambda: segmentation.rfm_scores(
    pd.DataFrame({"recency_days": [3] * 4, "frequency": [2] * 4, "monetary": [5.0] * 4})),
   lambda r: r["R"].nunique() == 1 and r["F"].nunique() == 1 and r["M"].nunique() == 1)
ok(K, "single customer", lambda: segmentation.rfm_scores(rfm().iloc[:1]), lambda r: len(r) == 1)

K = "segmentation.rfm_segments"
table_cases(K, segmentation.rfm_segments, scores, "scores", required=["R", "F", "M"], money=["R", "F", "M"])
bad(K, "score above bins", lambda: segmentation.rfm_segments(scores(), bins=3), "R", rows=[0, 1])
bad(K, "score of zero", lambda: segmentation.rfm_segments(scores().assign(F=[5, 0, 5, 3]), bins=5), "F", rows=[1])
lang_case(K, lambda lang: segmentation.rfm_segments(scores(), lang=lang))

for fname in ("pareto_table", "lorenz_curve", "gini"):
    K = f"segmentation.{fname}"
    f = getattr(segmentation, fname)
    values_cases(K, f, "values")
    bad(K, "all zero", lambda f=f: f([0.0, 0.0]), "values")
ok("segmentation.gini", "all-equal values", lambda: segmentation.gini([7.0] * 5), 0.0)
ok("segmentation.gini", "single customer", lambda: segmentation.gini([7.0]), 0.0)
ok("segmentation.gini", "huge values", lambda: segmentation.gini([1e250, 1e250, 0.0, 0.0]), 0.5)
ok("segmentation.gini", "one holds all", lambda: segmentation.gini([0, 0, 0, 10]), 0.75)
ok("segmentation.lorenz_curve", "single customer", lambda: segmentation.lorenz_curve([5.0]),
   lambda r: finite(r) and float(r.iloc[-1, -1]) == 1.0)
ok("segmentation.pareto_table", "all-equal values", lambda: segmentation.pareto_table([2.0] * 4),
   lambda r: finite(r) and np.allclose(r.select_dtypes("number").iloc[:, -1].to_numpy()[-1], 1.0))
ok("segmentation.pareto_table", "huge values", lambda: segmentation.pareto_table([1e250, 1e250]), finite)

K = "segmentation.top_share"
values_cases(K, segmentation.top_share, "values")
bad(K, "all zero", lambda: segmentation.top_share([0, 0]), "values")
scalar_cases(K, lambda x: segmentation.top_share([1, 2], x), "fraction", out_of_range=(0, -0.1, 1.5))
ok(K, "single customer", lambda: segmentation.top_share([42.0]), 1.0)
ok(K, "all-equal values", lambda: segmentation.top_share([3.0] * 10, 0.2), 0.2)
ok(K, "huge values", lambda: segmentation.top_share([1e250] * 5, 0.2), 0.2)
ok(K, "fraction 1", lambda: segmentation.top_share([1, 2, 3], 1.0), 1.0)

K = "segmentation.abc_classes"
values_cases(K, segmentation.abc_classes, "values")
bad(K, "cuts decreasing", lambda: segmentation.abc_classes([1, 2, 3], cuts=(0.95, 0.8)), "cuts")
bad(K, "cuts outside (0, 1)", lambda: segmentation.abc_classes([1, 2, 3], cuts=(0.8, 1.2)), "cuts")
bad(K, "cuts a string", lambda: segmentation.abc_classes([1, 2, 3], cuts="0.8,0.95"), "cuts")
lang_case(K, lambda lang: segmentation.abc_classes([1, 2, 3], lang=lang))
ok(K, "single customer is class A", lambda: segmentation.abc_classes([5.0])["abc"].astype(str).str[0].tolist(), ["A"])
ok(K, "all-equal values", lambda: segmentation.abc_classes([1.0] * 10), lambda r: finite(r) and r["abc"].notna().all())

K = "segmentation.profitability_tiers"
values_cases(K, segmentation.profitability_tiers, "profit", negative_ok=True)
scalar_cases(K, lambda x: segmentation.profitability_tiers([1, 2], top=x), "top", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: segmentation.profitability_tiers([1, 2], floor=x), "floor", skip=("NaN",))
lang_case(K, lambda lang: segmentation.profitability_tiers([1, 2], lang=lang))
ok(K, "single customer", lambda: segmentation.profitability_tiers([5.0]), lambda r: len(r) == 1 and finite(r))

K = "segmentation.wallet_headroom"
values_cases(K, lambda v: segmentation.wallet_headroom(v, ["a"] * len(v) if isinstance(v, list) else ["a", "b"]),
             "values")
bad(K, "groups shorter than values", lambda: segmentation.wallet_headroom([1, 2, 3], ["a", "b"]), "values, groups")
bad(K, "missing group", lambda: segmentation.wallet_headroom([1, 2, 3], ["a", None, "b"]), "groups", [1])
scalar_cases(K, lambda q: segmentation.wallet_headroom([1, 2], ["a", "a"], quantile=q), "quantile",
             out_of_range=(-0.1, 1.5))
ok(K, "single customer has no headroom", lambda: segmentation.wallet_headroom([5.0], ["a"]).tolist(), [0.0])

K = "segmentation.value_matrix"
values_cases(K, lambda v: segmentation.value_matrix(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]),
             "current", negative_ok=True)
values_cases(K, lambda v: segmentation.value_matrix([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
             "potential", empty_ok=True)
bad(K, "different lengths", lambda: segmentation.value_matrix([1, 2, 3], [1, 2]), "current, potential")
scalar_cases(K, lambda x: segmentation.value_matrix([1, 2], [1, 2], current_cut=x), "current_cut",
             skip=("None",))
lang_case(K, lambda lang: segmentation.value_matrix([1, 2], [1, 2], lang=lang))
ok(K, "all-equal values", lambda: segmentation.value_matrix([5.0] * 3, [5.0] * 3),
   lambda r: r["quadrant"].nunique() == 1 and r["quadrant"].notna().all())

K = "segmentation.relationship_type"
values_cases(K, lambda v: segmentation.relationship_type(v, [0.1] * len(v) if isinstance(v, list) else [0.1, 0.2]),
             "margin", negative_ok=True)
bad(K, "discount above 100 %", lambda: segmentation.relationship_type([1, 2], [0.1, 1.5]), "discount_pct", [1])
bad(K, "negative discount", lambda: segmentation.relationship_type([1, 2], [0.1, -0.2]), "discount_pct", [1])
bad(K, "discount 1,234.5", lambda: segmentation.relationship_type([1, 2], [0.1, "1,234.5"]), "discount_pct", [1])
scalar_cases(K, lambda x: segmentation.relationship_type([1, 2], [0.1, 0.2], discount_cut=x), "discount_cut",
             out_of_range=(-0.1, 1.5))
lang_case(K, lambda lang: segmentation.relationship_type([1, 2], [0.1, 0.2], lang=lang))

# ============================================================================ qualification
NO_INPUT["qualification.MANResult"] = "result record returned by man_classify"
K = "qualification.man_classify"
for fld in ("money", "authority", "need"):
    for what, value in (("'maybe'", "maybe"), ("None", None), ("NaN", float("nan")), ("2", 2)):
        args = {"money": True, "authority": True, "need": True, fld: value}
        bad(K, f"{fld} = {what}", lambda args=args: qualification.man_classify(**args), fld)
ok(K, "yes/no written as text and 1/0 means the same", lambda: qualification.man_classify("yes", "否", 1).code,
   qualification.man_classify(True, False, True).code)

K = "qualification.man_table"
table_cases(K, qualification.man_table, prospects, "df", required=["money", "authority", "need"],
            flags=["money", "authority", "need"])
lang_case(K, lambda lang: qualification.man_table(prospects(), lang=lang))

K = "qualification.man_strategies"
lang_case(K, lambda lang: qualification.man_strategies(lang=lang))
ok(K, "eight combinations", lambda: len(qualification.man_strategies()), 8)

K = "qualification.deal_stage"
bad(K, "negative days", lambda: qualification.deal_stage([10, -3]), "expected_close_days", [1])
bad(K, "text days", lambda: qualification.deal_stage([10, "soon"]), "expected_close_days", [1])
bad(K, "NaN days", lambda: qualification.deal_stage([10, np.nan]), "expected_close_days", [1])
bad(K, "scalar text", lambda: qualification.deal_stage("soon"), "expected_close_days")
bad(K, "cuts decreasing", lambda: qualification.deal_stage(10, cuts=(60, 30)), "cuts")
bad(K, "cuts text", lambda: qualification.deal_stage(10, cuts="30,60"), "cuts")
lang_case(K, lambda lang: qualification.deal_stage(10, lang=lang))

K = "qualification.customer_state"
table_cases(K, lambda d: qualification.customer_state(d, prospects(), as_of="2024-07-01"), tx, "tx",
            required=["customer_id", "date"], ids=["customer_id"], dates=["date"],
            nan_ok=("days_since_purchase",))   # documented: NA for prospects, who never bought
table_cases(K, lambda d: qualification.customer_state(tx(), d, as_of="2024-07-01"), prospects, "prospects",
            required=["prospect_id", "money", "need"], ids=["prospect_id"], unique=["prospect_id"],
            flags=["money", "need"], empty_ok=True, nan_ok=("days_since_purchase",))
bad(K, "as_of before the last purchase", lambda: qualification.customer_state(tx(), prospects(), as_of="2024-01-15"),
    "date", rows=[1, 2, 3, 4])
scalar_cases(K, lambda x: qualification.customer_state(tx(), prospects(), lapse_days=x), "lapse_days",
             out_of_range=(-5, 2.5), skip=("NaN", "inf"))
lang_case(K, lambda lang: qualification.customer_state(tx(), prospects(), lang=lang))
ok(K, "as_of in the future: every buyer is lost, days counted to as_of",
   lambda: qualification.customer_state(tx(), prospects(), as_of="2030-01-01"),
   lambda r: (r.loc[["A", "B", "C"], "state"].astype(str) == "lost customer").all()
   and r.loc["A", "days_since_purchase"] == (pd.Timestamp("2030-01-01") - pd.Timestamp("2024-02-10")).days)

# ============================================================================ selection
ACC_ID = "account_id"
IDEAL_COLS = ["revenue", "price_sensitivity", "on_time_share", "avg_days_late", "service_cost", "debt_ratio",
              "industry_outlook", "partnership_interest", "years_as_customer"]
for fname in ("ideal_criteria", "ideal_customer_score"):
    K = f"selection.{fname}"
    table_cases(K, getattr(selection, fname), accounts, "accounts", required=[ACC_ID, *IDEAL_COLS, "revenue_growth"],
                ids=[ACC_ID], unique=[ACC_ID], money=IDEAL_COLS, signed=["revenue_growth"], row_id=ACC_ID)
    bad(K, "zero revenue", lambda fname=fname: getattr(selection, fname)(_set(accounts(), 2, "revenue", 0.0)),
        "revenue", rows=["A0003"])
    ok(K, "single account", lambda fname=fname: getattr(selection, fname)(accounts().iloc[:1]),
       lambda r: len(r) == 1 and finite(r))
K = "selection.ideal_customer_score"
bad(K, "unknown criterion", lambda: selection.ideal_customer_score(accounts(), weights={"volume": 1}), "weights",
    rows=["volume"])
bad(K, "negative weight", lambda: selection.ideal_customer_score(accounts(), weights={"demand": -1}), "weights")
bad(K, "all weights zero", lambda: selection.ideal_customer_score(accounts(), weights={"demand": 0}), "weights")
bad(K, "weight text", lambda: selection.ideal_customer_score(accounts(), weights={"demand": "2"}), "weights['demand']")
bad(K, "weights a list", lambda: selection.ideal_customer_score(accounts(), weights=[1, 1, 1, 1, 1]), "weights")

PROFIT_COLS = ["revenue", "discounts", "cogs", "service_cost", "avg_days_late"]
K = "selection.customer_profitability"
table_cases(K, selection.customer_profitability, accounts, "accounts", required=[ACC_ID, *PROFIT_COLS],
            ids=[ACC_ID], unique=[ACC_ID], money=PROFIT_COLS, row_id=ACC_ID)
scalar_cases(K, lambda x: selection.customer_profitability(accounts(), cost_of_capital=x), "cost_of_capital",
             out_of_range=(-0.1, 5.0))
ok(K, "huge revenue", lambda: selection.customer_profitability(
    accounts().assign(revenue=1e14, discounts=0.0, cogs=0.0, service_cost=0.0, avg_days_late=0.0)),
   lambda r: finite(r) and np.allclose(r["profit"], 1e14))

for fname in ("whale_curve", "whale_peak"):
    K = f"selection.{fname}"
    values_cases(K, getattr(selection, fname), "profit", negative_ok=True)
ok("selection.whale_peak", "single customer", lambda: selection.whale_peak([50.0]), 1.0)
ok("selection.whale_peak", "all-equal values", lambda: selection.whale_peak([5.0] * 4), 1.0)
bad("selection.whale_peak", "all zero", lambda: selection.whale_peak([0.0, 0.0]), "profit")
bad("selection.whale_curve", "total not positive", lambda: selection.whale_curve([-5.0, 2.0]), "profit")
ok("selection.whale_curve", "huge values", lambda: selection.whale_curve([1e250, 1e250]), finite)

K = "selection.big_customer_risks"
RISK_COLS = ["revenue", "discounts", "cogs", "service_cost", "avg_days_late", "debt_ratio"]
table_cases(K, selection.big_customer_risks, accounts, "accounts",
            required=[ACC_ID, *RISK_COLS, "revenue_growth"], ids=[ACC_ID], unique=[ACC_ID],
            money=RISK_COLS, signed=["revenue_growth"], row_id=ACC_ID)
scalar_cases(K, lambda x: selection.big_customer_risks(accounts(), big_share=x), "big_share", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: selection.big_customer_risks(accounts(), late_days=x), "late_days", out_of_range=(-1,))
ok(K, "single account is big", lambda: selection.big_customer_risks(accounts().iloc[:1]),
   lambda r: bool(r["big"].iloc[0]))

K = "selection.risk_summary"
RISKS = ["big", "financial_risk", "profit_risk", "management_risk", "churn_risk"]
table_cases(K, selection.risk_summary, lambda: selection.big_customer_risks(accounts()), "risks", required=RISKS,
            flags=RISKS, nan_ok=("big accounts", "other accounts"))   # documented: NaN for a group with no account
lang_case(K, lambda lang: selection.risk_summary(selection.big_customer_risks(accounts()), lang=lang))

K = "selection.growth_potential"
GROWTH_COLS = ["revenue", "avg_days_late", "partnership_interest"]
table_cases(K, selection.growth_potential, accounts, "accounts",
            required=[ACC_ID, *GROWTH_COLS, "revenue_growth"], ids=[ACC_ID], unique=[ACC_ID],
            money=GROWTH_COLS, signed=["revenue_growth"], row_id=ACC_ID)
scalar_cases(K, lambda x: selection.growth_potential(accounts(), horizon=x), "horizon", out_of_range=(0, -1),
             skip=("NaN", "inf"))
scalar_cases(K, lambda x: selection.growth_potential(accounts(), small_share=x), "small_share", out_of_range=(0, 2))

K = "selection.selection_rubric"
table_cases(K, selection.selection_rubric, accounts, "accounts", required=[ACC_ID, "industry", "employees",
                                                                            "satisfaction", *IDEAL_COLS],
            ids=[ACC_ID], unique=[ACC_ID], money=["employees", "satisfaction"], row_id=ACC_ID)
bad(K, "target industries a string", lambda: selection.selection_rubric(accounts(), target_industries="retail"),
    "target_industries")
scalar_cases(K, lambda x: selection.selection_rubric(accounts(), our_employees=x), "our_employees",
             out_of_range=(0, -10))
lang_case(K, lambda lang: selection.selection_rubric(accounts(), lang=lang))

# ============================================================================ receivables
FIVE_C_COLS = ["on_time_share", "current_ratio", "debt_ratio", "collateral", "industry_outlook", "revenue",
               "discounts"]
K = "receivables.credit_score_5c"
table_cases(K, receivables.credit_score_5c, accounts, "accounts", required=[ACC_ID, *FIVE_C_COLS], ids=[ACC_ID],
            unique=[ACC_ID], money=FIVE_C_COLS, row_id=ACC_ID)
bad(K, "unknown weight", lambda: receivables.credit_score_5c(accounts(), weights={"charm": 1}), "weights")
bad(K, "months increasing", lambda: receivables.credit_score_5c(accounts(), months=(0, 1, 2, 3)), "months")
bad(K, "months too few", lambda: receivables.credit_score_5c(accounts(), months=(3, 2)), "months")
lang_case(K, lambda lang: receivables.credit_score_5c(accounts(), lang=lang))
ok(K, "single account", lambda: receivables.credit_score_5c(accounts().iloc[:1]), lambda r: len(r) == 1)

K = "receivables.credit_rating"
values_cases(K, receivables.credit_rating, "score")
bad(K, "score above 100", lambda: receivables.credit_rating([50, 120]), "score", [1])
lang_case(K, lambda lang: receivables.credit_rating([50], lang=lang))

K = "receivables.credit_limit"
bad(K, "unknown rating", lambda: receivables.credit_limit(["A", "E"], [1.0, 1.0]), "rating", [1])
bad(K, "missing rating", lambda: receivables.credit_limit(["A", None], [1.0, 1.0]), "rating", [1])
values_cases(K, lambda v: receivables.credit_limit(["A"] * (len(v) if isinstance(v, list) else 2), v),
             "monthly_sales")
bad(K, "different lengths", lambda: receivables.credit_limit(["A", "B"], [1.0]), "rating, monthly_sales")
bad(K, "months negative", lambda: receivables.credit_limit(["A"], [1.0], months=(3, 2, 1, -1)), "months")
ok(K, "huge sales", lambda: receivables.credit_limit(["A"], [1e250]).tolist(), [3e250])

K = "receivables.bucket_labels"
bad(K, "buckets decreasing", lambda: receivables.bucket_labels((60, 30)), "buckets")
bad(K, "buckets empty", lambda: receivables.bucket_labels(()), "buckets")
bad(K, "buckets text", lambda: receivables.bucket_labels("30,60"), "buckets")
bad(K, "bucket zero", lambda: receivables.bucket_labels((0, 30)), "buckets")
bad(K, "bucket fractional", lambda: receivables.bucket_labels((15.5, 30)), "buckets")
lang_case(K, lambda lang: receivables.bucket_labels(lang=lang))
NO_INPUT["receivables.AgingReport"] = "result record returned by receivables_aging"

INV_DATES = ["issue_date", "due_date"]
for fname in ("receivables_aging", "open_balance", "dso"):
    K = f"receivables.{fname}"
    f = getattr(receivables, fname)
    # DSO is a figure for the whole ledger: it does not read the customer of an invoice
    table_cases(K, lambda d, f=f: f(d, "2024-06-30"), invoices, "invoices",
                required=["account_id", "amount", *INV_DATES, "paid_date"],
                ids=["account_id"] if fname != "dso" else [], money=["amount"], dates=INV_DATES, id_pos=0)
    bad(K, "as_of not a date", lambda f=f: f(invoices(), "end of June"), "as_of")
    bad(K, "as_of missing", lambda f=f: f(invoices(), None), "as_of")
    bad(K, "due before issue", lambda f=f: f(_set(invoices(), 2, "due_date", pd.Timestamp("2024-05-01")),
                                              "2024-06-30"), "due_date", [2])
    bad(K, "paid before issue", lambda f=f: f(_set(invoices(), 1, "paid_date", pd.Timestamp("2024-04-01")),
                                               "2024-06-30"), "paid_date", [1])
    bad(K, "unparseable paid date", lambda f=f: f(_set(invoices(), 0, "paid_date", "paid"), "2024-06-30"),
        "paid_date", [0])
K = "receivables.receivables_aging"
bad(K, "buckets decreasing", lambda: receivables.receivables_aging(invoices(), "2024-06-30", buckets=(60, 30)),
    "buckets")
lang_case(K, lambda lang: receivables.receivables_aging(invoices(), "2024-06-30", lang=lang))
ok(K, "as_of before every invoice: nothing open",
   lambda: receivables.receivables_aging(invoices(), "2023-12-01").total,
   lambda t: finite(t) and float(t.to_numpy().sum()) == 0.0)
ok("receivables.open_balance", "as_of in the future: unpaid stay open",
   lambda: receivables.open_balance(invoices(), "2030-01-01").tolist(), [100.0, 30.0])
K = "receivables.dso"
scalar_cases(K, lambda x: receivables.dso(invoices(), "2024-06-30", period_days=x), "period_days",
             out_of_range=(0, -30), skip=("NaN", "inf"))
bad(K, "no sales in the period", lambda: receivables.dso(invoices(), "2025-06-30", period_days=30), "issue_date")
ok(K, "hand-computed", lambda: receivables.dso(invoices(), "2024-06-30", period_days=90),
   (50 * 0 + 100 + 30) / (50 + 70 + 30) * 90)

K = "receivables.bad_debt_provision"
bad(K, "not an AgingReport", lambda: receivables.bad_debt_provision(invoices()), "aging")
bad(K, "rates too few", lambda: receivables.bad_debt_provision(aging(), rates=[0.1]), "rates")
bad(K, "rate above 1", lambda: receivables.bad_debt_provision(aging(), rates=[0.0, 0.1, 0.2, 0.5, 1.5]), "rates")
bad(K, "rate text", lambda: receivables.bad_debt_provision(aging(), rates=[0.0, 0.1, "x", 0.5, 1.0]), "rates")

K = "receivables.collection_steps"
bad(K, "buckets decreasing", lambda: receivables.collection_steps((60, 30)), "buckets")
lang_case(K, lambda lang: receivables.collection_steps(lang=lang))
K = "receivables.collection_actions"
bad(K, "not an AgingReport", lambda: receivables.collection_actions({"by_customer": None}), "aging")
lang_case(K, lambda lang: receivables.collection_actions(aging(), lang=lang))

# ============================================================================ development
for fname in ("prospecting_methods", "finding_steps", "six_analyses", "approach_methods", "buying_signals",
              "example_buying_center"):
    ok(f"development.{fname}", "reference table", getattr(development, fname),
       lambda r: isinstance(r, pd.DataFrame) and len(r) > 0)

K = "development.channel_report"
table_cases(K, development.channel_report, leads, "leads",
            required=["channel", "won", "cost", "value", "money", "authority", "need"], ids=["channel"],
            money=["cost", "value"], flags=["won", "money", "authority", "need"],
            nan_ok=("qualified_rate", "win_rate", "close_rate", "cost_per_lead", "cost_per_acquisition", "return"))   # documented: undefined ratios (no deal, no lead, no cost) are NaN

K = "development.report_total"
table_cases(K, development.report_total, lambda: development.channel_report(leads()), "report",
            required=["leads", "qualified", "won", "cost", "value"], money=["leads", "won", "cost", "value"],
            nan_ok=("qualified_rate", "win_rate", "close_rate", "cost_per_lead", "cost_per_acquisition", "return"))
ok(K, "nothing won: no division by zero", lambda: development.report_total(
    pd.DataFrame({"leads": [3], "qualified": [1], "won": [0], "cost": [10.0], "value": [0.0]})),
   lambda r: not np.isinf(pd.to_numeric(r, errors="coerce").to_numpy(dtype=float)).any())

K = "development.buying_roles"
table_cases(K, development.buying_roles, roles, "contacts", required=["role", "money", "authority", "need"],
            flags=["money", "authority", "need"])
bad(K, "unknown role", lambda: development.buying_roles(_set(roles(), 1, "role", "boss")), "role", ["Bo"])
lang_case(K, lambda lang: development.buying_roles(roles(), lang=lang))

K = "development.buying_center"
table_cases(K, development.buying_center, development.example_buying_center, "contacts",
            required=["account_id", "contact", "role", "authority"], ids=["account_id"], flags=["authority"])

K = "development.funnel"
table_cases(K, development.funnel, leads, "leads", required=["stage"],
            nan_ok=("conversion",))   # documented: NaN after a stage nobody reached
bad(K, "unknown stage in the data", lambda: development.funnel(_set(leads(), 1, "stage", "curiosity")), "stage", [1])
bad(K, "missing stage", lambda: development.funnel(_set(leads(), 1, "stage", None)), "stage", [1])
bad(K, "negative count", lambda: development.funnel({"attention": 10, "interest": -2},
                                                    stages=["attention", "interest"]), "counts", ["interest"])
bad(K, "count 1,234.5", lambda: development.funnel({"attention": 10, "interest": "1,234.5"},
                                                   stages=["attention", "interest"]), "counts", ["interest"])
bad(K, "stages empty", lambda: development.funnel(leads(), stages=[]), "stages")
bad(K, "by column missing", lambda: development.funnel(leads(), by="chanel"), "chanel")
lang_case(K, lambda lang: development.funnel(leads(), lang=lang))

NO_INPUT["development.FranklinResult"] = "result record returned by franklin_balance"
K = "development.franklin_balance"
bad(K, "points text", lambda: development.franklin_balance({"saves time": "a lot"}), "benefits")
bad(K, "negative points", lambda: development.franklin_balance({"saves time": -3}), "benefits")
bad(K, "NaN points", lambda: development.franklin_balance({"saves time": float("nan")}), "benefits")
bad(K, "a number instead of a list", lambda: development.franklin_balance(42), "benefits")
bad(K, "nothing on either side", lambda: development.franklin_balance([]), "benefits")
lang_case(K, lambda lang: development.franklin_balance(["a"], lang=lang))

K = "development.contact_rule"
table_cases(K, development.contact_rule, contacts, "contacts", required=["contacts", "status", "value"],
            money=["contacts", "value"])
bad(K, "unknown status", lambda: development.contact_rule(_set(contacts(), 1, "status", "pending")), "status", [1])
scalar_cases(K, lambda x: development.contact_rule(contacts(), limit=x), "limit", out_of_range=(0, -1),
             skip=("NaN", "inf"))
lang_case(K, lambda lang: development.contact_rule(contacts(), lang=lang))

K = "development.contact_limit_tradeoff"
table_cases(K, development.contact_limit_tradeoff, contacts, "contacts", required=["contacts", "status", "value"],
            money=["contacts", "value"])
bad(K, "limits empty", lambda: development.contact_limit_tradeoff(contacts(), limits=[]), "limits")
bad(K, "limit zero", lambda: development.contact_limit_tradeoff(contacts(), limits=[0, 5]), "limits")
bad(K, "limits text", lambda: development.contact_limit_tradeoff(contacts(), limits="12"), "limits")
scalar_cases(K, lambda x: development.contact_limit_tradeoff(contacts(), contact_cost=x), "contact_cost",
             out_of_range=(-1,))
scalar_cases(K, lambda x: development.contact_limit_tradeoff(contacts(), margin=x), "margin", out_of_range=(-0.1, 1.5))

K = "development.acquisition_economics"
for fld, rng in (("budget", (-1,)), ("retention_cost", (0, -1)), ("multiple", (0, -1)), ("customer_value", (-1,))):
    scalar_cases(K, lambda x, fld=fld: development.acquisition_economics(**{fld: x}), fld, out_of_range=rng)
lang_case(K, lambda lang: development.acquisition_economics(lang=lang))
ok(K, "huge budget", lambda: development.acquisition_economics(budget=1e15), finite)

# ============================================================================ satisfaction
for fname in ("indicators", "categories", "handling_steps", "satisfaction_kinds", "four_steps",
              "service_strategies", "service_models", "six_keys"):
    ok(f"satisfaction.{fname}", "reference table", getattr(satisfaction, fname),
       lambda r: isinstance(r, pd.DataFrame) and len(r) > 0)
NO_INPUT["satisfaction.SatisfactionIndex"] = "result record returned by satisfaction_index"
NO_INPUT["satisfaction.NPSResult"] = "result record returned by nps"
NO_INPUT["satisfaction.ComplaintReport"] = "result record returned by complaint_report"

SURVEY_COLS = ["category", "indicator", "importance", "performance"]
K = "satisfaction.satisfaction_index"
table_cases(K, satisfaction.satisfaction_index, survey, "survey", required=SURVEY_COLS,
            ids=["category", "indicator"], money=["importance", "performance"])
bad(K, "rating above the scale", lambda: satisfaction.satisfaction_index(_set(survey(), 1, "performance", 7)),
    "performance", [1])
bad(K, "rating below the scale", lambda: satisfaction.satisfaction_index(_set(survey(), 1, "importance", 0)),
    "importance", [1])
bad(K, "scale reversed", lambda: satisfaction.satisfaction_index(survey(), scale=(5, 1)), "scale")
bad(K, "weights unknown text", lambda: satisfaction.satisfaction_index(survey(), weights="heavy"), "weights")
ok(K, "all-equal ratings", lambda: satisfaction.satisfaction_index(survey().assign(importance=3, performance=3)),
   lambda r: math.isclose(r.overall, 50.0) and finite(r.by_category, ["index"]))

K = "satisfaction.csat"
values_cases(K, satisfaction.csat, "scores", base=4.0)
bad(K, "score above the scale", lambda: satisfaction.csat([5, 6]), "scores", [1])
bad(K, "satisfied_from outside the scale", lambda: satisfaction.csat([5, 4], satisfied_from=7), "satisfied_from")
ok(K, "single answer (a percentage)", lambda: satisfaction.csat([4]), 100.0)
ok(K, "all-equal answers", lambda: satisfaction.csat([3, 3, 3]), 0.0)

K = "satisfaction.nps"
values_cases(K, satisfaction.nps, "scores", base=9.0)
bad(K, "score 11", lambda: satisfaction.nps([10, 11]), "scores", [1])
bad(K, "fractional score", lambda: satisfaction.nps([10, 8.5]), "scores", [1])
scalar_cases(K, lambda x: satisfaction.nps([10, 9], confidence=x), "confidence", out_of_range=(0, 1, 1.5))
ok(K, "single answer", lambda: satisfaction.nps([10]),
   lambda r: r.nps == 100.0 and all(math.isfinite(v) for v in (r.low, r.high)))
ok(K, "all promoters", lambda: satisfaction.nps([9] * 20),
   lambda r: r.nps == 100.0 and all(math.isfinite(v) for v in (r.low, r.high)))

K = "satisfaction.nps_groups"
values_cases(K, satisfaction.nps_groups, "scores", base=9.0)
bad(K, "score 11", lambda: satisfaction.nps_groups([10, 11]), "scores", [1])
lang_case(K, lambda lang: satisfaction.nps_groups([3], lang=lang))

K = "satisfaction.respondents"
table_cases(K, satisfaction.respondents, survey, "survey", required=["respondent_id", "segment", "csat", "recommend"],
            ids=["respondent_id"])
bad(K, "answers differ within a respondent", lambda: satisfaction.respondents(_set(survey(), 1, "csat", 1)),
    "csat", None)

K = "satisfaction.importance_performance"
table_cases(K, satisfaction.importance_performance, survey, "survey", required=SURVEY_COLS,
            ids=["indicator"], money=["importance", "performance"])
bad(K, "cut unknown", lambda: satisfaction.importance_performance(survey(), cut="mode"), "cut")
bad(K, "by unknown", lambda: satisfaction.importance_performance(survey(), by="question"), "by")
lang_case(K, lambda lang: satisfaction.importance_performance(survey(), lang=lang))
ok(K, "all-equal ratings", lambda: satisfaction.importance_performance(survey().assign(importance=4, performance=4)),
   lambda r: finite(r) and r["quadrant"].notna().all())

K = "satisfaction.complaint_iceberg"
scalar_cases(K, lambda x: satisfaction.complaint_iceberg(x), "n_complaints", out_of_range=(-1,))
for fld in ("complain_share", "leave_share", "never_return_share", "tell_few_share", "attitude_share"):
    scalar_cases(K, lambda x, fld=fld: satisfaction.complaint_iceberg(10, **{fld: x}), fld, out_of_range=(-0.1, 1.5),
                 skip=("None",))
bad(K, "complain_share 0 (every unhappy customer is invisible)", lambda: satisfaction.complaint_iceberg(10, complain_share=0),
    "complain_share")
ok(K, "no complaints", lambda: satisfaction.complaint_iceberg(0), lambda r: finite(r["count"]))
lang_case(K, lambda lang: satisfaction.complaint_iceberg(10, lang=lang))
ok(K, "huge", lambda: satisfaction.complaint_iceberg(1e12, value_per_customer=1e6),
   lambda r: finite(r["count"]) and finite(r["value"].dropna()))

K = "satisfaction.complaint_report"
STEP_H = ["apologise_h", "restate_h", "reassure_h", "remedy_h"]
table_cases(K, satisfaction.complaint_report, complaints, "log", required=["customer_id", "cause", *STEP_H],
            ids=["customer_id"], flags=["satisfied"])
scalar_cases(K, lambda x: satisfaction.complaint_report(complaints(), follow_up_days=x), "follow_up_days",
             out_of_range=(-1,))
scalar_cases(K, lambda x: satisfaction.complaint_report(complaints(), repeat_min=x), "repeat_min",
             out_of_range=(0,), skip=("NaN", "inf"))
bad(K, "negative hours", lambda: satisfaction.complaint_report(_set(complaints(), 1, "remedy_h", -5.0)), "remedy_h", [1])
bad(K, "hours 1,234.5", lambda: satisfaction.complaint_report(_set(complaints(), 1, "remedy_h", "1,234.5")),
    "remedy_h", [1])
lang_case(K, lambda lang: satisfaction.complaint_report(complaints(), lang=lang))

# ============================================================================ loyalty
K = "loyalty.loyalty_status"
table_cases(K, loyalty.loyalty_status, tx, "tx", required=["customer_id", "date"], ids=["customer_id"],
            dates=["date"])
scalar_cases(K, lambda x: loyalty.loyalty_status(tx(), min_repeats=x), "min_repeats", out_of_range=(0, -1),
             skip=("NaN", "inf"))
lang_case(K, lambda lang: loyalty.loyalty_status(tx(), lang=lang))
ok(K, "single customer", lambda: loyalty.loyalty_status(tx().iloc[:2])["repeat_purchases"].tolist(), [1])

K = "loyalty.value_loyalty_matrix"
values_cases(K, lambda v: loyalty.value_loyalty_matrix(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]),
             "value", negative_ok=True)
values_cases(K, lambda v: loyalty.value_loyalty_matrix([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
             "loyalty", empty_ok=True, bools=False)
bad(K, "different lengths", lambda: loyalty.value_loyalty_matrix([1, 2], [1]), "value, loyalty")
lang_case(K, lambda lang: loyalty.value_loyalty_matrix([1, 2], [1, 2], lang=lang))

K = "loyalty.relationship_actions"
lang_case(K, lambda lang: loyalty.relationship_actions(lang=lang))

K = "loyalty.retention_saving"
scalar_cases(K, lambda x: loyalty.retention_saving(x), "sales_cost", out_of_range=(-1,))
scalar_cases(K, lambda x: loyalty.retention_saving(100, retention_gain=x), "retention_gain", out_of_range=(-0.1, 1.5))
ok(K, "hand-computed", lambda: loyalty.retention_saving(1000, retention_gain=0.02), 100.0)

K = "loyalty.unhappy_reach"
scalar_cases(K, lambda x: loyalty.unhappy_reach(x), "n_unhappy", out_of_range=(-1,))
scalar_cases(K, lambda x: loyalty.unhappy_reach(3, reach=x), "reach", out_of_range=(-1,))
ok(K, "hand-computed", lambda: loyalty.unhappy_reach(4, reach=25), 100.0)

K = "loyalty.retention_economics"
RE = dict(customers=1000, retention_rate=0.8, sales_cost=100_000, retention_cost=50, customer_value=300)
for fld, rng in (("customers", (-1,)), ("retention_rate", (-0.1, 1.5)), ("sales_cost", (-1,)),
                 ("retention_cost", (-1,)), ("customer_value", (-1,)), ("multiple", (-1,))):
    scalar_cases(K, lambda x, fld=fld: loyalty.retention_economics(**{**RE, fld: x}), fld, out_of_range=rng)
lang_case(K, lambda lang: loyalty.retention_economics(**RE, lang=lang))

K = "loyalty.cohort_retention"
table_cases(K, loyalty.cohort_retention, tx, "tx", required=["customer_id", "date"], ids=["customer_id"],
            dates=["date"])
bad(K, "unknown period", lambda: loyalty.cohort_retention(tx(), period="fortnight"), "period")
bad(K, "counts not a bool", lambda: loyalty.cohort_retention(tx(), counts="yes"), "counts")
ok(K, "single customer", lambda: loyalty.cohort_retention(tx().iloc[:2]),
   lambda r: r.iloc[0, 0] == 1.0 and len(r) == 1)

K = "loyalty.retention_curve"
table_cases(K, loyalty.retention_curve, lambda: loyalty.cohort_retention(tx()), "triangle")
ok(K, "no cohort sizes: cohorts weigh the same", lambda: loyalty.retention_curve(
    pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]})).tolist(), [1.0, 0.5])
ok(K, "hand-computed", lambda: loyalty.retention_curve(loyalty.cohort_retention(tx())).round(6).tolist()[:2],
   lambda r: r[0] == 1.0)

K = "loyalty.churn_watch"
table_cases(K, loyalty.churn_watch, tx, "tx", required=["customer_id", "date"], ids=["customer_id"], dates=["date"])
bad(K, "as_of before the last purchase", lambda: loyalty.churn_watch(tx(), as_of="2024-01-15"), "date",
    rows=[1, 2, 3, 4])
bad(K, "lapsed below at_risk", lambda: loyalty.churn_watch(tx(), at_risk=3, lapsed=2), "lapsed")
scalar_cases(K, lambda x: loyalty.churn_watch(tx(), at_risk=x), "at_risk", out_of_range=(0, -1))
lang_case(K, lambda lang: loyalty.churn_watch(tx(), lang=lang))
ok(K, "as_of in the future: everyone lapsed", lambda: loyalty.churn_watch(tx(), as_of="2030-01-01"),
   lambda r: r["status"].astype(str).str.startswith("lapsed").loc[["A", "C"]].all())

for fname in ("churn_causes", "winback_steps"):
    ok(f"loyalty.{fname}", "reference table", getattr(loyalty, fname),
       lambda r: isinstance(r, pd.DataFrame) and len(r) > 0)

K = "loyalty.key_accounts"
values_cases(K, lambda v: loyalty.key_accounts(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]), "value")
values_cases(K, lambda v: loyalty.key_accounts([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v), "potential",
             empty_ok=True)
scalar_cases(K, lambda x: loyalty.key_accounts([1, 2], [1, 2], top=x), "top", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: loyalty.key_accounts([1, 2], [1, 2], value_weight=x), "value_weight",
             out_of_range=(-0.1, 1.5))
ok(K, "single account is key", lambda: loyalty.key_accounts([5.0], [3.0])["key_account"].tolist(), [True])
ok(K, "all-equal values", lambda: loyalty.key_accounts([5.0] * 4, [5.0] * 4), lambda r: finite(r))

K = "loyalty.allocate_resources"
table_cases(K, lambda d: loyalty.allocate_resources(d, budget=1000), key_acc, "accounts",
            required=["score", "key_account"], money=["score"], flags=["key_account"])
scalar_cases(K, lambda x: loyalty.allocate_resources(key_acc(), budget=x), "budget", out_of_range=(-1,))
scalar_cases(K, lambda x: loyalty.allocate_resources(key_acc(), 1000, key_share=x), "key_share",
             out_of_range=(-0.1, 1.5))
ok(K, "sums to the budget", lambda: float(loyalty.allocate_resources(key_acc(), 1000).sum()), 1000.0)

K = "loyalty.clv_report"
table_cases(K, loyalty.clv_report, lambda: datasets.make_transactions(n_customers=40, seed=1), "tx",
            required=["customer_id", "date", "amount"], ids=["customer_id"], money=["amount"], dates=["date"])
scalar_cases(K, lambda x: loyalty.clv_report(tx(), horizon_months=x), "horizon_months", out_of_range=(0, -1))
scalar_cases(K, lambda x: loyalty.clv_report(tx(), annual_discount=x), "annual_discount", out_of_range=(-0.1, 1.5))
bad(K, "single customer: too few repeat buyers to fit", lambda: loyalty.clv_report(tx().iloc[:2]), "tx")
bad(K, "tiny log: too few repeat buyers to fit", lambda: loyalty.clv_report(tx()), "tx")
ok(K, "small log", lambda: loyalty.clv_report(datasets.make_transactions(n_customers=40, seed=1)), finite)

# ============================================================================ clv
K = "clv.summary_from_transactions"
table_cases(K, clv.summary_from_transactions, tx, "tx", required=["customer_id", "date", "amount"],
            ids=["customer_id"], money=["amount"], dates=["date"])
bad(K, "observation_end before every purchase",
    lambda: clv.summary_from_transactions(tx(), observation_end="2023-12-01"), "observation_end")
ok(K, "observation_end inside the log: later purchases are left out",
   lambda: clv.summary_from_transactions(tx(), observation_end="2024-02-01"), lambda r: sorted(r.index) == ["A", "B"])
bad(K, "freq unknown", lambda: clv.summary_from_transactions(tx(), freq="fortnight"), "freq")
ok(K, "single customer", lambda: clv.summary_from_transactions(tx().iloc[:2]),
   lambda r: r.loc["A", "frequency"] == 1 and finite(r))

SUMM = dict(frequency=[0, 2, 5, 1], recency=[0.0, 10.0, 30.0, 4.0], T=[40.0, 40.0, 40.0, 40.0])
for cls in ("BetaGeo", "ParetoNBD"):
    K = f"clv.{cls}"
    C = getattr(clv, cls)
    fit = f"{cls}.fit"
    bad(K, "recency above T", lambda C=C: C().fit([1, 2], [10.0, 50.0], [40.0, 40.0]), "recency", [1], func=fit)
    bad(K, "negative frequency", lambda C=C: C().fit([1, -2], [10.0, 5.0], [40.0, 40.0]), "frequency", [1], func=fit)
    bad(K, "frequency 1,234.5", lambda C=C: C().fit([1, "1,234.5"], [10.0, 5.0], [40.0, 40.0]), "frequency", [1],
        func=fit)
    bad(K, "fractional frequency", lambda C=C: C().fit([1, 2.5], [10.0, 5.0], [40.0, 40.0]), "frequency", [1],
        func=fit)
    bad(K, "NaN recency", lambda C=C: C().fit([1, 2], [10.0, np.nan], [40.0, 40.0]), "recency", [1], func=fit)
    bad(K, "lengths differ", lambda C=C: C().fit([1, 2], [10.0], [40.0, 40.0]), "frequency, recency, T", func=fit)
    bad(K, "empty", lambda C=C: C().fit([], [], []), "frequency", func=fit)
    bad(K, "max_iter text", lambda C=C: C(max_iter="many").fit(**SUMM), "max_iter", func=fit)
    bad(K, "max_iter zero", lambda C=C: C(max_iter=0).fit(**SUMM), "max_iter", func=fit)
    bad(K, "predict before fit", lambda C=C: C().prob_alive(1, 5.0, 40.0), None, func=f"{cls}.prob_alive",
        contains=("not fitted",))
    bad(K, "nobody repeats", lambda C=C: C().fit([0, 0, 0], [0.0, 0.0, 0.0], [40.0, 40.0, 40.0]), "frequency",
        func=fit)

K = "clv.simulate_beta_geo"
for fld in ("r", "alpha", "a", "b"):
    scalar_cases(K, lambda x, fld=fld: clv.simulate_beta_geo(**{**dict(n=5, r=0.5, alpha=5.0, a=0.8, b=2.5), fld: x}),
                 fld, out_of_range=(0, -1))
scalar_cases(K, lambda x: clv.simulate_beta_geo(x, 0.5, 5.0, 0.8, 2.5), "n", out_of_range=(0, -3),
             skip=("NaN", "inf"))
bad(K, "seed text", lambda: clv.simulate_beta_geo(5, 0.5, 5.0, 0.8, 2.5, seed="x"), "seed")

K = "clv.GammaGamma"
bad(K, "fewer than two repeat buyers", lambda: clv.GammaGamma().fit([0, 2], [0.0, 5.0]), "frequency",
    func="GammaGamma.fit")
bad(K, "negative spend", lambda: clv.GammaGamma().fit([1, 2], [10.0, -5.0]), "monetary_value", [1],
    func="GammaGamma.fit")
bad(K, "spend text", lambda: clv.GammaGamma().fit([1, 2], [10.0, "1,234.5"]), "monetary_value", [1],
    func="GammaGamma.fit")
bad(K, "lengths differ", lambda: clv.GammaGamma().fit([1, 2], [10.0]), "frequency, monetary_value",
    func="GammaGamma.fit")
bad(K, "predict before fit", lambda: clv.GammaGamma().conditional_expected_spend([1], [5.0]), None,
    func="GammaGamma.conditional_expected_spend", contains=("not fitted",))


def _bg():
    bg = clv.BetaGeo()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return bg


K = "clv.customer_lifetime_value"
bad(K, "model not fitted", lambda: clv.customer_lifetime_value(clv.BetaGeo(), 30.0, [0], [0.0], [38.0]),
    "transaction_model")
bad(K, "model of the wrong kind", lambda: clv.customer_lifetime_value("BG/NBD", 30.0, [0], [0.0], [38.0]),
    "transaction_model")
bad(K, "negative spend", lambda: clv.customer_lifetime_value(_bg(), -30.0, [0], [0.0], [38.0]),
    "spend_model_or_spend")
bad(K, "recency above T", lambda: clv.customer_lifetime_value(_bg(), 30.0, [1], [50.0], [38.0]), "recency", [0])
scalar_cases(K, lambda x: clv.customer_lifetime_value(_bg(), 30.0, [0], [0.0], [38.0], horizon=x), "horizon",
             out_of_range=(0, -1))
scalar_cases(K, lambda x: clv.customer_lifetime_value(_bg(), 30.0, [0], [0.0], [38.0], discount_rate=x),
             "discount_rate", out_of_range=(-0.5,))
ok(K, "huge spend", lambda: clv.customer_lifetime_value(_bg(), 1e200, [2], [30.0], [38.0]), finite)

# ============================================================================ casework
K = "casework.make_casino_players"
scalar_cases(K, lambda x: CW.make_casino_players(x), "n", out_of_range=(-1,), skip=("NaN", "inf"))
bad(K, "seed text", lambda: CW.make_casino_players(5, seed="x"), "seed")

K = "casework.design_tiers"
values_cases(K, CW.design_tiers, "value", negative_ok=True)
bad(K, "cuts decreasing", lambda: CW.design_tiers([1, 2, 3], cuts=(0.9, 0.5, 0.8)), "cuts")
lang_case(K, lambda lang: CW.design_tiers([1, 2, 3], lang=lang))
ok(K, "single player", lambda: CW.design_tiers([5.0]), lambda r: len(r) == 1 and r["tier"].notna().all())
ok(K, "all-equal values", lambda: CW.design_tiers([5.0] * 8), lambda r: r["tier"].notna().all())

K = "casework.comp_response"
scalar_cases(K, lambda x: CW.comp_response(x), "comp_rate", out_of_range=(-0.1, 1.5))
scalar_cases(K, lambda x: CW.comp_response(0.1, base_retention=x), "base_retention", out_of_range=(-0.1, 1.5))
ok(K, "no comp keeps the base rate", lambda: float(CW.comp_response(0.0, 0.5, 0.06)), 0.5)

K = "casework.comp_economics"
values_cases(K, lambda v: CW.comp_economics(v, ["silver"] * (len(v) if isinstance(v, list) else 2)), "loss",
             negative_ok=True)
bad(K, "unknown tier", lambda: CW.comp_economics([1.0, 2.0], ["silver", "bronze"]), "tier", [1])
bad(K, "lengths differ", lambda: CW.comp_economics([1.0, 2.0], ["silver"]), "loss, tier")
bad(K, "comp_rates too few", lambda: CW.comp_economics([1.0], ["silver"], comp_rates=(0.1,)), "comp_rates")
lang_case(K, lambda lang: CW.comp_economics([1.0], ["silver"], lang=lang))

K = "casework.make_lobby_visitors"
scalar_cases(K, lambda x: CW.make_lobby_visitors(x), "n", out_of_range=(-1,), skip=("NaN", "inf"))

K = "casework.lobby_triage"
LOBBY = ["visitor_id", "arrival_min", "purpose", "assets", "annual_inflow", "decides"]
table_cases(K, CW.lobby_triage, lambda: CW.make_lobby_visitors(6, seed=1), "visitors", required=LOBBY,
            ids=["visitor_id"], unique=["visitor_id"], money=["arrival_min", "assets", "annual_inflow"],
            flags=["decides"], row_id="visitor_id")
bad(K, "weights negative", lambda: CW.lobby_triage(CW.make_lobby_visitors(6), weights=(1, -1, 1)), "weights")
bad(K, "weights too few", lambda: CW.lobby_triage(CW.make_lobby_visitors(6), weights=(1, 1)), "weights")
lang_case(K, lambda lang: CW.lobby_triage(CW.make_lobby_visitors(6), lang=lang))
ok(K, "single visitor", lambda: CW.lobby_triage(CW.make_lobby_visitors(6, seed=1).iloc[[0]].assign(assets=5e5)),
   lambda r: len(r) == 1)

K = "casework.make_station"
for fld in ("n_employees", "months", "new_per_employee"):
    scalar_cases(K, lambda x, fld=fld: CW.make_station(**{fld: x}), fld, out_of_range=(0, -1), skip=("NaN", "inf"))

for fname in ("file_quota", "monthly_files"):
    K = f"casework.{fname}"
    table_cases(K, getattr(CW, fname), lambda: station()["customers"], "customers", required=["employee", "joined"],
                ids=["employee"], dates=["joined"])
    scalar_cases(K, lambda x, fname=fname: getattr(CW, fname)(station()["customers"], per_month=x), "per_month",
                 out_of_range=(0, -1), skip=("NaN", "inf"))

K = "casework.follow_up_outcomes"
table_cases(K, lambda d: CW.follow_up_outcomes(watch(), d), lambda: station()["complaints"], "complaints",
            required=["customer_id", "remedy_h", "follow_up_h"], ids=["customer_id"], money=["remedy_h"],
            nan_ok=("lapsed_share", "at_risk_or_lapsed_share"))   # documented: NaN for a group without customers
table_cases(K, lambda d: CW.follow_up_outcomes(d, station()["complaints"]), watch, "watch", required=["status"],
            nan_ok=("lapsed_share", "at_risk_or_lapsed_share"))
scalar_cases(K, lambda x: CW.follow_up_outcomes(watch(), station()["complaints"], follow_up_days=x),
             "follow_up_days", out_of_range=(-1,))
lang_case(K, lambda lang: CW.follow_up_outcomes(watch(), station()["complaints"], lang=lang))

K = "casework.winback_by_employee"
table_cases(K, lambda d: CW.winback_by_employee(watch(), d), lambda: station()["customers"], "customers",
            required=["customer_id", "employee"], ids=["customer_id", "employee"], unique=["customer_id"])
table_cases(K, lambda d: CW.winback_by_employee(d, station()["customers"]), watch, "watch",
            required=["status", "overdue"], money=["overdue"], relabel=False)

K = "casework.make_rice_purchases"
for fld in ("n_households", "days"):
    scalar_cases(K, lambda x, fld=fld: CW.make_rice_purchases(**{fld: x}), fld, out_of_range=(0, -1),
                 skip=("NaN", "inf"))
bad(K, "start not a date", lambda: CW.make_rice_purchases(5, 30, start="someday"), "start")

K = "casework.rice_run_out"
table_cases(K, lambda d: CW.rice_run_out(d, as_of="2025-03-10"), rice, "purchases",
            required=["household_id", "household_size", "date", "kg"], ids=["household_id"],
            money=["household_size", "kg"], dates=["date"])
bad(K, "as_of before the last purchase", lambda: CW.rice_run_out(rice(), as_of="2025-02-01"), "as_of")
bad(K, "household size zero", lambda: CW.rice_run_out(_set(rice(), 1, "household_size", 0), as_of="2025-03-10"),
    "household_size", [1])
ok(K, "as_of in the future: run-out in the past, days_left negative",
   lambda: CW.rice_run_out(rice(), as_of="2026-01-01"), lambda r: (r["days_left"] < 0).all())

K = "casework.delivery_plan"
FC = lambda: CW.rice_run_out(rice(), as_of="2025-03-10")  # noqa: E731
table_cases(K, lambda d: CW.delivery_plan(d, as_of="2025-03-10"), FC, "forecast",
            required=["run_out", "last_kg", "household_size"], money=["last_kg", "household_size"],
            dates=["run_out"])
scalar_cases(K, lambda x: CW.delivery_plan(FC(), horizon_days=x, as_of="2025-03-10"), "horizon_days",
             out_of_range=(0, -1), skip=("NaN", "inf"))
scalar_cases(K, lambda x: CW.delivery_plan(FC(), lead_days=x, as_of="2025-03-10"), "lead_days",
             out_of_range=(-1,), skip=("NaN", "inf"))

K = "casework.backtest_deliveries"
table_cases(K, lambda d: CW.backtest_deliveries(d, cutoff="2025-02-01", interval_days=7), rice, "purchases",
            required=["household_id", "date"], ids=["household_id"], dates=["date"])
bad(K, "cutoff not a date", lambda: CW.backtest_deliveries(rice(), cutoff="soon"), "cutoff")
bad(K, "cutoff after every purchase", lambda: CW.backtest_deliveries(rice(), cutoff="2026-01-01"), "cutoff")
scalar_cases(K, lambda x: CW.backtest_deliveries(rice(), "2025-02-01", interval_days=x), "interval_days",
             out_of_range=(0, -1), skip=("NaN", "inf"))
lang_case(K, lambda lang: CW.backtest_deliveries(rice(), "2025-02-01", lang=lang))

K = "casework.schedule_summary"
BT = lambda: pd.DataFrame({"predictive_gap": [0, -1, 2, -9], "fixed_gap": [5, 3, -2, -20]})  # noqa: E731
table_cases(K, CW.schedule_summary, BT, "backtest", required=["predictive_gap", "fixed_gap"],
            signed=["predictive_gap", "fixed_gap"])
lang_case(K, lambda lang: CW.schedule_summary(BT(), lang=lang))

K = "casework.make_bank_clients"
for fld in ("n_clients", "n_quarters"):
    scalar_cases(K, lambda x, fld=fld: CW.make_bank_clients(**{fld: x}), fld, out_of_range=(0, -1),
                 skip=("NaN", "inf"))

K = "casework.coverage_review"
table_cases(K, lambda d: CW.coverage_review(d, bank()["insurance"]), lambda: bank()["clients"], "clients",
            required=["client_id", "annual_income"], ids=["client_id"], unique=["client_id"], money=["annual_income"],
            row_id="client_id")
table_cases(K, lambda d: CW.coverage_review(bank()["clients"], d), lambda: bank()["insurance"], "insurance",
            required=["client_id", "policy", "cover", "annual_premium"], ids=["client_id"],
            money=["cover", "annual_premium"], empty_ok=True)
scalar_cases(K, lambda x: CW.coverage_review(bank()["clients"], bank()["insurance"], life_multiple=x),
             "life_multiple", out_of_range=(-1, 100))

ASSETS = ["client_id", "quarter", "asset_class", "value"]
for fname, call in (("asset_review", lambda d: CW.asset_review(d, "C001")),
                    ("asset_mix", lambda d: CW.asset_mix(d, "C001")),
                    ("review_frequency", CW.review_frequency)):
    K = f"casework.{fname}"
    table_cases(K, call, lambda: bank()["assets"], "assets", required=ASSETS, ids=["client_id", "quarter"],
                money=["value"], nan_ok=("change",))   # documented: no change for the first quarter
bad("casework.asset_review", "unknown client", lambda: CW.asset_review(bank()["assets"], "nobody"), "client")
bad("casework.asset_mix", "unknown client", lambda: CW.asset_mix(bank()["assets"], "nobody"), "client")
bad("casework.asset_mix", "unknown quarter", lambda: CW.asset_mix(bank()["assets"],
                                                                 bank()["clients"]["client_id"].iloc[0], "1999Q1"),
    "quarter")
K = "casework.review_frequency"
bad(K, "monthly below quarterly", lambda: CW.review_frequency(bank()["assets"], monthly_from=1e5,
                                                             quarterly_from=1e6), "monthly_from")
scalar_cases(K, lambda x: CW.review_frequency(bank()["assets"], change_trigger=x), "change_trigger",
             out_of_range=(-0.1,))
lang_case(K, lambda lang: CW.review_frequency(bank()["assets"], lang=lang))

K = "casework.pick_client"
table_cases(K, lambda d: CW.pick_client(d, 1), lambda: bank()["clients"], "clients", required=["client_id"],
            ids=["client_id"])
scalar_cases(K, lambda x: CW.pick_client(bank()["clients"], x), "number", out_of_range=(0, 4, -1),
             skip=("NaN", "inf"))

K = "casework.key_account_needs"
table_cases(K, CW.key_account_needs, accounts, "accounts",
            required=[ACC_ID, "satisfaction", "price_sensitivity", "partnership_interest"], ids=[ACC_ID],
            unique=[ACC_ID], money=["satisfaction", "price_sensitivity", "partnership_interest"], row_id=ACC_ID)
lang_case(K, lambda lang: CW.key_account_needs(accounts(), lang=lang))

K = "casework.key_account_plan"
table_cases(K, CW.key_account_plan, accounts, "accounts", required=[ACC_ID, "revenue", "revenue_growth"],
            ids=[ACC_ID], unique=[ACC_ID], money=["revenue"], signed=["revenue_growth"], row_id=ACC_ID)
scalar_cases(K, lambda x: CW.key_account_plan(accounts(), top=x), "top", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: CW.key_account_plan(accounts(), budget=x), "budget", out_of_range=(-1,))
lang_case(K, lambda lang: CW.key_account_plan(accounts(), lang=lang))
ok(K, "single account", lambda: CW.key_account_plan(accounts().iloc[:1]), lambda r: len(r) == 1)

# ============================================================================ datasets
for fname, fld, extra in (("make_transactions", "n_customers", {}), ("make_prospects", "n", {}),
                          ("make_accounts", "n", {}), ("make_leads", "n", {}), ("make_survey", "n_respondents", {}),
                          ("make_complaints", "n", {})):
    K = f"datasets.{fname}"
    f = getattr(datasets, fname)
    scalar_cases(K, lambda x, f=f, fld=fld: f(**{fld: x}), fld, out_of_range=(-1,), skip=("NaN", "inf"))
    bad(K, "seed text", lambda f=f: f(seed="x"), "seed")
    bad(K, "seed negative", lambda f=f: f(seed=-1), "seed")
for fname in ("make_transactions", "make_leads", "make_complaints"):
    K = f"datasets.{fname}"
    f = getattr(datasets, fname)
    bad(K, "start not a date", lambda f=f: f(5, start="someday"), "start")
    bad(K, "end before start", lambda f=f: f(5, start="2024-06-01", end="2024-01-01"), "start, end")
K = "datasets.make_invoices"
table_cases(K, datasets.make_invoices, accounts, "accounts", required=["account_id", "revenue", "payment_terms"],
            ids=["account_id"], unique=["account_id"], money=["revenue", "payment_terms"], row_id="account_id",
            none_ok=True)
bad(K, "end before start", lambda: datasets.make_invoices(accounts(), start="2024-06-01", end="2024-01-01"),
    "start, end")
for fname in ("dataset_path", "load_dataset"):
    K = f"datasets.{fname}"
    bad(K, "unknown name", lambda fname=fname: getattr(datasets, fname)("retail_transaction"), "name",
        contains=("retail_transactions",))
    bad(K, "name not a string", lambda fname=fname: getattr(datasets, fname)(3), "name")
ok("datasets.list_datasets", "names", datasets.list_datasets, lambda r: "retail_transactions" in r)


def _csv(text: str, name: str = "mine.csv", encoding: str = "utf-8"):
    import tempfile
    from pathlib import Path
    p = Path(tempfile.mkdtemp()) / name
    p.write_bytes(text.encode(encoding))
    return p


PROSPECTS_CSV = ("prospect_id,source,money,authority,need,expected_close_days,estimated_value\n"
                 "P1,trade fair,True,False,True,30,100.0\nP2,web,False,True,True,10,250.5\n")
K = "datasets.read_csv"
bad(K, "no such file", lambda: datasets.read_csv("/nonexistent/mine.csv"), "path")
bad(K, "unknown kind", lambda: datasets.read_csv(_csv(PROSPECTS_CSV), kind="prospect"), "kind")
bad(K, "column missing", lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("need,", "needs,")), kind="prospects"),
    "need")
bad(K, "thousands separator in a number column", lambda: datasets.read_csv(
    _csv(PROSPECTS_CSV.replace("250.5", '"1,234.5"')), kind="prospects"), "estimated_value", rows=[1])
bad(K, "yes/no column holding 'maybe'", lambda: datasets.read_csv(
    _csv(PROSPECTS_CSV.replace("P2,web,False", "P2,web,maybe")), kind="prospects"), "money", rows=[1])
# reading keeps a blank id (a file may be read to be cleaned); the function that uses it names the row
bad(K, "missing id, named by the function that uses it", lambda: qualification.customer_state(
    tx(), datasets.read_csv(_csv(PROSPECTS_CSV.replace("P2,", ",")), kind="prospects")), "prospect_id", rows=[1],
    func="customer_state")
ok(K, "GBK file", lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("web", "网站"), encoding="gbk"), kind="prospects"),
   lambda r: r["source"].tolist() == ["trade fair", "网站"])
ok(K, "empty file with a header only", lambda: datasets.read_csv(_csv(PROSPECTS_CSV.splitlines()[0] + "\n")),
   lambda r: len(r) == 0)
bad("datasets.regenerate", "out is a file", lambda: datasets.regenerate(__file__), "out")

# ============================================================================ exercises, i18n, params
NO_INPUT["exercises.ExerciseCheckFailed"] = "the error raised by strict self-checks"
NO_INPUT["exercises.Exercise"] = "registry record created by @exercise"
K = "exercises.exercise"
bad(K, "tol negative", lambda: exercises.exercise("demo.x", hint="h", tol=-1), "tol")
bad(K, "id not a string", lambda: exercises.exercise(3, hint="h"), "ex_id")
K = "exercises.expected"
bad(K, "unknown exercise", lambda: exercises.expected("ch1.nope"), "exercise")
bad(K, "missing data", lambda: exercises.expected("ch1.top_share"), "data")
bad(K, "bad data: the error of the crmlib function the solution uses", lambda: exercises.expected(
    "ch1.top_share", tx=tx().drop(columns=["amount"]), fraction=0.5), "amount", func="rfm_table")
K = "exercises.is_correct"
bad(K, "tol negative", lambda: exercises.is_correct(1, 1, tol=-1), "tol")
ok(K, "NaN answer is wrong, not an error", lambda: exercises.is_correct(float("nan"), 1.0), False)
K = "exercises.check"
bad(K, "unknown exercise", lambda: exercises.check("ch1.nope", 1), "exercise")
ok(K, "a text answer to a number question is wrong, not a crash",
   lambda: exercises.check("ch1.top_share", "0.7", tx=tx(), fraction=0.5, strict=False), False)

K = "exercises.to_jsonable"     # answers recorded for grading: never NaN/inf in the JSON
ok(K, "NaN becomes null", lambda: exercises.to_jsonable(float("nan")), None)
ok(K, "inf becomes null", lambda: exercises.to_jsonable(float("-inf")), None)
ok(K, "numpy integer becomes int", lambda: exercises.to_jsonable(np.int64(7)), 7)
ok(K, "ids of a Series are sorted text", lambda: exercises.to_jsonable(pd.Series([3, 1])), ["1", "3"])
K = "exercises.collected_output"
ok(K, "nothing checked yet", lambda: exercises.collected_output({}, {}),
   {exercises.RECORD_MIME: {"record": {}, "key": {}}})
ok(K, "a failed expectation is passed on as an error entry",
   lambda: exercises.collected_output({}, {"q": {"error": "boom"}})[exercises.RECORD_MIME]["key"],
   {"q": {"error": "boom"}})

K = "i18n.set_language"
bad(K, "unknown language", lambda: i18n.set_language("fr"), "lang")
bad(K, "None", lambda: i18n.set_language(None), "lang")
ok("i18n.get_language", "default", i18n.get_language, "en")
K = "i18n.resolve"
bad(K, "unknown language", lambda: i18n.resolve("fr"), "lang", func="label")
K = "i18n.label"
bad(K, "unknown key", lambda: i18n.label("champinos"), "key")
bad(K, "key not a string", lambda: i18n.label(3), "key")
lang_case(K, lambda lang: i18n.label("lost", lang))
K = "i18n.term"
bad(K, "unknown key", lambda: i18n.term("champinos"), "key")
K = "i18n.categories"
bad(K, "unknown key", lambda: i18n.categories(["A", "nope"]), "key")
bad(K, "a bare string", lambda: i18n.categories("ABC"), "keys")
lang_case(K, lambda lang: i18n.categories(["A"], lang))
K = "i18n.categorical"
bad(K, "code out of range", lambda: i18n.categorical(pd.Series([0, 2]), ["relational", "transactional"]), "codes", [1])
bad(K, "NaN code", lambda: i18n.categorical(pd.Series([0, np.nan]), ["relational", "transactional"]), "codes", [1])
lang_case(K, lambda lang: i18n.categorical(pd.Series([0]), ["relational", "transactional"], lang))
K = "i18n.glossary"
bad(K, "search not a string", lambda: i18n.glossary(3), "search")
ok(K, "no match gives an empty table", lambda: len(i18n.glossary("zzzzzz")), 0)
ok("i18n.cjk_font", "a font name or None", i18n.cjk_font, lambda r: r is None or isinstance(r, str))
ok("i18n.packaged_cjk_font", "a path or None", lambda: getattr(i18n, "packaged_cjk_font")(),
   lambda r: r is None or r.exists())
lang_case("i18n.use_fonts", lambda lang: i18n.use_fonts(lang))

NO_INPUT["params.Param"] = "specification record read by check_parameters"
K = "params.check_parameters"
SPEC = {"seed": params.Param(int, lo=0), "share": params.Param(float, lo=0, hi=1)}
bad(K, "out of range", lambda: params.check_parameters({"seed": 3, "share": 1.5}, SPEC), "share", func="parameters")
bad(K, "misspelt", lambda: params.check_parameters({"seed": 3, "shar": 0.5}, SPEC), "shar", func="parameters")
bad(K, "wrong type", lambda: params.check_parameters({"seed": "3", "share": 0.5}, SPEC), "seed", func="parameters")
bad(K, "NaN", lambda: params.check_parameters({"seed": 3, "share": float("nan")}, SPEC), "share", func="parameters")
bad(K, "namespace not a mapping", lambda: params.check_parameters([("seed", 3)], SPEC), "namespace", func="parameters")
K = "params.notebook_parameters"
bad(K, "unknown notebook", lambda: params.notebook_parameters("99_nope", {}), "notebook", func="parameters")
bad(K, "misspelt parameter", lambda: params.notebook_parameters("00_start_here", {"lang": "en", "langg": "zh"}),
    "langg", func="parameters")


# ============================================================================ column keywords
def _column_keyword_cases() -> None:
    """``amount_col=["amount"]`` (a list) or ``amount_col="Amount"``: a CRMDataError, for every
    ``*_col`` keyword of a function whose only required argument is its table."""
    done = set()
    for key, make in TABLES:
        mod, name = key.split(".")
        f = getattr(importlib.import_module(f"crmlib.{mod}"), name)
        params = list(inspect.signature(f).parameters.values())
        if key in done or any(p.default is inspect.Parameter.empty for p in params[1:]):
            continue
        done.add(key)
        for p in params:
            if p.name.endswith("_col") and isinstance(p.default, str):
                bad(key, f"{p.name} a list", lambda f=f, p=p, make=make: f(make(), **{p.name: [p.default]}),
                    "stage_col" if p.name == "stage_col" else "columns")
                bad(key, f"{p.name} names no column", lambda f=f, p=p, make=make: f(make(), **{p.name: "Nope"}),
                    "Nope")


# ============================================================================ plots (argument checks only)
def _plot_cases(name: str) -> None:
    """Every plot: no data, a bare string or an empty table → CRMDataError naming the plot.

    (Plots draw results of the functions above, whose own bad input is catalogued there.)
    """
    from crmlib import plots
    f = getattr(plots, name)
    first = next(iter(inspect.signature(f).parameters))

    def run(arg, field):
        import matplotlib.pyplot as plt
        try:
            with pytest.raises(CRMDataError) as info:
                f(arg)
            assert info.value.func == name, str(info.value)
            assert field is None or info.value.field == field, str(info.value)
        finally:
            plt.close("all")
    _add(f"plots.{name}", f"{first}: None", lambda: run(None, first))
    _add(f"plots.{name}", f"{first}: a bare string", lambda: run("abc", first))
    _add(f"plots.{name}", f"{first}: an empty table", lambda: run(pd.DataFrame(), None))
    if "lang" in inspect.signature(f).parameters:
        def bad_lang():
            import matplotlib.pyplot as plt
            try:
                expect_error(lambda: f(None, lang="fr"), name, "lang")
            finally:
                plt.close("all")
        _add(f"plots.{name}", "unknown language", bad_lang)


for _name in public_functions("plots"):
    _plot_cases(_name)
_column_keyword_cases()


# ============================================================================ the tests
def test_every_public_function_has_an_entry():
    missing = []
    for m in MODULES:
        for n in public_functions(m):
            key = f"{m}.{n}"
            if key not in CATALOGUE and key not in NO_INPUT:
                missing.append(key)
    assert not missing, f"public functions without bad-input cases in tests/test_bad_input.py: {missing}"


def test_every_lang_parameter_is_checked():
    missing = []
    for m in MODULES:
        mod = importlib.import_module(f"crmlib.{m}")
        for n in public_functions(m):
            f = getattr(mod, n)
            if not inspect.isclass(f) and "lang" in inspect.signature(f).parameters:
                if not any(c.name == "unknown language" for c in CATALOGUE.get(f"{m}.{n}", [])):
                    missing.append(f"{m}.{n}")
    assert not missing, f"functions taking lang= without an 'unknown language' case: {missing}"


def test_catalogue_names_only_existing_functions():
    known = {f"{m}.{n}" for m in MODULES for n in public_functions(m)}
    stale = sorted(set(CATALOGUE) - known)
    assert not stale, stale


CASES = [c for cases in CATALOGUE.values() for c in cases]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.key}[{c.name}]" for c in CASES])
def test_bad_input(case):
    case.run()
