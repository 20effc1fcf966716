"""The shared input checks: clear CRMDataError naming function, field and rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMDataError, _validate as V


def test_table_checks_type_columns_and_emptiness():
    with pytest.raises(CRMDataError, match="must be a pandas DataFrame, got list"):
        V.table([1, 2], "f", ["a"])
    with pytest.raises(CRMDataError, match="did you mean 'amount'"):
        V.table(pd.DataFrame({"amount": [1]}), "f", ["amout"])
    with pytest.raises(CRMDataError, match="is empty"):
        V.table(pd.DataFrame({"a": []}), "f", ["a"])
    assert len(V.table(pd.DataFrame({"a": []}), "f", ["a"], allow_empty=True)) == 0


def test_numeric_names_rows_and_values():
    s = pd.Series(["1", "1,234.5", "abc", 4.0, None], index=[10, 11, 12, 13, 14])
    with pytest.raises(CRMDataError) as e:
        V.numeric(s, "f", "amount")
    assert e.value.rows == [11, 12] and "'1,234.5'" in str(e.value) and "thousands separators" in str(e.value)
    with pytest.raises(CRMDataError) as e:
        V.numeric(pd.Series([1.0, np.nan, 3.0]), "f", "amount")
    assert e.value.rows == [1] and "missing" in str(e.value)
    with pytest.raises(CRMDataError) as e:
        V.numeric(pd.Series([1.0, -2.0, np.inf]), "f", "amount")
    assert e.value.rows == [2] and "infinite" in str(e.value)
    with pytest.raises(CRMDataError) as e:
        V.numeric(pd.Series([1.0, -2.0]), "f", "amount")
    assert e.value.rows == [1] and "negative" in str(e.value)
    assert V.numeric(pd.Series([1.0, -2.0]), "f", "x", allow_negative=True).tolist() == [1.0, -2.0]
    with pytest.raises(CRMDataError, match="True/False"):
        V.numeric(pd.Series([True, False]), "f", "x")


def test_rows_listed_are_at_most_five_with_a_count():
    with pytest.raises(CRMDataError) as e:
        V.numeric(pd.Series([-1.0] * 12), "f", "x")
    assert e.value.rows == [0, 1, 2, 3, 4] and e.value.n_bad == 12 and "and 7 more" in str(e.value)


def test_dates_and_ids():
    with pytest.raises(CRMDataError) as e:
        V.dates(pd.Series(["2024-01-01", "31/02/2024", "yesterday"]), "f", "date")
    assert e.value.rows == [1, 2]
    with pytest.raises(CRMDataError, match="numbers"):
        V.dates(pd.Series([20240101, 20240102]), "f", "date")
    out = V.dates(pd.Series(["2024-01-01", "2024-03-05"]), "f", "date")
    assert str(out.dtype).startswith("datetime64")
    with pytest.raises(CRMDataError) as e:
        V.ids(pd.Series(["a", None, " ", "b"]), "f", "customer_id")
    assert e.value.rows == [1, 2]


def test_scalars_and_flags():
    assert V.number(0.2, "f", "fraction", 0, 1) == 0.2
    for bad in (1.5, "0.2", True, float("nan"), None):
        with pytest.raises(CRMDataError):
            V.number(bad, "f", "fraction", 0, 1)
    with pytest.raises(CRMDataError):
        V.number(0, "f", "fraction", 0, 1, closed="right")
    with pytest.raises(CRMDataError):
        V.integer(2.0, "f", "bins", 2, 10)
    assert V.flags(pd.Series(["yes", "No", 1, 0, True, "是"]), "f", "need").tolist() == [
        True,
        False,
        True,
        False,
        True,
        True,
    ]
    with pytest.raises(CRMDataError) as e:
        V.flags(pd.Series(["yes", "maybe", 2]), "f", "need")
    assert e.value.rows == [1, 2]
    with pytest.raises(CRMDataError):
        V.increasing([0.9, 0.8], "f", "cuts")


@pytest.mark.parametrize("bad", [5, 2.5, True])
def test_a_bare_number_is_not_a_date(bad):
    from crmlib import datasets

    with pytest.raises(CRMDataError) as e:
        datasets.make_transactions(n_customers=10, start=bad)
    assert "make_transactions" in str(e.value) and "start" in str(e.value) and "number" in str(e.value)
