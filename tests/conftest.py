"""Shared set-up of the library tests: labels in English by default (helpers in _support.py)."""
from __future__ import annotations

import pytest

from crmlib import i18n


@pytest.fixture(autouse=True)
def _english():
    """Labels are compared in English; restore the default whatever a test did."""
    before = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)
