"""The customer archive (crmlib.records): linked tables, foreign keys, migrations, all-or-nothing imports
in any encoding, parameterised SQL, history, frames, the card and its search widget, reminders after the
rice shop, and a kill -9 in the middle of an import."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _support import expect_error
from crmlib import CRMDataError, CRMDataWarning, datasets as D, records as R
from crmlib.records import Archive

INJECTION = "Robert'); DROP TABLE customers;--"


def small_archive(path=":memory:") -> Archive:
    """Three customers with hand-countable records."""
    arc = Archive(path)
    arc.add(
        "customers",
        pd.DataFrame(
            {
                "customer_id": ["K1", "K2", "K3"],
                "name": ["王记米店", "Li Trading", "Zhao Mill"],
                "grade": ["A", "B", "C"],
                "owner": ["Zhao", "Qian", None],
                "created_by": ["Zhao", "Qian", "Sun"],
                "contact_person": ["王永庆", "Li Na", "Zhao Bo"],
                "birthday": ["1980-01-03", "1975-06-30", None],
            }
        ),
    )
    arc.add(
        "purchases",
        pd.DataFrame(
            {
                "customer_id": ["K1", "K1", "K1", "K2", "K2", "K3"],
                "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-01-01", "2025-02-01", "2025-01-05"],
                "amount": [10.0, 10.0, 10.0, 20.0, 20.0, 7.5],
                "ref": ["P1", "P2", "P3", "P4", "P5", None],
            }
        ),
    )
    arc.add(
        "follow_ups",
        pd.DataFrame(
            {
                "customer_id": ["K1", "K1", "K2"],
                "date": ["2025-01-10", "2025-02-12", "2025-01-20"],
                "channel": ["visit", "phone", "email"],
                "by": ["Zhao", "Zhao", "Qian"],
                "summary": ["first visit", "asked about new rice", "price list"],
            }
        ),
    )
    arc.add(
        "complaints",
        pd.DataFrame({"customer_id": ["K2"], "date": ["2025-01-25"], "cause": ["late delivery"], "satisfied": [True]}),
    )
    return arc


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- tables and keys
def test_counts_and_hand_computed_card():
    arc = small_archive()
    assert arc.counts() == {"customers": 3, "follow_ups": 3, "purchases": 6, "complaints": 1, "history": 0}
    card = arc.customer_card("K1")
    assert card.fields["name"] == "王记米店" and card.fields["grade"] == "A"
    assert card.summary == {
        "grade": "A key",
        "n_purchases": 3,
        "revenue": 30.0,
        "last_purchase": "2025-02-10",
        "mean_gap_days": 20.0,
        "last_follow_up": "2025-02-12",
        "n_complaints": 0,
    }
    assert card.follow_ups["date"].tolist() == ["2025-02-12", "2025-01-10"]  # latest first
    assert card.purchases["date"].tolist() == ["2025-02-10", "2025-01-21", "2025-01-01"]
    assert arc.customer_card("K1", n_follow_ups=1).follow_ups["summary"].tolist() == ["asked about new rice"]
    k2 = arc.customer_card("K2")
    assert k2.summary["n_complaints"] == 1 and k2.complaints["satisfied"].tolist() == [1]
    assert arc.customer_card(" K3 ").summary["mean_gap_days"] is None  # one purchase only


def test_card_frame_dict_html_and_chinese_labels():
    arc = small_archive()
    frame = arc.customer_card("K1").to_frame()
    assert frame.index.tolist() == R.CARD_FIELDS
    assert frame.loc["decision_maker", "label"] == "decision maker" and frame.loc["grade", "value"] == "A key"
    assert set(frame["group"]) == {"basic data", "customer characteristics", "business status", "transaction status"}
    zh = arc.customer_card("K1", lang="zh")
    zf = zh.to_frame()
    assert zf.loc["decision_maker", "label"] == "购买决策人" and zf.loc["grade", "value"] == "A 关键客户"
    assert set(zf["group"]) == {"基础资料", "客户特征", "业务状况", "交易现状"}
    page = zh._repr_html_()
    assert "客户卡" in page and "王记米店" in page and "最近跟进记录" in page
    d = arc.customer_card("K2").to_dict()
    assert (
        d["fields"]["owner"] == "Qian" and len(d["purchases"]) == 2 and d["complaints"][0]["cause"] == "late delivery"
    )


def test_foreign_keys_are_enforced_by_the_database_itself():
    arc = small_archive()
    assert arc._con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        arc._con.execute("INSERT INTO purchases (customer_id, date, amount) VALUES ('NOPE', '2025-01-01', 1)")
    # and any IntegrityError inside a transaction becomes a CRMDataError, rolled back
    with pytest.raises(CRMDataError) as e:
        with arc._transaction("demo") as con:
            con.execute("INSERT INTO follow_ups (customer_id, date) VALUES ('K1', '2025-03-01')")
            con.execute("INSERT INTO follow_ups (customer_id, date) VALUES ('NOPE', '2025-03-01')")
    assert e.value.func == "demo" and e.value.field == "customer_id"
    assert arc.counts()["follow_ups"] == 3
    with pytest.raises(sqlite3.IntegrityError):  # a customer with records cannot vanish
        arc._con.execute("DELETE FROM customers WHERE customer_id = 'K1'")
    assert arc.integrity_check() == "ok"


def test_unknown_customer_in_linked_tables_names_the_rows():
    arc = small_archive()
    fu = pd.DataFrame({"customer_id": ["K1", "K9", "K2", "K8"], "date": ["2025-03-01"] * 4})
    expect_error(lambda: arc.add("follow_ups", fu), "add", "customer_id", rows=[1, 3], contains=("'K9'", "foreign key"))
    assert arc.counts()["follow_ups"] == 3


def test_schema_lists_the_links():
    s = Archive(":memory:").schema()
    links = s[s["links_to"] != ""]
    assert set(links["links_to"]) == {"customers.customer_id"}
    assert links.index.tolist() == [(t, "customer_id") for t in ["follow_ups", "purchases", "complaints", "history"]]
    assert s.loc[("customers", "customer_id"), "key"] == "primary key"
    zh = Archive(":memory:", lang="zh").schema()
    assert zh.loc[("customers", "name"), "label"] == "客户名称"
    assert zh.loc[("customers", "customer_id"), "key"] == "主键" and zh.loc[("customers", "name"), "key"] == "必填"


# ----------------------------------------------------------------------------- migrations
def _v1_file(path: Path) -> None:
    con = sqlite3.connect(path)
    for stmt in R.MIGRATIONS[1]:
        con.execute(stmt)
    con.execute(
        "INSERT INTO customers (customer_id, name, grade, created_by, created_on) "
        "VALUES ('K1', '老客户', 'B', 'Sun', '2019-05-01')"
    )
    con.execute("INSERT INTO purchases (customer_id, date, amount) VALUES ('K1', '2020-01-01', 12.5)")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


def test_an_empty_v0_file_is_created_at_the_current_version(tmp_path):
    p = tmp_path / "v0.db"
    sqlite3.connect(p).close()  # an empty database, user_version 0
    with Archive(p) as arc:
        assert arc.version == R.SCHEMA_VERSION == 3
        assert arc.counts() == {t: 0 for t in R.TABLES}
    with Archive(p) as arc:  # reopening migrates nothing twice
        assert arc.version == 3


def test_a_v1_file_is_migrated_and_keeps_its_data(tmp_path):
    p = tmp_path / "v1.db"
    _v1_file(p)
    with Archive(p) as arc:
        assert arc.version == 3
        card = arc.customer_card("K1")
        assert card.fields["name"] == "老客户" and card.fields["owner"] == "Sun"  # owner taken from the card's creator
        assert card.summary["revenue"] == 12.5
        arc.update_customer("K1", {"birthday": "1970-02-01"}, by="Sun", when="2024-01-01")
        assert len(arc.history("K1")) == 1  # the v2 history table exists
        assert arc.integrity_check() == "ok"
    with contextlib.closing(sqlite3.connect(p)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 3


def test_files_that_are_not_archives_are_refused(tmp_path):
    newer = tmp_path / "newer.db"
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.close()
    expect_error(lambda: Archive(newer), "Archive", "path", contains=("version 99", "newer"))
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE stock (item TEXT)")
    con.close()
    expect_error(lambda: Archive(other), "Archive", "path", contains=("stock", "not a crmlib archive"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    expect_error(lambda: Archive(junk), "Archive", "path", contains=("cannot be opened",))
    expect_error(lambda: Archive(tmp_path / "no" / "such" / "dir.db"), "Archive", "path")
    expect_error(lambda: Archive(tmp_path), "Archive", "path", contains=("folder",))
    expect_error(lambda: Archive(42), "Archive", "path")


# ----------------------------------------------------------------------------- imports: all or nothing
def _purchase_lines(n: int, bad_line: int | None = None, bad: str = "abc", field: str = "amount") -> str:
    lines = ["customer_id,date,amount"]
    for i in range(n):
        cid, date, amount = ["K1", "K2", "K3"][i % 3], f"2025-03-{1 + i % 28:02d}", f"{5 + i % 7}.50"
        line_no = i + 2  # the header is line 1
        if line_no == bad_line:
            cid, date, amount = {
                "amount": (cid, date, bad),
                "date": (cid, bad, amount),
                "customer_id": (bad, date, amount),
            }[field]
        lines.append(f"{cid},{date},{amount}")
    return "\n".join(lines) + "\n"


def test_bad_row_57_aborts_the_whole_file(tmp_path):
    arc = small_archive()
    before = arc.counts()
    p = write_csv(tmp_path / "purchases.csv", _purchase_lines(120, bad_line=57))
    expect_error(lambda: arc.import_csv("purchases", p), "import_csv", "amount", rows=[57], contains=("'abc'",))
    assert arc.counts() == before
    good = write_csv(tmp_path / "good.csv", _purchase_lines(120))
    assert arc.import_csv("purchases", good) == 120
    assert arc.counts()["purchases"] == before["purchases"] + 120


@pytest.mark.parametrize(
    "field, bad, problem",
    [
        ("amount", "-3", "must not be negative"),
        ("amount", "", "missing values"),
        ("date", "2025-13-45", "cannot be parsed"),
        ("date", "", "missing dates"),
        ("customer_id", "", "missing or empty identifiers"),
        ("customer_id", "K99", "not in the archive"),
    ],
)
def test_each_kind_of_bad_cell_names_row_and_field(tmp_path, field, bad, problem):
    arc = small_archive()
    before = arc.counts()
    p = write_csv(tmp_path / "p.csv", _purchase_lines(80, bad_line=40, bad=bad, field=field))
    expect_error(lambda: arc.import_csv("purchases", p), "import_csv", field, rows=[40], contains=(problem,))
    assert arc.counts() == before


def test_bad_files_and_tables(tmp_path):
    arc = small_archive()
    before = arc.counts()
    missing = write_csv(tmp_path / "m.csv", "customer_id,date\nK1,2025-01-01\n")
    expect_error(lambda: arc.import_csv("purchases", missing), "import_csv", "amount", contains=("missing column",))
    extra = write_csv(tmp_path / "x.csv", "customer_id,date,amount,colour\nK1,2025-01-01,3,red\n")
    expect_error(lambda: arc.import_csv("purchases", extra), "import_csv", "colour", contains=("not a column",))
    expect_error(lambda: arc.import_csv("orders", extra), "import_csv", "table", contains=("unknown table",))
    expect_error(lambda: arc.import_csv("history", extra), "import_csv", "table")
    empty = write_csv(tmp_path / "e.csv", "customer_id,date,amount\n")
    expect_error(lambda: arc.import_csv("purchases", empty), "import_csv", "path", contains=("no data rows",))
    expect_error(lambda: arc.import_csv("purchases", tmp_path / "none.csv"), "import_csv", "path")
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(b"customer_id,name\nK7,\xff\xfe\xfa\n")
    expect_error(lambda: arc.import_csv("customers", garbage), "import_csv", "encoding")
    m = write_csv(tmp_path / "map.csv", "acct,day,value\nK1,2025-01-01,3\n")
    expect_error(
        lambda: arc.import_csv("purchases", m, columns={"acct": "customer_id", "when": "date"}), "import_csv", "when"
    )
    expect_error(lambda: arc.add("purchases", [1, 2]), "add", "purchases")
    expect_error(
        lambda: arc.add("customers", pd.DataFrame({"customer_id": ["K5"], "name": [["a", "list"]]})),
        "add",
        "name",
        rows=[0],
        contains=("list",),
    )
    expect_error(
        lambda: arc.add("customers", pd.DataFrame({"customer_id": ["K5"], "name": ["x"], "grade": ["Z"]})),
        "add",
        "grade",
        rows=[0],
    )
    expect_error(
        lambda: arc.add("customers", pd.DataFrame({"customer_id": ["K5", "K6"], "name": ["x", " "]})),
        "add",
        "name",
        rows=[1],
        contains=("must not be empty",),
    )
    expect_error(
        lambda: arc.add("customers", pd.DataFrame({"customer_id": [True], "name": ["x"]})), "add", "customer_id"
    )
    expect_error(lambda: arc.import_csv("purchases", 123), "import_csv", "path")
    expect_error(lambda: arc.customer_card(7), "customer_card", "customer_id")
    expect_error(lambda: arc.customer_card("K1", n_follow_ups=-1), "customer_card", "n_follow_ups")
    expect_error(lambda: arc.birthdays(None), "birthdays", "as_of")
    expect_error(lambda: arc.history("K404"), "history", "customer_id")
    assert arc.counts() == before


def test_duplicate_customer_ids_in_the_file_and_in_the_archive(tmp_path):
    arc = small_archive()
    dup = write_csv(tmp_path / "d.csv", "customer_id,name\nK7,a\nK8,b\nK7,c\n")
    expect_error(lambda: arc.import_csv("customers", dup), "import_csv", "customer_id", rows=[2, 4])
    again = write_csv(tmp_path / "a.csv", "customer_id,name\nK7,a\nK2,b\n")
    expect_error(
        lambda: arc.import_csv("customers", again),
        "import_csv",
        "customer_id",
        rows=[3],
        contains=("already in the archive",),
    )
    refs = pd.DataFrame({"customer_id": ["K1"], "date": ["2025-05-01"], "amount": [1.0], "ref": ["P2"]})
    expect_error(lambda: arc.add("purchases", refs), "add", "ref", rows=[0])
    assert arc.counts()["customers"] == 3


def test_columns_mapping_reads_the_committed_invoices():
    from crmlib.datasets import dataset_path, load_dataset

    arc = Archive(":memory:")
    inv = load_dataset("invoices")
    arc.add("customers", pd.DataFrame({"customer_id": sorted(inv["account_id"].unique()), "name": "x"}))
    n = arc.import_csv(
        "purchases",
        dataset_path("invoices"),
        columns={"invoice_id": "ref", "account_id": "customer_id", "issue_date": "date", "amount": "amount"},
    )
    pu = arc.to_frames()["purchases"]
    assert n == len(inv) == len(pu)
    assert pu["amount"].sum() == pytest.approx(inv["amount"].sum())
    assert (pu["date"].to_numpy() == inv["issue_date"].to_numpy()).all() and pu["ref"].tolist() == inv[
        "invoice_id"
    ].tolist()


# ----------------------------------------------------------------------------- encodings
CARDS_ZH = (
    "customer_id,name,contact_person,address,grade\nC1,王永庆米店,王永庆,台湾嘉义市中正路1号,A\n"
    'C2,杭州华联商厦,李娜,杭州市解放路,B major\nC3,Plain Co,Bob,"Main St, 1",c\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_utf8_bom_and_gbk_files_read_back_identically(tmp_path, encoding):
    p = write_csv(tmp_path / f"cards-{encoding}.csv", CARDS_ZH, encoding)
    arc = Archive(":memory:")
    assert arc.import_csv("customers", p) == 3
    c = arc.to_frames()["customers"]
    assert c.index.tolist() == ["C1", "C2", "C3"]  # no BOM glued to the first column name
    assert c["name"].tolist() == ["王永庆米店", "杭州华联商厦", "Plain Co"]
    assert c["address"].tolist() == ["台湾嘉义市中正路1号", "杭州市解放路", "Main St, 1"]
    assert c["grade"].tolist() == ["A", "B", "C"]  # keys, labels and any case
    assert arc.search("华联").index.tolist() == ["C2"]


def test_explicit_encoding_is_checked(tmp_path):
    p = write_csv(tmp_path / "gbk.csv", CARDS_ZH, "gbk")
    arc = Archive(":memory:")
    expect_error(lambda: arc.import_csv("customers", p, encoding="utf-8"), "import_csv", "encoding")
    expect_error(lambda: arc.import_csv("customers", p, encoding="latin-9"), "import_csv", "encoding")
    assert arc.import_csv("customers", p, encoding="gbk") == 3


# ----------------------------------------------------------------------------- SQL injection
def test_injection_is_stored_literally_everywhere(tmp_path):
    arc = small_archive()
    arc.add("customers", pd.DataFrame({"customer_id": ["X1"], "name": [INJECTION]}))
    p = write_csv(tmp_path / "evil.csv", f'customer_id,name\n"X2\'--","{INJECTION}"\n')
    arc.import_csv("customers", p)
    arc.update_customer("K2", {"notes": INJECTION}, by=INJECTION, when="2025-03-01")
    assert arc.customer_card("X1").fields["name"] == INJECTION
    assert arc.customer_card("X2'--").fields["name"] == INJECTION
    assert arc.customer_card("K2").fields["notes"] == INJECTION and arc.history("K2")["changed_by"].tolist() == [
        INJECTION
    ]
    assert arc.search(INJECTION).index.tolist() == ["X1", "X2'--"]
    assert arc.search("'; DROP TABLE customers; --").empty
    assert arc.counts()["customers"] == 5 and arc.integrity_check() == "ok"
    assert "&#x27;); DROP TABLE" in arc.customer_card("X1")._repr_html_()  # escaped in HTML as well


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(TEXT.filter(lambda t: t.strip() != ""), min_size=1, max_size=6),
    notes=st.lists(TEXT, min_size=6, max_size=6),
)
def test_any_text_is_stored_and_read_back_literally(names, notes):
    """Property: whatever the characters (quotes, semicolons, SQL, emoji, CJK), a card's text comes back as given."""
    arc = Archive(":memory:")
    ids = [f"K{i}" for i in range(len(names))]
    arc.add("customers", pd.DataFrame({"customer_id": ids, "name": names, "notes": notes[: len(names)]}))
    c = arc.to_frames()["customers"]
    assert c["name"].tolist() == names and c["notes"].tolist() == notes[: len(names)]
    k = arc.customer_card(ids[-1])
    assert k.fields["name"] == names[-1]
    arc.update_customer(ids[0], {"name": notes[0] if notes[0].strip() else "x"}, by=names[0], when="2025-01-01")
    assert arc.history(ids[0])["changed_by"].tolist() in ([names[0].strip()], [])  # who: trimmed
    assert arc.counts()["customers"] == len(names) and arc.integrity_check() == "ok"


@settings(max_examples=40, deadline=None)
@given(amounts=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=2, max_size=30), bad=st.integers(0, 29))
def test_one_bad_amount_anywhere_leaves_the_archive_unchanged(amounts, bad):
    """Property: all or nothing — a single bad amount at any position refuses the whole batch."""
    arc = small_archive()
    before = arc.to_frames()["purchases"]
    bad = bad % len(amounts)
    values = [str(a) for a in amounts]
    values[bad] = "-1"
    df = pd.DataFrame({"customer_id": "K1", "date": "2025-06-01", "amount": values})
    expect_error(lambda: arc.add("purchases", df), "add", "amount", rows=[bad])
    pd.testing.assert_frame_equal(arc.to_frames()["purchases"], before)


def test_search_treats_wildcards_as_text():
    arc = Archive(":memory:")
    arc.add("customers", pd.DataFrame({"customer_id": ["A1", "A2", "A3"], "name": ["100% rice", "rice_shop", "rice"]}))
    assert arc.search("%").index.tolist() == ["A1"]
    assert arc.search("_").index.tolist() == ["A2"]
    assert arc.search("a2").index.tolist() == ["A2"]  # case-insensitive number
    assert arc.search("RICE").index.tolist() == ["A1", "A2", "A3"]
    assert arc.search("rice", limit=1).index.tolist() == ["A1"]
    expect_error(lambda: arc.search(3), "search", "query")


# ----------------------------------------------------------------------------- dynamic management
def test_update_keeps_one_history_row_per_real_change():
    arc = small_archive()
    out = arc.update_customer(
        "K3", {"grade": "B", "owner": "Sun", "name": "Zhao Mill"}, by="manager", when="2025-03-01 10:00"
    )
    assert out[["field", "old_value", "new_value"]].values.tolist() == [["grade", "C", "B"], ["owner", None, "Sun"]]
    arc.update_customer("K3", {"owner": "Zhou"}, by="Sun", when="2025-04-01")
    assert arc.update_customer("K3", {"owner": "Zhou"}, by="Sun", when="2025-04-02").empty  # nothing changed
    h = arc.history("K3")
    assert h[["field", "old_value", "new_value", "changed_by", "changed_at"]].values.tolist() == [
        ["grade", "C", "B", "manager", "2025-03-01 10:00:00"],
        ["owner", None, "Sun", "manager", "2025-03-01 10:00:00"],
        ["owner", "Sun", "Zhou", "Sun", "2025-04-01 00:00:00"],
    ]
    card = arc.customer_card("K3")
    assert card.fields["owner"] == "Zhou" and card.fields["grade"] == "B" and len(card.history) == 3
    assert len(arc.history()) == 3


def test_update_refuses_bad_changes():
    arc = small_archive()
    expect_error(lambda: arc.update_customer("K9", {"owner": "x"}, by="a"), "update_customer", "customer_id")
    expect_error(
        lambda: arc.update_customer("K1", {"customer_id": "K7"}, by="a"),
        "update_customer",
        "customer_id",
        contains=("can be changed",),
    )
    expect_error(lambda: arc.update_customer("K1", {"colour": "red"}, by="a"), "update_customer", "colour")
    expect_error(lambda: arc.update_customer("K1", {}, by="a"), "update_customer", "changes")
    expect_error(lambda: arc.update_customer("K1", {"owner": "x"}, by=" "), "update_customer", "by")
    expect_error(lambda: arc.update_customer("K1", {"grade": "VIP"}, by="a"), "update_customer", "grade")
    expect_error(lambda: arc.update_customer("K1", {"birthday": "someday"}, by="a"), "update_customer", "birthday")
    expect_error(lambda: arc.update_customer("K1", {"owner": "x"}, by="a", when="soon"), "update_customer", "when")
    assert arc.counts()["history"] == 0 and arc.customer_card("K1").fields["owner"] == "Zhao"


def test_changes_survive_reopening(tmp_path):
    p = tmp_path / "a.db"
    small_archive(p).close()
    with Archive(p) as arc:
        arc.update_customer("K1", {"phone": "0571-1234"}, by="Zhao", when="2025-02-01")
    with Archive(p) as arc:
        assert arc.customer_card("K1").fields["phone"] == "0571-1234" and len(arc.history("K1")) == 1


# ----------------------------------------------------------------------------- frames for the other chapters
def test_to_frames_types_and_round_trip():
    arc = small_archive()
    f = arc.to_frames()
    assert list(f) == R.TABLES
    c, pu, fu, co = f["customers"], f["purchases"], f["follow_ups"], f["complaints"]
    assert c.index.name == "customer_id" and c.index.tolist() == ["K1", "K2", "K3"]
    assert str(c["birthday"].dtype) == "datetime64[ns]" and pd.isna(c.loc["K3", "birthday"])
    assert str(pu["date"].dtype) == "datetime64[ns]" and pu["amount"].dtype == "float64"
    assert pu.index.name == "purchase_id" and pu["amount"].sum() == 77.5
    assert fu.groupby("customer_id").size().to_dict() == {"K1": 2, "K2": 1}
    assert co["satisfied"].tolist() == [True]
    # the frames feed chapter 1's functions directly
    from crmlib.segmentation import rfm_table

    rfm = rfm_table(pu, as_of="2025-02-28")
    assert rfm.loc["K1", "frequency"] == 3 and rfm.loc["K2", "monetary"] == 40.0


def test_contact_intensity_and_owner_book_hand_computed():
    f = small_archive().to_frames()
    ci = R.contact_intensity(f, as_of="2025-03-01", lang="en")
    assert ci["customers"].tolist() == [1, 1, 1]
    assert ci["follow_ups_per_customer"].tolist() == [2.0, 1.0, 0.0]
    assert ci.loc["A key", "days_since_last_contact"] == 17 and ci.loc["B major", "days_since_last_contact"] == 40
    assert ci["revenue_share"].round(4).tolist() == [round(30 / 77.5, 4), round(40 / 77.5, 4), round(7.5 / 77.5, 4)]
    ob = R.owner_book(f, lang="zh")
    assert ob.index.tolist() == ["Qian", "Zhao", "—"] and ob["total"].tolist() == [1, 1, 1]
    assert list(ob.columns) == ["A 关键客户", "B 主要客户", "C 普通客户", "total"]
    expect_error(lambda: R.contact_intensity({"customers": f["customers"]}), "contact_intensity", "frames")
    expect_error(lambda: R.owner_book([]), "owner_book", "frames")


# ----------------------------------------------------------------------------- reminders and birthdays
def test_reminders_share_the_purchase_cycle_with_the_rice_shop():
    from crmlib.casework import rice_run_out

    arc = small_archive()
    rem = arc.reminders(as_of="2025-02-20", horizon_days=14, lead_days=2)
    # K1: 20 spent over 40 days → 0.5 a day, last 10 lasts 20 days → 2025-03-02; K2: 20 over 31 days → 31 days;
    # K3 bought once: the median rate of the others, (0.5 + 20/31) / 2, makes its 7.5 last 13.1 days → overdue
    assert rem.index.tolist() == ["K3", "K1", "K2"]
    assert rem["expected_next"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-18", "2025-03-02", "2025-03-04"]
    assert rem["contact_on"].dt.strftime("%Y-%m-%d").tolist() == ["2025-02-20", "2025-02-28", "2025-03-02"]
    assert rem["overdue_days"].tolist() == [33, 0, 0]
    assert rem["cycle_days"].tolist() == [13.1, 20.0, 31.0] and rem["owner"].tolist()[1:] == ["Zhao", "Qian"]
    assert rem["estimated"].tolist() == [True, False, False]
    # the same dates from the general forecast, and from the rice shop's function that calls it
    fc = R.purchase_cycle(arc.to_frames()["purchases"], as_of="2025-02-20")
    assert (fc.loc[rem.index, "next_purchase"].to_numpy() == rem["expected_next"].to_numpy()).all()
    p = arc.to_frames()["purchases"].assign(one=1)
    fc = rice_run_out(p, as_of="2025-02-20", household_col="customer_id", size_col="one", kg_col="amount")
    assert (fc.loc[rem.index, "run_out"].to_numpy() == rem["expected_next"].to_numpy()).all()
    # K3 bought once: its cycle is estimated from the others (median rate); a long horizon lists it as overdue
    far = arc.reminders(as_of="2025-04-30", horizon_days=7, lead_days=0)
    assert far.loc["K3", "estimated"] and far["overdue_days"].gt(0).all()
    assert far["contact_on"].eq(pd.Timestamp("2025-04-30")).all()
    # purchases after as_of are not used
    early = arc.reminders(as_of="2025-01-25", horizon_days=30)
    assert early.loc["K1", "purchases"] == 2


def test_reminder_summary_by_hand():
    arc = small_archive()
    rem = arc.reminders(as_of="2025-02-20", horizon_days=14, lead_days=2)
    # on the list (see above): K3 (grade C, 33 days overdue), K1 (A, not yet due), K2 (B, not yet due)
    out = R.reminder_summary(rem, lang="en")
    assert out.index.tolist() == ["A key", "B major", "C ordinary"] and out.index.name == "grade"
    assert out["customers"].tolist() == [1, 1, 1] and out["overdue"].tolist() == [0, 0, 1]
    zh = R.reminder_summary(rem, lang="zh")  # the English grades of the list, relabelled
    assert zh.index.tolist() == ["A 关键客户", "B 主要客户", "C 普通客户"] and zh["overdue"].tolist() == [0, 0, 1]
    # a hand-made list: letters, a grade nobody has, a customer without a grade (not counted)
    due = pd.DataFrame({"grade": ["A", "a", None, "A 关键客户"], "overdue_days": [5, 0, 9, 1]})
    assert R.reminder_summary(due, lang="en").to_numpy().tolist() == [[3, 2], [0, 0], [0, 0]]
    empty = R.reminder_summary(rem.iloc[:0], lang="en")  # nobody due: zeros
    assert empty.to_numpy().tolist() == [[0, 0]] * 3 and empty.dtypes.eq("int64").all()
    expect_error(lambda: R.reminder_summary(due.assign(grade=["A", "E", "B", "C"])), "reminder_summary", "grade", [1])
    expect_error(lambda: R.reminder_summary(due.drop(columns="overdue_days")), "reminder_summary", "overdue_days")


def test_purchase_cycle_by_hand():
    log = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "B", "B", "C"],
            "date": ["2025-01-01", "2025-01-11", "2025-01-21", "2025-01-01", "2025-01-31", "2025-01-20"],
            "amount": [5.0, 5.0, 10.0, 30.0, 30.0, 8.0],
        }
    )
    fc = R.purchase_cycle(log, as_of="2025-02-01")
    # A: 10 bought before the last purchase over 20 days → 0.5 a day; its last 10 last 20 days → 2025-02-10
    # B: 30 over 30 days → 1 a day; its last 30 last 30 days → 2025-03-02
    # C bought once: the median rate of A and B, 0.75, makes its 8 last 10.7 days → 2025-01-30 (whole days)
    assert fc.columns.tolist() == [
        "purchases",
        "first_purchase",
        "last_purchase",
        "last_amount",
        "daily_rate",
        "estimated",
        "next_purchase",
        "days_left",
    ]
    assert fc["daily_rate"].tolist() == [0.5, 1.0, 0.75] and fc["estimated"].tolist() == [False, False, True]
    assert fc["next_purchase"].dt.strftime("%Y-%m-%d").tolist() == ["2025-02-10", "2025-03-02", "2025-01-30"]
    assert fc["days_left"].tolist() == [9, 29, -2] and fc.attrs["as_of"] == pd.Timestamp("2025-02-01")
    # with a size per customer the median is taken per head: C feeds 3 people, A 1, B 2
    sized = R.purchase_cycle(log.assign(people=[1, 1, 1, 2, 2, 3]), size_col="people")
    assert sized["rate_per_head"].tolist() == [0.5, 0.5, 0.5] and sized.loc["C", "daily_rate"] == 1.5
    assert sized["size"].tolist() == [1, 2, 3]


def test_contact_plan_by_hand():
    fc = pd.DataFrame(
        {"next_purchase": pd.to_datetime(["2025-02-10", "2025-03-02", "2025-01-20"]), "purchases": [3, 2, 1]},
        index=pd.Index(["A", "B", "C"], name="customer_id"),
    )
    plan = R.contact_plan(fc, horizon_days=20, lead_days=3, as_of="2025-01-25")
    # B is due after the horizon (2025-02-14); C is overdue: called on as_of; A three days early
    assert plan.index.tolist() == ["C", "A"] and plan.columns.tolist() == ["contact_on", "next_purchase", "purchases"]
    assert plan["contact_on"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-25", "2025-02-07"]
    # the forecast's own date is the default as_of
    log = pd.DataFrame({"customer_id": ["A", "A"], "date": ["2025-01-01", "2025-01-11"], "amount": [5.0, 5.0]})
    assert R.contact_plan(R.purchase_cycle(log), lead_days=0)["contact_on"].tolist() == [pd.Timestamp("2025-01-21")]
    expect_error(lambda: R.contact_plan(fc), "contact_plan", "as_of", contains=("carries no date",))
    expect_error(lambda: R.contact_plan(fc, as_of="2025-01-25", date_col="due"), "contact_plan", "due")
    expect_error(lambda: R.purchase_cycle(log.iloc[:1]), "purchase_cycle", "date", contains=("two different days",))
    expect_error(lambda: R.purchase_cycle(log, as_of="2025-01-05"), "purchase_cycle", "as_of")
    expect_error(lambda: R.purchase_cycle(log.assign(amount=[5.0, 0.0])), "purchase_cycle", "amount", rows=[1])


def test_reminders_bad_input():
    arc = small_archive()
    expect_error(lambda: arc.reminders(as_of="2025-01-02"), "reminders", "as_of", contains=("two different days",))
    expect_error(lambda: arc.reminders(horizon_days=0), "reminders", "horizon_days")
    expect_error(lambda: arc.reminders(lead_days=-1), "reminders", "lead_days")
    expect_error(lambda: Archive(":memory:").reminders(), "reminders", "purchases")


def test_birthdays_wrap_the_year_and_handle_29_february():
    arc = small_archive()
    arc.add("customers", pd.DataFrame({"customer_id": ["L1"], "name": ["Leap"], "birthday": ["1988-02-29"]}))
    b = arc.birthdays("2024-12-30", within_days=7)
    assert b.index.tolist() == ["K1"] and b["greet_on"].tolist() == ["2025-01-03"] and b["days_to_go"].tolist() == [4]
    assert arc.birthdays("2025-02-27", within_days=3)["greet_on"].tolist() == ["2025-02-28"]
    assert arc.birthdays("2028-02-27", within_days=3)["greet_on"].tolist() == ["2028-02-29"]
    assert arc.birthdays("2025-06-30", within_days=0).index.tolist() == ["K2"]
    expect_error(lambda: arc.birthdays("2025-01-01", within_days=-1), "birthdays", "within_days")
    assert Archive(":memory:").birthdays("2025-01-01").empty


# ----------------------------------------------------------------------------- the chapter's archive
def test_build_archive_from_the_committed_datasets_is_deterministic():
    from crmlib.datasets import load_dataset

    a, b = R.build_archive(seed=5), R.build_archive(seed=5)
    fa, fb = a.to_frames(), b.to_frames()
    for t in R.TABLES:
        pd.testing.assert_frame_equal(fa[t], fb[t])
    acc, inv, comp = load_dataset("accounts"), load_dataset("invoices"), load_dataset("complaints")
    assert a.counts()["customers"] == len(acc) and a.counts()["purchases"] == len(inv)
    assert a.counts()["complaints"] == len(comp) and a.integrity_check() == "ok"
    c = fa["customers"]
    assert c.columns.tolist() == R.CARD_FIELDS[1:] and c["owner"].notna().all() and c["name"].notna().all()
    # grade = ABC class of the account's revenue
    from crmlib.segmentation import abc_classes

    abc = abc_classes(acc.set_index("account_id")["revenue"], lang="en")["abc"].astype(str).str[0]
    assert (c["grade"] == abc.reindex(c.index)).all()
    # key customers are followed up more often (突出重点)
    per = fa["follow_ups"].groupby("customer_id").size().reindex(c.index, fill_value=0).groupby(c["grade"]).mean()
    assert per["A"] > per["B"] > per["C"]
    assert not fa["follow_ups"].equals(R.build_archive(seed=6).to_frames()["follow_ups"])


def test_generators_validate_their_input():
    from crmlib.datasets import make_accounts

    acc = make_accounts(n=10, seed=1)
    expect_error(lambda: R.customer_cards(acc.drop(columns="industry")), "customer_cards", "industry")
    expect_error(lambda: R.customer_cards(acc.assign(region="Mars")), "customer_cards", "region", rows=list(range(5)))
    cards = pd.DataFrame({"customer_id": ["K1"], "grade": ["Q"], "owner": ["x"]})
    expect_error(lambda: D.make_follow_ups(cards), "make_follow_ups", "grade", rows=[0])
    ok = cards.assign(grade="A")
    expect_error(lambda: D.make_follow_ups(ok, start="2024-05-01", end="2024-01-01"), "make_follow_ups", "end")
    expect_error(
        lambda: D.assign_complaints(pd.DataFrame(), ok),
        "assign_complaints",
        "complaint_id, received, channel, cause, satisfied",
    )
    with pytest.raises(CRMDataError):
        R.build_archive(seed=-1)


def test_build_archive_refuses_a_used_file(tmp_path):
    p = tmp_path / "used.db"
    small_archive(p).close()
    expect_error(lambda: R.build_archive(p), "build_archive", "path", contains=("already holds",))


# ----------------------------------------------------------------------------- the search widget (headless)
def test_search_widget_shows_the_card_of_the_typed_customer():
    from crmlib import widgets

    arc = small_archive()
    w = widgets.customer_search(arc, lang="en")
    assert w.result is None and "Type a customer" in w.text.value
    w.query.value = "K2"
    assert w.result.fields["customer_id"] == "K2" and "Li Trading" in w.text.value and "customer card" in w.text.value
    w.query.value = "王记"
    assert w.result.fields["customer_id"] == "K1" and "王记米店" in w.text.value
    w.query.value = "i"  # several matches: the first is shown, the others listed
    assert len(w.matches) == 2 and "2 matches" in w.text.value
    w.query.value = "nobody"
    assert w.result is None and "No customer matches" in w.text.value
    w.query.value = INJECTION
    assert w.result is None and arc.counts()["customers"] == 3
    zh = widgets.customer_search(arc, query="K3", lang="zh")
    assert zh.query.description == "客户" and "客户卡" in zh.text.value and "Zhao Mill" in zh.text.value
    expect_error(lambda: widgets.customer_search(pd.DataFrame()), "customer_search", "archive")


def test_timeline_plot_draws_every_linked_table():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib import plots

    ax = plots.customer_timeline_plot(small_archive().customer_card("K2"), lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["purchases", "follow-ups", "complaints"]
    plt.close("all")
    expect_error(lambda: plots.customer_timeline_plot({"a": 1}), "customer_timeline_plot", "card")


def test_exercises_of_chapter_6_are_hand_checked():
    from crmlib import exercises as E

    arc = small_archive()
    f = arc.to_frames()
    assert E.expected("ch6.grade_a_revenue_share", frames=f) == pytest.approx(30 / 77.5)
    assert E.expected("ch6.key_due", archive=arc, as_of="2025-02-20", horizon_days=14, lead_days=2) == 1
    assert E.expected("ch6.neglected_key", frames=f, as_of="2025-03-01") == "K1"
    assert E.expected("ch6.top_owner", frames=f) == "Zhao"


# ----------------------------------------------------------------------------- crash safety
def _kill_at_mid(child: str, at_mid=lambda: None) -> None:
    """Run ``child`` in a Python process, wait for it to print MID, call ``at_mid``, then kill -9 it."""
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, proc.kill)  # never hang the suite
    watchdog.start()
    try:
        line = proc.stdout.readline()
        assert line.startswith("MID"), (line, proc.stderr.read() if proc.poll() is not None else "")
        at_mid()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def test_kill_minus_nine_in_the_middle_of_an_import_leaves_the_archive_unchanged(tmp_path):
    db = tmp_path / "crash.db"
    arc = Archive(db)
    ids = [f"K{i:03d}" for i in range(50)]
    arc.add("customers", pd.DataFrame({"customer_id": ids, "name": [f"客户{i}" for i in range(50)]}))
    arc.add("purchases", pd.DataFrame({"customer_id": ids[:10], "date": ["2024-01-02"] * 10, "amount": [1.0] * 10}))
    before = arc.counts()
    arc.close()
    n = 200_000
    rng = np.random.default_rng(1)
    big = tmp_path / "big.csv"
    pd.DataFrame(
        {
            "customer_id": np.array(ids)[rng.integers(0, 50, n)],
            "date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "amount": rng.gamma(2.0, 50.0, n).round(2),
        }
    ).to_csv(big, index=False)
    size_before = db.stat().st_size
    child = textwrap.dedent(f"""
        import time
        from crmlib.records import Archive
        arc = Archive({str(db)!r})
        arc._con.execute("PRAGMA cache_size = 20")        # small page cache: pages spill into the file mid-way
        def progress(done, total):
            if done >= 100_000:
                print("MID", done, total, flush=True)
                time.sleep(120)
        arc.import_csv("purchases", {str(big)!r}, progress=progress)
        print("DONE", flush=True)
    """)

    def in_flight():
        assert Path(str(db) + "-journal").exists()  # a transaction is in flight on disk
        assert db.stat().st_size > size_before  # and the file itself was written to

    _kill_at_mid(child, in_flight)
    with Archive(db) as arc:  # the hot journal is rolled back on opening
        assert arc.counts() == before
        assert arc._con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert arc.integrity_check() == "ok"
        small = tmp_path / "small.csv"
        small.write_text("".join(big.read_text().splitlines(keepends=True)[:1001]))
        assert arc.import_csv("purchases", small) == 1000  # and the archive is fully usable again
        assert arc.counts()["purchases"] == before["purchases"] + 1000


# ----------------------------------------------------------------------------- locks held by another connection
def _reader(path) -> sqlite3.Connection:
    """A second connection inside a read transaction: it holds SQLite's SHARED lock until it ends."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN")
    con.execute("SELECT COUNT(*) FROM customers").fetchall()
    return con


def test_a_commit_refused_by_a_reader_rolls_back_and_leaves_the_archive_usable(tmp_path):
    p = tmp_path / "locked.db"
    small_archive(p).close()
    arc = Archive(p, timeout=0.2)
    before = arc.counts()
    reader = _reader(p)
    try:
        card = pd.DataFrame({"customer_id": ["K9"], "name": ["new"]})
        writes = [
            (lambda: arc.add("customers", card), "add"),
            (lambda: arc.update_customer("K1", {"grade": "B"}, by="Zhao"), "update_customer"),
            (lambda: arc.correct("purchases", 1, {"amount": 11.0}, by="Zhao"), "correct"),
            (lambda: arc.delete("follow_ups", 1, by="Zhao"), "delete"),
        ]
        for call, func in writes:
            t0 = time.perf_counter()
            expect_error(call, func, "path", contains=("locked", "busy timeout", "nothing was saved", "timeout="))
            assert time.perf_counter() - t0 >= 0.15  # the busy timeout was waited first
            assert not arc._con.in_transaction  # rolled back: not stuck inside the failed transaction
            assert arc.counts() == before and arc.search("K9").empty  # no phantom row
            assert arc.customer_card("K1").fields["grade"] == "A" and arc.history().empty
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert arc.add("customers", card) == 1  # later writes are accepted
    with contextlib.closing(sqlite3.connect(p)) as con:  # and the file holds what the object shows
        assert con.execute("SELECT name FROM customers WHERE customer_id = 'K9'").fetchall() == [("new",)]
    arc.close()


def test_the_busy_timeout_waits_for_a_short_reader(tmp_path):
    p = tmp_path / "short.db"
    small_archive(p).close()
    arc = Archive(p, timeout=10)
    reader = _reader(p)
    threading.Timer(0.3, lambda: (reader.execute("COMMIT"), reader.close())).start()
    t0 = time.perf_counter()
    assert arc.add("customers", pd.DataFrame({"customer_id": ["K9"], "name": ["new"]})) == 1
    assert 0.2 < time.perf_counter() - t0 < 8  # it waited for the reader, then committed
    arc.close()


def test_reads_blocked_by_a_writer_say_so(tmp_path):
    p = tmp_path / "writer.db"
    small_archive(p).close()
    arc = Archive(p, timeout=0.1)
    writer = sqlite3.connect(p, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another program in the middle of writing: no reader gets in
    try:
        for call, func in [
            (arc.counts, "counts"),
            (arc.to_frames, "to_frames"),
            (lambda: arc.customer_card("K1"), "customer_card"),
            (lambda: arc.search("K"), "search"),
            (lambda: arc.reminders(), "reminders"),
            (arc.bad_dates, "bad_dates"),
            (arc.integrity_check, "integrity_check"),
        ]:
            expect_error(call, func, "path", contains=("locked", "cannot be read"))
        expect_error(lambda: Archive(p, timeout=0.1), "Archive", "path", contains=("locked",))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert arc.counts()["customers"] == 3
    arc.close()
    expect_error(lambda: Archive(p, timeout=-1), "Archive", "timeout")
    expect_error(lambda: Archive(p, timeout="5"), "Archive", "timeout")


# ----------------------------------------------------------------------------- several processes opening one file
def _open_in_parallel(paths: list[Path], n: int = 5) -> list[tuple]:
    """``n`` processes open each file of ``paths`` at the same moment (a barrier before each)."""
    import multiprocessing

    from _support import open_archive_at_once

    ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [
        ctx.Process(target=open_archive_at_once, args=([str(p) for p in paths], barrier, results)) for _ in range(n)
    ]
    for proc in procs:
        proc.start()
    out = [results.get(timeout=120) for _ in range(n * len(paths))]
    for proc in procs:
        proc.join(timeout=60)
    return sorted(out)


def test_processes_opening_a_new_or_old_file_at_once_create_and_migrate_it_once(tmp_path):
    new, old = tmp_path / "new.db", tmp_path / "v1.db"
    _v1_file(old)
    assert _open_in_parallel([new, old]) == sorted(
        [(str(new), "ok", R.SCHEMA_VERSION, 0)] * 5 + [(str(old), "ok", R.SCHEMA_VERSION, 1)] * 5
    )
    with Archive(old) as arc:
        assert arc.customer_card("K1").fields["owner"] == "Sun" and arc.integrity_check() == "ok"
        assert arc.schema().loc["history"].index.tolist()[-3:] == ["record", "record_id", "note"]


def test_a_v2_file_keeps_its_history_as_card_changes(tmp_path):
    p = tmp_path / "v2.db"
    _v1_file(p)
    with contextlib.closing(sqlite3.connect(p)) as con:
        for stmt in R.MIGRATIONS[2]:
            con.execute(stmt)
        con.execute(
            "INSERT INTO history (customer_id, field, old_value, new_value, changed_by, changed_at) "
            "VALUES ('K1', 'grade', 'B', 'A', 'Sun', '2023-01-01 10:00:00')"
        )
        con.execute("PRAGMA user_version = 2")
        con.commit()
    with Archive(p) as arc:
        h = arc.history("K1")
        assert h[["record", "record_id", "field", "old_value", "new_value"]].values.tolist() == [
            ["customers", None, "grade", "B", "A"]
        ]


# ----------------------------------------------------------------------------- build_archive: all or nothing
_BUILD_STEPS = [
    ("customer_cards", None),
    ("add", "customers"),
    ("import_csv", "purchases"),
    ("assign_complaints", None),
    ("add", "complaints"),
    ("make_follow_ups", None),
    ("add", "follow_ups"),
]


@pytest.mark.parametrize(("step", "table"), _BUILD_STEPS, ids=[f"{s}-{t}" for s, t in _BUILD_STEPS])
def test_build_archive_interrupted_at_any_step_leaves_nothing_and_runs_again(tmp_path, monkeypatch, step, table):
    from crmlib.records import _build

    def fail(*args, **kwargs):
        raise KeyboardInterrupt("simulated Ctrl-C")  # not even an Exception: the rollback still happens

    if table is None:
        monkeypatch.setattr(_build, step, fail)
    else:
        real = getattr(Archive, step)
        monkeypatch.setattr(Archive, step, lambda self, t, *a, **k: fail() if t == table else real(self, t, *a, **k))
    fresh, used = tmp_path / "fresh.db", tmp_path / "empty.db"
    Archive(used).close()  # an empty archive opened before: it stays an empty archive
    for p in (fresh, used):
        with pytest.raises(KeyboardInterrupt):
            R.build_archive(p, seed=3)
    assert not fresh.exists()
    with Archive(used) as arc:
        assert arc.counts() == {t: 0 for t in R.TABLES} and arc.integrity_check() == "ok"
    monkeypatch.undo()
    if step == "add" and table == "follow_ups":  # the last step: one full re-run is enough to show it works
        with R.build_archive(used, seed=3) as arc, R.build_archive(seed=3) as ref:
            assert arc.counts() == ref.counts() and arc.counts()["follow_ups"] > 0


def test_kill_minus_nine_in_the_middle_of_build_archive_and_a_rerun(tmp_path):
    db = tmp_path / "build.db"
    child = textwrap.dedent(f"""
        import time
        from crmlib.records import _build
        def slow(*args, **kwargs):
            print("MID", flush=True)      # cards, purchases and complaints are written by now
            time.sleep(120)
        _build.make_follow_ups = slow
        _build.build_archive({str(db)!r}, seed=3)
        print("DONE", flush=True)
    """)
    _kill_at_mid(child)
    with Archive(db) as arc:
        assert arc.counts() == {t: 0 for t in R.TABLES}  # not a half-built archive
    with R.build_archive(db, seed=3) as arc, R.build_archive(seed=3) as ref:  # and a re-run works
        assert arc.counts() == ref.counts() and arc.integrity_check() == "ok"


# ----------------------------------------------------------------------------- impossible dates
@pytest.mark.parametrize(
    ("table", "frame", "field"),
    [
        ("follow_ups", {"customer_id": ["K1", "K2"], "date": ["2025-03-01", "9999-12-31"]}, "date"),
        (
            "purchases",
            {"customer_id": ["K1", "K2"], "date": ["2025-03-01", "0024-03-01"], "amount": [1.0, 2.0]},
            "date",
        ),
        ("complaints", {"customer_id": ["K1", "K2"], "date": ["2025-03-01", "1650-01-01"]}, "date"),
        (
            "customers",
            {"customer_id": ["K8", "K9"], "name": ["a", "b"], "birthday": ["1980-01-01", "1650-03-01"]},
            "birthday",
        ),
        (
            "customers",
            {"customer_id": ["K8", "K9"], "name": ["a", "b"], "created_on": [None, "1899-12-31"]},
            "created_on",
        ),
        (
            "customers",
            {"customer_id": ["K8", "K9"], "name": ["a", "b"], "birthday": [None, dt.date(24, 5, 1)]},
            "birthday",
        ),
    ],
)
def test_impossible_dates_are_refused_at_entry(table, frame, field):
    arc = small_archive()
    before = arc.counts()
    expect_error(lambda: arc.add(table, pd.DataFrame(frame)), "add", field, rows=[1])
    assert arc.counts() == before


def test_impossible_dates_are_refused_by_every_writer(tmp_path):
    arc = small_archive()
    err = expect_error(
        lambda: arc.add("purchases", pd.DataFrame({"customer_id": ["K1"], "date": ["0024-03-01"], "amount": [1.0]})),
        "add",
        "date",
        rows=[0],
    )
    assert "0024-03-01" in str(err)
    if pd.__version__ >= "3":  # pandas 2 cannot parse the year 0024 at all: "cannot be parsed" says as much
        assert "outside " in str(err) and "1900-01-01 to 2262-04-11" in str(err) and "check the year" in str(err)
    f = write_csv(tmp_path / "p.csv", "customer_id,date,amount\nK1,2025-03-01,5\nK2,0025-03-02,6\n")
    expect_error(lambda: arc.import_csv("purchases", f), "import_csv", "date", rows=[3])
    expect_error(
        lambda: arc.update_customer("K1", {"birthday": "0080-01-03"}, by="Zhao"), "update_customer", "birthday"
    )
    expect_error(
        lambda: arc.update_customer("K1", {"grade": "B"}, by="Zhao", when="0024-01-01"), "update_customer", "when"
    )
    expect_error(lambda: arc.correct("purchases", 1, {"date": "0025-01-01"}, by="Zhao"), "correct", "date")
    expect_error(lambda: arc.correct("follow_ups", 1, {"date": "9999-12-31"}, by="Zhao"), "correct", "date")
    expect_error(lambda: arc.delete("follow_ups", 1, by="Zhao", when="9999-12-31"), "delete", "when")
    expect_error(lambda: arc.reminders(as_of="9999-12-31"), "reminders", "as_of", contains=("outside",))
    expect_error(lambda: arc.birthdays("0024-01-01"), "birthdays", "as_of", contains=("outside",))
    expect_error(lambda: arc.birthdays("2261-01-01"), "birthdays", "as_of")
    assert arc.counts()["history"] == 0 and arc.bad_dates().empty
    assert arc.birthdays("2260-12-30", within_days=7).index.tolist() == ["K1"]  # the last year that works


def _old_file_with_bad_dates(path: Path) -> None:
    """An archive written before crmlib checked dates (or by another program)."""
    small_archive(path).close()
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("INSERT INTO purchases (customer_id, date, amount) VALUES ('K1', '0024-05-01', 99.0)")  # id 7
        con.execute("INSERT INTO follow_ups (customer_id, date) VALUES ('K1', '9999-12-31')")  # id 4
        con.execute("INSERT INTO complaints (customer_id, date, cause) VALUES ('K3', '31/12/2024', 'late')")  # id 2
        con.execute("UPDATE customers SET birthday = '1650-03-01' WHERE customer_id = 'K3'")
        con.commit()


def test_an_old_archive_with_impossible_dates_opens_exports_and_is_corrected(tmp_path):
    p = tmp_path / "old.db"
    _old_file_with_bad_dates(p)
    arc = Archive(p)
    assert arc.bad_dates().values.tolist() == [
        ["customers", "K3", "K3", "birthday", "1650-03-01"],
        ["follow_ups", 4, "K1", "date", "9999-12-31"],
        ["purchases", 7, "K1", "date", "0024-05-01"],
        ["complaints", 2, "K3", "date", "31/12/2024"],
    ]
    with pytest.warns(CRMDataWarning) as caught:
        f = arc.to_frames()
    text = " | ".join(str(w.message) for w in caught)
    for named in (
        "field 'birthday' of 'customers'",
        "'K3' ('1650-03-01')",
        "7 ('0024-05-01')",
        "4 ('9999-12-31')",
        "2 ('31/12/2024')",
        "left out",
        "bad_dates()",
    ):
        assert named in text, text
    assert 7 not in f["purchases"].index and len(f["purchases"]) == 6 and 4 not in f["follow_ups"].index
    assert f["customers"]["birthday"].isna()["K3"] and str(f["purchases"]["date"].dtype) == "datetime64[ns]"
    with pytest.warns(CRMDataWarning, match=r"records 4 \('9999-12-31'\), 7|records 7"):
        card = arc.customer_card("K1")
    assert len(card.purchases) == 4 and "0024-05-01" in card.purchases["date"].tolist()  # the card shows it
    # the summary as without the bad purchase: 2025-01-01, 01-21, 02-10 → gaps 20, 20; revenue 3 × 10
    assert card.summary["n_purchases"] == 3 and card.summary["revenue"] == 30.0
    assert card.summary["last_purchase"] == "2025-02-10" and card.summary["mean_gap_days"] == 20.0
    assert card.summary["last_follow_up"] == "2025-02-12"
    with pytest.warns(CRMDataWarning, match="0024-05-01"):
        rem = arc.reminders(as_of="2025-03-01")
    pd.testing.assert_frame_equal(rem, small_archive().reminders(as_of="2025-03-01"))
    with pytest.warns(CRMDataWarning, match="1650-03-01"):
        assert arc.birthdays("2025-02-27", within_days=7).empty  # K3's impossible birthday is not greeted
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib import plots

    with pytest.warns(CRMDataWarning):
        ax = plots.customer_timeline_plot(arc.customer_card("K1"), lang="en")
    assert ax.get_xlim()[0] > 19_700  # days since 1970: the axis starts in 2024, not in the year 24
    plt.close("all")
    # each kind of record corrected, the old value kept in the history
    arc.correct("purchases", 7, {"date": "2024-05-01"}, by="Zhao", when="2025-03-02", note="year typed 0024")
    arc.correct("follow_ups", 4, {"date": "2025-03-10"}, by="Zhao", when="2025-03-02")
    arc.delete("complaints", 2, by="Sun", when="2025-03-02", note="entered in the wrong file")
    arc.update_customer("K3", {"birthday": None}, by="Sun", when="2025-03-02", note="placeholder")
    assert arc.bad_dates().empty
    arc.close()
    with Archive(p) as arc:  # the corrections are in the file
        f = arc.to_frames()  # no warning now (warnings are errors in the suite)
        assert f["purchases"].loc[7, "date"] == pd.Timestamp("2024-05-01")
        h = arc.history()
        assert h[["record", "record_id", "field", "old_value", "new_value", "changed_by", "note"]].values.tolist() == [
            ["purchases", 7, "date", "0024-05-01", "2024-05-01", "Zhao", "year typed 0024"],
            ["follow_ups", 4, "date", "9999-12-31", "2025-03-10", "Zhao", None],
            ["complaints", 2, "(deleted)", h.iloc[2]["old_value"], None, "Sun", "entered in the wrong file"],
            ["customers", None, "birthday", "1650-03-01", None, "Sun", "placeholder"],
        ]
        assert json.loads(h.iloc[2]["old_value"]) == {
            "complaint_id": 2,
            "ref": None,
            "customer_id": "K3",
            "date": "31/12/2024",
            "channel": None,
            "cause": "late",
            "satisfied": None,
            "notes": None,
        }
        assert str(f["history"]["record_id"].dtype) == "Int64"


# ----------------------------------------------------------------------------- corrections keep the history
def test_corrections_of_every_kind_of_record_keep_the_history():
    arc = small_archive()
    out = arc.correct("purchases", 2, {"amount": 12.5, "product": "rice", "ref": "P2"}, by="Zhao", when="2025-03-01")
    # P2 unchanged writes no row; product None → rice and amount 10 → 12.5 do
    assert out[["field", "old_value", "new_value"]].values.tolist() == [
        ["amount", "10.0", "12.5"],
        ["product", None, "rice"],
    ]
    assert arc.customer_card("K1").summary["revenue"] == 32.5  # 10 + 12.5 + 10
    assert arc.correct("purchases", 2, {"amount": 12.5}, by="Zhao").empty  # nothing really changes
    # a purchase booked to the wrong customer moves; the row is written under the customer it left
    moved = arc.correct("purchases", 6, {"customer_id": " K2 "}, by="Qian", when="2025-03-01")
    assert moved[["customer_id", "record_id", "field", "old_value", "new_value"]].values.tolist() == [
        ["K3", 6, "customer_id", "K3", "K2"]
    ]
    assert arc.customer_card("K2").summary["n_purchases"] == 3 and arc.customer_card("K3").summary["n_purchases"] == 0
    assert arc.customer_card("K3").history["field"].tolist() == ["customer_id"]
    arc.correct("complaints", 1, {"satisfied": "no", "notes": "called back"}, by="Qian", when="2025-03-02")
    assert arc.to_frames()["complaints"].loc[1, "satisfied"] == False  # noqa: E712 (pandas' boolean NA type)
    arc.correct("follow_ups", 3, {"by": "Sun", "summary": "price list sent"}, by="Qian", when="2025-03-02")
    arc.correct("customers", "K2", {"grade": "A"}, by="Qian", when="2025-03-03", note="big order")
    gone = arc.delete("purchases", 1, by="Zhao", when="2025-03-04", note="test entry")
    assert gone[["customer_id", "record", "record_id", "field", "new_value"]].values.tolist() == [
        ["K1", "purchases", 1, "(deleted)", None]
    ]
    assert json.loads(gone.at[0, "old_value"])["amount"] == 10.0 and arc.counts()["purchases"] == 5
    assert arc.counts()["history"] == 2 + 1 + 2 + 2 + 1 + 1
    assert arc.integrity_check() == "ok"
    # refused corrections change nothing
    n = arc.counts()["history"]
    expect_error(lambda: arc.correct("purchases", 99, {"amount": 1.0}, by="Zhao"), "correct", "record_id")
    expect_error(lambda: arc.correct("purchases", 2, {"ref": "P3"}, by="Zhao"), "correct", "ref")
    expect_error(lambda: arc.correct("purchases", 2, {"customer_id": "K9"}, by="Zhao"), "correct", "customer_id")
    expect_error(lambda: arc.correct("purchases", 2, {"amount": -1.0}, by="Zhao"), "correct", "amount", rows=[2])
    expect_error(lambda: arc.correct("purchases", 2, {"purchase_id": 5}, by="Zhao"), "correct", "purchase_id")
    expect_error(lambda: arc.correct("purchases", 2, {"date": None}, by="Zhao"), "correct", "date")
    expect_error(lambda: arc.correct("customers", "K1", {"grade": "Z"}, by="Zhao"), "correct", "grade")
    expect_error(lambda: arc.correct("history", 1, {"note": "x"}, by="Zhao"), "correct", "table")
    expect_error(lambda: arc.correct("purchases", "2", {"amount": 1.0}, by="Zhao"), "correct", "record_id")
    expect_error(lambda: arc.correct("purchases", 2, {}, by="Zhao"), "correct", "changes")
    expect_error(lambda: arc.correct("purchases", 2, {"amount": 1.0}, by=" "), "correct", "by")
    expect_error(lambda: arc.correct("purchases", 2, {"amount": 1.0}, by="Zhao", note=3), "correct", "note")
    expect_error(lambda: arc.delete("customers", "K1", by="Zhao"), "delete", "table", contains=("history",))
    expect_error(lambda: arc.delete("purchases", 1, by="Zhao"), "delete", "record_id")  # already deleted
    assert arc.counts()["history"] == n and arc.counts()["purchases"] == 5


def test_the_home_folder_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with Archive("~/crm.db") as arc:
        assert arc.path == str(tmp_path / "crm.db")
        arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["a"]}))
        write_csv(tmp_path / "p.csv", "customer_id,date,amount\nK1,2025-03-01,5\n")
        assert arc.import_csv("purchases", "~/p.csv") == 1
    assert (tmp_path / "crm.db").exists() and not Path("~").exists()
    expect_error(lambda: Archive("~/no/such/folder/crm.db"), "Archive", "path", contains=("does not exist",))
    expect_error(lambda: Archive(""), "Archive", "path")


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_a_follow_up_date_is_kept_exactly_or_refused_by_the_range(day):
    arc = Archive(":memory:")
    arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["a"]}))
    inside = dt.date(1900, 1, 1) <= day <= dt.date(2262, 4, 11)
    for value in (day, f"{day.year:04d}-{day.month:02d}-{day.day:02d}"):
        if inside:
            arc.add("follow_ups", pd.DataFrame({"customer_id": ["K1"], "date": [value]}))
        else:
            expect_error(
                lambda v=value: arc.add("follow_ups", pd.DataFrame({"customer_id": ["K1"], "date": [v]})),
                "add",
                "date",
                rows=[0],
            )
    f = arc.to_frames()["follow_ups"]  # never a warning: nothing impossible got in
    assert f["date"].tolist() == ([pd.Timestamp(day)] * 2 if inside else []) and arc.bad_dates().empty
