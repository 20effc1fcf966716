"""channel_report on 1,000,000 generated leads against a bare pandas groupby().agg() of the same
figures, measured in the same run. Goal: ratio <= 1.5.

    .venv/bin/python benchmarks/bench_channel_report.py [--leads 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from _timing import compare  # benchmarks/_timing.py (scripts run from this folder's path)
from crmlib.datasets import make_leads
from crmlib.development import channel_report


def baseline(leads: pd.DataFrame) -> pd.DataFrame:
    """What a careful analyst would write by hand: one groupby over the needed columns, the ratios
    after it, no validation."""
    df = leads[["channel", "won", "cost", "value"]].assign(
        qualified=leads["money"] & leads["authority"] & leads["need"]
    )
    df["qualified_won"] = df["qualified"] & df["won"]
    out = df.groupby("channel").agg(
        leads=("won", "size"),
        qualified=("qualified", "sum"),
        won=("won", "sum"),
        qualified_won=("qualified_won", "sum"),
        cost=("cost", "sum"),
        value=("value", "sum"),
    )
    out["qualified_rate"] = out["qualified"] / out["leads"]
    out["win_rate"] = out["won"] / out["leads"]
    out["close_rate"] = out["qualified_won"] / out["qualified"]
    out["cost_per_lead"] = out["cost"] / out["leads"]
    out["cost_per_acquisition"] = out["cost"] / out["won"]
    out["return"] = (out["value"] - out["cost"]) / out["cost"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    leads = make_leads(n=args.leads, seed=1)
    print(f"generated {len(leads):,} leads in {time.perf_counter() - t0:.2f} s")
    ours, ref = channel_report(leads), baseline(leads)
    assert (ours["leads"] == ref["leads"]).all() and (ours["won"] == ref["won"]).all()
    for col in ["cost_per_acquisition", "return", "close_rate"]:
        assert np.allclose(ours[col], ref[col])
    compare(
        "channel_report",
        lambda: channel_report(leads),
        lambda: baseline(leads),
        args.repeat,
        baseline_name="bare groupby().agg()",
    )


if __name__ == "__main__":
    main()
