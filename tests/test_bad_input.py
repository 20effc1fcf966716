"""A table-driven catalogue of the bad inputs users really produce, for every public function.

Each public function of every public module of crmlib (``MODULES``: the topic modules, and also
``records``, ``widgets``, ``instructor``, ``book`` and ``cli``; a package's functions under the names it
re-exports, ``casework.design_tiers``) has an entry in ``CATALOGUE``; so has each public method of
the classes in ``METHOD_CLASSES`` (``records.Archive.import_csv`` …). A test fails when a new public
function or method has none, so it gets covered. Only the private helpers (``_validate``,
``_checks``, ``_io``, ``_errors``: see ``test_validate.py`` and their doctests) are out of scope. An
entry is a list of cases:

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

* ``widget_bad(...)`` — a widget (class or factory) given a bad table or a starting value outside
  its slider/drop-down must raise the CRMDataError at construction (naming the widget or the crmlib
  function it wraps), never a raw traitlets.TraitError and never a silently clamped slider;
* ``cli_bad(...)`` — ``main([...])`` of ``crmlib.cli``/``crmlib.book`` with bad arguments returns 2
  and prints one line ``crmlib…: …`` (the command lines report rather than raise).

Cases stay cheap: archives are ``":memory:"`` or files in a temporary folder, and no case executes
a chapter notebook or the book (``book`` cases that reach ``execute``/``build_book`` use a two-cell
notebook, and fail before papermill starts). ``instructor`` errors carry the name of the command
the instructor ran (``assign``, ``grade``, ``release``) or ``parameters``, as its CLI reports them.

Classes that only carry results (``NPSResult``, ``AgingReport``, ``records.Card``, ``book.Page``, …)
are listed in ``NO_INPUT`` with the reason; models (``BetaGeo`` …) are covered through their
``fit``/prediction methods.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from _support import expect_error
from crmlib import (
    CRMDataError,
    casework as CW,
    clv,
    datasets,
    development,
    exercises,
    i18n,
    loyalty,
    params,
    qualification,
    receivables,
    records,
    satisfaction,
    segmentation,
    selection,
)

MODULES = [
    "segmentation",
    "qualification",
    "selection",
    "receivables",
    "development",
    "satisfaction",
    "loyalty",
    "clv",
    "casework",
    "datasets",
    "exercises",
    "i18n",
    "params",
    "plots",
    "records",
    "widgets",
    "lms",
    "instructor",
    "nbgrader_export",
    "editions",
    "book",
    "cli",
]
#: classes whose public methods each need an entry of their own (``records.Archive.import_csv``)
METHOD_CLASSES = {"records": ["Archive", "Card"]}


def _defined_in(mod) -> list[str]:
    """The public callables a module defines itself — in a package (``casework``, ``datasets``,
    ``records``), in any of its modules, each of which the package must re-export."""
    names = [
        n
        for n, o in vars(mod).items()
        if not n.startswith("_") and callable(o) and getattr(o, "__module__", None) == mod.__name__
    ]
    for sub in pkgutil.iter_modules(getattr(mod, "__path__", [])):
        names += _defined_in(importlib.import_module(f"{mod.__name__}.{sub.name}"))
    return names


def public_functions(module_name: str) -> list[str]:
    """The public callables of ``crmlib.<module_name>`` (``__all__`` if it has one, else those it
    defines; a package's are those of its modules), and the public methods of its
    :data:`METHOD_CLASSES` as ``Class.method``."""
    mod = importlib.import_module(f"crmlib.{module_name}")
    names = getattr(mod, "__all__", None)
    if names is None:
        names = _defined_in(mod)
    names = [n for n in names if callable(getattr(mod, n)) and not n.startswith("_")]
    for cls in METHOD_CLASSES.get(module_name, []):
        names += [
            f"{cls}.{m}" for m, o in vars(getattr(mod, cls)).items() if not m.startswith("_") and inspect.isfunction(o)
        ]
    return names


def resolve(module_name: str, name: str):
    """``crmlib.<module>.<name>``, where ``name`` may be ``Class.method``."""
    obj = importlib.import_module(f"crmlib.{module_name}")
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# ============================================================================ the case machinery
@dataclass
class Case:
    key: str  # "module.function"
    name: str  # what is wrong with the input
    run: Callable[[], None]


CATALOGUE: dict[str, list[Case]] = {}
NO_INPUT: dict[str, str] = {}
TABLES: list[tuple[str, Callable[[], pd.DataFrame]]] = []  # (function, a good table), for column keywords


def _add(key: str, name: str, run: Callable[[], None]) -> None:
    CATALOGUE.setdefault(key, []).append(Case(key, name, run))


def bad(
    key: str,
    name: str,
    call: Callable[[], Any],
    field: str,
    rows=None,
    func: str | None = None,
    contains: tuple[str, ...] = (),
) -> None:
    """``call()`` must raise CRMDataError naming ``func`` (default: the function), field and rows."""
    f = func or key.split(".")[-1]
    if field is None:  # an error about the object itself (e.g. a model not fitted yet)

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
    for attr in ("total", "steps", "by_category", "table"):  # result records
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


def table_cases(
    key: str,
    call: Callable[[pd.DataFrame], Any],
    make: Callable[[], pd.DataFrame],
    name: str,
    required=(),
    ids=(),
    unique=(),
    money=(),
    signed=(),
    dates=(),
    flags=(),
    pos: int = 1,
    empty_ok: bool = False,
    func: str | None = None,
    row_id: str | None = None,
    id_pos: int | None = None,
    none_ok: bool = False,
    relabel: bool = True,
    nan_ok=(),
) -> None:
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

    _add(key, f"{name}: not a DataFrame", lambda: expect_error(lambda: call(make().to_dict("records")), f, name))
    if not none_ok:
        _add(key, f"{name}: None", lambda: expect_error(lambda: call(None), f, name))

    def few(n, equal=False):
        def run():
            df = make().iloc[:n] if n else make()
            if equal:  # every number column constant (ties everywhere)
                df = df.assign(**{c: df[c].iloc[1] for c in [*money, *signed]})
            try:
                result = call(df)
            except CRMDataError as err:  # e.g. "needs at least two purchases": fine, if it is ours
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
        _add(
            key,
            f"{name}: column {col!r} missing",
            lambda col=col: expect_error(lambda: call(make().drop(columns=[col])), f, col, contains=(col,)),
        )
        if col.title() != col:
            _add(
                key,
                f"{name}: column {col!r} capitalised",
                lambda col=col: expect_error(
                    lambda: call(make().rename(columns={col: col.title()})),
                    f,
                    col,
                    contains=(f"did you mean '{col.title()}'",),
                ),
            )
        typo = col[: len(col) // 2] + col[len(col) // 2 + 1 :] if len(col) > 2 else col + "_"
        _add(
            key,
            f"{name}: column {col!r} misspelt {typo!r}",
            lambda col=col, typo=typo: expect_error(lambda: call(make().rename(columns={col: typo})), f, col),
        )
    for col in ids:
        _add(
            key,
            f"{name}: missing id in {col!r}",
            expect_rows(lambda col=col: _set(make(), id_pos, col, None), col, id_pos),
        )
        _add(
            key,
            f"{name}: blank id in {col!r}",
            expect_rows(lambda col=col: _set(make(), id_pos, col, "  "), col, id_pos),
        )
    for col in unique:

        def dup(col=col):
            df = make()
            df = _set(df, pos, col, df[col].iloc[pos - 1])
            err = expect_error(lambda: call(df), f, col)
            assert len(err.rows) == 2 and err.rows[1] in (df.index[pos], df[col].iloc[pos]), err

        _add(key, f"{name}: duplicated id in {col!r}", dup)
    for col in [*money, *signed]:
        for value, what in (("1,234.5", "thousands separator"), ("abc", "text"), (np.nan, "NaN"), (np.inf, "inf")):
            _add(
                key,
                f"{name}: {what} in {col!r}",
                expect_rows(lambda col=col, value=value: _set(make(), pos, col, value), col, pos),
            )
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
        _add(
            key,
            f"{name}: negative {col!r}",
            expect_rows(lambda col=col: _set(make(), pos, col, -abs(float(make()[col].iloc[pos])) - 1), col, pos),
        )
    for col in dates:
        _add(
            key,
            f"{name}: unparseable date in {col!r}",
            expect_rows(lambda col=col: _set(make(), pos, col, "31st of Smarch"), col, pos),
        )
        _add(
            key, f"{name}: missing date in {col!r}", expect_rows(lambda col=col: _set(make(), pos, col, None), col, pos)
        )

        def mixed(col=col):
            df = make()
            text = pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d").astype(object)
            text.iloc[pos] = pd.Timestamp(df[col].iloc[pos]).strftime("%d/%m/%Y")  # 10/02/2024 = 10 Feb
            df[col] = text
            return df

        _add(key, f"{name}: mixed date formats in {col!r}", expect_rows(mixed, col, pos))
        _add(
            key,
            f"{name}: numbers instead of dates in {col!r}",
            lambda col=col: expect_error(
                lambda: call(make().assign(**{col: np.arange(len(make())) + 20240101})), f, col
            ),
        )
    for col in flags:
        _add(
            key,
            f"{name}: 'maybe' in yes/no column {col!r}",
            expect_rows(lambda col=col: _set(make(), pos, col, "maybe"), col, pos),
        )
    # the rows are named by the table's own labels, not by positions (a sorted or filtered table)
    labelled = (
        [(c, "abc") for c in [*money, *signed]]
        + [(c, "31st of Smarch") for c in dates]
        + [(c, None) for c in ids]
        + [(c, "maybe") for c in flags]
    )
    if labelled and relabel:  # (relabel=False: the index is the customer id the function joins on)
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
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C", "C"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-10", "2024-01-20", "2024-02-02", "2024-03-01"]),
            "amount": [10.0, 20.0, 5.0, 40.0, 25.0],
            "margin": [3.0, 5.0, -1.0, 12.0, 6.0],
            "discount_pct": [0.1, 0.0, 0.3, 0.05, 0.2],
        }
    )


def prospects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "prospect_id": ["P1", "P2", "P3"],
            "money": [True, True, False],
            "authority": [True, False, True],
            "need": [True, False, True],
        }
    )


def accounts() -> pd.DataFrame:
    return datasets.make_accounts(n=8, seed=1)


def invoices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["a", "a", "b", "b"],
            "amount": [100.0, 50.0, 70.0, 30.0],
            "issue_date": pd.to_datetime(["2024-01-01", "2024-05-01", "2024-05-20", "2024-06-01"]),
            "due_date": pd.to_datetime(["2024-01-31", "2024-05-31", "2024-06-19", "2024-07-01"]),
            "paid_date": pd.to_datetime([None, "2024-06-01", "2024-06-25", None]),
        }
    )


def aging():
    return receivables.receivables_aging(invoices(), as_of="2024-06-30")


def leads() -> pd.DataFrame:
    return datasets.make_leads(n=40, seed=1)


def survey() -> pd.DataFrame:
    return datasets.make_survey(n_respondents=3, seed=1)


def complaints() -> pd.DataFrame:
    return datasets.make_complaints(n=10, seed=1)


def rfm() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recency_days": [5, 40, 200, 10, 90],
            "frequency": [9, 3, 1, 5, 2],
            "monetary": [900.0, 150.0, 20.0, 400.0, 60.0],
        },
        index=pd.Index(list("abcde"), name="customer_id"),
    )


def scores() -> pd.DataFrame:
    return pd.DataFrame({"R": [5, 5, 1, 3], "F": [5, 1, 5, 3], "M": [4, 1, 5, 2]})


def contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contacts": [3, 14, 12, 15, 20],
            "status": ["open", "open", "won", "won", "lost"],
            "value": [0.0, 0.0, 500.0, 800.0, 0.0],
        }
    )


def roles() -> pd.DataFrame:
    return pd.DataFrame(
        {"role": ["initiator", "decider", "user"], "money": [0, 1, 0], "authority": [1, 0, 0], "need": [1, 1, 1]},
        index=["Ann", "Bo", "Cy"],
    )


def key_acc() -> pd.DataFrame:
    return loyalty.key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)


def station() -> dict:
    return datasets.make_station(n_employees=2, months=3, new_per_employee=3, seed=1)


def rice() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "household_id": list("AAAABBBB"),
            "household_size": [2] * 4 + [4] * 4,
            "date": pd.to_datetime(
                [
                    "2025-01-01",
                    "2025-01-21",
                    "2025-02-10",
                    "2025-03-03",
                    "2025-01-05",
                    "2025-01-15",
                    "2025-01-25",
                    "2025-02-04",
                ]
            ),
            "kg": [10.0] * 8,
        }
    )


def bank() -> dict:
    return datasets.make_bank_clients(n_clients=3, n_quarters=2, seed=1)


def watch() -> pd.DataFrame:
    return loyalty.churn_watch(station()["fillups"])


BAD_SCALARS = [
    ("text", "abc"),
    ("None", None),
    ("NaN", float("nan")),
    ("inf", float("inf")),
    ("bool", True),
    ("1e308", 1e308),
]


def scalar_cases(
    key: str, call: Callable[[Any], Any], field: str, out_of_range=(), func: str | None = None, skip=()
) -> None:
    """Wrong types (text, None, NaN, inf, True) and out-of-range values of one number argument."""
    for what, value in BAD_SCALARS:
        if what not in skip and not (what == "1e308" and "inf" in skip):
            bad(key, f"{field} = {what}", lambda value=value: call(value), field, func=func)
    for value in out_of_range:
        bad(key, f"{field} = {value!r} (out of range)", lambda value=value: call(value), field, func=func)


def values_cases(
    key: str,
    call: Callable[[Any], Any],
    field: str,
    negative_ok: bool = False,
    empty_ok: bool = False,
    func: str | None = None,
    base: float = 10.0,
    bools: bool = True,
) -> None:
    """A list of numbers argument: text, "1,234.5", NaN, inf, negative, empty, wrong container.

    ``base``: a valid value for the other entries; ``empty_ok``: leave out the empty list (for the
    second of two paired lists, where the first one is named).
    """
    bad(
        key,
        f"{field}: thousands separator",
        lambda: call([base, "1,234.5", 3.0]),
        field,
        [1],
        func=func,
        contains=("'1,234.5'",),
    )
    bad(key, f"{field}: text", lambda: call([base, 2.0, "n/a"]), field, [2], func=func)
    bad(key, f"{field}: NaN", lambda: call([base, np.nan, 3.0]), field, [1], func=func)
    bad(key, f"{field}: inf", lambda: call([base, np.inf, 3.0]), field, [1], func=func)
    bad(key, f"{field}: a bare string", lambda: call("10, 20"), field, func=func)
    bad(key, f"{field}: a DataFrame", lambda: call(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})), field, func=func)
    bad(key, f"{field}: values whose total overflows", lambda: call([1.7e308, 1.7e308, 3.0]), field, [0, 1], func=func)
    if bools:
        bad(key, f"{field}: True/False", lambda: call([True, False, True]), field, func=func)
    if not negative_ok:
        bad(key, f"{field}: negative", lambda: call([base, -2.0, 3.0]), field, [1], func=func)
    if not empty_ok:
        bad(key, f"{field}: empty", lambda: call([]), field, func=func)


# ============================================================================ segmentation
K = "segmentation.customer_summary"
table_cases(
    K,
    segmentation.customer_summary,
    tx,
    "tx",
    required=["customer_id", "date", "amount", "margin", "discount_pct"],
    ids=["customer_id"],
    money=["amount"],
    signed=["margin"],
    dates=["date"],
)
ok(
    K,
    "single customer",
    lambda: segmentation.customer_summary(tx().iloc[:2]),
    lambda r: len(r) == 1 and r["revenue"].iloc[0] == 30.0 and finite(r),
)
ok(
    K,
    "huge amounts",
    lambda: segmentation.customer_summary(tx().assign(amount=1e15)),
    lambda r: r.loc["A", "revenue"] == 2e15 and finite(r),
)

K = "segmentation.rfm_table"
table_cases(
    K,
    segmentation.rfm_table,
    tx,
    "tx",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    money=["amount"],
    dates=["date"],
)
bad(
    K,
    "as_of before the last purchase",
    lambda: segmentation.rfm_table(tx(), as_of="2024-02-01"),
    "date",
    rows=[1, 3, 4],
    contains=("after as_of",),
)
bad(K, "as_of not a date", lambda: segmentation.rfm_table(tx(), as_of="soon"), "as_of")
bad(K, "as_of a bare number", lambda: segmentation.rfm_table(tx(), as_of=20240301), "as_of")
ok(
    K,
    "as_of in the future adds the days",
    lambda: segmentation.rfm_table(tx(), as_of="2024-03-11"),
    lambda r: r.loc["C", "recency_days"] == 10 and finite(r),
)
ok(
    K,
    "single purchase (as_of defaults to the day after the last purchase)",
    lambda: segmentation.rfm_table(tx().iloc[:1]),
    lambda r: r.loc["A", ["recency_days", "frequency", "monetary"]].tolist() == [1, 1, 10.0],
)

K = "segmentation.rfm_scores"
table_cases(
    K,
    segmentation.rfm_scores,
    rfm,
    "rfm",
    required=["recency_days", "frequency", "monetary"],
    money=["recency_days", "frequency", "monetary"],
)
scalar_cases(K, lambda b: segmentation.rfm_scores(rfm(), bins=b), "bins", out_of_range=(1, 0, 11), skip=("inf",))
bad(K, "bins a float", lambda: segmentation.rfm_scores(rfm(), bins=2.5), "bins")
ok(
    K,
    "all-equal values get the top score... consistently",
    lambda: segmentation.rfm_scores(
        pd.DataFrame({"recency_days": [3] * 4, "frequency": [2] * 4, "monetary": [5.0] * 4})
    ),
    lambda r: r["R"].nunique() == 1 and r["F"].nunique() == 1 and r["M"].nunique() == 1,
)
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
ok(
    "segmentation.lorenz_curve",
    "single customer",
    lambda: segmentation.lorenz_curve([5.0]),
    lambda r: finite(r) and float(r.iloc[-1, -1]) == 1.0,
)
ok(
    "segmentation.pareto_table",
    "all-equal values",
    lambda: segmentation.pareto_table([2.0] * 4),
    lambda r: finite(r) and np.allclose(r.select_dtypes("number").iloc[:, -1].to_numpy()[-1], 1.0),
)
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

K = "segmentation.recent_revenue"
table_cases(
    K,
    segmentation.recent_revenue,
    tx,
    "tx",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    money=["amount"],
    dates=["date"],
)
scalar_cases(K, lambda d: segmentation.recent_revenue(tx(), days=d), "days", out_of_range=(0, -5, 40_000))
bad(K, "days a float", lambda: segmentation.recent_revenue(tx(), days=30.5), "days")
bad(K, "as_of not a date", lambda: segmentation.recent_revenue(tx(), as_of="soon"), "as_of")
bad(K, "as_of a bare number", lambda: segmentation.recent_revenue(tx(), as_of=20240301), "as_of")
ok(
    K,
    "as_of before every purchase: everyone 0",
    lambda: segmentation.recent_revenue(tx(), as_of="2020-01-01").tolist(),
    lambda r: r == [0.0] * len(r),
)
ok(K, "single purchase", lambda: segmentation.recent_revenue(tx().iloc[:1]).tolist(), [10.0])

K = "segmentation.share_of_wallet"
values_cases(K, lambda v: segmentation.share_of_wallet(v, [100.0] * len(v) if isinstance(v, list) else [1, 2]), "spend")
values_cases(
    K,
    lambda v: segmentation.share_of_wallet([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
    "wallet",
    empty_ok=True,
)
bad(K, "wallet of zero", lambda: segmentation.share_of_wallet([1.0, 2.0], [5.0, 0.0]), "wallet", [1])
bad(K, "different lengths", lambda: segmentation.share_of_wallet([1, 2, 3], [5, 5]), "spend, wallet")
ok(
    K,
    "spend above the estimate: share above 1, no headroom",
    lambda: segmentation.share_of_wallet([300.0], [200.0])[["share_of_wallet", "headroom"]].iloc[0].tolist(),
    [1.5, 0.0],
)
ok(K, "single customer", lambda: segmentation.share_of_wallet([0.0], [9.0])["headroom"].tolist(), [9.0])

K = "segmentation.value_matrix"
values_cases(
    K,
    lambda v: segmentation.value_matrix(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]),
    "current",
    negative_ok=True,
)
values_cases(
    K,
    lambda v: segmentation.value_matrix([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
    "potential",
    empty_ok=True,
)
bad(K, "different lengths", lambda: segmentation.value_matrix([1, 2, 3], [1, 2]), "current, potential")
scalar_cases(K, lambda x: segmentation.value_matrix([1, 2], [1, 2], current_cut=x), "current_cut", skip=("None",))
lang_case(K, lambda lang: segmentation.value_matrix([1, 2], [1, 2], lang=lang))
ok(
    K,
    "all-equal values",
    lambda: segmentation.value_matrix([5.0] * 3, [5.0] * 3),
    lambda r: r["quadrant"].nunique() == 1 and r["quadrant"].notna().all(),
)

K = "segmentation.relationship_type"
values_cases(
    K,
    lambda v: segmentation.relationship_type(v, [0.1] * len(v) if isinstance(v, list) else [0.1, 0.2]),
    "margin",
    negative_ok=True,
)
bad(K, "discount above 100 %", lambda: segmentation.relationship_type([1, 2], [0.1, 1.5]), "discount_pct", [1])
bad(K, "negative discount", lambda: segmentation.relationship_type([1, 2], [0.1, -0.2]), "discount_pct", [1])
bad(K, "discount 1,234.5", lambda: segmentation.relationship_type([1, 2], [0.1, "1,234.5"]), "discount_pct", [1])
scalar_cases(
    K,
    lambda x: segmentation.relationship_type([1, 2], [0.1, 0.2], discount_cut=x),
    "discount_cut",
    out_of_range=(-0.1, 1.5),
)
lang_case(K, lambda lang: segmentation.relationship_type([1, 2], [0.1, 0.2], lang=lang))

K = "segmentation.customer_summary"  # the profile columns (region, segment) carried along
bad(
    K,
    "profile column missing",
    lambda: segmentation.customer_summary(tx(), profile_cols=["region"]),
    "region",
    contains=("'region'",),
)
bad(K, "profile_cols not a list of names", lambda: segmentation.customer_summary(tx(), profile_cols=3), "profile_cols")
bad(
    K,
    "profile_cols holding a number",
    lambda: segmentation.customer_summary(tx(), profile_cols=["margin", 3]),
    "profile_cols",
)
bad(
    K,
    "profile column named like a summary column",
    lambda: segmentation.customer_summary(tx().assign(revenue=1.0), profile_cols=["revenue"]),
    "profile_cols",
)
ok(
    K,
    "one profile column by name",
    lambda: segmentation.customer_summary(tx().assign(region=["n", "n", "s", "e", "e"]), profile_cols="region")[
        "region"
    ].tolist(),
    ["n", "s", "e"],
)


def summary_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment": ["retail", "business", "retail"],
            "n_transactions": [2, 1, 3],
            "revenue": [100.0, 900.0, 300.0],
            "margin": [10.0, -5.0, 40.0],
            "discount_pct": [0.1, 0.0, 0.3],
        },
        index=["a", "b", "c"],
    )


K = "segmentation.segment_profile"
table_cases(
    K,
    segmentation.segment_profile,
    summary_table,
    "summary",
    required=["segment", "n_transactions", "revenue", "margin", "discount_pct"],
    ids=["segment"],
    signed=["n_transactions", "revenue", "margin", "discount_pct"],
)
bad(K, "no columns to average", lambda: segmentation.segment_profile(summary_table(), columns=[]), "columns")
bad(K, "columns a number", lambda: segmentation.segment_profile(summary_table(), columns=3), "columns")
bad(
    K, "a column that is not there", lambda: segmentation.segment_profile(summary_table(), columns=["profit"]), "profit"
)
bad(K, "by names no column", lambda: segmentation.segment_profile(summary_table(), by="region"), "region")
ok(
    K,
    "hand-computed",
    lambda: segmentation.segment_profile(summary_table(), columns=["revenue"])["revenue"].tolist(),
    [900.0, 200.0],
)


def rfm_segments_table() -> pd.DataFrame:
    return segmentation.rfm_segments(segmentation.rfm_scores(rfm()))


K = "segmentation.segment_summary"
table_cases(
    K,
    segmentation.segment_summary,
    rfm_segments_table,
    "segments",
    required=["segment", "recency_days", "frequency", "monetary"],
    ids=["segment"],
    money=["recency_days", "frequency", "monetary"],
    nan_ok=("mean_recency_days", "mean_frequency"),
)
bad(K, "no revenue at all", lambda: segmentation.segment_summary(rfm_segments_table().assign(monetary=0.0)), "monetary")
ok(
    K,
    "every segment listed, shares add up",
    lambda: segmentation.segment_summary(rfm_segments_table()),
    lambda r: (
        len(r) == len(segmentation.SEGMENT_KEYS)
        and math.isclose(r["revenue_share"].sum(), 1.0)
        and r["customers"].sum() == 5
    ),
)


def tiers_table() -> pd.DataFrame:
    return segmentation.profitability_tiers([100.0, 50.0, 10.0, 0.0, -20.0])


K = "segmentation.tier_summary"
table_cases(
    K, segmentation.tier_summary, tiers_table, "tiers", required=["tier", "profit"], ids=["tier"], signed=["profit"]
)
bad(
    K,
    "net margin of zero or less",
    lambda: segmentation.tier_summary(segmentation.profitability_tiers([10.0, -10.0, -5.0])),
    "profit",
)
ok(K, "hand-computed", lambda: segmentation.tier_summary(tiers_table())["total_margin"].tolist(), [100.0, 60.0, -20.0])


def abc_table() -> pd.DataFrame:
    return segmentation.abc_classes(pd.Series([5.0, 50.0, 10.0, 30.0, 5.0], index=list("vwxyz")))


K = "segmentation.abc_summary"
table_cases(K, segmentation.abc_summary, abc_table, "abc", required=["abc", "value"], ids=["abc"], money=["value"])
bad(K, "all zero", lambda: segmentation.abc_summary(abc_table().assign(value=0.0)), "value")
ok(K, "hand-computed", lambda: segmentation.abc_summary(abc_table())["revenue_share"].tolist(), [0.8, 0.2, 0.0])


def types_table() -> pd.DataFrame:
    return segmentation.relationship_type([500.0, 20.0, 300.0, -10.0], [0.05, 0.35, 0.1, 0.4])


K = "segmentation.relationship_type_summary"
table_cases(
    K,
    segmentation.relationship_type_summary,
    types_table,
    "types",
    required=["type", "margin"],
    ids=["type"],
    signed=["margin"],
    nan_ok=("mean_margin",),
)
ok(
    K,
    "hand-computed",
    lambda: segmentation.relationship_type_summary(types_table())["total_margin"].tolist(),
    [800.0, 10.0],
)

# ============================================================================ qualification
NO_INPUT["qualification.MANResult"] = "result record returned by man_classify"
K = "qualification.man_classify"
for fld in ("money", "authority", "need"):
    for what, value in (("'maybe'", "maybe"), ("None", None), ("NaN", float("nan")), ("2", 2)):
        args = {"money": True, "authority": True, "need": True, fld: value}
        bad(K, f"{fld} = {what}", lambda args=args: qualification.man_classify(**args), fld)
ok(
    K,
    "yes/no written as text and 1/0 means the same",
    lambda: qualification.man_classify("yes", "否", 1).code,
    qualification.man_classify(True, False, True).code,
)

K = "qualification.man_table"
table_cases(
    K,
    qualification.man_table,
    prospects,
    "df",
    required=["money", "authority", "need"],
    flags=["money", "authority", "need"],
)
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
table_cases(
    K,
    lambda d: qualification.customer_state(d, prospects(), as_of="2024-07-01"),
    tx,
    "tx",
    required=["customer_id", "date"],
    ids=["customer_id"],
    dates=["date"],
    nan_ok=("days_since_purchase",),
)  # documented: NA for prospects, who never bought
table_cases(
    K,
    lambda d: qualification.customer_state(tx(), d, as_of="2024-07-01"),
    prospects,
    "prospects",
    required=["prospect_id", "money", "need"],
    ids=["prospect_id"],
    unique=["prospect_id"],
    flags=["money", "need"],
    empty_ok=True,
    nan_ok=("days_since_purchase",),
)
bad(
    K,
    "as_of before the last purchase",
    lambda: qualification.customer_state(tx(), prospects(), as_of="2024-01-15"),
    "date",
    rows=[1, 2, 3, 4],
)
scalar_cases(
    K,
    lambda x: qualification.customer_state(tx(), prospects(), lapse_days=x),
    "lapse_days",
    out_of_range=(-5, 2.5),
    skip=("NaN", "inf"),
)
lang_case(K, lambda lang: qualification.customer_state(tx(), prospects(), lang=lang))
ok(
    K,
    "as_of in the future: every buyer is lost, days counted to as_of",
    lambda: qualification.customer_state(tx(), prospects(), as_of="2030-01-01"),
    lambda r: (
        (r.loc[["A", "B", "C"], "state"].astype(str) == "lost customer").all()
        and r.loc["A", "days_since_purchase"] == (pd.Timestamp("2030-01-01") - pd.Timestamp("2024-02-10")).days
    ),
)

# ============================================================================ selection
ACC_ID = "account_id"
IDEAL_COLS = [
    "revenue",
    "price_sensitivity",
    "on_time_share",
    "avg_days_late",
    "service_cost",
    "debt_ratio",
    "industry_outlook",
    "partnership_interest",
    "years_as_customer",
]
for fname in ("ideal_criteria", "ideal_customer_score"):
    K = f"selection.{fname}"
    table_cases(
        K,
        getattr(selection, fname),
        accounts,
        "accounts",
        required=[ACC_ID, *IDEAL_COLS, "revenue_growth"],
        ids=[ACC_ID],
        unique=[ACC_ID],
        money=IDEAL_COLS,
        signed=["revenue_growth"],
        row_id=ACC_ID,
    )
    bad(
        K,
        "zero revenue",
        lambda fname=fname: getattr(selection, fname)(_set(accounts(), 2, "revenue", 0.0)),
        "revenue",
        rows=["A0003"],
    )
    ok(
        K,
        "single account",
        lambda fname=fname: getattr(selection, fname)(accounts().iloc[:1]),
        lambda r: len(r) == 1 and finite(r),
    )
K = "selection.ideal_customer_score"
bad(
    K,
    "unknown criterion",
    lambda: selection.ideal_customer_score(accounts(), weights={"volume": 1}),
    "weights",
    rows=["volume"],
)
bad(K, "negative weight", lambda: selection.ideal_customer_score(accounts(), weights={"demand": -1}), "weights")
bad(K, "all weights zero", lambda: selection.ideal_customer_score(accounts(), weights={"demand": 0}), "weights")
bad(K, "weight text", lambda: selection.ideal_customer_score(accounts(), weights={"demand": "2"}), "weights['demand']")
bad(K, "weights a list", lambda: selection.ideal_customer_score(accounts(), weights=[1, 1, 1, 1, 1]), "weights")

K = "selection.weigh_criteria"


def _crit() -> pd.DataFrame:
    return selection.ideal_criteria(accounts())


bad(K, "unknown criterion", lambda: selection.weigh_criteria(_crit(), weights={"volume": 1}), "weights", ["volume"])
bad(K, "all weights zero", lambda: selection.weigh_criteria(_crit(), weights={"demand": 0}), "weights")
bad(K, "weights a list", lambda: selection.weigh_criteria(_crit(), weights=[1, 1, 1, 1, 1]), "weights")
bad(K, "not a table", lambda: selection.weigh_criteria([0.5, 0.5]), "criteria")
bad(K, "empty table", lambda: selection.weigh_criteria(_crit().iloc[:0]), "criteria")
bad(K, "criterion missing", lambda: selection.weigh_criteria(_crit().drop(columns="risk")), "risk")
bad(K, "accounts, not criteria", lambda: selection.weigh_criteria(accounts()), "demand, payment, risk, partnership")
bad(K, "criterion text", lambda: selection.weigh_criteria(_set(_crit(), 1, "risk", "high")), "risk", ["A0002"])
bad(
    K,
    "criterion missing value",
    lambda: selection.weigh_criteria(_set(_crit(), 2, "demand", np.nan)),
    "demand",
    ["A0003"],
)
bad(K, "criterion negative", lambda: selection.weigh_criteria(_set(_crit(), 0, "payment", -0.5)), "payment", ["A0001"])
bad(K, "criterion above 1", lambda: selection.weigh_criteria(_set(_crit(), 1, "payment", 3.0)), "payment", ["A0002"])

PROFIT_COLS = ["revenue", "discounts", "cogs", "service_cost", "avg_days_late"]
K = "selection.customer_profitability"
table_cases(
    K,
    selection.customer_profitability,
    accounts,
    "accounts",
    required=[ACC_ID, *PROFIT_COLS],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=PROFIT_COLS,
    row_id=ACC_ID,
)
scalar_cases(
    K,
    lambda x: selection.customer_profitability(accounts(), cost_of_capital=x),
    "cost_of_capital",
    out_of_range=(-0.1, 5.0),
)
ok(
    K,
    "huge revenue",
    lambda: selection.customer_profitability(
        accounts().assign(revenue=1e14, discounts=0.0, cogs=0.0, service_cost=0.0, avg_days_late=0.0)
    ),
    lambda r: finite(r) and np.allclose(r["profit"], 1e14),
)

for fname in ("whale_curve", "whale_peak"):
    K = f"selection.{fname}"
    values_cases(K, getattr(selection, fname), "profit", negative_ok=True)
ok("selection.whale_peak", "single customer", lambda: selection.whale_peak([50.0]), 1.0)
ok("selection.whale_peak", "all-equal values", lambda: selection.whale_peak([5.0] * 4), 1.0)
bad("selection.whale_peak", "all zero", lambda: selection.whale_peak([0.0, 0.0]), "profit")
bad("selection.whale_curve", "total not positive", lambda: selection.whale_curve([-5.0, 2.0]), "profit")
ok("selection.whale_curve", "huge values", lambda: selection.whale_curve([1e250, 1e250]), finite)


def profit_table() -> pd.DataFrame:
    return selection.customer_profitability(accounts())


def _groups_for(d) -> list:
    return ["small", "large"] * (len(d) // 2) + ["small"] * (len(d) % 2) if isinstance(d, pd.DataFrame) else ["x"]


K = "selection.profit_by"
table_cases(
    K,
    lambda d: selection.profit_by(d, _groups_for(d)),
    profit_table,
    "profit",
    required=["revenue", "discounts", "service_cost", "delay_cost", "profit"],
    money=["revenue", "discounts", "service_cost", "delay_cost"],
    signed=["profit"],
)
bad(
    K,
    "zero revenue",
    lambda: selection.profit_by(_set(profit_table(), 2, "revenue", 0.0), _groups_for(profit_table())),
    "revenue",
    rows=["A0003"],
)
bad(
    K,
    "an account without a group",
    lambda: selection.profit_by(profit_table(), accounts().set_index("account_id")["size"].iloc[1:]),
    "groups",
    rows=["A0001"],
)
bad(
    K,
    "a missing group",
    lambda: selection.profit_by(
        profit_table(), accounts().set_index("account_id")["size"].where(lambda s: s.index != "A0002")
    ),
    "groups",
    rows=["A0002"],
)
bad(K, "groups shorter than the table", lambda: selection.profit_by(profit_table(), ["a", "b"]), "profit, groups")
bad(K, "groups a column name", lambda: selection.profit_by(profit_table(), "size"), "groups")
bad(K, "groups None", lambda: selection.profit_by(profit_table(), None), "groups")
bad(K, "groups a DataFrame", lambda: selection.profit_by(profit_table(), accounts()[["size"]]), "groups")
bad(
    K,
    "an account in two groups",
    lambda: selection.profit_by(
        profit_table(), pd.concat([accounts().set_index("account_id")["size"], pd.Series({"A0001": "small"})])
    ),
    "groups",
    rows=["A0001", "A0001"],
)
ok(
    K,
    "one group: the totals",
    lambda: selection.profit_by(profit_table(), ["all"] * 8),
    lambda r: (
        r.index.tolist() == ["all"]
        and math.isclose(r["profit"].iloc[0], profit_table()["profit"].sum())
        and math.isclose(r["margin"].iloc[0], profit_table()["profit"].sum() / profit_table()["revenue"].sum())
    ),
)
ok(
    K,
    "the size of each account, matched by label (any order)",
    lambda: selection.profit_by(profit_table(), accounts().set_index("account_id")["size"].iloc[::-1]),
    lambda r: r.index.name == "size" and finite(r) and math.isclose(r["revenue"].sum(), accounts()["revenue"].sum()),
)
ok(
    K,
    "huge revenue",
    lambda: selection.profit_by(profit_table().assign(revenue=1e250, profit=1e249), _groups_for(profit_table())),
    lambda r: finite(r) and np.allclose(r["margin"], 0.1),
)

K = "selection.big_customer_risks"
RISK_COLS = ["revenue", "discounts", "cogs", "service_cost", "avg_days_late", "debt_ratio"]
table_cases(
    K,
    selection.big_customer_risks,
    accounts,
    "accounts",
    required=[ACC_ID, *RISK_COLS, "revenue_growth"],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=RISK_COLS,
    signed=["revenue_growth"],
    row_id=ACC_ID,
)
scalar_cases(K, lambda x: selection.big_customer_risks(accounts(), big_share=x), "big_share", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: selection.big_customer_risks(accounts(), late_days=x), "late_days", out_of_range=(-1,))
ok(
    K,
    "single account is big",
    lambda: selection.big_customer_risks(accounts().iloc[:1]),
    lambda r: bool(r["big"].iloc[0]),
)

K = "selection.risk_summary"
RISKS = ["big", "financial_risk", "profit_risk", "management_risk", "churn_risk"]
table_cases(
    K,
    selection.risk_summary,
    lambda: selection.big_customer_risks(accounts()),
    "risks",
    required=RISKS,
    flags=RISKS,
    nan_ok=("big accounts", "other accounts"),
)  # documented: NaN for a group with no account
lang_case(K, lambda lang: selection.risk_summary(selection.big_customer_risks(accounts()), lang=lang))

K = "selection.growth_potential"
GROWTH_COLS = ["revenue", "avg_days_late", "partnership_interest"]
table_cases(
    K,
    selection.growth_potential,
    accounts,
    "accounts",
    required=[ACC_ID, *GROWTH_COLS, "revenue_growth"],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=GROWTH_COLS,
    signed=["revenue_growth"],
    row_id=ACC_ID,
)
scalar_cases(
    K, lambda x: selection.growth_potential(accounts(), horizon=x), "horizon", out_of_range=(0, -1), skip=("NaN", "inf")
)
scalar_cases(K, lambda x: selection.growth_potential(accounts(), small_share=x), "small_share", out_of_range=(0, 2))

K = "selection.selection_rubric"
table_cases(
    K,
    selection.selection_rubric,
    accounts,
    "accounts",
    required=[ACC_ID, "industry", "employees", "satisfaction", *IDEAL_COLS],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=["employees", "satisfaction"],
    row_id=ACC_ID,
)
bad(
    K,
    "target industries a string",
    lambda: selection.selection_rubric(accounts(), target_industries="retail"),
    "target_industries",
)
scalar_cases(
    K, lambda x: selection.selection_rubric(accounts(), our_employees=x), "our_employees", out_of_range=(0, -10)
)
lang_case(K, lambda lang: selection.selection_rubric(accounts(), lang=lang))

# ============================================================================ receivables
FIVE_C_COLS = ["on_time_share", "current_ratio", "debt_ratio", "collateral", "industry_outlook", "revenue", "discounts"]
K = "receivables.credit_score_5c"
table_cases(
    K,
    receivables.credit_score_5c,
    accounts,
    "accounts",
    required=[ACC_ID, *FIVE_C_COLS],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=FIVE_C_COLS,
    row_id=ACC_ID,
)
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
values_cases(K, lambda v: receivables.credit_limit(["A"] * (len(v) if isinstance(v, list) else 2), v), "monthly_sales")
bad(K, "different lengths", lambda: receivables.credit_limit(["A", "B"], [1.0]), "rating, monthly_sales")
bad(K, "months negative", lambda: receivables.credit_limit(["A"], [1.0], months=(3, 2, 1, -1)), "months")
ok(K, "huge sales", lambda: receivables.credit_limit(["A"], [1e250]).tolist(), [3e250])


def credit_table() -> pd.DataFrame:
    return receivables.credit_score_5c(accounts())


K = "receivables.rating_summary"
table_cases(
    K,
    receivables.rating_summary,
    credit_table,
    "credit",
    required=["rating", "score", "credit_limit"],
    ids=["rating"],
    money=["score", "credit_limit"],
    nan_ok=("mean_score",),
)  # documented: NaN mean score for a rating nobody has
bad(
    K, "unknown rating", lambda: receivables.rating_summary(_set(credit_table(), 3, "rating", "E")), "rating", ["A0004"]
)
lang_case(K, lambda lang: receivables.rating_summary(credit_table(), lang=lang))
ok(
    K,
    "every account counted once, every rating shown",
    lambda: receivables.rating_summary(credit_table()),
    lambda r: r["accounts"].sum() == 8 and len(r) == 4 and r["terms_days"].tolist() == [60, 45, 30, 0],
)
ok(
    K,
    "ratings as letters, in Chinese",
    lambda: receivables.rating_summary(
        pd.DataFrame({"rating": ["d", "A"], "score": [10.0, 90.0], "credit_limit": [0.0, 5.0]}), lang="zh"
    ),
    lambda r: r["accounts"].tolist() == [1, 0, 0, 1] and r.index[0] == i18n.label("credit_A", "zh"),
)

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
    table_cases(
        K,
        lambda d, f=f: f(d, "2024-06-30"),
        invoices,
        "invoices",
        required=["account_id", "amount", *INV_DATES, "paid_date"],
        ids=["account_id"] if fname != "dso" else [],
        money=["amount"],
        dates=INV_DATES,
        id_pos=0,
    )
    bad(K, "as_of not a date", lambda f=f: f(invoices(), "end of June"), "as_of")
    bad(K, "as_of missing", lambda f=f: f(invoices(), None), "as_of")
    bad(
        K,
        "due before issue",
        lambda f=f: f(_set(invoices(), 2, "due_date", pd.Timestamp("2024-05-01")), "2024-06-30"),
        "due_date",
        [2],
    )
    bad(
        K,
        "paid before issue",
        lambda f=f: f(_set(invoices(), 1, "paid_date", pd.Timestamp("2024-04-01")), "2024-06-30"),
        "paid_date",
        [1],
    )
    bad(
        K,
        "unparseable paid date",
        lambda f=f: f(_set(invoices(), 0, "paid_date", "paid"), "2024-06-30"),
        "paid_date",
        [0],
    )
K = "receivables.check_invoices"
table_cases(
    K,
    receivables.check_invoices,
    invoices,
    "invoices",
    required=["account_id", "amount", *INV_DATES, "paid_date"],
    ids=["account_id"],
    money=["amount"],
    dates=INV_DATES,
    id_pos=0,
)
bad(
    K,
    "due before issue",
    lambda: receivables.check_invoices(_set(invoices(), 2, "due_date", "2024-05-01")),
    "due_date",
    [2],
)
bad(
    K,
    "paid before issue",
    lambda: receivables.check_invoices(_set(invoices(), 1, "paid_date", "2024-04-01")),
    "paid_date",
    [1],
)
ok(
    K,
    "dates parsed, unpaid as NaT, the input untouched",
    lambda: (receivables.check_invoices(invoices().astype({"issue_date": str})), invoices()),
    lambda r: (
        r[0]["issue_date"].equals(r[1]["issue_date"])
        and r[0]["paid_date"].isna().tolist() == [True, False, False, True]
    ),
)
K = "receivables.receivables_aging"
bad(
    K,
    "buckets decreasing",
    lambda: receivables.receivables_aging(invoices(), "2024-06-30", buckets=(60, 30)),
    "buckets",
)
lang_case(K, lambda lang: receivables.receivables_aging(invoices(), "2024-06-30", lang=lang))
ok(
    K,
    "as_of before every invoice: nothing open",
    lambda: receivables.receivables_aging(invoices(), "2023-12-01").total,
    lambda t: finite(t) and float(t.to_numpy().sum()) == 0.0,
)
ok(
    "receivables.open_balance",
    "as_of in the future: unpaid stay open",
    lambda: receivables.open_balance(invoices(), "2030-01-01").tolist(),
    [100.0, 30.0],
)
K = "receivables.dso"
scalar_cases(
    K,
    lambda x: receivables.dso(invoices(), "2024-06-30", period_days=x),
    "period_days",
    out_of_range=(0, -30),
    skip=("NaN", "inf"),
)
bad(K, "no sales in the period", lambda: receivables.dso(invoices(), "2025-06-30", period_days=30), "issue_date")
ok(
    K,
    "hand-computed",
    lambda: receivables.dso(invoices(), "2024-06-30", period_days=90),
    (50 * 0 + 100 + 30) / (50 + 70 + 30) * 90,
)


def ab_credit() -> pd.DataFrame:
    return pd.DataFrame(
        {"rating": ["B", "D"], "credit_limit": [120.0, 0.0]}, index=pd.Index(["a", "b"], name="account_id")
    )


K = "receivables.credit_exposure"
table_cases(
    K,
    lambda d: receivables.credit_exposure(d, invoices(), "2024-06-30"),
    credit_table,
    "credit",
    required=["rating", "credit_limit"],
    money=["credit_limit"],
)
table_cases(
    K,
    lambda d: receivables.credit_exposure(ab_credit(), d, "2024-06-30"),
    invoices,
    "invoices",
    required=["account_id", "amount", *INV_DATES, "paid_date"],
    ids=["account_id"],
    money=["amount"],
    dates=INV_DATES,
    id_pos=0,
)
bad(K, "as_of not a date", lambda: receivables.credit_exposure(ab_credit(), invoices(), "end of June"), "as_of")
bad(
    K,
    "an account twice in the credit table",
    lambda: receivables.credit_exposure(ab_credit().rename(index={"b": "a"}), invoices(), "2024-06-30"),
    "account_id",
    ["a", "a"],
)
bad(
    K,
    "a missing account id in the credit table",
    lambda: receivables.credit_exposure(ab_credit().set_axis(["a", None]), invoices(), "2024-06-30"),
    "account_id",
    [1],
)
ok(
    K,
    "hand-computed",
    lambda: receivables.credit_exposure(ab_credit(), invoices(), "2024-06-30"),
    lambda r: r["owed"].tolist() == [100.0, 30.0] and r["over_limit"].tolist() == [False, True],
)
ok(
    K,
    "an account without invoices owes 0",
    lambda: receivables.credit_exposure(
        pd.concat([ab_credit(), ab_credit().rename(index={"a": "z"}).iloc[:1]]), invoices(), "2024-06-30"
    ),
    lambda r: r.loc["z", "owed"] == 0.0 and not r.loc["z", "over_limit"],
)

K = "receivables.dso_trend"
table_cases(
    K,
    lambda d: receivables.dso_trend(d, ["2024-06-30"]),
    invoices,
    "invoices",
    required=["account_id", "amount", *INV_DATES, "paid_date"],
    money=["amount"],
    dates=INV_DATES,
    id_pos=0,
)
scalar_cases(
    K,
    lambda x: receivables.dso_trend(invoices(), ["2024-06-30"], period_days=x),
    "period_days",
    out_of_range=(0, -30),
    skip=("NaN", "inf"),
)
bad(K, "dates one string", lambda: receivables.dso_trend(invoices(), "2024-06-30"), "dates")
bad(K, "dates None", lambda: receivables.dso_trend(invoices(), None), "dates")
bad(K, "dates empty", lambda: receivables.dso_trend(invoices(), []), "dates")
bad(K, "an unparseable date", lambda: receivables.dso_trend(invoices(), ["2024-06-30", "end of May"]), "dates", [1])
bad(K, "dates as numbers", lambda: receivables.dso_trend(invoices(), [20240630]), "dates")
bad(
    K,
    "a date without sales in the period",
    lambda: receivables.dso_trend(invoices(), ["2024-06-30", "2025-06-30"], period_days=30),
    "issue_date",
)
ok(
    K,
    "hand-computed: the DSO of each date",
    lambda: receivables.dso_trend(invoices(), pd.DatetimeIndex(["2024-06-30", "2024-05-31"])).tolist(),
    [(100 + 30) / (50 + 70 + 30) * 90, receivables.dso(invoices(), "2024-05-31")],
)

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
for fname in (
    "prospecting_methods",
    "finding_steps",
    "six_analyses",
    "approach_methods",
    "buying_signals",
    "example_buying_center",
):
    ok(
        f"development.{fname}",
        "reference table",
        getattr(development, fname),
        lambda r: isinstance(r, pd.DataFrame) and len(r) > 0,
    )
for fname in ("prospecting_methods", "finding_steps", "six_analyses", "approach_methods", "buying_signals"):
    lang_case(f"development.{fname}", lambda lang, fname=fname: getattr(development, fname)(lang=lang))

K = "development.channel_report"
table_cases(
    K,
    development.channel_report,
    leads,
    "leads",
    required=["channel", "won", "cost", "value", "money", "authority", "need"],
    ids=["channel"],
    money=["cost", "value"],
    flags=["won", "money", "authority", "need"],
    nan_ok=("qualified_rate", "win_rate", "close_rate", "cost_per_lead", "cost_per_acquisition", "return"),
)  # documented: undefined ratios (no deal, no lead, no cost) are NaN

K = "development.report_total"
table_cases(
    K,
    development.report_total,
    lambda: development.channel_report(leads()),
    "report",
    required=["leads", "qualified", "won", "cost", "value"],
    money=["leads", "won", "cost", "value"],
    nan_ok=("qualified_rate", "win_rate", "close_rate", "cost_per_lead", "cost_per_acquisition", "return"),
)
ok(
    K,
    "nothing won: no division by zero",
    lambda: development.report_total(
        pd.DataFrame({"leads": [3], "qualified": [1], "won": [0], "cost": [10.0], "value": [0.0]})
    ),
    lambda r: not np.isinf(pd.to_numeric(r, errors="coerce").to_numpy(dtype=float)).any(),
)

K = "development.buying_roles"
table_cases(
    K,
    development.buying_roles,
    roles,
    "contacts",
    required=["role", "money", "authority", "need"],
    flags=["money", "authority", "need"],
)
bad(K, "unknown role", lambda: development.buying_roles(_set(roles(), 1, "role", "boss")), "role", ["Bo"])
lang_case(K, lambda lang: development.buying_roles(roles(), lang=lang))

K = "development.buying_center"
table_cases(
    K,
    development.buying_center,
    development.example_buying_center,
    "contacts",
    required=["account_id", "contact", "role", "authority"],
    ids=["account_id"],
    flags=["authority"],
)

K = "development.funnel"
table_cases(
    K, development.funnel, leads, "leads", required=["stage"], nan_ok=("conversion",)
)  # documented: NaN after a stage nobody reached
bad(K, "unknown stage in the data", lambda: development.funnel(_set(leads(), 1, "stage", "curiosity")), "stage", [1])
bad(K, "missing stage", lambda: development.funnel(_set(leads(), 1, "stage", None)), "stage", [1])
bad(
    K,
    "negative count",
    lambda: development.funnel({"attention": 10, "interest": -2}, stages=["attention", "interest"]),
    "counts",
    ["interest"],
)
bad(
    K,
    "count 1,234.5",
    lambda: development.funnel({"attention": 10, "interest": "1,234.5"}, stages=["attention", "interest"]),
    "counts",
    ["interest"],
)
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
table_cases(
    K,
    development.contact_rule,
    contacts,
    "contacts",
    required=["contacts", "status", "value"],
    money=["contacts", "value"],
)
bad(K, "unknown status", lambda: development.contact_rule(_set(contacts(), 1, "status", "pending")), "status", [1])
scalar_cases(
    K, lambda x: development.contact_rule(contacts(), limit=x), "limit", out_of_range=(0, -1), skip=("NaN", "inf")
)
lang_case(K, lambda lang: development.contact_rule(contacts(), lang=lang))

K = "development.contact_limit_tradeoff"
table_cases(
    K,
    development.contact_limit_tradeoff,
    contacts,
    "contacts",
    required=["contacts", "status", "value"],
    money=["contacts", "value"],
)
bad(K, "limits empty", lambda: development.contact_limit_tradeoff(contacts(), limits=[]), "limits")
bad(K, "limit zero", lambda: development.contact_limit_tradeoff(contacts(), limits=[0, 5]), "limits")
bad(K, "limits text", lambda: development.contact_limit_tradeoff(contacts(), limits="12"), "limits")
scalar_cases(
    K, lambda x: development.contact_limit_tradeoff(contacts(), contact_cost=x), "contact_cost", out_of_range=(-1,)
)
scalar_cases(K, lambda x: development.contact_limit_tradeoff(contacts(), margin=x), "margin", out_of_range=(-0.1, 1.5))

K = "development.acquisition_economics"
for fld, rng in (("budget", (-1,)), ("retention_cost", (0, -1)), ("multiple", (0, -1)), ("customer_value", (-1,))):
    scalar_cases(K, lambda x, fld=fld: development.acquisition_economics(**{fld: x}), fld, out_of_range=rng)
lang_case(K, lambda lang: development.acquisition_economics(lang=lang))
ok(K, "huge budget", lambda: development.acquisition_economics(budget=1e15), finite)

# ============================================================================ satisfaction
for fname in (
    "indicators",
    "categories",
    "handling_steps",
    "satisfaction_kinds",
    "four_steps",
    "service_strategies",
    "service_models",
    "six_keys",
):
    ok(
        f"satisfaction.{fname}",
        "reference table",
        getattr(satisfaction, fname),
        lambda r: isinstance(r, pd.DataFrame) and len(r) > 0,
    )
    lang_case(f"satisfaction.{fname}", lambda lang, fname=fname: getattr(satisfaction, fname)(lang=lang))
NO_INPUT["satisfaction.SatisfactionIndex"] = "result record returned by satisfaction_index"
NO_INPUT["satisfaction.NPSResult"] = "result record returned by nps"
NO_INPUT["satisfaction.ComplaintReport"] = "result record returned by complaint_report"

SURVEY_COLS = ["category", "indicator", "importance", "performance"]
K = "satisfaction.satisfaction_index"
table_cases(
    K,
    satisfaction.satisfaction_index,
    survey,
    "survey",
    required=SURVEY_COLS,
    ids=["category", "indicator"],
    money=["importance", "performance"],
)
bad(
    K,
    "rating above the scale",
    lambda: satisfaction.satisfaction_index(_set(survey(), 1, "performance", 7)),
    "performance",
    [1],
)
bad(
    K,
    "rating below the scale",
    lambda: satisfaction.satisfaction_index(_set(survey(), 1, "importance", 0)),
    "importance",
    [1],
)
bad(K, "scale reversed", lambda: satisfaction.satisfaction_index(survey(), scale=(5, 1)), "scale")
bad(K, "weights unknown text", lambda: satisfaction.satisfaction_index(survey(), weights="heavy"), "weights")
ok(
    K,
    "all-equal ratings",
    lambda: satisfaction.satisfaction_index(survey().assign(importance=3, performance=3)),
    lambda r: math.isclose(r.overall, 50.0) and finite(r.by_category, ["index"]),
)

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
ok(
    K,
    "single answer",
    lambda: satisfaction.nps([10]),
    lambda r: r.nps == 100.0 and all(math.isfinite(v) for v in (r.low, r.high)),
)
ok(
    K,
    "all promoters",
    lambda: satisfaction.nps([9] * 20),
    lambda r: r.nps == 100.0 and all(math.isfinite(v) for v in (r.low, r.high)),
)

K = "satisfaction.nps_groups"
values_cases(K, satisfaction.nps_groups, "scores", base=9.0)
bad(K, "score 11", lambda: satisfaction.nps_groups([10, 11]), "scores", [1])
lang_case(K, lambda lang: satisfaction.nps_groups([3], lang=lang))

K = "satisfaction.respondents"
table_cases(
    K,
    satisfaction.respondents,
    survey,
    "survey",
    required=["respondent_id", "segment", "csat", "recommend"],
    ids=["respondent_id"],
)
bad(
    K,
    "answers differ within a respondent",
    lambda: satisfaction.respondents(_set(survey(), 1, "csat", 1)),
    "csat",
    None,
)

K = "satisfaction.importance_performance"
table_cases(
    K,
    satisfaction.importance_performance,
    survey,
    "survey",
    required=SURVEY_COLS,
    ids=["indicator"],
    money=["importance", "performance"],
)
bad(K, "cut unknown", lambda: satisfaction.importance_performance(survey(), cut="mode"), "cut")
bad(K, "by unknown", lambda: satisfaction.importance_performance(survey(), by="question"), "by")
lang_case(K, lambda lang: satisfaction.importance_performance(survey(), lang=lang))
ok(
    K,
    "all-equal ratings",
    lambda: satisfaction.importance_performance(survey().assign(importance=4, performance=4)),
    lambda r: finite(r) and r["quadrant"].notna().all(),
)

K = "satisfaction.segment_means"
table_cases(
    K,
    satisfaction.segment_means,
    survey,
    "survey",
    required=SURVEY_COLS,
    ids=["indicator"],
    money=["importance", "performance"],
)
bad(K, "segment column missing", lambda: satisfaction.segment_means(survey().drop(columns="segment")), "segment")
bad(K, "by unknown", lambda: satisfaction.segment_means(survey(), by="question"), "by")
bad(K, "scale reversed", lambda: satisfaction.segment_means(survey(), scale=(5, 1)), "scale")
bad(
    K, "rating off the scale", lambda: satisfaction.segment_means(_set(survey(), 2, "importance", 9)), "importance", [2]
)
ok(
    K,
    "no segment column asked for",
    lambda: satisfaction.segment_means(survey().drop(columns="segment"), segment_col=None),
    lambda r: list(r) == ["all"] and len(r["all"]) > 0,
)

K = "satisfaction.ipa_quadrants"


def _items() -> pd.DataFrame:
    return pd.DataFrame({"importance": [4.0, 2.0], "performance": [3.0, 5.0]}, index=["a", "b"])


bad(K, "not a table", lambda: satisfaction.ipa_quadrants([1, 2]), "items")
bad(K, "empty table", lambda: satisfaction.ipa_quadrants(_items().iloc[:0]), "items")
bad(K, "importance missing", lambda: satisfaction.ipa_quadrants(_items().drop(columns="importance")), "importance")
bad(K, "performance text", lambda: satisfaction.ipa_quadrants(_items().assign(performance=["x", "y"])), "performance")
bad(
    K,
    "importance missing value",
    lambda: satisfaction.ipa_quadrants(_set(_items(), 1, "importance", np.nan)),
    "importance",
    ["b"],
)
bad(K, "cut unknown", lambda: satisfaction.ipa_quadrants(_items(), cut="mode"), "cut")
lang_case(K, lambda lang: satisfaction.ipa_quadrants(_items(), lang=lang))

K = "satisfaction.complaint_iceberg"
scalar_cases(K, lambda x: satisfaction.complaint_iceberg(x), "n_complaints", out_of_range=(-1,))
for fld in ("complain_share", "leave_share", "never_return_share", "tell_few_share", "attitude_share"):
    scalar_cases(
        K,
        lambda x, fld=fld: satisfaction.complaint_iceberg(10, **{fld: x}),
        fld,
        out_of_range=(-0.1, 1.5),
        skip=("None",),
    )
bad(
    K,
    "complain_share 0 (every unhappy customer is invisible)",
    lambda: satisfaction.complaint_iceberg(10, complain_share=0),
    "complain_share",
)
ok(K, "no complaints", lambda: satisfaction.complaint_iceberg(0), lambda r: finite(r["count"]))
lang_case(K, lambda lang: satisfaction.complaint_iceberg(10, lang=lang))
ok(
    K,
    "huge",
    lambda: satisfaction.complaint_iceberg(1e12, value_per_customer=1e6),
    lambda r: finite(r["count"]) and finite(r["value"].dropna()),
)

K = "satisfaction.complaint_report"
STEP_H = ["apologise_h", "restate_h", "reassure_h", "remedy_h"]
table_cases(
    K,
    satisfaction.complaint_report,
    complaints,
    "log",
    required=["customer_id", "cause", *STEP_H],
    ids=["customer_id"],
    flags=["satisfied"],
)
scalar_cases(
    K, lambda x: satisfaction.complaint_report(complaints(), follow_up_days=x), "follow_up_days", out_of_range=(-1,)
)
scalar_cases(
    K,
    lambda x: satisfaction.complaint_report(complaints(), repeat_min=x),
    "repeat_min",
    out_of_range=(0,),
    skip=("NaN", "inf"),
)
bad(
    K, "negative hours", lambda: satisfaction.complaint_report(_set(complaints(), 1, "remedy_h", -5.0)), "remedy_h", [1]
)
bad(
    K,
    "hours 1,234.5",
    lambda: satisfaction.complaint_report(_set(complaints(), 1, "remedy_h", "1,234.5")),
    "remedy_h",
    [1],
)
lang_case(K, lambda lang: satisfaction.complaint_report(complaints(), lang=lang))

# ============================================================================ loyalty
K = "loyalty.loyalty_status"
table_cases(K, loyalty.loyalty_status, tx, "tx", required=["customer_id", "date"], ids=["customer_id"], dates=["date"])
scalar_cases(
    K, lambda x: loyalty.loyalty_status(tx(), min_repeats=x), "min_repeats", out_of_range=(0, -1), skip=("NaN", "inf")
)
lang_case(K, lambda lang: loyalty.loyalty_status(tx(), lang=lang))
ok(K, "single customer", lambda: loyalty.loyalty_status(tx().iloc[:2])["repeat_purchases"].tolist(), [1])

K = "loyalty.loyalty_by"
STATUS = lambda: loyalty.loyalty_status(tx(), min_repeats=1)  # noqa: E731  (A, C loyal; B not)
table_cases(
    K,
    lambda d: loyalty.loyalty_by(
        d, ["x", "y"] * (len(d) // 2) + ["x"] * (len(d) % 2) if isinstance(d, pd.DataFrame) else ["x"]
    ),
    STATUS,
    "status",
    required=["loyal"],
    flags=["loyal"],
)
bad(
    K,
    "a customer without a group",
    lambda: loyalty.loyalty_by(STATUS(), pd.Series({"A": "x", "C": "y"})),
    "groups",
    ["B"],
)
bad(K, "a missing group", lambda: loyalty.loyalty_by(STATUS(), ["x", None, "y"]), "groups", ["B"])
bad(K, "groups too short", lambda: loyalty.loyalty_by(STATUS(), ["x"]), "status, groups")
bad(K, "groups a column name", lambda: loyalty.loyalty_by(STATUS(), "kind"), "groups")
bad(K, "groups a DataFrame", lambda: loyalty.loyalty_by(STATUS(), pd.DataFrame({"kind": ["x"] * 3})), "groups")
ok(
    K,
    "hand-computed, groups matched by label",
    lambda: loyalty.loyalty_by(STATUS(), pd.Series({"C": "x", "B": "y", "A": "x", "Z": "y"}, name="kind")),
    lambda r: (
        r.index.name == "kind"
        and r["customers"].tolist() == [2, 1]
        and r["loyal"].tolist() == [2, 0]
        and r["loyal_share"].tolist() == [1.0, 0.0]
    ),
)
ok(
    K,
    "an empty category has no share",
    lambda: loyalty.loyalty_by(STATUS(), pd.Categorical(["x", "x", "x"], categories=["x", "y"])),
    lambda r: r["customers"].tolist() == [3, 0] and math.isnan(r.loc["y", "loyal_share"]),
)

K = "loyalty.value_loyalty_matrix"
values_cases(
    K,
    lambda v: loyalty.value_loyalty_matrix(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]),
    "value",
    negative_ok=True,
)
values_cases(
    K,
    lambda v: loyalty.value_loyalty_matrix([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
    "loyalty",
    empty_ok=True,
    bools=False,
)
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
for fld, rng in (
    ("customers", (-1,)),
    ("retention_rate", (-0.1, 1.5)),
    ("sales_cost", (-1,)),
    ("retention_cost", (-1,)),
    ("customer_value", (-1,)),
    ("multiple", (-1,)),
):
    scalar_cases(K, lambda x, fld=fld: loyalty.retention_economics(**{**RE, fld: x}), fld, out_of_range=rng)
lang_case(K, lambda lang: loyalty.retention_economics(**RE, lang=lang))

K = "loyalty.cohort_retention"
table_cases(
    K, loyalty.cohort_retention, tx, "tx", required=["customer_id", "date"], ids=["customer_id"], dates=["date"]
)
bad(K, "unknown period", lambda: loyalty.cohort_retention(tx(), period="fortnight"), "period")
bad(K, "counts not a bool", lambda: loyalty.cohort_retention(tx(), counts="yes"), "counts")
ok(K, "single customer", lambda: loyalty.cohort_retention(tx().iloc[:2]), lambda r: r.iloc[0, 0] == 1.0 and len(r) == 1)

K = "loyalty.retention_curve"
table_cases(K, loyalty.retention_curve, lambda: loyalty.cohort_retention(tx()), "triangle")
ok(
    K,
    "no cohort sizes: cohorts weigh the same",
    lambda: loyalty.retention_curve(pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]})).tolist(),
    [1.0, 0.5],
)
ok(
    K,
    "hand-computed",
    lambda: loyalty.retention_curve(loyalty.cohort_retention(tx())).round(6).tolist()[:2],
    lambda r: r[0] == 1.0,
)

K = "loyalty.churn_watch"
table_cases(K, loyalty.churn_watch, tx, "tx", required=["customer_id", "date"], ids=["customer_id"], dates=["date"])
bad(
    K,
    "as_of before the last purchase",
    lambda: loyalty.churn_watch(tx(), as_of="2024-01-15"),
    "date",
    rows=[1, 2, 3, 4],
)
bad(K, "lapsed below at_risk", lambda: loyalty.churn_watch(tx(), at_risk=3, lapsed=2), "lapsed")
scalar_cases(K, lambda x: loyalty.churn_watch(tx(), at_risk=x), "at_risk", out_of_range=(0, -1))
lang_case(K, lambda lang: loyalty.churn_watch(tx(), lang=lang))
ok(
    K,
    "as_of in the future: everyone lapsed",
    lambda: loyalty.churn_watch(tx(), as_of="2030-01-01"),
    lambda r: r["status"].astype(str).str.startswith("lapsed").loc[["A", "C"]].all(),
)

for fname in ("churn_causes", "winback_steps"):
    ok(
        f"loyalty.{fname}",
        "reference table",
        getattr(loyalty, fname),
        lambda r: isinstance(r, pd.DataFrame) and len(r) > 0,
    )
    lang_case(f"loyalty.{fname}", lambda lang, fname=fname: getattr(loyalty, fname)(lang=lang))

K = "loyalty.key_accounts"
values_cases(K, lambda v: loyalty.key_accounts(v, [1.0] * len(v) if isinstance(v, list) else [1.0, 2.0]), "value")
values_cases(
    K,
    lambda v: loyalty.key_accounts([1.0] * len(v) if isinstance(v, list) else [1.0, 2.0], v),
    "potential",
    empty_ok=True,
)
scalar_cases(K, lambda x: loyalty.key_accounts([1, 2], [1, 2], top=x), "top", out_of_range=(0, 1.5))
scalar_cases(
    K, lambda x: loyalty.key_accounts([1, 2], [1, 2], value_weight=x), "value_weight", out_of_range=(-0.1, 1.5)
)
ok(K, "single account is key", lambda: loyalty.key_accounts([5.0], [3.0])["key_account"].tolist(), [True])
ok(K, "all-equal values", lambda: loyalty.key_accounts([5.0] * 4, [5.0] * 4), lambda r: finite(r))

K = "loyalty.key_account_needs"
table_cases(
    K,
    loyalty.key_account_needs,
    accounts,
    "accounts",
    required=[ACC_ID, "satisfaction", "price_sensitivity", "partnership_interest"],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=["satisfaction", "price_sensitivity", "partnership_interest"],
    row_id=ACC_ID,
)
lang_case(K, lambda lang: loyalty.key_account_needs(accounts(), lang=lang))

K = "loyalty.allocate_resources"
table_cases(
    K,
    lambda d: loyalty.allocate_resources(d, budget=1000),
    key_acc,
    "accounts",
    required=["score", "key_account"],
    money=["score"],
    flags=["key_account"],
)
scalar_cases(K, lambda x: loyalty.allocate_resources(key_acc(), budget=x), "budget", out_of_range=(-1,))
scalar_cases(
    K, lambda x: loyalty.allocate_resources(key_acc(), 1000, key_share=x), "key_share", out_of_range=(-0.1, 1.5)
)
ok(K, "sums to the budget", lambda: float(loyalty.allocate_resources(key_acc(), 1000).sum()), 1000.0)

K = "loyalty.year_over_year"
table_cases(
    K,
    loyalty.year_over_year,
    tx,
    "tx",
    required=["customer_id", "date", "amount", "margin"],
    ids=["customer_id"],
    signed=["amount", "margin"],
    dates=["date"],
    nan_ok=("retained", "retention_rate"),
)
ok(
    K,
    "two years by hand: A comes back, B does not",
    lambda: (
        loyalty.year_over_year(
            tx().assign(date=pd.to_datetime(["2023-01-01", "2024-02-10", "2023-01-20", "2024-02-02", "2024-03-01"]))
        )[["customers", "retention_rate", "revenue"]]
        .iloc[-1]
        .tolist()
    ),
    [2.0, 0.5, 85.0],
)
ok(
    K,
    "without a margin column",
    lambda: loyalty.year_over_year(tx().drop(columns="margin"), margin_col=None),
    lambda r: "margin_per_customer" not in r.columns and r["customers"].tolist() == [3],
)


def vlm_table() -> pd.DataFrame:
    return loyalty.value_loyalty_matrix(
        pd.Series([900.0, 800.0, 50.0, 40.0], index=list("abcd")), [6, 0, 5, 1], value_cut=500, loyalty_cut=3
    )


K = "loyalty.value_loyalty_summary"
table_cases(
    K,
    loyalty.value_loyalty_summary,
    vlm_table,
    "matrix",
    required=["relationship", "value"],
    ids=["relationship"],
    signed=["value"],
)
ok(
    K,
    "hand-computed",
    lambda: loyalty.value_loyalty_summary(vlm_table())["revenue"].tolist(),
    [900.0, 800.0, 50.0, 40.0],
)


def _budget_for(d):
    return pd.Series(100.0, index=d.index) if isinstance(d, pd.DataFrame) else [100.0]


K = "loyalty.key_account_summary"
table_cases(
    K,
    lambda d: loyalty.key_account_summary(d, _budget_for(d)),
    key_acc,
    "accounts",
    required=["value", "key_account"],
    money=["value"],
    flags=["key_account"],
)
values_cases(K, lambda v: loyalty.key_account_summary(key_acc(), v), "budget")
bad(K, "a budget for fewer accounts", lambda: loyalty.key_account_summary(key_acc(), [1.0, 2.0]), "value, budget")
ok(
    K,
    "hand-computed",
    lambda: loyalty.key_account_summary(key_acc(), loyalty.allocate_resources(key_acc(), 1000))["value"].tolist(),
    [960.0, 600.0],
)
for value, what in (("n/a", "text"), (np.nan, "NaN"), (-5.0, "negative")):
    bad(
        K,
        f"{what} in 'potential'",
        lambda value=value: loyalty.key_account_summary(_set(key_acc(), 1, "potential", value), [1.0] * 5),
        "potential",
        [1],
    )
bad(K, "no budget and no budget column", lambda: loyalty.key_account_summary(key_acc()), "budget")
bad(
    K,
    "text in the budget column",
    lambda: loyalty.key_account_summary(key_acc().assign(budget=[1.0, "x", 1.0, 1.0, 1.0])),
    "budget",
    [1],
)
ok(
    K,
    "accounts, potential and budget per account by hand",
    lambda: loyalty.key_account_summary(key_acc(), [100.0, 300.0, 200.0, 50.0, 10.0]),
    lambda r: (
        r["accounts"].tolist() == [3, 2]
        and r["potential"].tolist() == [15.0, 1200.0]
        and np.allclose(r["budget_per_account"], [160 / 3, 250.0])
    ),
)
ok(
    K,
    "without a potential column, with the table's own budget",
    lambda: loyalty.key_account_summary(key_acc().drop(columns="potential").assign(budget=2.0)),
    lambda r: "potential" not in r.columns and r["budget_per_account"].tolist() == [2.0, 2.0],
)


def clv_table() -> pd.DataFrame:
    return pd.DataFrame({"prob_alive": [0.9, 0.7, 0.2, 0.4], "clv": [500.0, 300.0, 10.0, 30.0]}, index=list("abcd"))


K = "loyalty.clv_by_relationship"
table_cases(
    K,
    lambda d: loyalty.clv_by_relationship(d, vlm_table()),
    clv_table,
    "report",
    required=["prob_alive", "clv"],
    money=["prob_alive", "clv"],
    relabel=False,
    nan_ok=("prob_alive", "clv"),
)
table_cases(
    K,
    lambda d: loyalty.clv_by_relationship(clv_table(), d),
    vlm_table,
    "matrix",
    required=["relationship"],
    ids=["relationship"],
    relabel=False,
)
bad(
    K,
    "customers missing from the matrix",
    lambda: loyalty.clv_by_relationship(clv_table().rename(index={"d": "z"}), vlm_table()),
    "report",
    rows=["z"],
)
bad(
    K,
    "a customer twice in the matrix",
    lambda: loyalty.clv_by_relationship(clv_table(), vlm_table().rename(index={"b": "a"})),
    "matrix",
)
ok(
    K,
    "hand-computed",
    lambda: loyalty.clv_by_relationship(clv_table(), vlm_table())["clv"].tolist(),
    [500.0, 300.0, 10.0, 30.0],
)

K = "loyalty.clv_report"
table_cases(
    K,
    loyalty.clv_report,
    lambda: datasets.make_transactions(n_customers=40, seed=1),
    "tx",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    money=["amount"],
    dates=["date"],
)
scalar_cases(K, lambda x: loyalty.clv_report(tx(), horizon_months=x), "horizon_months", out_of_range=(0, -1))
scalar_cases(K, lambda x: loyalty.clv_report(tx(), annual_discount=x), "annual_discount", out_of_range=(-0.1, 1.5))
bad(K, "single customer: too few repeat buyers to fit", lambda: loyalty.clv_report(tx().iloc[:2]), "tx")
bad(K, "tiny log: too few repeat buyers to fit", lambda: loyalty.clv_report(tx()), "tx")
ok(K, "small log", lambda: loyalty.clv_report(datasets.make_transactions(n_customers=40, seed=1)), finite)

# ============================================================================ clv
K = "clv.summary_from_transactions"
table_cases(
    K,
    clv.summary_from_transactions,
    tx,
    "tx",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    money=["amount"],
    dates=["date"],
)
bad(
    K,
    "observation_end before every purchase",
    lambda: clv.summary_from_transactions(tx(), observation_end="2023-12-01"),
    "observation_end",
)
ok(
    K,
    "observation_end inside the log: later purchases are left out",
    lambda: clv.summary_from_transactions(tx(), observation_end="2024-02-01"),
    lambda r: sorted(r.index) == ["A", "B"],
)
bad(K, "freq unknown", lambda: clv.summary_from_transactions(tx(), freq="fortnight"), "freq")
ok(
    K,
    "single customer",
    lambda: clv.summary_from_transactions(tx().iloc[:2]),
    lambda r: r.loc["A", "frequency"] == 1 and finite(r),
)

SUMM = dict(frequency=[0, 2, 5, 1], recency=[0.0, 10.0, 30.0, 4.0], T=[40.0, 40.0, 40.0, 40.0])
for cls in ("BetaGeo", "ParetoNBD"):
    K = f"clv.{cls}"
    C = getattr(clv, cls)
    fit = f"{cls}.fit"
    bad(K, "recency above T", lambda C=C: C().fit([1, 2], [10.0, 50.0], [40.0, 40.0]), "recency", [1], func=fit)
    bad(K, "negative frequency", lambda C=C: C().fit([1, -2], [10.0, 5.0], [40.0, 40.0]), "frequency", [1], func=fit)
    bad(
        K,
        "frequency 1,234.5",
        lambda C=C: C().fit([1, "1,234.5"], [10.0, 5.0], [40.0, 40.0]),
        "frequency",
        [1],
        func=fit,
    )
    bad(K, "fractional frequency", lambda C=C: C().fit([1, 2.5], [10.0, 5.0], [40.0, 40.0]), "frequency", [1], func=fit)
    bad(K, "NaN recency", lambda C=C: C().fit([1, 2], [10.0, np.nan], [40.0, 40.0]), "recency", [1], func=fit)
    bad(K, "lengths differ", lambda C=C: C().fit([1, 2], [10.0], [40.0, 40.0]), "frequency, recency, T", func=fit)
    bad(K, "empty", lambda C=C: C().fit([], [], []), "frequency", func=fit)
    bad(K, "max_iter text", lambda C=C: C(max_iter="many").fit(**SUMM), "max_iter", func=fit)
    bad(K, "max_iter zero", lambda C=C: C(max_iter=0).fit(**SUMM), "max_iter", func=fit)
    bad(
        K,
        "predict before fit",
        lambda C=C: C().prob_alive(1, 5.0, 40.0),
        None,
        func=f"{cls}.prob_alive",
        contains=("not fitted",),
    )
    bad(K, "nobody repeats", lambda C=C: C().fit([0, 0, 0], [0.0, 0.0, 0.0], [40.0, 40.0, 40.0]), "frequency", func=fit)

K = "clv.simulate_beta_geo"
for fld in ("r", "alpha", "a", "b"):
    scalar_cases(
        K,
        lambda x, fld=fld: clv.simulate_beta_geo(**{**dict(n=5, r=0.5, alpha=5.0, a=0.8, b=2.5), fld: x}),
        fld,
        out_of_range=(0, -1),
    )
scalar_cases(K, lambda x: clv.simulate_beta_geo(x, 0.5, 5.0, 0.8, 2.5), "n", out_of_range=(0, -3), skip=("NaN", "inf"))
bad(K, "seed text", lambda: clv.simulate_beta_geo(5, 0.5, 5.0, 0.8, 2.5, seed="x"), "seed")

K = "clv.GammaGamma"
bad(
    K,
    "fewer than two repeat buyers",
    lambda: clv.GammaGamma().fit([0, 2], [0.0, 5.0]),
    "frequency",
    func="GammaGamma.fit",
)
bad(
    K,
    "negative spend",
    lambda: clv.GammaGamma().fit([1, 2], [10.0, -5.0]),
    "monetary_value",
    [1],
    func="GammaGamma.fit",
)
bad(
    K,
    "spend text",
    lambda: clv.GammaGamma().fit([1, 2], [10.0, "1,234.5"]),
    "monetary_value",
    [1],
    func="GammaGamma.fit",
)
bad(
    K,
    "lengths differ",
    lambda: clv.GammaGamma().fit([1, 2], [10.0]),
    "frequency, monetary_value",
    func="GammaGamma.fit",
)
bad(
    K,
    "predict before fit",
    lambda: clv.GammaGamma().conditional_expected_spend([1], [5.0]),
    None,
    func="GammaGamma.conditional_expected_spend",
    contains=("not fitted",),
)


def _bg():
    bg = clv.BetaGeo()
    bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return bg


def _pnbd():
    m = clv.ParetoNBD()
    m.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    return m


def _gg():
    m = clv.GammaGamma()
    m.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    return m


K = "clv.customer_lifetime_value"
bad(
    K,
    "model not fitted",
    lambda: clv.customer_lifetime_value(clv.BetaGeo(), 30.0, [0], [0.0], [38.0]),
    "transaction_model",
)
bad(
    K,
    "model of the wrong kind",
    lambda: clv.customer_lifetime_value("BG/NBD", 30.0, [0], [0.0], [38.0]),
    "transaction_model",
)
bad(K, "negative spend", lambda: clv.customer_lifetime_value(_bg(), -30.0, [0], [0.0], [38.0]), "spend_model_or_spend")
bad(K, "recency above T", lambda: clv.customer_lifetime_value(_bg(), 30.0, [1], [50.0], [38.0]), "recency", [0])
scalar_cases(
    K,
    lambda x: clv.customer_lifetime_value(_bg(), 30.0, [0], [0.0], [38.0], horizon=x),
    "horizon",
    out_of_range=(0, -1),
)
scalar_cases(
    K,
    lambda x: clv.customer_lifetime_value(_bg(), 30.0, [0], [0.0], [38.0], discount_rate=x),
    "discount_rate",
    out_of_range=(-0.5,),
)
ok(K, "huge spend", lambda: clv.customer_lifetime_value(_bg(), 1e200, [2], [30.0], [38.0]), finite)

# per-customer inputs: Series are matched by label, arrays by position (one rule in crmlib.clv)
_SUMM_ABC = pd.DataFrame(
    {"frequency": [1, 5, 10], "recency": [10.0, 30.0, 37.0], "T": [38.0] * 3, "monetary_value": [20.0, 40.0, 60.0]},
    index=list("abc"),
)
_SPEND_CBA = pd.Series([60.0, 40.0, 20.0], index=list("cba"))  # a: 20, b: 40, c: 60 in another order


def _clv_abc(spend, **kw):
    s = _SUMM_ABC
    return clv.customer_lifetime_value(_bg(), spend, s["frequency"], s["recency"], s["T"], **kw)


ok(
    K,
    "spend Series in another order: matched by customer (a's CLV is 20 × a's CLV at spend 1)",
    lambda: _clv_abc(_SPEND_CBA),
    lambda r: list(r.index) == list("abc") and np.allclose(r.to_numpy(), [20, 40, 60] * _clv_abc(1.0).to_numpy()),
)
bad(
    K,
    "spend Series of other customers",
    lambda: _clv_abc(pd.Series([60.0, 40.0, 20.0], index=list("cbz"))),
    "spend_model_or_spend",
    contains=("'a'", "'z'"),
)
bad(
    K,
    "recency Series with a repeated label",
    lambda: clv.customer_lifetime_value(
        _bg(), 30.0, _SUMM_ABC["frequency"], _SUMM_ABC["recency"].rename(index={"b": "a"}), _SUMM_ABC["T"]
    ),
    "recency",
    contains=("'a'",),
)
bad(
    K,
    "spend array of another length",
    lambda: _clv_abc(np.array([20.0, 40.0])),
    "spend_model_or_spend, frequency",
    contains=("2 and 3",),
)
bad(
    K,
    "monetary_value of another length (with a spend model)",
    lambda: clv.customer_lifetime_value(_bg(), _gg(), [1, 2], [3.0, 4.0], [38.0, 38.0], [5.0, 6.0, 7.0]),
    "frequency, monetary_value",
)
ok(
    K,
    "heavy buyer (1,000 repeats, CDNOW parameters): finite, about 30 × 25,700",
    lambda: clv.customer_lifetime_value(_bg(), 30.0, [1000], [38.86], [38.86]),
    lambda r: finite(r) and 7.5e5 < r[0] < 8e5,
)
ok(
    K,
    "heavy buyer with a far horizon and a tiny T: finite",
    lambda: clv.customer_lifetime_value(_bg(), 1.0, [1000], [0.005], [0.01], horizon=520, discount_rate=0.01),
    finite,
)
ok(
    K,
    "horizon of 1e90 weeks in 1,000 steps: finite",
    lambda: clv.customer_lifetime_value(_bg(), 30.0, [2], [30.0], [38.0], horizon=1e90, freq=1e87),
    finite,
)
bad(
    K,
    "horizon making a value beyond the float range",
    lambda: clv.customer_lifetime_value(_bg(), 1e300, [2], [30.0], [38.0], horizon=1e90, freq=1e87),
    "horizon",
)

for cls in ("BetaGeo", "ParetoNBD"):
    K = f"clv.{cls}"
    m = _bg if cls == "BetaGeo" else _pnbd
    cep = f"{cls}.conditional_expected_purchases"
    bad(
        K,
        "t of another length than the customers",
        lambda m=m: m().conditional_expected_purchases([39, 40, 41], [1, 2], [3.0, 4.0], [38.0, 38.0]),
        "t, frequency",
        func=cep,
        contains=("3 and 2",),
    )
    bad(
        K,
        "recency Series of other customers",
        lambda m=m: m().prob_alive(
            _SUMM_ABC["frequency"], _SUMM_ABC["recency"].rename(index={"c": "z"}), _SUMM_ABC["T"]
        ),
        "recency",
        func=f"{cls}.prob_alive",
        contains=("'c'", "'z'"),
    )
    ok(
        K,
        "recency Series in another order: matched by customer",
        lambda m=m: m().prob_alive(_SUMM_ABC["frequency"], _SUMM_ABC["recency"][::-1], _SUMM_ABC["T"]),
        lambda r, m=m: r.equals(m().prob_alive(_SUMM_ABC["frequency"], _SUMM_ABC["recency"], _SUMM_ABC["T"])),
    )
    ok(
        K,
        "heavy buyer: 3,000 repeats, last on the last day",
        lambda m=m: m().conditional_expected_purchases(39, 3000, 38.86, 38.86),
        lambda r: 1900 < r < 2100,
    )
    ok(
        K,
        "heavy buyer: 100,000 repeats, prob_alive",
        lambda m=m: m().prob_alive([100_000, 100_000], [38.86, 38.0], [38.86, 38.86]),
        lambda r: r[0] == 1.0 and 0.0 <= r[1] < 1e-100,
    )
    ok(
        K,
        "far horizon t = 1e90: finite",
        lambda m=m: m().conditional_expected_purchases(1e90, 2, 30.43, 38.86),
        lambda r: finite(r) and r > 1e10,
    )

K = "clv.GammaGamma"
bad(
    K,
    "monetary_value Series of other customers",
    lambda: _gg().conditional_expected_spend(
        _SUMM_ABC["frequency"], _SUMM_ABC["monetary_value"].rename(index={"a": "q"})
    ),
    "monetary_value",
    func="GammaGamma.conditional_expected_spend",
    contains=("'a'", "'q'"),
)
ok(
    K,
    "monetary_value Series in another order: matched by customer (a: 6.25 × (15.44 + 20) / (6.25 + 2.74))",
    lambda: _gg().conditional_expected_spend(_SUMM_ABC["frequency"], _SUMM_ABC["monetary_value"][::-1]),
    lambda r: r["a"] == pytest.approx(6.25 * (15.44 + 20.0) / (6.25 + 2.74)),
)

K = "clv.simulate_beta_geo"
bad(
    K,
    "a purchase rate too large to count (r/alpha = 1e20 per unit)",
    lambda: clv.simulate_beta_geo(5, r=1e10, alpha=1e-10, a=0.8, b=2.5),
    "r, alpha",
)
ok(
    K,
    "a tiny dropout probability (a = 1e-300): valid summaries",
    lambda: clv.simulate_beta_geo(50, r=0.5, alpha=5.0, a=1e-300, b=2.5, seed=4),
    lambda r: finite(r) and bool((r["recency"] <= r["T"]).all()) and r["frequency"].min() >= 0,
)

# ============================================================================ casework
K = "casework.design_tiers"
values_cases(K, CW.design_tiers, "value", negative_ok=True)
bad(K, "cuts decreasing", lambda: CW.design_tiers([1, 2, 3], cuts=(0.9, 0.5, 0.8)), "cuts")
lang_case(K, lambda lang: CW.design_tiers([1, 2, 3], lang=lang))
ok(K, "single player", lambda: CW.design_tiers([5.0]), lambda r: len(r) == 1 and r["tier"].notna().all())
ok(K, "all-equal values", lambda: CW.design_tiers([5.0] * 8), lambda r: r["tier"].notna().all())

K = "casework.tier_summary"
TIERS = lambda: CW.design_tiers(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], index=list("abcdefghij")))  # noqa: E731
table_cases(
    K,
    CW.tier_summary,
    TIERS,
    "tiers",
    required=["value", "tier"],
    signed=["value"],
    nan_ok=("mean_value",),
)  # documented: NaN mean value for an empty tier
bad(K, "unknown tier", lambda: CW.tier_summary(_set(TIERS(), 3, "tier", "bronze")), "tier", ["d"])
bad(K, "missing tier", lambda: CW.tier_summary(_set(TIERS(), 2, "tier", None)), "tier", ["c"])
lang_case(K, lambda lang: CW.tier_summary(TIERS(), lang=lang))
ok(K, "hand-computed", lambda: CW.tier_summary(TIERS())["value"].tolist(), [15.0, 21.0, 9.0, 10.0])
ok(
    K,
    "tiers in Chinese, summary in English",
    lambda: CW.tier_summary(CW.design_tiers([1.0, 2.0], lang="zh"), lang="en"),
    lambda r: r.index.tolist() == ["silver", "gold", "platinum", "diamond"] and r["players"].sum() == 2,
)

K = "casework.comp_response"
scalar_cases(K, lambda x: CW.comp_response(x), "comp_rate", out_of_range=(-0.1, 1.5))
scalar_cases(K, lambda x: CW.comp_response(0.1, base_retention=x), "base_retention", out_of_range=(-0.1, 1.5))
ok(K, "no comp keeps the base rate", lambda: float(CW.comp_response(0.0, 0.5, 0.06)), 0.5)

K = "casework.comp_economics"
values_cases(
    K, lambda v: CW.comp_economics(v, ["silver"] * (len(v) if isinstance(v, list) else 2)), "loss", negative_ok=True
)
bad(K, "unknown tier", lambda: CW.comp_economics([1.0, 2.0], ["silver", "bronze"]), "tier", [1])
bad(K, "lengths differ", lambda: CW.comp_economics([1.0, 2.0], ["silver"]), "loss, tier")
bad(K, "comp_rates too few", lambda: CW.comp_economics([1.0], ["silver"], comp_rates=(0.1,)), "comp_rates")
lang_case(K, lambda lang: CW.comp_economics([1.0], ["silver"], lang=lang))

K = "casework.lobby_triage"
LOBBY = ["visitor_id", "arrival_min", "purpose", "assets", "annual_inflow", "decides"]
table_cases(
    K,
    CW.lobby_triage,
    lambda: datasets.make_lobby_visitors(6, seed=1),
    "visitors",
    required=LOBBY,
    ids=["visitor_id"],
    unique=["visitor_id"],
    money=["arrival_min", "assets", "annual_inflow"],
    flags=["decides"],
    row_id="visitor_id",
)
bad(K, "weights negative", lambda: CW.lobby_triage(datasets.make_lobby_visitors(6), weights=(1, -1, 1)), "weights")
bad(K, "weights too few", lambda: CW.lobby_triage(datasets.make_lobby_visitors(6), weights=(1, 1)), "weights")
lang_case(K, lambda lang: CW.lobby_triage(datasets.make_lobby_visitors(6), lang=lang))
ok(
    K,
    "single visitor",
    lambda: CW.lobby_triage(datasets.make_lobby_visitors(6, seed=1).iloc[[0]].assign(assets=5e5)),
    lambda r: len(r) == 1,
)

K = "casework.lobby_reweigh"


def _triage() -> pd.DataFrame:
    return CW.lobby_triage(datasets.make_lobby_visitors(6, seed=1))


bad(K, "not a table", lambda: CW.lobby_reweigh([1, 2]), "triage")
bad(K, "empty table", lambda: CW.lobby_reweigh(_triage().iloc[:0]), "triage")
bad(K, "visitors, not a triage", lambda: CW.lobby_reweigh(datasets.make_lobby_visitors(6)), "man_priority")
bad(K, "weights negative", lambda: CW.lobby_reweigh(_triage(), weights=(1, -1, 1)), "weights")
bad(K, "weights too few", lambda: CW.lobby_reweigh(_triage(), weights=(1, 1)), "weights")
bad(K, "weights all zero", lambda: CW.lobby_reweigh(_triage(), weights=(0, 0, 0)), "weights")
bad(K, "assets text", lambda: CW.lobby_reweigh(_set(_triage(), 1, "assets", "rich")), "assets", ["V002"])
bad(
    K,
    "inflow missing",
    lambda: CW.lobby_reweigh(_set(_triage(), 2, "annual_inflow", np.nan)),
    "annual_inflow",
    ["V003"],
)
bad(K, "priority off 1-8", lambda: CW.lobby_reweigh(_set(_triage(), 0, "man_priority", 9)), "man_priority", ["V001"])

for fname in ("file_quota", "monthly_files"):
    K = f"casework.{fname}"
    table_cases(
        K,
        getattr(CW, fname),
        lambda: station()["customers"],
        "customers",
        required=["employee", "joined"],
        ids=["employee"],
        dates=["joined"],
    )
    scalar_cases(
        K,
        lambda x, fname=fname: getattr(CW, fname)(station()["customers"], per_month=x),
        "per_month",
        out_of_range=(0, -1),
        skip=("NaN", "inf"),
    )

K = "casework.follow_up_outcomes"
table_cases(
    K,
    lambda d: CW.follow_up_outcomes(watch(), d),
    lambda: station()["complaints"],
    "complaints",
    required=["customer_id", "remedy_h", "follow_up_h"],
    ids=["customer_id"],
    money=["remedy_h"],
    nan_ok=("lapsed_share", "at_risk_or_lapsed_share"),
)  # documented: NaN for a group without customers
table_cases(
    K,
    lambda d: CW.follow_up_outcomes(d, station()["complaints"]),
    watch,
    "watch",
    required=["status"],
    nan_ok=("lapsed_share", "at_risk_or_lapsed_share"),
)
scalar_cases(
    K,
    lambda x: CW.follow_up_outcomes(watch(), station()["complaints"], follow_up_days=x),
    "follow_up_days",
    out_of_range=(-1,),
)
lang_case(K, lambda lang: CW.follow_up_outcomes(watch(), station()["complaints"], lang=lang))

K = "casework.winback_by_employee"
table_cases(
    K,
    lambda d: CW.winback_by_employee(watch(), d),
    lambda: station()["customers"],
    "customers",
    required=["customer_id", "employee"],
    ids=["customer_id", "employee"],
    unique=["customer_id"],
)
table_cases(
    K,
    lambda d: CW.winback_by_employee(d, station()["customers"]),
    watch,
    "watch",
    required=["status", "overdue"],
    money=["overdue"],
    relabel=False,
)

K = "casework.rice_run_out"
table_cases(
    K,
    lambda d: CW.rice_run_out(d, as_of="2025-03-10"),
    rice,
    "purchases",
    required=["household_id", "household_size", "date", "kg"],
    ids=["household_id"],
    money=["household_size", "kg"],
    dates=["date"],
)
bad(K, "as_of before the last purchase", lambda: CW.rice_run_out(rice(), as_of="2025-02-01"), "as_of")
bad(
    K,
    "household size zero",
    lambda: CW.rice_run_out(_set(rice(), 1, "household_size", 0), as_of="2025-03-10"),
    "household_size",
    [1],
)
ok(
    K,
    "as_of in the future: run-out in the past, days_left negative",
    lambda: CW.rice_run_out(rice(), as_of="2026-01-01"),
    lambda r: (r["days_left"] < 0).all(),
)

K = "casework.delivery_plan"
FC = lambda: CW.rice_run_out(rice(), as_of="2025-03-10")  # noqa: E731
table_cases(
    K,
    lambda d: CW.delivery_plan(d, as_of="2025-03-10"),
    FC,
    "forecast",
    required=["run_out", "last_kg", "household_size"],
    money=["last_kg", "household_size"],
    dates=["run_out"],
)
scalar_cases(
    K,
    lambda x: CW.delivery_plan(FC(), horizon_days=x, as_of="2025-03-10"),
    "horizon_days",
    out_of_range=(0, -1),
    skip=("NaN", "inf"),
)
scalar_cases(
    K,
    lambda x: CW.delivery_plan(FC(), lead_days=x, as_of="2025-03-10"),
    "lead_days",
    out_of_range=(-1,),
    skip=("NaN", "inf"),
)

K = "casework.backtest_deliveries"
table_cases(
    K,
    lambda d: CW.backtest_deliveries(d, cutoff="2025-02-01", interval_days=7),
    rice,
    "purchases",
    required=["household_id", "date"],
    ids=["household_id"],
    dates=["date"],
)
bad(K, "cutoff not a date", lambda: CW.backtest_deliveries(rice(), cutoff="soon"), "cutoff")
bad(K, "cutoff after every purchase", lambda: CW.backtest_deliveries(rice(), cutoff="2026-01-01"), "cutoff")
scalar_cases(
    K,
    lambda x: CW.backtest_deliveries(rice(), "2025-02-01", interval_days=x),
    "interval_days",
    out_of_range=(0, -1),
    skip=("NaN", "inf"),
)
lang_case(K, lambda lang: CW.backtest_deliveries(rice(), "2025-02-01", lang=lang))

K = "casework.lead_days_tradeoff"
table_cases(
    K,
    lambda d: CW.lead_days_tradeoff(d, cutoff="2025-02-01", leads=[0, 2], interval_days=7),
    rice,
    "purchases",
    required=["household_id", "date"],
    ids=["household_id"],
    dates=["date"],
    func="lead_days_tradeoff",
)
bad(K, "cutoff not a date", lambda: CW.lead_days_tradeoff(rice(), cutoff="soon"), "cutoff")
bad(K, "leads one number", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=3), "leads")
bad(K, "leads a string", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads="0,1"), "leads")
bad(K, "leads empty", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=[]), "leads")
bad(K, "lead negative", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=[0, -1]), "leads")
bad(K, "lead fractional", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=[0, 1.5]), "leads")
bad(K, "lead repeated", lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=[1, 2, 1]), "leads", [1])
scalar_cases(
    K,
    lambda x: CW.lead_days_tradeoff(rice(), "2025-02-01", interval_days=x),
    "interval_days",
    out_of_range=(0, -1),
    skip=("NaN", "inf"),
)
lang_case(K, lambda lang: CW.lead_days_tradeoff(rice(), "2025-02-01", lang=lang))
ok(
    K,
    "each row is the backtest's predicted plan",
    lambda: CW.lead_days_tradeoff(rice(), "2025-02-01", leads=[2], interval_days=7).loc[2].tolist(),
    CW.schedule_summary(CW.backtest_deliveries(rice(), "2025-02-01", interval_days=7, lead_days=2)).iloc[0].tolist(),
)

K = "casework.schedule_summary"
BT = lambda: pd.DataFrame({"predictive_gap": [0, -1, 2, -9], "fixed_gap": [5, 3, -2, -20]})  # noqa: E731
table_cases(
    K,
    CW.schedule_summary,
    BT,
    "backtest",
    required=["predictive_gap", "fixed_gap"],
    signed=["predictive_gap", "fixed_gap"],
)
lang_case(K, lambda lang: CW.schedule_summary(BT(), lang=lang))

K = "casework.coverage_review"
table_cases(
    K,
    lambda d: CW.coverage_review(d, bank()["insurance"]),
    lambda: bank()["clients"],
    "clients",
    required=["client_id", "annual_income"],
    ids=["client_id"],
    unique=["client_id"],
    money=["annual_income"],
    row_id="client_id",
)
table_cases(
    K,
    lambda d: CW.coverage_review(bank()["clients"], d),
    lambda: bank()["insurance"],
    "insurance",
    required=["client_id", "policy", "cover", "annual_premium"],
    ids=["client_id"],
    money=["cover", "annual_premium"],
    empty_ok=True,
)
scalar_cases(
    K,
    lambda x: CW.coverage_review(bank()["clients"], bank()["insurance"], life_multiple=x),
    "life_multiple",
    out_of_range=(-1, 100),
)

ASSETS = ["client_id", "quarter", "asset_class", "value"]
for fname, call in (
    ("asset_review", lambda d: CW.asset_review(d, "C001")),
    ("asset_mix", lambda d: CW.asset_mix(d, "C001")),
    ("asset_mixes", CW.asset_mixes),
    ("review_frequency", CW.review_frequency),
):
    K = f"casework.{fname}"
    table_cases(
        K,
        call,
        lambda: bank()["assets"],
        "assets",
        required=ASSETS,
        ids=["client_id", "quarter"],
        money=["value"],
        nan_ok=("change",),
    )  # documented: no change for the first quarter
bad("casework.asset_review", "unknown client", lambda: CW.asset_review(bank()["assets"], "nobody"), "client")
bad("casework.asset_mix", "unknown client", lambda: CW.asset_mix(bank()["assets"], "nobody"), "client")
bad(
    "casework.asset_mix",
    "unknown quarter",
    lambda: CW.asset_mix(bank()["assets"], bank()["clients"]["client_id"].iloc[0], "1999Q1"),
    "quarter",
)
K = "casework.asset_mixes"
bad(K, "unknown quarter", lambda: CW.asset_mixes(bank()["assets"], quarter="1999Q1"), "quarter")
bad(K, "clients without by", lambda: CW.asset_mixes(bank()["assets"], clients=bank()["clients"]), "by")
bad(K, "by without clients", lambda: CW.asset_mixes(bank()["assets"], by="risk_profile"), "clients")
bad(K, "by not a column", lambda: CW.asset_mixes(bank()["assets"], clients=bank()["clients"], by="colour"), "colour")
bad(K, "by a list", lambda: CW.asset_mixes(bank()["assets"], clients=bank()["clients"], by=["risk_profile"]), "by")
bad(
    K,
    "a client holding nothing",
    lambda: CW.asset_mixes(bank()["assets"].assign(value=0.0)),
    "value",
    ["C001", "C002", "C003"],
)
table_cases(
    K,
    lambda d: CW.asset_mixes(bank()["assets"], clients=d, by="risk_profile"),
    lambda: bank()["clients"],
    "clients",
    required=["client_id", "risk_profile"],
    ids=["client_id"],
    unique=["client_id"],
    row_id="client_id",
)
ok(
    K,
    "hand-computed mix and mean mix per group",
    lambda: (
        CW.asset_mixes(
            pd.DataFrame(
                {
                    "client_id": list("aabb"),
                    "quarter": ["2024Q1"] * 4,
                    "asset_class": ["deposits", "stocks"] * 2,
                    "value": [3.0, 1, 1, 3],
                }
            ),
            clients=pd.DataFrame({"client_id": ["a", "b"], "risk_profile": ["x", "x"]}),
            by="risk_profile",
        )
        .loc["x"]
        .tolist()
    ),
    [0.5, 0.5],
)
K = "casework.review_frequency"
bad(
    K,
    "monthly below quarterly",
    lambda: CW.review_frequency(bank()["assets"], monthly_from=1e5, quarterly_from=1e6),
    "monthly_from",
)
scalar_cases(
    K, lambda x: CW.review_frequency(bank()["assets"], change_trigger=x), "change_trigger", out_of_range=(-0.1,)
)
lang_case(K, lambda lang: CW.review_frequency(bank()["assets"], lang=lang))

K = "casework.pick_client"
table_cases(
    K, lambda d: CW.pick_client(d, 1), lambda: bank()["clients"], "clients", required=["client_id"], ids=["client_id"]
)
scalar_cases(K, lambda x: CW.pick_client(bank()["clients"], x), "number", out_of_range=(0, 4, -1), skip=("NaN", "inf"))

K = "casework.key_account_plan"
table_cases(
    K,
    CW.key_account_plan,
    accounts,
    "accounts",
    required=[ACC_ID, "revenue", "revenue_growth"],
    ids=[ACC_ID],
    unique=[ACC_ID],
    money=["revenue"],
    signed=["revenue_growth"],
    row_id=ACC_ID,
)
scalar_cases(K, lambda x: CW.key_account_plan(accounts(), top=x), "top", out_of_range=(0, 1.5))
scalar_cases(K, lambda x: CW.key_account_plan(accounts(), budget=x), "budget", out_of_range=(-1,))
lang_case(K, lambda lang: CW.key_account_plan(accounts(), lang=lang))
ok(K, "single account", lambda: CW.key_account_plan(accounts().iloc[:1]), lambda r: len(r) == 1)

# ============================================================================ datasets
for fname, fld, _extra in (
    ("make_transactions", "n_customers", {}),
    ("make_wallets", "n_customers", {}),
    ("make_prospects", "n", {}),
    ("make_accounts", "n", {}),
    ("make_leads", "n", {}),
    ("make_survey", "n_respondents", {}),
    ("make_complaints", "n", {}),
):
    K = f"datasets.{fname}"
    f = getattr(datasets, fname)
    scalar_cases(K, lambda x, f=f, fld=fld: f(**{fld: x}), fld, out_of_range=(-1,), skip=("NaN", "inf"))
    bad(K, "seed text", lambda f=f: f(seed="x"), "seed")
    bad(K, "seed negative", lambda f=f: f(seed=-1), "seed")
for fname in ("make_transactions", "make_wallets", "make_leads", "make_complaints"):
    K = f"datasets.{fname}"
    f = getattr(datasets, fname)
    bad(K, "start not a date", lambda f=f: f(5, start="someday"), "start")
    bad(K, "end before start", lambda f=f: f(5, start="2024-06-01", end="2024-01-01"), "start, end")
K = "datasets.make_invoices"
table_cases(
    K,
    datasets.make_invoices,
    accounts,
    "accounts",
    required=["account_id", "revenue", "payment_terms"],
    ids=["account_id"],
    unique=["account_id"],
    money=["revenue", "payment_terms"],
    row_id="account_id",
    none_ok=True,
)
bad(
    K,
    "end before start",
    lambda: datasets.make_invoices(accounts(), start="2024-06-01", end="2024-01-01"),
    "start, end",
)
for fname in ("dataset_path", "load_dataset"):
    K = f"datasets.{fname}"
    bad(
        K,
        "unknown name",
        lambda fname=fname: getattr(datasets, fname)("retail_transaction"),
        "name",
        contains=("retail_transactions",),
    )
    bad(K, "name not a string", lambda fname=fname: getattr(datasets, fname)(3), "name")
ok("datasets.list_datasets", "names", datasets.list_datasets, lambda r: "retail_transactions" in r)

# the case studies' generators (crmlib.datasets._case_generators)
K = "datasets.make_casino_players"
scalar_cases(K, lambda x: datasets.make_casino_players(x), "n", out_of_range=(-1,), skip=("NaN", "inf"))
bad(K, "seed text", lambda: datasets.make_casino_players(5, seed="x"), "seed")

K = "datasets.make_lobby_visitors"
scalar_cases(K, lambda x: datasets.make_lobby_visitors(x), "n", out_of_range=(-1,), skip=("NaN", "inf"))

K = "datasets.make_station"
for fld in ("n_employees", "months", "new_per_employee"):
    scalar_cases(
        K, lambda x, fld=fld: datasets.make_station(**{fld: x}), fld, out_of_range=(0, -1), skip=("NaN", "inf")
    )

K = "datasets.make_rice_purchases"
for fld in ("n_households", "days"):
    scalar_cases(
        K, lambda x, fld=fld: datasets.make_rice_purchases(**{fld: x}), fld, out_of_range=(0, -1), skip=("NaN", "inf")
    )
bad(K, "start not a date", lambda: datasets.make_rice_purchases(5, 30, start="someday"), "start")

K = "datasets.make_bank_clients"
for fld in ("n_clients", "n_quarters"):
    scalar_cases(
        K, lambda x, fld=fld: datasets.make_bank_clients(**{fld: x}), fld, out_of_range=(0, -1), skip=("NaN", "inf")
    )

# the customer archive's generators (crmlib.datasets._record_generators)
K = "datasets.make_card_details"
table_cases(
    K,
    lambda df: datasets.make_card_details(df),
    accounts,
    "accounts",
    required=["account_id", "region", "years_as_customer"],
    ids=["account_id"],
    unique=["account_id"],
    signed=["years_as_customer"],
    relabel=False,
)
bad(
    K,
    "unknown region",
    lambda: datasets.make_card_details(accounts().assign(region="Mars")),
    "region",
    rows=list(range(5)),
)
bad(K, "seed negative", lambda: datasets.make_card_details(accounts(), seed=-1), "seed")
bad(K, "bad as_of", lambda: datasets.make_card_details(accounts(), as_of="someday"), "as_of")
lang_case(K, lambda lang: datasets.make_card_details(accounts(), lang=lang))


def _cards() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["K1", "K2", "K3"], "grade": ["A", "B", "C"], "owner": ["Zhao", "Qian", "Sun"]})


K = "datasets.make_follow_ups"
table_cases(
    K,
    lambda df: datasets.make_follow_ups(df),
    _cards,
    "customers",
    required=["customer_id", "grade", "owner"],
    ids=["customer_id"],
)
bad(K, "grade not A/B/C", lambda: datasets.make_follow_ups(_cards().assign(grade=["A", "Q", "C"])), "grade", [1])
bad(K, "end before start", lambda: datasets.make_follow_ups(_cards(), start="2024-12-31", end="2024-01-01"), "end")
bad(K, "unparseable start", lambda: datasets.make_follow_ups(_cards(), start="31st of Smarch"), "start")
bad(K, "seed text", lambda: datasets.make_follow_ups(_cards(), seed="1"), "seed")
lang_case(K, lambda lang: datasets.make_follow_ups(_cards(), lang=lang))

K = "datasets.assign_complaints"
_sat = lambda: pd.DataFrame({"customer_id": ["K1", "K2"], "satisfaction": [2.0, 4.5]})  # noqa: E731
table_cases(
    K,
    lambda df: datasets.assign_complaints(complaints(), df),
    _sat,
    "customers",
    required=["customer_id", "satisfaction"],
    ids=["customer_id"],
    money=["satisfaction"],
)
table_cases(
    K,
    lambda df: datasets.assign_complaints(df, _sat()),
    complaints,
    "complaints",
    required=["complaint_id", "received", "satisfied"],
    dates=["received"],
    flags=["satisfied"],
)


def _csv(text: str, name: str = "mine.csv", encoding: str = "utf-8"):
    import tempfile
    from pathlib import Path

    p = Path(tempfile.mkdtemp()) / name
    p.write_bytes(text.encode(encoding))
    return p


PROSPECTS_CSV = (
    "prospect_id,source,money,authority,need,expected_close_days,estimated_value\n"
    "P1,trade fair,True,False,True,30,100.0\nP2,web,False,True,True,10,250.5\n"
)
K = "datasets.read_csv"
bad(K, "no such file", lambda: datasets.read_csv("/nonexistent/mine.csv"), "path")
bad(K, "unknown kind", lambda: datasets.read_csv(_csv(PROSPECTS_CSV), kind="prospect"), "kind")
bad(
    K,
    "column missing",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("need,", "needs,")), kind="prospects"),
    "need",
)
bad(
    K,
    "thousands separator in a number column",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("250.5", '"1,234.5"')), kind="prospects"),
    "estimated_value",
    rows=[1],
)
bad(
    K,
    "yes/no column holding 'maybe'",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("P2,web,False", "P2,web,maybe")), kind="prospects"),
    "money",
    rows=[1],
)
# reading keeps a blank id (a file may be read to be cleaned); the function that uses it names the row
bad(
    K,
    "missing id, named by the function that uses it",
    lambda: qualification.customer_state(
        tx(), datasets.read_csv(_csv(PROSPECTS_CSV.replace("P2,", ",")), kind="prospects")
    ),
    "prospect_id",
    rows=[1],
    func="customer_state",
)
ok(
    K,
    "GBK file",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV.replace("web", "网站"), encoding="gbk"), kind="prospects"),
    lambda r: r["source"].tolist() == ["trade fair", "网站"],
)
ok(
    K,
    "empty file with a header only",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV.splitlines()[0] + "\n")),
    lambda r: len(r) == 0,
)
# reading files (issue 14): encodings that GB18030 would garble, open invoices, exact ids, dates
bad(K, "path None", lambda: datasets.read_csv(None), "path")
bad(K, "path a number", lambda: datasets.read_csv(3), "path")
for _enc, _text, _hint in [
    ("cp1252", "customer_id,name\nC1,Müller\n", "encoding='cp1252'"),
    ("big5", "customer_id,name\nC1,台灣商行\n", "encoding='big5'"),
    ("shift_jis", "customer_id,name\nC1,山田商店\n", "tried utf-8, gb18030"),
]:
    bad(
        K,
        f"{_enc} file (GB18030 would garble it)",
        lambda _enc=_enc, _text=_text: datasets.read_csv(_csv(_text, encoding=_enc)),
        "encoding",
        contains=(_hint, "mine.csv"),
    )
    ok(
        K,
        f"{_enc} file with its encoding named",
        lambda _enc=_enc, _text=_text: datasets.read_csv(_csv(_text, encoding=_enc), encoding=_enc),
        lambda r, _text=_text: r["name"].tolist() == [_text.split(",")[-1].strip()],
    )
ok(
    K,
    "GBK file of two characters (a detector says Big5)",
    lambda: datasets.read_csv(_csv("id,名称\n1,网站\n", encoding="gbk")),
    lambda r: r["名称"].tolist() == ["网站"] and r.attrs["encoding"] == "gb18030",
)
_INVOICES_CSV = (
    "invoice_id,account_id,issue_date,due_date,paid_date,amount\n"
    "I1,A1,2024-01-05,2024-02-04,2024-02-01,100.00\nI2,A1,2024-03-01,2024-03-31,,50.00\n"
)
ok(
    K,
    "open invoice (empty paid_date)",
    lambda: datasets.read_csv(_csv(_INVOICES_CSV), kind="invoices"),
    lambda r: r["paid_date"].isna().tolist() == [False, True] and str(r["paid_date"].dtype) == "datetime64[ns]",
)
bad(
    K,
    "empty due_date (only the paid date may be empty)",
    lambda: datasets.read_csv(_csv(_INVOICES_CSV.replace("2024-03-31", "")), kind="invoices"),
    "due_date",
    rows=[1],
)
ok(
    K,
    "19-digit ids one apart, with a blank (float64 would merge them)",
    lambda: datasets.read_csv(_csv("customer_id,amount\n1234567890123456789,1\n1234567890123456788,2\n,3\n")),
    lambda r: r["customer_id"].tolist()[:2] == ["1234567890123456789", "1234567890123456788"],
)
bad(
    K,
    "whole number beyond int64 (would wrap to -9223372036854775808)",
    lambda: datasets.read_csv(
        _csv(PROSPECTS_CSV.replace("P2,web,False,True,True,10,", "P2,web,False,True,True,9223372036854775808,")),
        kind="prospects",
    ),
    "expected_close_days",
    rows=[1],
)


def _retail_csv(*dates: str) -> Path:
    """A retail_transactions file of one purchase on each of ``dates``, as written."""
    head = "transaction_id,customer_id,date,amount,discount_pct,margin,channel,region,segment\n"
    return _csv(head + "".join(f"{i},K1,{d},1,0,1,web,North,small\n" for i, d in enumerate(dates, 1)))


ok(
    K,
    "day-first dates (25/02/2024 in the column)",
    lambda: datasets.read_csv(
        _retail_csv("10/02/2024", "25/02/2024"),
        kind="retail_transactions",
    ),
    lambda r: r["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-10", "2024-02-25"],
)
bad(
    K,
    "dates that read both day-first and month-first",
    lambda: datasets.read_csv(
        _retail_csv("10/02/2024", "11/02/2024"),
        kind="retail_transactions",
    ),
    "date",
    rows=[0, 1],
    contains=("dayfirst=True",),
)
ok(
    K,
    "ambiguous dates with dayfirst=True",
    lambda: datasets.read_csv(
        _retail_csv("10/02/2024", "11/02/2024"),
        kind="retail_transactions",
        dayfirst=True,
    ),
    lambda r: r["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-10", "2024-02-11"],
)
bad(
    K,
    "dates written both ways in one column",
    lambda: datasets.read_csv(
        _retail_csv("25/02/2024", "26/02/2024", "02/27/2024"),
        kind="retail_transactions",
    ),
    "date",
    rows=[2],
)
bad(
    K,
    "dayfirst not a yes/no",
    lambda: datasets.read_csv(_csv(PROSPECTS_CSV), kind="prospects", dayfirst="yes"),
    "dayfirst",
)
bad("datasets.regenerate", "out is a file", lambda: datasets.regenerate(__file__), "out")

# ============================================================================ exercises, i18n, params
NO_INPUT["exercises.ExerciseCheckFailed"] = "the error raised by strict self-checks"
NO_INPUT["exercises.Exercise"] = "registry record created by @exercise"
K = "exercises.exercise"
bad(K, "tol negative", lambda: exercises.exercise("demo.x", hint="h", tol=-1), "tol")
bad(K, "id not a string", lambda: exercises.exercise(3, hint="h"), "ex_id")
bad(K, "hint in English only", lambda: exercises.exercise("demo.x", hint="add them up"), "hint")
_HZ = ("h", "提示")
bad(K, "aliases not a function", lambda: exercises.exercise("demo.x", hint=_HZ, aliases=["a"]), "aliases")
bad(K, "unknown category", lambda: exercises.exercise("demo.x", hint=_HZ, categories=["gold"]), "categories")
bad(K, "a mistake as text", lambda: exercises.exercise("demo.x", hint=_HZ, mistakes=["percent"]), "mistakes")
bad(K, "partial without a credit", lambda: exercises.exercise("demo.x", hint=_HZ, partial={"tol": 1}), "partial")
bad(
    K,
    "partial credit of 1",
    lambda: exercises.exercise("demo.x", hint=_HZ, tol=0.1, partial={"tol": 1, "credit": 1}),
    "partial",
)
bad(
    K,
    "partial margin narrower",
    lambda: exercises.exercise("demo.x", hint=_HZ, tol=0.1, partial={"tol": 0.01, "credit": 0.5}),
    "partial",
)
bad(K, "partial as a number", lambda: exercises.exercise("demo.x", hint=_HZ, partial=0.5), "partial")
K = "exercises.expected"
bad(K, "unknown exercise", lambda: exercises.expected("ch1.nope"), "exercise")
bad(K, "missing data", lambda: exercises.expected("demo.top_share"), "data")
bad(
    K,
    "bad data: the error of the crmlib function the solution uses",
    lambda: exercises.expected("demo.top_share", tx=tx().drop(columns=["amount"]), fraction=0.5),
    "amount",
    func="rfm_table",
)
K = "exercises.is_correct"
bad(K, "tol negative", lambda: exercises.is_correct(1, 1, tol=-1), "tol")
ok(K, "NaN answer is wrong, not an error", lambda: exercises.is_correct(float("nan"), 1.0), False)


def _fresh(call: Callable[[], Any]) -> Callable[[], Any]:
    """A case run against crmlib.exercises that leaves no answers, hints or practice behind (the
    doctests' verdicts depend on the hint levels reached)."""

    def run():
        exercises._forget("")
        try:
            return call()
        finally:
            exercises._forget("")

    return run


K = "exercises.check"
bad(K, "unknown exercise", lambda: exercises.check("ch1.nope", 1), "exercise")
ok(
    K,
    "a text answer to a number question is wrong, not a crash",
    _fresh(lambda: exercises.check("demo.top_share", "0.7", tx=tx(), fraction=0.5, strict=False)),
    False,
)
lang_case(K, lambda lang: exercises.check("demo.top_share", 0.5, tx=tx(), fraction=0.5, lang=lang))

NO_INPUT["exercises.Mistake"] = "record made by exercises.mistake"
NO_INPUT["exercises.Practice"] = "practice variant made by exercises.practice (its data and .check)"
NO_INPUT["exercises.Progress"] = "result record of exercises.progress"
_OPTS = {"a": ("yes", "是"), "b": ("no", "否")}
_FB = {"a": ("not so", "并非如此"), "b": ("not so", "并非如此")}
_H = ("by size", "按大小")
K = "exercises.mistake"
bad(K, "name with spaces", lambda: exercises.mistake("percent for fraction", scale=100), "name")
bad(K, "neither value nor scale", lambda: exercises.mistake("off_by_one"), "value")
bad(K, "value and scale", lambda: exercises.mistake("off_by_one", value=lambda: 0, scale=2), "value")
bad(K, "value not a function", lambda: exercises.mistake("off_by_one", value=3), "value")
bad(K, "scale 1 changes nothing", lambda: exercises.mistake("percent_for_fraction", scale=1), "scale")
bad(K, "scale given as text", lambda: exercises.mistake("percent_for_fraction", scale="100"), "scale")
bad(K, "an uncommon mistake without a message", lambda: exercises.mistake("my_own", value=lambda: 0), "message")
bad(K, "message in English only", lambda: exercises.mistake("my_own", "in English", value=lambda: 0), "message")
ok(K, "a common mistake needs no message", lambda: exercises.mistake("percent_for_fraction", scale=100).scale, 100.0)
K = "exercises.choice"
bad(K, "empty id", lambda: exercises.choice(" ", _OPTS, answer="a", feedback=_FB), "ex_id")
bad(K, "options as a list", lambda: exercises.choice("demo.x", ["a", "b"], answer="a", feedback=_FB), "options")
bad(
    K,
    "an option key with a space",
    lambda: exercises.choice("demo.x", {"a b": ("x", "甲")}, answer="a b", feedback={}),
    "options",
)
bad(K, "option text in English only", lambda: exercises.choice("demo.x", {"a": "yes"}, answer="a"), "options['a']")
bad(K, "answer not an option", lambda: exercises.choice("demo.x", _OPTS, answer="c", feedback=_FB), "answer")
bad(K, "no feedback for a wrong option", lambda: exercises.choice("demo.x", _OPTS, answer="a"), "feedback")
bad(K, "multiple not True/False", lambda: exercises.choice("demo.x", _OPTS, multiple="yes", feedback=_FB), "multiple")
bad(
    K,
    "unknown credit",
    lambda: exercises.choice("demo.x", _OPTS, multiple=True, credit="half", answer=["a"], feedback=_FB),
    "credit",
)
bad(K, "zero points", lambda: exercises.choice("demo.x", _OPTS, answer="a", feedback=_FB, points=0), "points")
bad(K, "decorating something else", lambda: exercises.choice("demo.x", _OPTS, feedback=_FB)(3), "function")
bad(
    K,
    "practice without a question",
    lambda: exercises.choice("demo.x", _OPTS, answer="a", feedback=_FB, practice=lambda seed: {}),
    "question",
)
K = "exercises.ranking"
bad(K, "an item twice", lambda: exercises.ranking("demo.x", answer=["a", "a"], hint=_H), "answer")
bad(K, "an empty order", lambda: exercises.ranking("demo.x", answer=[], hint=_H), "answer")
bad(K, "a set has no order", lambda: exercises.ranking("demo.x", answer={"a", "b"}, hint=_H), "answer")
bad(K, "unknown credit", lambda: exercises.ranking("demo.x", answer=["a", "b"], credit="some", hint=_H), "credit")
bad(K, "hint in English only", lambda: exercises.ranking("demo.x", answer=["a", "b"], hint="by size"), "hint")
bad(
    K,
    "question fields differ by language",
    lambda: exercises.ranking("demo.x", answer=["a", "b"], hint=_H, question=("rank {n}", "排序")),
    "question",
)
K = "exercises.memo"
bad(K, "rubric as one text", lambda: exercises.memo("demo.x", rubric="be clear"), "rubric")
bad(K, "empty rubric", lambda: exercises.memo("demo.x", rubric=[]), "rubric")
bad(K, "criterion without points", lambda: exercises.memo("demo.x", rubric=[(("clear", "清楚"),)]), "rubric")
bad(K, "negative points", lambda: exercises.memo("demo.x", rubric=[(("clear", "清楚"), -1)]), "points")
K = "exercises.hint"
bad(K, "unknown exercise", lambda: exercises.hint("ch1.nope"), "exercise")
bad(K, "level 0", _fresh(lambda: exercises.hint("demo.top_share", level=0)), "level")
bad(K, "level beyond the ladder", _fresh(lambda: exercises.hint("demo.top_share", level=3)), "level")
lang_case(K, lambda lang: exercises.hint("demo.top_share", lang=lang))
ok(K, "after the last hint: says so", _fresh(lambda: [exercises.hint("demo.top_share") for _ in range(4)][-1]), None)
K = "exercises.progress"
bad(K, "unknown prefix", lambda: exercises.progress("ch9"), "prefix")
bad(K, "prefix not text", lambda: exercises.progress(1), "prefix")
lang_case(K, lambda lang: exercises.progress("ch1", lang=lang))
ok(K, "nothing answered yet", _fresh(lambda: exercises.progress("ch2").answered), 0)
K = "exercises.practice"
bad(K, "an exercise without practice data", lambda: exercises.practice("ch6.top_owner"), "exercise")
bad(K, "negative seed", lambda: exercises.practice("demo.top_share", seed=-1), "seed")
bad(K, "seed as text", lambda: exercises.practice("demo.top_share", seed="7"), "seed")
lang_case(K, lambda lang: exercises.practice("demo.top_share", lang=lang))
K = "exercises.check_practice"
bad(K, "nothing drawn yet", _fresh(lambda: exercises.check_practice("demo.top_share", 0.5)), "p")
bad(K, "not a practice variant", lambda: exercises.check_practice({"tx": tx()}, 0.5), "p")
lang_case(K, lambda lang: exercises.check_practice("demo.top_share", 0.5, lang=lang))
ok(
    K,
    "a text answer is wrong, not a crash",
    _fresh(lambda: exercises.check_practice(exercises.practice("demo.top_share", seed=1), "most", strict=False)),
    False,
)
K = "exercises.ask"
bad(K, "the question needs a value", lambda: exercises.ask("demo.top_share"), "data")
bad(K, "nothing to ask", lambda: exercises.ask("ch6.top_owner"), "question")
lang_case(K, lambda lang: exercises.ask("demo.top_share", fraction=0.2, lang=lang))
K = "exercises.key_entry"
bad(K, "unknown exercise", lambda: exercises.key_entry("ch1.nope"), "exercise")
bad(K, "missing data", lambda: exercises.key_entry("demo.top_share"), "data")
ok(K, "a number", lambda: exercises.key_entry("demo.top_share", tx=tx(), fraction=0.5)["kind"], "number")
K = "exercises.mark"
bad(K, "entry without an expected answer", lambda: exercises.mark(1, {"tol": 0}), "entry")
bad(K, "unknown kind", lambda: exercises.mark(1, {"expected": 1, "kind": "essay"}), "kind")
bad(K, "negative tolerance", lambda: exercises.mark(1, {"expected": 1, "tol": -1}), "tol")
bad(K, "unknown credit", lambda: exercises.mark(["a"], {"expected": ["a"], "kind": "ranking", "credit": "x"}), "credit")
ok(K, "no answer scores nothing", lambda: exercises.mark(None, {"expected": 1}), (False, 0.0))


def _nb(*sources: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


K = "exercises.answers_shown_early"
bad(K, "a path, not a notebook", lambda: exercises.answers_shown_early("01_identification.ipynb"), "nb")
bad(K, "no key in the notebook", lambda: exercises.answers_shown_early(_nb("x = 1")), "key")
bad(K, "key not a mapping", lambda: exercises.answers_shown_early(_nb("x = 1"), key=[0.5]), "key")
bad(K, "min_digits zero", lambda: exercises.answers_shown_early(_nb("x = 1"), key={}, min_digits=0), "min_digits")
ok(K, "a notebook without checks", lambda: exercises.answers_shown_early(_nb("x = 1"), key={}), [])

K = "exercises.hint"
bad(K, "unknown exercise", lambda: exercises.hint("ch1.nope"), "exercise")
bad(K, "unknown language", lambda: exercises.hint("demo.top_share", lang="fr"), "lang")

K = "exercises.to_jsonable"  # answers recorded for grading: never NaN/inf in the JSON
ok(K, "NaN becomes null", lambda: exercises.to_jsonable(float("nan")), None)
ok(K, "inf becomes null", lambda: exercises.to_jsonable(float("-inf")), None)
ok(K, "numpy integer becomes int", lambda: exercises.to_jsonable(np.int64(7)), 7)
ok(K, "ids of a Series are sorted text", lambda: exercises.to_jsonable(pd.Series([3, 1])), ["1", "3"])
K = "exercises.collected_output"
ok(
    K,
    "nothing checked yet",
    lambda: exercises.collected_output({}, {}),
    {exercises.RECORD_MIME: {"record": {}, "key": {}}},
)
ok(
    K,
    "a failed expectation is passed on as an error entry",
    lambda: exercises.collected_output({}, {"q": {"error": "boom"}})[exercises.RECORD_MIME]["key"],
    {"q": {"error": "boom"}},
)

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
ok(K, "no match in Chinese either", lambda: len(i18n.glossary("zzzzzz", "zh")), 0)
lang_case(K, lambda lang: i18n.glossary(lang=lang))
K = "i18n.definition"
bad(K, "unknown key", lambda: i18n.definition("churm"), "key")
bad(K, "key not a string", lambda: i18n.definition(["churn"]), "key")
ok(K, "a label has no definition", lambda: i18n.definition("customers", "zh"), "")
lang_case(K, lambda lang: i18n.definition("churn", lang))
K = "i18n.reference_table"
bad(K, "prefix not a string", lambda: i18n.reference_table(3, ["a"]), "prefix")
bad(K, "rows a bare string", lambda: i18n.reference_table("dev_analysis", "motive"), "rows")
bad(K, "columns not names", lambda: i18n.reference_table("dev_analysis", ["motive"], [1]), "columns")
bad(K, "a row without its text", lambda: i18n.reference_table("dev_analysis", ["nope"]), "key")
ok(K, "no rows", lambda: i18n.reference_table("dev_analysis", [], ["question"]).shape, (0, 2))
lang_case(K, lambda lang: i18n.reference_table("dev_analysis", ["motive"], lang=lang))
K = "i18n.text"
bad(K, "unknown key", lambda: i18n.text("no_such_sentence"), "key")
bad(K, "key not a string", lambda: i18n.text(3), "key")
bad(K, "the count left out", lambda: i18n.text("n_customers"), "n")
bad(K, "a field left empty", lambda: i18n.text("n_customers_one"), "values")
bad(K, "a field of the wrong kind", lambda: i18n.text("n_customers", n="many"), "values")
lang_case(K, lambda lang: i18n.text("none_yet", lang))
K = "i18n.template_fields"
ok(K, "no fields", lambda: i18n.template_fields("plain"), set())
ok("i18n.font_rc", "settings for matplotlib.rc_context", lambda: i18n.font_rc("en"), lambda r: isinstance(r, dict))
lang_case("i18n.font_rc", lambda lang: i18n.font_rc(lang))
ok("i18n.cjk_font", "a font name or None", i18n.cjk_font, lambda r: r is None or isinstance(r, str))
ok("i18n.packaged_cjk_font", "a path or None", lambda: i18n.packaged_cjk_font(), lambda r: r is None or r.exists())
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
bad(
    K,
    "misspelt parameter",
    lambda: params.notebook_parameters("00_start_here", {"lang": "en", "langg": "zh"}),
    "langg",
    func="parameters",
)
K = "params.start"  # crmlib.start: the same errors as notebook_parameters


def _start(notebook, namespace):
    """params.start, leaving pandas' float format as it was (later doctests print floats)."""
    before = pd.get_option("display.float_format")
    try:
        return params.start(notebook, namespace)
    finally:
        pd.set_option("display.float_format", before)


bad(K, "unknown notebook", lambda: params.start("99_nope", {}), "notebook", func="parameters")
bad(
    K,
    "misspelt parameter",
    lambda: params.start("00_start_here", {"lang": "en", "langg": "zh"}),
    "langg",
    func="parameters",
)
bad(K, "unknown language", lambda: params.start("00_start_here", {"lang": "fr"}), "lang", func="parameters")
bad(K, "parameter missing", lambda: params.start("00_start_here", {}), "lang", func="parameters")
bad(
    K,
    "namespace not a mapping",
    lambda: params.start("00_start_here", [("lang", "en")]),
    "namespace",
    func="parameters",
)
ok(
    K,
    "modules and functions in the namespace are not parameters",
    lambda: _start("00_start_here", {"lang": "en", "np": np, "show": print}),
    {"lang": "en"},
)
NO_INPUT["params.show_versions"] = "takes no input: prints the versions (tests/test_params.py)"


# ============================================================================ column keywords
# ============================================================================ messy values (issue 14)
def _messy_value_cases() -> None:
    """Tables from Excel, ERP exports and pd.concat: duplicated or multi-level column names, time
    spans or dates where numbers belong, Likert scores as an ordered Categorical, a blank id inside
    a Categorical, a number beyond a float, mixed UTC offsets, and one customer written two ways."""
    from crmlib import clv as C, loyalty as L, receivables as R, segmentation as S

    tx = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B"],
            "date": ["2024-01-01", "2024-01-10", "2024-01-05"],
            "amount": [10.0, 20.0, 5.0],
            "margin": [2.0, 4.0, 1.0],
            "discount_pct": [0.0, 0.1, 0.0],
        }
    )
    both = pd.concat([tx, tx[["amount"]]], axis=1)
    multi = tx.set_axis(pd.MultiIndex.from_product([["c"], tx.columns]), axis=1)
    spans = tx.assign(amount=pd.to_timedelta([1, 2, 3], unit="D"))
    span_objects = tx.assign(amount=pd.Series([pd.Timedelta(days=1)] * 3, dtype=object))
    huge = tx.assign(amount=pd.Series([10**400, 1, 1], dtype=object))
    blank_cat = tx.assign(customer_id=pd.Categorical(["A", " ", "B"]))
    for key, call in [
        ("segmentation.rfm_table", S.rfm_table),
        ("segmentation.customer_summary", S.customer_summary),
        ("clv.summary_from_transactions", C.summary_from_transactions),
    ]:
        bad(key, "a column twice (pd.concat(axis=1))", lambda call=call: call(both), "tx", contains=("amount",))
        bad(key, "columns on two levels (MultiIndex)", lambda call=call: call(multi), "tx", contains=("MultiIndex",))
        bad(key, "amount: Timedelta column", lambda call=call: call(spans), "amount", contains=("dt.days",))
        bad(key, "amount: Timedelta objects", lambda call=call: call(span_objects), "amount", rows=[0, 1, 2])
        bad(key, "amount: 10**400", lambda call=call: call(huge), "amount", rows=[0])
        bad(key, "customer_id: blank inside a Categorical", lambda call=call: call(blank_cat), "customer_id", rows=[1])
        for typo in ("0024-01-10", "9999-12-31"):
            bad(
                key,
                f"date: {typo} (outside 1900-2262)",
                lambda call=call, typo=typo: call(tx.assign(date=["2024-01-01", typo, "2024-01-05"])),
                "date",
                rows=[1],
                contains=(typo,),
            )
    bad("segmentation.rfm_table", "as_of: year 0024", lambda: S.rfm_table(tx, as_of="0024-02-01"), "as_of")
    bad("loyalty.churn_watch", "as_of: 9999-12-31", lambda: L.churn_watch(tx, as_of="9999-12-31"), "as_of")
    bad("loyalty.loyalty_status", "a column twice (pd.concat(axis=1))", lambda: L.loyalty_status(both), "tx")
    bad(
        "loyalty.loyalty_status",
        "customer_id: blank inside a Categorical",
        lambda: L.loyalty_status(blank_cat),
        "customer_id",
        rows=[1],
    )

    # one customer written two ways is one customer, as in the archive
    two_ways = pd.DataFrame(
        {
            "customer_id": ["A1 ", "A1", 1, "1"],
            "date": ["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-04"],
            "amount": [1.0, 2.0, 3.0, 4.0],
        }
    )
    ok(
        "segmentation.rfm_table",
        "customer_id: 'A1 ' and 'A1', 1 and '1'",
        lambda: S.rfm_table(two_ways)["monetary"].to_dict(),
        {"1": 7.0, "A1": 3.0},
    )
    ok(
        "clv.summary_from_transactions",
        "customer_id: 'A1 ' and 'A1', 1 and '1'",
        lambda: C.summary_from_transactions(two_ways)["frequency"].to_dict(),
        {"1": 1, "A1": 1},
    )
    ok(
        "loyalty.loyalty_status",
        "customer_id: 'A1 ' and 'A1', 1 and '1'",
        lambda: L.loyalty_status(two_ways)["visits"].to_dict(),
        {"1": 2, "A1": 2},
    )
    inv = pd.DataFrame(
        {
            "account_id": ["K1 ", "K1"],
            "amount": [100.0, 50.0],
            "issue_date": ["2024-01-01", "2024-01-05"],
            "due_date": ["2024-01-31", "2024-02-04"],
            "paid_date": [None, None],
        }
    )
    ok(
        "receivables.open_balance",
        "account_id: 'K1 ' and 'K1'",
        lambda: R.open_balance(inv, as_of="2024-03-01").to_dict(),
        {"K1": 150.0},
    )
    from crmlib import satisfaction as SAT

    ok(
        "satisfaction.respondents",
        "respondent_id: 'r1 ' and 'r1'",
        lambda: SAT.respondents(
            pd.DataFrame({"respondent_id": ["r1 ", "r1", "r2"], "segment": ["a", "a", "b"], "csat": [4, 4, 2],
                          "recommend": [9, 9, 3]})
        ).index.tolist(),
        ["r1", "r2"],
    )  # fmt: skip
    # Likert scores as an ordered Categorical are read as their numbers
    ok(
        "segmentation.rfm_table",
        "amount: an ordered Categorical of numbers",
        lambda: S.rfm_table(tx.assign(amount=pd.Categorical([1, 2, 5], categories=[1, 2, 3, 4, 5], ordered=True)))[
            "monetary"
        ].tolist(),
        [3.0, 5.0],
    )
    # mixed UTC offsets: each purchase on its own clock's day, whatever the other rows' offsets
    zones = tx.assign(date=["2024-01-01 23:00-05:00", "2024-01-10 10:00+08:00", "2024-01-05 23:30-05:00"])
    ok(
        "segmentation.rfm_table",
        "date: mixed UTC offsets",
        lambda: S.rfm_table(zones, as_of="2024-01-11")["recency_days"].tolist(),
        [0, 5],
    )
    ok(
        "segmentation.rfm_table",
        "date: one UTC offset (the same days)",
        lambda: S.rfm_table(
            tx.assign(date=["2024-01-01 23:00-05:00", "2024-01-10 10:00-05:00", "2024-01-05 23:30-05:00"]),
            as_of="2024-01-11",
        )["recency_days"].tolist(),
        [0, 5],
    )


_messy_value_cases()


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
                bad(
                    key,
                    f"{p.name} a list",
                    lambda f=f, p=p, make=make: f(make(), **{p.name: [p.default]}),
                    "stage_col" if p.name == "stage_col" else "columns",
                )
                bad(key, f"{p.name} names no column", lambda f=f, p=p, make=make: f(make(), **{p.name: "Nope"}), "Nope")


# ============================================================================ plots (argument checks only)
def _plot_cases(name: str) -> None:
    """Every plot: no data, a bare string or an empty table → CRMDataError naming the plot; an
    unknown language; an ``ax`` that is not a matplotlib Axes (checked before anything is drawn).

    (Plots draw results of the functions above, whose own bad input is catalogued there.)
    """
    from crmlib import plots

    f = getattr(plots, name)
    first = next(iter(inspect.signature(f).parameters))

    def closing(case):
        def run():
            import matplotlib.pyplot as plt

            try:
                case()
            finally:
                plt.close("all")

        return run

    def run(arg, field):
        with pytest.raises(CRMDataError) as info:
            f(arg)
        assert info.value.func == name, str(info.value)
        assert field is None or info.value.field == field, str(info.value)

    _add(f"plots.{name}", f"{first}: None", closing(lambda: run(None, first)))
    _add(f"plots.{name}", f"{first}: a bare string", closing(lambda: run("abc", first)))
    _add(f"plots.{name}", f"{first}: an empty table", closing(lambda: run(pd.DataFrame(), None)))
    if "lang" in inspect.signature(f).parameters:
        _add(
            f"plots.{name}", "unknown language", closing(lambda: expect_error(lambda: f(None, lang="fr"), name, "lang"))
        )

    def not_axes():
        import matplotlib.pyplot as plt

        before = plt.get_fignums()
        expect_error(lambda: f(None, ax="left"), name, "ax", contains=("Axes",))
        expect_error(lambda: f(None, ax=plt.figure()), name, "ax", contains=("Figure",))
        assert len(plt.get_fignums()) == len(before) + 1, "a plot made a figure before failing"

    _add(f"plots.{name}", "ax: not an Axes", closing(not_axes))


def _set_style_cases() -> None:
    import matplotlib

    from crmlib import plots

    def keeping(call):
        with matplotlib.rc_context():
            call()

    bad("plots.set_style", "unknown language", lambda: keeping(lambda: plots.set_style(lang="fr")), "lang")
    bad(
        "plots.set_style",
        "unknown theme",
        lambda: keeping(lambda: plots.set_style(theme="neon")),
        "theme",
        contains=("whitegrid",),
    )
    bad("plots.set_style", "theme not a name", lambda: keeping(lambda: plots.set_style(theme=["ticks"])), "theme")
    ok("plots.set_style", "no theme: fonts only", lambda: keeping(lambda: plots.set_style("en")), None)


def _lobby_numbers_cases() -> None:
    from crmlib import plots

    t = pd.DataFrame({"assets": [50.0, 1e6], "annual_inflow": [2e4, 3e5], "order": [2, 1]})
    bad("plots.lobby_numbers", "triage: None", lambda: plots.lobby_numbers(None, 1), "triage")
    bad(
        "plots.lobby_numbers",
        "triage without its order column",
        lambda: plots.lobby_numbers(t.drop(columns="order"), 1),
        "order",
        contains=("triage",),
    )
    bad("plots.lobby_numbers", "first: negative", lambda: plots.lobby_numbers(t, -1), "first")
    bad("plots.lobby_numbers", "first: a word", lambda: plots.lobby_numbers(t, "five"), "first")
    ok("plots.lobby_numbers", "first: 0 numbers nobody", lambda: plots.lobby_numbers(t, 0), [])


def _ideal_score_parts_cases() -> None:
    from crmlib import plots
    from crmlib.selection import CRITERIA

    s = pd.DataFrame({k: [1.0, 0.5] for k in CRITERIA}, index=["A1", "A2"]).assign(score=[100.0, 50.0])
    bad("plots.ideal_score_parts", "scores: None", lambda: plots.ideal_score_parts(None), "scores")
    bad(
        "plots.ideal_score_parts",
        "scores without the score column",
        lambda: plots.ideal_score_parts(s.drop(columns="score")),
        "score",
        contains=("scores",),
    )
    bad("plots.ideal_score_parts", "top: 0", lambda: plots.ideal_score_parts(s, top=0), "top")
    bad("plots.ideal_score_parts", "top: a word", lambda: plots.ideal_score_parts(s, top="all"), "top")
    ok(
        "plots.ideal_score_parts",
        "no weights recorded: equal weights",
        lambda: plots.ideal_score_parts(s, top=1),
        lambda parts: list(parts.index) == ["A1"] and parts.loc["A1"].tolist() == [20.0] * len(CRITERIA),
    )


for _name in public_functions("plots"):
    if _name not in ("set_style", *importlib.import_module("crmlib.plots").HELPERS):
        _plot_cases(_name)
_set_style_cases()
_lobby_numbers_cases()
_ideal_score_parts_cases()
_column_keyword_cases()


# ============================================================================ records (the customer archive)
# Archives are ":memory:" or live in a fresh folder of _TMP; test_records.py covers the import
# machinery in depth (encodings, rollbacks, kill -9); here: one entry per public function/method.
_TMP = tempfile.TemporaryDirectory(prefix="crmlib-bad-input-")


def _folder() -> Path:
    return Path(tempfile.mkdtemp(dir=_TMP.name))


def _tmp_csv(text: str, name: str = "data.csv") -> Path:
    p = _folder() / name
    p.write_text(text, encoding="utf-8")
    return p


def archive():
    from crmlib.records import Archive

    arc = Archive(":memory:", lang="en")
    arc.add(
        "customers",
        pd.DataFrame(
            {
                "customer_id": ["K1", "K2", "K3"],
                "name": ["Wang", "Li", "Zhao"],
                "grade": ["A", "B", "C"],
                "owner": ["Zhao", "Qian", "Sun"],
                "birthday": ["1980-01-03", "1975-06-30", None],
            }
        ),
    )
    arc.add(
        "purchases",
        pd.DataFrame(
            {
                "customer_id": ["K1", "K1", "K2", "K2"],
                "date": ["2025-01-01", "2025-01-21", "2025-01-01", "2025-02-01"],
                "amount": [10.0, 10.0, 20.0, 20.0],
            }
        ),
    )
    arc.add("follow_ups", pd.DataFrame({"customer_id": ["K1"], "date": ["2025-01-10"]}))
    return arc


def card():
    return archive().customer_card("K1")


NO_INPUT["records.Card"] = "result record returned by Archive.customer_card (its methods are catalogued)"
NO_INPUT["records.Archive.close"] = "takes no input"
NO_INPUT["records.Archive.counts"] = "takes no input"
NO_INPUT["records.Archive.integrity_check"] = "takes no input"
NO_INPUT["records.Archive.to_frames"] = "takes no input"


def _old_archive():
    """A file archive holding dates an older crmlib accepted: purchase 5 dated 0024-05-01, K3's birthday 1650."""
    import sqlite3

    p = _folder() / "old.sqlite"
    archive_file = records.Archive(p)
    archive_file.add("customers", pd.DataFrame({"customer_id": ["K1", "K3"], "name": ["Wang", "Zhao"]}))
    archive_file.close()
    con = sqlite3.connect(p)
    con.execute("INSERT INTO purchases (purchase_id, customer_id, date, amount) VALUES (5, 'K1', '0024-05-01', 9)")
    con.execute("UPDATE customers SET birthday = '1650-03-01' WHERE customer_id = 'K3'")
    con.commit()
    con.close()
    return records.Archive(p)


def _locked(call):
    """``call(archive)`` while a second connection holds a read transaction on the file (a database browser)."""
    import sqlite3

    p = _folder() / "locked.sqlite"
    records.Archive(p).add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Wang"]}))
    arc = records.Archive(p, timeout=0.05)
    reader = sqlite3.connect(p, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM customers").fetchall()
    try:
        return call(arc)
    finally:
        assert not arc._con.in_transaction and arc.counts()["customers"] == 1  # rolled back, nothing shown
        reader.close()
        arc.close()


def _at_home(call):
    """``call(folder)`` with the home folder (``~``) set to a fresh folder."""
    import os

    home, before = _folder(), os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        return call(home)
    finally:
        if before is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = before


ok(
    "records.Archive.bad_dates",
    "an old file's year 0024 and birthday 1650 are listed",
    lambda: _old_archive().bad_dates().values.tolist(),
    [["customers", "K3", "K3", "birthday", "1650-03-01"], ["purchases", 5, "K1", "date", "0024-05-01"]],
)
ok("records.Archive.bad_dates", "none in a sound archive", lambda: len(archive().bad_dates()), 0)
ok(
    "records.Card.to_frame",
    "a card with no follow-ups or purchases",
    lambda: archive().customer_card("K3").to_frame(),
    lambda r: len(r) > 0,
)
ok(
    "records.Card.to_dict",
    "a card with no follow-ups or purchases",
    lambda: archive().customer_card("K3").to_dict(),
    lambda r: r["fields"]["customer_id"] == "K3",
)
K = "records.card_html"
bad(K, "not a card", lambda: __import__("crmlib.records").records.card_html({"customer_id": "K1"}), "card")
ok(
    K,
    "markup in a field is escaped",
    lambda: __import__("crmlib.records").records.card_html(
        (lambda a: (a.update_customer("K1", {"name": "<b>x</b>"}, by="me"), a.customer_card("K1"))[1])(archive())
    ),
    lambda r: "<b>x</b>" not in r,
)

K = "records.Archive"
bad(K, "path not a path", lambda: records.Archive(3), "path")
bad(K, "folder does not exist", lambda: records.Archive(_folder() / "nope" / "a.sqlite"), "path")
bad(K, "path is a folder", lambda: records.Archive(_folder()), "path")
bad(K, "a text file, not a database", lambda: records.Archive(_tmp_csv("customer_id,name\nK1,a\n", "a.sqlite")), "path")
bad(K, "unknown language", lambda: records.Archive(":memory:", lang="fr"), "lang")
bad(K, "timeout negative", lambda: records.Archive(":memory:", timeout=-1), "timeout")
bad(K, "timeout text", lambda: records.Archive(":memory:", timeout="5s"), "timeout")
bad(K, "empty path", lambda: records.Archive(""), "path")
ok(
    K,
    "~ is the home folder",
    lambda: _at_home(lambda h: (records.Archive("~/crm.db").close(), (h / "crm.db").exists())[1]),
    True,
)
bad(K, "~/ folder missing", lambda: _at_home(lambda h: records.Archive("~/nope/crm.db")), "path")

K = "records.Archive.add"
bad(
    K, "unknown table", lambda: archive().add("customer", pd.DataFrame({"customer_id": ["K9"], "name": ["x"]})), "table"
)
bad(K, "history is not importable", lambda: archive().add("history", pd.DataFrame({"customer_id": ["K1"]})), "table")
bad(K, "not a DataFrame", lambda: archive().add("customers", [{"customer_id": "K9", "name": "x"}]), "customers")
bad(
    K,
    "misspelt column",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K9"], "nmae": ["x"]})),
    "name",
    contains=("did you mean 'nmae'",),
)
bad(
    K,
    "NaN id",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K8", np.nan], "name": ["x", "y"]})),
    "customer_id",
    [1],
)
bad(
    K,
    "duplicated id",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K8", "K8"], "name": ["x", "y"]})),
    "customer_id",
    [0, 1],
)
bad(
    K,
    "id already on file",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["x"]})),
    "customer_id",
    [0],
)
bad(
    K,
    "unknown customer",
    lambda: archive().add(
        "purchases", pd.DataFrame({"customer_id": ["K1", "K9"], "date": ["2025-03-01"] * 2, "amount": [1.0, 2.0]})
    ),
    "customer_id",
    [1],
)
bad(
    K,
    "'1,234.5' amount",
    lambda: archive().add(
        "purchases", pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2025-03-01"] * 2, "amount": [1.0, "1,234.5"]})
    ),
    "amount",
    [1],
)
bad(
    K,
    "negative amount",
    lambda: archive().add(
        "purchases", pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2025-03-01"] * 2, "amount": [1.0, -5.0]})
    ),
    "amount",
    [1],
)
bad(
    K,
    "mixed date formats",
    lambda: archive().add(
        "purchases",
        pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2025-03-01", "03/02/2025"], "amount": [1.0, 2.0]}),
    ),
    "date",
    [1],
)
bad(K, "empty table", lambda: archive().add("customers", pd.DataFrame({"customer_id": [], "name": []})), "customers")
bad(
    K,
    "purchase dated in the future",
    lambda: archive().add(
        "purchases",
        pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2025-03-01", "2095-03-01"], "amount": [1.0, 2.0]}),
    ),
    "date",
    [1],
)
bad(
    K,
    "birthday in the future",
    lambda: archive().add(
        "customers", pd.DataFrame({"customer_id": ["K8"], "name": ["x"], "birthday": ["2090-01-01"]})
    ),
    "birthday",
    [0],
)
bad(
    K,
    "progress not a function",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K8"], "name": ["x"]}), progress=3),
    "progress",
)
bad(
    K,
    "year 0024 typed for 2024",
    lambda: archive().add(
        "purchases",
        pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2024-03-01", "0024-03-01"], "amount": [1.0, 2.0]}),
    ),
    "date",
    [1],
)
bad(
    K,
    "placeholder 9999-12-31 for a follow-up",
    lambda: archive().add(
        "follow_ups", pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2025-03-01", "9999-12-31"]})
    ),
    "date",
    [1],
)
bad(
    K,
    "birthday in 1650",
    lambda: archive().add(
        "customers", pd.DataFrame({"customer_id": ["K8"], "name": ["x"], "birthday": ["1650-03-01"]})
    ),
    "birthday",
    [0],
)
bad(
    K,
    "complaint before 1900",
    lambda: archive().add("complaints", pd.DataFrame({"customer_id": ["K1"], "date": ["1899-12-31"]})),
    "date",
    [0],
)
bad(
    K,
    "COMMIT refused: another connection is reading",
    lambda: _locked(lambda a: a.add("customers", pd.DataFrame({"customer_id": ["K8"], "name": ["x"]}))),
    "path",
    contains=("locked", "timeout", "nothing was saved"),
)
ok(
    K,
    "a follow-up may be planned ahead",
    lambda: archive().add("follow_ups", pd.DataFrame({"customer_id": ["K1"], "date": ["2095-03-01"]})),
    1,
)
bad(
    K,
    "grade not A/B/C",
    lambda: archive().add("customers", pd.DataFrame({"customer_id": ["K8"], "name": ["x"], "grade": ["D"]})),
    "grade",
    [0],
)

K = "records.Archive.import_csv"
_PURCHASES = "customer_id,date,amount\nK1,2025-03-01,5\n"
bad(
    K,
    "misspelt column",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amuont\nK1,2025-03-01,5\n")),
    "amount",
    contains=("did you mean 'amuont'",),
)
bad(
    K,
    "'1,234.5' amount",
    lambda: archive().import_csv(
        "purchases", _tmp_csv('customer_id,date,amount\nK1,2025-03-01,5\nK2,2025-03-02,"1,234.5"\n')
    ),
    "amount",
    [3],
)
bad(
    K,
    "NaN id",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,2025-03-01,5\n,2025-03-02,6\n")),
    "customer_id",
    [3],
)
bad(
    K,
    "unknown customer id",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,2025-03-01,5\nK9,2025-03-02,6\n")),
    "customer_id",
    [3],
)
bad(
    K,
    "mixed date formats",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,2025-03-01,5\nK2,03/02/2025,6\n")),
    "date",
    [3],
)
bad(K, "file missing", lambda: archive().import_csv("purchases", _folder() / "nope.csv"), "path")
bad(K, "header only", lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\n")), "path")
bad(K, "path not a path", lambda: archive().import_csv("purchases", 3), "path")
bad(K, "unknown table", lambda: archive().import_csv("purchase", _tmp_csv(_PURCHASES)), "table")
bad(
    K,
    "columns maps a column the file lacks",
    lambda: archive().import_csv(
        "purchases", _tmp_csv(_PURCHASES), columns={"acount": "customer_id", "date": "date", "amount": "amount"}
    ),
    "acount",
)
bad(
    K,
    "columns not a mapping",
    lambda: archive().import_csv("purchases", _tmp_csv(_PURCHASES), columns=["amount"]),
    "columns",
)
bad(
    K,
    "purchase dated in the future",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,2025-03-01,5\nK2,2095-03-02,6\n")),
    "date",
    [3],
)
bad(
    K,
    "progress not a function",
    lambda: archive().import_csv("purchases", _tmp_csv(_PURCHASES), progress="yes"),
    "progress",
)
bad(
    K,
    "unknown encoding",
    lambda: archive().import_csv("purchases", _tmp_csv(_PURCHASES), encoding="klingon"),
    "encoding",
)
bad(
    K,
    "year 0025 typed for 2025",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,2025-03-01,5\nK2,0025-03-02,6\n")),
    "date",
    [3],
)
ok(
    K,
    "~ in the file's path",
    lambda: _at_home(
        lambda h: (h.joinpath("p.csv").write_text(_PURCHASES), archive().import_csv("purchases", "~/p.csv"))[1]
    ),
    1,
)
bad(
    K,
    "Big5 file (GB18030 would store mojibake)",
    lambda: archive().import_csv("customers", _csv("customer_id,name\nT1,台灣商行\n", encoding="big5")),
    "encoding",
    contains=("encoding='big5'",),
)
bad(
    K,
    "Windows-1252 file",
    lambda: archive().import_csv("customers", _csv("customer_id,name\nT1,Müller\n", encoding="cp1252")),
    "encoding",
    contains=("encoding='cp1252'",),
)


def _imported_dates(text: str) -> list[str]:
    arc = archive()
    arc.import_csv("purchases", _tmp_csv(text))
    return arc.to_frames()["purchases"]["date"].dt.strftime("%Y-%m-%d").tolist()


ok(
    K,
    "day-first dates",
    lambda: _imported_dates("customer_id,date,amount\nK1,10/02/2025,5\nK2,25/02/2025,6\n")[-2:],
    ["2025-02-10", "2025-02-25"],
)
bad(
    K,
    "dates that read both ways",
    lambda: archive().import_csv("purchases", _tmp_csv("customer_id,date,amount\nK1,10/02/2025,5\nK2,11/02/2025,6\n")),
    "date",
    [2, 3],
)

K = "records.Archive.update_customer"
bad(K, "unknown field", lambda: archive().update_customer("K1", {"grdae": "B"}, by="me"), "grdae")
bad(
    K,
    "customer_id cannot change",
    lambda: archive().update_customer("K1", {"customer_id": "K7"}, by="me"),
    "customer_id",
)
bad(K, "unknown customer", lambda: archive().update_customer("K9", {"grade": "B"}, by="me"), "customer_id")
bad(K, "changes empty", lambda: archive().update_customer("K1", {}, by="me"), "changes")
bad(K, "changes not a dict", lambda: archive().update_customer("K1", [("grade", "B")], by="me"), "changes")
bad(K, "by missing", lambda: archive().update_customer("K1", {"grade": "B"}, by=""), "by")
bad(K, "grade not A/B/C", lambda: archive().update_customer("K1", {"grade": "Z"}, by="me"), "grade")
bad(K, "bad when", lambda: archive().update_customer("K1", {"grade": "B"}, by="me", when="someday"), "when")
bad(
    K,
    "birthday in the future",
    lambda: archive().update_customer("K1", {"birthday": "2090-01-01"}, by="me"),
    "birthday",
)
bad(K, "name emptied", lambda: archive().update_customer("K1", {"name": None}, by="me"), "name")
bad(
    K,
    "birthday in the year 0080",
    lambda: archive().update_customer("K1", {"birthday": "0080-01-03"}, by="me"),
    "birthday",
)
bad(
    K,
    "when in the year 0024",
    lambda: archive().update_customer("K1", {"grade": "B"}, by="me", when="0024-05-01"),
    "when",
)
bad(K, "note not text", lambda: archive().update_customer("K1", {"grade": "B"}, by="me", note=3), "note")
bad(
    K,
    "COMMIT refused: another connection is reading",
    lambda: _locked(lambda a: a.update_customer("K1", {"grade": "B"}, by="me")),
    "path",
    contains=("locked",),
)
ok(
    K,
    "an old file's birthday 1650 is corrected, the old value kept",
    lambda: (
        _old_archive()
        .update_customer("K3", {"birthday": None}, by="me", when="2025-03-01")[["field", "old_value", "new_value"]]
        .values.tolist()
    ),
    [["birthday", "1650-03-01", None]],
)

K = "records.Archive.correct"
bad(K, "unknown table", lambda: archive().correct("purchase", 1, {"amount": 1.0}, by="me"), "table")
bad(K, "history is not corrected", lambda: archive().correct("history", 1, {"note": "x"}, by="me"), "table")
bad(K, "record_id text", lambda: archive().correct("purchases", "1", {"amount": 1.0}, by="me"), "record_id")
bad(K, "record_id zero", lambda: archive().correct("purchases", 0, {"amount": 1.0}, by="me"), "record_id")
bad(K, "no such record", lambda: archive().correct("purchases", 99, {"amount": 1.0}, by="me"), "record_id")
bad(K, "changes empty", lambda: archive().correct("purchases", 1, {}, by="me"), "changes")
bad(K, "changes not a dict", lambda: archive().correct("purchases", 1, [("amount", 1.0)], by="me"), "changes")
bad(K, "unknown field", lambda: archive().correct("purchases", 1, {"amuont": 1.0}, by="me"), "amuont")
bad(K, "the record's own number", lambda: archive().correct("purchases", 1, {"purchase_id": 7}, by="me"), "purchase_id")
bad(K, "negative amount", lambda: archive().correct("purchases", 1, {"amount": -1.0}, by="me"), "amount", [1])
bad(K, "'1,234.5' amount", lambda: archive().correct("purchases", 1, {"amount": "1,234.5"}, by="me"), "amount", [1])
bad(K, "year 0024", lambda: archive().correct("purchases", 1, {"date": "0024-01-01"}, by="me"), "date", [1])
bad(K, "date emptied", lambda: archive().correct("purchases", 1, {"date": None}, by="me"), "date", [1])
bad(K, "date in the future", lambda: archive().correct("purchases", 1, {"date": "2095-01-01"}, by="me"), "date", [1])
bad(K, "unknown customer", lambda: archive().correct("purchases", 1, {"customer_id": "K9"}, by="me"), "customer_id")
bad(K, "follow-up date not a date", lambda: archive().correct("follow_ups", 1, {"date": "soon"}, by="me"), "date", [1])
bad(K, "by missing", lambda: archive().correct("purchases", 1, {"amount": 1.0}, by=None), "by")
bad(
    K, "when 9999-12-31", lambda: archive().correct("purchases", 1, {"amount": 1.0}, by="me", when="9999-12-31"), "when"
)
bad(K, "card: grade not A/B/C", lambda: archive().correct("customers", "K1", {"grade": "Z"}, by="me"), "grade")
bad(K, "card: unknown customer", lambda: archive().correct("customers", "K9", {"grade": "B"}, by="me"), "customer_id")
bad(
    K,
    "COMMIT refused: another connection is reading",
    lambda: _locked(lambda a: a.correct("customers", "K1", {"grade": "B"}, by="me")),
    "path",
    contains=("locked",),
)
ok(
    K,
    "an old file's year 0024 corrected, the old value kept",
    lambda: (
        _old_archive()
        .correct("purchases", 5, {"date": "2024-05-01"}, by="me", when="2025-03-01")[
            ["record", "record_id", "field", "old_value", "new_value"]
        ]
        .values.tolist()
    ),
    [["purchases", 5, "date", "0024-05-01", "2024-05-01"]],
)
ok(
    K,
    "an unchanged value writes no history",
    lambda: len(archive().correct("purchases", 1, {"amount": 10.0}, by="me")),
    0,
)

K = "records.Archive.delete"
bad(K, "a customer card", lambda: archive().delete("customers", "K1", by="me"), "table")
bad(K, "unknown table", lambda: archive().delete("purchase", 1, by="me"), "table")
bad(K, "no such record", lambda: archive().delete("follow_ups", 2, by="me"), "record_id")
bad(K, "record_id a float", lambda: archive().delete("follow_ups", 1.0, by="me"), "record_id")
bad(K, "by blank", lambda: archive().delete("follow_ups", 1, by="  "), "by")
bad(K, "when in the year 0024", lambda: archive().delete("follow_ups", 1, by="me", when="0024-01-01"), "when")
bad(K, "note not text", lambda: archive().delete("follow_ups", 1, by="me", note=["typo"]), "note")
ok(
    K,
    "an old file's impossible purchase deleted, its values kept",
    lambda: (
        lambda a: (a.delete("purchases", 5, by="me", note="test entry"), a.bad_dates()["table"].tolist(), a.history())[
            1:
        ]
    )(_old_archive()),
    lambda r: r[0] == ["customers"] and r[1]["old_value"].str.contains('"date": "0024-05-01"').tolist() == [True],
)

K = "records.Archive.schema"
lang_case(K, lambda lang: archive().schema(lang=lang))
K = "records.Archive.search"
bad(K, "query not text", lambda: archive().search(3), "query")
bad(K, "limit zero", lambda: archive().search("K", limit=0), "limit")
bad(K, "limit not a number", lambda: archive().search("K", limit="5"), "limit")
ok(K, "SQL wildcards are searched literally", lambda: len(archive().search("%")), 0)
K = "records.Archive.customer_card"
bad(K, "unknown id", lambda: archive().customer_card("K9"), "customer_id")
bad(K, "NaN id", lambda: archive().customer_card(np.nan), "customer_id")
bad(K, "n_follow_ups negative", lambda: archive().customer_card("K1", n_follow_ups=-1), "n_follow_ups")
lang_case(K, lambda lang: archive().customer_card("K1", lang=lang))
K = "records.Archive.history"
bad(K, "unknown id", lambda: archive().history("K9"), "customer_id")
ok(K, "no changes yet", lambda: len(archive().history()), 0)
K = "records.Archive.reminders"
bad(K, "bad as_of", lambda: archive().reminders(as_of="31st of Smarch"), "as_of")
bad(K, "as_of a number", lambda: archive().reminders(as_of=20250301), "as_of")
bad(K, "as_of before any repeat purchase", lambda: archive().reminders(as_of="2024-01-01"), "as_of")
bad(K, "horizon negative", lambda: archive().reminders(as_of="2025-03-01", horizon_days=-1), "horizon_days")
bad(K, "lead_days text", lambda: archive().reminders(as_of="2025-03-01", lead_days="1"), "lead_days")
bad(K, "no purchases on file", lambda: records.Archive(":memory:").reminders(as_of="2025-03-01"), "purchases")
bad(K, "as_of 9999-12-31", lambda: archive().reminders(as_of="9999-12-31"), "as_of")
lang_case(K, lambda lang: archive().reminders(as_of="2025-03-01", lang=lang))


def due_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"grade": ["A", "B", "C", "A"], "overdue_days": [0, 3, 0, 10]},
        index=pd.Index(["K1", "K2", "K3", "K4"], name="customer_id"),
    )


K = "records.reminder_summary"
table_cases(
    K,
    lambda d: records.reminder_summary(d, lang="en"),
    due_table,
    "due",
    required=["grade", "overdue_days"],
    money=["overdue_days"],
    empty_ok=True,
)
bad(K, "grade not A/B/C", lambda: records.reminder_summary(_set(due_table(), 2, "grade", "Z")), "grade", ["K3"])
bad(K, "grade a number", lambda: records.reminder_summary(_set(due_table(), 1, "grade", 1)), "grade", ["K2"])
lang_case(K, lambda lang: records.reminder_summary(due_table(), lang=lang))
ok(
    K,
    "hand-computed",
    lambda: records.reminder_summary(due_table(), lang="en").to_numpy().tolist(),
    [[2, 1], [1, 1], [1, 0]],
)
ok(
    K,
    "the archive's own list, in Chinese",
    lambda: records.reminder_summary(archive().reminders(as_of="2025-03-01"), lang="zh"),
    lambda r: r.index.tolist() == i18n.categories(["A", "B", "C"], "zh") and r["customers"].sum() == 2,
)
ok(
    K,
    "a customer without a grade is not counted",
    lambda: records.reminder_summary(_set(due_table(), 0, "grade", None), lang="en")["customers"].tolist(),
    [1, 1, 1],
)

K = "records.Archive.birthdays"
bad(K, "bad as_of", lambda: archive().birthdays("31st of Smarch"), "as_of")
bad(K, "within_days negative", lambda: archive().birthdays("2025-01-01", within_days=-1), "within_days")
bad(K, "as_of in the year 0025", lambda: archive().birthdays("0025-01-01"), "as_of")
ok(K, "29 Feb and a missing birthday", lambda: archive().birthdays("2025-01-01", within_days=3), lambda r: len(r) == 1)

K = "records.customer_cards"
table_cases(
    K,
    lambda df: records.customer_cards(df),
    accounts,
    "accounts",
    required=["account_id", "revenue", "satisfaction"],
    ids=["account_id"],
    unique=["account_id"],
    money=["revenue"],
    relabel=False,
)
bad(K, "seed negative", lambda: records.customer_cards(accounts(), seed=-1), "seed")
bad(K, "bad as_of", lambda: records.customer_cards(accounts(), as_of="someday"), "as_of")
bad(K, "abc_cuts decreasing", lambda: records.customer_cards(accounts(), abc_cuts=(0.95, 0.8)), "cuts")
lang_case(K, lambda lang: records.customer_cards(accounts(), lang=lang))


K = "records.build_archive"
bad(
    K,
    "path already holds an archive",
    lambda: (
        lambda p: (
            records.Archive(p).add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["x"]})),
            records.build_archive(p),
        )
    )(_folder() / "a.sqlite"),
    "path",
)
bad(K, "folder does not exist", lambda: records.build_archive(_folder() / "nope" / "a.sqlite"), "path", func="Archive")
bad(K, "seed negative", lambda: records.build_archive(seed=-1), "seed", func="customer_cards")
lang_case(K, lambda lang: records.build_archive(lang=lang))

lang_case("records.info_groups", lambda lang: records.info_groups(lang))
for K, F in (
    ("records.contact_intensity", lambda fr, **kw: records.contact_intensity(fr, **kw)),
    ("records.owner_book", lambda fr, **kw: records.owner_book(fr, **kw)),
):
    bad(K, "not the dict of to_frames", lambda F=F: F(pd.DataFrame()), "frames")
    bad(
        K,
        "a table missing",
        lambda F=F: F({k: v for k, v in archive().to_frames().items() if k != "customers"}),
        "frames",
    )
    bad(
        K,
        "customers lacks grade",
        lambda F=F: F(
            {**archive().to_frames(), "customers": archive().to_frames()["customers"].drop(columns=["grade"])}
        ),
        "grade",
    )
    bad(
        K,
        "grade not A/B/C",
        lambda F=F: F(
            {**archive().to_frames(), "customers": _set(archive().to_frames()["customers"], 1, "grade", "Z")}
        ),
        "grade",
        ["K2"],
    )
    bad(
        K, "customers not a table", lambda F=F: F({**archive().to_frames(), "customers": [{"grade": "A"}]}), "customers"
    )
    lang_case(K, lambda lang, F=F: F(archive().to_frames(), lang=lang))
bad(
    "records.contact_intensity",
    "bad as_of",
    lambda: records.contact_intensity(archive().to_frames(), as_of="31st of Smarch"),
    "as_of",
)


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["K1", "K1", "K2", "K2", "K3"],
            "amount": [10.0, 20.0, 5.0, 5.0, 8.0],
            "date": pd.to_datetime(["2025-01-01", "2025-01-11", "2025-01-03", "2025-01-13", "2025-01-05"]),
        }
    )


K = "records.purchase_cycle"
table_cases(
    K,
    records.purchase_cycle,
    _log,
    "purchases",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    money=["amount"],
    dates=["date"],
)
table_cases(
    K,
    lambda d: records.purchase_cycle(d, size_col="people"),
    lambda: _log().assign(people=[1, 1, 2, 2, 3]),
    "purchases",
    required=["people"],
    money=["people"],
)
bad(K, "as_of before the last purchase", lambda: records.purchase_cycle(_log(), as_of="2025-01-12"), "as_of")
bad(K, "as_of not a date", lambda: records.purchase_cycle(_log(), as_of="soon"), "as_of")
bad(K, "amount zero", lambda: records.purchase_cycle(_set(_log(), 1, "amount", 0.0)), "amount", [1])
bad(
    K,
    "size zero",
    lambda: records.purchase_cycle(_log().assign(people=[1, 0, 2, 2, 3]), size_col="people"),
    "people",
    [1],
)
bad(
    K,
    "size changes within a customer",
    lambda: records.purchase_cycle(_log().assign(people=[1, 2, 2, 2, 3]), size_col="people"),
    "people",
    [0, 1],
)
bad(K, "nobody bought on two days", lambda: records.purchase_cycle(_log().iloc[[0, 2, 4]]), "date")
ok(
    K,
    "hand-computed dates",
    lambda: records.purchase_cycle(_log(), as_of="2025-01-20")["next_purchase"].dt.strftime("%Y-%m-%d").tolist(),
    ["2025-01-31", "2025-01-23", "2025-01-15"],
)

K = "records.contact_plan"
table_cases(
    K,
    lambda d: records.contact_plan(d, as_of="2025-01-20"),
    lambda: records.purchase_cycle(_log(), as_of="2025-01-20"),
    "forecast",
    required=["next_purchase"],
    dates=["next_purchase"],
)
scalar_cases(
    K,
    lambda x: records.contact_plan(records.purchase_cycle(_log()), horizon_days=x),
    "horizon_days",
    out_of_range=(0, -1, 366),
    skip=("NaN", "inf"),
)
scalar_cases(
    K,
    lambda x: records.contact_plan(records.purchase_cycle(_log()), lead_days=x),
    "lead_days",
    out_of_range=(-1, 31),
    skip=("NaN", "inf"),
)
bad(
    K,
    "no as_of and none carried",
    lambda: records.contact_plan(pd.DataFrame({"next_purchase": pd.to_datetime(["2025-02-01"])})),
    "as_of",
)
ok(
    K,
    "an overdue customer is called on as_of",
    lambda: (
        records.contact_plan(records.purchase_cycle(_log(), as_of="2025-01-20"), lead_days=1)["contact_on"]
        .dt.strftime("%Y-%m-%d")
        .tolist()
    ),
    ["2025-01-20", "2025-01-22", "2025-01-30"],
)
bad(
    "records.contact_intensity",
    "NaN id in follow_ups",
    lambda: records.contact_intensity(
        {**archive().to_frames(), "follow_ups": _set(archive().to_frames()["follow_ups"], 0, "customer_id", None)}
    ),
    "customer_id",
    [1],
)
bad(
    "records.contact_intensity",
    "'1,234.5' amount",
    lambda: records.contact_intensity(
        {**archive().to_frames(), "purchases": _set(archive().to_frames()["purchases"], 1, "amount", "1,234.5")}
    ),
    "amount",
    [2],
)


# ============================================================================ widgets (construction only)
def widget_bad(key: str, name: str, call: Callable[[], Any], field: str, funcs=()) -> None:
    """A CRMDataError naming the field, raised by the widget or by the crmlib function it wraps
    (``funcs``: the names it may carry besides the widget's own)."""
    widget = key.split(".")[-1]

    def run():
        import matplotlib.pyplot as plt

        try:
            with pytest.raises(CRMDataError) as info:
                call()
        finally:
            plt.close("all")
        err = info.value
        assert err.func in (widget, *funcs), str(err)
        assert err.field == field, str(err)

    _add(key, name, run)


def _widget_pair(
    cls: str,
    fn: str,
    cases: list[tuple[str, Callable[[Callable], Any], str, tuple]],
    lang_call: Callable[[Callable, str], Any] | None = None,
) -> None:
    """The same bad inputs for a widget class and its factory function."""
    from crmlib import widgets

    for name in (cls, fn):
        f = getattr(widgets, name)
        for what, call, field, funcs in cases:
            widget_bad(f"widgets.{name}", what, lambda f=f, call=call: call(f), field, funcs=(cls, fn, *funcs))
        if lang_call is not None:
            widget_bad(f"widgets.{name}", "unknown language", lambda f=f: lang_call(f, "fr"), "lang", funcs=(cls, fn))


def widgets_mod():
    from crmlib import widgets

    return widgets


NO_INPUT["widgets.Explorer"] = "abstract base class of the explorers"
_widget_pair(
    "MANQualifier",
    "man_qualifier",
    [("money not yes/no", lambda f: f(money="maybe"), "money", ("man_classify",))],
    lambda f, lang: f(lang=lang),
)
_widget_pair(
    "ParetoExplorer",
    "pareto_explorer",
    [
        ("'1,234.5' value", lambda f: f([1.0, "1,234.5"], draw=False), "values", ("pareto_table",)),
        ("fraction above 1", lambda f: f([3.0, 1.0], fraction=1.5, draw=False), "fraction", ()),
        ("fraction zero", lambda f: f([3.0, 1.0], fraction=0, draw=False), "fraction", ()),
    ],
    lambda f, lang: f([3.0, 1.0], draw=False, lang=lang),
)
_widget_pair(
    "RFMExplorer",
    "rfm_explorer",
    [
        (
            "misspelt column",
            lambda f: f(tx().rename(columns={"amount": "amuont"}), draw=False),
            "amount",
            ("rfm_table",),
        ),
        ("bins 1", lambda f: f(tx(), bins=1, draw=False), "bins", ("rfm_scores",)),
        ("bins 20", lambda f: f(tx(), bins=20, draw=False), "bins", ("rfm_scores",)),
        ("empty table", lambda f: f(tx().iloc[:0], draw=False), "tx", ("rfm_table",)),
    ],
    lambda f, lang: f(tx(), draw=False, lang=lang),
)
_widget_pair(
    "ValueMatrixExplorer",
    "value_matrix_explorer",
    [
        ("lengths differ", lambda f: f([1.0, 2.0], [1.0], draw=False), "current, potential", ("value_matrix",)),
        ("text value", lambda f: f([1.0, "abc"], [1.0, 2.0], draw=False), "current", ("value_matrix",)),
    ],
    lambda f, lang: f([1.0, 2.0], [2.0, 1.0], draw=False, lang=lang),
)
_widget_pair(
    "GlossarySearch",
    "glossary_search",
    [
        ("search not text", lambda f: f(search=3), "search", ("glossary",)),
        ("rows zero", lambda f: f(rows=0), "rows", ()),
    ],
    lambda f, lang: f(lang=lang),
)
_widget_pair(
    "IdealScoreExplorer",
    "ideal_score_explorer",
    [
        (
            "misspelt column",
            lambda f: f(accounts().rename(columns={"revenue": "revenu"}), draw=False),
            "revenue",
            ("ideal_customer_score", "ideal_criteria"),
        ),
        ("top zero", lambda f: f(accounts(), top=0, draw=False), "top", ()),
        (
            "weights not a dict",
            lambda f: f(accounts(), weights=[1, 2], draw=False),
            "weights",
            ("ideal_customer_score",),
        ),
    ],
    lambda f, lang: f(accounts(), draw=False, lang=lang),
)
_widget_pair(
    "AgingExplorer",
    "aging_explorer",
    [
        (
            "negative amount",
            lambda f: f(_set(invoices(), 1, "amount", -5.0), as_of="2024-06-30", draw=False),
            "amount",
            ("receivables_aging",),
        ),
        ("bad as_of", lambda f: f(invoices(), as_of="someday", draw=False), "as_of", ("receivables_aging",)),
        (
            "buckets decreasing",
            lambda f: f(invoices(), as_of="2024-06-30", buckets=(90, 30), draw=False),
            "buckets",
            ("receivables_aging",),
        ),
    ],
    lambda f, lang: f(invoices(), as_of="2024-06-30", draw=False, lang=lang),
)
_widget_pair(
    "FunnelExplorer",
    "funnel_explorer",
    [
        ("missing stage column", lambda f: f(leads().drop(columns=["stage"]), draw=False), "stage", ("funnel",)),
        ("unknown channel", lambda f: f(leads(), first="carrier pigeon", draw=False), "first", ()),
        ("empty table", lambda f: f(leads().iloc[:0], draw=False), "leads", ("funnel",)),
    ],
    lambda f, lang: f(leads(), draw=False, lang=lang),
)
ok(
    "widgets.franklin_explorer",
    "a typing slip shows as a message in the widget, not a traceback",
    lambda: widgets_mod().franklin_explorer(benefits="saves time: lots", draw=False).result,
    lambda r: isinstance(r, CRMDataError) and r.field == "benefits",
)
_widget_pair(
    "FranklinExplorer",
    "franklin_explorer",
    [("benefits not text", lambda f: f(benefits=3, draw=False), "benefits", ())],
    lambda f, lang: f(draw=False, lang=lang),
)
_widget_pair(
    "ContactRuleExplorer",
    "contact_rule_explorer",
    [
        (
            "missing column",
            lambda f: f(leads().drop(columns=["contacts"]), draw=False),
            "contacts",
            ("contact_rule", "contact_limit_tradeoff"),
        ),
        (
            "negative contact cost",
            lambda f: f(leads(), contact_cost=-1, draw=False),
            "contact_cost",
            ("contact_rule", "contact_limit_tradeoff"),
        ),
        ("limit zero", lambda f: f(leads(), limit=0, draw=False), "limit", ("contact_rule", "contact_limit_tradeoff")),
        (
            "margin above 1",
            lambda f: f(leads(), margin=1.5, draw=False),
            "margin",
            ("contact_rule", "contact_limit_tradeoff"),
        ),
    ],
    lambda f, lang: f(leads(), draw=False, lang=lang),
)
_widget_pair(
    "IPAExplorer",
    "ipa_explorer",
    [
        ("empty table", lambda f: f(survey().iloc[:0], draw=False), "survey", ("segment_means",)),
        ("not a table", lambda f: f([1, 2], draw=False), "survey", ("segment_means",)),
        ("unknown segment", lambda f: f(survey(), segment="martians", draw=False), "segment", ()),
        ("unknown cut", lambda f: f(survey(), cut="mode", draw=False), "cut", ("ipa_quadrants",)),
    ],
    lambda f, lang: f(survey(), draw=False, lang=lang),
)
_widget_pair(
    "IcebergCalculator",
    "iceberg_calculator",
    [
        ("share above 1", lambda f: f(complain_share=1.5, draw=False), "complain_share", ("complaint_iceberg",)),
        ("negative complaints", lambda f: f(n_complaints=-1, draw=False), "n_complaints", ("complaint_iceberg",)),
        ("complaints text", lambda f: f(n_complaints="40", draw=False), "n_complaints", ("complaint_iceberg",)),
    ],
    lambda f, lang: f(draw=False, lang=lang),
)
_widget_pair(
    "ValueLoyaltyExplorer",
    "value_loyalty_explorer",
    [
        (
            "'1,234.5' amount",
            lambda f: f(_set(tx(), 1, "amount", "1,234.5"), draw=False),
            "amount",
            ("value_loyalty_inputs",),
        ),
        (
            "missing amount column",
            lambda f: f(tx().drop(columns=["amount"]), draw=False),
            "amount",
            ("value_loyalty_inputs",),
        ),
        ("min_repeats zero", lambda f: f(tx(), min_repeats=0, draw=False), "min_repeats", ("value_loyalty_matrix",)),
        ("value_q above 1", lambda f: f(tx(), value_q=1.5, draw=False), "value_q", ("value_loyalty_matrix",)),
    ],
    lambda f, lang: f(tx(), draw=False, lang=lang),
)
_clv_tx = lambda: datasets.make_transactions(n_customers=40, seed=1)  # noqa: E731  (enough repeat buyers to fit)
_widget_pair(
    "CLVExplorer",
    "clv_explorer",
    [
        (
            "NaN id",
            lambda f: f(_set(tx(), 1, "customer_id", None), draw=False),
            "customer_id",
            ("clv_report", "BetaGeo.fit", "fit", "summary_data", "rfm_summary"),
        ),
        ("unknown customer", lambda f: f(_clv_tx(), customer="Z", draw=False), "customer", ()),
        ("negative horizon", lambda f: f(tx(), horizon_months=-1, draw=False), "horizon_months", ("clv_report",)),
    ],
    lambda f, lang: f(_clv_tx(), draw=False, lang=lang),
)
_RET = dict(customers=1000, retention_rate=0.8, sales_cost=100.0, retention_cost=20.0, customer_value=500.0)
_widget_pair(
    "RetentionExplorer",
    "retention_explorer",
    [
        (
            "retention rate above 1",
            lambda f: f(**{**_RET, "retention_rate": 1.5}, draw=False),
            "retention_rate",
            ("retention_economics",),
        ),
        (
            "customers text",
            lambda f: f(**{**_RET, "customers": "1000"}, draw=False),
            "customers",
            ("retention_economics",),
        ),
        (
            "negative cost",
            lambda f: f(**{**_RET, "sales_cost": -1}, draw=False),
            "sales_cost",
            ("retention_economics",),
        ),
    ],
    lambda f, lang: f(**_RET, draw=False, lang=lang),
)


def _comp(loss=300.0, tier="gold"):
    return [100.0, loss, 1000.0, 5000.0], ["silver", tier, "platinum", "diamond"]


_widget_pair(
    "CompExplorer",
    "comp_explorer",
    [
        ("text loss", lambda f: f(*_comp(loss="lots"), draw=False), "loss", ("comp_economics",)),
        ("unknown tier", lambda f: f(*_comp(tier="platinum-ish"), draw=False), "tier", ("comp_economics",)),
        (
            "negative comp rate",
            lambda f: f(*_comp(), comp_rates=(0.1, 0.15, 0.2, -0.1), draw=False),
            "comp_rates",
            ("comp_economics",),
        ),
    ],
    lambda f, lang: f(*_comp(), draw=False, lang=lang),
)
_widget_pair(
    "LobbyExplorer",
    "lobby_explorer",
    [
        (
            "missing column",
            lambda f: f(datasets.make_lobby_visitors(6, seed=1).drop(columns=["assets"]), draw=False),
            "assets",
            ("lobby_triage",),
        ),
        (
            "negative weight",
            lambda f: f(datasets.make_lobby_visitors(6, seed=1), weights=(-1, 1, 1), draw=False),
            "weights",
            ("lobby_triage",),
        ),
        ("first zero", lambda f: f(datasets.make_lobby_visitors(6, seed=1), first=0, draw=False), "first", ()),
    ],
    lambda f, lang: f(datasets.make_lobby_visitors(6, seed=1), draw=False, lang=lang),
)
_widget_pair(
    "DeliveryExplorer",
    "delivery_explorer",
    [
        ("cutoff not a date", lambda f: f(rice(), "soon", draw=False), "cutoff", ("backtest_deliveries",)),
        (
            "missing date",
            lambda f: f(_set(rice(), 1, "date", None), "2025-02-01", draw=False),
            "date",
            ("backtest_deliveries",),
        ),
        (
            "lead days beyond what backtest_deliveries accepts",
            lambda f: f(rice(), "2025-02-01", lead_days=40, draw=False),
            "lead_days",
            ("backtest_deliveries",),
        ),
        (
            "interval below the slider's 7",
            lambda f: f(rice(), "2025-02-01", interval_days=3, draw=False),
            "interval_days",
            ("backtest_deliveries",),
        ),
        (
            "negative early days",
            lambda f: f(rice(), "2025-02-01", early_days=-1, draw=False),
            "early_days",
            ("backtest_deliveries",),
        ),
    ],
    lambda f, lang: f(rice(), "2025-02-01", draw=False, lang=lang),
)
_widget_pair(
    "CustomerSearch",
    "customer_search",
    [
        ("not an archive", lambda f: f(pd.DataFrame({"customer_id": ["K1"]})), "archive", ()),
        ("query not text", lambda f: f(archive(), query=3), "query", ("search",)),
        ("limit zero", lambda f: f(archive(), query="K", limit=0), "limit", ("search",)),
    ],
    lambda f, lang: f(archive(), lang=lang),
)


# a value the library accepts beyond a slider's usual range widens the slider (it was silently clamped)
for _name, _call, _show in [
    (
        "clv_explorer",
        lambda f: f(_clv_tx(), horizon_months=120, annual_discount=0.5, draw=False),
        lambda w: (w.horizon.value, w.discount.value) == (120, 0.5),
    ),
    (
        "comp_explorer",
        lambda f: f(*_comp(), comp_rates=(0.1, 0.15, 0.2, 0.6), retention_lift=0.5, draw=False),
        lambda w: (w.rates[3].value, w.lift.value) == (0.6, 0.5),
    ),
    (
        "lobby_explorer",
        lambda f: f(datasets.make_lobby_visitors(6, seed=1), weights=(2, 1, 1), draw=False),
        lambda w: [s.value for s in w.weights] == [2, 1, 1],
    ),
    (
        "delivery_explorer",
        lambda f: f(rice(), "2025-02-01", lead_days=20, early_days=60, draw=False),
        lambda w: (w.lead.value, w.early.value) == (20, 60),
    ),
    ("value_loyalty_explorer", lambda f: f(tx(), min_repeats=15, draw=False), lambda w: w.min_repeats.value == 15),
    (
        "retention_explorer",
        lambda f: f(**_RET, multiple=15.0, reach=300, draw=False),
        lambda w: (w.multiple.value, w.reach.value) == (15.0, 300),
    ),
    (
        "ideal_score_explorer",
        lambda f: f(accounts(), weights={"demand": 8}, draw=False),
        lambda w: w.sliders["demand"].value == 8,
    ),
]:
    ok(
        f"widgets.{_name}",
        "a start value beyond the slider's usual range is shown, not clamped",
        lambda _name=_name, _call=_call: _call(getattr(widgets_mod(), _name)),
        _show,
    )


# ---- crmlib functions the explorers are views over (added with the widgets package)
K = "loyalty.value_loyalty_inputs"
table_cases(
    K,
    loyalty.value_loyalty_inputs,
    tx,
    "tx",
    required=["customer_id", "date", "amount"],
    ids=["customer_id"],
    signed=["amount"],
    dates=["date"],
)
ok(
    K,
    "a return makes revenue negative",
    lambda: float(loyalty.value_loyalty_inputs(_set(tx(), 2, "amount", -8.0)).loc["B", "revenue"]),
    -8.0,
)
_CLV_REPORT: list = []


def _clv_summary() -> pd.DataFrame:
    """A fitted report of 40 customers (fitted once per run; a copy each call)."""
    if not _CLV_REPORT:
        _CLV_REPORT.append(loyalty.clv_report(datasets.make_transactions(n_customers=40, seed=1)))
    return _CLV_REPORT[0].copy()


K = "loyalty.clv_from_summary"
table_cases(
    K,
    lambda s: loyalty.clv_from_summary(s, models=_clv_summary().attrs["models"]),
    _clv_summary,
    "summary",
    required=["frequency", "recency", "T", "monetary_value"],
    money=["frequency", "recency", "T", "monetary_value"],
)
scalar_cases(
    K,
    lambda x: loyalty.clv_from_summary(_clv_summary(), models=_clv_summary().attrs["models"], horizon_months=x),
    "horizon_months",
    out_of_range=(0, -1),
)
scalar_cases(
    K,
    lambda x: loyalty.clv_from_summary(_clv_summary(), models=_clv_summary().attrs["models"], annual_discount=x),
    "annual_discount",
    out_of_range=(-0.1, 1.5),
)
bad(K, "models not the pair of a report", lambda: loyalty.clv_from_summary(_clv_summary(), models="bg"), "models")
bad(
    K,
    "models the wrong way round",
    lambda: loyalty.clv_from_summary(_clv_summary(), models=_clv_summary().attrs["models"][::-1]),
    "models",
)
bad(
    K,
    "too few repeat buyers to fit",
    lambda: loyalty.clv_from_summary(_clv_summary().sort_values("frequency").iloc[:6]),
    "summary",
)
ok(
    K,
    "the report of clv_report for the same horizon",
    lambda: loyalty.clv_from_summary(
        _clv_summary(), models=_clv_summary().attrs["models"], horizon_months=12, annual_discount=0.10
    ),
    lambda r: r.equals(_clv_summary()),
)


# ============================================================================ instructor (no notebook is executed)
from crmlib import instructor as INS  # noqa: E402

_CH1 = Path(__file__).resolve().parents[1] / "notebooks" / "01_identification.ipynb"


def _roster(text: str) -> Path:
    return _tmp_csv(text, "roster.csv")


def _tiny():
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("seed = 1\nshare = 0.5")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("x = seed")]
    return nb


K = "instructor.student_seed"
bad(K, "notebook not text", lambda: INS.student_seed(None, "s1"), "notebook", func="assign")
bad(K, "student id empty", lambda: INS.student_seed("01_identification", " "), "student_id", func="assign")
ok(K, "same inputs, same seed", lambda: INS.student_seed("01_identification", "s001"), 35084909)
K = "instructor.parse_value"
bad(K, "text for an int", lambda: INS.parse_value("lots", int, "n_customers"), "n_customers", func="parameters")
bad(K, "'1,234.5' for a float", lambda: INS.parse_value("1,234.5", float, "share"), "share", func="parameters")
bad(K, "'maybe' for a bool", lambda: INS.parse_value("maybe", bool, "strict"), "strict", func="parameters")
bad(K, "a JSON object for a list", lambda: INS.parse_value('{"a": 1}', list, "cuts"), "cuts", func="parameters")
bad(K, "unsupported kind", lambda: INS.parse_value("3", dict, "cuts"), "cuts", func="parameters")
bad(K, "NaN for a float", lambda: INS.parse_value("nan", float, "share"), "share", func="parameters")
K = "instructor.parameterize"
bad(K, "not a notebook", lambda: INS.parameterize({"cells": []}, {"seed": 3}), "nb", func="assign")
bad(K, "params not a mapping", lambda: INS.parameterize(_tiny(), [("seed", 3)]), "params", func="assign")
K = "instructor.student_copy"
bad(K, "not a notebook", lambda: INS.student_copy("notebooks/01_identification.ipynb"), "nb", func="release")
K = "instructor.parameter_cell_values"
bad(K, "not a notebook", lambda: INS.parameter_cell_values(None), "nb", func="assign")
bad(
    K,
    "no parameters cell",
    lambda: INS.parameter_cell_values((lambda nb: (nb.cells.pop(0), nb)[1])(_tiny())),
    "notebook",
    func="assign",
)
bad(
    K,
    "a parameter computed, not a literal",
    lambda: INS.parameter_cell_values((lambda nb: (nb.cells[0].__setitem__("source", "seed = 1 + 1"), nb)[1])(_tiny())),
    "notebook",
    func="assign",
)
ok(K, "literals", lambda: INS.parameter_cell_values(_tiny()), {"seed": 1, "share": 0.5})
K = "instructor.release"
bad(K, "source folder missing", lambda: INS.release(_folder() / "nope", _folder() / "out"), "src", func="release")
bad(K, "out is a file", lambda: INS.release(_CH1.parent, _tmp_csv("x")), "out", func="release")
bad(K, "out is the source folder", lambda: INS.release(_CH1.parent, _CH1.parent), "out", func="release")
bad(K, "src None", lambda: INS.release(None, _folder()), "src", func="release")
bad(K, "out None", lambda: INS.release(_CH1, None), "out", func="release")
K = "instructor.check_release"
bad(K, "source folder missing", lambda: INS.check_release(_folder() / "nope", _folder()), "src", func="release")
bad(K, "source has no notebooks", lambda: INS.check_release(_folder(), _folder()), "src", func="release")
K = "instructor.plan_assignment"
bad(
    K,
    "not a notebook path",
    lambda: INS.plan_assignment(_tmp_csv("a,b\n"), _roster("student_id,name\ns1,Ann\n")),
    "notebook",
    func="assign",
)
bad(K, "roster missing", lambda: INS.plan_assignment(_CH1, _folder() / "roster.csv"), "roster", func="assign")
bad(
    K,
    "roster without student_id",
    lambda: INS.plan_assignment(_CH1, _roster("studentid,name\ns1,Ann\n")),
    "roster",
    func="assign",
)
bad(
    K,
    "empty student id",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\ns1,Ann\n,Bo\n")),
    "student_id",
    func="assign",
)
bad(
    K,
    "duplicated student id",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\ns1,Ann\ns1,Bo\n")),
    "student_id",
    func="assign",
)
bad(
    K,
    "student id with a slash",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\n../s1,Ann\n")),
    "student_id",
    func="assign",
)
bad(
    K,
    "unknown parameter column",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name,rfm_binz\ns1,Ann,4\n")),
    "rfm_binz",
    func="assign",
)
bad(
    K,
    "unknown -p parameter",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\ns1,Ann\n"), {"n_customerz": "300"}),
    "n_customerz",
    func="assign",
)
bad(
    K,
    "text for a number parameter",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name,rfm_bins\ns1,Ann,lots\n")),
    "rfm_bins",
    func="assign",
    contains=("student 's1'", "line 2 of roster.csv", "'lots'"),
)
bad(
    K,
    "parameter out of range",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name,rfm_bins\ns1,Ann,99\n")),
    "rfm_bins",
    func="assign",
    contains=("student 's1'", "line 2 of roster.csv", "[2, 10]"),
)
bad(
    K,
    "notebook None",
    lambda: INS.plan_assignment(None, _roster("student_id,name\ns1,Ann\n")),
    "notebook",
    func="assign",
)
bad(K, "roster None", lambda: INS.plan_assignment(_CH1, None), "roster", func="assign")
bad(
    K,
    "roster is a folder",
    lambda: INS.plan_assignment(_CH1, _folder()),
    "roster",
    func="assign",
    contains=("is a folder",),
)
bad(
    K,
    "parameters not a mapping",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\ns1,Ann\n"), [("seed", 1)]),
    "parameters",
    func="assign",
)
bad(
    K,
    "roster with no students",
    lambda: INS.plan_assignment(_CH1, _roster("student_id,name\n")),
    "roster",
    func="assign",
)
K = "instructor.assign"  # every case fails before any notebook runs
bad(K, "bad roster", lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\ns1,Bo\n"), _folder()), "student_id")
bad(K, "out is a file", lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\n"), _tmp_csv("x")), "out")
bad(K, "workers zero", lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\n"), _folder(), workers=0), "workers")
bad(
    K,
    "timeout negative",
    lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\n"), _folder(), timeout=-1),
    "timeout",
)
bad(
    K,
    "timeout text that is no number (--timeout abc)",
    lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\n"), _folder(), timeout="abc"),
    "timeout",
)
bad(
    K,
    "force not a bool",
    lambda: INS.assign(_CH1, _roster("student_id,name\ns1,Ann\n"), _folder(), force="yes"),
    "force",
)
_KEY_HEAD = "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n"
NO_INPUT["instructor.Interrupted"] = "raised by assign on Ctrl-C with the counts it computed, never built by a user"
K = "instructor.add_key_cells"
bad(K, "not a notebook", lambda: INS.add_key_cells({"cells": []}), "nb")
ok(
    K,
    "helper cells first and last",
    lambda: [c.metadata.get("tags", [""])[0] for c in INS.add_key_cells(_tiny()).cells][::3],
    ["crmlib-hook", "crmlib-collect"],
)
K = "instructor.read_key"
bad(K, "key missing", lambda: INS.read_key(_folder() / "answer_key.csv"), "key", func="grade")
bad(K, "key without its columns", lambda: INS.read_key(_tmp_csv("student_id,question\ns1,q1\n")), "key", func="grade")
bad(
    K,
    "unreadable expected value",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,zero,0,0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "tolerance not a number",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,"1,234.5",0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(K, "key None", lambda: INS.read_key(None), "key", func="grade")
bad(
    K,
    "a question twice for one student",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,0,0,demo,"{}"\ns1,q1,0.7,0,0,demo,"{}"\n')),
    "key",
    [1],
    func="grade",
)
bad(
    K,
    "negative tolerance",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,-1,0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "NaN tolerance",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,nan,0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "parameters not a JSON object",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,0,0,demo,"[1]"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "empty student id",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + ',q1,0.5,0,0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "expected NaN",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,NaN,0,0,demo,"{}"\n')),
    "key",
    [0],
    func="grade",
)
bad(
    K,
    "a seed that is not a number",
    lambda: INS.read_key(_tmp_csv(_KEY_HEAD + 's1,q1,0.5,0,0,01_identification,"{""seed"": ""one""}"\n')),
    "key",
    [0],
    func="grade",
)
K = "instructor.memos_path"
bad(K, "grades path None", lambda: INS.memos_path(None), "out", func="grade")
ok(K, "next to the grades", lambda: INS.memos_path("w3/grades.csv").name, "grades_memos.csv")
K = "instructor.grade"
bad(K, "key missing", lambda: INS.grade(_folder(), _folder() / "answer_key.csv", _folder() / "g.csv"), "key")
bad(K, "workers zero", lambda: INS.grade(_folder(), _tmp_csv(_KEY_HEAD), _folder() / "g.csv", workers=0), "workers")
bad(K, "out is a folder", lambda: INS.grade(_folder(), _tmp_csv(_KEY_HEAD), _folder()), "out")
bad(
    K, "timeout negative", lambda: INS.grade(_folder(), _tmp_csv(_KEY_HEAD), _folder() / "g.csv", timeout=-1), "timeout"
)
bad(
    K,
    "submissions missing",
    lambda: INS.grade(_folder() / "nope", _tmp_csv(_KEY_HEAD + 's1,q1,0.5,0,0,demo,"{}"\n'), _folder() / "g.csv"),
    "submissions",
)
# messy files of instructors (issue 14): a student id that would be a hidden file, --out under a file,
# a hand-edited key with spaces round an id, a notebook with "tags": null or saved as GBK
bad(
    K,
    "out under an existing file (checked before any grading)",
    lambda: INS.grade(_folder(), _tmp_csv(_KEY_HEAD + 's1,q1,0.5,0,0,demo,"{}"\n'), _tmp_csv("x") / "g.csv"),
    "out",
    contains=("is a file",),
)


def _dotted_roster():
    return INS.plan_assignment(_CH1, _roster("student_id,name\n.s1,Ann\ns2,Bo\n"))


bad("instructor.plan_assignment", "a student id starting with '.'", _dotted_roster, "student_id", func="assign")


def _spaced_key():
    return sorted(INS.read_key(_tmp_csv(_KEY_HEAD + ' s1 ,q1 ,0.5,0,0,demo,"{}"\n')))


ok("instructor.read_key", "a hand-edited id with spaces round it", _spaced_key, ["s1"])


def _null_tags_release():
    import json as _json

    import nbformat

    folder = _folder()
    raw = _json.loads(nbformat.writes(_tiny()))
    raw["cells"][1]["metadata"]["tags"] = None
    (folder / "t.ipynb").write_text(_json.dumps(raw), encoding="utf-8")
    return [p.name for p in INS.release(folder / "t.ipynb", folder / "out")]


ok("instructor.release", 'a cell with "tags": null', _null_tags_release, ["t.ipynb"])


def _gbk_release():
    import nbformat

    folder = _folder()
    nb = _tiny()
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# 客户关系管理"))
    (folder / "g.ipynb").write_bytes(nbformat.writes(nb).encode("gbk"))
    with pytest.warns(UserWarning, match="GB18030"):
        INS.release(folder / "g.ipynb", folder / "out")
    return nbformat.read(folder / "out" / "g.ipynb", as_version=4).cells[0].source


ok("instructor.release", "a notebook saved as GBK by an editor", _gbk_release, "# 客户关系管理")


K = "instructor.parse_assignments"
bad(K, "a name without a value", lambda: INS.parse_assignments([["seed"]]), "parameter", func="assign")
bad(K, "empty name", lambda: INS.parse_assignments([[" ", "3"]]), "parameter", func="assign")
bad(K, "a bare string", lambda: INS.parse_assignments("seed=3"), "parameter", func="assign")
ok(K, "none given", lambda: INS.parse_assignments(None), {})

# ============================================================================ nbgrader source notebooks
from crmlib import nbgrader_export as NBG  # noqa: E402

K = "nbgrader_export.nbgrader_source"
bad(K, "a path, not a notebook", lambda: NBG.nbgrader_source(str(_CH1)), "nb")
bad(K, "a plain dict", lambda: NBG.nbgrader_source({"cells": []}), "nb")
ok(
    K,
    "a notebook without exercises: every cell locked",
    lambda: NBG.nbgrader_source(_tiny()).cells[0].metadata["nbgrader"]["locked"],
    True,
)


def _unknown_check():
    import nbformat

    nb = _tiny()
    nb.cells.append(nbformat.v4.new_code_cell('exercises.check("tiny.total", answer_1)'))
    return nb


bad(K, "a check of an exercise crmlib does not know", lambda: NBG.nbgrader_source(_unknown_check()), "notebook")
K = "nbgrader_export.grade_id"
bad(K, "empty", lambda: NBG.grade_id(" "), "grade_id", func="nbgrader_source")
bad(K, "None", lambda: NBG.grade_id(None), "grade_id", func="nbgrader_source")
ok(K, "dots and spaces replaced", lambda: NBG.grade_id("ch1.a b"), "ch1_a_b")
K = "exercises.score"
bad(K, "unknown exercise", lambda: exercises.score("ch1.nope", 1), "exercise")
bad(K, "a memo has no automatic score", lambda: exercises.score("ch1.recommendation", "text"), "exercise")
bad(K, "missing data", lambda: exercises.score("demo.top_share", 0.5), "data", func="key_entry")
ok(
    K,
    "a ranking with two positions wrong: half of 2 points",
    lambda: exercises.score("ch0.steps", ["answer", "hint", "check", "solution"]),
    1.0,
)
K = "exercises.graded_mode"
ok(K, "this process checks for self-study", lambda: exercises.graded_mode(), False)
K = "exercises.graded_copy"  # for good in its process: shown in a new Python


def _graded_python() -> str:
    import subprocess
    import sys

    code = (
        "from crmlib import exercises\nexercises.graded_copy()\n"
        "try:\n    exercises.expected('ch0.rerun')\nexcept exercises.CRMDataError as e:\n    print(e.func, e.field)"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


ok(K, "then expected refuses, naming the exercise", _graded_python, "expected exercise")
K = "instructor.graded_copy"
bad(K, "a path, not a notebook", lambda: INS.graded_copy("x.ipynb"), "nb", func="assign")
ok(
    K,
    "one graded cell, however often",
    lambda: len(INS.graded_copy(INS.graded_copy(_tiny())).cells),
    len(_tiny().cells) + 1,
)
K = "instructor.kernel_env"
bad(K, "a path that is None", lambda: INS.kernel_env([None], {}), "hide", func="grade")
ok(K, "a variable naming the key goes", lambda: "K" in INS.kernel_env(["/c/key.csv"], {"K": "/c/key.csv"}), False)


# ============================================================================ lms (rosters, downloads, exports)
from crmlib import lms as LMS  # noqa: E402

NO_INPUT["lms.Roster"] = "result record returned by lms.read_roster"
NO_INPUT["lms.Upload"] = "result record returned by lms.collect_uploads"


def _grades(**over) -> pd.DataFrame:
    """A grades table as crmlib grade returns it: one student, a number (2 points) and a memo (3)."""
    g = pd.DataFrame(
        {
            "student_id": ["s1", "s1"],
            "question": ["q.share", "q.memo"],
            "answer": ["0.5", '"Win back"'],
            "status": ["graded", "by hand"],
            "score": [1, 0],
            "credit": [1.0, float("nan")],
            "points": [2.0, 3.0],
            "earned": [2.0, float("nan")],
            "kind": ["number", "memo"],
            "detail": ["", "rubric: names a segment (3)"],
            "submission": ["", ""],
        }
    )
    return g.assign(**over)


K = "lms.header_key"
ok(K, "full-width colon and underscores", lambda: LMS.header_key("Student_ID："), "student id")
ok(K, "a number as header", lambda: LMS.header_key(7), "7")
K = "lms.sniff_delimiter"
bad(K, "bytes, not text", lambda: LMS.sniff_delimiter(b"a;b"), "text")
ok(K, "tab", lambda: LMS.sniff_delimiter("学号\t姓名\n"), "\t")
ok(K, "one column", lambda: LMS.sniff_delimiter("student_id\ns1\n"), ",")
K = "lms.read_roster"
bad(K, "roster None", lambda: LMS.read_roster(None), "roster", func="assign")
bad(K, "roster missing", lambda: LMS.read_roster(_folder() / "r.csv"), "roster", func="assign")
bad(K, "no id column", lambda: LMS.read_roster(_roster("姓名,邮箱\n王芳,a@b.cn\n")), "roster", func="assign")
bad(
    K,
    "two id columns",
    lambda: LMS.read_roster(_roster("Student ID,student_id,姓名\n1,1,王芳\n")),
    "roster",
    func="assign",
    contains=("['Student ID', 'student_id']",),
)
bad(K, "a column repeated", lambda: LMS.read_roster(_roster("id,name,name\n1,a,b\n")), "roster", func="assign")
bad(
    K,
    "a row longer than the header",
    lambda: LMS.read_roster(_roster("id;name\n1;Ann;extra\n")),
    "roster",
    func="assign",
    contains=("line 2",),
)
bad(
    K,
    "a misspelt parameter column",
    lambda: LMS.read_roster(_roster("id,name,seeed\ns1,A,3\n"), {"seed": None}),
    "seeed",
    func="assign",
    contains=("did you mean 'seed'",),
)
bad(K, "only blank rows", lambda: LMS.read_roster(_roster("id;name\n;;\n")), "roster", func="assign")
ok(
    K,
    "Moodle's first and last name",
    lambda: LMS.read_roster(_roster("First name,Last name,ID number\nAnn,Lee,s1\n")).table.to_dict("records"),
    [{"student_id": "s1", "name": "Ann Lee"}],
)
ok(
    K,
    "Excel's sep= line and a GBK-free BOM",
    lambda: LMS.read_roster(_roster("\ufeffsep=;\n学号;姓名\n1;王芳\n")).table["name"].tolist(),
    ["王芳"],
)
K = "lms.student_error"
bad(K, "not an error", lambda: LMS.student_error("oops", "s1"), "exc", func="student_error")
ok(
    K,
    "no line known",
    lambda: str(LMS.student_error(CRMDataError("parameters", "seed", "must be >= 0"), "s1")),
    "assign: field 'seed' of student 's1': must be >= 0",
)
K = "lms.parse_upload_name"
bad(K, "None", lambda: LMS.parse_upload_name(None), "relpath")
ok(
    K,
    "blind marking in Moodle",
    lambda: LMS.parse_upload_name("Participant_88_assignsubmission_file_a.ipynb")["name"],
    "Participant",
)
ok(K, "anonymous Canvas", lambda: LMS.parse_upload_name("anon_x7k2p_55_a.ipynb")["lms_id"], "anon_x7k2p")
K = "lms.name_key"
ok(K, "an empty name", lambda: LMS.name_key(""), "")
K = "lms.unpack"
bad(K, "not a zip", lambda: LMS.unpack(_tmp_csv("x", "dl.zip")), "submissions", func="grade")
bad(K, "archive None", lambda: LMS.unpack(None), "submissions", func="grade")


def _big_zip() -> Path:
    import zipfile

    p = _folder() / "dl.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a_1_assignsubmission_file_/s1.ipynb", "{" + " " * 50_000 + "}")  # 50 kB from a few bytes
    return p


bad(K, "unpacks beyond its limit", lambda: LMS.unpack(_big_zip(), limit_mb=0.01), "submissions", func="grade")
K = "lms.collect_uploads"
bad(K, "missing folder", lambda: LMS.collect_uploads(_folder() / "nope"), "submissions", func="grade")
bad(K, "roster a path, not a Roster", lambda: LMS.collect_uploads(_folder(), "r.csv"), "roster", func="grade")
ok(K, "an empty folder", lambda: LMS.collect_uploads(_folder()), [])
K = "lms.read_memo_scores"
_MEMO_HEAD = "student_id,question,answer,rubric,points,score,submission\n"
bad(
    K,
    "a score above the memo's points",
    lambda: LMS.read_memo_scores(_tmp_csv(_MEMO_HEAD + "s1,q.memo,Go,r,3,4,x\n")),
    "score",
    func="grade",
    contains=("'s1'", "line 2"),
)
bad(
    K,
    "text for a score",
    lambda: LMS.read_memo_scores(_tmp_csv(_MEMO_HEAD + "s1,q.memo,Go,r,3,good,x\n")),
    "score",
    func="grade",
)
bad(K, "not a memos file", lambda: LMS.read_memo_scores(_tmp_csv("a,b\n1,2\n")), "memos", func="grade")
ok(K, "no memos file yet", lambda: LMS.read_memo_scores(_folder() / "grades_memos.csv"), {})
ok(
    K,
    "a decimal comma",
    lambda: LMS.read_memo_scores(_tmp_csv(_MEMO_HEAD + 's1,q.memo,Go,r,3,"2,5",x\n')),
    {("s1", "q.memo"): 2.5},
)
K = "lms.student_totals"
bad(K, "not a grades table", lambda: LMS.student_totals(pd.DataFrame({"a": [1]})), "table")
bad(K, "a list", lambda: LMS.student_totals([]), "table")
ok(
    K,
    "a memo not graded yet",
    lambda: LMS.student_totals(_grades())["status"].tolist(),
    ["graded (1 to grade by hand)"],
)
ok(K, "a memo graded", lambda: LMS.student_totals(_grades(), memos={("s1", "q.memo"): 2.0})["total"].tolist(), [4.0])
K = "lms.export_grades"
bad(K, "unknown layout", lambda: LMS.export_grades(_grades(), _folder() / "x.csv", "blackboard"), "layout")
bad(K, "path a folder", lambda: LMS.export_grades(_grades(), _folder()), "path")
bad(
    K,
    "empty assignment",
    lambda: LMS.export_grades(_grades(), _folder() / "x.csv", "canvas", assignment=" "),
    "assignment",
)
ok(
    K,
    "canvas without a roster",
    lambda: LMS.export_grades(_grades(), _folder() / "c.csv", "canvas").columns.tolist(),
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "crmlib grade"],
)
K = "lms.feedback_page"
bad(K, "two students' rows", lambda: LMS.feedback_page(pd.concat([_grades(), _grades(student_id="s2")])), "rows")
bad(K, "unknown language", lambda: LMS.feedback_page(_grades(), lang="fr"), "lang", func="feedback_page")
ok(K, "Chinese", lambda: "你的答案" in LMS.feedback_page(_grades(), "王芳", "zh"), True)
ok(
    K,
    "a memo graded by hand",
    lambda: "4 of 5 points</strong>" in LMS.feedback_page(_grades(), memos={("s1", "q.memo"): 2.0}),
    True,
)
K = "lms.moodle_prefix"
bad(K, "None", lambda: LMS.moodle_prefix(None), "path")
ok(K, "flat download", lambda: LMS.moodle_prefix("王芳_232_assignsubmission_file_作业.ipynb"), "王芳_232")
K = "lms.write_feedback"
bad(K, "out is a file", lambda: LMS.write_feedback(_grades(), _tmp_csv("x")), "out")
bad(K, "unknown language", lambda: LMS.write_feedback(_grades(), _folder(), lang="fr"), "lang")
bad(K, "not a grades table", lambda: LMS.write_feedback(None, _folder()), "table")

# ============================================================================ book (nothing executes the book)
from crmlib import book as BOOK  # noqa: E402


def _book_root() -> Path:
    """A folder holding one tiny notebook (so a case that slipped past the checks would still be cheap)."""
    import nbformat

    root = _folder()
    (root / "notebooks").mkdir()
    nbformat.write(_tiny(), root / "notebooks" / "00_tiny.ipynb")
    return root


def _nbfile() -> Path:
    return _book_root() / "notebooks" / "00_tiny.ipynb"


NO_INPUT["book.Page"] = "record of one rendered page, made by build_book"
NO_INPUT["book.GlossaryEntry"] = "record of one glossary entry, made by glossary_entries"
NO_INPUT["book.BookError"] = "the error build_book raises when Sphinx fails or (strict) warns"
K = "book.find_notebooks"
bad(K, "folder without notebooks", lambda: BOOK.find_notebooks(_folder()), "root")
bad(K, "folder missing", lambda: BOOK.find_notebooks(_folder() / "nope"), "root")
bad(K, "root not a path", lambda: BOOK.find_notebooks(3), "root")
bad(K, "unknown language", lambda: BOOK.find_notebooks(_book_root(), "fr"), "lang")
ok(K, "an edition without notebooks yet", lambda: BOOK.find_notebooks(_book_root(), "zh"), [])
K = "book.docname"
bad(K, "not a path", lambda: BOOK.docname(None), "path")
K = "book.notebook_key"
bad(K, "not a path", lambda: BOOK.notebook_key(None), "path")
bad(K, "root not a path", lambda: BOOK.notebook_key("notebooks/a.ipynb", 3), "root")
bad(K, "outside the workbook", lambda: BOOK.notebook_key("/elsewhere/a.ipynb", _folder()), "path")
K = "book.page_label"
bad(K, "not a path", lambda: BOOK.page_label(None), "path")
K = "book.notebook_title"
bad(K, "not a notebook", lambda: BOOK.notebook_title("notebooks/01_identification.ipynb"), "nb")
ok(K, "no heading", lambda: BOOK.notebook_title(_tiny()), "(untitled)")
K = "book.widget_snapshot"
ok(K, "a model missing from the saved state draws nothing", lambda: BOOK.widget_snapshot({}, "nope"), "")
bad(K, "model id not text", lambda: BOOK.widget_snapshot({}, ["m1"]), "model_id")
bad(K, "state not a mapping", lambda: BOOK.widget_snapshot([], "m1"), "state")
K = "book.snapshot_widgets"
bad(K, "not a notebook", lambda: BOOK.snapshot_widgets("x.ipynb"), "nb")
bad(K, "unknown language", lambda: BOOK.snapshot_widgets(_tiny(), "fr"), "lang")
ok(K, "no widgets", lambda: BOOK.snapshot_widgets(_tiny()), 0)
K = "book.fold_solutions"
bad(K, "not a notebook", lambda: BOOK.fold_solutions({"cells": []}), "nb")
bad(K, "unknown language", lambda: BOOK.fold_solutions(_tiny(), "EN"), "lang")
ok(K, "no solutions", lambda: BOOK.fold_solutions(_tiny()), 0)
K = "book.link_terms"
bad(K, "not a notebook", lambda: BOOK.link_terms("# Title"), "nb")
bad(K, "unknown language", lambda: BOOK.link_terms(_tiny(), None), "lang")
ok(K, "no markdown", lambda: BOOK.link_terms(_tiny()), 0)
K = "book.prepare_notebook"
bad(K, "not a notebook", lambda: BOOK.prepare_notebook(None), "nb")
bad(K, "unknown language", lambda: BOOK.prepare_notebook(_tiny(), "zh_CN"), "lang")
K = "book.glossary_entries"
bad(K, "unknown language", lambda: BOOK.glossary_entries("cn"), "lang")
K = "book.glossary_markdown"
bad(K, "unknown language", lambda: BOOK.glossary_markdown(""), "lang")
K = "book.write_project"
bad(K, "src not a path", lambda: BOOK.write_project(None, "en"), "src")
bad(K, "unknown language", lambda: BOOK.write_project(_folder(), "de"), "lang")
bad(K, "pages not Page records", lambda: BOOK.write_project(_folder(), "en", ["notebooks/00_a"]), "pages")
K = "book.sphinx_command"
bad(K, "src not a path", lambda: BOOK.sphinx_command(1, "out"), "src")
bad(K, "html_dir not a path", lambda: BOOK.sphinx_command("src", None), "html_dir")
bad(K, "jobs zero", lambda: BOOK.sphinx_command("src", "out", jobs=0), "jobs")
K = "book.execute"
bad(K, "file missing", lambda: BOOK.execute(_folder() / "nope.ipynb"), "path")
bad(K, "not a notebook file", lambda: BOOK.execute(_tmp_csv("a,b\n")), "path")
bad(K, "parameters not a mapping", lambda: BOOK.execute(_nbfile(), parameters=[("seed", 1)]), "parameters")
bad(K, "unknown parameter", lambda: BOOK.execute(_nbfile(), parameters={"seeed": 1}), "seeed")
bad(K, "timeout zero", lambda: BOOK.execute(_nbfile(), timeout=0), "timeout")
K = "book.build_book"
bad(
    K,
    "unknown notebook",
    lambda: BOOK.build_book(_folder() / "out", notebooks=["notebooks/99_nope.ipynb"], log=None),
    "notebooks",
)
bad(
    K,
    "root without notebooks",
    lambda: BOOK.build_book(_folder() / "out", root=_folder(), log=None),
    "root",
    func="find_notebooks",
)
bad(K, "out is a file", lambda: BOOK.build_book(_tmp_csv("x"), root=_book_root(), log=None), "out")
bad(
    K,
    "parameters for an unknown notebook",
    lambda: BOOK.build_book(
        _folder() / "out", root=(nb := _nbfile()).parents[1], notebooks=[str(nb)], parameters={"99_nope": {}}, log=None
    ),
    "parameters",
)
bad(
    K,
    "parameters not a mapping",
    lambda: BOOK.build_book(_folder() / "out", root=_book_root(), parameters=[1], log=None),
    "parameters",
)
bad(
    K,
    "notebooks a single path",
    lambda: BOOK.build_book(_folder() / "out", notebooks=str(_nbfile()), log=None),
    "notebooks",
)
bad(K, "log not a function", lambda: BOOK.build_book(_folder() / "out", root=_book_root(), log=3), "log")
bad(K, "strict not a bool", lambda: BOOK.build_book(_folder() / "out", root=_book_root(), strict="yes"), "strict")
bad(K, "jobs zero", lambda: BOOK.build_book(_folder() / "out", root=_book_root(), jobs=0, log=None), "jobs")
bad(
    K,
    "a notebook outside the workbook",
    lambda: BOOK.build_book(_folder() / "out", root=_folder(), notebooks=[str(_nbfile())], log=None),
    "notebooks",
)
bad(
    K,
    "timeout zero",
    lambda: BOOK.build_book(_folder() / "out", root=(nb := _nbfile()).parents[1], notebooks=[str(nb)], timeout=0),
    "timeout",
)


# ============================================================================ command lines: exit 2 and one line
# ============================================================================ editions (no notebook is executed)
from crmlib import editions as ED  # noqa: E402

NO_INPUT["editions.TextCell"] = "the parsed text of one cell, made by parse_text"
NO_INPUT["editions.Report"] = "what write_editions / check_editions found"


def _en_nb():
    return ED._tiny_english()


def _zh_cells():
    nb = _en_nb()
    return ED.parse_text(
        f"{ED.marker('md-0', nb.cells[0].source)}\n# 标题\n\n{ED.marker('md-3', nb.cells[3].source)}\n请回答。"
    )


def _edition_root(text: str | None = None) -> Path:
    import nbformat

    root = _folder()
    (root / "notebooks").mkdir()
    nbformat.write(_en_nb(), root / "notebooks" / "00_demo.ipynb")
    if text is not None:
        (root / "notebooks" / "zh" / "text").mkdir(parents=True)
        (root / "notebooks" / "zh" / "text" / "00_demo.md").write_text(text, encoding="utf-8")
    return root


K = "editions.source_hash"
bad(K, "not a text", lambda: ED.source_hash(["# Title"]), "source")
ok(K, "empty cell", lambda: ED.source_hash(""), ED.source_hash("  \n "))
K = "editions.marker"
bad(K, "id with a space", lambda: ED.marker("cell 1", "x"), "cell_id")
bad(K, "id None", lambda: ED.marker(None, "x"), "cell_id")
bad(K, "source not a text", lambda: ED.marker("a1", None), "source", func="source_hash")
K = "editions.parse_text"
bad(K, "not a text", lambda: ED.parse_text(None), "text")
bad(K, "misspelt marker", lambda: ED.parse_text("<!-- cell a1 en:12345 -->\n文字", "t.md"), "t.md")
bad(K, "marker without hash", lambda: ED.parse_text("<!-- cell a1 -->\n文字", "t.md"), "t.md")
bad(K, "text before the first marker", lambda: ED.parse_text("标题\n<!-- cell a1 en:0123abcd -->\nx", "t.md"), "t.md")
ok(K, "empty file", lambda: ED.parse_text(""), [])
ok(K, "a header comment only", lambda: ED.parse_text("<!-- 中文版 -->\n"), [])
K = "editions.text_problems"
bad(K, "not a notebook", lambda: ED.text_problems({"cells": []}, []), "nb")
bad(K, "cells not parsed", lambda: ED.text_problems(_en_nb(), "<!-- cell md-0 en:0123abcd -->"), "cells")
bad(K, "cells of the wrong kind", lambda: ED.text_problems(_en_nb(), [("md-0", "x")]), "cells")
bad(K, "previous not a function", lambda: ED.text_problems(_en_nb(), [], previous="git"), "previous")
bad(K, "unknown language", lambda: ED.text_problems(_en_nb(), [], lang="fr"), "lang")
bad(K, "English is no edition", lambda: ED.text_problems(_en_nb(), [], lang="en"), "lang")
ok(K, "complete and current", lambda: ED.text_problems(_en_nb(), _zh_cells()), [])
ok(K, "no text at all: every markdown cell named", lambda: ED.text_problems(_en_nb(), []), lambda r: len(r) == 2)
K = "editions.with_language"
bad(K, "no lang line", lambda: ED.with_language("seed = 1", "zh"), "parameters")
bad(K, "two lang lines", lambda: ED.with_language('lang = "en"\nlang = "en"', "zh"), "parameters")
bad(K, "unknown language", lambda: ED.with_language('lang = "en"', "fr"), "lang")
ok(K, "single quotes kept", lambda: ED.with_language("lang = 'en'", "zh"), "lang = 'zh'")
K = "editions.relink"
bad(K, "links not a mapping", lambda: ED.relink("[a](b.ipynb)", [("b.ipynb", "../b.ipynb")]), "links")
bad(K, "markdown not a text", lambda: ED.relink(None, {}), "markdown")
ok(
    K,
    "./ prefix and html links",
    lambda: ED.relink('[a](./b.ipynb) <a href="b.ipynb">', {"b.ipynb": "../b.ipynb"}),
    '[a](../b.ipynb) <a href="../b.ipynb">',
)
K = "editions.build_edition"
bad(K, "not a notebook", lambda: ED.build_edition(None, []), "nb")
bad(K, "unknown language", lambda: ED.build_edition(_en_nb(), _zh_cells(), "fr"), "lang")
bad(K, "incomplete text", lambda: ED.build_edition(_en_nb(), _zh_cells()[:1]), "text")
bad(K, "links not a mapping", lambda: ED.build_edition(_en_nb(), _zh_cells(), links=["x"]), "links")
bad(
    K,
    "no parameters cell",
    lambda: ED.build_edition((lambda nb: (nb.cells[1].metadata.pop("tags"), nb)[1])(_en_nb()), _zh_cells()),
    "nb",
)
bad(
    K,
    "cells without ids",
    lambda: ED.build_edition((lambda nb: (nb.cells[0].pop("id"), nb)[1])(_en_nb()), _zh_cells()),
    "nb",
    rows=[0],
)
K = "editions.code_differences"
bad(K, "edition not a notebook", lambda: ED.code_differences(_en_nb(), "zh/00.ipynb"), "edition")
bad(K, "unknown language", lambda: ED.code_differences(_en_nb(), _en_nb(), "fr"), "lang")
ok(
    K,
    "a cell removed",
    lambda: ED.code_differences(_en_nb(), (lambda nb: (nb.cells.pop(), nb)[1])(_en_nb())),
    lambda r: len(r) == 1 and "position 3" in r[0],
)
K = "editions.scaffold_text"
bad(K, "not a notebook", lambda: ED.scaffold_text("notebooks/00_start_here.ipynb"), "nb")
bad(K, "unknown language", lambda: ED.scaffold_text(_en_nb(), lang="fr"), "lang")
bad(K, "existing text broken", lambda: ED.scaffold_text(_en_nb(), "<!-- cell md-0 -->"), "existing", func="parse_text")
K = "editions.link_targets"
bad(K, "not a notebook", lambda: ED.link_targets([]), "nb")
K = "editions.link_problems"
bad(K, "folder None", lambda: ED.link_problems(_en_nb(), None), "folder")
bad(K, "known a text", lambda: ED.link_problems(_en_nb(), _folder(), known="a.ipynb"), "known")
K = "editions.edition_paths"
bad(K, "not a notebook", lambda: ED.edition_paths("notebooks/00_start_here.md"), "english")
bad(K, "unknown language", lambda: ED.edition_paths("notebooks/00_start_here.ipynb", "fr"), "lang")
bad(K, "path None", lambda: ED.edition_paths(None), "english")
K = "editions.write_editions"
bad(K, "root without notebooks", lambda: ED.write_editions(_folder()), "root")
bad(K, "root None", lambda: ED.write_editions(None), "root")
bad(K, "unknown language", lambda: ED.write_editions(_edition_root(), ["fr"]), "lang")
ok(
    K,
    "a text with a misspelt marker is reported, nothing written",
    lambda: ED.write_editions(_edition_root("<!-- cell md-0 en:xyz -->\n# 标题\n")),
    lambda r: r.written == [] and len(r.problems) == 1 and "line 1" in r.problems[0],
)
K = "editions.check_editions"
bad(K, "root without notebooks", lambda: ED.check_editions(_folder()), "root")
bad(K, "langs a number", lambda: ED.check_editions(_edition_root(), 3), "langs")
ok(
    K,
    "an empty text file: both markdown cells reported",
    lambda: ED.check_editions(_edition_root("")),
    lambda r: len(r.problems) == 2 and all("has no text" in p for p in r.problems),
)
K = "i18n.display_table"
lang_case(K, lambda lang: i18n.display_table(pd.DataFrame({"revenue": [1.0]}), lang=lang))
ok(K, "not a table: returned as it is", lambda: i18n.display_table("revenue", "zh"), "revenue")
K = "i18n.show_tables_in"
lang_case(K, lambda lang: i18n.show_tables_in(lang))
ok(K, "outside a notebook: nothing to do", lambda: i18n.show_tables_in("zh"), False)
K = "editions.key_terms"
bad(K, "unknown language", lambda: ED.key_terms("fr"), "lang")
bad(K, "lang None", lambda: ED.key_terms(None), "lang")
bad(K, "English is no edition", lambda: ED.key_terms("en"), "lang")
K = "editions.term_problems"
bad(K, "not a notebook", lambda: ED.term_problems({"cells": []}, []), "nb")
bad(K, "cells not parsed", lambda: ED.term_problems(_en_nb(), "<!-- cell md-0 en:0123abcd -->"), "cells")
bad(K, "where not a text", lambda: ED.term_problems(_en_nb(), [], where=3), "where")
bad(K, "unknown language", lambda: ED.term_problems(_en_nb(), [], lang="fr"), "lang")
ok(K, "no text at all: nothing to compare", lambda: ED.term_problems(_en_nb(), []), [])
K = "editions.scaffold"
bad(K, "not a notebook", lambda: ED.scaffold(_tmp_csv("x")), "english")
bad(K, "missing notebook", lambda: ED.scaffold(_folder() / "00_demo.ipynb"), "english")
bad(K, "unknown language", lambda: ED.scaffold(_edition_root() / "notebooks" / "00_demo.ipynb", "fr"), "lang")


def _an_edition() -> Path:
    import nbformat

    folder = _folder() / "zh"
    folder.mkdir()
    nbformat.write(_en_nb(), folder / "00_demo.ipynb")
    return folder / "00_demo.ipynb"


bad(K, "an edition instead of the English notebook", lambda: ED.scaffold(_an_edition()), "english")


def cli_bad(key: str, name: str, argv: Callable[[], list[str]], text: str) -> None:
    """``main(argv)`` returns 2 and prints one line ``crmlib: …`` holding ``text`` (no traceback)."""
    mod = importlib.import_module(f"crmlib.{key.split('.')[0]}")

    def run():
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = mod.main(argv())
            except SystemExit as exc:  # argparse usage errors
                status = exc.code
        printed = (out.getvalue() + err.getvalue()).strip().splitlines()
        assert status == 2, (status, printed)
        assert "Traceback" not in out.getvalue() + err.getvalue(), printed
        # ours: one line "crmlib: …"; argparse's usage errors: its usage, then "crmlib …: error: …"
        assert printed and printed[-1].startswith("crmlib") and text in printed[-1], printed
        if "error:" not in printed[-1]:
            assert len(printed) == 1, printed

    _add(key, name, run)


K = "cli.main"
cli_bad(K, "regenerate into a file", lambda: ["data", "regenerate", "--out", str(_tmp_csv("x"))], "field 'out'")
cli_bad(
    K,
    "assign a missing notebook",
    lambda: ["assign", "no_such.ipynb", "--roster", "r.csv", "--out", "x"],
    "field 'notebook'",
)
cli_bad(
    K,
    "assign a CSV as notebook",
    lambda: ["assign", str(_tmp_csv("a\n")), "--roster", "r.csv", "--out", "x"],
    "field 'notebook'",
)
cli_bad(
    K,
    "assign with a duplicated roster id",
    lambda: [
        "assign",
        str(_CH1),
        "--roster",
        str(_roster("student_id,name\ns1,Ann\ns1,Bo\n")),
        "--out",
        str(_folder()),
    ],
    "field 'student_id'",
)
cli_bad(
    K,
    "assign -p unknown parameter",
    lambda: [
        "assign",
        str(_CH1),
        "--roster",
        str(_roster("student_id,name\ns1,Ann\n")),
        "--out",
        str(_folder()),
        "-p",
        "n_customerz",
        "300",
    ],
    "n_customerz",
)
cli_bad(
    K,
    "assign -p text for a number",
    lambda: [
        "assign",
        str(_CH1),
        "--roster",
        str(_roster("student_id,name\ns1,Ann\n")),
        "--out",
        str(_folder()),
        "-p",
        "n_customers",
        "lots",
    ],
    "n_customers",
)
cli_bad(
    K,
    "assign --workers 0",
    lambda: [
        "assign",
        str(_CH1),
        "--roster",
        str(_roster("student_id,name\ns1,Ann\n")),
        "--out",
        str(_folder()),
        "--workers",
        "0",
    ],
    "workers",
)
cli_bad(
    K,
    "grade with a missing key",
    lambda: ["grade", str(_folder()), "--key", str(_folder() / "k.csv"), "--out", str(_folder() / "g.csv")],
    "field 'key'",
)
cli_bad(
    K,
    "grade with a bad key",
    lambda: ["grade", str(_folder()), "--key", str(_tmp_csv("student_id\ns1\n")), "--out", str(_folder() / "g.csv")],
    "field 'key'",
)
cli_bad(
    K,
    "grade with a roster without names",
    lambda: [
        "grade",
        str(_folder()),
        "--key",
        str(_tmp_csv(_KEY_HEAD)),
        "--out",
        str(_folder() / "g.csv"),
        "--roster",
        str(_roster("学号;邮箱\ns1;a@b.cn\n")),
    ],
    "misses the column(s) ['name']",
)
cli_bad(
    K,
    "grade with an unknown export layout",
    lambda: ["grade", str(_folder()), "--key", "k.csv", "--out", "g.csv", "--export", "blackboard"],
    "invalid choice: 'blackboard'",
)
cli_bad(
    K,
    "release from a missing folder",
    lambda: ["release", str(_folder() / "nope"), "--out", str(_folder())],
    "field 'src'",
)
cli_bad(
    K,
    "book from a folder without notebooks",
    lambda: ["book", "--root", str(_folder()), "--out", str(_folder() / "site")],
    "field 'root'",
)
cli_bad(K, "editions: root without notebooks", lambda: ["editions", "--root", str(_folder())], "field 'root'")
cli_bad(
    K,
    "editions: unknown language",
    lambda: ["editions", "--root", str(_edition_root()), "--lang", "fr"],
    "field 'lang'",
)
cli_bad(
    K,
    "editions --check: unknown language",
    lambda: ["editions", "--check", "--root", str(_edition_root()), "--lang", "en"],
    "field 'lang'",
)
cli_bad(
    K,
    "editions --scaffold a missing notebook",
    lambda: ["editions", "--scaffold", str(_folder() / "x.ipynb")],
    "english",
)
cli_bad(K, "unknown command", lambda: ["frobnicate"], "error: argument command")
cli_bad(
    K,
    "--workers not a number",
    lambda: ["grade", "x", "--key", "k.csv", "--out", "g.csv", "--workers", "two"],
    "invalid int value: 'two'",
)
cli_bad(
    K,
    "grade --workers 0",
    lambda: [
        "grade",
        str(_folder()),
        "--key",
        str(_tmp_csv(_KEY_HEAD)),
        "--out",
        str(_folder() / "g.csv"),
        "--workers",
        "0",
    ],
    "field 'workers'",
)
K = "book.main"
cli_bad(
    K, "root without notebooks", lambda: ["--root", str(_folder()), "--out", str(_folder() / "site")], "field 'root'"
)
cli_bad(K, "out is a file", lambda: ["--out", str(_tmp_csv("x")), "--root", str(_book_root())], "field 'out'")
cli_bad(
    K,
    "timeout zero",
    lambda: ["--timeout", "0", "--root", str(_book_root()), "--out", str(_folder())],
    "field 'timeout'",
)


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
        for n in public_functions(m):
            f = resolve(m, n)
            if not inspect.isclass(f) and "lang" in inspect.signature(f).parameters:
                if not any(c.name == "unknown language" for c in CATALOGUE.get(f"{m}.{n}", [])):
                    missing.append(f"{m}.{n}")
    assert not missing, f"functions taking lang= without an 'unknown language' case: {missing}"


def test_packages_re_export_every_public_function_of_their_modules():
    """``crmlib.casework.harrahs.design_tiers`` is catalogued (and used) as ``casework.design_tiers``."""
    missing = []
    for m in MODULES:
        mod = importlib.import_module(f"crmlib.{m}")
        if hasattr(mod, "__path__"):
            missing += [f"{m}.{n}" for n in _defined_in(mod) if n not in public_functions(m)]
    assert not missing, f"public functions of a package's modules missing from the package's __all__: {missing}"


def test_catalogue_names_only_existing_functions():
    known = {f"{m}.{n}" for m in MODULES for n in public_functions(m)}
    stale = sorted(set(CATALOGUE) - known)
    assert not stale, stale


CASES = [c for cases in CATALOGUE.values() for c in cases]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.key}[{c.name}]" for c in CASES])
def test_bad_input(case):
    case.run()
