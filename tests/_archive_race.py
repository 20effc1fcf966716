"""The child process of tests/test_records.py's race test: kept apart so that a spawned child imports
crmlib.records only, not the test module with pytest and hypothesis (half the test's time)."""

from __future__ import annotations

from crmlib.records import Archive


def open_at_once(paths: list[str], barrier, results) -> None:
    """For each file in turn: wait for the other processes, then open (create or migrate) the archive."""
    for path in paths:
        barrier.wait()
        try:
            with Archive(path, timeout=30) as arc:
                results.put((path, "ok", arc.version, arc.counts()["customers"]))
        except Exception as exc:  # reported to the parent, which fails the test with it
            results.put((path, "error", repr(exc), None))
