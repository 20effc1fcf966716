"""nbgrader interop (issue 13, part 4): ``crmlib release --format nbgrader`` writes nbgrader source
notebooks, and nbgrader's own ``generate_assignment`` and ``autograde`` grade them.

The first tests read the source notebooks as written; the last one runs nbgrader itself in a
throw-away environment (``build/nbgrader-env``: a venv that sees this interpreter's packages, with
nbgrader and an editable crmlib of this checkout installed into it; made once, then reused), and
skips, saying why, where nbgrader cannot be installed (no package index).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest

from crmlib import exercises, instructor, nbgrader_export
from crmlib._errors import CRMDataError

ROOT = Path(__file__).resolve().parents[1]
CH1 = ROOT / "notebooks" / "01_identification.ipynb"
CASE4 = ROOT / "casework" / "04_rice_shop.ipynb"
#: the nbgrader release these tests were written against (its cell metadata schema version 3)
NBGRADER = "nbgrader==0.9.6"


def _nbg(cell) -> dict:
    return cell.metadata["nbgrader"]


def test_chapter_1_as_nbgrader_source():
    nb = nbgrader_export.nbgrader_source(nbformat.read(CH1, as_version=4))
    meta = [_nbg(c) for c in nb.cells]
    assert all(m["schema_version"] == 3 for m in meta)
    assert len({m["grade_id"] for m in meta}) == len(meta)  # unique, as nbgrader requires
    tests = {m["grade_id"]: m["points"] for m in meta if m["grade"] and not m["solution"]}
    # the seven auto-graded exercises of chapter 1 with their points (crmlib/exercises.py)
    assert tests == {
        "ch1_handling_losses": 2.0,
        "ch1_drop_losers": 1.0,
        "ch1_cdnow_customers_for_80": 2.0,
        "ch1_develop_headroom": 2.0,
        "ch1_better_prospect": 1.0,
        "ch1_need_essence": 1.0,
        "ch1_call_list": 1.0,
    }
    assert all(m["locked"] for m in meta if m["grade"] and not m["solution"])
    solutions = [m for m in meta if m["solution"]]
    assert len(solutions) == 8 and not any(m["locked"] for m in solutions)
    # the memo is a manually graded answer worth its rubric (6 points); its check cell is read-only
    memo = [m for m in solutions if m["grade"]]
    assert memo == [
        {
            "grade": True,
            "grade_id": "ch1_recommendation_answer",
            "locked": False,
            "points": 6.0,
            "schema_version": 3,
            "solution": True,
        }
    ]
    # every other cell is read-only; no solution tag, no output is left
    assert all(m["locked"] for m in meta if not m["solution"])
    assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
    # one cell fewer per exercise: each answer cell went into its solution cell
    assert len(nb.cells) == len(nbformat.read(CH1, as_version=4).cells) - 8


def test_solution_and_test_cells_keep_the_workbook_code():
    nb = nbgrader_export.nbgrader_source(nbformat.read(CH1, as_version=4))
    by_id = {_nbg(c)["grade_id"]: c.source for c in nb.cells}
    answer = by_id["ch1_drop_losers_answer"].splitlines()
    assert answer[0].startswith("answer_2 = None  # your answer")
    assert answer[1] == "### BEGIN SOLUTION" and answer[-1] == "### END SOLUTION"
    assert answer[2].startswith('answer_2 = "b"')
    assert by_id["ch1_develop_headroom"].splitlines() == [
        'exercises.check("ch1.develop_headroom", answer_4, tx=tx, wallets=wallets, discount_cut=discount_cut)',
        "### BEGIN HIDDEN TESTS",
        'exercises.score("ch1.develop_headroom", answer_4, tx=tx, wallets=wallets, discount_cut=discount_cut)',
        "### END HIDDEN TESTS",
    ]


def test_a_multi_line_check_call_becomes_one_hidden_score_call():
    nb = nbgrader_export.nbgrader_source(nbformat.read(CASE4, as_version=4))
    test = next(c.source for c in nb.cells if _nbg(c)["grade_id"] == "case4_late_gap")
    hidden = test.split("### BEGIN HIDDEN TESTS\n")[1].split("\n### END HIDDEN TESTS")[0]
    assert hidden.startswith('exercises.score(\n    "case4.late_gap",\n    answer_3,')
    assert "exercises.check" not in hidden and hidden.count("exercises.score(") == 1


def test_release_in_nbgrader_format_is_idempotent_and_checkable(tmp_path):
    out = tmp_path / "source" / "ch1"
    [path] = instructor.release(CH1, out, format="nbgrader")
    first = path.read_bytes()
    instructor.release(CH1, out, format="nbgrader")
    assert path.read_bytes() == first
    assert instructor.check_release(CH1, out, format="nbgrader") == []
    assert instructor.check_release(CH1, out) == [f"{path}: out of date with {CH1}"]  # not a student copy
    with pytest.raises(CRMDataError, match="format"):
        instructor.release(CH1, out, format="otter")


def test_score_gives_partial_credit_as_crmlib_grade_does():
    # ch0.steps: a ranking worth 2 points, credit by positions; swapping "check" and "hint" leaves
    # positions 1 and 4 right: 2 of 4 → half the points = 1.0
    assert exercises.score("ch0.steps", ["answer", "hint", "check", "solution"]) == 1.0
    assert exercises.score("ch0.steps", ["answer", "check", "hint", "solution"]) == 2.0
    with pytest.raises(exercises.ExerciseCheckFailed):
        exercises.score("ch0.steps", None)


# ------------------------------------------------------------------------------ nbgrader itself
def _nbgrader_env() -> Path:
    """A venv with nbgrader that sees this interpreter's packages, with crmlib of this checkout
    installed editable; made once under build/, reused while its stamp matches. Skips when nbgrader
    cannot be installed."""
    env_dir = ROOT / "build" / "nbgrader-env"
    base = sysconfig.get_paths()["purelib"]
    stamp = {"nbgrader": NBGRADER, "base": base, "python": sys.version}
    py = env_dir / "bin" / "python"
    stamp_file = env_dir / "crmlib-stamp.json"
    if py.exists() and stamp_file.is_file() and json.loads(stamp_file.read_text()) == stamp:
        return env_dir
    shutil.rmtree(env_dir, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "zz_crmlib_base.pth").write_text(base + "\n")  # after the venv's own packages
    for args in ([NBGRADER], ["--no-deps", "-e", str(ROOT)]):
        done = subprocess.run([str(py), "-m", "pip", "install", "-q", *args], capture_output=True, text=True)
        if done.returncode:
            shutil.rmtree(env_dir, ignore_errors=True)
            tail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            pytest.skip(f"NOT TESTED: nbgrader could not be installed into a throw-away venv ({args[0]}): {tail}")
    stamp_file.write_text(json.dumps(stamp))
    return env_dir


def _correct(released: Path, source: Path, target: Path) -> None:
    """The released notebook with the model solutions typed into its solution cells."""
    src = {_nbg(c)["grade_id"]: c.source for c in nbformat.read(source, as_version=4).cells}
    nb = nbformat.read(released, as_version=4)
    for c in nb.cells:
        m = c.metadata.get("nbgrader", {})
        if m.get("solution"):
            marks = (nbgrader_export.BEGIN_SOLUTION, nbgrader_export.END_SOLUTION)
            c.source = "\n".join(x for x in src[m["grade_id"]].splitlines() if x.strip() not in marks)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


_SCORES = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook(sys.argv[1]) as gb:
    for student in ("correct", "blank"):
        for nb in ("01_identification", "04_rice_shop"):
            s = gb.find_submission_notebook(nb, "ps1", student)
            out[f"{student}/{nb}"] = [s.score, s.max_score, s.needs_manual_grade]
print(json.dumps(out))
"""


_VALIDATE = """
import sys
from pathlib import Path
import nbformat
from nbgrader.nbgraderformat import MetadataValidator
paths = sorted(Path(sys.argv[1]).rglob("*.ipynb"))
for p in paths:
    MetadataValidator().validate_nb(nbformat.read(p, as_version=4))
print(len(paths))
"""


@pytest.mark.notebook
@pytest.mark.slow
def test_nbgrader_generates_and_autogrades_a_chapter_and_a_case(tmp_path):
    started = time.perf_counter()
    env_dir = _nbgrader_env()
    ready = time.perf_counter()
    course = tmp_path / "course"
    db = f"sqlite:///{course / 'gradebook.db'}"
    instructor.release(CH1, course / "source" / "ps1", format="nbgrader")
    instructor.release(CASE4, course / "source" / "ps1", format="nbgrader")
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\nc.CourseDirectory.db_url = {db!r}\n"
        "c.ExecutePreprocessor.timeout = 600\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CRMLIB_STRICT_CHECKS")}
    env.update(PATH=f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}", MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(ROOT / "tests" / "_site")  # only the suite's sitecustomize (rfc3987_syntax)

    def nbgrader(*args: str) -> None:
        done = subprocess.run(
            [str(env_dir / "bin" / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"

    nbgrader("db", "assignment", "add", "ps1")
    nbgrader("db", "student", "add", "correct")
    nbgrader("db", "student", "add", "blank")
    nbgrader("generate_assignment", "ps1", "--force")
    for name in ("01_identification.ipynb", "04_rice_shop.ipynb"):
        released = course / "release" / "ps1" / name
        assert "### BEGIN SOLUTION" not in released.read_text(encoding="utf-8")  # nbgrader removed them
        assert "### BEGIN HIDDEN TESTS" not in released.read_text(encoding="utf-8")
        _correct(released, course / "source" / "ps1" / name, course / "submitted" / "correct" / "ps1" / name)
        (course / "submitted" / "blank" / "ps1").mkdir(parents=True, exist_ok=True)
        shutil.copy(released, course / "submitted" / "blank" / "ps1" / name)
    nbgrader("autograde", "ps1", "--force")
    done = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", _SCORES, db], env=env, capture_output=True, text=True, check=True
    )
    scores = json.loads(done.stdout)
    # every chapter and case (and the Chinese editions) passes nbgrader's own metadata validator
    every = tmp_path / "every"
    for folder in ("notebooks", "casework", "notebooks/zh"):
        instructor.release(ROOT / folder, every / folder, format="nbgrader")
    validated = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", _VALIDATE, str(every)], env=env, capture_output=True, text=True
    )
    assert validated.returncode == 0, validated.stderr[-3000:]
    assert int(validated.stdout) == len(list(every.rglob("*.ipynb"))) >= 13
    # chapter 1: 10 automatic points (2+1+2+2+1+1+1) and the 6-point memo, which awaits a hand grade;
    # the rice shop: three 1-point questions. A blank notebook earns nothing, and its memo, left as
    # handed out, is scored 0 by nbgrader without a hand grade.
    assert scores == {
        "correct/01_identification": [10.0, 16.0, True],
        "correct/04_rice_shop": [3.0, 3.0, False],
        "blank/01_identification": [0.0, 16.0, False],
        "blank/04_rice_shop": [0.0, 3.0, False],
    }
    print(f"nbgrader environment {ready - started:.0f} s, generate + autograde {time.perf_counter() - ready:.0f} s")
