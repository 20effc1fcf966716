"""One interaction of each explorer on 10,000 customers, compute and draw timed separately.

An interaction is what a student does: set one control's ``.value``. For each explorer two copies
are built on the same data, one with ``draw=False`` (its interaction is the *compute*: the crmlib
call plus the verdict line) and one with ``draw=True`` (compute + *draw*: the figure drawn and
encoded into the widget's output); draw = the second minus the first, split into *plot* (the time
in the explorer's ``draw()``, i.e. the crmlib.plots call) and *render* (the rest: figure, layout,
rasterising, PNG). Each interaction moves the
control to a setting not seen before: what an explorer keeps from earlier settings is forgotten
before each timed step (except the result of the current setting, which a control that does not
change it — the customer of the CLV explorer — rightly reuses), unless the name says "back to".
Best of ``--repeat`` runs, in CPU time of this process (``--clock wall`` for wall-clock time; on
a shared machine CPU time is what an idle one would show). Goal: compute + draw <= 100 ms each.

A shared machine is slower still when the other core is busy, so the run first times a baseline,
the least a figure in a notebook costs — a matplotlib Figure of the explorers' size with one
Axes and one line of 10 points, drawn and saved as PNG (``savefig``) — and prints each
interaction also as a multiple of it (``x base``): a figure to compare runs made under different
loads.

    .venv/bin/python benchmarks/bench_widgets.py [--customers 10000] [--repeat 5] [--only rfm,clv]

The same script runs against another copy of crmlib (``PYTHONPATH=/path/to/old/checkout``) for the
numbers before a change. The MAN qualifier, the glossary and the Franklin balance have no data
sized by customers and are not timed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pandas as pd

GOAL_MS = 100.0


def _data(n: int) -> dict[str, Any]:
    from crmlib import casework as CW, datasets as D, segmentation as S

    t0 = time.perf_counter()
    tx = D.make_transactions(n_customers=n, seed=1)
    rfm = S.rfm_table(tx)
    rng = np.random.default_rng(1)
    accounts = D.make_accounts(n=n, seed=1)
    d = dict(
        tx=tx,
        revenue=rfm["monetary"],
        potential=pd.Series(rng.gamma(2.0, 300.0, len(rfm)), index=rfm.index),
        accounts=accounts,
        invoices=D.make_invoices(accounts, seed=1),
        leads=D.make_leads(n=n, seed=3),
        survey=D.make_survey(n_respondents=n, seed=4),
        rice=D.make_rice_purchases(n_households=max(40, n // 20), days=300, seed=1),
        lobby=D.make_lobby_visitors(n=max(40, n // 50), seed=5),
    )
    players = D.make_casino_players(n=n, seed=1)
    d["comp"] = (players["net_loss"], CW.design_tiers(players["net_loss"])["tier"].to_numpy())
    print(f"data for {n:,} customers ({len(tx):,} transactions) made in {time.perf_counter() - t0:.1f} s")
    return d


def _forget(w: Any) -> None:
    """Forget the results and figures an explorer keeps, except the result of its current setting."""
    if hasattr(w, "_results"):
        current = {k: v for k, v in w._results.items() if k == w._key}
        w._results.clear()
        w._results.update(current)
        w._figures.clear()


def _cases(d: dict[str, Any]) -> list[tuple[str, Callable[[bool], Any], Callable[[Any], Any]]]:
    """(name, build(draw) -> explorer, make a step(explorer) that makes one interaction)."""
    from crmlib import widgets as W

    def cycle(attr: str, values, sub: str | None = None):
        """A step moving ``explorer.<attr>`` (or ``.<attr>[sub]``) through ``values`` in turn."""

        def make(w):
            it = itertools.cycle(values)

            def step():
                ctl = getattr(w, attr)
                if sub is not None:
                    ctl = ctl[sub]
                ctl.value = next(it)

            return step

        return make

    def customers(w):
        ids = itertools.cycle(w.customer.options[1:200])
        return lambda: setattr(w.customer, "value", next(ids))

    rice = d["rice"]
    cut = rice["date"].min() + pd.Timedelta(days=200)
    return [
        ("rfm: bins", lambda draw: W.rfm_explorer(d["tx"], draw=draw), cycle("bins", range(2, 11))),
        (
            "rfm: segment picked (verdict only)",
            lambda draw: W.rfm_explorer(d["tx"], draw=draw),
            cycle("segment", ["Champions", "Loyal", "At risk", "(all)"]),
        ),
        (
            "pareto: top share",
            lambda draw: W.pareto_explorer(d["revenue"], draw=draw),
            cycle("fraction", np.round(np.arange(0.05, 0.96, 0.01), 2)),
        ),
        (
            "value matrix: current cut",
            lambda draw: W.value_matrix_explorer(d["revenue"], d["potential"], draw=draw),
            cycle("current_q", np.round(np.arange(0.05, 0.96, 0.05), 2)),
        ),
        (
            "ideal score: a weight",
            lambda draw: W.ideal_score_explorer(d["accounts"], draw=draw),
            cycle("sliders", np.arange(0.0, 5.01, 0.5), sub="demand"),
        ),
        (
            "aging: as of",
            lambda draw: W.aging_explorer(d["invoices"], draw=draw),
            lambda w: cycle("as_of", list(w.as_of.options))(w),
        ),
        (
            "funnel: slice A",
            lambda draw: W.funnel_explorer(d["leads"], draw=draw),
            lambda w: cycle("first", [o for o in w.first.options if o != w.second.value])(w),
        ),
        (
            "contact rule: limit",
            lambda draw: W.contact_rule_explorer(d["leads"], draw=draw),
            cycle("limit", range(1, 31)),
        ),
        (
            "IPA: segment",
            lambda draw: W.ipa_explorer(d["survey"], draw=draw),
            lambda w: cycle("segment", list(w.segment.options))(w),
        ),
        (
            "iceberg: complaints",
            lambda draw: W.iceberg_calculator(draw=draw),
            cycle("n_complaints", range(10, 1000, 7)),
        ),
        (
            "value x loyalty: value cut",
            lambda draw: W.value_loyalty_explorer(d["tx"], draw=draw),
            cycle("value_q", np.round(np.arange(0.05, 0.96, 0.05), 2)),
        ),
        (
            "value x loyalty: min repeats",
            lambda draw: W.value_loyalty_explorer(d["tx"], draw=draw),
            cycle("min_repeats", range(1, 11)),
        ),
        ("CLV: customer", lambda draw: W.clv_explorer(d["tx"], draw=draw), customers),
        ("CLV: horizon", lambda draw: W.clv_explorer(d["tx"], draw=draw), cycle("horizon", range(1, 61))),
        ("CLV: horizon back to 12", lambda draw: W.clv_explorer(d["tx"], draw=draw), cycle("horizon", [24, 12])),
        (
            "retention: extra kept",
            lambda draw: W.retention_explorer(
                len(d["revenue"]), 0.8, sales_cost=1e6, retention_cost=20.0, customer_value=300.0, draw=draw
            ),
            cycle("gain", np.round(np.arange(0.0, 0.2, 0.005), 3)),
        ),
        (
            "comp: a tier's rate",
            lambda draw: W.comp_explorer(*d["comp"], draw=draw),
            lambda w: (lambda it: lambda: setattr(w.rates[3], "value", next(it)))(
                itertools.cycle(np.round(np.arange(0.0, 0.5, 0.01), 2))
            ),
        ),
        (
            "lobby: a weight",
            lambda draw: W.lobby_explorer(d["lobby"], draw=draw),
            lambda w: (lambda it: lambda: setattr(w.weights[1], "value", next(it)))(
                itertools.cycle(np.round(np.arange(0.0, 1.01, 0.05), 2))
            ),
        ),
        ("delivery: lead days", lambda draw: W.delivery_explorer(rice, cut, draw=draw), cycle("lead", range(0, 11))),
    ]


def _baseline(repeat: int, clock: Callable[[], float]) -> float:
    """Best time (ms) of the baseline: a plain Figure of the explorers' size, one line, drawn and
    saved as PNG."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from crmlib.widgets import base

    def once():
        fig = Figure(figsize=base.FIGSIZE, dpi=base.DPI)
        FigureCanvasAgg(fig)
        fig.add_subplot().plot(range(10))
        fig.savefig(io.BytesIO(), format="png")

    once()
    best = float("inf")
    for _ in range(max(repeat, 5)):
        t0 = clock()
        once()
        best = min(best, clock() - t0)
    return best * 1000


def _time(w: Any, step: Callable[[], Any], repeat: int, fresh: bool, clock: Callable[[], float]) -> tuple[float, float]:
    """Best time of one step (ms) and the time spent in the explorer's ``draw`` (the crmlib.plots
    call) during that step."""
    in_plot = [0.0]
    plot = w.draw

    def timed_plot(*args, **kwargs):
        t0 = clock()
        try:
            return plot(*args, **kwargs)
        finally:
            in_plot[0] += clock() - t0

    w.draw = timed_plot
    step()  # warm-up: first-use costs (fonts, imports) are not an interaction
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        if fresh:
            _forget(w)
        in_plot[0] = 0.0
        t0 = clock()
        step()
        best = min(best, (clock() - t0, in_plot[0]))
    return best[0] * 1000, best[1] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated parts of explorer names")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    args = ap.parse_args()
    import matplotlib.pyplot as plt

    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    import crmlib

    print(f"crmlib from {os.path.dirname(crmlib.__file__)}; {args.clock} time, best of {args.repeat}")
    d = _data(args.customers)
    base_ms = _baseline(args.repeat, clock)
    print(f"baseline (a plain Figure, one line, drawn and saved as PNG): {base_ms:.1f} ms")
    only = [s.strip().lower() for s in args.only.split(",") if s.strip()]
    print(
        f"{'interaction':36s} {'compute':>8s} {'draw':>8s} {'(plot':>8s} {'render)':>8s} {'total':>8s} {'x base':>7s}"
        f"   goal <= {GOAL_MS:.0f} ms"
    )
    worst = 0.0
    for name, build, make_step in _cases(d):
        if only and not any(o in name.lower() for o in only):
            continue
        fresh = "back to" not in name
        w = build(False)
        compute = _time(w, make_step(w), args.repeat, fresh, clock)[0]
        w = build(True)
        total, plot = _time(w, make_step(w), args.repeat, fresh, clock)
        plt.close("all")
        worst = max(worst, total)
        draw = max(total - compute, 0.0)
        flag = "met" if total <= GOAL_MS else "NOT met"
        print(
            f"{name:36s} {compute:6.1f}ms {draw:6.1f}ms {plot:6.1f}ms {max(draw - plot, 0.0):6.1f}ms "
            f"{total:6.1f}ms {total / base_ms:6.1f}x   {flag}"
        )
    print(
        f"slowest interaction {worst:.1f} ms = {worst / base_ms:.1f} x baseline "
        f"(goal <= {GOAL_MS:.0f} ms: {'met' if worst <= GOAL_MS else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
