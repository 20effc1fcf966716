"""Assertion helpers shared by the library tests (imported as ``from _support import ...``)."""

from __future__ import annotations

import pytest

from crmlib import CRMDataError, i18n


def en(key: str) -> str:
    return i18n.label(key, "en")


def zh(key: str) -> str:
    return i18n.label(key, "zh")


def expect_error(call, func: str, field: str, rows=None, contains: tuple[str, ...] = ()):
    """``call()`` raises CRMDataError (never a raw pandas/numpy error) naming func, field and rows."""
    with pytest.raises(CRMDataError) as info:
        call()
    err = info.value
    msg = str(err)
    assert isinstance(err, ValueError)
    assert err.func == func and msg.startswith(f"{func}: "), msg
    assert f"field '{field}'" in msg, msg
    if rows is not None:
        assert err.rows == list(rows), msg
        for r in rows:
            assert (repr(r) if isinstance(r, str) else str(r)) in msg, msg
    for text in contains:
        assert text in msg, msg
    return err


def notebook_defaults(path) -> dict:
    """The literal values of a notebook's ``parameters`` cell."""
    import nbformat

    from crmlib.instructor import parameter_cell_values

    return parameter_cell_values(nbformat.read(str(path), as_version=4), str(path))


def _data_size(params: dict) -> float:
    return sum(
        v
        for k, v in params.items()
        if (k == "n" or k.startswith("n_")) and isinstance(v, (int, float)) and not isinstance(v, bool)
    )


def small_parameters(path) -> dict:
    """The set of ``tests/params/<notebook>.yaml`` with the least data (sum of the ``n``/``n_*`` sizes,
    over the notebook's defaults), as papermill overrides; ``{}`` when no set is smaller than the
    defaults. The suites that execute every notebook (book, determinism, browser) run it to stay fast."""
    from pathlib import Path

    import yaml

    path = Path(path)
    f = Path(__file__).resolve().parent / "params" / f"{path.stem}.yaml"
    if not f.exists():
        return {}
    defaults = notebook_defaults(path)
    best, best_size = {}, _data_size(defaults)
    for params in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
        size = _data_size({**defaults, **params})
        if size < best_size:
            best, best_size = dict(params), size
    return best


def open_archive_at_once(paths: list[str], barrier, results) -> None:
    """A child process of tests/test_records.py's race test (here, so that a spawned child imports this
    small module, not the test module with hypothesis): for each file in turn, wait for the other
    processes, then open (create or migrate) the archive and report what it found."""
    from crmlib.records import Archive

    for path in paths:
        barrier.wait()
        try:
            with Archive(path, timeout=30) as arc:
                results.put((path, "ok", arc.version, arc.counts()["customers"]))
        except Exception as exc:  # reported to the parent, which fails the test with it
            results.put((path, "error", repr(exc), None))
