"""The LMS round trip (教学平台往返): rosters as registrars export them, bulk downloads of submissions,
grade exports Moodle and Canvas import, and a feedback page per student.

* :func:`read_roster` — a class list as a registrar, Excel or an LMS writes it: any common delimiter
  (comma, semicolon, tab, ``|``; Excel's ``sep=;`` line), UTF-8 with or without a BOM or GBK,
  Chinese or English headers (学号/姓名, ``Student ID``/``Full name``, Moodle's ``First name`` and
  ``Last name``, Canvas's ``SIS User ID``); columns that are neither the id, the name nor a parameter
  of the notebook are kept aside with a note (an e-mail address is what a Moodle import needs).
* :func:`parse_upload_name` and :func:`collect_uploads` — the notebooks of a folder or of the zip of
  an LMS bulk download, each mapped to a roster student: by the student id the notebook carries (the
  grader's job), else by what the LMS put into the file name. Moodle names a file
  ``<full name>_<participant id>_assignsubmission_file_<file name>`` (or puts the file into a folder
  of that name, the default since Moodle 3.1); Canvas names it
  ``<sortable name, lower case, letters only>[_LATE]_<user id>_<attachment id>_<file name>``
  (older downloads: a ``late_`` prefix; anonymous grading: ``anon_<id>`` instead of name and user id).
* :func:`student_totals` and :func:`export_grades` — one row per student (name, the points of each
  question, the total) as a CSV Excel opens with its Chinese intact (UTF-8 with a byte-order mark),
  or in the layout of Moodle's grade import (an identifier column — ``ID number`` or ``Email address``
  — and a grade column) or of Canvas's gradebook import (``Student, ID, SIS User ID, SIS Login ID,
  Section`` and a column ``<assignment> (<id>)``).
* :func:`feedback_page` and :func:`write_feedback` — an HTML page per student, in the student's
  language: each question, the answer, the verdict, the points and a hint, everything escaped.

>>> parse_upload_name("Ann Lee_231_assignsubmission_file_/s001.ipynb")["name"]
'Ann Lee'
>>> parse_upload_name("leeann_LATE_4411_98765_s001.ipynb")["late"]
True
"""

from __future__ import annotations

import ast
import csv
import difflib
import html
import io
import itertools
import json
import math
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmlib._errors import CRMDataError

# ------------------------------------------------------------------------------------------ rosters
#: the headers each roster field is recognised by (compared case-, space- and punctuation-blind),
#: best first: the first header of a field that a roster has is taken, the others are kept aside
ID_HEADERS = (
    "student_id",
    "student id",
    "student no",
    "student number",
    "学号",
    "學號",
    "学生学号",
    "学生编号",
    "sis user id",
    "id number",
    "matriculation number",
    "id",
)
NAME_HEADERS = ("name", "full name", "student name", "姓名", "学生姓名", "名字", "student")
FIRST_HEADERS = ("first name", "given name", "名")
LAST_HEADERS = ("last name", "surname", "family name", "姓")
#: kept-aside columns the exports use, under these names
ROLE_HEADERS = {
    "email": ("email", "email address", "e mail", "邮箱", "电子邮箱", "电子邮件", "邮件"),
    "lms_id": ("canvas id", "canvas user id", "lms id", "user id", "moodle id"),
    "login_id": ("sis login id", "login id", "username", "user name", "用户名", "账号"),
    "section": ("section", "班级", "教学班"),
}
DELIMITERS = (",", ";", "\t", "|")


def _as_path(value: Any, func: str, field: str) -> Path:
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise CRMDataError(func, field, f"must be a file or folder path, got {value!r}")
    return Path(value)


def header_key(header: Any) -> str:
    """A header as rosters are compared: case-blind, spaces, ``_ - . : ( )`` (and their full-width
    forms) folded to one space.

    >>> header_key(" Student_ID "), header_key("E-Mail"), header_key("学号："), header_key("ID（学号）")
    ('student id', 'e mail', '学号', 'id 学号')
    """
    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "").casefold()
    return re.sub(r"[\s_\-.:()\[\]]+", " ", text).strip()


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one of ``, ; tab |`` found most often in its first line
    outside quotes (a single column reads as comma-separated).

    >>> sniff_delimiter("学号;姓名;email\\n1;王芳;a@b.cn\\n"), sniff_delimiter('id,"Lee; Ann"\\n')
    (';', ',')
    >>> sniff_delimiter("student_id\\ts1\\n") == "\\t"
    True
    """
    if not isinstance(text, str):
        raise CRMDataError("sniff_delimiter", "text", f"must be text, got {type(text).__name__}")
    first = re.sub(r'"[^"]*"', "", text.lstrip("\ufeff").split("\n", 1)[0])
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class Roster:
    """A roster read by :func:`read_roster`.

    ``table``: one row per student, indexed by the line of the file it came from, with the columns
    ``student_id``, ``name``, the notebook's parameter columns (as text), and the columns kept
    aside (``email``, ``lms_id``, ``login_id``, ``section`` where recognised, the others under their
    own header); ``parameters`` and ``kept`` name those columns; ``notes`` say what was kept aside
    or mapped from another header."""

    table: Any
    parameters: tuple[str, ...]
    kept: tuple[str, ...]
    notes: tuple[str, ...]
    path: Path = field(default_factory=Path)

    def name_of(self, student_id: str) -> str:
        """The name of a student on the roster ('' if not on it)."""
        hit = self.table.loc[self.table["student_id"] == student_id, "name"]
        return str(hit.iloc[0]) if len(hit) else ""

    def column_of(self, student_id: str, column: str) -> str:
        """A kept-aside value of a student ('' if the roster has no such column or student)."""
        if column not in self.table.columns:
            return ""
        hit = self.table.loc[self.table["student_id"] == student_id, column]
        return str(hit.iloc[0]) if len(hit) else ""


def _rows(path: Path, func: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """The header, the (line, cells) of every non-blank row, and the delimiter of a CSV file."""
    from crmlib import _io

    text, _ = _io.read_text(path, func=func, field="roster")
    text = text.lstrip("\ufeff")
    lines_before = 0
    m = re.match(r"sep=(.)\r?\n", text)  # Excel's hint line ("sep=;") names the delimiter
    if m:
        delim, text, lines_before = m.group(1), text[m.end() :], 1
    else:
        delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delim, skipinitialspace=True)
    try:
        header = next(reader, None)
        rows = []
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num + lines_before, cells))
    except csv.Error as exc:
        raise CRMDataError(func, "roster", f"cannot be read as CSV: {exc}") from None
    if not header or not any(h.strip() for h in header):
        raise CRMDataError(func, "roster", f"{str(path)!r} has no header line")
    header = [h.strip() for h in header]
    for line, cells in rows:
        if len(cells) > len(header) and any(cells[len(header) :]):
            raise CRMDataError(
                func,
                "roster",
                f"line {line} of {path.name} has {len(cells)} cells, the header {len(header)}",
                detail=f"delimiter {delim!r}; quote a cell that holds it",
            )
    return header, rows, delim


def _pick(keys: dict[str, str], names: Iterable[str], taken: set[str], func: str, what: str) -> str | None:
    """The first header (in the order of ``names``) a roster has for a field; two headers that are the
    same name in different spelling are ambiguous."""
    for name in names:
        hits = [h for h, k in keys.items() if k == header_key(name) and h not in taken]
        if len(hits) > 1:
            raise CRMDataError(func, "roster", f"has two columns for the {what}: {hits}; keep one")
        if hits:
            return hits[0]
    return None


def read_roster(roster: Any, spec: Mapping[str, Any] | None = None, func: str = "assign") -> Roster:
    r"""Read a class list; see the module docstring for what it accepts.

    ``spec`` (the notebook's parameter spec, :data:`crmlib.params.SPECS`) says which columns are
    parameters; a column whose header is close to a parameter's name (``seeed``) is refused as a
    misspelling, any other is kept aside with a note. Errors name ``func`` (the command being run).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "class.csv"
    >>> _ = p.write_text("学号;姓名;邮箱\n2024001;王芳;wf@example.cn\n", encoding="utf-8-sig")
    >>> r = read_roster(p)
    >>> r.table.to_dict("records"), r.kept
    ([{'student_id': '2024001', 'name': '王芳', 'email': 'wf@example.cn'}], ('email',))
    >>> r.notes[-1]
    "column '邮箱' kept aside as 'email' (not a parameter: used by the grade exports)"
    """
    import pandas as pd

    path = _as_path(roster, func, "roster")
    if not path.is_file():
        raise CRMDataError(
            func, "roster", f"{str(path)!r} " + ("is a folder, not a CSV file" if path.is_dir() else "does not exist")
        )
    header, rows, _ = _rows(path, func)
    keys = {h: header_key(h) for h in header}
    dup = [h for h, n in itertools.groupby(sorted(header)) if len(list(n)) > 1 and h]
    if dup:
        raise CRMDataError(func, "roster", f"repeats the column(s) {dup}")
    spec = dict(spec or {})
    params = {h: next(p for p in spec if header_key(p) == k) for h, k in keys.items() if k in map(header_key, spec)}
    taken = set(params)
    id_col = _pick(keys, ID_HEADERS, taken, func, "student id")
    taken |= {id_col} if id_col else set()
    name_col = _pick(keys, NAME_HEADERS, taken, func, "name")
    taken |= {name_col} if name_col else set()
    first = last = None
    if name_col is None:
        first = _pick(keys, FIRST_HEADERS, taken, func, "first name")
        last = _pick(keys, LAST_HEADERS, taken, func, "last name")
        taken |= {c for c in (first, last) if c}
    missing = [f for f, c in (("student_id", id_col), ("name", name_col or (first and last))) if not c]
    if missing:
        raise CRMDataError(
            func,
            "roster",
            f"misses the column(s) {missing}",
            detail=f"columns found: {header}; a student id is e.g. student_id, 学号 or Student ID, a name "
            "e.g. name, 姓名, Full name, or First name and Last name",
        )
    roles = {}
    for role, names in ROLE_HEADERS.items():
        col = _pick(keys, names, taken, func, role)
        if col is None and role == "lms_id" and keys[id_col] != "id":
            col = _pick(keys, ("id",), taken, func, role)  # Canvas's "ID" beside its "SIS User ID"
        if col:
            roles[col], taken = role, taken | {col}
    others = [h for h in header if h not in taken and h]
    for h in others:
        close = difflib.get_close_matches(h, list(spec), n=1, cutoff=0.8)
        if close:
            raise CRMDataError(
                func, h, "is not a parameter of this notebook", detail=f"did you mean {close[0]!r}? known: {list(spec)}"
            )
    width = len(header)
    records, lines = [], []
    for line, cells in rows:
        cells = (cells + [""] * width)[:width]
        row = dict(zip(header, cells))
        if name_col:
            name = row[name_col]
        else:
            cjk = any("\u4e00" <= ch <= "\u9fff" for ch in row[last] + row[first])
            name = (row[last] + row[first]) if cjk else f"{row[first]} {row[last]}".strip()
        rec = {"student_id": row[id_col], "name": name}
        rec.update({params[h]: row[h] for h in params})
        rec.update({roles.get(h, h): row[h] for h in header if h in roles or h in others})
        records.append(rec)
        lines.append(line)
    if not records:
        raise CRMDataError(func, "roster", "lists no students")
    table = pd.DataFrame(records)
    _check_ids(table["student_id"], func)
    table.index = pd.Index(lines, name="line")
    notes = []
    for h, f in ((id_col, "student_id"), (name_col, "name")):
        if h and h != f:
            notes.append(f"column {h!r} read as {f!r}")
    if first:
        notes.append(f"name made of the columns {last!r} and {first!r}")
    for h in header:
        if h in roles:
            notes.append(f"column {h!r} kept aside as {roles[h]!r} (not a parameter: used by the grade exports)")
        elif h in others:
            notes.append(f"column {h!r} kept aside (not a parameter of the notebook)")
    kept = tuple(roles.get(h, h) for h in header if h in roles or h in others)
    return Roster(table, tuple(params[h] for h in header if h in params), kept, tuple(notes), path)


def _check_ids(ids, func: str) -> None:
    """Student ids: present, unique, and safe as a file name."""
    pos = ids.reset_index(drop=True)

    def refuse(mask, problem: str) -> None:
        rows = pos.index[mask].tolist()
        if rows:
            shown = sorted(set(pos[rows]))[:5]
            raise CRMDataError(func, "student_id", f"{problem}: {shown}", rows=rows[:5], n_bad=len(rows))

    empty = pos.index[pos == ""].tolist()
    if empty:
        raise CRMDataError(func, "student_id", "must not be empty", rows=empty[:5], n_bad=len(empty))
    refuse(pos.duplicated(keep=False), "must be unique; duplicated")
    bad_ids = [i for i in pos if not all(ch.isalnum() or ch in "-_." for ch in i)]
    if bad_ids:
        raise CRMDataError(func, "student_id", f"may hold only letters, digits, '-', '_' and '.': {bad_ids[:5]}")
    # its copy would be a hidden file, which file browsers, LMSs and grading leave out
    refuse(pos.str.startswith("."), "must not start with '.' (its notebook would be a hidden file)")


def student_error(
    exc: CRMDataError, student_id: str, line: int | None = None, source: str = "the roster", func: str = "assign"
) -> CRMDataError:
    """``exc`` (about one parameter value) restated for the student it belongs to: the message names
    the student id, the field and the ``line`` of the roster file ``source`` (the index of
    :attr:`Roster.table`).

    >>> exc = CRMDataError("parameters", "vip_count", "cannot read 'many' as int")
    >>> str(student_error(exc, "s2", 3, "roster.csv"))
    "assign: field 'vip_count' of student 's2' (line 3 of roster.csv): cannot read 'many' as int"
    """
    if not isinstance(exc, CRMDataError):
        raise CRMDataError("student_error", "exc", f"must be a CRMDataError, got {type(exc).__name__}")
    where = f" (line {line} of {source})" if line is not None else ""
    lead = f"{exc.func}: " + (f"field '{exc.field}' " if exc.field else "")
    text = str(exc)
    problem = text[len(lead) :] if text.startswith(lead) else text
    return CRMDataError(func, exc.field, f"of student {student_id!r}{where}: {problem}")


# --------------------------------------------------------------------------------------- bulk downloads
_MOODLE = re.compile(
    r"^(?:.*?/)?(?P<name>[^/]+?)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_/?(?P<file>.*)$", re.S
)
_CANVAS = re.compile(
    r"^(?:(?P<name>[^/]*?)_)??(?:(?P<late>late)_)?(?P<uid>\d+|anon_[0-9a-z]+)_(?P<aid>\d+)_(?P<file>[^/]+)$", re.I
)


def parse_upload_name(relpath: Any) -> dict[str, Any]:
    """What an LMS bulk download put into a file's path: ``lms`` (``moodle``, ``canvas`` or ``''``),
    ``name`` (the student's name as the LMS wrote it), ``lms_id`` (Moodle's participant id, Canvas's
    user id), ``file`` (the file as the student uploaded it) and ``late`` (Canvas marks late work).

    >>> parse_upload_name("Wang Fang_1029_assignsubmission_file_s002.ipynb")
    {'lms': 'moodle', 'name': 'Wang Fang', 'lms_id': '1029', 'file': 's002.ipynb', 'late': False}
    >>> parse_upload_name("late_wangfang_4412_77001_s002-1.ipynb")
    {'lms': 'canvas', 'name': 'wangfang', 'lms_id': '4412', 'file': 's002-1.ipynb', 'late': True}
    >>> parse_upload_name("week3/Ann Lee_231_assignsubmission_file_/sub/s001.ipynb")["name"]
    'Ann Lee'
    >>> parse_upload_name("s003.ipynb")
    {'lms': '', 'name': '', 'lms_id': '', 'file': 's003.ipynb', 'late': False}
    """
    if not isinstance(relpath, (str, Path)):
        raise CRMDataError("parse_upload_name", "relpath", f"must be a file path, got {relpath!r}")
    rel = Path(relpath).as_posix()
    m = _MOODLE.match(rel)
    if m and m.group("file"):
        return {"lms": "moodle", "name": m["name"], "lms_id": m["pid"], "file": Path(m["file"]).name, "late": False}
    base = Path(rel).name
    m = _CANVAS.match(base)
    if m:
        name, late = m["name"] or "", bool(m["late"])
        if name.lower().startswith("late_"):  # older downloads put "late_" first
            name, late = name[5:], True
        elif name.lower() == "late":
            name, late = "", True
        return {"lms": "canvas", "name": name, "lms_id": m["uid"], "file": m["file"], "late": late}
    return {"lms": "", "name": "", "lms_id": "", "file": base, "late": False}


def name_key(name: Any) -> str:
    """A name as file names are compared: letters and digits only, case-blind (Canvas writes
    ``Lee, Ann`` as ``leeann``; Moodle keeps the spaces).

    >>> name_key("Lee, Ann"), name_key("王 芳"), name_key("José-María")
    ('leeann', '王芳', 'josémaría')
    """
    return "".join(ch for ch in unicodedata.normalize("NFC", str(name)).casefold() if ch.isalnum())


def _name_keys(name: str) -> set[str]:
    """Every order of a name's words (a roster's "Ann Lee" is Canvas's "leeann")."""
    words = [w for w in re.split(r"[\s,，、·]+", str(name)) if w]
    if len(words) > 4:
        return {name_key(name)}
    return {name_key("".join(p)) for p in itertools.permutations(words)} | {name_key(name)}


@dataclass(frozen=True)
class Upload:
    """One submitted notebook found by :func:`collect_uploads`: where it is, what its path said
    (:func:`parse_upload_name`), the roster student the path points to (``student_id``, '' when
    none) and how that was found (``note``)."""

    path: Path
    lms: str
    name: str
    lms_id: str
    file: str
    late: bool
    student_id: str
    note: str

    @property
    def notebook(self) -> bool:
        """Whether the file is a notebook (else another file the student uploaded instead)."""
        return self.path.suffix == ".ipynb"

    def claim(self) -> str:
        """The student this file is for when the notebook itself does not say: the roster student
        its path points to, else the stem of its own file name (without Canvas's ``-1`` of a
        resubmission)."""
        return self.student_id or (_bare_stem(self.file) if self.lms == "canvas" else Path(self.file).stem)


def _bare_stem(file: str) -> str:
    """A file's stem without the copy marks LMSs and browsers add: ``s001-1``, ``s001 (2)``."""
    stem = Path(file).stem
    return re.sub(r"(?:-\d+| \(\d+\))$", "", stem)


def _match(found: Mapping[str, Any], roster: Roster | None) -> tuple[str, str]:
    """(student id, how) of the roster student an upload's path points to; ('', why not) if none."""
    if roster is None or not found["lms"]:
        return "", ""
    t = roster.table
    what = f"{found['lms'].capitalize()} "
    if found["lms_id"] and "lms_id" in t.columns:
        hit = t.loc[t["lms_id"] == found["lms_id"], "student_id"].tolist()
        if len(hit) == 1:
            return hit[0], f"{what}user {found['lms_id']} is {hit[0]} on the roster"
    if found["name"]:
        # Moodle puts the group first ("Group A-Ann Lee", "Default group-Ann Lee")
        name = found["name"]
        wants = {name_key(name)} | ({name_key(name.split("-", 1)[1])} if "-" in name else set())
        hits = [sid for sid, nm in zip(t["student_id"], t["name"]) if wants & _name_keys(nm)]
        if len(hits) == 1:
            return hits[0], ""
        if len(hits) > 1:
            return "", f"{len(hits)} students on the roster are named {found['name']!r}: {hits}"
    for stem in (Path(found["file"]).stem, _bare_stem(found["file"])):
        if stem in set(t["student_id"]):
            return stem, ""
    return "", f"{what}names {found['name'] or 'nobody'!r} (user {found['lms_id']}), who is not on the roster"


_SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints"}


def _wanted(rel: Path) -> bool:
    """A notebook, or any other file a student uploaded to an LMS (a PDF instead of the notebook is
    reported, not lost); never checkpoints, hidden files, macOS's ``__MACOSX`` or Moodle's online text."""
    if any(p in _SKIP_PARTS or p.startswith(".") for p in rel.parts):
        return False
    if rel.suffix == ".ipynb":
        return True
    found = parse_upload_name(rel)
    return found["lms"] == "canvas" or (found["lms"] == "moodle" and "_assignsubmission_file_" in rel.as_posix())


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name: zip tools without the UTF-8 flag write the local code page (GBK in China)."""
    if info.flag_bits & 0x800:
        return info.filename
    from crmlib import _io

    raw = info.filename.encode("cp437", errors="replace")
    try:  # the rule of every file crmlib reads: UTF-8, else GB18030 only when it reads as Chinese
        return _io.decode(raw, func="grade", field="submissions", where=f"the zip member name {info.filename!r}")[0]
    except CRMDataError:  # another code page (Big5, Shift-JIS): the name as the zip gives it, never a guess
        return info.filename


MARKER = ".crmlib-unpacked"


def unpack(archive: Any, into: Any = None, limit_mb: float = 200) -> Path:
    """Extract the notebooks of a bulk-download zip into ``into`` (default: a folder beside the zip,
    ``<name>_unpacked``); returns the folder. Only ``.ipynb`` files are written, never outside the
    folder; a folder this function made before is emptied first, any other is refused.

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(tmp / "dl.zip", "w") as z:
    ...     z.writestr("Ann Lee_7_assignsubmission_file_/s1.ipynb", "{}")
    ...     z.writestr("../evil.ipynb", "{}")
    >>> sorted(p.relative_to(tmp).as_posix() for p in unpack(tmp / "dl.zip").rglob("*.ipynb"))
    ['dl_unpacked/Ann Lee_7_assignsubmission_file_/s1.ipynb']
    """
    src = _as_path(archive, "grade", "submissions")
    if not zipfile.is_zipfile(src):
        raise CRMDataError("grade", "submissions", f"{str(src)!r} is not a zip file")
    out = src.with_name(f"{src.stem}_unpacked") if into is None else _as_path(into, "grade", "unpack_to")
    if out.exists():
        if not (out / MARKER).is_file():
            raise CRMDataError("grade", "unpack_to", f"{str(out)!r} exists and was not made by crmlib: move it away")
        shutil.rmtree(out)
    try:
        out.mkdir(parents=True)
        (out / MARKER).write_text("made by crmlib grade; emptied on every run\n", encoding="utf-8")
        total = 0
        with zipfile.ZipFile(src) as z:
            for info in z.infolist():
                rel = Path(_zip_name(info))
                if info.is_dir() or rel.is_absolute() or ".." in rel.parts or not _wanted(rel):
                    continue
                total += info.file_size
                if total > limit_mb * 2**20:
                    raise CRMDataError("grade", "submissions", f"{src.name} unpacks to more than {limit_mb:g} MB")
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(info))
    except (OSError, zipfile.BadZipFile) as exc:
        raise CRMDataError("grade", "submissions", f"{src.name} cannot be unpacked into {str(out)!r}: {exc}") from None
    return out


def collect_uploads(submissions: Any, roster: Roster | None = None, unpack_to: Any = None) -> list[Upload]:
    """The submitted notebooks of a notebook file, a folder (sub-folders too: Moodle's folder per
    student) or a bulk-download zip (unpacked by :func:`unpack`), each with the roster student its
    path points to. Sorted by path; checkpoints and hidden files are left out, nothing else is.

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "leeann_4411_98765_chapter1.ipynb").write_text("{}")
    >>> _ = (tmp / "r.csv").write_text("student_id,name\\ns001,Ann Lee\\n")
    >>> [(u.lms, u.student_id, u.claim()) for u in collect_uploads(tmp, read_roster(tmp / "r.csv"))]
    [('canvas', 's001', 's001')]
    """
    if roster is not None and not isinstance(roster, Roster):
        raise CRMDataError("grade", "roster", f"must be a Roster (read_roster), got {type(roster).__name__}")
    src = _as_path(submissions, "grade", "submissions")
    if src.is_file() and src.suffix == ".zip":
        src = unpack(src, unpack_to)
    if src.is_dir():
        files = sorted(p for p in src.rglob("*") if p.is_file() and _wanted(p.relative_to(src)))
        base = src
    elif src.is_file() and src.suffix == ".ipynb":
        files, base = [src], src.parent
    else:
        raise CRMDataError("grade", "submissions", f"{str(src)!r} is neither a notebook, a folder nor a zip file")
    uploads = []
    for p in files:
        found = parse_upload_name(p.relative_to(base))
        sid, how = _match(found, roster)
        late = "submitted late" if found["late"] else ""
        uploads.append(Upload(p, **found, student_id=sid, note="; ".join(x for x in (how, late) if x)))
    return uploads


# ------------------------------------------------------------------------------------------- exports
#: the layouts :func:`export_grades` writes
LAYOUTS = ("wide", "moodle", "canvas")


def _points(x: Any) -> str:
    """Points as a spreadsheet shows them: ``2``, ``1.5``, ``0.33``; empty for none."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x == "":
        return ""
    return f"{round(float(x), 2):g}"


def read_memo_scores(path: Any) -> dict[tuple[str, str], float]:
    """The memo scores an instructor typed into the memos file of ``crmlib grade`` (its ``score``
    column): ``{(student_id, question): points}``; an empty score is left out, a score that is not
    a number from 0 to the memo's points is refused (naming the student, the memo and the line).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "grades_memos.csv"
    >>> _ = p.write_text("student_id,question,answer,rubric,points,score,submission\\ns1,q.memo,Go,r,2,1.5,x\\n")
    >>> read_memo_scores(p)
    {('s1', 'q.memo'): 1.5}
    """
    import pandas as pd

    from crmlib import _io

    p = _as_path(path, "grade", "memos")
    if not p.is_file():
        return {}
    df = _io.read_csv(p, func="grade", keep_default_na=False, na_values=[])
    need = {"student_id", "question", "points", "score"}
    if not need <= set(df.columns):
        raise CRMDataError("grade", "memos", f"{p.name} misses the column(s) {sorted(need - set(df.columns))}")
    out = {}
    for i, r in df.iterrows():
        typed = str(r["score"]).strip()
        if not typed:
            continue
        score = float(pd.to_numeric(typed.replace("，", ".").replace(",", "."), errors="coerce"))
        top = float(pd.to_numeric(str(r["points"]), errors="coerce"))
        if not (math.isfinite(score) and 0 <= score <= (top if math.isfinite(top) else score)):
            raise CRMDataError(
                "grade",
                "score",
                f"of student {r['student_id']!r}, memo {r['question']!r} (line {i + 2} of {p.name}) must be a number "
                f"from 0 to {_points(top)}, got {typed!r}",
            )
        out[(str(r["student_id"]), str(r["question"]))] = float(score)
    return out


def _submission_meta(path: str) -> dict:
    """The ``crmlib`` metadata of a submitted notebook (its student's name), or {} if unreadable."""
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {}).get("crmlib", {})
        return meta if isinstance(meta, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _check_table(table: Any, func: str) -> Any:
    import pandas as pd

    need = {"student_id", "question", "status", "points", "earned", "kind", "submission"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        got = sorted(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise CRMDataError(func, "table", f"must be the grades table crmlib grade returns, got {got}")
    return table


def student_totals(table: Any, roster: Roster | None = None, memos: Mapping | None = None) -> Any:
    """One row per student of the grades ``table`` (what :func:`crmlib.instructor.grade` returns):
    ``student_id``, ``name`` (from the roster, else the notebook), the points earned in each question
    (a memo: the score typed into the memos file, ``memos`` as :func:`read_memo_scores` reads it;
    empty while not graded), ``total``, ``out_of`` (every question's points) and ``status`` (what
    happened, or how many memos are still to grade). Students not in the key (unknown students) are
    left out: they are in the grades table.

    >>> import pandas as pd
    >>> g = pd.DataFrame({"student_id": ["s1", "s1"], "question": ["q1", "q2"], "status": ["graded"] * 2,
    ...                   "points": [2.0, 1.0], "earned": [1.0, 1.0], "kind": ["number"] * 2, "submission": ""})
    >>> student_totals(g).to_dict("records")
    [{'student_id': 's1', 'name': '', 'q1': 1.0, 'q2': 1.0, 'total': 2.0, 'out_of': 3.0, 'status': 'graded'}]
    """
    import pandas as pd

    t = _check_table(table, "student_totals")
    memos = dict(memos or {})
    rows = t[t["question"].astype(str) != ""]
    questions = list(dict.fromkeys(rows["question"]))
    out = []
    for sid, st in rows.groupby("student_id", sort=False):
        rec: dict[str, Any] = {"student_id": sid}
        name = roster.name_of(sid) if roster is not None else ""
        if not name:
            subs = [s for s in st["submission"] if isinstance(s, str) and s]
            name = str(_submission_meta(subs[0]).get("name", "")) if subs else ""
        rec["name"] = name
        pending = 0
        for q in questions:
            r = st[st["question"] == q]
            if r.empty:
                rec[q] = None
                continue
            r = r.iloc[0]
            if r["kind"] == "memo" and r["status"] == "by hand":
                rec[q] = memos.get((sid, q))
                pending += rec[q] is None
            else:
                rec[q] = float(r["earned"]) if pd.notna(r["earned"]) else 0.0
        rec["total"] = float(sum(v for q in questions if (v := rec[q]) is not None))
        rec["out_of"] = float(st["points"].sum())
        statuses = ", ".join(sorted(set(st["status"]) - {"by hand"}))
        rec["status"] = " ".join(x for x in (statuses, f"({pending} to grade by hand)" if pending else "") if x)
        out.append(rec)
    return pd.DataFrame(out, columns=["student_id", "name", *questions, "total", "out_of", "status"])


def _sortable(name: str) -> str:
    """Canvas's "Last, First" of a name written "First Last" (a Chinese name, or one already written
    "Last, First", stays as it is)."""
    words = name.split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 and "," not in name else name


def export_grades(
    table: Any,
    path: Any,
    layout: str = "wide",
    roster: Roster | None = None,
    assignment: str | None = None,
    memos: Mapping | None = None,
) -> Any:
    """Write the grades in ``layout`` (one of :data:`LAYOUTS`) to ``path`` as CSV in UTF-8 with a
    byte-order mark (Excel shows Chinese names; Moodle and Canvas read it); returns the table written.

    * ``wide``: :func:`student_totals`, a question's column headed ``<question> (<points>)``;
    * ``moodle``: ``ID number`` (the student id), ``Email address`` (when the roster has one), ``Full
      name`` and the grade column ``assignment``; in Moodle, *Import → CSV file*, map "Identify user
      by" from ``ID number`` (or ``Email address``) to the user field of that name, and the grade
      column to the grade item;
    * ``canvas``: ``Student`` (Last, First), ``ID`` (the Canvas user id, when the roster has it),
      ``SIS User ID`` (the student id), ``SIS Login ID``, ``Section`` and ``assignment`` — Canvas
      matches the column to an assignment by its name with the id in brackets, ``Chapter 1 (4123)``,
      as its gradebook export heads it (a name without an id makes a new assignment).

    >>> import pandas as pd, tempfile
    >>> g = pd.DataFrame({"student_id": ["s1"], "question": ["q1"], "status": ["graded"], "points": [2.0],
    ...                   "earned": [1.5], "kind": ["number"], "submission": [""]})
    >>> out = Path(tempfile.mkdtemp()) / "moodle.csv"
    >>> export_grades(g, out, "moodle", assignment="Chapter 1").to_dict("records")
    [{'ID number': 's1', 'Full name': '', 'Chapter 1': '1.5'}]
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    import pandas as pd

    if layout not in LAYOUTS:
        raise CRMDataError("export_grades", "layout", f"must be one of {list(LAYOUTS)}, got {layout!r}")
    if assignment is not None and (not isinstance(assignment, str) or not assignment.strip()):
        raise CRMDataError("export_grades", "assignment", f"must be a non-empty text, got {assignment!r}")
    target = _as_path(path, "export_grades", "path")
    if target.is_dir():
        raise CRMDataError("export_grades", "path", f"{str(target)!r} is a folder, not a CSV file")
    totals = student_totals(table, roster, memos)
    if layout == "wide":
        points = table[table["question"].astype(str) != ""].groupby("question", sort=False)["points"].first()
        out = totals.rename(columns={q: f"{q} ({_points(p)})" for q, p in points.items()})
        for c in out.columns[2:-1]:
            out[c] = out[c].map(_points)
    else:
        title = assignment or "crmlib grade"
        roster_col = roster.column_of if roster is not None else (lambda sid, col: "")
        sids = totals["student_id"]
        if layout == "moodle":
            cols = {"ID number": sids}
            emails = [roster_col(s, "email") for s in sids]
            if any(emails):
                cols["Email address"] = emails
            cols.update({"Full name": totals["name"], title: totals["total"].map(_points)})
        else:
            cols = {
                "Student": totals["name"].map(_sortable),
                "ID": [roster_col(s, "lms_id") for s in sids],
                "SIS User ID": sids,
                "SIS Login ID": [roster_col(s, "login_id") for s in sids],
                "Section": [roster_col(s, "section") for s in sids],
                title: totals["total"].map(_points),
            }
        out = pd.DataFrame(cols)
    target.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(target, index=False, encoding="utf-8-sig")
    return out


# ------------------------------------------------------------------------------------------ feedback
def _submitted_language(path: str) -> str | None:
    """The ``lang`` a submitted notebook's parameter cells set (the student's choice), if any."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    lang = None
    for c in cells:
        tags = c.get("metadata", {}).get("tags", [])
        if c.get("cell_type") == "code" and {"parameters", "injected-parameters"} & set(tags):
            src = "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
            for m in re.finditer(r"^lang\s*=\s*(.+)$", src, re.M):
                with _quiet():
                    lang = ast.literal_eval(m.group(1).split("#")[0].strip())
    return lang if lang in ("en", "zh") else None


class _quiet:
    """Ignore a value that is not a literal (the grader reports such cells; feedback need not)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        return kind is not None and issubclass(kind, (ValueError, SyntaxError))


def _question_texts(path: str) -> dict[str, str]:
    """Each question's text in a submitted notebook: the markdown cell above its answer and check."""
    from crmlib._checks import CHECK_CALL

    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    out, last_md = {}, ""
    for c in cells:
        src = c.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        if c.get("cell_type") == "markdown":
            last_md = src.strip()
        elif c.get("cell_type") == "code":
            for q in CHECK_CALL.findall(src):
                out.setdefault(q, last_md)
    return out


def _hint(question: str, lang: str) -> str:
    """The first hint of an exercise's ladder (a nudge, never the answer), if it has one."""
    from crmlib import exercises

    ex = exercises.REGISTRY.get(question)
    if ex is None or not ex.hints:
        return ""
    pair = ex.hints[0]
    return pair[1] if lang == "zh" and len(pair) > 1 else pair[0]


def _registered_question(question: str, lang: str) -> str:
    """An exercise's registered question when it needs no data to be read ('' otherwise)."""
    from crmlib import exercises
    from crmlib.i18n import template_fields

    ex = exercises.REGISTRY.get(question)
    pair = getattr(ex, "question", None)
    if not pair:
        return ""
    said = pair[1] if lang == "zh" and len(pair) > 1 else pair[0]
    return "" if template_fields(said) else said


def _verdict(row: Mapping[str, Any], lang: str) -> str:
    from crmlib.i18n import text

    status = row["status"]
    if status == "graded":
        credit = float(row.get("credit") or 0)
        key = "fb_correct" if row.get("score") == 1 else ("fb_partly" if credit > 0 else "fb_wrong")
        return text(key, lang)
    return text("fb_status_" + status.replace(" ", "_"), lang)


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 52em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
section {{ border-top: 1px solid #ccc; padding: .5em 0; }}
.question, .answer {{ white-space: pre-wrap; }}
.answer {{ font-family: ui-monospace, monospace; background: #f6f6f6; padding: .3em .5em; }}
.points {{ float: right; font-weight: bold; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>{who}</p>
<p><strong>{total}</strong></p>
{sections}
</body>
</html>
"""


def feedback_page(
    rows: Any,
    name: str = "",
    lang: str = "en",
    questions: Mapping[str, str] | None = None,
    memos: Mapping | None = None,
) -> str:
    """The HTML feedback page of one student: the grades ``rows`` of the student (as
    :func:`crmlib.instructor.grade` returns them), in ``lang``; each question with its text
    (``questions``: id → text, else the id), the answer, the verdict, the points and, where the
    answer is not fully right, the first hint of the exercise. A memo shows the points typed into the
    memos file (``memos`` as :func:`read_memo_scores` reads it) once the instructor has graded it.
    Every text is HTML-escaped.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"student_id": ["s1"], "question": ["q1"], "answer": ['"<b>42</b>"'],
    ...     "status": ["graded"], "score": [1], "credit": [1.0], "points": [2.0], "earned": [2.0],
    ...     "kind": ["text"], "detail": [""], "submission": [""]})
    >>> page = feedback_page(rows, "Ann & Bo", "en")
    >>> "&lt;b&gt;42&lt;/b&gt;" in page, "<b>42</b>" in page, "Ann &amp; Bo" in page, "2 of 2 points" in page
    (True, False, True, True)
    """
    from crmlib.i18n import resolve, text

    lang = resolve(lang, "feedback_page")
    t = _check_table(rows, "feedback_page")
    t = t[t["question"].astype(str) != ""]
    if t["student_id"].nunique() != 1:
        raise CRMDataError("feedback_page", "rows", f"must be one student's rows, got {t['student_id'].nunique()}")
    sid = str(t["student_id"].iloc[0])
    questions, memos = dict(questions or {}), dict(memos or {})
    esc = html.escape
    parts, earned_total, pending = [], 0.0, 0
    for _, r in t.iterrows():
        answer = r.get("answer")
        try:
            shown = json.loads(answer) if isinstance(answer, str) and answer else None
        except ValueError:
            shown = answer
        if isinstance(shown, list):  # a list of ids, letters or a ranking, as a student writes it
            shown = ", ".join(str(x) for x in shown)
        shown = "" if shown is None else (shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False))
        by_hand = r["status"] == "by hand"
        scored = memos.get((sid, r["question"])) if by_hand else None
        if by_hand and scored is None:
            pending += 1
            pts = text("fb_points_by_hand", lang, points=_points(r["points"]))
            verdict = _verdict(r, lang)
        else:
            earned = scored if by_hand else (float(r["earned"]) if r["earned"] == r["earned"] else 0.0)
            earned_total += earned
            pts = text("fb_points", lang, earned=_points(earned), points=_points(r["points"]))
            verdict = text("fb_memo_graded", lang) if by_hand else _verdict(r, lang)
        asked = questions.get(r["question"]) or _registered_question(r["question"], lang)
        lines = [
            f'<section id="{esc(str(r["question"]))}">',
            f'<h2>{esc(str(r["question"]))} <span class="points">{esc(pts)}</span></h2>',
            f'<div class="question">{esc(asked)}</div>',
            f"<p>{esc(text('fb_your_answer', lang))}</p>",
            f'<div class="answer">{esc(shown) or esc(text("fb_no_answer", lang))}</div>',
            f"<p><strong>{esc(verdict)}</strong></p>",
        ]
        hint = _hint(str(r["question"]), lang) if r["status"] == "graded" and r.get("score") != 1 else ""
        if hint:
            lines.append(f"<p>{esc(text('fb_hint', lang, hint=hint))}</p>")
        detail = str(r.get("detail") or "")
        if r["status"] not in ("graded", "by hand") and detail:
            lines.append(f"<p><small>{esc(detail)}</small></p>")
        parts.append("\n".join(lines + ["</section>"]))
    total = text(
        "fb_total_pending" if pending else "fb_total",
        lang,
        earned=_points(earned_total),
        points=_points(t["points"].sum()),
    )
    return _PAGE.format(
        lang="zh-CN" if lang == "zh" else "en",
        title=esc(text("fb_title", lang)),
        who=esc(text("fb_student", lang, name=name or sid, student_id=sid)),
        total=esc(total),
        sections="\n".join(parts),
    )


def write_feedback(
    table: Any, out: Any, roster: Roster | None = None, lang: str | None = None, memos: Mapping | None = None
) -> list[Path]:
    """Write :func:`feedback_page` for every student of the grades ``table`` into the folder ``out``,
    one file ``<student id>.html`` each, ready to return (upload it as a feedback file). The language
    is ``lang`` if given, else the one the student's submission was set to, else the one assigned,
    else English; the question texts come from the student's notebook, the memo points from
    ``memos`` (:func:`read_memo_scores`). For submissions from a Moodle download the pages also go
    into :data:`MOODLE_FEEDBACK_ZIP`, each named with the student's download prefix
    (``<full name>_<participant id>_assignsubmission_file_feedback.html``), for Moodle's *Upload
    multiple feedback files in a zip*. Returns the files written.

    >>> import pandas as pd, tempfile
    >>> g = pd.DataFrame({"student_id": ["s1"], "question": ["q1"], "answer": ["0.5"], "status": ["graded"],
    ...     "score": [0], "credit": [0.0], "points": [1.0], "earned": [0.0], "kind": ["number"],
    ...     "detail": [""], "submission": [""]})
    >>> [p.name for p in write_feedback(g, tempfile.mkdtemp(), lang="zh")]
    ['s1.html']
    """
    t = _check_table(table, "write_feedback")
    if lang is not None and lang not in ("en", "zh"):
        raise CRMDataError("write_feedback", "lang", f"must be 'en' or 'zh', got {lang!r}")
    folder = _as_path(out, "write_feedback", "out")
    if folder.exists() and not folder.is_dir():
        raise CRMDataError("write_feedback", "out", f"{str(folder)!r} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    written, moodle = [], {}
    rows = t[t["question"].astype(str) != ""]
    for sid, st in rows.groupby("student_id", sort=False):
        subs = [s for s in st["submission"] if isinstance(s, str) and s and Path(s).is_file()]
        meta = _submission_meta(subs[0]) if subs else {}
        assigned = meta.get("parameters", {}).get("lang") if isinstance(meta.get("parameters"), dict) else None
        chosen = lang or (_submitted_language(subs[0]) if subs else None) or assigned or "en"
        name = (roster.name_of(sid) if roster is not None else "") or str(meta.get("name", ""))
        texts = _question_texts(subs[0]) if subs else {}
        page = feedback_page(st, name, chosen if chosen in ("en", "zh") else "en", texts, memos)
        target = folder / f"{sid}.html"
        target.write_text(page, encoding="utf-8")
        written.append(target)
        prefix = next((p for p in map(moodle_prefix, subs) if p), None)
        if prefix:
            moodle[f"{prefix}_assignsubmission_file_feedback.html"] = page
    if moodle:  # Moodle's "Upload multiple feedback files in a zip" finds the student by this prefix
        target = folder / MOODLE_FEEDBACK_ZIP
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for member, page in sorted(moodle.items()):
                z.writestr(zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0)), page)
        written.append(target)
    return written


#: the zip of feedback pages :func:`write_feedback` adds for submissions from a Moodle download
MOODLE_FEEDBACK_ZIP = "moodle_feedback.zip"


def moodle_prefix(path: Any) -> str | None:
    """The ``<full name>_<participant id>`` a Moodle download put into a path (its folder or its file
    name), which Moodle's feedback-zip upload reads back; None for a path Moodle did not name.

    >>> moodle_prefix("dl_unpacked/Ann Lee_231_assignsubmission_file_/s001.ipynb")
    'Ann Lee_231'
    >>> moodle_prefix("subs/s001.ipynb") is None
    True
    """
    if not isinstance(path, (str, Path)):
        raise CRMDataError("moodle_prefix", "path", f"must be a file path, got {path!r}")
    for part in Path(path).parts:
        m = re.match(r"^(.+?_\d+)_assignsubmission_file_", part)
        if m:
            return m.group(1)
    return None
