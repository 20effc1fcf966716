"""Shared by the benchmark scripts: best-of-N timing and the ratio line they print."""
from __future__ import annotations

import time
from typing import Callable


def best_of(fn: Callable[[], object], repeat: int, min_time: float = 0.0) -> float:
    """Fastest of ``repeat`` runs of ``fn``, in seconds.

    With ``min_time`` > 0 each run calls ``fn`` as many times as fill about ``min_time`` seconds
    (counted once, on a first call) and the time of one call is returned: sub-millisecond
    functions are then not drowned in timer resolution and scheduling noise.
    """
    number = 1
    if min_time > 0:
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        number = max(1, int(min_time / max(once, 1e-7)))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def compare(name: str, ours: Callable[[], object], baseline: Callable[[], object], repeat: int,
            goal: float = 1.5, baseline_name: str = "bare pandas baseline") -> float:
    """Time ``baseline`` then ``ours`` in the same run, print both and their ratio against ``goal``."""
    t_base = best_of(baseline, repeat)
    t_ours = best_of(ours, repeat)
    print(f"{baseline_name}: {t_base * 1000:.1f} ms")
    print(f"crmlib {name}: {t_ours * 1000:.1f} ms (validation included)")
    ratio = t_ours / t_base
    print(f"ratio {name} / baseline = {ratio:.2f}  (goal <= {goal}: {'met' if ratio <= goal else 'NOT met'})")
    return ratio
