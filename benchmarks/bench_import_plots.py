"""Import time of ``crmlib.plots`` against ``pandas`` + ``matplotlib.pyplot`` + ``ipywidgets`` alone,
each in a fresh interpreter, measured in the same run (best of N, interleaved). Goal: ratio <= 1.3.

    .venv/bin/python benchmarks/bench_import_plots.py [--repeat 7]

seaborn (≈0.7 s, mostly scipy.stats) is imported by the first plot that needs it, not on import.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

BASELINE = "import pandas, matplotlib.pyplot, ipywidgets"
OURS = "import crmlib.plots"


def _run(code: str) -> float:
    env = dict(os.environ, MPLBACKEND="Agg")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    base, ours = [], []
    for _ in range(args.repeat):  # interleaved: a busy machine slows both alike
        base.append(_run(BASELINE))
        ours.append(_run(OURS))
    b, o = min(base), min(ours)
    print(f"baseline ({BASELINE}): {b * 1000:.0f} ms")
    print(f"crmlib ({OURS}): {o * 1000:.0f} ms")
    ratio = o / b
    print(f"ratio import crmlib.plots / baseline = {ratio:.2f}  (goal <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
