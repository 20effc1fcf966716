"""Reading text files whatever their encoding (读取任意编码的文件): UTF-8, UTF-8 with BOM, GBK/GB18030.

Chinese Excel saves "CSV" as GBK (GB18030 is its superset); newer Excel writes UTF-8 with a byte
order mark; most tools write plain UTF-8. :func:`decode` tells them apart without guessing from
statistics: a BOM decides, otherwise strict UTF-8 is tried first (GBK text with Chinese characters
is almost never valid UTF-8), then GB18030. A file that is neither fails with a ``CRMDataError``
naming the file and the byte where decoding stopped.

>>> decode("客户".encode("gbk"))
('客户', 'gb18030')
>>> decode(b"\\xef\\xbb\\xbfid,name\\n")
('id,name\\n', 'utf-8-sig')
"""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path
from typing import Any

from crmlib._errors import CRMDataError

#: encodings :func:`decode` accepts besides "auto" (aliases such as "gbk" map onto these)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf8-sig": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "utf-16": "utf-16",
    "utf16": "utf-16",
}


def decode(
    data: bytes, encoding: str = "auto", func: str = "decode", field: str = "encoding", where: str = "the file"
) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. ``encoding="auto"`` detects it.

    >>> decode("名称,金额\\n".encode("utf-8"))
    ('名称,金额\\n', 'utf-8')
    >>> decode(b"\\xff\\xfei\\x00d\\x00", encoding="auto")
    ('id', 'utf-16')
    >>> decode(b"abc", encoding="latin-9")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: decode: field 'encoding' unknown encoding 'latin-9'; use 'auto' or one of utf-8, utf-8-sig, gb18030, utf-16 (gbk and gb2312 read as gb18030)
    """  # noqa: E501
    if not isinstance(data, (bytes, bytearray)):
        raise CRMDataError(func, field, f"expects bytes, got {type(data).__name__}")
    enc = str(encoding).strip().lower() if isinstance(encoding, str) else None
    if enc != "auto" and enc not in _ALIASES:
        raise CRMDataError(
            func,
            field,
            f"unknown encoding {encoding!r}; use 'auto' or one of "
            f"{', '.join(ENCODINGS)} (gbk and gb2312 read as gb18030)",
        )
    if enc == "auto":
        if data.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ["utf-16"]
        else:
            candidates = ["utf-8", "gb18030"]
    else:
        candidates = [_ALIASES[enc]]
    first_error: UnicodeDecodeError | None = None
    for cand in candidates:
        try:
            return bytes(data).decode(cand), cand
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise CRMDataError(
        func,
        field,
        f"{where} is not valid {' or '.join(candidates)} text: byte "
        f"{first_error.start} ({data[first_error.start : first_error.start + 1]!r}) cannot be "
        "decoded",
        detail="save it as UTF-8 or GBK, or pass encoding=",
    ) from None


def read_text(
    path: str | os.PathLike[str], encoding: str = "auto", func: str = "read_text", field: str = "path"
) -> tuple[str, str]:
    """Read a whole text file with :func:`decode`; returns ``(text, encoding used)``.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "gbk.csv"
    >>> _ = p.write_bytes("客户编号,姓名\\nC1,王永庆\\n".encode("gbk"))
    >>> read_text(p)
    ('客户编号,姓名\\nC1,王永庆\\n', 'gb18030')
    """
    p = Path(path)
    if not p.is_file():
        raise CRMDataError(func, field, f"{str(p)!r} is not a file")
    return decode(p.read_bytes(), encoding, func=func, field="encoding", where=str(p))


def read_csv(path: str | os.PathLike[str], encoding: str = "auto", func: str = "read_csv", **kwargs: Any):
    """A CSV file as a DataFrame of strings (``dtype=str``, empty cells as ``NaN``) in any supported encoding.

    Everything is read as text so that the caller's validation can name the rows of bad cells.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "bom.csv"
    >>> _ = p.write_bytes(b"\\xef\\xbb\\xbfcustomer_id,amount\\nC1,12.5\\n")
    >>> read_csv(p).columns.tolist()
    ['customer_id', 'amount']
    """
    import pandas as pd

    text, _ = read_text(path, encoding, func=func)
    opts = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    opts.update(kwargs)
    try:
        return pd.read_csv(io.StringIO(text), **opts)
    except (ValueError, pd.errors.ParserError) as exc:
        raise CRMDataError(
            func, "path", f"{str(path)!r} cannot be read as CSV: {str(exc).strip().splitlines()[-1]}"
        ) from None
