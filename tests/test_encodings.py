"""Your own CSV files in the encodings Chinese offices produce (编码): UTF-8, UTF-8 with BOM, GBK, GB18030.
``crmlib.datasets.read_csv`` gives the same frame for each, with a named dataset's dtypes and checks."""

from __future__ import annotations

import io

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


# ---- files in other encodings: refused by "auto" (never decoded as GB18030 into wrong characters),
# read when their encoding is named. Real byte strings, short files included (where detectors guess).
FOREIGN = [
    # (text, codec that wrote it, the encoding= to name, the hint the refusal gives or None)
    ("customer_id,name\nC1,Müller\nC2,Straße\n", "cp1252", "cp1252", "encoding='cp1252'"),
    ("customer_id,name\nC1,Müller\n", "cp1252", "windows-1252", "encoding='cp1252'"),
    ("customer_id,name\nC1,台灣商行\n", "big5", "big5", "encoding='big5'"),
    ("客戶編號,名稱\n" + "".join(f"T{i},台灣商行有限公司\n" for i in range(30)), "cp950", "big5", "encoding='big5'"),
    ("customer_id,name\nC1,山田商店\n", "shift_jis", "shift_jis", None),
    ("customer_id,name\nC1,東京\n", "cp932", "sjis", None),  # the detector calls these bytes GB18030
    ("customer_id,name\nC1,ヤマダ電機\n", "shift_jis", "shift_jis", None),
]


@pytest.mark.parametrize(("text", "codec", "name", "hint"), FOREIGN)
def test_a_file_in_another_encoding_is_refused_then_read_when_named(tmp_path, text, codec, name, hint):
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(codec))
    with pytest.raises(CRMDataError) as e:
        datasets.read_csv(path)
    msg = str(e.value)
    assert e.value.func == "read_csv" and e.value.field == "encoding", msg
    assert "export.csv" in msg and "tried utf-8, gb18030" in msg and "encoding=" in msg, msg
    assert hint is None or hint in msg, msg
    df = datasets.read_csv(path, encoding=name)
    expected = pd.read_csv(io.StringIO(text), dtype=str)
    assert df.astype(str).values.tolist() == expected.values.tolist() and df.columns.tolist() == list(expected)
    assert df.attrs["encoding"] == {"windows-1252": "cp1252", "sjis": "shift_jis"}.get(name, name)


def test_what_gb18030_would_make_of_them_is_never_returned():
    """The mojibake GB18030 makes of these bytes, had it been used (what crmlib 0.x stored)."""
    from crmlib import _io

    assert "Müller".encode("cp1252").decode("gb18030") == "M黮ler"
    assert "台灣商行".encode("big5").decode("gb18030") == "\ue67e芖坝︽"
    assert "東京".encode("shift_jis").decode("gb18030") == "搶嫗"
    for text, codec in [("Müller", "cp1252"), ("台灣商行", "big5"), ("東京", "shift_jis")]:
        with pytest.raises(CRMDataError, match="would not be Chinese"):
            _io.decode(f"id,name\n1,{text}\n".encode(codec))


@pytest.mark.parametrize(
    "names",
    [
        ["网站"],  # two characters: charset-normalizer calls these bytes Big5
        ["朱镕基"],  # 镕 is outside GB2312 (GBK only): the detector says Big5 again
        ["王永庆", "李娜", "嘉义米店"],
        ["喆", "淼", "昇", "镕", "王永庆"] * 6,  # rarer name characters, enough of them for the detector
    ],
)
def test_short_and_rare_gbk_files_still_read_as_gbk(tmp_path, names):
    text = "客户编号,姓名\r\n" + "".join(f"C{i},{n}\r\n" for i, n in enumerate(names))
    for codec in ("gbk", "gb18030"):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(text.encode(codec))
        df = datasets.read_csv(path)
        assert df["姓名"].tolist() == names and df.attrs["encoding"] == "gb18030"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_encoding_used_is_on_the_result(tmp_path, export, encoding):
    expected = {"gbk": "gb18030"}.get(encoding, encoding)
    path = _write(tmp_path, export.head(5), encoding)
    assert datasets.read_csv(path, kind="retail_transactions").attrs["encoding"] == expected
    assert datasets.read_csv(path).attrs["encoding"] == expected


def test_the_archive_imports_through_the_same_decoding(tmp_path):
    from crmlib.records import Archive

    arc = Archive(":memory:")
    big5 = tmp_path / "tw.csv"
    big5.write_bytes("customer_id,name\nT1,台灣商行\n".encode("big5"))
    with pytest.raises(CRMDataError) as e:
        arc.import_csv("customers", big5)
    assert e.value.func == "import_csv" and "encoding='big5'" in str(e.value)
    assert arc.counts()["customers"] == 0  # nothing stored, least of all 芖坝
    assert arc.import_csv("customers", big5, encoding="big5") == 1
    assert arc.to_frames()["customers"].loc["T1", "name"] == "台灣商行"


def test_a_roster_in_big5_is_refused_not_garbled(tmp_path):
    """crmlib assign --roster: 陳美玲 in Big5 would become 朝 and private-use characters in GB18030."""
    from crmlib import instructor
    from crmlib.params import SPECS

    path = tmp_path / "roster_big5.csv"
    path.write_bytes("student_id,name\r\ns001,陳美玲\r\ns002,林志明\r\n".encode("big5"))
    with pytest.raises(CRMDataError) as e:
        instructor._read_roster(path, SPECS["01_identification"])
    assert e.value.field == "encoding" and "save it as UTF-8" in str(e.value) and "roster_big5.csv" in str(e.value)
