"""Loading the bundled datasets (数据集): the registry of the committed CSVs with their dtypes,
:func:`list_datasets`, :func:`dataset_path`, :func:`load_dataset`, :func:`read_csv` for your own
files, and :func:`regenerate` (``crmlib data regenerate``, ``make data``), which rewrites the
generated files byte-identically from the generators in :mod:`crmlib.datasets._generators`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _io, _validate
from crmlib._errors import CRMDataError
from crmlib.datasets import _generators as gen

_DATA_PACKAGE = "crmlib._data"

# ----------------------------------------------------------------------------- chapter 5: CDNOW sample (loader helpers)
#: CDNOW sample (static, not generated): the 6,919 purchases of 2,357 customers who first bought
#: at the CD retailer CDNOW in the first quarter of 1997, with their purchases until June 1998
#: (Fader & Hardie's 1/10th sample, taken from the MIT-licensed ``lifetimes`` 0.11.3 wheel; see
#: datasets/README.md). ``make=None`` in its registry entry: ``regenerate`` leaves the file alone.
CDNOW_CALIBRATION_END = "1997-09-30"  # end of the 39-week calibration period of the literature


# ----------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class _Spec:
    make: Callable[[], pd.DataFrame]
    dtypes: dict[str, str]
    dates: tuple[str, ...]  # written as YYYY-MM-DD, read back as datetime64[ns]
    bools: tuple[str, ...]  # written as True/False, read back as bool
    formats: dict[str, str]  # fixed float formatting in the CSV
    filename: str = ""  # the file in crmlib._data when it is not "<name>.csv" (e.g. a gzipped CSV)
    open_dates: tuple[str, ...] = ()  # dates that may be empty (NaT): the paid date of an unpaid invoice


_SPECS: dict[str, _Spec] = {
    "customer_wallets": _Spec(
        make=gen.make_wallets,
        dtypes={"customer_id": "str", "est_category_spend": "float64"},
        dates=(),
        bools=(),
        formats={"est_category_spend": "%.2f"},
    ),
    "retail_transactions": _Spec(
        make=gen.make_transactions,
        dtypes={
            "transaction_id": "int64",
            "customer_id": "str",
            "date": "str",
            "amount": "float64",
            "discount_pct": "float64",
            "margin": "float64",
            "channel": "str",
            "region": "str",
            "segment": "str",
        },
        dates=("date",),
        bools=(),
        formats={"amount": "%.2f", "discount_pct": "%.3f", "margin": "%.2f"},
    ),
    "prospects": _Spec(
        make=gen.make_prospects,
        dtypes={
            "prospect_id": "str",
            "source": "str",
            "money": "str",
            "authority": "str",
            "need": "str",
            "expected_close_days": "int64",
            "estimated_value": "float64",
        },
        dates=(),
        bools=("money", "authority", "need"),
        formats={"estimated_value": "%.2f"},
    ),
    # ---- chapter 2 datasets (accounts, invoices) below this line
    "accounts": _Spec(
        make=gen.make_accounts,
        dtypes={
            "account_id": "str",
            "industry": "str",
            "region": "str",
            "size": "str",
            "employees": "int64",
            "years_as_customer": "int64",
            "revenue": "float64",
            "discounts": "float64",
            "cogs": "float64",
            "service_cost": "float64",
            "revenue_growth": "float64",
            "avg_days_late": "float64",
            "on_time_share": "float64",
            "price_sensitivity": "float64",
            "debt_ratio": "float64",
            "current_ratio": "float64",
            "collateral": "float64",
            "industry_outlook": "int64",
            "satisfaction": "int64",
            "partnership_interest": "int64",
            "payment_terms": "int64",
        },
        dates=(),
        bools=(),
        formats={
            "revenue": "%.2f",
            "discounts": "%.2f",
            "cogs": "%.2f",
            "service_cost": "%.2f",
            "revenue_growth": "%.3f",
            "avg_days_late": "%.1f",
            "on_time_share": "%.3f",
            "price_sensitivity": "%.3f",
            "debt_ratio": "%.3f",
            "current_ratio": "%.2f",
            "collateral": "%.2f",
        },
    ),
    "invoices": _Spec(
        make=gen.make_invoices,
        dtypes={
            "invoice_id": "str",
            "account_id": "str",
            "issue_date": "str",
            "due_date": "str",
            "paid_date": "str",
            "amount": "float64",
        },
        dates=("issue_date", "due_date", "paid_date"),
        bools=(),
        formats={"amount": "%.2f"},
        open_dates=("paid_date",),
    ),
    # ---- chapter 3 datasets (leads) below this line
    "leads": _Spec(
        make=gen.make_leads,
        dtypes={
            "lead_id": "str",
            "channel": "str",
            "created": "str",
            "last_contact": "str",
            "money": "str",
            "authority": "str",
            "need": "str",
            "stage": "str",
            "contacts": "int64",
            "expected_close_days": "int64",
            "status": "str",
            "won": "str",
            "cost": "float64",
            "value": "float64",
        },
        dates=("created", "last_contact"),
        bools=("money", "authority", "need", "won"),
        formats={"cost": "%.2f", "value": "%.2f"},
    ),
    # ---- chapter 4 datasets (survey, complaints) below this line
    "survey": _Spec(
        make=gen.make_survey,
        dtypes={
            "respondent_id": "str",
            "segment": "str",
            "category": "str",
            "indicator": "str",
            "importance": "int64",
            "performance": "int64",
            "csat": "int64",
            "recommend": "int64",
        },
        dates=(),
        bools=(),
        formats={},
    ),
    "complaints": _Spec(
        make=gen.make_complaints,
        dtypes={
            "complaint_id": "str",
            "customer_id": "str",
            "received": "str",
            "channel": "str",
            "cause": "str",
            "apologise_h": "float64",
            "restate_h": "float64",
            "reassure_h": "float64",
            "remedy_h": "float64",
            "follow_up_h": "float64",
            "review_h": "float64",
            "satisfied": "str",
        },
        dates=("received",),
        bools=("satisfied",),
        formats={
            "apologise_h": "%.1f",
            "restate_h": "%.1f",
            "reassure_h": "%.1f",
            "remedy_h": "%.1f",
            "follow_up_h": "%.1f",
            "review_h": "%.1f",
        },
    ),
    # ---- chapter 5 datasets (cdnow) below this line
    "cdnow_sample": _Spec(
        make=None,  # type: ignore[arg-type]  # static data, not generated: regenerate() skips it
        dtypes={"customer_id": "str", "sample_id": "int64", "date": "str", "quantity": "int64", "amount": "float64"},
        dates=("date",),
        bools=(),
        formats={"amount": "%.2f"},
    ),
    # the full CDNOW master log (chapter 1): 69,659 purchases of 23,570 customers, gzipped CSV
    "cdnow_master": _Spec(
        make=None,  # type: ignore[arg-type]  # static data, not generated: regenerate() skips it
        dtypes={"customer_id": "str", "date": "str", "quantity": "int64", "amount": "float64"},
        dates=("date",),
        bools=(),
        formats={"amount": "%.2f"},
        filename="cdnow_master.csv.gz",
    ),
}


def list_datasets() -> list[str]:
    """Names of the bundled datasets, for :func:`load_dataset`.

    >>> "retail_transactions" in list_datasets(), list_datasets() == sorted(list_datasets())
    (True, True)
    """
    return sorted(_SPECS)


def _spec(name: Any, func: str) -> _Spec:
    if not isinstance(name, str) or name not in _SPECS:
        raise CRMDataError(
            func, "name", f"unknown dataset {name!r}", detail=f"available datasets: {', '.join(list_datasets())}"
        )
    return _SPECS[name]


def _filename(name: str) -> str:
    """The file of dataset ``name`` in ``crmlib._data``: ``<name>.csv``, or the one its entry names."""
    return _SPECS[name].filename or f"{name}.csv"


def _resource(name: str):
    return resources.files(_DATA_PACKAGE).joinpath(_filename(name))


def dataset_path(name: str) -> Path:
    """Path of the committed CSV of dataset ``name`` inside the installed package.

    >>> dataset_path("prospects").name, dataset_path("cdnow_master").name
    ('prospects.csv', 'cdnow_master.csv.gz')
    """
    func = "dataset_path"
    _spec(name, func)
    res = _resource(name)
    if not isinstance(res, Path):  # e.g. a zipped install: there is no file to point to
        raise CRMDataError(
            func,
            "name",
            f"dataset {name!r} is not a file on disk here",
            detail="read it with load_dataset(name) instead",
        )
    return res


def load_dataset(name: str) -> pd.DataFrame:
    """Read a bundled dataset (``list_datasets()`` names them) with its documented dtypes.

    Dates come back as datetime64[ns], yes/no columns as bool, identifiers and labels as
    strings; the frame equals the generator's output with its default arguments.

    >>> tx = load_dataset("retail_transactions")
    >>> str(tx["date"].dtype), str(tx["amount"].dtype)
    ('datetime64[ns]', 'float64')
    >>> load_dataset("nope")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: load_dataset: field 'name' unknown dataset 'nope'; available datasets: ...
    """
    func = "load_dataset"
    spec = _spec(name, func)
    res = _resource(name)
    try:
        with res.open("rb") as fh:
            # everything as text first, so a hand-edited cell is reported with its row
            gz = _filename(name).endswith(".gz")
            df = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""], compression="gzip" if gz else None)
    except FileNotFoundError as exc:
        raise CRMDataError(
            func,
            "name",
            f"the file of dataset {name!r} is missing from the install",
            detail="run `crmlib data regenerate` or reinstall crmlib",
        ) from exc
    except (ValueError, UnicodeDecodeError, OSError, EOFError) as exc:  # ragged rows, binary file, broken gzip
        raise CRMDataError(func, "name", f"{_filename(name)} cannot be read: {exc}") from exc
    _validate.table(df, func, required=list(spec.dtypes), name=_filename(name))
    return _convert(df[list(spec.dtypes)], spec, func)


def _convert(df: pd.DataFrame, spec: _Spec, func: str, dayfirst: bool | None = None) -> pd.DataFrame:
    """Text columns of a dataset's table → its documented dtypes, naming the rows of bad cells."""
    for col, dtype in spec.dtypes.items():
        if dtype == "float64":
            df[col] = _validate.numeric(df[col], func, col, allow_negative=True).to_numpy()
        elif dtype == "int64":
            df[col] = _whole_numbers(df[col], func, col)
    for col in spec.dates:
        text, open_ = df[col], col in spec.open_dates
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        if (parsed.isna() & text.notna()).any() or (not open_ and parsed.isna().any()):
            # another layout: parse it by the day-first rule, or name the offending rows
            parsed = _validate.dates(text, func, col, allow_missing=open_, dayfirst=dayfirst)
        df[col] = pd.Series(parsed.to_numpy(), index=df.index).astype("datetime64[ns]")
    for col in spec.bools:
        text = df[col]
        if text.isin(["True", "False"]).all():
            df[col] = (text == "True").to_numpy(dtype=bool)
        else:  # hand-edited file: accept yes/no, 1/0, 是/否 and name anything else
            df[col] = _validate.flags(text, func, col).to_numpy(dtype=bool)
    return df


_INT64 = (-(2**63), 2**63 - 1)


def _whole_numbers(text: pd.Series, func: str, field: str) -> np.ndarray:
    """A text column of whole numbers → int64, exactly: through Python integers, not float64 (which
    rounds beyond 2**53 and wraps beyond int64 to -9223372036854775808), naming the rows that are not
    whole numbers or do not fit.

    >>> _whole_numbers(pd.Series(["9007199254740993", "-2", "3.0"]), "f", "n").tolist()
    [9007199254740993, -2, 3]
    >>> _whole_numbers(pd.Series(["1", "99999999999999999999"]), "f", "n")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: f: field 'n' has whole numbers too large for a 64-bit integer ('99999999999999999999') (rows 1); keep such numbers (e.g. ids) as text
    """  # noqa: E501
    try:  # the usual case: every cell a whole number that fits, parsed by Python's int()
        return np.array(text.tolist(), dtype=np.int64)
    except (ValueError, TypeError, OverflowError):
        pass
    s = text.astype("string").str.strip()
    exact = s.str.fullmatch(r"[+-]?\d+(\.0*)?", na=False).to_numpy(dtype=bool)
    if not exact.all():  # non-numbers, blanks and fractions, named by the usual checks
        v = _validate.numeric(text, func, field, allow_negative=True)
        frac = (v != np.round(v)).to_numpy()
        if frac.any():
            _validate._fail(func, field, "must hold whole numbers", frac, v.index)
        ints = [int(x) if abs(x) < 2**63 else None for x in v.to_numpy()]  # e.g. '1e3': what was written
    else:
        ints = [int(x.split(".")[0]) for x in s.tolist()]
    big = np.array([x is None or not _INT64[0] <= x <= _INT64[1] for x in ints], dtype=bool)
    if big.any():
        shown = ", ".join(repr(v) for v in text[big].head(_validate.MAX_ROWS).tolist())
        _validate._fail(
            func,
            field,
            f"has whole numbers too large for a 64-bit integer ({shown})",
            big,
            text.index,
            detail="keep such numbers (e.g. ids) as text",
        )
    return np.array(ints, dtype=np.int64)


def read_csv(
    path: str | os.PathLike[str], kind: str | None = None, encoding: str = "auto", dayfirst: bool | None = None
) -> pd.DataFrame:
    """Read your own CSV file — UTF-8, UTF-8 with BOM (newer Excel) or GBK/GB18030 (Chinese Excel).

    ``encoding="auto"`` detects which, and refuses a file that is none of them rather than garble
    it (a Big5, Shift-JIS or Windows-1252 file: the error says which it looks like; name it then,
    ``encoding="big5"``, ``"shift_jis"``, ``"cp1252"``, or any of ``"gbk"``, ``"utf-8-sig"``, …).
    The encoding used is in ``df.attrs["encoding"]``.

    With ``kind``, the name of a bundled dataset (``list_datasets()``), the file must have that
    dataset's columns and gets its dtypes and checks, exactly as :func:`load_dataset` (extra
    columns are kept, as text, after them); an empty ``paid_date`` of ``kind="invoices"`` is an
    unpaid invoice (NaT). Without ``kind`` pandas infers the dtypes, but identifier columns
    (``customer_id``, ``客户编号``, …) and whole numbers of more than 15 digits stay text, so that
    no two ids become one number.

    Dates (of ``kind``'s date columns; without ``kind`` they stay text until a function reads them,
    by the same rule): ISO (``2024-02-10``) and year-first (``2024/02/10``) are read as they are. For
    ``10/02/2024`` the column decides: a first number above 12 anywhere makes the whole column
    day-first, a second number above 12 month-first; a column with neither (every date could be
    both) is refused unless ``dayfirst=True`` or ``False`` says how it was written.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "prospects_gbk.csv"
    >>> text = load_dataset("prospects").head(2).to_csv(index=False).replace("trade fair", "展销会")
    >>> _ = p.write_bytes(text.encode("gbk"))
    >>> df = read_csv(p, kind="prospects")
    >>> df["source"].tolist(), str(df["money"].dtype), df.attrs["encoding"]
    (['展销会', 'observation'], 'bool', 'gb18030')
    >>> read_csv(p, kind="nope")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: read_csv: field 'kind' unknown dataset kind 'nope'; available: ...
    """
    func = "read_csv"
    if kind is not None and (not isinstance(kind, str) or kind not in _SPECS):
        raise CRMDataError(
            func, "kind", f"unknown dataset kind {kind!r}", detail=f"available: {', '.join(list_datasets())}"
        )
    if dayfirst is not None and not isinstance(dayfirst, (bool, np.bool_)):
        raise CRMDataError(func, "dayfirst", f"must be True, False or None, got {dayfirst!r}")
    spec = None if kind is None else _SPECS[kind]
    if spec is None:
        return _io.read_csv(path, encoding, func=func, dtype=None, keep_default_na=True)
    df = _io.read_csv(path, encoding, func=func)
    _validate.table(df, func, required=list(spec.dtypes), name=Path(path).name)
    extra = [c for c in df.columns if c not in spec.dtypes]
    out = _convert(df[list(spec.dtypes) + extra], spec, func, None if dayfirst is None else bool(dayfirst))
    out.attrs["encoding"] = df.attrs["encoding"]
    return out


def _csv_bytes(name: str, df: pd.DataFrame) -> bytes:
    """The exact bytes of a dataset's CSV: fixed float formats, ISO dates, True/False, LF."""
    spec = _SPECS[name]
    out = df.copy()
    for col, fmt in spec.formats.items():
        out[col] = np.char.mod(fmt, out[col].to_numpy(dtype=np.float64))
    for col in spec.dates:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def regenerate(out: str | os.PathLike[str] | None = None) -> list[Path]:
    """Rewrite every bundled CSV from its generator's defaults, byte-identically each time.

    ``out`` is the folder to write to; by default the installed ``crmlib._data`` folder (the
    repository's ``datasets/`` in an editable install). Returns the paths written.
    The command line form is ``crmlib data regenerate [--out FOLDER]`` (or ``make data``).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     names = [p.name for p in regenerate(tmp)]
    >>> {"prospects.csv", "retail_transactions.csv"} <= set(names)
    True
    """
    func = "regenerate"
    if out is None:
        folder = resources.files(_DATA_PACKAGE)
        if not isinstance(folder, Path):
            raise CRMDataError(
                func,
                "out",
                "the installed data folder is not a folder on disk",
                detail="pass out=... to choose where to write",
            )
    else:
        if not isinstance(out, (str, os.PathLike)) or str(out).strip() == "":
            raise CRMDataError(func, "out", f"must be a folder path, got {out!r}")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise CRMDataError(func, "out", f"{str(folder)!r} exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in list_datasets():
        if _SPECS[name].make is None:  # static data (e.g. cdnow_sample): nothing to regenerate
            continue
        path = Path(folder) / _filename(name)
        path.write_bytes(_csv_bytes(name, _SPECS[name].make()))
        written.append(path)
    return written
