"""The single error type of crmlib."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class CRMDataError(ValueError):
    """Bad input to a crmlib function: the message names the function, the field and the rows.

    Attributes ``func``, ``field`` and ``rows`` (up to five offending row labels) let code and
    tests inspect the error without parsing the message.

    >>> err = CRMDataError("rfm_table", "amount", "must not be negative", rows=[3, 7])
    >>> str(err)
    "rfm_table: field 'amount' must not be negative (rows 3, 7)"
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(
        self,
        func: str,
        field: str | None,
        problem: str,
        rows: Sequence[Any] | None = None,
        n_bad: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.func = func
        self.field = field
        self.rows = list(rows) if rows is not None else []
        self.n_bad = n_bad if n_bad is not None else len(self.rows)
        where = f"field '{field}' " if field else ""
        msg = f"{func}: {where}{problem}"
        if self.rows:
            shown = ", ".join(repr(r) if isinstance(r, str) else str(r) for r in self.rows)
            more = f" and {self.n_bad - len(self.rows)} more" if self.n_bad > len(self.rows) else ""
            msg += f" (rows {shown}{more})"
        if detail:
            msg += f"; {detail}"
        super().__init__(msg)


class CRMDataWarning(UserWarning):
    """Data that crmlib can work around but that the user should fix, named like a :class:`CRMDataError`
    (function, field, rows): e.g. an old archive's impossible date, left out of an export.

    >>> w = CRMDataWarning("to_frames: field 'date' has impossible dates (rows 3)")
    >>> isinstance(w, UserWarning)
    True
    """
