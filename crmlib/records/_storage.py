"""The archive's storage (客户档案的存储): the SQLite tables, their schema and migrations, the
checks and conversions every row goes through, all-or-nothing imports, and :class:`Archive`, the
one object a notebook opens. What the archive's rows say is :mod:`crmlib.records._analysis`; the
card a customer's rows make is :mod:`crmlib.records._card` (see :mod:`crmlib.records`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _io, _validate as V, i18n
from crmlib._checks import GRADES, grade_codes
from crmlib._errors import CRMDataError, CRMDataWarning
from crmlib.records._analysis import contact_plan, purchase_cycle
from crmlib.records._card import CARD_FIELDS, Card

#: the version of the archive's schema written by this crmlib (``PRAGMA user_version``)
SCHEMA_VERSION = 3

# column kinds: id (text key), text, date, datetime, amount (number ≥ 0), grade, flag, auto (integer key),
# number (an optional integer: the record a history row is about)
_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "customers": {
        "customer_id": ("id", True),
        "name": ("text", True),
        "decision_maker": ("text", False),
        "grade": ("grade", False),
        "address": ("text", False),
        "phone": ("text", False),
        "needs": ("text", False),
        "finances": ("text", False),
        "operations": ("text", False),
        "purchasing": ("text", False),
        "credit": ("text", False),
        "relations": ("text", False),
        "contact_person": ("text", False),
        "created_by": ("text", False),
        "created_on": ("date", False),
        "notes": ("text", False),
        "owner": ("text", False),
        "birthday": ("date", False),
    },
    "follow_ups": {
        "follow_up_id": ("auto", False),
        "customer_id": ("id", True),
        "date": ("date", True),
        "channel": ("text", False),
        "by": ("text", False),
        "summary": ("text", False),
        "next_step": ("text", False),
    },
    "purchases": {
        "purchase_id": ("auto", False),
        "ref": ("ref", False),
        "customer_id": ("id", True),
        "date": ("date", True),
        "amount": ("amount", True),
        "product": ("text", False),
    },
    "complaints": {
        "complaint_id": ("auto", False),
        "ref": ("ref", False),
        "customer_id": ("id", True),
        "date": ("date", True),
        "channel": ("text", False),
        "cause": ("text", False),
        "satisfied": ("flag", False),
        "notes": ("text", False),
    },
    "history": {
        "change_id": ("auto", False),
        "customer_id": ("id", True),
        "field": ("text", True),
        "old_value": ("text", False),
        "new_value": ("text", False),
        "changed_by": ("text", True),
        "changed_at": ("datetime", True),
        "record": ("text", False),
        "record_id": ("number", False),
        "note": ("text", False),
    },
}
#: the tables of an archive; ``history`` is written by :meth:`Archive.update_customer`, :meth:`Archive.correct`
#: and :meth:`Archive.delete` only
TABLES = list(_COLUMNS)
_IMPORTABLE = ["customers", "follow_ups", "purchases", "complaints"]

_V1_CUSTOMER_COLS = [c for c in CARD_FIELDS if c not in ("owner", "birthday")]
_FK = "REFERENCES customers(customer_id) ON UPDATE RESTRICT ON DELETE RESTRICT"
# schema migrations: version → statements that bring a file from version-1 to version
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE customers (customer_id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
        "decision_maker TEXT, grade TEXT CHECK (grade IN ('A', 'B', 'C')), address TEXT, phone TEXT, "
        "needs TEXT, finances TEXT, operations TEXT, purchasing TEXT, credit TEXT, relations TEXT, "
        "contact_person TEXT, created_by TEXT, created_on TEXT, notes TEXT)",
        f"CREATE TABLE follow_ups (follow_up_id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL {_FK}, "
        'date TEXT NOT NULL, channel TEXT, "by" TEXT, summary TEXT, next_step TEXT)',
        f"CREATE TABLE purchases (purchase_id INTEGER PRIMARY KEY, ref TEXT UNIQUE, customer_id TEXT NOT NULL {_FK}, "
        "date TEXT NOT NULL, amount REAL NOT NULL CHECK (amount >= 0), product TEXT)",
        f"CREATE TABLE complaints (complaint_id INTEGER PRIMARY KEY, ref TEXT UNIQUE, customer_id TEXT NOT NULL {_FK}, "
        "date TEXT NOT NULL, channel TEXT, cause TEXT, satisfied INTEGER CHECK (satisfied IN (0, 1)), notes TEXT)",
        "CREATE INDEX follow_ups_customer ON follow_ups(customer_id, date)",
        "CREATE INDEX purchases_customer ON purchases(customer_id, date)",
        "CREATE INDEX complaints_customer ON complaints(customer_id, date)",
    ],
    2: [  # one person responsible (owner), the birthday file, and the history of changes
        "ALTER TABLE customers ADD COLUMN owner TEXT",
        "ALTER TABLE customers ADD COLUMN birthday TEXT",
        "UPDATE customers SET owner = created_by WHERE owner IS NULL",
        f"CREATE TABLE history (change_id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL {_FK}, "
        "field TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_by TEXT NOT NULL, changed_at TEXT NOT NULL)",
        "CREATE INDEX history_customer ON history(customer_id, changed_at)",
    ],
    3: [  # corrections of every kind of record keep their history: which table and record a change is about
        "ALTER TABLE history ADD COLUMN record TEXT NOT NULL DEFAULT 'customers'",
        "ALTER TABLE history ADD COLUMN record_id INTEGER",
        "ALTER TABLE history ADD COLUMN note TEXT",
    ],
}
#: the linked tables whose rows :meth:`Archive.correct` and :meth:`Archive.delete` change, and their keys
_RECORD_KEYS = {"follow_ups": "follow_up_id", "purchases": "purchase_id", "complaints": "complaint_id"}

#: the dates an archive keeps: from 1900-01-01, the first day of Excel's calendar (an earlier date in a
#: customer file is a typo: year 0024 for 2024), to 2262-04-11, the last day pandas' ``datetime64[ns]``
#: holds (``9999-12-31`` is a placeholder, not a date); every date written is checked against it (by
#: ``_validate.dates`` and ``_validate.timestamp``, as in every crmlib function)
DATE_RANGE = V.DATE_RANGE


def _date_problem() -> str:
    lo, hi = DATE_RANGE
    return f"has dates outside the archive's range {lo:%Y-%m-%d} to {hi:%Y-%m-%d}"


def _stored_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates as stored (ISO text) → ``datetime64[ns]``, and the mask of those present but impossible
    (outside :data:`DATE_RANGE` or not a date at all: an archive written before the check, or by
    another program), which become NaT."""
    s = values.astype(object).where(values.notna(), None)
    parsed = pd.to_datetime(s, format="ISO8601", errors="coerce")
    lo, hi = DATE_RANGE
    bad = (s.notna() & (parsed.isna() | (parsed < lo) | (parsed > hi))).to_numpy(dtype=bool)
    return parsed.where(~bad).astype("datetime64[ns]"), bad


def _q(name: str) -> str:
    """A quoted identifier — only ever applied to names of the fixed schema above."""
    return '"' + name.replace('"', '""') + '"'


def _table_name(table: Any, func: str, allowed: list[str]) -> str:
    if not isinstance(table, str) or table not in allowed:
        raise CRMDataError(func, "table", f"unknown table {table!r}; use one of {allowed}")
    return table


def _texts(values: pd.Series, func: str, field: str, strip: bool = False) -> pd.Series:
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # the usual case: vectorised
        s = values.astype("string")
        s = s.str.strip() if strip else s
        return s.astype(object).where(s.notna(), None)
    ok = values.map(
        lambda v: (
            v is None
            or isinstance(v, (str, int, float, np.integer, np.floating))
            and not isinstance(v, (bool, np.bool_))
        )
    )
    bad = ~ok.to_numpy(dtype=bool)
    if bad.any():
        shown = ", ".join(type(v).__name__ for v in values[bad].head(V.MAX_ROWS).tolist())
        V._fail(func, field, f"must hold text, got values of type {shown}", bad, values.index)
    out = values.map(
        lambda v: (
            None
            if v is None or (isinstance(v, float) and np.isnan(v))
            else (str(int(v)) if isinstance(v, (float, np.floating)) and float(v).is_integer() else str(v))
        )
    )
    if strip:
        out = out.map(lambda v: v.strip() if isinstance(v, str) else v)
    return out.astype(object).where(out.notna(), None)


def _optional(values: pd.Series, check: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply ``check`` to the non-missing values only; missing ones become None."""
    present = values.notna() & ~values.map(lambda v: isinstance(v, str) and v.strip() == "")
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    if present.any():
        out[present] = check(values[present]).astype(object).to_numpy()
    return out


#: dates that cannot lie in the future (a follow-up's date may: a planned visit)
_PAST_ONLY = {("customers", "birthday"), ("customers", "created_on"), ("purchases", "date"), ("complaints", "date")}


def _past(dates: pd.Series, table: str, func: str, field: str) -> pd.Series:
    """Refuse dates after today where they must have happened already (2052 typed for 2025)."""
    if (table, field) in _PAST_ONLY:
        today = pd.Timestamp.now().normalize()
        future = (dates > today).to_numpy()
        if future.any():
            V._fail(
                func,
                field,
                f"has dates in the future (after {today:%Y-%m-%d})",
                future,
                dates.index,
                detail="check the year",
            )
    return dates


def _clean(table: str, df: Any, func: str) -> pd.DataFrame:
    """Check a frame for ``table`` and convert it to the values stored (text, ISO dates, floats)."""
    cols = _COLUMNS[table]
    required = [c for c, (_, req) in cols.items() if req]
    d = V.table(df, func, required, name=table)
    unknown = [str(c) for c in d.columns if c not in cols]
    if unknown:
        raise CRMDataError(
            func, unknown[0], f"is not a column of table '{table}'", detail=f"its columns are {list(cols)}"
        )
    dup = pd.Index(d.columns).duplicated()
    if dup.any():
        raise CRMDataError(func, str(d.columns[dup][0]), "appears twice among the columns")
    out = {}
    for c in d.columns:
        kind, req = cols[c]
        s = d[c]
        if kind == "id":
            s = V.ids(s.astype(object).where(s.notna(), None), func, c)
            out[c] = _texts(s, func, c, strip=True)
        elif kind in ("text", "ref"):
            s = _texts(s.astype(object).where(s.notna(), None), func, c, strip=kind == "ref")
            if req:
                blank = s.map(lambda v: v is None or not str(v).strip()).to_numpy(dtype=bool)
                if blank.any():
                    V._fail(func, c, "must not be empty", blank, s.index)
            out[c] = s
        elif kind == "date":
            conv = lambda x, c=c: _past(V.dates(x, func, c), table, func, c).dt.strftime(  # noqa: E731
                "%Y-%m-%d"
            )
            out[c] = conv(s) if req else _optional(s, conv)
        elif kind == "datetime":
            out[c] = V.dates(s, func, c).dt.strftime("%Y-%m-%d %H:%M:%S")
        elif kind == "amount":
            out[c] = V.numeric(s, func, c).astype(object)
        elif kind == "grade":
            out[c] = grade_codes(s, func, c)
        elif kind == "flag":
            out[c] = _optional(s, lambda x, c=c: V.flags(x, func, c).astype(int))
        elif kind in ("auto", "number"):
            out[c] = _optional(s, lambda x, c=c: V.numeric(x, func, c).astype("int64"))
    res = pd.DataFrame(out, index=d.index)
    for c in res.columns:  # missing → None, so that SQLite stores NULL
        res[c] = res[c].astype(object).where(res[c].notna(), None)
    return res


class Archive:
    """A customer archive in one SQLite file (``":memory:"`` for a throw-away one).

    Opening a file creates the tables, or migrates an older archive to :data:`SCHEMA_VERSION`
    (``PRAGMA user_version``). Foreign keys are enforced: a follow-up, purchase or complaint must
    belong to a customer on file. ``lang`` is the language of cards and labelled tables (default: the
    current language when the archive is opened; each method also takes ``lang=``). Use it as a context
    manager or call :meth:`close`. ``~`` in ``path`` is the home folder. ``timeout`` is how many seconds
    a read or write waits for another program's lock on the file (a database browser, a second
    notebook) before it gives up with a ``CRMDataError``; a write that gives up is rolled back.

    >>> with Archive(":memory:") as arc:
    ...     _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Li", "Wang"]}))
    ...     _ = arc.add("purchases", pd.DataFrame({"customer_id": ["C1"], "date": ["2024-03-01"], "amount": [80.0]}))
    ...     arc.counts()
    {'customers': 2, 'follow_ups': 0, 'purchases': 1, 'complaints': 0, 'history': 0}
    """

    def __init__(
        self, path: str | os.PathLike[str] = ":memory:", lang: str | None = None, timeout: float = 5.0
    ) -> None:
        func = "Archive"
        self.lang = i18n.resolve(lang, func)
        if not isinstance(path, (str, os.PathLike)) or str(path).strip() == "":
            raise CRMDataError(func, "path", f"must be a file path or ':memory:', got {path!r}")
        #: seconds a read or write waits for another connection's lock before it gives up (busy timeout)
        self.timeout = V.number(timeout, func, "timeout", 0, 3600)
        self.path = str(path) if str(path) == ":memory:" else str(Path(path).expanduser())  # "~/crm.db" works
        if self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise CRMDataError(func, "path", f"folder {str(parent)!r} does not exist")
            if Path(self.path).is_dir():
                raise CRMDataError(func, "path", f"{self.path!r} is a folder, not a file")
        self._depth = 0  # > 0 inside a transaction (a write nested in build_archive's joins it)
        self._con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=self.timeout)
        # an archive nobody closed (a notebook's `arc = Archive(...)`) closes its connection when it is
        # garbage-collected, instead of leaving it to sqlite3 (Python 3.13 warns of unclosed databases)
        self._closer = weakref.finalize(self, self._con.close)
        try:
            self._con.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _sqlite_error(func, exc, f"{self.path!r} cannot be opened as an archive") from None
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ plumbing
    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection (committed data stays in the file); closing twice is harmless."""
        self._closer()

    def __repr__(self) -> str:
        return f"Archive({self.path!r}, version {self.version})"

    @property
    def version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        return int(self._rows("version", "PRAGMA user_version")[0][0])

    def _rows(self, func: str, sql: str, params: tuple = ()) -> list[tuple]:
        """A read; a lock held too long by another connection, or a broken file, becomes a CRMDataError."""
        try:
            return self._con.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _sqlite_error(func, exc, "cannot be read") from None

    def _rollback(self) -> None:
        if self._con.in_transaction:
            try:
                self._con.execute("ROLLBACK")
            except sqlite3.Error:  # the connection is unusable; SQLite rolls the journal back on the next open
                pass

    @contextmanager
    def _transaction(self, func: str) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; sqlite3 errors become CRMDataError.

        A failed COMMIT (another connection still reads the file when the busy timeout runs out) is
        rolled back too, so the object never stays inside a transaction showing rows the file lacks.
        Inside an outer transaction (``build_archive``) a write joins it: the outer one commits or
        rolls back everything.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self._con
            except sqlite3.Error as exc:
                raise _sqlite_error(func, exc, "could not be written") from None
            finally:
                self._depth -= 1
            return
        try:
            self._con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _sqlite_error(func, exc, "could not be written") from None
        self._depth = 1
        try:
            try:
                yield self._con
            except sqlite3.Error as exc:
                raise _sqlite_error(func, exc, "could not be written") from None
            try:
                self._con.execute("COMMIT")
            except sqlite3.Error as exc:
                raise _sqlite_error(func, exc, "could not be saved") from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _migrate(self) -> None:
        if self._check_version() == SCHEMA_VERSION:
            return
        # create or migrate in one write transaction, the version read again inside it: another process
        # opening the same new or old file at the same moment waits for this one, then finds it done
        with self._transaction("Archive") as con:
            v = self._check_version()
            if v == 0:
                foreign = [
                    r[0]
                    for r in con.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                if foreign:
                    raise CRMDataError(
                        "Archive",
                        "path",
                        f"{self.path!r} is a database with other tables ({', '.join(foreign[:5])}), "
                        "not a crmlib archive",
                    )
            for target in range(v + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[target]:
                    con.execute(stmt)
            con.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")

    def _check_version(self) -> int:
        v = int(self._con.execute("PRAGMA user_version").fetchone()[0])  # raw: "cannot be opened"
        if v > SCHEMA_VERSION:
            raise CRMDataError(
                "Archive",
                "path",
                f"{self.path!r} has schema version {v}, newer than this crmlib's {SCHEMA_VERSION}",
                detail="update crmlib to open it",
            )
        return v

    def _insert(self, table: str, df: pd.DataFrame, func: str, progress, chunk: int = 10_000) -> int:
        if progress is not None and not callable(progress):
            raise CRMDataError(func, "progress", f"must be a function progress(done, total) or None, got {progress!r}")
        clean = _clean(table, df, func)
        ids = clean["customer_id"]
        with self._transaction(func) as con:
            known = {r[0] for r in con.execute("SELECT customer_id FROM customers")}
            if table == "customers":
                V.unique(ids, func, "customer_id")
                there = ids.isin(known).to_numpy()
                if there.any():
                    V._fail(
                        func,
                        "customer_id",
                        "is already in the archive (use update_customer to change a card)",
                        there,
                        ids.index,
                    )
            else:
                orphan = ~ids.isin(known).to_numpy()
                if orphan.any():
                    shown = ", ".join(repr(v) for v in ids[orphan].head(V.MAX_ROWS).tolist())
                    V._fail(
                        func,
                        "customer_id",
                        f"names customers not in the archive ({shown})",
                        orphan,
                        ids.index,
                        detail="add their cards to 'customers' first (foreign key)",
                    )
                if "ref" in clean.columns:
                    ref = clean["ref"]
                    has = ref.notna()
                    V.unique(ref[has], func, "ref")
                    old = {r[0] for r in con.execute(f"SELECT ref FROM {_q(table)} WHERE ref IS NOT NULL")}
                    there = (has & ref.isin(old)).to_numpy()
                    if there.any():
                        V._fail(func, "ref", "is already in the archive", there, ref.index)
            cols = list(clean.columns)
            sql = f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"
            rows = list(clean.itertuples(index=False, name=None))
            for start in range(0, len(rows), chunk):
                con.executemany(sql, rows[start : start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(rows)), len(rows))
        return len(rows)

    # ------------------------------------------------------------------ writing
    def add(self, table: str, df: pd.DataFrame, progress: Callable[[int, int], Any] | None = None) -> int:
        """Add the rows of a DataFrame to ``table`` in one transaction (all or nothing); returns the
        number of rows added. Errors name the DataFrame's index labels of the bad rows.

        >>> arc = Archive(":memory:")
        >>> arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"]}))
        1
        >>> arc.add("purchases", pd.DataFrame({"customer_id": ["C9"], "date": ["2024-03-01"], "amount": [5.0]}))
        Traceback (most recent call last):
        ...
        crmlib._errors.CRMDataError: add: field 'customer_id' names customers not in the archive ('C9') (rows 0); add their cards to 'customers' first (foreign key)
        """  # noqa: E501
        return self._insert(_table_name(table, "add", _IMPORTABLE), df, "add", progress)

    def import_csv(
        self,
        table: str,
        path: str | os.PathLike[str],
        encoding: str = "auto",
        columns: Mapping[str, str] | None = None,
        progress: Callable[[int, int], Any] | None = None,
    ) -> int:
        """Import a CSV file into ``table`` — all or nothing, in one transaction; returns the rows added.

        ``encoding="auto"`` reads UTF-8, UTF-8 with BOM and GBK/GB18030 (Chinese Excel) files.
        ``columns`` maps the file's column names to the table's (only those columns are read);
        without it every column of the file must be a column of the table. A bad row aborts the
        whole file: the error names the field and the row as a line of the file (the header is line
        1, as a spreadsheet numbers rows), and the archive is left exactly as it was.

        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "cards.csv"
        >>> _ = p.write_bytes("customer_id,name,grade\\nC1,王永庆米店,A\\nC2,李记,X\\n".encode("gbk"))
        >>> arc = Archive(":memory:")
        >>> arc.import_csv("customers", p)
        Traceback (most recent call last):
        ...
        crmlib._errors.CRMDataError: import_csv: field 'grade' must be a grade A, B or C (key / major / ordinary), got 'X' (rows 3)
        >>> arc.counts()["customers"]
        0
        """  # noqa: E501
        func = "import_csv"
        table = _table_name(table, func, _IMPORTABLE)
        if not isinstance(path, (str, os.PathLike)):
            raise CRMDataError(func, "path", f"must be a file path, got {type(path).__name__}")
        path = Path(path).expanduser()  # "~/exports/cards.csv"
        df = _io.read_csv(path, encoding, func=func)
        if columns is not None:
            if not isinstance(columns, Mapping):
                raise CRMDataError(func, "columns", f"must map file columns to table columns, got {columns!r}")
            V.table(df, func, list(columns), name=str(path), allow_empty=True)
            df = df[list(columns)].rename(columns=dict(columns))
        if len(df) == 0:
            raise CRMDataError(func, "path", f"{str(path)!r} has no data rows")
        df.index = pd.RangeIndex(2, len(df) + 2)
        return self._insert(table, df, func, progress)

    def _who(self, func: str, by: Any, when: Any, note: Any) -> tuple[str, str, str | None]:
        """Who makes a change, when (default: now) and why: the last three columns of a history row."""
        if not isinstance(by, str) or not by.strip():
            raise CRMDataError(func, "by", f"must name who makes the change, got {by!r}")
        t = pd.Timestamp.now().floor("s") if when is None else V.timestamp(when, func, "when")
        if note is not None and not isinstance(note, str):
            raise CRMDataError(func, "note", f"must be text (why the change is made) or None, got {note!r}")
        return by.strip(), f"{t:%Y-%m-%d %H:%M:%S}", (note.strip() or None) if note is not None else None

    def _change(
        self, func: str, table: str, key: str, value: Any, changes: Mapping[str, Any], who: tuple, fill: dict
    ) -> pd.DataFrame:
        """Change the fields ``changes`` of the row whose ``key`` is ``value`` and write one history row
        per field whose value really changes (the old value is kept there); ``fill`` are valid stand-ins
        for the required columns not changed, so that only the changed values are checked."""
        new = _clean(table, pd.DataFrame({**fill, **{k: [v] for k, v in changes.items()}}, index=[value]), func)
        record_id = None if table == "customers" else value  # a card is named by its customer_id alone
        with self._transaction(func) as con:
            names = list(changes)
            cur = con.execute(
                f"SELECT customer_id, {', '.join(_q(c) for c in names)} FROM {_q(table)} WHERE {_q(key)} = ?", (value,)
            )
            old = cur.fetchone()
            if old is None:
                raise CRMDataError(func, "record_id", f"no record {value!r} in table '{table}'")
            rows = []
            for k, before in zip(names, old[1:]):
                after = new.at[value, k]
                before_s = None if before is None else str(before)
                after_s = None if after is None else str(after)
                if before_s == after_s:
                    continue
                con.execute(f"UPDATE {_q(table)} SET {_q(k)} = ? WHERE {_q(key)} = ?", (after, value))
                rows.append((old[0], table, record_id, k, before_s, after_s, *who))
            _write_history(con, rows)
        return _history_frame(rows)

    def update_customer(
        self, customer_id: str, changes: Mapping[str, Any], by: str, when: Any = None, note: str | None = None
    ) -> pd.DataFrame:
        """Change fields of a customer's card and keep the history (动态管理): one ``history`` row per
        field whose value really changes (old → new, who, when, and a ``note`` saying why). Returns
        those rows. ``when`` defaults to now; ``customer_id`` itself cannot change (it links the tables).
        A follow-up, purchase or complaint is corrected with :meth:`correct`.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"], "grade": ["C"]}))
        >>> arc.update_customer("C1", {"grade": "B", "name": "Li"}, by="Zhang", when="2024-05-01 09:30")[
        ...     ["customer_id", "field", "old_value", "new_value", "changed_by", "changed_at"]]
          customer_id  field old_value new_value changed_by           changed_at
        0          C1  grade         C         B      Zhang  2024-05-01 09:30:00
        """
        func = "update_customer"
        cid = self._customer(customer_id, func)
        if not isinstance(changes, Mapping) or not changes:
            raise CRMDataError(func, "changes", f"must be a non-empty dict of card fields, got {changes!r}")
        bad = [k for k in changes if k not in _COLUMNS["customers"] or k == "customer_id"]
        if bad:
            raise CRMDataError(
                func, str(bad[0]), "is not a card field that can be changed", detail=f"card fields: {CARD_FIELDS[1:]}"
            )
        who = self._who(func, by, when, note)
        return self._change(func, "customers", "customer_id", cid, changes, who, {"customer_id": [cid], "name": ["x"]})

    def correct(
        self,
        table: str,
        record_id: Any,
        changes: Mapping[str, Any],
        by: str,
        when: Any = None,
        note: str | None = None,
    ) -> pd.DataFrame:
        """Correct a record of any table and keep the history (动态管理): a follow-up, purchase or
        complaint by its number (``follow_up_id``, ``purchase_id``, ``complaint_id``, as the card and
        :meth:`to_frames` show them), a customer card by its ``customer_id`` (as :meth:`update_customer`).
        Each field whose value really changes writes a ``history`` row with the old value, who, when
        and a ``note``; the new values are checked as on entry (an impossible date is refused).
        ``customer_id`` may change too: a purchase booked to the wrong customer. Returns the history rows.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"]}))
        >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["C1"], "date": ["2024-03-01"], "amount": [80.0]}))
        >>> arc.correct("purchases", 1, {"amount": 8.0}, by="Zhang", when="2024-03-02", note="typo")[
        ...     ["record", "record_id", "field", "old_value", "new_value", "note"]]
              record  record_id   field old_value new_value  note
        0  purchases          1  amount      80.0       8.0  typo
        >>> float(arc.to_frames()["purchases"].loc[1, "amount"])
        8.0
        """
        func = "correct"
        table = _table_name(table, func, ["customers", *_RECORD_KEYS])
        if table == "customers":
            with V.caller(func):
                return self.update_customer(record_id, changes, by, when, note)
        key = _RECORD_KEYS[table]
        rid = V.integer(record_id, func, "record_id", 1)
        if not isinstance(changes, Mapping) or not changes:
            raise CRMDataError(func, "changes", f"must be a non-empty dict of the fields of '{table}', got {changes!r}")
        fields = [c for c in _COLUMNS[table] if c != key]
        bad = [k for k in changes if k not in fields]
        if bad:
            raise CRMDataError(
                func, str(bad[0]), f"is not a field of '{table}' that can be changed", detail=f"its fields: {fields}"
            )
        who = self._who(func, by, when, note)
        cur = self._rows(func, f"SELECT customer_id FROM {_q(table)} WHERE {_q(key)} = ?", (rid,))
        if not cur:
            raise CRMDataError(
                func, "record_id", f"no record {rid} in table '{table}'", detail=f"its numbers are the column {key}"
            )
        if "customer_id" in changes:
            self._customer(changes["customer_id"], func)
        fill = {"customer_id": [cur[0][0]], "date": ["2000-01-01"], "amount": [0.0]}
        fill = {c: v for c, v in fill.items() if c in _COLUMNS[table]}
        return self._change(func, table, key, rid, changes, who, fill)

    def delete(self, table: str, record_id: Any, by: str, when: Any = None, note: str | None = None) -> pd.DataFrame:
        """Delete a follow-up, purchase or complaint entered by mistake, as a correction: the record
        leaves its table, and one ``history`` row (field ``(deleted)``) keeps all its values as JSON,
        who deleted it, when and why (``note``). Returns that row. A customer card is never deleted:
        it holds the history; correct its fields instead (:meth:`update_customer`).

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"]}))
        >>> _ = arc.add("follow_ups", pd.DataFrame({"customer_id": ["C1", "C1"], "date": ["2024-03-01"] * 2}))
        >>> arc.delete("follow_ups", 2, by="Zhang", when="2024-03-02", note="entered twice")["old_value"].iloc[0]
        '{"follow_up_id": 2, "customer_id": "C1", "date": "2024-03-01", "channel": null, "by": null, "summary": null, "next_step": null}'
        >>> arc.counts()["follow_ups"], arc.counts()["history"]
        (1, 1)
        """  # noqa: E501
        func = "delete"
        if table == "customers":
            raise CRMDataError(
                func,
                "table",
                "a customer card is not deleted: it holds the customer's history",
                detail="correct its fields with update_customer, or move its records: correct(…, {'customer_id': …})",
            )
        table = _table_name(table, func, list(_RECORD_KEYS))
        key = _RECORD_KEYS[table]
        rid = V.integer(record_id, func, "record_id", 1)
        who = self._who(func, by, when, note)
        with self._transaction(func) as con:
            cur = con.execute(f"SELECT * FROM {_q(table)} WHERE {_q(key)} = ?", (rid,))
            row = cur.fetchone()
            if row is None:
                raise CRMDataError(
                    func, "record_id", f"no record {rid} in table '{table}'", detail=f"its numbers are the column {key}"
                )
            values = dict(zip([d[0] for d in cur.description], row))
            con.execute(f"DELETE FROM {_q(table)} WHERE {_q(key)} = ?", (rid,))
            rows = [
                (values["customer_id"], table, rid, "(deleted)", json.dumps(values, ensure_ascii=False), None, *who)
            ]
            _write_history(con, rows)
        return _history_frame(rows)

    # ------------------------------------------------------------------ reading
    def _customer(self, customer_id: Any, func: str) -> str:
        if not isinstance(customer_id, str) or not customer_id.strip():
            raise CRMDataError(func, "customer_id", f"must be a customer number such as 'A0001', got {customer_id!r}")
        cid = customer_id.strip()
        if not self._rows(func, "SELECT 1 FROM customers WHERE customer_id = ?", (cid,)):
            raise CRMDataError(func, "customer_id", f"no customer {cid!r} in the archive")
        return cid

    def _frame(self, func: str, sql: str, params: tuple = ()) -> pd.DataFrame:
        try:
            cur = self._con.execute(sql, params)
            return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
        except sqlite3.Error as exc:
            raise _sqlite_error(func, exc, "cannot be read") from None

    def counts(self) -> dict[str, int]:
        """Rows in each table.

        >>> Archive(":memory:").counts()
        {'customers': 0, 'follow_ups': 0, 'purchases': 0, 'complaints': 0, 'history': 0}
        """
        return {t: int(self._rows("counts", f"SELECT COUNT(*) FROM {_q(t)}")[0][0]) for t in TABLES}

    def integrity_check(self) -> str:
        """SQLite's own check of the file (``PRAGMA integrity_check``) plus the foreign keys: ``'ok'`` if sound.

        >>> Archive(":memory:").integrity_check()
        'ok'
        """
        res = self._rows("integrity_check", "PRAGMA integrity_check")[0][0]
        if res != "ok":
            return str(res)
        fk = self._rows("integrity_check", "PRAGMA foreign_key_check")
        return "ok" if not fk else f"{len(fk)} rows break foreign keys (first in table {fk[0][0]})"

    def schema(self, lang: str | None = None) -> pd.DataFrame:
        """The tables and how they link (信息的分离与整合): one row per column with its type, key and label.

        >>> s = Archive(":memory:").schema()
        >>> s[s["links_to"] != ""].index.get_level_values("table").unique().tolist()
        ['follow_ups', 'purchases', 'complaints', 'history']
        """
        lang = i18n.resolve(lang if lang is not None else self.lang, "schema")
        rows = []
        for t in TABLES:
            info = self._rows("schema", f"PRAGMA table_info({_q(t)})")
            fks = {r[3]: f"{r[2]}.{r[4]}" for r in self._rows("schema", f"PRAGMA foreign_key_list({_q(t)})")}
            for _, name, typ, notnull, _, pk in info:
                key = f"rec_{name}" if f"rec_{name}" in i18n.GLOSSARY else None
                rows.append(
                    (
                        t,
                        name,
                        typ,
                        i18n.text("rec_schema_primary_key", lang)
                        if pk
                        else (i18n.text("rec_schema_required", lang) if notnull else ""),
                        fks.get(name, ""),
                        i18n.label(key, lang) if key else "",
                    )
                )
        return pd.DataFrame(rows, columns=["table", "column", "type", "key", "links_to", "label"]).set_index(
            ["table", "column"]
        )

    def _dated(self, func: str, table: str, df: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
        """The date columns of rows read from ``table`` as ``datetime64[ns]``; impossible stored dates
        (see :meth:`bad_dates`) become NaT, and are listed as (table, record, customer, field, value)."""
        key = "customer_id" if table == "customers" else next(iter(_COLUMNS[table]))
        found = []
        for c, (kind, _) in _COLUMNS[table].items():
            if kind in ("date", "datetime") and c in df.columns:
                raw = df[c]
                df[c], bad = _stored_dates(raw)
                found += [(table, k, cid, c, v) for k, cid, v in zip(df[key][bad], df["customer_id"][bad], raw[bad])]
        return df, found

    def bad_dates(self) -> pd.DataFrame:
        """The stored dates this archive cannot use: outside :data:`DATE_RANGE` (a year ``0024`` typed for
        2024, a placeholder ``9999-12-31``) or no date at all, as an archive written before crmlib checked
        them (or by another program) may hold. One row per record and field, with the record's number
        (``record_id``; the ``customer_id`` for a card) and the value as stored — the list to work
        through with :meth:`correct`, :meth:`delete` or :meth:`update_customer`. Empty when all is well.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"]}))
        >>> _ = arc._con.execute("INSERT INTO follow_ups (customer_id, date) VALUES ('C1', '0024-05-01')")  # old file
        >>> arc.bad_dates()
               table record_id customer_id field       value
        0  follow_ups         1          C1  date  0024-05-01
        >>> _ = arc.correct("follow_ups", 1, {"date": "2024-05-01"}, by="Li", note="year typed 0024")
        >>> len(arc.bad_dates())
        0
        """
        found = []
        for t in TABLES:
            cols = [c for c, (kind, _) in _COLUMNS[t].items() if kind in ("date", "datetime")]
            key = "customer_id" if t == "customers" else next(iter(_COLUMNS[t]))
            df = self._frame("bad_dates", f"SELECT {_q(key)}, customer_id, {', '.join(map(_q, cols))} FROM {_q(t)}")
            df = df.loc[:, ~df.columns.duplicated()]
            found += self._dated("bad_dates", t, df)[1]
        return pd.DataFrame(found, columns=["table", "record_id", "customer_id", "field", "value"], dtype=object)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a pandas DataFrame for the other chapters: customers indexed by
        ``customer_id``, the others by their own number; dates as datetime64, amounts as float.

        An archive written before crmlib checked dates may hold impossible ones (:meth:`bad_dates`):
        a follow-up, purchase or complaint with such a date is left out, an optional date of a card
        (birthday, created on) reads as missing (NaT), and a :class:`~crmlib.CRMDataWarning` names them.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"],
        ...                                         "created_on": ["2024-01-02"]}))
        >>> f = arc.to_frames()
        >>> list(f), str(f["customers"]["created_on"].dtype)
        (['customers', 'follow_ups', 'purchases', 'complaints', 'history'], 'datetime64[ns]')
        """
        out = {}
        for t in TABLES:
            df, found = self._dated("to_frames", t, self._frame("to_frames", f"SELECT * FROM {_q(t)} ORDER BY rowid"))
            required = [c for c, (kind, req) in _COLUMNS[t].items() if req and kind in ("date", "datetime")]
            _warn_bad_dates("to_frames", found, "left out" if required else "read as missing (NaT)")
            if required:
                df = df[df[required].notna().all(axis=1)]
            for c, (kind, _) in _COLUMNS[t].items():
                if kind == "amount":
                    df[c] = df[c].astype("float64")
                elif kind == "flag":
                    df[c] = df[c].astype("boolean")
                elif kind == "auto":
                    df[c] = df[c].astype("int64")
                elif kind == "number":
                    df[c] = df[c].astype("Int64")
            key = "customer_id" if t == "customers" else next(iter(_COLUMNS[t]))
            out[t] = df.set_index(key)
        return out

    def search(self, query: str, limit: int = 20) -> pd.DataFrame:
        """Customers whose number or name contains ``query`` (case-insensitive), exact numbers first.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Li Mill", "Wang Rice"]}))
        >>> arc.search("rice").index.tolist(), arc.search("c1").index.tolist()
        (['C2'], ['C1'])
        """
        func = "search"
        if not isinstance(query, str):
            raise CRMDataError(func, "query", f"must be text, got {type(query).__name__}")
        n = V.integer(limit, func, "limit", 1, 10_000)
        q = query.strip()
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        df = self._frame(
            "search",
            "SELECT customer_id, name, grade, owner, phone FROM customers "
            "WHERE customer_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' "
            "ORDER BY (upper(customer_id) = upper(?)) DESC, customer_id LIMIT ?",
            (like, like, q, n),
        )
        return df.set_index("customer_id")

    def customer_card(self, customer_id: str, n_follow_ups: int = 5, lang: str | None = None) -> Card:
        """The joined view of one customer (客户卡): card fields, latest follow-ups, purchase history,
        complaints, change history and a summary (grade, purchases, revenue, last contact).

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"], "grade": ["A"]}))
        >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["C1", "C1"], "date": ["2024-01-05", "2024-02-04"],
        ...                                        "amount": [100.0, 50.0]}))
        >>> arc.customer_card("C1").summary
        {'grade': 'A key', 'n_purchases': 2, 'revenue': 150.0, 'last_purchase': '2024-02-04', 'mean_gap_days': 30.0, 'last_follow_up': None, 'n_complaints': 0}
        """  # noqa: E501
        func = "customer_card"
        lang = i18n.resolve(lang if lang is not None else self.lang, func)
        cid = self._customer(customer_id, func)
        k = V.integer(n_follow_ups, func, "n_follow_ups", 0, 10_000)
        fields = self._frame("customer_card", "SELECT * FROM customers WHERE customer_id = ?", (cid,)).iloc[0].to_dict()
        fields = {f: fields.get(f) for f in CARD_FIELDS}
        fu = self._frame(
            "customer_card",
            'SELECT follow_up_id, date, channel, "by", summary, next_step FROM follow_ups '
            "WHERE customer_id = ? ORDER BY date DESC, follow_up_id DESC LIMIT ?",
            (cid, k),
        )
        pu = self._frame(
            "customer_card",
            "SELECT purchase_id, ref, date, amount, product FROM purchases WHERE customer_id = ? "
            "ORDER BY date DESC, purchase_id DESC",
            (cid,),
        )
        co = self._frame(
            "customer_card",
            "SELECT complaint_id, ref, date, channel, cause, satisfied FROM complaints "
            "WHERE customer_id = ? ORDER BY date DESC, complaint_id DESC",
            (cid,),
        )
        hi = self._frame(
            "customer_card",
            "SELECT record, record_id, field, old_value, new_value, changed_by, changed_at, note FROM history "
            "WHERE customer_id = ? ORDER BY changed_at DESC, change_id DESC",
            (cid,),
        )
        # the summary leaves out records whose stored date is impossible (an old file's year 0024), as
        # to_frames does; the card still lists them as stored, so that they can be seen and corrected
        dated = {}
        found = []
        for t, df in (("purchases", pu), ("follow_ups", fu), ("complaints", co)):
            d, bad = self._dated(func, t, df.assign(customer_id=cid))
            dated[t] = d.loc[d["date"].notna()]
            found += bad
        _warn_bad_dates(func, found, "left out of the summary")
        p_ok, f_ok = dated["purchases"], dated["follow_ups"]
        days = p_ok["date"].drop_duplicates().sort_values()
        gap = float(days.diff().dt.days.mean()) if len(days) > 1 else None
        summary = {
            "grade": i18n.label(fields["grade"], lang) if fields.get("grade") else None,
            "n_purchases": int(len(p_ok)),
            "revenue": round(float(p_ok["amount"].sum()), 2),
            "last_purchase": f"{days.iloc[-1]:%Y-%m-%d}" if len(days) else None,
            "mean_gap_days": None if gap is None else round(gap, 1),
            "last_follow_up": f"{f_ok['date'].max():%Y-%m-%d}" if len(f_ok) else None,
            "n_complaints": int(len(dated["complaints"])),
        }
        return Card(fields, fu, pu, co, hi, summary, lang)

    def history(self, customer_id: str | None = None) -> pd.DataFrame:
        """The history of changes (修改记录), oldest first, for one customer or all.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1"], "name": ["Li"]}))
        >>> _ = arc.update_customer("C1", {"owner": "Zhang"}, by="manager", when="2024-06-01")
        >>> arc.history("C1")[["field", "old_value", "new_value", "changed_by"]].values.tolist()
        [['owner', None, 'Zhang', 'manager']]
        """
        if customer_id is None:
            df = self._frame("history", "SELECT * FROM history ORDER BY changed_at, change_id")
        else:
            cid = self._customer(customer_id, "history")
            df = self._frame(
                "history", "SELECT * FROM history WHERE customer_id = ? ORDER BY changed_at, change_id", (cid,)
            )
        df = df.set_index("change_id")
        return df.astype(object).where(df.notna(), None)  # a missing old value reads None, not NaN

    def reminders(
        self, as_of: Any = None, horizon_days: int = 14, lead_days: int = 1, lang: str | None = None
    ) -> pd.DataFrame:
        """Who is due for contact (主动联系名单), after Wang Yongqing's rice shop.

        Each customer's purchases up to ``as_of`` (default: the last purchase on file) give a spending
        rate — what it bought before its last purchase over the days from first to last purchase — and
        its last purchase lasts ``amount / rate`` days: the date it should buy again
        (``expected_next``, :func:`crmlib.records.purchase_cycle` with money as the amount).
        Every customer expected within ``horizon_days`` is listed with the day to get in touch,
        ``lead_days`` before (never before ``as_of``; :func:`crmlib.records.contact_plan`).
        ``overdue_days`` > 0 means the purchase is already late — a customer slipping away.
        ``estimated`` marks customers seen on one day only (their rate is the median of the others).

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["A", "B", "C"], "name": ["Li", "Wang", "Zhao"],
        ...                                         "grade": ["A", "C", "B"]}))
        >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["A", "A", "A", "B", "B", "C", "C"],
        ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-01-01", "2025-02-01",
        ...              "2025-01-01", "2025-01-11"],
        ...     "amount": [10.0, 10, 10, 20, 20, 10, 10]}))
        >>> rem = arc.reminders(as_of="2025-02-20", horizon_days=14, lead_days=2)
        >>> rem[["expected_next", "contact_on", "overdue_days"]]
                    expected_next contact_on  overdue_days
        customer_id
        C              2025-01-21 2025-02-20            30
        A              2025-03-02 2025-02-28             0
        B              2025-03-04 2025-03-02             0
        """
        func = "reminders"
        lang = i18n.resolve(lang if lang is not None else self.lang, func)
        h = V.integer(horizon_days, func, "horizon_days", 1, 365)
        lead = V.integer(lead_days, func, "lead_days", 0, 30)
        p = self._frame("reminders", "SELECT purchase_id, customer_id, date, amount FROM purchases WHERE amount > 0")
        if len(p) == 0:
            raise CRMDataError(func, "purchases", "the archive holds no purchases to learn purchase cycles from")
        p, found = self._dated(func, "purchases", p)
        _warn_bad_dates(func, found, "left out")  # an old file's impossible dates: those purchases are left out
        p = p[p["date"].notna()].drop(columns="purchase_id")
        if as_of is None and len(p) == 0:
            raise CRMDataError(func, "purchases", "the archive holds no purchases with a usable date")
        t = p["date"].max() if as_of is None else V.timestamp(as_of, func, "as_of").normalize()
        p = p[p["date"] <= t]
        if len(p) == 0 or int(p.groupby("customer_id")["date"].nunique().max()) < 2:
            raise CRMDataError(
                func, "as_of", f"leaves no customer with purchases on two different days up to {t:%Y-%m-%d}"
            )
        with V.caller(func):
            plan = contact_plan(purchase_cycle(p, as_of=t), horizon_days=h, lead_days=lead, as_of=t)
        cards = self._frame("reminders", "SELECT customer_id, name, grade, owner, phone FROM customers").set_index(
            "customer_id"
        )
        out = cards.reindex(plan.index)
        out["grade"] = pd.Categorical(
            out["grade"].map(lambda g: i18n.label(g, lang) if isinstance(g, str) else None),
            categories=i18n.categories(GRADES, lang),
            ordered=True,
        )
        out["purchases"] = plan["purchases"]
        out["last_purchase"] = plan["last_purchase"]
        out["cycle_days"] = (plan["last_amount"] / plan["daily_rate"]).round(1)
        out["expected_next"] = plan["next_purchase"]
        out["contact_on"] = plan["contact_on"]
        out["overdue_days"] = (t - plan["next_purchase"]).dt.days.clip(lower=0).astype("int64")
        out["estimated"] = plan["estimated"].astype(bool)
        out.index.name = "customer_id"
        out.attrs["as_of"] = t
        return out.sort_values(["contact_on", "grade", "expected_next"], kind="mergesort")

    def birthdays(self, as_of: Any, within_days: int = 7) -> pd.DataFrame:
        """The birthday file (生日档案): contacts whose birthday falls in the ``within_days`` days from
        ``as_of`` (inclusive), with the date to send the greeting, soonest first.

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Li", "Wang"],
        ...     "contact_person": ["Li Na", "Wang Bo"], "birthday": ["1980-01-03", "1975-06-30"]}))
        >>> arc.birthdays("2024-12-30", within_days=7)
                    name contact_person    birthday    greet_on  days_to_go
        customer_id
        C1            Li          Li Na  1980-01-03  2025-01-03           4
        """
        func = "birthdays"
        t = V.timestamp(as_of, func, "as_of").normalize()
        if t.year >= DATE_RANGE[1].year - 1:  # its birthdays of the following year must fit too
            raise CRMDataError(func, "as_of", f"{t:%Y-%m-%d} leaves no following year inside the archive's dates")
        w = V.integer(within_days, func, "within_days", 0, 366)
        df = self._frame(
            "birthdays", "SELECT customer_id, name, contact_person, birthday FROM customers WHERE birthday IS NOT NULL"
        ).set_index("customer_id")
        b, found = self._dated(func, "customers", df[["birthday"]].reset_index())
        _warn_bad_dates(func, found, "left out")  # an old file's impossible birthday is not greeted
        keep = b["birthday"].notna().to_numpy()
        df, b = df[keep], b.loc[keep, "birthday"]
        m, d = b.dt.month.to_numpy(), b.dt.day.to_numpy()

        def on(year: int) -> pd.Series:  # this year's date of each birthday; 29 Feb → 28 Feb
            leap = pd.Timestamp(year, 1, 1).is_leap_year
            day = np.where((m == 2) & (d == 29) & (not leap), 28, d)
            return pd.Series(
                pd.to_datetime(pd.DataFrame({"year": year, "month": m, "day": day})).to_numpy(), index=df.index
            )

        this = on(t.year)
        out = df.assign(greet_on=this.where(this >= t, on(t.year + 1)).astype("datetime64[ns]"))
        out["days_to_go"] = (out["greet_on"] - t).dt.days.astype("int64")
        out["greet_on"] = out["greet_on"].dt.strftime("%Y-%m-%d")
        return out[out["days_to_go"] <= w].sort_values(["days_to_go"], kind="mergesort")


def _field_of(message: str) -> str:
    """The column named in an sqlite3 constraint message (``UNIQUE constraint failed: purchases.ref``)."""
    if "FOREIGN KEY" in message:
        return "customer_id"
    tail = message.rsplit(":", 1)[-1].strip()
    return tail.split(".")[-1].split(",")[0] if "." in tail else "table"


def _sqlite_error(func: str, exc: sqlite3.Error, what: str) -> CRMDataError:
    """An sqlite3 error as a CRMDataError that says what happened and what to do."""
    msg = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        return CRMDataError(func, _field_of(msg), f"breaks a rule of the archive: {msg}", detail="nothing was saved")
    writing = what.startswith("could")  # a write was attempted (and rolled back)
    if "locked" in msg or "busy" in msg:
        return CRMDataError(
            func,
            "path",
            f"the archive {what}: another program or connection kept it locked beyond the busy timeout ({msg})",
            detail=(
                "nothing was saved; close the other program (a database browser, another notebook) or end its "
                "transaction, then run this again, or open the archive with a longer Archive(path, timeout=…)"
                if writing
                else "wait until the other program has saved, or close it, then run this again"
            ),
        )
    if "readonly" in msg or "read-only" in msg:
        return CRMDataError(
            func,
            "path",
            f"the archive {what}: the file is read-only ({msg})",
            detail="nothing was saved; work on a copy",
        )
    return CRMDataError(func, "path", f"the archive {what}: {msg}", detail="nothing was saved" if writing else None)


#: the columns of a history row, in the order written
_HISTORY = ["customer_id", "record", "record_id", "field", "old_value", "new_value", "changed_by", "changed_at", "note"]


def _write_history(con: sqlite3.Connection, rows: list[tuple]) -> None:
    con.executemany(
        f"INSERT INTO history ({', '.join(_q(c) for c in _HISTORY)}) VALUES ({', '.join('?' for _ in _HISTORY)})", rows
    )


def _history_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=_HISTORY, dtype=object)


def _warn_bad_dates(func: str, found: list[tuple], action: str) -> None:
    """One CRMDataWarning naming, for each table and field, the records whose stored dates are impossible."""
    by_field: dict[tuple[str, str], list] = {}
    for table, key, _, field, value in found:
        by_field.setdefault((table, field), []).append((key, value))
    parts = []
    for (table, field), bad in by_field.items():
        shown = ", ".join(f"{k!r} ({v!r})" if isinstance(k, str) else f"{k} ({v!r})" for k, v in bad[: V.MAX_ROWS])
        more = f" and {len(bad) - V.MAX_ROWS} more" if len(bad) > V.MAX_ROWS else ""
        parts.append(f"field '{field}' of '{table}' (records {shown}{more})")
    if parts:
        warnings.warn(
            CRMDataWarning(
                f"{func}: {'; '.join(parts)} {_date_problem()} or no date at all: {action}; "
                "Archive.bad_dates() lists them, correct() fixes them"
            ),
            stacklevel=3,
        )
