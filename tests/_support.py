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
