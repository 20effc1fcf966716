"""Input checks shared by several crmlib modules that know a business table.

:mod:`crmlib._validate` checks values of any kind (numbers, ids, dates); the checks here know one
table or vocabulary of the workbook and serve more than one module, so they live below all of them
instead of in one module that the others would have to reach into:

* :func:`account_table` — the B2B account table of chapter 2 (:mod:`crmlib.selection`,
  :mod:`crmlib.receivables`);
* :func:`criterion_weights` — a dict of criterion weights (ideal-customer criteria, the 5C);
* :func:`class_table` / :func:`by_class` — a table of customers with a class column (segment, tier,
  ABC class, relationship) and its summary per class (:mod:`crmlib.segmentation`, :mod:`crmlib.loyalty`);
* :func:`group_labels` — a group for every row of a result, matched by label or by position
  (:func:`crmlib.selection.profit_by`, :func:`crmlib.loyalty.loyalty_by`);
* :func:`grade_codes` — customer grades A/B/C (客户等级) in any spelling (the archive of
  :mod:`crmlib.records` and the follow-ups generator of :mod:`crmlib.datasets`).

Every check raises :class:`crmlib.CRMDataError` naming the calling function, the field and rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError

#: grades of a customer (客户等级): the ABC classes key / major / ordinary of crmlib.segmentation
GRADES = ["A", "B", "C"]


def account_table(accounts: Any, func: str, cols: Sequence[str], id_col: str) -> pd.DataFrame:
    """Validate the account table: the id column and ``cols`` (numeric); index it by id.

    >>> account_table(pd.DataFrame({"account_id": ["A1", "A2"], "revenue": [5.0, 7.0]}), "demo",
    ...               ["revenue"], "account_id")["revenue"].tolist()
    [5.0, 7.0]
    """
    V.table(accounts, func, [id_col, *cols], name="accounts")
    ids = V.unique(V.ids(accounts[id_col], func, id_col), func, id_col)
    out = {}
    for c in cols:
        out[c] = V.numeric(accounts[c], func, c, allow_negative=(c == "revenue_growth")).to_numpy()
    return pd.DataFrame(out, index=pd.Index(ids.to_numpy(), name=id_col))


def criterion_weights(
    weights: Mapping[str, Any] | None, func: str, keys: Sequence[str], default: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Check criterion weights: known keys only, non-negative numbers, a positive total; normalise.

    >>> criterion_weights({"a": 3, "b": 1}, "demo", ["a", "b", "c"])
    {'a': 0.75, 'b': 0.25, 'c': 0.0}
    """
    if weights is None:
        weights = default if default is not None else {k: 1.0 for k in keys}
    if not isinstance(weights, Mapping):
        raise CRMDataError(
            func,
            "weights",
            f"must be a dict of criterion -> weight, got {type(weights).__name__}",
            detail=f"criteria: {list(keys)}",
        )
    unknown = [k for k in weights if k not in keys]
    if unknown:
        raise CRMDataError(
            func,
            "weights",
            "names unknown criteria",
            rows=unknown[: V.MAX_ROWS],
            n_bad=len(unknown),
            detail=f"known criteria: {list(keys)}",
        )
    vals = {k: V.number(weights.get(k, 0.0), func, f"weights[{k!r}]") for k in keys}
    neg = [k for k, v in vals.items() if v < 0]
    if neg:
        raise CRMDataError(func, "weights", "must not be negative", rows=neg[: V.MAX_ROWS], n_bad=len(neg))
    total = sum(vals.values())
    if not total > 0:
        raise CRMDataError(func, "weights", "sum to zero: at least one weight must be positive")
    return {k: v / total for k, v in vals.items()}


def grade_codes(values: pd.Series, func: str, field: str) -> pd.Series:
    """'A'/'B'/'C' (any case) or their English/Chinese labels → 'A'/'B'/'C'; None stays None.

    >>> grade_codes(pd.Series(["a", "B major", "C 普通客户", None]), "demo", "grade").tolist()
    ['A', 'B', 'C', None]
    """
    lookup = {}
    for g in GRADES:
        for lang in i18n.LANGUAGES:
            lookup[i18n.label(g, lang).lower()] = g
        lookup[g.lower()] = g
    text = values.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    out = text.map(lambda v: lookup.get(v) if isinstance(v, str) else None)
    bad = (out.isna() & values.notna()).to_numpy()
    if bad.any():
        shown = ", ".join(repr(v) for v in values[bad].head(V.MAX_ROWS).tolist())
        V._fail(func, field, f"must be a grade A, B or C (key / major / ordinary), got {shown}", bad, values.index)
    return out.astype(object).where(out.notna(), None)


def group_labels(groups: Any, index: pd.Index, func: str, table: str, rows: str = "customers") -> pd.Series:
    """One group label per row of a table indexed by ``index`` (its ``rows``: customers, accounts):
    a labelled Series is matched to it by label (other labels are ignored), a list, array or Series
    with the default index 0, 1, … by position. Every row needs a group; a Categorical keeps its
    categories, the Series its name.

    >>> group_labels(pd.Series({"b": "x", "a": "y", "z": "y"}, name="size"), pd.Index(["a", "b"]), "demo", "t").tolist()
    ['y', 'x']
    >>> group_labels(["x", "y"], pd.Index(["a", "b"]), "demo", "t").index.tolist()
    ['a', 'b']
    """
    if isinstance(groups, pd.DataFrame):
        raise CRMDataError(func, "groups", "must be one column (a Series or a list), got a DataFrame")
    if isinstance(groups, (str, bytes)) or not hasattr(groups, "__iter__"):
        raise CRMDataError(
            func,
            "groups",
            f"must be a Series of group labels indexed like {table}, or a list of them, got {groups!r}",
            detail="e.g. accounts.set_index('account_id')['size']",
        )
    if isinstance(groups, np.ndarray) and groups.ndim != 1:
        raise CRMDataError(func, "groups", f"must be one-dimensional, got an array of shape {groups.shape}")
    default = pd.RangeIndex(len(index))
    if not isinstance(groups, pd.Series) or (
        groups.index.equals(pd.RangeIndex(len(groups))) and not index.equals(default)
    ):
        g = (
            pd.Series(groups.array, name=groups.name)
            if isinstance(groups, pd.Series)
            else pd.Series(groups if isinstance(groups, (np.ndarray, pd.Categorical)) else list(groups))
        )
        if len(g) != len(index):
            raise CRMDataError(
                func,
                f"{table}, groups",
                f"must have the same length, got {len(index)} and {len(g)}",
                detail=f"or pass groups as a Series indexed like {table}, matched by label",
            )
        return V.ids(g.set_axis(index), func, "groups")
    missing = ~index.isin(groups.index)
    if missing.any():
        V._fail(func, "groups", f"has no group for some {rows}", missing, index)
    twice = groups.index.duplicated(keep=False) & groups.index.isin(index)
    if twice.any():
        V._fail(func, "groups", f"has more than one group for one of the {rows}", twice, groups.index)
    return V.ids(groups.reindex(index), func, "groups")


def class_table(
    df: Any, func: str, class_col: str, value_cols: Sequence[str], name: str, allow_negative: Sequence[str] = ()
) -> tuple[Any, dict[str, pd.Series]]:
    """Validate a table of customers with a class column: (class labels, numeric columns by name).

    The labels keep their Categorical (so a summary shows every class, empty ones too, in order);
    a customer without a class is an error, not a silently dropped row.
    """
    V.table(df, func, [class_col, *value_cols], name=name)
    labels = V.ids(df[class_col], func, class_col)
    cols = {c: V.numeric(df[c], func, c, allow_negative=c in allow_negative) for c in value_cols}
    return grouping(labels), cols


def grouping(labels: pd.Series) -> Any:
    """What to hand ``DataFrame.groupby`` for a column of group labels of another table: a Categorical
    stays one (every category, in order, empty ones too); other labels become a plain array, because
    pandas 2.2 warns (FutureWarning) when groupby factorizes the NumpyExtensionArray of ``.array``.

    >>> type(grouping(pd.Series(["b", "a"]))).__name__, type(grouping(pd.Series(["b"], dtype="category"))).__name__
    ('ndarray', 'Categorical')
    """
    return labels.array if isinstance(labels.dtype, pd.CategoricalDtype) else labels.to_numpy()


def by_class(labels: Any, cols: dict[str, pd.Series], class_col: str, **agg: tuple[str, str]) -> pd.DataFrame:
    """The columns of :func:`class_table` aggregated per class (``agg`` as in ``DataFrame.agg``),
    every class of the Categorical shown, in order."""
    frame = pd.DataFrame({c: s.to_numpy() for c, s in cols.items()})
    out = frame.groupby(labels, observed=False, sort=True).agg(**agg)
    out.index.name = class_col
    return out


# ---------------------------------------------------------------------- shared by exercises and instructor
#: a notebook's self-check call, ``exercises.check("ch1.top_share", …)``: group 1 is the exercise id
CHECK_CALL = re.compile(r"""exercises\s*\.\s*check\s*\(\s*(?:ex_id\s*=\s*)?["']([^"']+)["']""")


def blank_answer(answer: Any) -> bool:
    """An answer cell left as handed out: ``None`` or ``...`` (the exercise engine and the grader agree).

    >>> blank_answer(...), blank_answer(None), blank_answer(0)
    (True, True, False)
    """
    return answer is None or answer is ...


#: the environment variable ``crmlib grade`` sets for the kernels it runs: grading mode from the start
GRADED_ENV = "CRMLIB_GRADED"
#: grading mode of this process (:func:`crmlib.exercises.graded_copy`): set once, never unset, and kept
#: here, below the exercise engine, so that reloading :mod:`crmlib.exercises` does not reset it
GRADING: dict[str, bool] = {"on": False}
