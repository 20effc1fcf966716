"""Shared by the benchmark scripts: best-of-N timing and the ratio line they print."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def compare(
    name: str,
    ours: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int,
    goal: float = 1.5,
    baseline_name: str = "bare pandas baseline",
) -> float:
    """Time ``baseline`` then ``ours`` in the same run, print both and their ratio against ``goal``."""
    t_base = best_of(baseline, repeat)
    t_ours = best_of(ours, repeat)
    print(f"{baseline_name}: {t_base * 1000:.1f} ms")
    print(f"crmlib {name}: {t_ours * 1000:.1f} ms (validation included)")
    ratio = t_ours / t_base
    print(f"ratio {name} / baseline = {ratio:.2f}  (goal <= {goal}: {'met' if ratio <= goal else 'NOT met'})")
    return ratio
