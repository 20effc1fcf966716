"""Instructor tools (教师工具): student copies, per-student variants with answer keys, grading.

Three functions back the ``crmlib`` sub-commands of the same names:

* :func:`release` — student copies of notebooks: ``solution`` cells removed, outputs cleared,
  the notes on where the solutions are replaced, everything else kept; writing them twice gives
  the same bytes. :func:`check_release` tells whether committed student copies are still current.
* :func:`assign` — one variant per student of a parameterised notebook. Each student gets a seed
  derived from the notebook name and the student id (SHA-256, so the same roster always gives the
  same files); the instructor copy (with its solutions) is executed with papermill under strict
  self-checks, and the expected answer of every self-check is recorded into ``answer_key.csv``
  (rewritten as each student finishes). A student is redone when the source notebook or the
  student's parameters changed since the last run; Ctrl-C stops cleanly, and a new run resumes.
* :func:`grade` — executes each submitted notebook with its student's parameters (stored in the key),
  collects the answers its self-checks recorded and scores them against the key; a submission that
  fails or whose parameters were changed gets a row with a clear ``status`` instead of a crash.

How answers are collected: papermill runs a copy of the notebook with two extra cells that never
reach the saved files (:func:`add_key_cells`). The first (only when assigning) wraps
``exercises.check`` so that every check also stores ``exercises.key_entry(ex_id, **data)`` for the
very data it was called with: the expected answer, tolerances, kind and points, and for the newer
kinds what grading needs besides (other accepted spellings of a category, the partial-credit scheme of
a ranking or multiple choice, a memo's rubric); the last one displays ``exercises.RECORD`` (and those
key entries) as a JSON output, which is read back from the executed notebook. Nothing depends on
files written by the kernel, environment variables or on which exercises a notebook contains. Running
the solutions under ``CRMLIB_STRICT_CHECKS=1`` also proves that the solution agrees with the recorded
key.

The answer key (``answer_key.csv``) has one row per student and question: ``expected`` (JSON),
``tolerance``, ``rel_tolerance``, ``notebook``, ``parameters`` (JSON), and ``kind``, ``points`` and
``spec`` (JSON: ``accept``, ``credit``, ``rubric``, ``partial`` where they apply). A key written before the last
three columns existed is still read (kind from the expected value, one point each).

>>> student_seed("01_identification", "s001") == student_seed("01_identification", "s001")
True
>>> student_seed("01_identification", "s001") != student_seed("01_identification", "s002")
True
>>> parse_value("0.25", float), parse_value("[0.7, 0.9]", list), parse_value("true", bool)
(0.25, [0.7, 0.9], True)
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from crmlib._errors import CRMDataError
from crmlib._kernels import kernel_manager_class

# the answer-collecting helpers run inside every executed kernel, so they live in the light
# crmlib.exercises (importing this module there would pull in nbformat → jsonschema, ~1 s a notebook)
from crmlib.exercises import RECORD_MIME
from crmlib.params import SPECS, Param, check_parameters

#: tags of the helper cells added for execution only (never saved)
HOOK_TAG, COLLECT_TAG = "crmlib-hook", "crmlib-collect"
#: the columns every answer key has; keys written by this version also have KEY_EXTRA_COLUMNS
KEY_REQUIRED = ["student_id", "question", "expected", "tolerance", "rel_tolerance", "notebook", "parameters"]
KEY_EXTRA_COLUMNS = ["kind", "points", "spec"]
KEY_COLUMNS = KEY_REQUIRED + KEY_EXTRA_COLUMNS
#: ``score`` is 1 for a right answer, 0 otherwise; ``credit`` the share of the points earned (partial
#: credit of a ranking or multiple choice; empty for a memo, whose status is "by hand"); ``earned`` =
#: points × credit; ``status`` one of :data:`STATUSES`
GRADE_COLUMNS = [
    "student_id",
    "question",
    "answer",
    "expected",
    "correct",
    "score",
    "status",
    "detail",
    "submission",
    "kind",
    "points",
    "credit",
    "earned",
]

_HOOK = f"""# {HOOK_TAG}: records the expected answer of every self-check (added for execution only)
import crmlib.exercises as _crmlib_ex
_crmlib_key = {{}}
def _crmlib_wrap(_orig):
    def _check(ex_id, answer, strict=None, lang=None, **data):
        try:
            _crmlib_key[ex_id] = _crmlib_ex.key_entry(ex_id, **data)
        except Exception as _exc:  # the check itself reports the problem
            _crmlib_key[ex_id] = {{"error": repr(_exc)}}
        return _orig(ex_id, answer, strict=strict, lang=lang, **data)
    return _check
_crmlib_ex.check = _crmlib_wrap(_crmlib_ex.check)"""

_COLLECT = f"""# {COLLECT_TAG}: hands the recorded answers to the instructor tools (added for execution only)
import crmlib.exercises as _crmlib_ex
from crmlib.exercises import collected_output as _crmlib_out
from IPython.display import display as _crmlib_display
_crmlib_display(_crmlib_out(_crmlib_ex.RECORD, globals().get("_crmlib_key", {{}})), raw=True)"""


# ----------------------------------------------------------------------------------- small helpers
def student_seed(notebook: str, student_id: str, salt: Any = None) -> int:
    """A seed in [0, 2**31) derived stably from the notebook name and the student id.

    >>> student_seed("01_identification", "s001")
    35084909
    """
    for field, value in (("notebook", notebook), ("student_id", student_id)):
        if not isinstance(value, str) or not value.strip():
            raise CRMDataError("assign", field, f"must be a non-empty text, got {value!r}")
    text = f"{notebook}\x1f{student_id}" + ("" if salt is None else f"\x1f{salt}")
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % (2**31)


def parse_value(text: Any, kind: type, name: str = "value") -> Any:
    """Turn a command-line or CSV text into a parameter value of ``kind`` (int, float, bool, str, list).

    >>> parse_value("300", int), parse_value("0.8,0.95", list), parse_value("zh", str)
    (300, [0.8, 0.95], 'zh')
    >>> parse_value("lots", int, "n_customers")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: parameters: field 'n_customers' cannot read 'lots' as int
    """
    if not isinstance(text, str):
        return text
    s = text.strip()
    try:
        if kind is bool:
            if s.lower() in ("true", "1", "yes"):
                return True
            if s.lower() in ("false", "0", "no"):
                return False
            raise ValueError(s)
        if kind is int:
            return int(s)
        if kind is float:
            value = float(s)
            if not math.isfinite(value):
                raise ValueError(s)
            return value
        if kind in (list, tuple):
            value = json.loads(s) if s.startswith("[") else [float(v) for v in s.split(",")]
            if not isinstance(value, list):
                raise ValueError(s)
            return value
    except ValueError:
        raise CRMDataError("parameters", name, f"cannot read {text!r} as {kind.__name__}") from None
    if kind is not str:
        raise CRMDataError("parameters", name, f"has an unsupported kind {kind!r}; use int, float, bool, str or list")
    return text


def _tags(cell) -> list:
    """A cell's tags (``"tags": null`` or a missing ``metadata``, as some editors save them: none)."""
    tags = (cell.get("metadata") or {}).get("tags") or []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, (list, tuple)) else []


def _drop_empty_tags(nb):
    for c in nb.cells:
        for k in ("tags", "papermill"):
            if k in c.metadata and not c.metadata[k]:
                del c.metadata[k]
    return nb


def parameterize(nb, params: Mapping[str, Any]):
    """A copy of ``nb`` with papermill's ``injected-parameters`` cell holding ``params``.

    >>> nb = _tiny_notebook()
    >>> [c.source.splitlines()[-1] for c in parameterize(nb, {"seed": 7}).cells][1:3]
    ['seed = 1', 'seed = 7']
    """
    from papermill.parameterize import parameterize_notebook

    _check_notebook(nb, "assign")
    if not isinstance(params, Mapping):
        raise CRMDataError("assign", "params", f"must map parameter names to values, got {type(params).__name__}")
    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {"default_parameters": {}, "parameters": {}, "environment_variables": {}})
    for c in nb.cells:
        c.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, dict(params))
    for c in nb.cells:
        if "injected-parameters" in _tags(c):
            c["id"] = "injected-parameters"  # stable, so the same roster gives identical files
    return _drop_empty_tags(nb)


def _check_notebook(nb: Any, func: str) -> None:
    """A notebook node (as read by ``nbformat.read``), not a path or a plain dict."""
    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise CRMDataError(func, "nb", f"must be a notebook read with nbformat.read, got {type(nb).__name__}")


def _notebook_text(path: Path) -> str:
    """The text of a notebook file: UTF-8 (what Jupyter writes), else — a copy re-saved by an editor
    in the Chinese Windows encoding — GB18030 when the whole file decodes as it, with a warning."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ValueError("it is neither UTF-8 (what Jupyter saves) nor GB18030 text") from None
    warnings.warn(
        f"{path.name} was saved as GBK/GB18030, not UTF-8: read as GB18030 (save it from Jupyter to keep UTF-8)",
        stacklevel=3,
    )
    return text


def _loads(text: str):
    """A notebook from its JSON text, null metadata and tags (some editors' saving) made empty."""
    raw = json.loads(text)
    for c in raw.get("cells", []) if isinstance(raw, dict) else []:
        if isinstance(c, dict):
            if not isinstance(c.get("metadata"), dict):
                c["metadata"] = {}
            if "tags" in c["metadata"] and not isinstance(c["metadata"]["tags"], list):
                del c["metadata"]["tags"]
    return nbformat.reads(json.dumps(raw), as_version=4)


def _read(path: Path):
    try:
        return _loads(_notebook_text(path))
    except Exception as exc:
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise CRMDataError("notebook", str(path), f"cannot be read as a notebook: {why}") from None


def _write(nb, path: Path) -> None:
    """Write atomically (a half-written file never looks complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    nbformat.write(nb, str(tmp))
    os.replace(tmp, path)


def _write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------------ release
def student_copy(nb):
    """A student copy of a notebook node: ``solution`` cells removed, outputs and counts cleared, and
    the words about the solution cells (``<!-- solution-note -->…<!-- /solution-note -->`` in a
    markdown cell) replaced by the sentence that the copy has no model solutions.

    >>> nb = _tiny_notebook()
    >>> nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="42")]
    >>> [(c.source, c.get("outputs")) for c in student_copy(nb).cells]
    [('# Title', None), ('seed = 1', []), ('answer = None', [])]
    """
    _check_notebook(nb, "release")
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "solution" not in _tags(c)]
    _without_solution_notes(nb)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
            c.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


#: in a markdown cell, the words about the model solutions that a student copy replaces (it has none)
_SOLUTION_NOTE = re.compile(r"<!-- solution-note -->.*?<!-- /solution-note -->", re.S)


def _without_solution_notes(nb) -> None:
    """Replace (in place) each solution note by the sentence saying the copy has no model solutions,
    in the language of the notebook's prose (its edition's, else English)."""
    from crmlib import i18n

    edition = nb.metadata.get("crmlib_edition")
    lang = edition.get("lang", "en") if isinstance(edition, Mapping) else "en"
    for c in nb.cells:
        if c.cell_type == "markdown" and "<!-- solution-note -->" in c.source:
            c.source = _SOLUTION_NOTE.sub(lambda _: i18n.text("release_no_solutions", lang), c.source)


#: the cell a graded copy gets after its parameters: grading mode in the student's kernel
GRADED_CELL = (
    "from crmlib import exercises\n\n"
    "exercises.graded_copy()  # a graded copy: each check records your answer for your instructor, "
    "who scores it"
)


def graded_copy(nb):
    """The copy of a student copy that ``crmlib assign`` hands out for grading: one cell after the
    parameters puts the kernel into grading mode (:func:`crmlib.exercises.graded_copy`), so that its
    checks record the answers without computing the right ones; self-study copies (:func:`release`)
    keep their instant feedback. Adding it twice changes nothing.

    >>> [c.source.splitlines()[-1][:40] for c in graded_copy(_tiny_notebook()).cells][1:3]
    ['seed = 1', 'exercises.graded_copy()  # a graded copy']
    >>> len(graded_copy(graded_copy(_tiny_notebook())).cells)
    5
    """
    _check_notebook(nb, "assign")
    nb = copy.deepcopy(nb)
    if any(c.get("id") == "crmlib-graded" for c in nb.cells):
        return nb
    params = [i for i, c in enumerate(nb.cells) if {"parameters", "injected-parameters"} & set(_tags(c))]
    cell = nbformat.v4.new_code_cell(GRADED_CELL)
    cell["id"] = "crmlib-graded"
    nb.cells.insert(params[-1] + 1 if params else 0, cell)
    return nb


def _path(value: Any, func: str, field: str) -> Path:
    """A file or folder path given as text or a Path (None or a number is named, not a TypeError)."""
    if not isinstance(value, (str, os.PathLike)):
        raise CRMDataError(func, field, f"must be a file or folder path, got {value!r} ({type(value).__name__})")
    return Path(value)


def _can_write(path: Path, func: str, field: str) -> None:
    """Refuse, before any work, a file that could not be written at the end: under an existing file
    (``grades.csv/out.csv``) or in a folder this user may not write to."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise CRMDataError(func, field, f"{str(path)!r} would be inside {str(folder)!r}, which is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CRMDataError(func, field, f"{str(path)!r} cannot be written: {str(folder)!r} is not writable")


def _timeout(value: Any, func: str) -> int:
    """Seconds a cell may run: a whole number >= 1, also as text (``--timeout 120`` on the command line)."""
    seconds = value.strip() if isinstance(value, str) else value
    if isinstance(seconds, str) and seconds.isdigit():
        seconds = int(seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise CRMDataError(func, "timeout", f"must be a whole number of seconds >= 1, got {value!r}")
    return seconds


def _sources(src: str | Path) -> list[Path]:
    src = _path(src, "release", "src")
    if src.is_dir():
        paths = sorted(p for p in src.glob("*.ipynb") if not p.name.startswith("."))
        if not paths:
            raise CRMDataError("release", "src", f"folder {str(src)!r} holds no notebooks")
        return paths
    if src.suffix != ".ipynb" or not src.is_file():
        raise CRMDataError("release", "src", f"{str(src)!r} is neither a notebook nor a folder")
    return [src]


#: what :func:`release` writes: student copies, or nbgrader source notebooks (:mod:`crmlib.nbgrader_export`)
RELEASE_FORMATS = ("student", "nbgrader")


def _released_text(path: Path, format: str = "student") -> str:
    if format == "nbgrader":
        from crmlib.nbgrader_export import nbgrader_source

        return nbformat.writes(nbgrader_source(_read(path), path.name)) + "\n"
    return nbformat.writes(student_copy(_read(path))) + "\n"


def _format(format: Any) -> str:
    if format not in RELEASE_FORMATS:
        raise CRMDataError("release", "format", f"must be one of {list(RELEASE_FORMATS)}, got {format!r}")
    return format


def release(src: str | Path, out: str | Path, format: str = "student") -> list[Path]:
    """Write student copies of the notebook ``src`` (or of every notebook in the folder) into ``out``;
    with ``format="nbgrader"``, nbgrader source notebooks instead (solutions kept, see
    :mod:`crmlib.nbgrader_export`).

    Idempotent: a copy whose content is already right is left untouched. ``out/.crmlib-release.json``
    (:data:`RELEASE_MANIFEST`) records each copy's source, for :func:`check_release`. Returns the
    paths written or confirmed.

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> nbformat.write(_tiny_notebook(), tmp / "demo.ipynb")
    >>> [p.name for p in release(tmp / "demo.ipynb", tmp / "student")]
    ['demo.ipynb']
    >>> len(nbformat.read(tmp / "student" / "demo.ipynb", as_version=4).cells)
    3
    """
    paths, out, format = _sources(src), _path(out, "release", "out"), _format(format)
    if out.exists() and not out.is_dir():
        raise CRMDataError("release", "out", f"{str(out)!r} exists and is not a folder")
    if any(p.resolve().parent == out.resolve() for p in paths):
        raise CRMDataError("release", "out", "must differ from the folder of the source notebooks")
    done = []
    for p in paths:
        text, target = _released_text(p, format), out / p.name
        if not (target.exists() and target.read_text(encoding="utf-8") == text):
            _write_text(text, target)
        done.append(target)
    sources = _released_from(out)
    sources.update({p.name: Path(os.path.relpath(p.resolve(), out.resolve())).as_posix() for p in paths})
    manifest, path = json.dumps(dict(sorted(sources.items())), indent=1) + "\n", out / RELEASE_MANIFEST
    if not (path.is_file() and path.read_text(encoding="utf-8") == manifest):
        _write_text(manifest, path)
    return done


#: in a folder of student copies: which source notebook each was released from (relative to the
#: folder), so that copies released there from several sources (chapters and a case) check as current
RELEASE_MANIFEST = ".crmlib-release.json"


def _released_from(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / RELEASE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def check_release(src: str | Path, out: str | Path, format: str = "student") -> list[str]:
    """Problems with committed student copies in ``out``: stale, missing or orphaned copies.

    An absent ``out`` folder means no student copies are committed: nothing to check. A copy that
    :func:`release` wrote into ``out`` from another source (chapters and a case released into one
    folder; :data:`RELEASE_MANIFEST` says from where) is checked against that source.

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> nbformat.write(_tiny_notebook(), tmp / "demo.ipynb")
    >>> check_release(tmp / "demo.ipynb", tmp / "student")
    []
    >>> _ = release(tmp / "demo.ipynb", tmp / "student")
    >>> check_release(tmp / "demo.ipynb", tmp / "student")
    []
    >>> nbformat.write(_tiny_notebook(), tmp / "student" / "demo.ipynb")   # solutions committed
    >>> [p.endswith("out of date with " + str(tmp / "demo.ipynb"))
    ...  for p in check_release(tmp / "demo.ipynb", tmp / "student")]
    [True]
    """
    paths, out, format = _sources(src), _path(out, "release", "out"), _format(format)
    if not out.is_dir():
        return []
    problems = []
    for p in paths:
        target = out / p.name
        if not target.exists():
            problems.append(f"{target}: missing (run crmlib release {src} --out {out})")
        elif target.read_text(encoding="utf-8") != _released_text(p, format):
            problems.append(f"{target}: out of date with {p}")
    names, released = {p.name for p in paths}, _released_from(out)
    for q in sorted(out.glob("*.ipynb")):
        if q.name in names:
            continue
        other = (out / released[q.name]).resolve() if q.name in released else None
        if other is None or not other.is_file():
            gone = f" (released from {released[q.name]}, which is gone)" if other else ""
            problems.append(f"{q}: has no source notebook{gone}")
        elif q.read_text(encoding="utf-8") != _released_text(other, format):  # released there from another source
            problems.append(f"{q}: out of date with {other}")
    return problems


# ------------------------------------------------------------------------------------------- assign
def parameter_cell_values(nb, where: str = "notebook") -> dict[str, Any]:
    """The literal values of the ``parameters`` cell, overridden by any ``injected-parameters`` cell.

    >>> parameter_cell_values(parameterize(_tiny_notebook(), {"seed": 7}))
    {'seed': 7}
    """
    _check_notebook(nb, "assign")
    tagged = [c for c in nb.cells if "parameters" in _tags(c)]
    if len(tagged) != 1:
        raise CRMDataError(
            "assign", "notebook", f"{where} needs exactly one cell tagged 'parameters', found {len(tagged)}"
        )
    values: dict[str, Any] = {}
    for cell in tagged + [c for c in nb.cells if "injected-parameters" in _tags(c)]:
        try:
            for stmt in ast.parse(cell.source).body:
                if not (
                    isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                ):
                    raise ValueError("not a plain assignment")
                values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
        except (SyntaxError, ValueError) as exc:
            raise CRMDataError(
                "assign", "notebook", f"{where}: the parameter cells must hold literals only ({exc})"
            ) from None
    return values


def _spec_for(stem: str, func: str) -> dict[str, Param]:
    if stem not in SPECS:
        raise CRMDataError(
            func, "notebook", f"{stem!r} has no parameter spec in crmlib.params.SPECS", detail=f"known: {sorted(SPECS)}"
        )
    return SPECS[stem]


def _read_roster(roster: str | Path, spec: Mapping[str, Param]):
    """The roster as :func:`crmlib.lms.read_roster` reads it (any delimiter, Chinese or English headers,
    extra columns kept aside), indexed by the line of the file, and its parameter columns."""
    from crmlib import lms

    r = lms.read_roster(roster, spec, func="assign")
    return r.table, list(r.parameters)


def plan_assignment(
    notebook: str | Path, roster: str | Path, parameters: Mapping[str, Any] | None = None
) -> tuple[str, list[dict]]:
    r"""Validate everything and return ``(stem, students)``; each student: id, name, parameters.

    Raises ``CRMDataError`` before any work for a missing ``parameters`` cell, a notebook without a
    spec, roster problems (missing columns, empty or duplicate ids, unknown parameter columns) and
    unknown or invalid parameter values. Parameters come from the notebook's ``parameters`` cell,
    overridden by ``parameters`` (``-p``, for everyone) and then by the roster's own columns (empty
    cells keep the common value). ``seed`` is :func:`student_seed` of the notebook name and student
    id (a ``-p seed`` value becomes its salt, giving a new but still reproducible set of variants); a
    roster ``seed`` column sets it explicitly.

    >>> import tempfile
    >>> roster = Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = roster.write_text("student_id,name,rfm_bins\ns1,Ann,4\ns2,Bo,\n")
    >>> stem, students = plan_assignment(_CH1, roster, {"n_customers": "300"})
    >>> [(s["student_id"], s["parameters"]["rfm_bins"], s["parameters"]["n_customers"]) for s in students]
    [('s1', 4, 300), ('s2', 5, 300)]
    """
    nb_path = _path(notebook, "assign", "notebook")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise CRMDataError("assign", "parameters", f"must map parameter names to values, got {parameters!r}")
    if nb_path.suffix != ".ipynb" or not nb_path.is_file():
        raise CRMDataError("assign", "notebook", f"{str(nb_path)!r} is not a notebook file")
    stem = nb_path.stem
    defaults = parameter_cell_values(_read(nb_path), nb_path.name)
    spec = _spec_for(stem, "assign")
    common = {}
    for name, value in (parameters or {}).items():
        if name not in spec:
            raise CRMDataError(
                "assign", name, "is not a parameter of this notebook", detail=f"known parameters: {list(spec)}"
            )
        common[name] = parse_value(value, spec[name].kind, name)
    df, extra = _read_roster(roster, spec)
    students = []
    for line, row in zip(df.index, df.to_dict("records")):
        sid = row["student_id"]
        params = {**defaults, **common}
        if "seed" in spec:
            params["seed"] = student_seed(stem, sid, common.get("seed"))
        try:  # a bad value names the student, the column and the line of the roster
            for col in extra:
                if str(row[col]).strip() != "":
                    params[col] = parse_value(row[col], spec[col].kind, col)
                    check_parameters({col: params[col]}, {col: spec[col]})
        except CRMDataError as exc:
            from crmlib import lms

            raise lms.student_error(exc, sid, line, Path(roster).name) from None
        try:
            check_parameters(params, spec)
        except CRMDataError as exc:
            raise CRMDataError("assign", "roster", f"student {sid!r}: {exc}") from None
        students.append({"student_id": sid, "name": row["name"], "parameters": params})
    if not students:
        raise CRMDataError("assign", "roster", "lists no students")
    return stem, students


@contextlib.contextmanager
def _env(**values: str | None):
    """Set (or, for ``None``, unset) environment variables for the kernels started inside."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _helper_cell(source: str, tag: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [tag]
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _with_helpers(nb, hook: bool):
    run = copy.deepcopy(nb)
    run.cells = [c for c in run.cells if not {HOOK_TAG, COLLECT_TAG} & set(_tags(c))]
    if hook:
        run.cells.insert(0, _helper_cell(_HOOK, HOOK_TAG))
    run.cells.append(_helper_cell(_COLLECT, COLLECT_TAG))
    return run


def add_key_cells(nb):
    """A copy of ``nb`` with the two helper cells the instructor tools execute it with: first one that
    records the answer-key entry of every self-check, last one that displays the recorded answers and
    the key as a JSON output (:data:`crmlib.exercises.RECORD_MIME`). An executed copy carries its own
    answer key, e.g. for :func:`crmlib.exercises.answers_shown_early`.

    >>> [c.metadata["tags"] for c in add_key_cells(_tiny_notebook()).cells if c.metadata.get("tags")]
    [['crmlib-hook'], ['parameters'], ['solution'], ['crmlib-collect']]
    >>> len(add_key_cells(add_key_cells(_tiny_notebook())).cells)  # never twice
    6
    """
    _check_notebook(nb, "add_key_cells")
    return _with_helpers(nb, hook=True)


def _execute(nb, params: Mapping[str, Any], cwd: Path, strict: bool, hook: bool, timeout: int):
    """Run ``nb`` with papermill; returns (executed notebook without helper cells, collected data)."""
    import papermill as pm

    run = _with_helpers(nb, hook)
    # instructor copies keep their figures (the kernel's inline backend); grading needs no images
    with _env(CRMLIB_STRICT_CHECKS="1" if strict else "0", MPLBACKEND=None if hook else "Agg"):
        # the kernels' own log lines (e.g. ipykernel's warning about local TCP sockets) would bury the
        # progress bar; errors of the notebook itself still come back through its cells
        out = pm.execute_notebook(
            run,
            None,
            parameters=dict(params),
            cwd=str(cwd),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            kernel_manager_class=kernel_manager_class(),  # socket files, not TCP ports (_kernels)
        )
    data = None
    for c in out.cells:
        if COLLECT_TAG in _tags(c):
            for o in c.get("outputs", []):
                if RECORD_MIME in o.get("data", {}):
                    data = o["data"][RECORD_MIME]
    out.cells = [c for c in out.cells if not {HOOK_TAG, COLLECT_TAG} & set(_tags(c))]
    for c in out.cells:  # timings would make every run's file differ
        c.metadata.pop("papermill", None)
        c.metadata.pop("execution", None)
        if "injected-parameters" in _tags(c):
            c["id"] = "injected-parameters"
    for k in ("start_time", "end_time", "duration", "exception", "input_path", "output_path"):
        out.metadata.get("papermill", {}).pop(k, None)
    _drop_empty_tags(out)
    _stable_widget_ids(out)
    # one print split over two stream outputs or not depends on when the kernel flushed its output
    # (on a busy machine a redone copy differed from the first in that alone): nbconvert's
    # preprocessor merges consecutive outputs of one stream, as a reader sees them anyway
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    CoalesceStreamsPreprocessor().preprocess(out, {})
    if data is None:
        raise RuntimeError("the notebook ran but its recorded answers could not be collected")
    return out, data


_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _stable_widget_ids(nb) -> None:
    """Give the widgets of an executed notebook ids that depend only on the notebook (in place).

    The kernel names each widget model with a random id (in the outputs that show it, the widget
    state the notebook saves, and the references between models), so two runs of the same notebook
    would differ in those ids alone. Models are renumbered in a fixed order: as the outputs show them
    (cells in order), each followed by the models it refers to, then the rest in the saved order."""

    state = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    shown = [
        o["data"][_WIDGET_VIEW]["model_id"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if isinstance(o.get("data", {}).get(_WIDGET_VIEW), Mapping) and "model_id" in o["data"][_WIDGET_VIEW]
    ]
    order: list[str] = []

    def visit(mid: str) -> None:
        if mid in order:
            return
        order.append(mid)
        if mid in state:
            for ref in re.findall(r"IPY_MODEL_([\w-]+)", json.dumps(state[mid], sort_keys=True)):
                visit(ref)

    for mid in [*shown, *state]:
        visit(mid)
    if not order:
        return
    new = {old: hashlib.sha256(f"crmlib-widget\x1f{i}".encode()).hexdigest()[:32] for i, old in enumerate(order)}

    def rename(x: Any) -> Any:
        if isinstance(x, str):
            if x.startswith("IPY_MODEL_") and x[10:] in new:
                return "IPY_MODEL_" + new[x[10:]]
            return x
        if isinstance(x, list):
            return [rename(v) for v in x]
        if isinstance(x, dict):
            return {k: new[v] if k == "model_id" and v in new else rename(v) for k, v in x.items()}
        return x

    for c in nb.cells:
        if c.get("outputs"):
            c.outputs = nbformat.from_dict(rename(c.outputs))
    if state:
        renamed = {new[k]: rename(v) for k, v in state.items()}
        nb.metadata["widgets"][_WIDGET_STATE]["state"] = nbformat.from_dict(dict(sorted(renamed.items())))


def _error_text(exc: BaseException) -> str:
    name = getattr(exc, "ename", None) or type(exc).__name__
    value = getattr(exc, "evalue", None) or str(exc)
    return f"{name}: {value}".splitlines()[0][:300]


def _assign_one(task: dict) -> dict:
    """Worker: build, execute and write one student's variant (runs in a separate process).

    The record (``records/<id>.json``) is written last and holds the hash of the notebook's bytes
    this run read, so a later run knows which version of the source these files were made from."""
    sid, params, out = task["student_id"], task["parameters"], Path(task["out"])
    try:
        path = Path(task["notebook"])
        try:
            raw = path.read_bytes()
            source = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as exc:
            raise CRMDataError("notebook", str(path), f"cannot be read as a notebook: {exc}") from None
        meta = {"notebook": task["stem"], "student_id": sid, "name": task["name"], "parameters": params}
        executed, data = _execute(source, params, path.parent, strict=True, hook=True, timeout=task["timeout"])
        # worked demonstrations (demo.*) are not graded: chapter 0's shows a wrong answer on purpose
        data["key"] = {k: v for k, v in data["key"].items() if not k.startswith("demo.")}
        errors = {k: v["error"] for k, v in data["key"].items() if "error" in v}
        errors.update(
            {
                k: "the expected answer is not a number (NaN)"
                for k, v in data["key"].items()
                if "error" not in v and not _finite(v.get("expected"))
            }
        )
        if errors or not data["key"]:
            raise RuntimeError(f"no expected answers could be computed: {errors or 'no self-checks ran'}")
        executed.metadata["crmlib"] = {**meta, "copy": "instructor"}
        student = graded_copy(student_copy(parameterize(source, params)))
        student.metadata["crmlib"] = {**meta, "copy": "student"}
        _write(executed, out / "instructor" / f"{sid}.ipynb")
        _write(student, out / "students" / f"{sid}.ipynb")
        record = {
            "student_id": sid,
            "notebook": task["stem"],
            "source": _digest(raw),
            "parameters": params,
            "key": data["key"],
        }
        _write_text(json.dumps(record, sort_keys=True, indent=1), out / "records" / f"{sid}.json")  # last
        return {"student_id": sid, "ok": True}
    except Exception as exc:  # reported, never stops the batch
        return {"student_id": sid, "ok": False, "error": _error_text(exc)}


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _record(out: Path, sid: str) -> dict | None:
    try:
        data = json.loads((out / "records" / f"{sid}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _redo_reason(out: Path, stem: str, source: str, student: Mapping[str, Any]) -> str | None:
    """Why a student's files must be made (again): None when they are complete and current, "" when
    none were ever made, else the reason (the files are incomplete, the source notebook or the
    student's parameters changed since they were made)."""
    sid = student["student_id"]
    files = [out / "instructor" / f"{sid}.ipynb", out / "students" / f"{sid}.ipynb", out / "records" / f"{sid}.json"]
    present = [f.exists() for f in files]
    if not any(present):
        return ""
    data = _record(out, sid) if all(present) else None
    if data is None:
        return "its files were incomplete (an interrupted run?)"
    if data.get("notebook") != stem:
        return f"its files were made from another notebook ({data.get('notebook')!r})"
    if "source" not in data:
        return "its files were made by an older crmlib, which did not note their source notebook"
    if data.get("source") != source:
        return "the source notebook changed since its files were made"
    old, new = data.get("parameters") or {}, json.loads(json.dumps(student["parameters"]))
    if old != new:
        changed = [f"{k} {old.get(k, '(none)')!r} → {new.get(k, '(none)')!r}" for k in new if old.get(k) != new.get(k)]
        changed += [f"{k} {old[k]!r} → (none)" for k in old if k not in new]
        return "parameters changed: " + ", ".join(changed)
    return None


def _clean_partial(out: Path) -> None:
    """Remove the temporary files of writes a stopped run left unfinished (never a finished file)."""
    for sub in ("instructor", "students", "records", "."):
        folder = out / sub
        if folder.is_dir():
            for tmp in folder.glob("*.tmp"):
                tmp.unlink(missing_ok=True)


def _key_rows(out: Path, stem: str, source: str, students: Sequence[Mapping[str, Any]]) -> list[dict]:
    """The answer-key rows of every student whose files are complete and current, in roster order."""
    rows = []
    for s in students:
        if _redo_reason(out, stem, source, s) is not None:
            continue
        data = _record(out, s["student_id"])
        for q, k in data["key"].items():
            spec = {x: k[x] for x in _SPEC_FIELDS if x in k}
            rows.append(
                {
                    "student_id": s["student_id"],
                    "question": q,
                    "expected": json.dumps(k["expected"], ensure_ascii=False),
                    "tolerance": k["tol"],
                    "rel_tolerance": k["rel"],
                    "notebook": stem,
                    "parameters": json.dumps(data["parameters"], sort_keys=True),
                    "kind": k.get("kind") or _kind_of(k["expected"]),
                    "points": float(k.get("points", 1.0)),
                    "spec": json.dumps(spec, ensure_ascii=False, sort_keys=True),
                }
            )
    return rows


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the main process, which stops them (no traceback from each)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _interrupts_ignored():
    """Ctrl-C ignored while worker processes start: they inherit it, so none dies with a traceback
    while it is still importing (the main process is told right after)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _stop_pool(pool) -> None:
    """Stop a process pool now: queued tasks cancelled, running workers terminated (their kernels
    exit when their parent does), and waited for, so no worker writes after we return."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(10)


def _run_tasks(fn, tasks: list[dict], workers: int, desc: str, progress: bool, on_result=None) -> list[dict]:
    """Run ``fn`` on each task (in ``workers`` processes when more than one), calling ``on_result`` with
    each result as it comes. Ctrl-C (KeyboardInterrupt) stops every worker before it propagates."""
    from tqdm.auto import tqdm

    results = []
    bar = tqdm(total=len(tasks), desc=desc, unit="nb", disable=not progress or not tasks)

    def take(result: dict) -> None:
        results.append(result)
        bar.update(1)
        if on_result is not None:
            on_result(result)

    try:
        if workers <= 1 or len(tasks) <= 1:
            for t in tasks:
                take(fn(t))
            return results
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with _interrupts_ignored():
            pool = ProcessPoolExecutor(
                max_workers=min(workers, len(tasks)), mp_context=mp.get_context("spawn"), initializer=_ignore_interrupts
            )
            futures = [pool.submit(fn, t) for t in tasks]
        try:
            for f in as_completed(futures):
                try:
                    result = f.result()
                except Exception as exc:  # a worker died
                    result = {"student_id": "?", "ok": False, "error": _error_text(exc)}
                take(result)
        except BaseException:
            _stop_pool(pool)
            raise
        pool.shutdown()
        return results
    finally:
        bar.close()


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped :func:`assign`: ``done`` of ``total`` students' files are complete and in the
    answer key ``key``; running the same command again resumes with the others.

    >>> str(Interrupted(3, 10, Path("week3/answer_key.csv")))
    'interrupted: 3 of 10 students done (in week3/answer_key.csv)'
    """

    def __init__(self, done: int, total: int, key: Path):
        super().__init__(f"interrupted: {done} of {total} students done (in {key.as_posix()})")
        self.done, self.total, self.key = done, total, key


def assign(
    notebook: str | Path,
    roster: str | Path,
    out: str | Path,
    parameters: Mapping[str, Any] | None = None,
    workers: int = 1,
    progress: bool = True,
    timeout: int = 600,
    force: bool = False,
) -> dict:
    r"""Make one executed variant per student and the answer key (see the module docstring).

    Writes ``out/students/<id>.ipynb`` (the student copy: no solutions, the student's parameters
    injected, no outputs), ``out/instructor/<id>.ipynb`` (the executed instructor copy),
    ``out/records/<id>.json`` (what the files were made from: a hash of the source notebook, the
    parameters, the student's key) and ``out/answer_key.csv``, rewritten (atomically, in roster
    order) each time a student is finished. Students whose files are complete and were made from the
    same source notebook with the same parameters are skipped, so an interrupted batch resumes; the
    others are redone, and ``redone`` says why (``force=True`` redoes everyone). Identical inputs give
    byte-identical files (widget ids and run times are made stable). A cell running longer than
    ``timeout`` seconds fails its student. Ctrl-C stops every worker and raises :class:`Interrupted`
    (what is finished stays finished). Returns a summary dict with ``done``, ``skipped``, ``redone``
    (student id → reason) and ``failed`` (student id → error). Bad input fails before any work:

    >>> import tempfile
    >>> roster = Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = roster.write_text("student_id,name\ns1,Ann\ns1,Bo\n")
    >>> assign(_CH1, roster, roster.parent / "out")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: assign: field 'student_id' must be unique; duplicated: ['s1'] (rows 0, 1)
    """
    import pandas as pd

    if not isinstance(workers, int) or workers < 1:
        raise CRMDataError("assign", "workers", f"must be a whole number >= 1, got {workers!r}")
    timeout = _timeout(timeout, "assign")
    if not isinstance(force, bool):
        raise CRMDataError("assign", "force", f"must be True or False, got {force!r}")
    stem, students = plan_assignment(notebook, roster, parameters)
    out = _path(out, "assign", "out")
    if out.exists() and not out.is_dir():
        raise CRMDataError("assign", "out", f"{str(out)!r} exists and is not a folder")
    source = _digest(Path(notebook).read_bytes())
    _clean_partial(out)
    reasons = {s["student_id"]: _redo_reason(out, stem, source, s) for s in students}
    if force:
        reasons = {sid: "--force" if why is None else why for sid, why in reasons.items()}
    todo = [s for s in students if reasons[s["student_id"]] is not None]
    tasks = [
        {"notebook": str(Path(notebook).resolve()), "stem": stem, "out": str(out.resolve()), "timeout": timeout, **s}
        for s in todo
    ]
    out.mkdir(parents=True, exist_ok=True)
    key_path = out / "answer_key.csv"

    def write_key(result: Mapping[str, Any] | None = None) -> None:
        if result is None or result.get("ok"):
            text = pd.DataFrame(_key_rows(out, stem, source, students), columns=KEY_COLUMNS).to_csv(index=False)
            if not (key_path.is_file() and key_path.read_text(encoding="utf-8") == text):
                _write_text(text, key_path)

    write_key()  # the students still current; it grows as the others finish
    try:
        results = _run_tasks(_assign_one, tasks, workers, f"assign {stem}", progress, on_result=write_key)
    except KeyboardInterrupt:
        _clean_partial(out)
        write_key()  # a student a worker finished just before Ctrl-C is kept too
        done = sum(_redo_reason(out, stem, source, s) is None for s in students)
        raise Interrupted(done, len(students), key_path) from None
    failed = {r["student_id"]: r["error"] for r in results if not r["ok"]}
    write_key()
    return {
        "stem": stem,
        "students": len(students),
        "done": len(todo) - len(failed),
        "skipped": len(students) - len(todo),
        "redone": {sid: why for sid, why in reasons.items() if why},
        "failed": failed,
        "key": key_path,
    }


# -------------------------------------------------------------------------------------------- grade
#: what an answer-key entry holds beyond expected/tol/rel/kind/points (the ``spec`` column)
_SPEC_FIELDS = ("accept", "credit", "rubric", "partial")


def _kind_of(expected: Any) -> str:
    if isinstance(expected, bool) or expected is None:
        return "text"
    if isinstance(expected, (int, float)):
        return "number"
    return "ids" if isinstance(expected, list) else "text"


def read_key(key: str | Path) -> dict[str, dict]:
    r"""The answer key by student: ``{id: {"notebook", "parameters", "questions": {q: entry}}}``, each
    entry an answer-key entry as :func:`crmlib.exercises.key_entry` makes it (``expected``, ``tol``,
    ``rel``, ``kind``, ``points``, and ``accept``/``credit``/``rubric``/``partial`` where they apply).

    >>> import tempfile
    >>> key = Path(tempfile.mkdtemp()) / "answer_key.csv"
    >>> _ = key.write_text("student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n"
    ...                    's1,q1,0.5,0.01,0,demo,"{""seed"": 3}"\n')
    >>> read_key(key)
    {'s1': {'notebook': 'demo', 'parameters': {'seed': 3}, 'questions': {'q1': {'expected': 0.5, 'tol': 0.01, 'rel': 0.0, 'kind': 'number', 'points': 1.0}}}}
    """  # noqa: E501
    from crmlib import _io

    path = _path(key, "grade", "key")
    if not path.is_file():
        raise CRMDataError("grade", "key", f"{str(path)!r} does not exist")
    # a key opened and saved again in (Chinese) Excel comes back as GBK or UTF-8 with a BOM
    df = _io.read_csv(path, func="grade", keep_default_na=False, na_values=[])
    missing = [c for c in KEY_REQUIRED if c not in df.columns]
    if missing:
        raise CRMDataError("grade", "key", f"misses the column(s) {missing}; make it with crmlib assign")
    students: dict[str, dict] = {}
    # a hand-edited key: an id typed with a space around it is the student's id (as on the roster)
    for c in ("student_id", "question", "notebook"):
        df[c] = df[c].map(lambda v: v.strip() if isinstance(v, str) else v)
    blank = [i for i, v in df["student_id"].items() if not str(v).strip()]
    if blank:
        raise CRMDataError("grade", "key", "has rows without a student_id", rows=blank[:5], n_bad=len(blank))
    for i, row in df.iterrows():
        try:
            params = json.loads(row["parameters"])
            expected = json.loads(row["expected"])
            tol, rel = float(row["tolerance"] or 0), float(row["rel_tolerance"] or 0)
            if not isinstance(params, dict):
                raise ValueError(f"parameters must be a JSON object, got {row['parameters']!r}")
            params = _key_parameters(params, row["notebook"])
            if not all(math.isfinite(t) and t >= 0 for t in (tol, rel)):
                raise ValueError(f"tolerances must be numbers >= 0, got {(tol, rel)}")
            entry = {"expected": expected, "tol": tol, "rel": rel, **_key_extras(row, expected)}
        except (ValueError, CRMDataError) as exc:
            raise CRMDataError("grade", "key", f"has an unreadable row: {exc}", rows=[i]) from None
        if not _finite(expected):
            raise CRMDataError(
                "grade",
                "key",
                f"{str(path)!r}: question {row['question']!r} of student {row['student_id']!r} has "
                f"expected = {row['expected']} (not a number: no answer could match it)",
                rows=[i],
                detail=f"line {i + 2} of the file; correct the row or run crmlib assign again",
            )
        st = students.setdefault(
            row["student_id"], {"notebook": row["notebook"], "parameters": params, "questions": {}}
        )
        if row["question"] in st["questions"]:
            raise CRMDataError(
                "grade", "key", f"lists question {row['question']!r} of student {row['student_id']!r} twice", rows=[i]
            )
        st["questions"][row["question"]] = entry
    return students


def _finite(x: Any) -> bool:
    """No NaN or infinity anywhere in an expected answer (a number, or a list of them)."""
    if isinstance(x, float):
        return math.isfinite(x)
    if isinstance(x, (list, tuple)):
        return all(_finite(v) for v in x)
    if isinstance(x, dict):
        return all(_finite(v) for v in x.values())
    return True


def _key_parameters(params: dict[str, Any], notebook: str) -> dict[str, Any]:
    """A key's parameters as the notebook's spec types them: a key edited by hand (``"seed": "1"``,
    a number typed as text) holds the same parameters as the one ``crmlib assign`` wrote."""
    spec = SPECS.get(str(notebook), {})
    return {
        k: parse_value(v, spec[k].kind, k) if k in spec and spec[k].kind is not str else v for k, v in params.items()
    }


def _key_extras(row: Mapping[str, Any], expected: Any) -> dict[str, Any]:
    """kind, points and spec of a key row (defaults for a key written before these columns)."""
    from crmlib.exercises import KINDS

    kind = str(row.get("kind", "") or "").strip() or _kind_of(expected)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    points = float(str(row.get("points", "") or "").strip() or 1.0)
    if not (math.isfinite(points) and points > 0):
        raise ValueError(f"points must be a number > 0, got {points}")
    spec = json.loads(str(row.get("spec", "") or "").strip() or "{}")
    if not isinstance(spec, dict) or set(spec) - set(_SPEC_FIELDS):
        raise ValueError(f"spec must be a JSON object with {list(_SPEC_FIELDS)}, got {row.get('spec')!r}")
    return {"kind": kind, "points": points, **spec}


def _uploads(submissions: str | Path, roster: Any = None) -> list:
    """The submitted notebooks of a file, a folder or an LMS bulk-download zip (:mod:`crmlib.lms`),
    each with the roster student its file name points to (``roster``: a roster file, or None)."""
    from crmlib import lms

    p = _path(submissions, "grade", "submissions")
    if not (p.is_dir() or (p.is_file() and p.suffix in (".ipynb", ".zip"))):
        raise CRMDataError("grade", "submissions", f"{str(p)!r} is neither a notebook, a folder nor a zip file")
    if roster is not None and not isinstance(roster, lms.Roster):
        roster = lms.read_roster(roster, func="grade")
    return lms.collect_uploads(p, roster)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


#: what the ``status`` of a grades row says (the README's instructor guide shows the same list)
STATUSES = {
    "graded": "scored against the key: score 1 right, 0 not; credit the share of the points earned",
    "by hand": "a written decision (memo): its text and rubric are in the memos file, to grade by hand",
    "no answer": "the question's self-check ran, but the answer was left empty",
    "execution error": "a cell this question needs failed (detail names the cell and its error)",
    "changed parameters": "the data or the expected answers were changed in the parameters cell: not graded",
    "unreadable file": "the file is not a notebook (a truncated or damaged upload?): ask for it again",
    "missing": "no submission for this student",
    "duplicate": "two or more files claim this student: none is graded until the instructor keeps one",
    "unknown student": "the file names a student who is not in the answer key",
}

#: added for grading only: grading mode (checks record, nothing computes a right answer), and each
#: self-check shows the answer it recorded in its own cell's output, so a later failure (a broken cell,
#: a dead kernel, a timeout) loses nothing that was answered before it
_GRADE_HOOK = f"""# {HOOK_TAG}: shows the answer each self-check records in its own output (added for grading only)
import crmlib.exercises as _crmlib_ex
from IPython.display import display as _crmlib_display
_crmlib_ex.graded_copy()  # record only: no right answer is computed in the student's kernel
def _crmlib_wrap(_orig):
    def _check(ex_id, *args, **kwargs):
        _before = _crmlib_ex.RECORD.get(ex_id)
        try:
            return _orig(ex_id, *args, **kwargs)
        finally:
            _rec = _crmlib_ex.RECORD.get(ex_id)
            if _rec is not None and _rec is not _before:
                _crmlib_display(_crmlib_ex.collected_output({{ex_id: _rec}}, {{}}), raw=True)
    return _check
_crmlib_ex.check = _crmlib_wrap(_crmlib_ex.check)"""


def _harmless(notebook: str) -> set[str]:
    """Parameters a student may change without changing the data or the expected answers."""
    return {"lang"} | {k for k, p in SPECS.get(str(notebook), {}).items() if p.display}


def _literals(source: str) -> dict[str, Any] | None:
    """The values of a cell made only of ``name = literal`` lines, else None."""
    try:
        body = ast.parse(source).body
        values = {}
        for stmt in body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                return None
            values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
        return values
    except (SyntaxError, ValueError):
        return None


def _parameter_cells(nb, names: Iterable[str], where: str) -> tuple[list[int], dict[str, Any], str]:
    """Positions and merged values of a submission's parameter cells, and a note on how they were found.

    By their tags (``parameters``, then papermill's ``injected-parameters``); when an editor dropped the
    tags, by the id papermill gave the injected cell, or else by content (cells of literal assignments
    to the assigned parameters' names)."""
    cells = nb.cells
    code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    found = [i for i in code if "parameters" in _tags(cells[i])]
    found += [i for i in code if "injected-parameters" in _tags(cells[i])]
    note = ""
    if not any("parameters" in _tags(cells[i]) for i in found):
        names = set(names)
        by_id = [i for i in code if cells[i].get("id") in ("injected-parameters", "parameters")]
        by_content = [i for i in code if (v := _literals(cells[i].source)) and names & set(v)]
        found = sorted(set(by_id) | set(by_content))
        note = "its cell tags were removed (by an editor?); the parameters were read from the cells that set them"
    if not found:
        raise CRMDataError(
            "grade",
            "notebook",
            f"{where}: no cell sets the assigned parameters (the parameters cell was deleted, or its tags removed "
            "and its text changed)",
        )
    values: dict[str, Any] = {}
    for i in found:
        v = _literals(cells[i].source)
        if v is None:
            raise CRMDataError(
                "grade", "notebook", f"{where}: the parameters cell (cell {i + 1}) must hold only name = value lines"
            )
        values.update(v)
    return found, values, note


def _changed(submitted: Mapping[str, Any], assigned: Mapping[str, Any], harmless: set[str]) -> list[str]:
    out = []
    for k, v in assigned.items():
        if k in harmless:
            continue
        if k not in submitted:
            out.append(f"{k} was removed (assigned {v!r})")
        elif not _same(submitted[k], v):
            out.append(f"{k} is {submitted[k]!r}, assigned {v!r}")
    return out


def _read_submission(path: Path):
    """A submitted notebook, or raise CRMDataError saying (for an instructor) why it cannot be read."""
    try:
        nb = _loads(_notebook_text(path))
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no cells")
        return nb
    except Exception as exc:
        if type(exc).__name__ == "NotJSONError" or isinstance(exc, json.JSONDecodeError):
            why = "its text is not complete notebook JSON"
        else:
            why = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]
        raise CRMDataError(
            "grade",
            "submission",
            f"{path.name} is not a readable notebook (a truncated or damaged upload?): {why}",
            detail="ask the student to upload the .ipynb file again",
        ) from None


def _plain(exc: CRMDataError) -> str:
    """The message of a CRMDataError without its ``func: field '…'`` lead, for a grades row."""
    lead = f"{exc.func}: " + (f"field '{exc.field}' " if exc.field else "")
    text = str(exc)
    return text[len(lead) :] if text.startswith(lead) else text


def _graded_run(nb, params: Mapping[str, Any], where: str):
    """The notebook to execute: the student's parameter cells replaced by one holding the assigned
    parameters, the grading hook first and the collection cell last; and each cell's position in the
    submitted notebook (1-based; None for the added cells)."""
    found, _, _ = _parameter_cells(nb, params, where)
    run = copy.deepcopy(nb)
    cells, positions = [], []
    for i, c in enumerate(run.cells):
        if {HOOK_TAG, COLLECT_TAG} & set(_tags(c)) or (i in found and i != found[0]):
            continue
        if i == found[0]:
            c = nbformat.v4.new_code_cell(
                "\n".join(f"{k} = {v!r}" for k, v in params.items()), metadata={"tags": ["parameters"]}
            )
        cells.append(c)
        positions.append(i + 1)
    run.cells = [_helper_cell(_GRADE_HOOK, HOOK_TAG), *cells, _helper_cell(_COLLECT, COLLECT_TAG)]
    return run, [None, *positions, None]


def kernel_env(hide: Iterable[str | Path], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a grading kernel: ``environ`` (default: this process's) without anything
    that points at the paths in ``hide`` (the answer key, its folder, the grades): a variable holding
    such a path goes, a search path (``PATH``) loses those entries; ``PWD``/``OLDPWD`` go too. Then
    grading mode (``CRMLIB_GRADED=1``), no strict checks, no figures on screen.

    >>> env = kernel_env(["/course/key"], {"PATH": "/course/key/bin:/usr/bin", "KEY": "/course/key/a.csv", "LANG": "C"})
    >>> env["PATH"], "KEY" in env, env["LANG"], env["CRMLIB_GRADED"]
    ('/usr/bin', False, 'C', '1')
    """
    from crmlib._checks import GRADED_ENV

    marks = set()
    for p in hide:
        p = _path(p, "grade", "hide")
        marks |= {str(p), str(p.resolve())} if len(p.parts) > 1 else set()
    env = {}
    for k, v in (os.environ if environ is None else environ).items():
        if k in ("PWD", "OLDPWD"):
            continue
        kept = [e for e in v.split(os.pathsep) if not any(m in e for m in marks)]
        if kept and len(kept) == len(v.split(os.pathsep)):
            env[k] = v
        elif kept and any(kept) and os.pathsep in v:
            env[k] = os.pathsep.join(kept)
    env.update({GRADED_ENV: "1", "CRMLIB_STRICT_CHECKS": "0", "MPLBACKEND": "Agg"})
    return env


def _run_allowing_errors(run, cwd: Path, timeout: int, env: Mapping[str, str] | None = None) -> str | None:
    """Execute every cell, going on after a failing one (as nbgrader does); a cell running longer than
    ``timeout`` seconds is interrupted. ``env``: the kernel's whole environment (default: this process's
    in grading mode). Returns what stopped the whole run (a dead kernel), or None."""
    from nbclient import NotebookClient

    client = NotebookClient(
        run,
        timeout=timeout,
        startup_timeout=max(timeout, 300),  # a busy machine starts kernels slowly
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        kernel_manager_class=kernel_manager_class(),
    )
    try:  # the kernel gets this environment, not this process's
        client.execute(env=dict(env) if env is not None else kernel_env([]))
    except Exception as exc:  # the kernel died or did not start: what ran so far still counts
        return _error_text(exc)
    return None


def _cell_errors(run, positions: list, timeout: int) -> tuple[dict, list[dict], dict[str, int]]:
    """What an executed run holds: the recorded answers, the failing cells (each with the questions
    whose cells it is among: those of the next check cell), and the position of each question's check."""
    from crmlib._checks import CHECK_CALL

    record: dict[str, Any] = {}
    errors: list[dict] = []
    checks: dict[str, int] = {}
    pending: list[dict] = []
    for cell, pos in zip(run.cells, positions):
        for o in cell.get("outputs", []):
            if RECORD_MIME in o.get("data", {}):
                record.update(o["data"][RECORD_MIME].get("record", {}))
        if pos is None:
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                head = (cell.source.strip().splitlines() or [""])[0][:60]
                value = (str(o.get("evalue") or "").splitlines() or [""])[0][:200]
                what = (
                    f"did not finish within {timeout} s and was stopped"
                    if o.get("ename") == "KeyboardInterrupt"
                    else f"raised {o.get('ename')}: {value}"
                )
                pending.append({"cell": pos, "text": f"cell {pos} ({head!r}) {what}", "questions": []})
                break
        ids = CHECK_CALL.findall(cell.source) if cell.get("cell_type") == "code" else []
        if ids:
            for q in ids:
                checks.setdefault(q, pos)
            for e in pending:
                e["questions"] = ids
            errors += pending
            pending = []
    return record, errors + pending, checks


@contextlib.contextmanager
def _grading_folder(hide: Sequence[str]):
    """An empty temporary folder for one grading kernel to work in (removed afterwards): never the
    submissions' folder (other students' work) and never under a folder of ``hide`` (the key's)."""
    import shutil
    import tempfile

    cwd = Path(tempfile.mkdtemp(prefix="crmlib-grade-")).resolve()
    try:
        for h in hide:
            if Path(h).resolve() in (cwd, *cwd.parents):
                raise CRMDataError(
                    "grade",
                    "key",
                    f"the temporary folder {str(cwd)!r} lies inside {h!r}, where the student's code could read it",
                    detail="keep the answer key and grades out of the temporary folder's tree (TMPDIR)",
                )
        yield cwd
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


def _grade_one(task: dict) -> dict:
    """Worker: execute one submission allowing errors; returns what it recorded and which cells failed."""
    path = Path(task["path"])
    base = {"path": str(path), "student_id": task["student_id"]}
    try:
        nb = _read_submission(path)
        run, positions = _graded_run(nb, task["parameters"], path.name)
        with _grading_folder(task["hide"]) as cwd:
            fatal = _run_allowing_errors(run, cwd, task["timeout"], kernel_env(task["hide"]))
        record, errors, checks = _cell_errors(run, positions, task["timeout"])
        return {**base, "status": "ran", "record": record, "errors": errors, "checks": checks, "fatal": fatal}
    except CRMDataError as exc:
        return {**base, "status": "unreadable file", "detail": _plain(exc)}
    except Exception as exc:
        return {**base, "status": "execution error", "detail": f"the notebook could not be run: {_error_text(exc)}"}


def _claims(path: Path, named: str | None = None, how: str = "") -> tuple[str, Any, str]:
    """(the student a file claims to be, the notebook or the CRMDataError why it is unreadable, a note).

    The notebook's own student id comes first; else ``named``, the student its path names (an LMS
    download's file name matched with the roster, :func:`crmlib.lms.collect_uploads`), else its stem."""
    named = named or path.stem
    if path.suffix != ".ipynb":  # uploaded to the LMS instead of the notebook
        why = f"{path.name} is not a notebook but a {path.suffix or 'extension-less'} file"
        return named, CRMDataError("grade", "submission", why, detail="ask the student for the .ipynb file"), how
    try:
        nb = _read_submission(path)
    except CRMDataError as exc:
        return named, exc, how
    meta = nb.metadata.get("crmlib", {})
    sid = str(meta.get("student_id") or named) if isinstance(meta, Mapping) else named
    note = f"its file name says {named!r}, the notebook says {sid!r}" if sid != named else ""
    return sid, nb, "; ".join(x for x in (how, note) if x)


def _question_row(q: str, entry: Mapping[str, Any], res: Mapping[str, Any]) -> dict:
    """Status, answer and credit of one question of an executed submission."""
    from crmlib._checks import blank_answer
    from crmlib.exercises import mark

    rec = res["record"].get(q)
    mine = [e["text"] for e in res["errors"] if q in e["questions"]]
    check_at = res["checks"].get(q)
    earlier = [
        e["text"] for e in res["errors"] if check_at is not None and e["cell"] < check_at and q not in e["questions"]
    ]
    answer = None if rec is None else rec.get("answer")
    if rec is None or blank_answer(answer) or (entry["kind"] == "memo" and not str(answer).strip()):
        if mine:
            first = f"; an earlier cell failed first: {earlier[0]}" if earlier else ""
            shown = mine if len(mine) <= 2 else [mine[0], f"… {len(mine) - 2} more …", mine[-1]]
            return {"status": "execution error", "detail": "; ".join(shown) + first}
        if rec is None and (earlier or res["fatal"]):
            why = f"an earlier cell failed: {earlier[0]}" if earlier else f"the run stopped: {res['fatal']}"
            return {"status": "execution error", "detail": f"its self-check did not run ({why})"}
        if check_at is None:
            return {"status": "no answer", "detail": "the notebook has no self-check of this question (cell deleted?)"}
        return {"status": "no answer", "detail": "the answer was left empty"}
    note = f"note: {'; '.join(mine[:2])} (the answer was recorded)" if mine else ""
    row = {"answer": json.dumps(answer, ensure_ascii=False), "detail": note}
    if entry["kind"] == "memo":
        return {
            **row,
            "credit": None,
            "status": "by hand",
            "detail": _rubric_text(entry) + (f"; {note}" if note else ""),
        }
    ok, credit = mark(answer, entry)
    return {**row, "correct": ok, "score": int(ok), "credit": credit, "status": "graded"}


def _rubric_text(entry: Mapping[str, Any]) -> str:
    rubric = "; ".join(f"{c[0]} ({c[-1]:g})" for c in entry.get("rubric", []))
    return f"rubric: {rubric}" if rubric else "graded by hand"


MEMO_COLUMNS = ["student_id", "question", "answer", "rubric", "points", "score", "submission"]


def memos_path(grades: str | Path) -> Path:
    """Where :func:`grade` writes the memos to grade by hand: next to the grades CSV.

    >>> memos_path("week3/grades.csv").as_posix()
    'week3/grades_memos.csv'
    """
    p = _path(grades, "grade", "out")
    return p.with_name(f"{p.stem}_memos.csv")


def grade(
    submissions: str | Path,
    key: str | Path,
    out: str | Path,
    workers: int = 1,
    progress: bool = True,
    timeout: int = 600,
    roster: str | Path | None = None,
):
    """Grade the submitted notebook(s) against the answer key; writes and returns the grades table.

    ``submissions`` is a notebook, a folder of them or the zip of an LMS bulk download (Moodle's or
    Canvas's file names, :func:`crmlib.lms.collect_uploads`); ``roster`` (the class list) lets the
    names and LMS ids in those file names say whose a notebook is when the notebook itself does not.

    Every question is scored on its own: the notebook runs to its end whatever fails on the way (as
    nbgrader runs it), so three right answers before a broken cell still score 3 of 3, and a failing
    cell is reported with the question whose cells it is among. One row per student and question
    (plus a row, question empty, for a failing cell after the last question, an unknown student or an
    unreadable file that names nobody); ``status`` is one of :data:`STATUSES`: ``graded`` (``score``
    1 or 0; ``credit`` the share of the question's ``points`` earned — partial for a ranking or a
    multiple choice —, ``earned`` = points × credit), ``by hand`` (a memo), ``no answer``,
    ``execution error``, ``changed parameters`` (only those that change the data or the expected
    answers: the language is the student's choice), ``unreadable file``, ``missing``, ``duplicate``
    (every file claiming the student is flagged, none is graded) or ``unknown student``. Worked
    demonstrations (ids starting ``demo.``) are never graded. The memos (written decisions) go with
    their rubric into :func:`memos_path` of ``out``, to grade by hand.

    >>> grade("no_such_folder", "answer_key.csv", "grades.csv")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: grade: field 'key' 'answer_key.csv' does not exist
    """
    import pandas as pd

    if not isinstance(workers, int) or workers < 1:
        raise CRMDataError("grade", "workers", f"must be a whole number >= 1, got {workers!r}")
    timeout = _timeout(timeout, "grade")
    students = read_key(key)
    for st in students.values():  # worked demonstrations are not graded (chapter 0's is wrong on purpose)
        st["questions"] = {q: e for q, e in st["questions"].items() if not q.startswith("demo.")}
    uploads = _uploads(submissions, roster)
    out = _path(out, "grade", "out")
    if out.exists() and out.is_dir():
        raise CRMDataError("grade", "out", f"{str(out)!r} is a folder, not a CSV file")
    _can_write(out, "grade", "out")  # before any grading: the last write must not fail
    claims: dict[str, list] = {}
    for up in sorted(uploads, key=lambda u: not u.notebook):  # notebooks first
        sid, nb, note = _claims(up.path, up.claim(), up.note)
        if not up.notebook and sid in claims:
            continue  # another file beside the student's notebook (a PDF of it, a data file)
        claims.setdefault(sid, []).append((up.path, nb, note))
    rows, tasks, settled = [], [], {}  # settled: student id -> (status, detail, file) without running
    for sid, files in claims.items():
        if sid not in students:
            for p, nb, note in files:
                unreadable = isinstance(nb, CRMDataError)
                rows.append(
                    {
                        "student_id": sid,
                        "question": "",
                        "status": "unreadable file" if unreadable else "unknown student",
                        "detail": _plain(nb)
                        if unreadable
                        else f"{sid!r} is not in the answer key" + (f" ({note})" if note else ""),
                        "submission": str(p),
                    }
                )
            continue
        st = students[sid]
        if len(files) > 1:
            names = ", ".join(p.name for p, _, _ in files)
            for p, _, note in files:
                detail = f"{len(files)} files claim student {sid!r} ({names}); none is graded: keep one and grade again"
                settled.setdefault(sid, []).append(("duplicate", detail + (f"; {note}" if note else ""), p))
            continue
        p, nb, note = files[0]
        if isinstance(nb, CRMDataError):
            settled[sid] = [("unreadable file", _plain(nb), p)]
            continue
        try:
            _, values, how = _parameter_cells(nb, st["parameters"], p.name)
        except CRMDataError as exc:
            settled[sid] = [("changed parameters", _plain(exc), p)]
            continue
        changed = _changed(values, st["parameters"], _harmless(st["notebook"]))
        if changed:
            settled[sid] = [("changed parameters", "parameters changed: " + "; ".join(changed), p)]
            continue
        tasks.append(
            {
                "path": str(p.resolve()),
                "student_id": sid,
                "parameters": st["parameters"],
                # what the student's kernel must not find (kernel_env, _grading_folder)
                "hide": [str(Path(key).resolve()), str(Path(key).resolve().parent), str(out.resolve().parent)],
                "timeout": timeout,
                "note": "; ".join(x for x in (note, how) if x),
            }
        )
    if tasks:  # the kernels' folders must lie outside the key's: refused before any work otherwise
        with _grading_folder(tasks[0]["hide"]):
            pass
    done = {r["student_id"]: r for r in _run_tasks(_grade_one, tasks, workers, "grade", progress)}
    notes = {t["student_id"]: t["note"] for t in tasks}
    for sid, st in students.items():
        for status, detail, p in settled.get(sid, [(None, None, None)]):
            res = done.get(sid)
            if status is None and res is None:
                ran = sid in notes
                status = "execution error" if ran else "missing"
                detail = "the grading process broke down" if ran else "no submission for this student"
            elif status is None and res["status"] != "ran":
                status, detail = res["status"], res["detail"]
            for q, entry in st["questions"].items():
                row = {
                    "student_id": sid,
                    "question": q,
                    "expected": json.dumps(entry["expected"], ensure_ascii=False),
                    "correct": False,
                    "score": 0,
                    "submission": str(p) if p else (res["path"] if res else ""),
                    "kind": entry["kind"],
                    "points": entry["points"],
                    "credit": 0.0,
                }
                if status is not None:
                    row.update(status=status, detail=detail)
                else:
                    row.update(_question_row(q, entry, res))
                    if notes.get(sid):
                        row["detail"] = "; ".join(x for x in (row.get("detail"), notes[sid]) if x)
                rows.append(row)
            if status is None and res is not None:
                for e in res["errors"]:
                    if not set(e["questions"]) & set(st["questions"]):
                        rows.append(
                            {
                                "student_id": sid,
                                "question": "",
                                "status": "execution error",
                                "detail": f"{e['text']} (no graded question's cells: nothing lost)",
                                "submission": res["path"],
                            }
                        )
    table = pd.DataFrame(rows, columns=GRADE_COLUMNS)
    table["score"] = table["score"].fillna(0).astype(int)
    table["correct"] = table["correct"].eq(True)  # missing (not graded) is False; no object-dtype fillna
    table["earned"] = table["points"] * table["credit"]
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    _write_memos(table, students, memos_path(out))
    return table


def _write_memos(table, students: Mapping[str, dict], path: Path) -> None:
    """The memos to grade by hand (their text, rubric and points), if the key has any; UTF-8 with a
    byte-order mark, so Excel shows Chinese text. Scores already typed into an earlier memos file are
    kept for the memos whose text is unchanged."""
    import pandas as pd

    rubrics = {(sid, q): e for sid, st in students.items() for q, e in st["questions"].items() if e["kind"] == "memo"}
    if not rubrics:
        return
    typed = {}
    if path.is_file():
        try:
            old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            typed = {(r.student_id, r.question, r.answer): r.score for r in old.itertuples() if str(r.score).strip()}
        except Exception:  # not a memos file this version wrote: nothing to keep
            typed = {}
    memos = table[table["status"].eq("by hand")]
    rows = [
        {
            "student_id": r["student_id"],
            "question": r["question"],
            "answer": json.loads(r["answer"]),
            "rubric": _rubric_text(rubrics[(r["student_id"], r["question"])]).removeprefix("rubric: "),
            "points": r["points"],
            "score": typed.get((r["student_id"], r["question"], json.loads(r["answer"])), ""),
            "submission": r["submission"],
        }
        for _, r in memos.iterrows()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=MEMO_COLUMNS).to_csv(path, index=False, encoding="utf-8-sig")


def parse_assignments(pairs: Iterable[Sequence[str]] | None) -> dict[str, str]:
    """``[["seed", "3"], …]`` from ``-p name value`` options into a dict (later ones win).

    >>> parse_assignments([["seed", "3"], ["lang", "zh"], ["seed", "4"]])
    {'seed': '4', 'lang': 'zh'}
    """
    if pairs is None:
        return {}
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise CRMDataError("assign", "parameter", f"must be a list of (name, value) pairs, got {pairs!r}")
    out = {}
    for pair in pairs:
        if (
            isinstance(pair, (str, bytes))
            or not isinstance(pair, Sequence)
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or not pair[0].strip()
        ):
            raise CRMDataError("assign", "parameter", f"must be a name and a value (-p NAME VALUE), got {pair!r}")
        out[pair[0]] = pair[1]
    return out


_CH1 = Path(__file__).resolve().parents[1] / "notebooks" / "01_identification.ipynb"  # for the examples


def _tiny_notebook():
    """A three-cell notebook (title, parameters, an answer with a solution) for the examples."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("seed = 1", metadata={"tags": ["parameters"]})
    solution = nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), params, nbformat.v4.new_code_cell("answer = None"), solution]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    return nb
