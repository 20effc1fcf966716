"""What every kernel (chapter, assign, grade, test) pays to import the workbook's library.

``import crmlib, crmlib.plots, crmlib.widgets`` against ``import pandas, matplotlib.pyplot,
ipywidgets`` alone (what any notebook with a widget and a plot needs anyway), each in a fresh
interpreter, measured in the same run: the statements take turns, ``--repeat`` rounds, best of
each. Goal: ratio <= 1.3.

The third line is the same import with seaborn made lazy (``import seaborn`` returns a stand-in
that imports the real seaborn at the first use of one of its names), i.e. what the import costs once
crmlib.plots imports seaborn inside the plots that need it instead of at the top: seaborn imports
scipy.stats, the largest single cost.

    .venv/bin/python benchmarks/bench_import.py [--repeat 7] [--clock cpu|wall]

CPU time (default) of the importing process is what an idle machine shows as waiting time; on a
shared machine wall-clock time mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

GOAL = 1.3

BASELINE = "import pandas, matplotlib.pyplot, ipywidgets"
OURS = "import crmlib, crmlib.plots, crmlib.widgets"
LAZY_SEABORN = """
import importlib, sys, types
class _Seaborn(types.ModuleType):          # imports the real seaborn at the first use of a name
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        del sys.modules["seaborn"]
        real = importlib.import_module("seaborn")
        self.__dict__.update(real.__dict__)
        return getattr(real, name)
sys.modules["seaborn"] = _Seaborn("seaborn")
"""
FIRST_USE = "; crmlib.widgets.rfm_explorer"  # the explorer's module and what it imports (ipywidgets …)
CASES = {
    "pandas + matplotlib.pyplot + ipywidgets": BASELINE,
    "crmlib + crmlib.plots + crmlib.widgets": OURS,
    "  + an explorer module (first use)": OURS + FIRST_USE,
    "the same, seaborn imported lazily": LAZY_SEABORN + OURS,
    "  + an explorer module (first use), lazily": LAZY_SEABORN + OURS + FIRST_USE,
    "crmlib.widgets alone": "import crmlib.widgets",
}

TIMER = """
import os, time
os.environ.setdefault("MPLBACKEND", "Agg")
_clock = time.process_time if {cpu} else time.perf_counter
_t0 = _clock()
{code}
print(_clock() - _t0)
"""


def once(code: str, cpu: bool) -> float:
    """Seconds to run ``code`` (imports) in a fresh interpreter, interpreter start-up excluded."""
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(cpu=cpu, code=code)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    args = ap.parse_args()
    cpu = args.clock == "cpu"
    best = {name: float("inf") for name in CASES}
    for _ in range(args.repeat):  # take turns: each round sees the same load
        for name, code in CASES.items():
            best[name] = min(best[name], once(code, cpu))
    base = best["pandas + matplotlib.pyplot + ipywidgets"]
    print(f"import times ({args.clock} time, fresh interpreter, best of {args.repeat}):")
    for name, t in best.items():
        print(f"  {name:46s} {t * 1000:7.0f} ms   {t / base:5.2f}x")
    for name in (
        "crmlib + crmlib.plots + crmlib.widgets",
        "  + an explorer module (first use)",
        "the same, seaborn imported lazily",
        "  + an explorer module (first use), lazily",
    ):
        ratio = best[name] / base
        print(
            f"ratio {name.strip()} / baseline = {ratio:.2f}  (goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
