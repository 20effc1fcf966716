"""The solver stays away from graded work (issue 13, part 5).

In a graded copy (``crmlib assign``) and in every kernel ``crmlib grade`` runs, the checks only record
the answers: nothing computes a right answer in the student's kernel (``exercises.expected``,
``key_entry``, ``score`` and the registry's solvers refuse), and the grader scores the recorded answers
against the key. The grading kernel works in an empty folder of its own, with an environment that
names neither the key nor its folder. Self-study copies (``crmlib release``) keep their instant
feedback. The graded mode cannot be left in a process, so its unit tests run in a separate Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlib import exercises, instructor, params

STEM = "iso_quiz"
SPEC = {
    "seed": params.Param(int, lo=0),
    "cost_per_order": params.Param(float, lo=0),
    "lang": params.Param(str, choices=("en", "zh"), display=True),
}
STEPS = ["answer", "check", "hint", "solution"]


def _python(code: str, **env: str) -> dict:
    """Run ``code`` in a new Python (the graded mode is for good) and return the JSON it prints last."""
    import os

    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_graded_copy_records_and_computes_no_right_answer():
    out = _python(
        """
        import importlib, json
        import crmlib.exercises as ex
        from crmlib import datasets
        from crmlib._errors import CRMDataError
        tx = datasets.make_transactions(n_customers=20, seed=3)
        ex.graded_copy()
        refused = {}
        calls = {
            "expected": lambda: ex.expected("ch1.handling_losses", tx=tx, cost_per_order=5.0),
            "key_entry": lambda: ex.key_entry("ch1.handling_losses", tx=tx, cost_per_order=5.0),
            "score": lambda: ex.score("ch1.handling_losses", 1, tx=tx, cost_per_order=5.0),
            "solve": lambda: ex.REGISTRY["ch1.handling_losses"].solve(tx=tx, cost_per_order=5.0),
            "builtin solve": lambda: ex._BUILTIN["ch1.handling_losses"].solve(tx=tx, cost_per_order=5.0),
        }
        for name, call in calls.items():
            try:
                call()
                refused[name] = False
            except CRMDataError as e:
                refused[name] = "graded copy" in str(e)
        passed = ex.check("ch1.handling_losses", 1, tx=tx, cost_per_order=5.0)
        record = ex.RECORD["ch1.handling_losses"]
        fixed = ex.REGISTRY["ch1.drop_losers"].answer
        line = repr(ex.progress("ch1"))
        importlib.reload(ex)  # a reload keeps the mode
        print(json.dumps({"refused": refused, "passed": passed, "record": record, "fixed": fixed, "line": line,
                          "after_reload": ex.graded_mode(), "reloaded_answer": ex.REGISTRY["ch1.drop_losers"].answer}))
        """
    )
    assert out["refused"] == dict.fromkeys(("expected", "key_entry", "score", "solve", "builtin solve"), True)
    # recorded without a verdict: correct and credit stay empty until the grader scores the answer
    assert out["passed"] is True
    assert out["record"] == {"answer": 1, "correct": None, "kind": "", "points": 2.0, "credit": None}
    assert out["fixed"] is None and out["after_reload"] is True and out["reloaded_answer"] is None
    # the progress line counts it as answered, not as right or wrong (📥 recorded, 0 points so far)
    assert out["line"].startswith("📊 ch1: 1 of 8 answered, 0 right — 0 of 16 points")
    assert "📥 handling_losses" in out["line"]


def test_a_kernel_started_by_the_grader_is_graded_from_its_first_import():
    out = _python(
        """
        import json
        from crmlib import exercises
        print(json.dumps({"graded": exercises.graded_mode(), "answer": exercises.REGISTRY["ch0.rerun"].answer}))
        """,
        CRMLIB_GRADED="1",
    )
    assert out == {"graded": True, "answer": None}


def test_self_study_keeps_instant_feedback(capsys):
    assert not exercises.graded_mode()
    assert exercises.check("ch1.drop_losers", "b", strict=False) is True
    assert capsys.readouterr().out.strip() == "✅ ch1.drop_losers: correct."
    exercises._forget("ch1.")


def test_only_assigned_copies_get_the_graded_cell(tmp_path):
    nb = _quiz_notebook()
    nbformat.write(nb, tmp_path / f"{STEM}.ipynb")
    [released] = instructor.release(tmp_path / f"{STEM}.ipynb", tmp_path / "student")
    assert "graded_copy" not in released.read_text(encoding="utf-8")
    graded = instructor.graded_copy(instructor.student_copy(nb))
    assert [c.get("id") for c in graded.cells][:4] == ["iq-00", "iq-01", "crmlib-graded", "iq-02"]


def test_the_kernel_environment_names_nothing_of_the_key():
    environ = {
        "PATH": "/course/tools/bin:/usr/bin:/bin",
        "KEY_FILE": "/course/answer_key.csv",
        "PWD": "/somewhere",
        "HOME": "/home/teacher",
        "CRMLIB_STRICT_CHECKS": "1",
    }
    env = instructor.kernel_env(["/course/answer_key.csv", "/course"], environ)
    assert env == {
        "PATH": "/usr/bin:/bin",
        "HOME": "/home/teacher",
        "CRMLIB_GRADED": "1",
        "CRMLIB_STRICT_CHECKS": "0",
        "MPLBACKEND": "Agg",
    }


# ------------------------------------------------------------------------- assign and grade, for real
def _quiz_notebook() -> nbformat.NotebookNode:
    def code(src, tags=None):
        return nbformat.v4.new_code_cell(src, metadata={"tags": tags} if tags else {})

    cells = [
        nbformat.v4.new_markdown_cell("# Isolation quiz"),
        code('seed = 1\ncost_per_order = 5.0\nlang = "en"', ["parameters"]),
        code(
            "from crmlib import datasets, exercises, segmentation\n\n"
            "tx = datasets.make_transactions(n_customers=30, seed=seed)"
        ),
        code("answer_1 = None  # your answer: a number of customers"),
        code(
            "s = segmentation.customer_summary(tx)\n"
            'answer_1 = int(((s["margin"] - cost_per_order * s["n_transactions"]) <= 0).sum())',
            ["solution"],
        ),
        code('exercises.check("ch1.handling_losses", answer_1, tx=tx, cost_per_order=cost_per_order)'),
        code("answer_2 = None  # your answer: a letter"),
        code('answer_2 = "b"', ["solution"]),
        code('exercises.check("ch1.drop_losers", answer_2)'),
        code("answer_3 = None  # your answer: the steps in order"),
        code(f"answer_3 = {STEPS!r}", ["solution"]),
        code('exercises.check("ch0.steps", answer_3)'),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"iq-{i:02d}"
    return nb


def _answer(nb, var: str, source: str) -> None:
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(f"{var} = None"))
    cell.source = source


PROBE = """
import json, os, sys
from pathlib import Path
cwd = Path.cwd().resolve()
listing = {{str(d): sorted(p.name for p in d.iterdir()) for d in (cwd, *cwd.parents) if os.access(d, os.R_OK)}}
Path({probe!r}).write_text(json.dumps({{"argv": sys.argv, "env": dict(os.environ), "cwd": str(cwd),
    "listing": listing, "graded": exercises.graded_mode()}}))
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("iso")
    course = tmp / "course"
    course.mkdir()
    nbformat.write(_quiz_notebook(), course / f"{STEM}.ipynb")
    (course / "roster.csv").write_text("student_id,name\ns1,Ann\ns2,Bo\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(params.SPECS, STEM, SPEC)
        res = instructor.assign(course / f"{STEM}.ipynb", course / "roster.csv", course, progress=False)
        assert res["failed"] == {} and res["done"] == 2
        key = pd.read_csv(course / "answer_key.csv", dtype=str, keep_default_na=False)
        subs = course / "submissions"
        subs.mkdir()
        # s1 copies the check cell's arguments into exercises.expected, and reads a fixed answer off the
        # registry; the ranking is answered by hand
        s1 = nbformat.read(course / "students" / "s1.ipynb", as_version=4)
        _answer(
            s1, "answer_1", "answer_1 = exercises.expected('ch1.handling_losses', tx=tx, cost_per_order=cost_per_order)"
        )
        _answer(s1, "answer_2", 'answer_2 = exercises.REGISTRY["ch1.drop_losers"].answer')
        _answer(s1, "answer_3", f"answer_3 = {STEPS!r}")
        nbformat.write(s1, subs / "s1.ipynb")
        # s2 answers right and looks around from inside the kernel
        s2 = nbformat.read(course / "students" / "s2.ipynb", as_version=4)
        right = key[(key["student_id"] == "s2") & (key["question"] == "ch1.handling_losses")]["expected"].iloc[0]
        _answer(s2, "answer_1", f"answer_1 = {right}")
        _answer(s2, "answer_2", 'answer_2 = "b"')
        _answer(s2, "answer_3", f"answer_3 = {STEPS!r}")
        probe = tmp / "probe.json"
        s2.cells.append(nbformat.v4.new_code_cell(PROBE.format(probe=str(probe))))
        nbformat.write(s2, subs / "s2.ipynb")
        table = instructor.grade(subs, course / "answer_key.csv", course / "grades.csv", progress=False)
    return {"course": course, "table": table.set_index(["student_id", "question"]), "probe": probe, "tmp": tmp}


@pytest.mark.notebook
def test_calling_the_solver_from_a_graded_copy_scores_nothing(graded):
    t = graded["table"]
    s1 = t.loc["s1"]
    assert s1.loc["ch1.handling_losses", "status"] == "execution error"
    assert "a graded copy does not compute right answers" in s1.loc["ch1.handling_losses", "detail"]
    assert s1.loc["ch1.drop_losers", "status"] == "no answer"  # the registry's fixed answer is gone
    assert s1[["earned"]].to_dict()["earned"] == {"ch1.handling_losses": 0.0, "ch1.drop_losers": 0.0, "ch0.steps": 2.0}
    # s2's right answers, recorded without a verdict in the kernel, are scored from the key: 2 + 1 + 2
    assert t.loc["s2", "earned"].sum() == 5.0 and set(t.loc["s2", "status"]) == {"graded"}


@pytest.mark.notebook
def test_the_grading_kernel_cannot_find_the_key(graded):
    seen = json.loads(graded["probe"].read_text())
    course = str(graded["course"].resolve())
    key = str((graded["course"] / "answer_key.csv").resolve())
    assert seen["graded"] is True and seen["env"]["CRMLIB_GRADED"] == "1"
    assert not any(course in a for a in seen["argv"])
    assert not [k for k, v in seen["env"].items() if course in v]
    cwd = Path(seen["cwd"])
    assert Path(course) not in (cwd, *cwd.parents)  # not the submissions folder, not below the key's
    assert Path(course) not in {Path(d) for d in seen["listing"]}  # no folder it can list holds the key
    assert seen["listing"][seen["cwd"]] == []  # an empty folder of its own
    assert not cwd.exists()  # removed after the run
    assert key not in json.dumps(seen)


@pytest.mark.notebook
def test_a_graded_copy_at_home_records_without_a_verdict(graded, tmp_path):
    from nbclient import NotebookClient

    from crmlib._kernels import kernel_manager_class

    nb = nbformat.read(graded["course"] / "students" / "s1.ipynb", as_version=4)
    _answer(nb, "answer_2", 'answer_2 = "b"')
    nb.cells.append(nbformat.v4.new_code_cell("exercises.expected('ch1.drop_losers')"))
    NotebookClient(
        nb,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
        kernel_manager_class=kernel_manager_class(),
    ).execute()
    texts = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]
    assert any(t.startswith("📥 ch1.drop_losers: answer recorded for grading.") for t in texts)
    assert not any("✅" in t or "❌" in t for t in texts)
    error = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert error and error[0].ename == "CRMDataError" and "graded copy" in error[0].evalue


def test_grading_refuses_a_temporary_folder_inside_the_key_folder(tmp_path, monkeypatch):
    import tempfile

    from crmlib._errors import CRMDataError

    course = tmp_path / "course"
    (course / "subs").mkdir(parents=True)
    key = course / "answer_key.csv"
    key.write_text(
        "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n"
        f's1,ch0.rerun,"""b""",0,0,{STEM},"{{""seed"": 1, ""cost_per_order"": 5.0, ""lang"": ""en""}}"\n'
    )
    nbformat.write(_quiz_notebook(), course / "subs" / "s1.ipynb")
    monkeypatch.setitem(params.SPECS, STEM, SPEC)
    monkeypatch.setattr(tempfile, "tempdir", str(course))  # TMPDIR inside the key's folder
    with pytest.raises(CRMDataError, match="TMPDIR") as err:
        instructor.grade(course / "subs", key, tmp_path / "grades.csv", progress=False)
    assert err.value.field == "key" and not (tmp_path / "grades.csv").exists()
    assert sorted(p.name for p in course.iterdir()) == ["answer_key.csv", "subs"]  # the folder it tried is gone
