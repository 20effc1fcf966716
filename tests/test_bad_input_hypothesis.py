"""Property: whatever small table a user feeds the main functions, the only exception is CRMDataError.

Hypothesis builds purchase logs (customer_id / date / amount …), RFM tables, invoice ledgers and
lists of numbers whose cells mix good values with the bad ones users produce: missing and blank
ids, numbers as text (``"1,234.5"``), NaN, ±inf, negative and huge amounts, dates in several
formats or in the future, wrong types. A call either raises :class:`crmlib.CRMDataError` or
returns a result without NaN/inf in the columns the function promises as numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from crmlib import CRMDataError, clv, loyalty, qualification, receivables, satisfaction, segmentation, selection


# hypothesis.extra.pandas.data_frames builds a table cell by cell through pandas (40-70 ms an
# example, most of these tests' time); these tables are drawn as rows of Python objects and made
# into a DataFrame once (a few ms), with the same columns, object dtype and sizes.
def col(name: str, elements, dtype=object):
    """A column of :func:`frames`: its name and the strategy of its cells (always object dtype)."""
    assert dtype is object
    return name, elements


def rows(min_size: int = 0, max_size: int = 10):
    """The number of rows of :func:`frames` (a RangeIndex from 0)."""
    return min_size, max_size


def frames(columns, index):
    """DataFrames of object columns ``columns`` (from :func:`col`) with ``index`` rows (:func:`rows`)."""
    names = [name for name, _ in columns]
    lo, hi = index

    def table(cells):
        if not cells:
            return pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
        return pd.DataFrame(list(cells), columns=names, dtype=object)

    return st.lists(st.tuples(*(elements for _, elements in columns)), min_size=lo, max_size=hi).map(table)


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

GOOD_IDS = st.sampled_from(["A", "B", "C", "D"])
BAD_IDS = st.sampled_from(["", "  ", None, np.nan, 7, 2.5, "a"])
GOOD_DATES = st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()).map(
    pd.Timestamp
)
BAD_DATES = st.sampled_from(
    [
        "2024-03-05",
        "05/03/2024",
        "March 5, 2024",
        "2024-02-30",
        "",
        None,
        np.nan,
        "2031-01-01",
        "not a date",
        20240105,
        pd.Timestamp("2099-01-01"),
    ]
)
GOOD_AMOUNTS = st.floats(min_value=0, max_value=1e6, allow_nan=False)
BAD_AMOUNTS = st.one_of(
    st.sampled_from(
        ["1,234.5", "12", "abc", "", None, np.nan, np.inf, -np.inf, -5.0, True, 1e300, -1e300, 1.7e308, 0.0]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
)


def mixed(good, bad):
    """Mostly good cells (so the computation runs, not only the checks), some bad ones."""
    return st.one_of(good, good, good, bad)


def transactions(bad: bool = True):
    ids, dates, amounts = (
        (mixed(GOOD_IDS, BAD_IDS), mixed(GOOD_DATES, BAD_DATES), mixed(GOOD_AMOUNTS, BAD_AMOUNTS))
        if bad
        else (GOOD_IDS, GOOD_DATES, GOOD_AMOUNTS)
    )
    return frames(
        [
            col("customer_id", elements=ids, dtype=object),
            col("date", elements=dates, dtype=object),
            col("amount", elements=amounts, dtype=object),
            col("margin", elements=mixed(st.floats(-1e4, 1e4), BAD_AMOUNTS), dtype=object),
            col("discount_pct", elements=mixed(st.floats(0, 1), BAD_AMOUNTS), dtype=object),
        ],
        index=rows(min_size=0, max_size=12),
    )


def _numeric_finite(result, cols=None) -> None:
    if isinstance(result, pd.DataFrame):
        frame = result if cols is None else result[[c for c in cols if c in result.columns]]
        num = frame.select_dtypes(include=[np.number]).to_numpy(dtype=float)
        assert np.isfinite(num).all(), f"NaN/inf in a result:\n{frame}"
    elif isinstance(result, pd.Series):
        if pd.api.types.is_numeric_dtype(result.dtype) and not pd.api.types.is_bool_dtype(result.dtype):
            assert np.isfinite(result.to_numpy(dtype=float)).all(), f"NaN/inf in a result:\n{result}"
    elif isinstance(result, (int, float, np.number)):
        assert np.isfinite(float(result)), result


def only_crm_errors(call, promised=None):
    """Run ``call``: CRMDataError is fine; any other exception fails; a result holds no NaN/inf."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = call()
        except CRMDataError:
            return None
    if promised is not False:
        _numeric_finite(result, promised)
    return result


TX_FUNCTIONS = {
    "customer_summary": (lambda d: segmentation.customer_summary(d), None),
    "rfm_table": (lambda d: segmentation.rfm_table(d), None),
    "rfm_table(as_of)": (lambda d: segmentation.rfm_table(d, as_of="2024-12-31"), None),
    "loyalty_status": (lambda d: loyalty.loyalty_status(d), ["visits", "repeat_purchases"]),
    "churn_watch": (lambda d: loyalty.churn_watch(d, as_of="2025-01-01"), ["visits", "days_since"]),
    "cohort_retention": (lambda d: loyalty.cohort_retention(d), False),  # NaN = not yet observable
    "summary_from_transactions": (lambda d: clv.summary_from_transactions(d), None),
    "customer_state": (
        lambda d: qualification.customer_state(
            d, pd.DataFrame({"prospect_id": ["P1"], "money": [True], "need": [True]}), as_of="2025-01-01"
        ),
        False,
    ),  # a prospect has no days since a purchase (NA)
}


@pytest.mark.parametrize("name", list(TX_FUNCTIONS))
@SETTINGS
@given(tx=transactions())
def test_transaction_functions_raise_only_crmdataerror(name, tx):
    call, promised = TX_FUNCTIONS[name]
    only_crm_errors(lambda: call(tx), promised)


@SETTINGS
@given(tx=transactions(bad=False))
def test_rfm_pipeline_on_clean_logs_is_finite(tx):
    rfm = only_crm_errors(lambda: segmentation.rfm_table(tx))
    if rfm is not None:
        scores = only_crm_errors(lambda: segmentation.rfm_scores(rfm, bins=3))
        if scores is not None:
            only_crm_errors(lambda: segmentation.rfm_segments(scores, bins=3), promised=False)


VALUES = st.lists(mixed(GOOD_AMOUNTS, BAD_AMOUNTS), min_size=0, max_size=10)
VALUE_FUNCTIONS = {
    "gini": segmentation.gini,
    "top_share": segmentation.top_share,
    "pareto_table": segmentation.pareto_table,
    "lorenz_curve": segmentation.lorenz_curve,
    "abc_classes": segmentation.abc_classes,
    "profitability_tiers": segmentation.profitability_tiers,
    "whale_curve": selection.whale_curve,
    "whale_peak": selection.whale_peak,
    "csat": satisfaction.csat,
    "nps": lambda v: satisfaction.nps(v).nps,
    "nps_groups": satisfaction.nps_groups,
    "credit_rating": receivables.credit_rating,
}


@pytest.mark.parametrize("name", list(VALUE_FUNCTIONS))
@SETTINGS
@given(values=st.one_of(VALUES, st.lists(GOOD_AMOUNTS, min_size=1, max_size=10)))
def test_value_functions_raise_only_crmdataerror(name, values):
    only_crm_errors(lambda: VALUE_FUNCTIONS[name](values))


@SETTINGS
@given(values=VALUES, potential=VALUES)
def test_paired_value_functions_raise_only_crmdataerror(values, potential):
    only_crm_errors(lambda: segmentation.value_matrix(values, potential), promised=False)
    only_crm_errors(lambda: loyalty.key_accounts(values, potential))
    only_crm_errors(lambda: loyalty.value_loyalty_matrix(values, potential), promised=False)


@SETTINGS
@given(
    rfm=frames(
        [
            col("recency_days", elements=mixed(st.integers(0, 400), BAD_AMOUNTS), dtype=object),
            col("frequency", elements=mixed(st.integers(1, 20), BAD_AMOUNTS), dtype=object),
            col("monetary", elements=mixed(GOOD_AMOUNTS, BAD_AMOUNTS), dtype=object),
        ],
        index=rows(min_size=0, max_size=10),
    ),
    bins=st.one_of(st.integers(-1, 12), st.sampled_from([2.5, "5", None])),
)
def test_rfm_scores_raise_only_crmdataerror(rfm, bins):
    only_crm_errors(lambda: segmentation.rfm_scores(rfm, bins=bins))


@SETTINGS
@given(
    inv=frames(
        [
            col("account_id", elements=mixed(GOOD_IDS, BAD_IDS), dtype=object),
            col("amount", elements=mixed(GOOD_AMOUNTS, BAD_AMOUNTS), dtype=object),
            col("issue_date", elements=mixed(GOOD_DATES, BAD_DATES), dtype=object),
            col("due_date", elements=mixed(GOOD_DATES, BAD_DATES), dtype=object),
            col("paid_date", elements=st.one_of(GOOD_DATES, st.none(), BAD_DATES), dtype=object),
        ],
        index=rows(min_size=0, max_size=10),
    ),
    as_of=st.one_of(st.just("2024-06-30"), BAD_DATES),
)
def test_receivables_raise_only_crmdataerror(inv, as_of):
    rep = only_crm_errors(lambda: receivables.receivables_aging(inv, as_of), promised=False)
    if rep is not None:
        _numeric_finite(rep.total)
        only_crm_errors(lambda: receivables.bad_debt_provision(rep))
    only_crm_errors(lambda: receivables.open_balance(inv, as_of))
    only_crm_errors(lambda: receivables.dso(inv, as_of))


FLAGS = st.one_of(
    st.booleans(), st.booleans(), st.sampled_from(["yes", "no", "是", "否", 1, 0, "maybe", None, np.nan, 2])
)


@SETTINGS
@given(
    df=frames(
        [
            col("money", elements=FLAGS, dtype=object),
            col("authority", elements=FLAGS, dtype=object),
            col("need", elements=FLAGS, dtype=object),
        ],
        index=rows(min_size=0, max_size=8),
    )
)
def test_man_table_raises_only_crmdataerror(df):
    only_crm_errors(lambda: qualification.man_table(df), promised=False)


@SETTINGS
@given(
    df=frames(
        [
            col("contacts", elements=mixed(st.integers(0, 40), BAD_AMOUNTS), dtype=object),
            col(
                "status",
                elements=mixed(
                    st.sampled_from(["open", "won", "lost"]), st.sampled_from(["Won", " open", "pending", None])
                ),
                dtype=object,
            ),
            col("value", elements=mixed(GOOD_AMOUNTS, BAD_AMOUNTS), dtype=object),
        ],
        index=rows(min_size=0, max_size=8),
    ),
    limit=st.one_of(st.integers(-2, 40), st.sampled_from([2.5, "12", None])),
)
def test_contact_functions_raise_only_crmdataerror(df, limit):
    from crmlib import development

    only_crm_errors(lambda: development.contact_rule(df, limit=limit), promised=False)
    only_crm_errors(lambda: development.contact_limit_tradeoff(df, limits=[1, 5, 12]), promised=False)


RATINGS = mixed(st.integers(1, 5), st.sampled_from([0, 6, 3.5, "4", "", None, np.nan, -1, 1e300]))


@SETTINGS
@given(
    df=frames(
        [
            col("category", elements=mixed(st.sampled_from(["network", "billing"]), BAD_IDS), dtype=object),
            col("indicator", elements=mixed(st.sampled_from(["NW1", "NW2", "BI1"]), BAD_IDS), dtype=object),
            col("importance", elements=RATINGS, dtype=object),
            col("performance", elements=RATINGS, dtype=object),
        ],
        index=rows(min_size=0, max_size=10),
    )
)
def test_survey_functions_raise_only_crmdataerror(df):
    res = only_crm_errors(lambda: satisfaction.satisfaction_index(df), promised=False)
    if res is not None:
        _numeric_finite(res.overall)
    only_crm_errors(lambda: satisfaction.importance_performance(df), promised=["importance", "performance"])
