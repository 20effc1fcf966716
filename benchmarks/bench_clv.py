"""CLV models (crmlib.clv): BG/NBD and Gamma-Gamma fits on the CDNOW summary and on 1,000,000
simulated customers, and summary_from_transactions on ~1,000,000 transactions against a bare
pandas groupby of the same figures, measured in the same run.

If the archived ``lifetimes`` package is installed in a throw-away environment (never in the
project's), its fits and its summary are timed on the very same data in a subprocess and the
ratio is printed (goal: crmlib ≥ 10× faster at equal parameters):

    python3 -m venv /tmp/ltvenv && /tmp/ltvenv/bin/pip install lifetimes
    .venv/bin/python benchmarks/bench_clv.py [--lifetimes-python /tmp/ltvenv/bin/python]
                                             [--customers 1000000] [--repeat 5] [--no-big-lifetimes]

Both sides run with OPENBLAS_NUM_THREADS=1 (set below unless already set): on a shared 2-core
machine OpenBLAS worker threads spinning inside scipy's L-BFGS-B cost several milliseconds per
iteration and would make every small fit look 3–5× slower than it is.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before numpy / scipy are imported

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from _timing import best_of, compare  # noqa: E402  (benchmarks/_timing.py)
from crmlib.clv import BetaGeo, GammaGamma, simulate_beta_geo, summary_from_transactions  # noqa: E402
from crmlib.datasets import load_dataset, make_transactions  # noqa: E402

LIFETIMES_SCRIPT = textwrap.dedent("""
    import json, sys, time, warnings
    import numpy as np, pandas as pd
    warnings.filterwarnings("ignore")
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    def best(fn, repeat):
        out, times = None, []
        for _ in range(repeat):
            t0 = time.perf_counter(); out = fn(); times.append(time.perf_counter() - t0)
        return min(times), out

    job = json.loads(sys.argv[1])
    res = {}
    for name, spec in job["fits"].items():
        d = np.load(spec["file"])
        if spec["kind"] == "bg":
            t, m = best(lambda: BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"]), spec["repeat"])
            p = m.params_
            res[name] = {"time": t, "params": [p["r"], p["alpha"], p["a"], p["b"]],
                         "ll": float(-m._negative_log_likelihood_ * len(d["frequency"]))
                         if hasattr(m, "_negative_log_likelihood_") else None}
        else:
            t, m = best(lambda: GammaGammaFitter().fit(d["frequency"], d["monetary_value"]), spec["repeat"])
            p = m.params_
            res[name] = {"time": t, "params": [p["p"], p["q"], p["v"]]}
    if job.get("tx"):
        tx = pd.read_parquet(job["tx"]) if job["tx"].endswith(".parquet") else pd.read_pickle(job["tx"])
        t, s = best(lambda: summary_data_from_transaction_data(tx, "customer_id", "date", "amount",
                                                               freq="D"), 1)
        res["summary"] = {"time": t, "rows": len(s)}
    print(json.dumps(res))
""")


def baseline_summary(tx: pd.DataFrame) -> pd.DataFrame:
    """The same four figures with bare pandas (no validation): purchase days, then customers."""
    days = tx[["customer_id", "date", "amount"]].groupby(["customer_id", "date"], sort=True)["amount"].sum()
    days = days.reset_index()
    g = days.groupby("customer_id", sort=True)
    out = g.agg(first=("date", "min"), last=("date", "max"), n=("amount", "size"),
                total=("amount", "sum"), first_amount=("amount", "first"))
    end = tx["date"].max()
    out["frequency"] = out["n"] - 1
    out["recency"] = (out["last"] - out["first"]).dt.days.astype(float)
    out["T"] = (end - out["first"]).dt.days.astype(float)
    out["monetary_value"] = ((out["total"] - out["first_amount"]) / out["frequency"]).where(out["frequency"] > 0, 0.0)
    return out[["frequency", "recency", "T", "monetary_value"]]


def simulate_spend(x: np.ndarray, seed: int = 5) -> np.ndarray:
    """Mean repeat spend of customers with x repeats (Gamma-Gamma with p=6, q=4, gamma=20)."""
    rng = np.random.default_rng(seed)
    nu = rng.gamma(4.0, 1 / 20.0, size=x.size)
    xs = np.maximum(x, 1)
    return np.where(x > 0, rng.gamma(6.0 * xs) / (nu * xs), 0.0)


def fmt(params: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:.4g}" for k, v in params.items())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000, help="simulated customers for the big fits")
    ap.add_argument("--tx-customers", type=int, default=128_000, help="≈ 1,000,000 transactions")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lifetimes-python", default="/tmp/ltvenv/bin/python")
    ap.add_argument("--no-big-lifetimes", action="store_true", help="skip lifetimes on the 1,000,000 customers")
    args = ap.parse_args()

    # ---------------------------------------------------------------- data
    cd = summary_from_transactions(load_dataset("cdnow_sample"), observation_end="1997-09-30", freq="W")
    big = simulate_beta_geo(args.customers, r=0.243, alpha=4.414, a=0.793, b=2.426,
                            T=np.random.default_rng(1).uniform(27, 39, args.customers), seed=2)
    big["monetary_value"] = simulate_spend(big["frequency"].to_numpy())
    print(f"CDNOW summary: {len(cd):,} customers; simulated: {len(big):,} customers "
          f"({int((big['frequency'] > 0).sum()):,} with repeats)")

    # ---------------------------------------------------------------- our fits
    ours: dict[str, tuple[float, object]] = {}
    for name, df, rep in (("cdnow", cd, args.repeat), ("big", big, max(1, args.repeat // 3))):
        t_bg = best_of(lambda: BetaGeo().fit(df["frequency"], df["recency"], df["T"]), rep)
        bg = BetaGeo().fit(df["frequency"], df["recency"], df["T"])
        t_gg = best_of(lambda: GammaGamma().fit(df["frequency"], df["monetary_value"]), rep)
        gg = GammaGamma().fit(df["frequency"], df["monetary_value"])
        ours[f"bg_{name}"] = (t_bg, bg)
        ours[f"gg_{name}"] = (t_gg, gg)
        print(f"crmlib BetaGeo.fit    {name:>5}: {t_bg * 1000:8.1f} ms  {fmt(bg.params_)}  LL={bg.log_likelihood_:.1f}")
        print(f"crmlib GammaGamma.fit {name:>5}: {t_gg * 1000:8.1f} ms  {fmt(gg.params_)}")

    # ---------------------------------------------------------------- summary vs bare pandas
    t0 = time.perf_counter()
    tx = make_transactions(n_customers=args.tx_customers, seed=1)
    print(f"generated {len(tx):,} transactions of {tx['customer_id'].nunique():,} customers "
          f"in {time.perf_counter() - t0:.2f} s")
    s = summary_from_transactions(tx)
    ref = baseline_summary(tx)
    assert s.index.equals(ref.index) and (s["frequency"] == ref["frequency"]).all()
    assert np.allclose(s[["recency", "T", "monetary_value"]], ref[["recency", "T", "monetary_value"]])
    compare("summary_from_transactions", lambda: summary_from_transactions(tx), lambda: baseline_summary(tx),
            args.repeat, baseline_name="bare pandas groupby (purchase days, then customers)")

    # ---------------------------------------------------------------- lifetimes (optional)
    py = Path(args.lifetimes_python)
    if not py.exists() or subprocess.run([str(py), "-c", "import lifetimes"], capture_output=True).returncode:
        print(f"lifetimes not available at {py}: skipping the comparison "
              "(python3 -m venv /tmp/ltvenv && /tmp/ltvenv/bin/pip install lifetimes)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        fits = {}
        for name, df, rep in (("cdnow", cd, args.repeat), ("big", big, 1)):
            if name == "big" and args.no_big_lifetimes:
                continue
            f = Path(tmp) / f"{name}.npz"
            np.savez(f, frequency=df["frequency"].to_numpy(float), recency=df["recency"].to_numpy(),
                     T=df["T"].to_numpy(), monetary_value=df["monetary_value"].to_numpy())
            fits[f"bg_{name}"] = {"kind": "bg", "file": str(f), "repeat": rep}
            rep_df = df[df["frequency"] > 0]
            g = Path(tmp) / f"{name}_gg.npz"
            np.savez(g, frequency=rep_df["frequency"].to_numpy(float), monetary_value=rep_df["monetary_value"].to_numpy())
            fits[f"gg_{name}"] = {"kind": "gg", "file": str(g), "repeat": rep}
        txf = Path(tmp) / "tx.pkl"
        tx[["customer_id", "date", "amount"]].to_pickle(txf)
        job = {"fits": fits, "tx": str(txf)}
        print("running lifetimes in a subprocess (the 1,000,000-customer fits can take minutes)…", flush=True)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ["OPENBLAS_NUM_THREADS"]}
        res = subprocess.run([str(py), "-c", LIFETIMES_SCRIPT, json.dumps(job)], capture_output=True,
                             text=True, timeout=3600, env=env)
    if res.returncode != 0:
        print("lifetimes failed:", res.stderr[-1500:])
        return
    lt = json.loads(res.stdout.strip().splitlines()[-1])
    for key, (t_ours, model) in ours.items():
        if key not in lt:
            continue
        mine = np.array(list(model.params_.values()))
        theirs = np.array(lt[key]["params"])
        rel = float(np.max(np.abs(mine - theirs) / np.abs(theirs)))
        ratio = lt[key]["time"] / t_ours
        print(f"{key:>9}: lifetimes {lt[key]['time'] * 1000:9.1f} ms vs crmlib {t_ours * 1000:8.1f} ms → "
              f"{ratio:6.1f}× faster (goal ≥ 10: {'met' if ratio >= 10 else 'NOT met'}); "
              f"max relative parameter difference {rel:.1e}"
              + ("" if rel < 1e-2 else "  (parameters differ!)"))
    if "summary" in lt:
        t_s = best_of(lambda: summary_from_transactions(tx), args.repeat)
        print(f"summary on {len(tx):,} transactions: lifetimes {lt['summary']['time']:.2f} s vs crmlib "
              f"{t_s:.2f} s → {lt['summary']['time'] / t_s:.1f}× faster")


if __name__ == "__main__":
    main()
