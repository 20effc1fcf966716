"""Your own CSV files in the encodings Chinese offices produce (编码): UTF-8, UTF-8 with BOM, GBK, GB18030.
``crmlib.datasets.read_csv`` gives the same frame for each, with a named dataset's dtypes and checks."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlib import CRMDataError, datasets

NAMES = ["王永庆", "李娜", "张伟", "陈静", "刘洋", "赵敏", "黄磊", "周杰", "吴芳", "徐强"]
REGIONS = {"North": "华北", "East": "华东", "South": "华南", "West": "西部", "Central": "华中"}
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030"]


@pytest.fixture(scope="module")
def export():
    """A Chinese Excel-like export of transactions: Chinese regions and an extra column of names."""
    tx = datasets.make_transactions(n_customers=25, seed=11)
    tx["region"] = tx["region"].map(REGIONS)
    ids = sorted(tx["customer_id"].unique())
    tx["客户姓名"] = tx["customer_id"].map({c: NAMES[i % len(NAMES)] for i, c in enumerate(ids)})
    return tx


def _write(tmp_path, df, encoding, name=None):
    path = tmp_path / (name or f"export_{encoding}.csv")
    text = df.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d")
    path.write_bytes(text.encode(encoding))
    return path


def test_every_encoding_gives_the_same_typed_frame(tmp_path, export):
    frames = {enc: datasets.read_csv(_write(tmp_path, export, enc), kind="retail_transactions") for enc in ENCODINGS}
    first = frames["utf-8"]
    for enc, df in frames.items():
        pd.testing.assert_frame_equal(df, first, obj=enc)
    assert first.columns.tolist() == list(datasets.load_dataset("retail_transactions").columns) + ["客户姓名"]
    assert str(first["date"].dtype) == "datetime64[ns]" and str(first["amount"].dtype) == "float64"
    assert set(first["region"]) <= set(REGIONS.values()) and "王永庆" in set(first["客户姓名"])
    # the same dtypes as the bundled dataset, the same values as what was written
    bundled = datasets.load_dataset("retail_transactions")
    assert first.dtypes.drop("客户姓名").equals(bundled.dtypes)
    pd.testing.assert_series_equal(first["amount"], export["amount"].round(2), check_exact=False)


def test_an_explicit_encoding_and_untyped_reading(tmp_path, export):
    gbk = _write(tmp_path, export, "gbk")
    a = datasets.read_csv(gbk, kind="retail_transactions", encoding="gbk")
    b = datasets.read_csv(gbk, kind="retail_transactions")
    pd.testing.assert_frame_equal(a, b)
    raw = {enc: datasets.read_csv(_write(tmp_path, export, enc)) for enc in ENCODINGS}
    for enc, df in raw.items():
        pd.testing.assert_frame_equal(df, raw["utf-8"], obj=enc)
    assert raw["utf-8-sig"].columns[0] == "transaction_id"  # the BOM is not glued to the first header
    assert str(raw["gbk"]["amount"].dtype) == "float64"


def test_latin1_garbage_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "kunden_latin1.csv"
    path.write_bytes("customer_id,name\nC1,José\nC2,Müller André\n".encode("latin-1"))
    with pytest.raises(CRMDataError) as e:
        datasets.read_csv(path)
    msg = str(e.value)
    assert "kunden_latin1.csv" in msg and "read_csv" in msg and "byte" in msg


def test_a_bad_cell_in_a_gbk_file_is_named_by_row(tmp_path, export):
    bad = export.head(6).copy()
    bad["amount"] = bad["amount"].astype(object)
    bad.loc[bad.index[3], "amount"] = "十二元"
    with pytest.raises(CRMDataError) as e:
        datasets.read_csv(_write(tmp_path, bad, "gbk", "bad.csv"), kind="retail_transactions")
    assert "amount" in str(e.value) and "3" in str(e.value)


def test_missing_columns_and_unknown_kind(tmp_path, export):
    path = _write(tmp_path, export.drop(columns=["margin"]), "gb18030", "no_margin.csv")
    with pytest.raises(CRMDataError) as e:
        datasets.read_csv(path, kind="retail_transactions")
    assert "margin" in str(e.value)
    with pytest.raises(CRMDataError) as e:
        datasets.read_csv(path, kind="transactions")
    assert "kind" in str(e.value) and "retail_transactions" in str(e.value)
    with pytest.raises(CRMDataError):
        datasets.read_csv(tmp_path / "does_not_exist.csv")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_class_roster_from_chinese_excel_reads_the_same(tmp_path, encoding):
    """crmlib assign --roster: a roster with Chinese names in any of the four encodings."""
    from crmlib import instructor
    from crmlib.params import SPECS

    path = tmp_path / f"roster_{encoding}.csv"
    path.write_bytes("student_id,name\r\ns001,王永庆\r\ns002, 李娜\r\n".encode(encoding))
    df = instructor._read_roster(path, SPECS["01_identification"])[0]
    assert df["student_id"].tolist() == ["s001", "s002"] and df["name"].tolist() == ["王永庆", "李娜"]
