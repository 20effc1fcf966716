"""receivables_aging on ~1,000,000 generated invoices against a bare pandas baseline (pd.cut +
groupby().agg() + unstack of the same per-customer, per-bucket amounts and counts), measured in
the same run. Goal: ratio <= 1.5.

    .venv/bin/python benchmarks/bench_receivables.py [--accounts 64000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from _timing import compare  # benchmarks/_timing.py (scripts run from this folder's path)
from crmlib.datasets import make_accounts, make_invoices
from crmlib.receivables import receivables_aging

AS_OF = pd.Timestamp("2024-12-31")
BUCKETS = (30, 60, 90)


def baseline(inv: pd.DataFrame) -> pd.DataFrame:
    """What a careful analyst would write by hand, without any validation: keep the open invoices,
    cut their days past due into buckets, one groupby over (customer, bucket), unstack."""
    is_open = (inv["issue_date"] <= AS_OF) & (inv["paid_date"].isna() | (inv["paid_date"] > AS_OF))
    op = inv.loc[is_open, ["account_id", "due_date", "amount"]]
    dpd = (AS_OF - op["due_date"]).dt.days
    bucket = pd.cut(dpd, [-np.inf, 0, *BUCKETS, np.inf], labels=False)
    out = op.assign(bucket=bucket).groupby(["account_id", "bucket"])["amount"].agg(["sum", "count"])
    return out.unstack("bucket", fill_value=0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=64_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    inv = make_invoices(make_accounts(n=args.accounts, seed=1), seed=1)
    print(
        f"generated {len(inv):,} invoices of {inv['account_id'].nunique():,} accounts "
        f"in {time.perf_counter() - t0:.2f} s"
    )
    ours = receivables_aging(inv, AS_OF, buckets=BUCKETS)
    ref = baseline(inv)
    amounts = ours.by_customer["amount"][list(ours.labels)].to_numpy()
    ref_amounts = ref["sum"].reindex(columns=range(len(ours.labels)), fill_value=0).reindex(ours.by_customer.index)
    assert np.allclose(amounts, ref_amounts.to_numpy(), atol=1e-6)
    assert int(ours.total["count"].sum()) == int(ref["count"].to_numpy().sum())
    compare(
        "receivables_aging",
        lambda: receivables_aging(inv, AS_OF, buckets=BUCKETS),
        lambda: baseline(inv),
        args.repeat,
        baseline_name="bare pandas cut + groupby().agg()",
    )


if __name__ == "__main__":
    main()
