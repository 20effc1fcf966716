"""The bundled datasets and their seeded generators (crmlib.datasets).

What is checked here:

* the generators are deterministic (same seed → same frame; another seed → another frame);
* the committed CSVs load with their documented columns and dtypes and equal the generators'
  default output, and ``regenerate`` / ``crmlib data regenerate`` rewrite them byte-identically;
* the synthetic purchase log has the properties the workbook relies on (skewed revenue,
  heterogeneous purchase counts, lapsed customers, deal seekers, fixed customer attributes…);
* bad arguments raise ``CRMDataError`` naming the function and the field;
* a real (non-editable) wheel ships the CSVs and ``load_dataset`` reads them from the install.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmlib import CRMDataError, datasets as D
from crmlib.datasets import (
    CHANNELS,
    REGIONS,
    ROWS_PER_CUSTOMER,
    SEGMENTS,
    SOURCES,
    _base,  # the registry and the file lookup, patched below
    dataset_path,
    list_datasets,
    load_dataset,
    make_prospects,
    make_transactions,
    make_wallets,
    regenerate,
)

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "datasets"

TX_COLUMNS = [
    "transaction_id",
    "customer_id",
    "date",
    "amount",
    "discount_pct",
    "margin",
    "channel",
    "region",
    "segment",
]
TX_DTYPES = {
    "transaction_id": "int64",
    "customer_id": "str",
    "date": "datetime64[ns]",
    "amount": "float64",
    "discount_pct": "float64",
    "margin": "float64",
    "channel": "str",
    "region": "str",
    "segment": "str",
}
PR_COLUMNS = ["prospect_id", "source", "money", "authority", "need", "expected_close_days", "estimated_value"]
PR_DTYPES = {
    "prospect_id": "str",
    "source": "str",
    "money": "bool",
    "authority": "bool",
    "need": "bool",
    "expected_close_days": "int64",
    "estimated_value": "float64",
}
# Decimals the CSV keeps for each float column (its fixed float formatting).
DECIMALS = {"amount": 2, "discount_pct": 3, "margin": 2, "estimated_value": 2}

# Figures of the committed files (measured once; they change only if the generators change).
TX_ROWS, TX_CUSTOMERS = 23_382, 3_000
PR_ROWS = 600

# A moderate sample for the realism checks: large enough for stable shares, still fast.
N_REAL, SEED_REAL = 2000, 11
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return make_transactions(n_customers=N_REAL, seed=SEED_REAL)


@pytest.fixture(scope="module")
def per_customer(tx) -> pd.DataFrame:
    g = tx.groupby("customer_id", sort=True)
    return g.agg(
        n=("transaction_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
        revenue=("amount", "sum"),
        margin=("margin", "sum"),
        median_discount=("discount_pct", "median"),
        n_regions=("region", "nunique"),
        n_segments=("segment", "nunique"),
        segment=("segment", "first"),
    )


@pytest.fixture(scope="module")
def prospects_big() -> pd.DataFrame:
    return make_prospects(n=5000, seed=3)


def _check_dtypes(df: pd.DataFrame, expected: dict[str, str]) -> None:
    assert list(df.columns) == list(expected)
    for col, kind in expected.items():
        if kind == "str":
            assert pd.api.types.is_string_dtype(df[col]), (col, df[col].dtype)
            assert df[col].map(type).eq(str).all(), col
        else:
            assert str(df[col].dtype) == kind, (col, df[col].dtype)
        assert not df[col].isna().any(), col


# ============================================================================ determinism
def test_same_seed_gives_identical_frames():
    pd.testing.assert_frame_equal(make_transactions(300, seed=5), make_transactions(300, seed=5))
    pd.testing.assert_frame_equal(make_prospects(200, seed=5), make_prospects(200, seed=5))
    # numpy integers are valid seeds and give the same result as the Python int
    pd.testing.assert_frame_equal(make_transactions(50, seed=np.int64(9)), make_transactions(50, seed=9))


def test_different_seed_gives_different_frames():
    a, b = make_transactions(300, seed=5), make_transactions(300, seed=6)
    assert not a.equals(b)
    assert a["amount"].sum() != b["amount"].sum()
    p, q = make_prospects(200, seed=5), make_prospects(200, seed=6)
    assert not p.equals(q)
    assert (p["source"] != q["source"]).any()


def test_defaults_are_the_documented_ones():
    pd.testing.assert_frame_equal(make_transactions(), make_transactions(3000, 2024, "2023-01-01", "2024-12-31"))
    pd.testing.assert_frame_equal(make_prospects(), make_prospects(600, 7))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 80), seed=st.integers(0, 2**32 - 1))
def test_transactions_invariants_hold_for_any_seed(n, seed):
    t = make_transactions(n_customers=n, seed=seed)
    pd.testing.assert_frame_equal(t, make_transactions(n_customers=n, seed=seed))
    assert list(t.columns) == TX_COLUMNS
    assert t["customer_id"].nunique() == n  # everyone buys at least once
    assert t["transaction_id"].tolist() == list(range(1, len(t) + 1))
    assert t["date"].is_monotonic_increasing
    assert t["date"].between(START, END).all()
    assert (t["amount"] > 0).all()
    assert t["discount_pct"].between(0, 0.6).all()
    assert (t["margin"] < t["amount"]).all()
    assert t["channel"].isin(CHANNELS).all() and t["region"].isin(REGIONS).all()
    assert t["segment"].isin(SEGMENTS).all()
    for col, dec in DECIMALS.items():
        if col in t:
            assert np.array_equal(t[col].to_numpy(), np.round(t[col].to_numpy(), dec)), col


# ============================================================================ bundled files
def test_list_datasets_and_paths():
    assert {"prospects", "retail_transactions"} <= set(list_datasets())
    assert list_datasets() == sorted(list_datasets())
    for name in list_datasets():
        p = dataset_path(name)
        assert p.name == _base._filename(name) and p.is_file()
        assert p.name in (f"{name}.csv", f"{name}.csv.gz")
        # the installed file is the committed one (in an editable checkout: the very same file)
        assert p.read_bytes() == (COMMITTED / p.name).read_bytes()


def test_load_retail_transactions_columns_dtypes_and_size():
    t = load_dataset("retail_transactions")
    _check_dtypes(t, TX_DTYPES)
    assert t.shape == (TX_ROWS, len(TX_COLUMNS))
    assert t["customer_id"].nunique() == TX_CUSTOMERS
    assert t["date"].min() == START and t["date"].max() == END
    assert (t["date"] == t["date"].dt.normalize()).all()  # whole days
    assert t["customer_id"].iloc[0] == "C00001" and t["customer_id"].str.fullmatch(r"C\d{5}").all()
    assert t["transaction_id"].is_unique
    # the documented rule of thumb for sizing big logs matches the bundled file
    assert TX_ROWS / TX_CUSTOMERS == pytest.approx(ROWS_PER_CUSTOMER, abs=0.1)


def test_load_prospects_columns_dtypes_and_size():
    p = load_dataset("prospects")
    _check_dtypes(p, PR_DTYPES)
    assert p.shape == (PR_ROWS, len(PR_COLUMNS))
    assert p["prospect_id"].is_unique and p["prospect_id"].iloc[0] == "P0001"
    assert set(p["source"]) == set(SOURCES)


def test_load_customer_wallets_matches_the_log_customers():
    w = load_dataset("customer_wallets")
    _check_dtypes(w, {"customer_id": "str", "est_category_spend": "float64"})
    assert len(w) == TX_CUSTOMERS and w["customer_id"].is_unique
    tx_ids = load_dataset("retail_transactions")["customer_id"].unique()
    assert sorted(w["customer_id"]) == sorted(tx_ids)
    assert (w["est_category_spend"] > 0).all()
    pd.testing.assert_frame_equal(w, make_wallets(), check_exact=False, rtol=0, atol=1e-9)


def test_cdnow_master_is_the_full_log():
    """The full CDNOW log of Fader & Hardie: 23,570 customers who first bought in Q1 1997, 69,659
    purchases until 1998-06-30; the committed sample is a tenth of those customers with their rows."""
    m = load_dataset("cdnow_master")
    _check_dtypes(m, {"customer_id": "str", "date": "datetime64[ns]", "quantity": "int64", "amount": "float64"})
    assert m.shape == (69_659, 4) and m["customer_id"].nunique() == 23_570
    assert m["date"].min() == pd.Timestamp("1997-01-01") and m["date"].max() == pd.Timestamp("1998-06-30")
    first = m.groupby("customer_id")["date"].min()
    assert first.max() <= pd.Timestamp("1997-03-31")  # one cohort: every first purchase in Q1 1997
    assert (m["amount"] >= 0).all() and (m["quantity"] >= 1).all()
    assert round(float(m["amount"].sum()), 2) == 2_500_315.63
    sample = load_dataset("cdnow_sample")
    both = sample.merge(m, on=["customer_id", "date", "quantity", "amount"], how="left", indicator=True)
    assert (both["_merge"] == "both").all()  # every purchase of the sample is in the master log
    ids = set(sample["customer_id"])
    assert len(m[m["customer_id"].isin(ids)]) == len(sample) == 6_919


def test_cdnow_master_file_is_a_reproducible_gzip():
    import gzip

    raw = (COMMITTED / "cdnow_master.csv.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\x00\x00\x00\x00"  # gzip, no timestamp
    text = gzip.decompress(raw).decode("utf-8").splitlines()
    assert text[0] == "customer_id,date,quantity,amount" and text[1] == "00001,1997-01-01,1,11.77"
    assert len(text) == 69_660


def test_wallets_follow_the_log_they_belong_to():
    """Same n_customers and seed as the log: the same customers, and a wallet that grows with what the
    customer buys (the rule the generator is built on: spending with us is a share of the wallet)."""
    tx = make_transactions(400, seed=5)
    w = make_wallets(400, seed=5)
    assert w["customer_id"].tolist() == sorted(tx["customer_id"].unique())
    assert not w.equals(make_wallets(400, seed=6))
    rev = tx.groupby("customer_id")["amount"].sum().reindex(w["customer_id"]).to_numpy()
    assert np.corrcoef(np.log(rev), np.log(w["est_category_spend"]))[0, 1] > 0.3
    # the wallets' own stream: the log is the same whether or not wallets are drawn
    pd.testing.assert_frame_equal(tx, make_transactions(400, seed=5))


@pytest.mark.parametrize("name, make", [("retail_transactions", make_transactions), ("prospects", make_prospects)])
def test_load_dataset_equals_generator_defaults(name, make):
    loaded = load_dataset(name)
    made = make()
    # The CSV stores floats with a fixed number of decimals: compare after that rounding.
    rounding = {c: d for c, d in DECIMALS.items() if c in made}
    pd.testing.assert_frame_equal(loaded.round(rounding), made.round(rounding), check_exact=True)
    # and the rounding is not hiding anything: the generators already round to those decimals
    pd.testing.assert_frame_equal(loaded, made, check_exact=False, rtol=0, atol=1e-9)


def test_load_dataset_returns_an_independent_copy():
    a = load_dataset("prospects")
    a.loc[0, "estimated_value"] = -1.0
    assert load_dataset("prospects").loc[0, "estimated_value"] > 0


# ============================================================================ the cases' and the archive's generators
CASE_AND_RECORD_GENERATORS = [
    lambda seed: D.make_casino_players(30, seed=seed),
    lambda seed: D.make_lobby_visitors(20, seed=seed),
    lambda seed: D.make_station(2, 3, 3, seed=seed)["fillups"],
    lambda seed: D.make_rice_purchases(10, 60, seed=seed),
    lambda seed: D.make_bank_clients(5, 3, seed=seed)["assets"],
    lambda seed: D.make_card_details(D.make_accounts(10, seed=1), seed=seed),
    lambda seed: D.make_follow_ups(
        pd.DataFrame({"customer_id": ["K1", "K2"], "grade": ["A", "B"], "owner": ["x", "y"]}), seed=seed
    ),
    lambda seed: D.assign_complaints(
        D.make_complaints(20, seed=1),
        pd.DataFrame({"customer_id": ["K1", "K2", "K3"], "satisfaction": [1, 3, 5]}),
        seed=seed,
    ),
]


@pytest.mark.parametrize("make", CASE_AND_RECORD_GENERATORS)
def test_case_and_record_generators_are_seeded(make):
    a = make(3)
    pd.testing.assert_frame_equal(a, make(3))
    assert not a.equals(make(4))


def test_card_details_by_account():
    acc = D.make_accounts(8, seed=2)
    en, zh = D.make_card_details(acc, seed=5, lang="en"), D.make_card_details(acc, seed=5, lang="zh")
    assert en["customer_id"].tolist() == acc["account_id"].tolist()
    assert en["owner"].isin(D.OWNERS).all() and (en["owner"] == en["created_by"]).all()
    # the same people and places in both languages; only the titles are translated
    assert (en["name"] == zh["name"]).all() and (en["phone"] == zh["phone"]).all()
    assert en["decision_maker"].str.split(" ").str[0].equals(zh["decision_maker"].str.split(" ").str[0])
    created = pd.to_datetime(en["created_on"])
    assert (
        created <= pd.Timestamp("2024-01-01") - pd.to_timedelta(acc["years_as_customer"] * 365 - 300, unit="D")
    ).all()


# ============================================================================ regenerate / CLI
def _generated() -> list[str]:
    """The datasets made by a generator (static ones such as ``cdnow_sample`` are not regenerated)."""
    return [n for n in list_datasets() if _base._SPECS[n].make is not None]


def test_regenerate_is_byte_identical_to_committed_files(tmp_path):
    first = regenerate(tmp_path / "a")
    assert [p.name for p in first] == [_base._filename(n) for n in _generated()]  # every generated dataset, sorted
    for p in first:
        committed = (COMMITTED / p.name).read_bytes()
        assert p.read_bytes() == committed, p.name
        assert b"\r" not in committed and committed.endswith(b"\n")
    # a second run (str path, folders created on the way) gives the very same bytes
    second = regenerate(str(tmp_path / "b" / "nested"))
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes()


def test_committed_csv_text_format():
    head = (COMMITTED / "retail_transactions.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert head[0] == ",".join(TX_COLUMNS)
    assert head[1] == "1,C00001,2023-01-01,18.69,0.230,5.05,app,South,consumer"
    head = (COMMITTED / "prospects.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert head[0] == ",".join(PR_COLUMNS)
    assert head[1] == "P0001,trade fair,True,True,True,6,45308.91"


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("crmlib")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "crmlib.cli"]


def test_cli_regenerate_writes_the_committed_bytes(tmp_path):
    out = tmp_path / "cli-out"
    res = subprocess.run(
        [*_cli(), "data", "regenerate", "--out", str(out)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    for name in (_base._filename(n) for n in _generated()):
        assert (out / name).read_bytes() == (COMMITTED / name).read_bytes(), name
        assert f"wrote {out / name}" in res.stdout


def test_cli_list_and_bad_out_in_process(tmp_path, capsys):
    from crmlib.cli import main

    assert main(["data", "list"]) == 0
    assert capsys.readouterr().out.split() == list_datasets()
    f = tmp_path / "not-a-folder.txt"
    f.write_text("x")
    # the command either reports the CRMDataError and exits non-zero, or lets it propagate
    try:
        status = main(["data", "regenerate", "--out", str(f)])
    except CRMDataError as exc:
        assert (exc.func, exc.field) == ("regenerate", "out")
    else:
        captured = capsys.readouterr()
        assert status != 0
        assert "regenerate: field 'out'" in captured.out + captured.err
    assert f.read_text() == "x"
    with pytest.raises(SystemExit):  # argparse: a sub-command is required
        main(["data"])


# ============================================================================ realism
def test_revenue_is_concentrated_in_few_customers(per_customer):
    rev = per_customer["revenue"].sort_values(ascending=False).to_numpy()
    top20 = rev[: len(rev) // 5].sum() / rev.sum()
    assert top20 > 0.60  # docstring: about 75 %; a flat base gives 20 %
    assert top20 < 0.90
    # Gini of customer revenue (docstring: about 0.71)
    x = np.sort(rev)
    gini = 1 - 2 * np.sum(np.cumsum(x) / x.sum()) / len(x) + 1 / len(x)
    assert 0.6 < gini < 0.8
    # right-skewed: the mean customer is worth much more than the median one
    assert per_customer["revenue"].mean() > 2 * per_customer["revenue"].median()
    assert per_customer["revenue"].skew() > 3


def test_purchase_counts_are_heterogeneous(per_customer):
    n = per_customer["n"]
    assert n.min() == 1
    assert 0.10 < (n == 1).mean() < 0.35  # a sizeable group buys only once
    assert n.std() / n.mean() > 1.0  # overdispersed (a Poisson base would be ≈ 0.4)
    assert n.max() >= 10 * n.median()
    assert n.mean() == pytest.approx(ROWS_PER_CUSTOMER, rel=0.15)


def test_many_customers_have_dropped_out(per_customer):
    lapsed = per_customer["last"] < END - pd.Timedelta(days=180)
    assert 0.35 < lapsed.mean() < 0.75
    # among early joiners who bought more than once, many still stop long before the end
    early = per_customer[(per_customer["first"] < pd.Timestamp("2023-07-01")) & (per_customer["n"] > 1)]
    assert len(early) > 300
    assert (early["last"] < pd.Timestamp("2024-07-01")).mean() > 0.4
    # but the base is not dead: some customers buy in the last month
    assert (per_customer["last"] >= END - pd.Timedelta(days=30)).mean() > 0.10


def test_money_columns_are_consistent(tx):
    assert (tx["amount"] > 0).all()
    assert ((tx["discount_pct"] >= 0) & (tx["discount_pct"] < 1)).all()
    assert tx["discount_pct"].max() <= 0.6
    assert (tx["margin"] < tx["amount"]).all()
    assert (tx["margin"] < 0).any()  # deep discounts can lose money
    assert 0.25 < tx["margin"].sum() / tx["amount"].sum() < 0.45
    assert (tx["discount_pct"] == 0).mean() > 0.2  # many full-price purchases


def test_dates_are_inside_the_window_and_ordered(tx):
    assert tx["date"].between(START, END).all()
    assert tx["date"].is_monotonic_increasing
    assert tx["transaction_id"].tolist() == list(range(1, len(tx) + 1))
    assert tx["customer_id"].nunique() == N_REAL
    # customer ids follow the order of joining
    first = tx.groupby("customer_id")["date"].min().sort_index()
    assert first.is_monotonic_increasing
    # joins are spread over the whole window, a little denser early on
    assert first.min() == START and first.max() > END - pd.Timedelta(days=60)
    assert (first < START + (END - START) / 2).mean() > 0.5


def test_customer_attributes_are_fixed(tx, per_customer):
    assert (per_customer["n_regions"] == 1).all()
    assert (per_customer["n_segments"] == 1).all()
    assert set(tx["region"]) == set(REGIONS)
    assert set(tx["segment"]) == set(SEGMENTS)
    shares = per_customer["segment"].value_counts(normalize=True)
    assert shares["consumer"] > shares["small business"] > shares["corporate"] > 0.05


def test_channels_mix_with_a_preferred_channel(tx):
    assert set(tx["channel"]) == set(CHANNELS)
    assert tx["channel"].value_counts(normalize=True).min() > 0.05
    per_channel = tx.groupby(["customer_id", "channel"]).size()
    n = per_channel.groupby(level="customer_id").sum()
    top_share = (per_channel.groupby(level="customer_id").max() / n)[n >= 10]
    assert len(top_share) > 100
    assert 0.75 < top_share.mean() < 0.95  # 80 % via the preferred channel + chance
    assert (top_share < 1).any()  # …but not exclusively


def test_bigger_segments_buy_bigger_baskets(tx):
    basket = tx.groupby("segment")["amount"].median()
    assert basket["consumer"] < basket["small business"] < basket["corporate"]


def test_deal_seekers_buy_on_discount_with_thin_margins(per_customer):
    deal = per_customer["median_discount"] >= 0.2
    assert 0.15 < deal.mean() < 0.35  # docstring: about a quarter
    d, o = per_customer[deal], per_customer[~deal]
    deal_rate = d["margin"].sum() / d["revenue"].sum()
    other_rate = o["margin"].sum() / o["revenue"].sum()
    assert deal_rate < 0.25 < 0.33 < other_rate  # thin vs 25–45 % margin
    assert d["median_discount"].between(0.2, 0.6).all()


def test_start_and_end_are_respected():
    t = make_transactions(n_customers=1500, seed=4, start="2020-03-15 13:45", end=pd.Timestamp("2020-06-30"))
    lo, hi = pd.Timestamp("2020-03-15"), pd.Timestamp("2020-06-30")
    assert t["date"].between(lo, hi).all()
    assert t["date"].min() == lo and t["date"].max() == hi  # both ends are reachable
    assert (t["date"] == t["date"].dt.normalize()).all()  # times are dropped
    # a short window sees fewer purchases per customer than the default two years
    assert len(t) / 1500 < ROWS_PER_CUSTOMER / 2
    # datetime objects and a one-day window (start the day before end) are accepted
    one = make_transactions(20, seed=1, start=pd.Timestamp("2021-05-01").to_pydatetime(), end="2021-05-02")
    assert set(one["date"]) <= {pd.Timestamp("2021-05-01"), pd.Timestamp("2021-05-02")}


# ============================================================================ prospects
def test_prospects_all_man_combinations_appear():
    p = load_dataset("prospects")
    combos = p.groupby(["money", "authority", "need"]).size()
    assert len(combos) == 8 and combos.min() >= 10
    mpr = make_prospects(n=200, seed=1)
    assert len(mpr.groupby(["money", "authority", "need"]).size()) == 8


def test_prospects_fields(prospects_big):
    p = prospects_big
    assert p["prospect_id"].is_unique and p["prospect_id"].str.fullmatch(r"P\d{4}").all()
    assert str(p["expected_close_days"].dtype) == "int64" and (p["expected_close_days"] > 0).all()
    assert (p["estimated_value"] > 0).all()
    assert p["source"].isin(SOURCES).all() and set(p["source"]) == set(SOURCES)
    man = p["money"] & p["authority"] & p["need"]
    assert 0.18 < man.mean() < 0.35  # docstring: about 25 %
    # ids widen beyond 9999 rows instead of overflowing
    assert make_prospects(n=10_000, seed=1)["prospect_id"].iloc[-1] == "P10000"


def test_prospects_structure(prospects_big):
    p = prospects_big
    flags = p[["money", "authority", "need"]]
    # the flags share one latent fit: positively correlated
    corr = flags.astype(float).corr().to_numpy()[np.triu_indices(3, 1)]
    assert (corr > 0.1).all()
    # more flags → sooner deal (medians ≈ 105, 66, 40, 21 days)
    med = p.groupby(flags.sum(axis=1))["expected_close_days"].median()
    assert list(med.index) == [0, 1, 2, 3] and med.is_monotonic_decreasing
    assert med[3] < 30 < 90 < med[0]
    days = p["expected_close_days"]
    assert 0.2 < (days <= 30).mean() < 0.4 and 0.3 < (days > 60).mean() < 0.5
    # good sources beat poor ones; money raises the expected value
    rate = (flags.all(axis=1)).groupby(p["source"]).mean()
    assert rate["referral chain"] > rate["mail"] and rate["network"] > rate["door-to-door"]
    assert p.loc[p["money"], "estimated_value"].median() > p.loc[~p["money"], "estimated_value"].median()


# ============================================================================ bad arguments
@pytest.mark.parametrize("bad", [0, -5, 2.5, "10", True, None, 5_000_001])
def test_make_transactions_rejects_bad_n_customers(bad):
    with pytest.raises(CRMDataError) as e:
        make_transactions(n_customers=bad)
    assert e.value.func == "make_transactions" and e.value.field == "n_customers"
    assert str(e.value).startswith("make_transactions: field 'n_customers'")


@pytest.mark.parametrize("bad", ["x", -1, 1.5])
def test_generators_reject_bad_seed(bad):
    with pytest.raises(CRMDataError) as e:
        make_transactions(10, seed=bad)
    assert (e.value.func, e.value.field) == ("make_transactions", "seed")
    with pytest.raises(CRMDataError) as e:
        make_prospects(10, seed=bad)
    assert (e.value.func, e.value.field) == ("make_prospects", "seed")


@pytest.mark.parametrize("bad", [0, -1, "600", 3.0])
def test_make_prospects_rejects_bad_n(bad):
    with pytest.raises(CRMDataError) as e:
        make_prospects(n=bad)
    assert (e.value.func, e.value.field) == ("make_prospects", "n")


def test_make_transactions_rejects_a_bad_window():
    with pytest.raises(CRMDataError) as e:
        make_transactions(10, start="2024-06-01", end="2024-01-01")
    assert e.value.func == "make_transactions" and "start" in e.value.field and "end" in e.value.field
    assert "start must be before end" in str(e.value) and "2024-06-01" in str(e.value)
    with pytest.raises(CRMDataError, match="start must be before end"):
        make_transactions(10, start="2024-01-01", end="2024-01-01 23:00")  # same day
    with pytest.raises(CRMDataError) as e:
        make_transactions(10, start="31st of Smarch")
    assert (e.value.func, e.value.field) == ("make_transactions", "start")
    assert "is not a date" in str(e.value)
    with pytest.raises(CRMDataError) as e:
        make_transactions(10, end=None)
    assert (e.value.func, e.value.field) == ("make_transactions", "end")


@pytest.mark.parametrize("bad", ["nope", "Prospects", None, 3])
def test_unknown_dataset_names(bad):
    with pytest.raises(CRMDataError) as e:
        load_dataset(bad)
    assert (e.value.func, e.value.field) == ("load_dataset", "name")
    assert ", ".join(list_datasets()) in str(e.value)  # lists what is available
    with pytest.raises(CRMDataError) as e:
        dataset_path(bad)
    assert (e.value.func, e.value.field) == ("dataset_path", "name")


def test_regenerate_rejects_bad_out(tmp_path):
    f = tmp_path / "existing.csv"
    f.write_text("keep me")
    with pytest.raises(CRMDataError) as e:
        regenerate(out=f)
    assert (e.value.func, e.value.field) == ("regenerate", "out")
    assert "is not a folder" in str(e.value)
    assert f.read_text() == "keep me"
    for bad in ["", "   ", 42]:
        with pytest.raises(CRMDataError) as e:
            regenerate(out=bad)
        assert (e.value.func, e.value.field) == ("regenerate", "out")


# ============================================================================ hand-edited files
@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Point load_dataset at a scratch copy of the CSVs (to simulate hand-edited files)."""
    for name in list_datasets():
        shutil.copy2(COMMITTED / _base._filename(name), tmp_path)
    monkeypatch.setattr(_base, "_resource", lambda name: tmp_path / _base._filename(name))
    return tmp_path


def test_hand_edited_yes_no_flags_are_accepted(data_dir):
    f = data_dir / "prospects.csv"
    lines = f.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("True,True,True", "yes,否,1")
    f.write_text("".join(lines))
    p = load_dataset("prospects")
    assert p.loc[0, ["money", "authority", "need"]].tolist() == [True, False, True]
    assert str(p["money"].dtype) == "bool"


def test_hand_edited_bad_values_are_named(data_dir):
    f = data_dir / "prospects.csv"
    lines = f.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace("True", "maybe", 1)
    f.write_text("".join(lines))
    with pytest.raises(CRMDataError) as e:
        load_dataset("prospects")
    assert (e.value.func, e.value.field, e.value.rows) == ("load_dataset", "money", [2])
    g = data_dir / "retail_transactions.csv"
    lines = g.read_text().splitlines(keepends=True)
    lines[5] = lines[5].replace("2023-01-01", "2023-13-45")
    g.write_text("".join(lines))
    with pytest.raises(CRMDataError) as e:
        load_dataset("retail_transactions")
    assert (e.value.func, e.value.field, e.value.rows) == ("load_dataset", "date", [4])


def test_missing_file_is_reported(data_dir):
    (data_dir / "prospects.csv").unlink()
    with pytest.raises(CRMDataError, match="missing from the install") as e:
        load_dataset("prospects")
    assert (e.value.func, e.value.field) == ("load_dataset", "name")


def test_dates_in_another_format_are_not_silently_lost(data_dir):
    f = data_dir / "retail_transactions.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df["date"] = df["date"].str.replace("-", "/")
    df.to_csv(f, index=False)
    try:
        t = load_dataset("retail_transactions")
    except CRMDataError:
        return  # refusing the file is fine too
    assert not t["date"].isna().any()


def test_blank_number_cell_raises_crmdataerror(data_dir):
    f = data_dir / "prospects.csv"
    lines = f.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(",6,", ",,")
    f.write_text("".join(lines))
    with pytest.raises(CRMDataError) as e:
        load_dataset("prospects")
    assert e.value.func == "load_dataset"


# ============================================================================ installed wheel
def _build_wheel(src: Path, dest: Path) -> subprocess.CompletedProcess:
    base = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dest)]
    if importlib.util.find_spec("wheel") is not None:
        res = subprocess.run([*base, "--no-build-isolation", str(src)], capture_output=True, text=True, timeout=300)
        if res.returncode == 0:
            return res
    # this venv lacks wheel / a recent setuptools: let pip fetch the build backend
    return subprocess.run([*base, str(src)], capture_output=True, text=True, timeout=300)


def test_installed_wheel_reads_its_own_data(tmp_path):
    # Build from a copy so nothing (build/, *.egg-info) is written into the checkout.
    src = tmp_path / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copy2(REPO / "pyproject.toml", src)
    for sub in ("crmlib", "datasets"):
        shutil.copytree(REPO / sub, src / sub, ignore=ignore)
    readme = REPO / "README.md"
    if readme.exists():
        shutil.copy2(readme, src)
    else:  # the project readme is referenced by pyproject.toml but may not exist yet
        (src / "README.md").write_text("crmlib\n")
    wheels = tmp_path / "wheels"
    res = _build_wheel(src, wheels)
    if res.returncode != 0 and "No matching distribution" in res.stderr:
        pytest.skip(f"cannot fetch the build backend (offline?): {res.stderr[-300:]}")
    assert res.returncode == 0, res.stderr[-2000:]
    (wheel,) = wheels.glob("crmlib-*.whl")

    target = tmp_path / "site"
    res = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]

    script = textwrap.dedent("""
        import json
        from importlib import resources
        import crmlib, crmlib.datasets as d
        tx = d.load_dataset("retail_transactions")
        print(json.dumps({
            "crmlib": crmlib.__file__,
            "datasets": d.__file__,
            "data": str(resources.files("crmlib._data")),
            "path": str(d.dataset_path("retail_transactions")),
            "tx": list(tx.shape),
            "tx_equal": bool(tx.equals(d.make_transactions())),
            "pr": list(d.load_dataset("prospects").shape),
            "cdnow": list(d.load_dataset("cdnow_master").shape),
            "readme": resources.files("crmlib._data").joinpath("README.md").is_file(),
        }))
    """)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("PYTHONSAFEPATH", None)
    res = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr[-2000:]
    info = json.loads(res.stdout.strip().splitlines()[-1])
    root = target.resolve()
    for key in ("crmlib", "datasets", "data", "path"):
        where = Path(info[key]).resolve()
        assert where.is_relative_to(root), (key, where)  # the wheel, not the checkout
        assert not where.is_relative_to(REPO), (key, where)
    assert info["tx"] == [TX_ROWS, len(TX_COLUMNS)]
    assert info["pr"] == [PR_ROWS, len(PR_COLUMNS)]
    assert info["cdnow"] == [69_659, 4]  # the gzipped CSV ships too
    assert info["tx_equal"] is True
    assert info["readme"] is True  # the datasheet ships too


# ---------------------------------------------------------------- your own files: what read_csv keeps exact
def _file(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


INVOICES_CSV = (
    "invoice_id,account_id,issue_date,due_date,paid_date,amount\n"
    "I1,A1,2024-01-05,2024-02-04,2024-02-01,100.00\n"
    "I2,A1,2024-03-01,2024-03-31,,50.00\n"  # still open: no paid date yet
    "I3,A2,2024-04-10,2024-05-10,,70.00\n"
)


def test_open_invoices_read_as_kind_invoices(tmp_path):
    from crmlib import receivables

    inv = D.read_csv(_file(tmp_path, INVOICES_CSV), kind="invoices")
    assert str(inv["paid_date"].dtype) == "datetime64[ns]"
    assert inv["paid_date"].isna().tolist() == [False, True, True]
    aging = receivables.receivables_aging(inv, "2024-05-15")
    # open on 15 May: I2 (due 31 Mar: 45 days late, 31–60) and I3 (due 10 May: 5 days late, 1–30)
    assert aging.open["amount"].tolist() == [50.0, 70.0] and aging.open["days_past_due"].tolist() == [45, 5]
    assert aging.total["amount"].tolist() == [0.0, 70.0, 50.0, 0.0, 0.0]
    # only the paid date may be empty
    with pytest.raises(CRMDataError) as e:
        D.read_csv(_file(tmp_path, INVOICES_CSV.replace("2024-03-31", "")), kind="invoices")
    assert e.value.field == "due_date" and e.value.rows == [1]


def test_nineteen_digit_ids_stay_distinct_and_exact(tmp_path):
    # 1234567890123456789 and ...788 are one float64 (1.2345678901234568e18); a blank makes pandas use floats
    text = "customer_id,会员卡号,order_no,amount\n1234567890123456789,0012,9007199254740993,5\n"
    text += "1234567890123456788,0013,9007199254740992,7\n,0014,,9\n"
    df = D.read_csv(_file(tmp_path, text))
    assert df["customer_id"].tolist()[:2] == ["1234567890123456789", "1234567890123456788"]
    assert df["customer_id"].isna().tolist() == [False, False, True]
    assert df["会员卡号"].tolist() == ["0012", "0013", "0014"]  # an id column keeps its leading zeros
    assert df["order_no"].tolist()[:2] == ["9007199254740993", "9007199254740992"]  # 2**53 + 1 and 2**53
    assert str(df["amount"].dtype) == "int64" and df["amount"].tolist() == [5, 7, 9]


def test_whole_number_columns_are_exact_or_refused(tmp_path):
    head = "prospect_id,source,money,authority,need,expected_close_days,estimated_value\n"
    df = D.read_csv(_file(tmp_path, head + "P1,web,True,False,True,9007199254740993,1.0\n"), kind="prospects")
    assert df["expected_close_days"].tolist() == [9007199254740993]  # float64 would give ...992
    for big in ("9223372036854775808", "99999999999999999999", "-9223372036854775809"):
        text = head + f"P1,web,True,False,True,3,1.0\nP2,web,True,False,True,{big},1.0\n"
        with pytest.raises(CRMDataError) as e:
            D.read_csv(_file(tmp_path, text), kind="prospects")
        assert e.value.field == "expected_close_days" and e.value.rows == [1] and "64-bit" in str(e.value)
    ok = D.read_csv(_file(tmp_path, head + "P1,web,True,False,True,9223372036854775807,1.0\n"), kind="prospects")
    assert ok["expected_close_days"].tolist() == [2**63 - 1]
    with pytest.raises(CRMDataError) as e:
        D.read_csv(_file(tmp_path, head + "P1,web,True,False,True,2.5,1.0\n"), kind="prospects")
    assert e.value.field == "expected_close_days" and "whole" in str(e.value)


@pytest.mark.parametrize("path", [None, 3, b"mine.csv", "", ["mine.csv"]])
def test_read_csv_of_no_path_is_a_crmdataerror(path):
    with pytest.raises(CRMDataError) as e:
        D.read_csv(path)
    assert e.value.func == "read_csv" and e.value.field == "path"


# ---------------------------------------------------------------- the day-first rule, in every date reader
TX_ISO = "customer_id,date,amount\nK1,2024-02-10,10\nK1,2024-02-25,20\nK2,2024-03-04,5\n"
TX_DMY = "customer_id,date,amount\nK1,10/02/2024,10\nK1,25/02/2024,20\nK2,04/03/2024,5\n"  # 25 > 12: day first
TX_MDY = "customer_id,date,amount\nK1,02/10/2024,10\nK1,02/25/2024,20\nK2,03/04/2024,5\n"  # 25 > 12: month first
TX_AMBIGUOUS = "customer_id,date,amount\nK1,10/02/2024,10\nK1,11/02/2024,20\nK2,04/03/2024,5\n"
EXPECTED = pd.to_datetime(["2024-02-10", "2024-02-25", "2024-03-04"])


def _tx(text: str) -> pd.DataFrame:
    import io

    return pd.read_csv(io.StringIO(text), dtype=str)


def _readers():
    """Each public way a date column of text gets read, returning the dates it read."""
    from crmlib import clv, segmentation
    from crmlib.records import Archive

    def archive(df):
        arc = Archive(":memory:")
        arc.add("customers", pd.DataFrame({"customer_id": ["K1", "K2"], "name": ["Li", "Wang"]}))
        arc.add("purchases", df)
        return arc.to_frames()["purchases"]["date"]

    def rfm(df):  # recency in days before 2024-03-31 gives back each customer's last date
        r = segmentation.rfm_table(df, as_of="2024-03-31")
        return pd.Timestamp("2024-03-31") - pd.to_timedelta(r["recency_days"], unit="D")

    def clv_summary(df):
        s = clv.summary_from_transactions(df, observation_end="2024-03-31")
        return pd.Timestamp("2024-03-31") - pd.to_timedelta(s["T"], unit="D")

    return {"archive.add": archive, "rfm_table": rfm, "summary_from_transactions": clv_summary}


def _retail(tmp_path, text: str):
    """The three purchases of ``text`` as a file of kind ``retail_transactions``."""
    cols = "transaction_id,customer_id,date,amount,discount_pct,margin,channel,region,segment"
    rows = [line.split(",") for line in text.splitlines()[1:]]
    body = "".join(f"{i},{c},{d},{a},0,1,web,North,small\n" for i, (c, d, a) in enumerate(rows))
    return _file(tmp_path, cols + "\n" + body)


@pytest.mark.parametrize("text", [TX_DMY, TX_MDY], ids=["day-first", "month-first"])
def test_a_column_written_one_way_is_read_that_way(tmp_path, text):
    read = D.read_csv(_retail(tmp_path, text), kind="retail_transactions")
    assert read["date"].tolist() == EXPECTED.tolist()


@pytest.mark.parametrize("reader", ["archive.add", "rfm_table", "summary_from_transactions"])
@pytest.mark.parametrize("text", [TX_DMY, TX_MDY], ids=["day-first", "month-first"])
def test_every_date_reader_follows_the_rule(reader, text):
    got = _readers()[reader](_tx(text))
    want = _readers()[reader](_tx(TX_ISO))
    assert sorted(pd.Series(got).tolist()) == sorted(pd.Series(want).tolist())


@pytest.mark.parametrize("reader", ["archive.add", "rfm_table", "summary_from_transactions"])
def test_every_date_reader_refuses_an_ambiguous_column(reader):
    with pytest.raises(CRMDataError) as e:
        _readers()[reader](_tx(TX_AMBIGUOUS))
    assert e.value.field == "date" and e.value.rows == [0, 1, 2] and "day-first and month-first" in str(e.value)


def test_dayfirst_says_how_an_ambiguous_file_was_written(tmp_path):
    path = _retail(tmp_path, TX_AMBIGUOUS)
    with pytest.raises(CRMDataError) as e:
        D.read_csv(path, kind="retail_transactions")
    assert e.value.field == "date" and "dayfirst=True" in str(e.value)
    day = D.read_csv(path, kind="retail_transactions", dayfirst=True)["date"]
    month = D.read_csv(path, kind="retail_transactions", dayfirst=False)["date"]
    assert day.dt.strftime("%Y-%m-%d").tolist() == ["2024-02-10", "2024-02-11", "2024-03-04"]
    assert month.dt.strftime("%Y-%m-%d").tolist() == ["2024-10-02", "2024-11-02", "2024-04-03"]
    with pytest.raises(CRMDataError) as e:
        D.read_csv(path, kind="retail_transactions", dayfirst="yes")
    assert e.value.field == "dayfirst"


def test_a_column_written_both_ways_names_the_rarer_rows():
    from crmlib import _validate as V

    s = pd.Series(["10/02/2024", "25/02/2024", "26/02/2024", "02/27/2024"])
    with pytest.raises(CRMDataError) as e:
        V.dates(s, "f", "date")
    assert e.value.rows == [3] and "both ways" in str(e.value)
    # year-first (Chinese Excel: 2024/02/10) and ISO are never in question
    assert V.dates(pd.Series(["2024/02/10", "2024/11/02"]), "f", "d").dt.month.tolist() == [2, 11]
    assert V.dates(pd.Series(["01/01/2024", "12/12/2024"]), "f", "d").dt.day.tolist() == [1, 12]  # same both ways


def test_one_date_follows_the_rule_too():
    from crmlib import segmentation

    tx = _tx(TX_ISO)
    a = segmentation.rfm_table(tx, as_of="31/03/2024")
    b = segmentation.rfm_table(tx, as_of="2024-03-31")
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(CRMDataError) as e:
        segmentation.rfm_table(tx, as_of="04/05/2024")
    assert e.value.field == "as_of" and "both day-first and month-first" in str(e.value)


def test_day_first_dates_with_offsets_keep_their_own_clock():
    """The day-first rule with the time-zone rule: each date on its own clock, read day-first."""
    from crmlib import _validate as V

    s = pd.Series(["25/02/2024 23:00-05:00", "26/02/2024 01:00+08:00", "10/02/2024 09:00+00:00"])
    got = V.dates(s, "f", "date").dt.strftime("%Y-%m-%d %H:%M").tolist()
    assert got == ["2024-02-25 23:00", "2024-02-26 01:00", "2024-02-10 09:00"]
    assert V.timestamp("25/02/2024 23:00-05:00", "f", "as_of") == pd.Timestamp("2024-02-25 23:00")
