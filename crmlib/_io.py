"""Reading text files whatever their encoding (读取任意编码的文件): UTF-8, UTF-8 with BOM, GBK/GB18030.

Chinese Excel saves "CSV" as GBK (GB18030 is its superset); newer Excel writes UTF-8 with a byte
order mark; most tools write plain UTF-8. :func:`decode` tells them apart and never stores
mojibake (乱码): a BOM decides; otherwise strict UTF-8 is tried first (GBK text with Chinese
characters is almost never valid UTF-8); then GB18030, but only when the text it gives is
plausible Chinese (:func:`_chinese_share`: no private-use characters, kana, Greek or Cyrillic
letters, and mostly the common characters of GB2312) or, for a longer text with rarer characters,
when the detector charset-normalizer agrees that the bytes are GB18030. Anything else — a
Windows-1252 export (``Müller``), a Big5 file from Taiwan or Hong Kong, a Shift-JIS file from
Japan, all of which GB18030 would decode without a word into wrong Chinese characters — fails
with a ``CRMDataError`` naming the file, the encodings tried, the detector's guess and how to
pass ``encoding=``. Detectors are unreliable on short files (a handful of bytes fits several
encodings: charset-normalizer calls the bytes of ``东京`` in Shift-JIS GB18030), so the detector
never picks an encoding on its own: it confirms GB18030 for long texts and names a guess.

>>> decode("客户".encode("gbk"))
('客户', 'gb18030')
>>> decode(b"\\xef\\xbb\\xbfid,name\\n")
('id,name\\n', 'utf-8-sig')
>>> decode("id,name\\nC1,台灣商行\\n".encode("big5"), where="tw.csv")
Traceback (most recent call last):
...
crmlib._errors.CRMDataError: decode: field 'encoding' tw.csv is not UTF-8 text, and read as GB18030 it would not be Chinese (it would read '...'): tried utf-8, gb18030; it looks like Big5 (traditional Chinese, Taiwan and Hong Kong); if so, read it with encoding='big5' or save it as UTF-8
"""  # noqa: E501

from __future__ import annotations

import codecs
import io
import os
import re
from pathlib import Path
from typing import Any

from crmlib._errors import CRMDataError

#: encodings :func:`decode` accepts besides "auto" (aliases such as "gbk" map onto these); only the
#: first four are ever chosen by "auto", the others must be named
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "shift_jis", "cp1252", "latin-1")
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
    "big5": "big5",
    "cp950": "big5",
    "shift_jis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "shift_jis",
    "cp932": "shift_jis",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}
#: the codec each name decodes with: the Windows code pages Excel writes (supersets of the standards)
_CODECS = {"big5": "cp950", "shift_jis": "cp932"}
#: what a detector's answer means, for the message of a refused file
_GUESSES = {
    "big5": ("big5", "Big5 (traditional Chinese, Taiwan and Hong Kong)"),
    "big5hkscs": ("big5", "Big5 (traditional Chinese, Taiwan and Hong Kong)"),
    "cp950": ("big5", "Big5 (traditional Chinese, Taiwan and Hong Kong)"),
    "shift_jis": ("shift_jis", "Shift-JIS (Japanese)"),
    "cp932": ("shift_jis", "Shift-JIS (Japanese)"),
    "euc_jp": ("shift_jis", "Japanese (EUC-JP or Shift-JIS)"),
    "cp1252": ("cp1252", "Windows-1252 (Western European: ü, é, ß …)"),
    "cp1250": ("cp1252", "Windows-1252 or -1250 (European: ü, é, ß …)"),
    "latin_1": ("latin-1", "Latin-1 (Western European)"),
    "iso8859_15": ("latin-1", "Latin-1 (Western European)"),
}
#: the encodings the detector weighs for a file that is not UTF-8
_DETECT = ["gb18030", "big5", "shift_jis", "cp1252"]
_NOT_CHINESE = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u0370-\u03ff\u0400-\u04ff\ufffd]")


def _chinese_share(text: str) -> tuple[float, int]:
    """How much GB18030-decoded ``text`` reads as Chinese: the share of its non-ASCII characters that
    are GB2312's common (level-1) characters, punctuation or full-width forms (0 when any is a
    private-use code point, kana, a Greek or a Cyrillic letter), and how many non-ASCII characters
    there are. The characters GB18030 makes of Big5, Shift-JIS or Windows-1252 bytes are of those
    kinds or rare ones outside GB2312; real Chinese text is mostly GB2312's level 1.

    >>> [_chinese_share(t) for t in ("客户,朱镕基", "M黮ler", "嶳揷彜揦", "abc")]
    [(0.8, 5), (0.0, 1), (0.0, 4), (1.0, 0)]
    """
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    chars, counts = np.unique(codes[codes > 127], return_counts=True)  # a large file holds few distinct ones
    n = int(counts.sum())
    if n == 0:
        return 1.0, 0
    if _NOT_CHINESE.search("".join(map(chr, chars))):
        return 0.0, n
    common = 0
    for c, k in zip(chars.tolist(), counts.tolist()):
        try:
            b = chr(c).encode("gb2312")
        except UnicodeEncodeError:
            continue
        if b[0] <= 0xA3 or 0xB0 <= b[0] <= 0xD7:  # punctuation and full-width forms, level-1 characters
            common += k
    return round(common / n, 6), n


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess among the encodings of ``_DETECT`` (None: no guess)."""
    from charset_normalizer import from_bytes

    best = from_bytes(bytes(data), cp_isolation=_DETECT).best()
    return None if best is None else best.encoding


def _auto(data: bytes, func: str, field: str, where: str) -> tuple[str, str]:
    """``encoding="auto"``: BOM, then UTF-8, then GB18030 when it is plausible Chinese, else refuse."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", func, field, where)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", func, field, where)
    try:
        return bytes(data).decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = bytes(data).decode("gb18030")
    except UnicodeDecodeError:
        text = None
    share, n = _chinese_share(text) if text is not None else (0.0, 0)
    if share >= 0.6:  # plausible Chinese however short
        return text, "gb18030"
    guess = _detect(data)
    if share >= 0.3 and n >= 20 and guess == "gb18030":  # a long text the detector recognises
        return text, "gb18030"
    name, label = _GUESSES.get(guess or "", (None, None))
    hint = (
        f"it looks like {label}; if so, read it with encoding={name!r} or save it as UTF-8"
        if name
        else "save it as UTF-8 (or GBK), or name its encoding with encoding='…' (e.g. 'big5', 'cp1252')"
    )
    if text is None:
        b = utf8_error.start
        problem = (
            f"{where} is not valid utf-8 or gb18030 text: byte {b} ({data[b : b + 1]!r}) cannot be decoded: "
            "tried utf-8, gb18030"
        )
    else:
        wide = "".join(c for c in text if ord(c) > 127)[:8]
        problem = (
            f"{where} is not UTF-8 text, and read as GB18030 it would not be Chinese (it would read "
            f"{wide!r}): tried utf-8, gb18030"
        )
    raise CRMDataError(func, field, problem, detail=hint)


def _strict(data: bytes, enc: str, func: str, field: str, where: str) -> tuple[str, str]:
    try:
        return bytes(data).decode(_CODECS.get(enc, enc)), enc
    except UnicodeDecodeError as exc:
        raise CRMDataError(
            func,
            field,
            f"{where} is not valid {enc} text: byte {exc.start} ({data[exc.start : exc.start + 1]!r}) cannot be "
            "decoded",
            detail="save it as UTF-8 or GBK, or pass another encoding=",
        ) from None


def decode(
    data: bytes, encoding: str = "auto", func: str = "decode", field: str = "encoding", where: str = "the file"
) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding used)``. ``encoding="auto"`` detects UTF-8 (with or
    without BOM), UTF-16 with BOM and GBK/GB18030 and refuses anything else; a named encoding is used
    as it is.

    >>> decode("名称,金额\\n".encode("utf-8"))
    ('名称,金额\\n', 'utf-8')
    >>> decode(b"\\xff\\xfei\\x00d\\x00", encoding="auto")
    ('id', 'utf-16')
    >>> decode("Müller".encode("cp1252"), encoding="windows-1252")
    ('Müller', 'cp1252')
    >>> decode(b"abc", encoding="latin-9")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: decode: field 'encoding' unknown encoding 'latin-9'; use 'auto' or one of utf-8, utf-8-sig, gb18030, utf-16, big5, shift_jis, cp1252, latin-1 (gbk and gb2312 read as gb18030)
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
        return _auto(data, func, field, where)
    return _strict(data, _ALIASES[enc], func, field, where)


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
    if not isinstance(path, (str, os.PathLike)) or str(path).strip() == "":
        raise CRMDataError(func, field, f"must be a file path, got {path!r}")
    p = Path(path)
    if not p.is_file():
        raise CRMDataError(func, field, f"{str(p)!r} is not a file")
    return decode(p.read_bytes(), encoding, func=func, field="encoding", where=str(p))


#: column names that hold identifiers, read as text by :func:`read_csv` even when they look like
#: numbers: ``id``, ``customer_id``, ``Customer ID``, ``CustomerID``, ``客户ID``, ``客户编号``, ``会员卡号``
_ID_NAME = re.compile(r"(?i:(?:^|[^a-z])id)$|[a-z]I[Dd]$|编号|编码|代码|号码|号$")


def _is_id_name(name: Any) -> bool:
    """Whether column ``name`` names identifiers (:data:`_ID_NAME`).

    >>> [_is_id_name(n) for n in ("customer_id", "CustomerID", "客户编号", "会员卡号", "paid", "amount")]
    [True, True, True, True, False, False]
    """
    return isinstance(name, str) and bool(_ID_NAME.search(name.strip()))


def _exact(inferred, text):
    """The frame pandas inferred, with the columns it cannot hold exactly taken as text instead:
    identifier columns (``_is_id_name``: ``007`` stays ``007``, a 19-digit id is not rounded) and
    number columns with a whole number of more than 15 digits (float64 holds 15 to 17 digits: two
    such numbers may become one, 9007199254740993 reads 9007199254740992)."""
    import pandas as pd

    out = inferred.copy()
    for i, col in enumerate(inferred.columns):
        kind = inferred.dtypes.iloc[i]
        if pd.api.types.is_string_dtype(kind) and not _is_id_name(col):
            continue
        t = text.iloc[:, i]
        long = t.str.strip().str.fullmatch(r"[+-]?\d{16,}(\.0*)?", na=False).any()
        if _is_id_name(col) or (long and not pd.api.types.is_integer_dtype(kind)):
            out.isetitem(i, t)
    return out


def read_csv(path: str | os.PathLike[str], encoding: str = "auto", func: str = "read_csv", **kwargs: Any):
    """A CSV file as a DataFrame of strings (``dtype=str``, empty cells as ``NaN``) in any supported encoding.

    Everything is read as text so that the caller's validation can name the rows of bad cells;
    the encoding used is in ``df.attrs["encoding"]``. With ``dtype=None`` pandas infers the dtypes,
    except for identifier columns and whole numbers beyond float64's 15 digits, which stay text
    (:func:`_exact`).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "bom.csv"
    >>> _ = p.write_bytes(b"\\xef\\xbb\\xbfcustomer_id,amount\\nC1,12.5\\n")
    >>> df = read_csv(p)
    >>> df.columns.tolist(), df.attrs["encoding"]
    (['customer_id', 'amount'], 'utf-8-sig')
    """
    import pandas as pd

    text, used = read_text(path, encoding, func=func)
    opts = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    opts.update(kwargs)
    try:
        df = pd.read_csv(io.StringIO(text), **opts)
        if opts["dtype"] is None:  # pandas infers the dtypes: keep identifiers and long numbers exact
            df = _exact(df, pd.read_csv(io.StringIO(text), **{**opts, "dtype": str}))
        df.attrs["encoding"] = used
        return df
    except (ValueError, pd.errors.ParserError) as exc:
        raise CRMDataError(
            func, "path", f"{str(path)!r} cannot be read as CSV: {str(exc).strip().splitlines()[-1]}"
        ) from None
