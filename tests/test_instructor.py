"""End-to-end tests of the instructor tools (crmlib release | assign | grade) on chapter 1.

The notebook is executed with small parameters (300 customers, 60 prospects): one assign run of
three students with two workers, one resumed run, and two grading runs, all in tmp_path. The tests
that read those runs carry the ``notebook`` marker (``make test-fast`` leaves them out).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlib import exercises, i18n, instructor, params
from crmlib._errors import CRMDataError
from crmlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks" / "01_identification.ipynb"
SMALL = ["-p", "n_customers", "300", "-p", "n_prospects", "60"]
ANSWER_CELLS = {
    "ch1.handling_losses": "answer_1",
    "ch1.drop_losers": "answer_2",
    "ch1.cdnow_customers_for_80": "answer_3",
    "ch1.develop_headroom": "answer_4",
    "ch1.better_prospect": "answer_5",
    "ch1.need_essence": "answer_6",
    "ch1.call_list": "answer_7",
    "ch1.recommendation": "answer_8",  # a memo: recorded, graded by hand
}
N_QUESTIONS = len(ANSWER_CELLS)  # one model solution and one self-check each
N_AUTO = N_QUESTIONS - 1  # graded automatically (the memo is graded by hand)
MEMO = {"ch1.recommendation": "Develop the relational customers of the develop quadrant first."}


def _roster(path: Path, text: str = "student_id,name\ns001,Ann\ns002,Bo\ns003,Cai\n") -> Path:
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assign")
    roster = _roster(tmp / "roster.csv")
    out = tmp / "out"
    status = main(
        ["assign", str(NB), "--roster", str(roster), "--out", str(out), *SMALL, "--workers", "2", "--no-progress"]
    )
    assert status == 0
    key = pd.read_csv(out / "answer_key.csv", dtype=str, keep_default_na=False)
    return {"tmp": tmp, "roster": roster, "out": out, "key": key}


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _params(key: pd.DataFrame, sid: str) -> dict:
    return json.loads(key.loc[key["student_id"] == sid, "parameters"].iloc[0])


# ------------------------------------------------------------------------------------------ assign
@pytest.mark.notebook
def test_assign_writes_one_variant_per_student(assigned):
    out, key = assigned["out"], assigned["key"]
    for sid in ("s001", "s002", "s003"):
        student = nbformat.read(out / "students" / f"{sid}.ipynb", as_version=4)
        teacher = nbformat.read(out / "instructor" / f"{sid}.ipynb", as_version=4)
        assert not any("solution" in _tags(c) for c in student.cells)
        assert all(
            not c.get("outputs") and c.get("execution_count") is None for c in student.cells if c.cell_type == "code"
        )
        assert sum("solution" in _tags(c) for c in teacher.cells) == N_QUESTIONS
        assert any(c.get("outputs") for c in teacher.cells if c.cell_type == "code")
        assert any("image/png" in o.get("data", {}) for c in teacher.cells for o in c.get("outputs", []))
        assert not any({"crmlib-hook", "crmlib-collect"} & set(_tags(c)) for c in teacher.cells + student.cells)
        params = _params(key, sid)
        assert student.metadata["crmlib"]["parameters"] == params == teacher.metadata["crmlib"]["parameters"]
        assert params["seed"] == instructor.student_seed("01_identification", sid)
        assert params["n_customers"] == 300 and params["n_prospects"] == 60
        injected = [c for c in student.cells if "injected-parameters" in _tags(c)]
        assert len(injected) == 1 and f"seed = {params['seed']}" in injected[0].source
    assert sorted(key["question"].unique()) == sorted(ANSWER_CELLS)
    assert len(key) == 3 * N_QUESTIONS
    # different students get different data and different answers (the judgement questions and the
    # question on the real CDNOW log have the same answer for everyone)
    assert len({_params(key, s)["seed"] for s in ("s001", "s002", "s003")}) == 3
    by_student = key.pivot(index="question", columns="student_id", values="expected")
    assert (by_student["s001"] != by_student["s002"]).sum() >= 3
    assert (by_student["s002"] != by_student["s003"]).sum() >= 3


@pytest.mark.notebook
def test_key_matches_what_the_solutions_compute(assigned):
    from crmlib import datasets

    key = assigned["key"]
    for sid in ("s001", "s003"):
        p = _params(key, sid)
        tx = datasets.make_transactions(n_customers=p["n_customers"], seed=p["seed"])
        prospects = datasets.make_prospects(n=p["n_prospects"], seed=p["seed"])
        wallets = datasets.make_wallets(n_customers=p["n_customers"], seed=p["seed"])
        wallets = wallets.set_index("customer_id")["est_category_spend"]
        data = {
            "ch1.handling_losses": dict(tx=tx, cost_per_order=p["cost_per_order"]),
            "ch1.drop_losers": {},
            "ch1.cdnow_customers_for_80": dict(cdnow=datasets.load_dataset("cdnow_master")),
            "ch1.develop_headroom": dict(tx=tx, wallets=wallets, discount_cut=p["discount_cut"]),
            "ch1.better_prospect": {},
            "ch1.need_essence": {},
            "ch1.call_list": dict(prospects=prospects, mature_days=p["mature_days"]),
        }
        rows = key[key["student_id"] == sid].set_index("question")
        for q, kwargs in data.items():
            want = exercises.to_jsonable(exercises.expected(q, **kwargs))
            got = json.loads(rows.loc[q, "expected"])
            assert got == pytest.approx(want) if isinstance(want, float) else got == want, q
        tol = exercises.REGISTRY["ch1.cdnow_customers_for_80"].tol
        assert float(rows.loc["ch1.cdnow_customers_for_80", "tolerance"]) == tol


@pytest.mark.notebook
def test_assign_is_stable_and_resumes(assigned, tmp_path):
    out, roster = assigned["out"], assigned["roster"]
    before = (out / "answer_key.csv").read_bytes()
    student_before = (out / "students" / "s002.ipynb").read_bytes()
    res = instructor.assign(NB, roster, out, parameters={"n_customers": "300", "n_prospects": "60"}, progress=False)
    assert (res["done"], res["skipped"], res["failed"]) == (0, 3, {})
    assert (out / "answer_key.csv").read_bytes() == before
    # an interrupted run: one student's completion record is missing -> only that student is redone
    work = tmp_path / "out"
    shutil.copytree(out, work)
    (work / "records" / "s002.json").unlink()
    with pytest.MonkeyPatch.context() as mp:  # an ordinary kernel: another string-hash seed than the first run's
        mp.setenv("CRMLIB_COLD_KERNEL", "1")
        res = instructor.assign(
            NB, roster, work, parameters={"n_customers": "300", "n_prospects": "60"}, progress=False
        )
    assert (res["done"], res["skipped"], res["failed"]) == (1, 2, {})
    assert (work / "answer_key.csv").read_bytes() == before  # same roster -> identical output
    assert (work / "students" / "s002.ipynb").read_bytes() == student_before
    assert res["redone"] == {"s002": "its files were incomplete (an interrupted run?)"}
    redone, first = _files(work), _files(out)  # the instructor copy too: its widgets, figures, tables
    assert sorted(redone) == sorted(first) and [f for f in first if first[f] != redone[f]] == []


def test_a_failing_student_is_reported_not_fatal(tmp_path):
    task = {
        "notebook": str(tmp_path / "gone.ipynb"),
        "stem": "01_identification",
        "out": str(tmp_path),
        "timeout": 60,
        "student_id": "s9",
        "name": "X",
        "parameters": {"seed": 1},
    }
    results = instructor._run_tasks(instructor._assign_one, [task, dict(task, student_id="s8")], 1, "t", False)
    assert [r["ok"] for r in results] == [False, False] and "gone.ipynb" in results[0]["error"]
    assert not (tmp_path / "records").exists()


# ------------------------------------------------------------------------------------------- grade
def _submission(assigned, sid: str, answers: dict[str, object]) -> nbformat.NotebookNode:
    nb = nbformat.read(assigned["out"] / "students" / f"{sid}.ipynb", as_version=4)
    for q, value in answers.items():
        var = ANSWER_CELLS[q]
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(f"{var} = None"))
        cell.source = f"{var} = {value!r}"
    return nb


def _key_answers(key: pd.DataFrame, sid: str) -> dict:
    rows = key[key["student_id"] == sid]
    return {q: json.loads(e) for q, e in zip(rows["question"], rows["expected"])}


@pytest.mark.notebook
def test_grade_scores_correct_wrong_and_erroring_submissions(assigned, tmp_path):
    key = assigned["key"]
    subs = tmp_path / "subs"
    subs.mkdir()
    late = _submission(assigned, "s001", {**_key_answers(key, "s001"), **MEMO})
    late.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('a leftover cell')"))  # costs nothing
    nbformat.write(late, subs / "s001.ipynb")
    wrong = {**_key_answers(key, "s002"), **MEMO, "ch1.handling_losses": -1, "ch1.drop_losers": "a"}
    del wrong["ch1.need_essence"]  # left unanswered
    nbformat.write(_submission(assigned, "s002", wrong), subs / "s002.ipynb")
    broken = _submission(assigned, "s003", _key_answers(key, "s003"))
    # the set-up cell, after the parameters, the injected parameters and the graded copy's cell
    assert "import crmlib" in broken.cells[4].source  # every later cell needs it
    broken.cells[4].source = "raise RuntimeError('student broke this cell')\n" + broken.cells[4].source
    nbformat.write(broken, subs / "renamed_by_student.ipynb")  # identified by its metadata
    out = tmp_path / "grades.csv"
    assert (
        main(
            [
                "grade",
                str(subs),
                "--key",
                str(assigned["out"] / "answer_key.csv"),
                "--out",
                str(out),
                "--workers",
                "2",
                "--no-progress",
            ]
        )
        == 0
    )
    g = pd.read_csv(out, keep_default_na=False)
    assert list(g.columns) == instructor.GRADE_COLUMNS
    g = g[g["question"] != ""]  # a row per failing cell that no question's cells hold
    assert len(g) == 3 * N_QUESTIONS
    s1, s2, s3 = (g[g["student_id"] == s].set_index("question") for s in ("s001", "s002", "s003"))
    assert s1["score"].sum() == N_AUTO and set(s1["status"]) == {"graded", "by hand"}, s1["detail"].tolist()
    memo = s1.loc["ch1.recommendation"]  # the answer column holds answers as JSON: the memo's text in quotes
    assert memo["status"] == "by hand" and json.loads(memo["answer"]) == MEMO["ch1.recommendation"]
    assert s2["score"].sum() == N_AUTO - 3
    assert s2.loc["ch1.handling_losses", "status"] == "graded" and s2.loc["ch1.handling_losses", "score"] == 0
    assert s2.loc["ch1.drop_losers", "score"] == 0 and s2.loc["ch1.call_list", "score"] == 1
    assert s2.loc["ch1.need_essence", "status"] == "no answer"
    # the broken set-up cell leaves the data undefined: every question computed from it fails; the
    # fixed-answer choices need no data (the graded copy's own cell imports exercises) and count
    fixed = ["ch1.drop_losers", "ch1.better_prospect", "ch1.need_essence"]
    assert set(s3.loc[fixed, "status"]) == {"graded"} and s3.loc[fixed, "score"].sum() == 3
    assert s3.loc["ch1.recommendation", "status"] == "no answer"  # s003 wrote no memo
    failed = s3.drop(index=[*fixed, "ch1.recommendation"])
    assert set(failed["status"]) == {"execution error"} and failed["score"].sum() == 0, failed["detail"].tolist()
    assert failed["detail"].str.contains("NameError").all()  # its own check cell failed …
    assert failed["detail"].str.contains("cell 5 .* student broke this cell").all()  # … and why
    later = failed.drop(index="ch1.handling_losses")  # the broken cell is among the first question's cells
    assert later["detail"].str.contains("an earlier cell failed first: cell 5").all()
    full = pd.read_csv(out, keep_default_na=False)
    leftover = full[(full["student_id"] == "s001") & (full["question"] == "")]
    assert leftover["status"].tolist() == ["execution error"] and "a leftover cell" in leftover["detail"].item()


@pytest.mark.notebook
def test_grade_flags_tampered_and_unknown_submissions(assigned, tmp_path):
    key = assigned["key"]
    subs = tmp_path / "subs"
    subs.mkdir()
    nb = _submission(assigned, "s003", _key_answers(key, "s003"))
    cell = next(c for c in nb.cells if "injected-parameters" in _tags(c))
    cell.source = cell.source.replace(f"seed = {_params(key, 's003')['seed']}", "seed = 2024")
    nbformat.write(nb, subs / "s003.ipynb")
    stranger = _submission(assigned, "s001", {})
    stranger.metadata["crmlib"]["student_id"] = "zz999"
    nbformat.write(stranger, subs / "zz999.ipynb")
    table = instructor.grade(subs, assigned["out"] / "answer_key.csv", tmp_path / "g.csv", progress=False)
    s3 = table[table["student_id"] == "s003"]
    assert len(s3) == N_QUESTIONS and set(s3["status"]) == {"changed parameters"} and s3["score"].sum() == 0
    assert s3["detail"].str.contains("seed is 2024").all()
    assert set(table.loc[table["student_id"] == "zz999", "status"]) == {"unknown student"}
    assert set(table.loc[table["student_id"].isin(["s001", "s002"]), "status"]) == {"missing"}


# ----------------------------------------------------------------------------------------- release
@pytest.mark.notebook
def test_release_removes_solutions_and_outputs_and_is_idempotent(assigned, tmp_path):
    src = nbformat.read(NB, as_version=4)
    out = tmp_path / "student"
    assert main(["release", str(NB), "--out", str(out)]) == 0
    copy = nbformat.read(out / NB.name, as_version=4)
    kept = [c for c in src.cells if "solution" not in _tags(c)]
    note = i18n.text("release_no_solutions", "en")  # said instead of the words about the solution cells
    assert [c.source for c in copy.cells] == [instructor._SOLUTION_NOTE.sub(note, c.source) for c in kept]
    assert sum(c.source != k.source for c, k in zip(copy.cells, kept)) == 1  # the exercises' introduction
    assert [c.cell_type for c in copy.cells] == [c.cell_type for c in kept]
    assert len(copy.cells) == len(src.cells) - N_QUESTIONS
    assert copy.metadata == src.metadata
    first = (out / NB.name).read_bytes()
    mtime = (out / NB.name).stat().st_mtime_ns
    instructor.release(NB, out)
    assert (out / NB.name).read_bytes() == first and (out / NB.name).stat().st_mtime_ns == mtime
    # released twice = released once
    again = tmp_path / "again"
    instructor.release(out / NB.name, again)
    assert (again / NB.name).read_bytes() == first
    # an executed notebook (outputs, solutions) releases clean
    executed = tmp_path / "exec"
    executed.mkdir()
    shutil.copy(assigned["out"] / "instructor" / "s001.ipynb", executed / "s001.ipynb")
    instructor.release(executed, tmp_path / "clean")
    clean = nbformat.read(tmp_path / "clean" / "s001.ipynb", as_version=4)
    assert not any(c.get("outputs") or "solution" in _tags(c) for c in clean.cells)


def test_release_check_detects_stale_copies(tmp_path):
    out = tmp_path / "student"
    assert instructor.check_release(NB, out) == []  # nothing committed: nothing to check
    instructor.release(NB, out)
    assert instructor.check_release(NB, out) == []
    assert main(["release", str(NB), "--out", str(out), "--check"]) == 0
    nb = nbformat.read(out / NB.name, as_version=4)
    nb.cells[0].source += "\nedited by hand"
    nbformat.write(nb, out / NB.name)
    (out / "orphan.ipynb").write_text((out / NB.name).read_text())
    problems = instructor.check_release(NB, out)
    assert len(problems) == 2 and "out of date" in problems[0] and "no source" in problems[1]
    assert main(["release", str(NB), "--out", str(out), "--check"]) == 1


# -------------------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(
    "roster, extra, message",
    [
        ("student_id,fullname\ns1,A\n", [], "name"),
        ("student_id,name\ns1,A\ns2,B\ns1,C\n", [], "unique"),
        ("student_id,name,seeed\ns1,A,3\n", [], "seeed"),
        ("student_id,name,rfm_bins\ns1,A,1\n", [], "rfm_bins"),
        ("student_id,name\ns1,A\n", ["-p", "n_custmers", "300"], "n_custmers"),
        ("student_id,name\ns1,A\n", ["-p", "n_customers", "lots"], "n_customers"),
    ],
)
def test_bad_input_fails_before_any_work(tmp_path, capsys, roster, extra, message):
    r = _roster(tmp_path / "r.csv", roster)
    out = tmp_path / "out"
    with pytest.raises(CRMDataError, match=message):
        instructor.assign(
            NB,
            r,
            out,
            parameters=instructor.parse_assignments([extra[i + 1 : i + 3] for i in range(0, len(extra), 3)]),
            progress=False,
        )
    assert main(["assign", str(NB), "--roster", str(r), "--out", str(out), *extra]) == 2
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("crmlib: ") and message in printed[0]
    assert not out.exists()


def test_notebook_without_parameters_cell_is_refused(tmp_path, capsys):
    nb = nbformat.read(NB, as_version=4)
    for c in nb.cells:
        c.metadata.pop("tags", None)
    path = tmp_path / "01_identification.ipynb"
    nbformat.write(nb, path)
    r = _roster(tmp_path / "r.csv")
    with pytest.raises(CRMDataError, match="parameters"):
        instructor.assign(path, r, tmp_path / "out", progress=False)
    assert main(["assign", str(path), "--roster", str(r), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    other = tmp_path / "unknown_notebook.ipynb"
    shutil.copy(NB, other)
    with pytest.raises(CRMDataError, match="spec"):
        instructor.assign(other, r, tmp_path / "out", progress=False)
    with pytest.raises(CRMDataError, match="key"):
        instructor.grade(tmp_path, tmp_path / "no_key.csv", tmp_path / "g.csv", progress=False)


@pytest.mark.parametrize("folder", ["notebooks", "casework"])
def test_committed_student_copies_are_current(folder):
    """student/<folder> holds the released copies of <folder>; `make release` rewrites them."""
    out = ROOT / "student" / folder
    assert out.is_dir(), f"{out} is missing: run `make release`"
    problems = instructor.check_release(ROOT / folder, out)
    assert problems == [], "student copies out of date; run `make release`:\n" + "\n".join(problems)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_answer_key_saved_again_by_excel_reads_the_same(tmp_path, encoding):
    text = (
        "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n"
        's1,demo.best_relational,"""王永庆米店""",0,0,01_identification,"{""seed"": 3}"\n'
        's1,demo.top_share,0.625,0.005,0,01_identification,"{""seed"": 3}"\n'
    )
    path = tmp_path / "answer_key.csv"
    path.write_bytes(text.encode(encoding))
    assert instructor.read_key(path) == {
        "s1": {
            "notebook": "01_identification",
            "parameters": {"seed": 3},
            "questions": {
                "demo.best_relational": {
                    "expected": "王永庆米店",
                    "tol": 0.0,
                    "rel": 0.0,
                    "kind": "text",
                    "points": 1.0,
                },
                "demo.top_share": {"expected": 0.625, "tol": 0.005, "rel": 0.0, "kind": "number", "points": 1.0},
            },
        }
    }


# ------------------------------------------------------------------------- the key and grading of every kind
NEW_KEY = (
    "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters,kind,points,spec\n"
    's1,q.share,0.5,0.005,0,demo,"{""seed"": 3}",number,2,{}\n'
    's1,q.order,"[""w"", ""x"", ""y"", ""z""]",0,0,demo,"{""seed"": 3}",ranking,4,"{""credit"": ""positions""}"\n'
    's1,q.memo,null,0,0,demo,"{""seed"": 3}",memo,3,"{""rubric"": [[""names a segment"", ""指出客户群"", 3]]}"\n'
    's1,q.stage,"""interest""",0,0,demo,"{""seed"": 3}",text,1,"{""accept"": [""激发兴趣""]}"\n'
    's1,q.pick,"[""a"", ""c""]",0,0,demo,"{""seed"": 3}",multiple_choice,2,"{""credit"": ""balanced""}"\n'
)


def _key_and_seed_3_notebook(tmp_path: Path, key_text: str = NEW_KEY):
    """``answer_key.csv`` holding ``key_text``, an empty ``subs/`` folder for the submissions, and the
    tiny notebook set to seed 3 (student s1's assignment in NEW_KEY), not yet written."""
    key = tmp_path / "answer_key.csv"
    key.write_text(key_text, encoding="utf-8")
    subs = tmp_path / "subs"
    subs.mkdir()
    nb = instructor._tiny_notebook()
    nb.cells[1].source = "seed = 3"
    return key, subs, nb


def test_read_key_with_kinds_points_and_spec(tmp_path):
    path = tmp_path / "answer_key.csv"
    path.write_text(NEW_KEY, encoding="utf-8")
    q = instructor.read_key(path)["s1"]["questions"]
    assert q["q.share"] == {"expected": 0.5, "tol": 0.005, "rel": 0.0, "kind": "number", "points": 2.0}
    assert q["q.order"]["expected"] == ["w", "x", "y", "z"] and q["q.order"]["credit"] == "positions"
    assert q["q.memo"]["rubric"] == [["names a segment", "指出客户群", 3]] and q["q.memo"]["expected"] is None
    assert q["q.stage"]["accept"] == ["激发兴趣"]
    for bad, field in (("ranking,4,", "essay,4,"), ("number,2,", "number,-2,"), (",2,{}", ",2,[1]")):
        path.write_text(NEW_KEY.replace(bad, field, 1), encoding="utf-8")
        with pytest.raises(CRMDataError, match="unreadable row"):
            instructor.read_key(path)


def test_grade_scores_each_kind_and_leaves_memos_to_the_instructor(tmp_path, monkeypatch):
    demo_row = 's1,demo.top_share,0.625,0.005,0,demo,"{""seed"": 3}",number,1,{}\n'
    key, subs, nb = _key_and_seed_3_notebook(tmp_path, NEW_KEY + demo_row)
    nbformat.write(nb, subs / "s1.ipynb")  # no crmlib metadata: identified by its name
    record = {  # what the student's executed notebook recorded
        "q.share": {"answer": 0.502, "correct": True},
        "q.order": {"answer": ["w", "y", "x", "z"], "correct": False, "kind": "ranking"},
        "q.memo": {"answer": "Win back the at-risk customers first.", "correct": None, "kind": "memo"},
        "q.stage": {"answer": "激发兴趣", "correct": True},
        "q.pick": {"answer": ["a"], "correct": False},
    }

    record["demo.top_share"] = {"answer": 0.8, "correct": False}  # a worked demonstration: not graded

    def fake_runs(fn, tasks, workers, desc, progress):
        checks = {q: i for i, q in enumerate(record)}
        return [
            {
                "student_id": t["student_id"],
                "path": t["path"],
                "status": "ran",
                "record": record,
                "errors": [],
                "checks": checks,
                "fatal": None,
            }
            for t in tasks
        ]

    monkeypatch.setattr(instructor, "_run_tasks", fake_runs)
    table = instructor.grade(subs, key, tmp_path / "grades.csv", progress=False)
    assert list(table.columns) == instructor.GRADE_COLUMNS
    assert sorted(table["question"]) == ["q.memo", "q.order", "q.pick", "q.share", "q.stage"]  # no demo.top_share
    g = table.set_index("question")
    share = g.loc["q.share", ["status", "score", "credit", "points", "kind", "earned"]].tolist()
    assert share == ["graded", 1, 1.0, 2.0, "number", 2.0]
    assert g.loc["q.pick", "earned"] == 1.0 and g.loc["q.order", "earned"] == 2.0
    assert g.loc["q.order", ["status", "score", "credit"]].tolist() == ["graded", 0, 0.5]  # positions 1, 4 of 4
    assert g.loc["q.stage", "score"] == 1  # a category in Chinese
    assert g.loc["q.pick", ["score", "credit"]].tolist() == [0, 0.5]  # (1 right − 0 wrong) / 2
    memo = g.loc["q.memo"]
    assert memo["status"] == "by hand" and memo["score"] == 0 and pd.isna(memo["credit"])
    assert json.loads(memo["answer"]) == "Win back the at-risk customers first."
    assert memo["detail"] == "rubric: names a segment (3)"
    saved = pd.read_csv(tmp_path / "grades.csv", keep_default_na=False)
    assert saved.loc[saved["question"] == "q.memo", "status"].item() == "by hand"


def test_add_key_cells_wraps_check_with_the_key_entry():
    nb = instructor.add_key_cells(instructor._tiny_notebook())
    hook, collect = nb.cells[0], nb.cells[-1]
    assert "key_entry(ex_id, **data)" in hook.source and "lang=lang" in hook.source
    assert "collected_output" in collect.source
    with pytest.raises(CRMDataError, match="add_key_cells"):
        instructor.add_key_cells({"cells": []})


# ------------------------------------------------------------ per-question grading that survives errors
# A small real notebook: a parameters cell (seed, n, lang), a number computed from the data (registered
# in the notebook), chapter 0's quiz questions (a choice, a balanced multiple choice, a ranking with
# positional credit), a memo, and chapter 0's demonstration of a wrong answer (demo.top_share).
QUIZ_SPEC = {
    "seed": params.Param(int, lo=0),
    "n": params.Param(int, lo=1, hi=50),
    "lang": params.Param(str, choices=("en", "zh"), display=True),
}
QUIZ_ANSWERS = {  # answer variable -> the right answer (answer_1, the total, is the student's own)
    "answer_2": "b",
    "answer_3": ["a", "b"],
    "answer_4": ["answer", "check", "hint", "solution"],
    "answer_5": "Win back the lapsed customers first: call the ten who spent most.",
}
QUIZ_POINTS = {"tiny.total": 1.0, "ch0.rerun": 1.0, "ch0.language": 2.0, "ch0.steps": 2.0, "tiny.memo": 2.0}
QUIZ_AUTO = 6.0  # points graded automatically (the memo's 2 are graded by hand)


def _quiz_notebook() -> nbformat.NotebookNode:
    def code(src, tags=None):
        return nbformat.v4.new_code_cell(src, metadata={"tags": tags} if tags else {})

    cells = [
        nbformat.v4.new_markdown_cell("# A tiny quiz"),
        code('seed = 1\nn = 4\nlang = "en"', ["parameters"]),
        code(
            "import pandas as pd\n\nfrom crmlib import exercises\n\n"
            "values = [float((seed * (i + 3)) % 17) for i in range(n)]\n\n\n"
            '@exercises.exercise("tiny.total", hint=("add them up", "把它们加起来"), tol=0.01,\n'
            '                    partial={"tol": 1.0, "credit": 0.5})\n'
            "def _total(values):\n    return float(sum(values))\n\n\n"
            'exercises.memo("tiny.memo", rubric=[(("names a segment", "指出一个客户群"), 2)])'
        ),
        code(
            'demo_tx = pd.DataFrame({"customer_id": list("abcde"), "date": pd.to_datetime(["2024-01-05"] * 5),\n'
            '                        "amount": [50.0, 30.0, 10.0, 5.0, 5.0]})\n'
            'exercises.check("demo.top_share", 0.8, tx=demo_tx, fraction=0.2, strict=False)  # wrong on purpose'
        ),
        code("answer_1 = None  # your answer: the total of values"),
        code("answer_1 = sum(values)", ["solution"]),
        code('exercises.check("tiny.total", answer_1, values=values)'),
    ]
    for k, ex_id in ((2, "ch0.rerun"), (3, "ch0.language"), (4, "ch0.steps"), (5, "tiny.memo")):
        cells += [
            code(f"answer_{k} = None  # your answer"),
            code(f"answer_{k} = {QUIZ_ANSWERS[f'answer_{k}']!r}", ["solution"]),
            code(f'exercises.check("{ex_id}", answer_{k})'),
        ]
    cells.append(code('print("the end")'))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"quiz-{i:02d}"
    return nb


#: assigned (executed) students; s06, s07 and s08 are added to the key by hand (copies of s05's rows)
QUIZ_STUDENTS = ["s01", "s02", "s03", "s04", "s05", "s09"]
KEY_ONLY = ["s06", "s07", "s08"]


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    """The tiny quiz assigned to six students (real assign, two workers)."""
    tmp = tmp_path_factory.mktemp("quiz")
    nbformat.write(_quiz_notebook(), tmp / "tiny_quiz.ipynb")
    roster = _roster(tmp / "roster.csv", "student_id,name\n" + "".join(f"{s},Student {s}\n" for s in QUIZ_STUDENTS))
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(params.SPECS, "tiny_quiz", QUIZ_SPEC)
        res = instructor.assign(tmp / "tiny_quiz.ipynb", roster, tmp / "out", workers=2, progress=False)
        assert res["failed"] == {} and res["done"] == len(QUIZ_STUDENTS)
        yield {
            "tmp": tmp,
            "out": tmp / "out",
            "key": pd.read_csv(tmp / "out" / "answer_key.csv", dtype=str, keep_default_na=False),
        }


def _quiz_submission(quiz, sid: str, **answers) -> nbformat.NotebookNode:
    """Student ``sid``'s copy answered: every question right unless ``answers`` says otherwise."""
    nb = nbformat.read(quiz["out"] / "students" / f"{sid}.ipynb", as_version=4)
    right = {"answer_1": _key_answers(quiz["key"], sid)["tiny.total"], **QUIZ_ANSWERS}
    for var, value in {**right, **answers}.items():
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(f"{var} = None"))
        cell.source = value[1:] if isinstance(value, str) and value.startswith("=") else f"{var} = {value!r}"
    return nb


def _injected(nb) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if "injected-parameters" in _tags(c))


@pytest.fixture(scope="module")
def quiz_graded(quiz):
    """One grading run of a folder with a submission for each case (two workers)."""
    subs = quiz["tmp"] / "subs"
    subs.mkdir()
    late = _quiz_submission(quiz, "s01")
    late.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('a leftover cell')"))
    nbformat.write(late, subs / "s01.ipynb")
    nbformat.write(
        _quiz_submission(
            quiz,
            "s02",
            answer_1=_key_answers(quiz["key"], "s02")["tiny.total"] + 0.5,  # within the wider margin
            answer_3=["a"],
            answer_4=["answer", "hint", "check", "solution"],
            answer_5=None,
        ),
        subs / "s02.ipynb",
    )
    nbformat.write(_quiz_submission(quiz, "s03", answer_2="=answer_2 = undefined_name"), subs / "s03.ipynb")
    zh = _quiz_submission(quiz, "s04")
    _injected(zh).source = _injected(zh).source.replace('lang = "en"', 'lang = "zh"')
    nbformat.write(zh, subs / "s04.ipynb")
    changed = _quiz_submission(quiz, "s05")
    seed = _params(quiz["key"], "s05")["seed"]
    _injected(changed).source = _injected(changed).source.replace(f"seed = {seed}", "seed = 2024")
    nbformat.write(changed, subs / "s05.ipynb")
    whole = nbformat.writes(_quiz_submission(quiz, "s05"))
    (subs / "s06.ipynb").write_text(whole[: len(whole) // 3], encoding="utf-8")  # a truncated upload
    # s07 submits nothing; s08 submits twice
    for name, answers in (("s08", {}), ("s08_final", {"answer_2": "a"})):
        twice = _quiz_submission(quiz, "s05", **answers)
        twice.metadata["crmlib"]["student_id"] = "s08"
        nbformat.write(twice, subs / f"{name}.ipynb")
    untagged = _quiz_submission(quiz, "s09")
    for c in untagged.cells:
        c.metadata.pop("tags", None)
    nbformat.write(untagged, subs / "s09.ipynb")
    stranger = _quiz_submission(quiz, "s01")
    stranger.metadata["crmlib"]["student_id"] = "zz999"
    nbformat.write(stranger, subs / "zz999.ipynb")
    # the key edited by hand: s04's seed typed as text; s06, s07, s08 added (s05's rows)
    key = quiz["key"].copy()
    s05 = key[key["student_id"] == "s05"]
    key = pd.concat([key, *(s05.assign(student_id=sid) for sid in KEY_ONLY)], ignore_index=True)
    rows = key["student_id"] == "s04"
    key.loc[rows, "parameters"] = key.loc[rows, "parameters"].str.replace(r'"seed": (\d+)', r'"seed": "\1"', regex=True)
    assert '"seed": "' in key.loc[rows, "parameters"].iloc[0]
    key_path = quiz["tmp"] / "edited_key.csv"
    key.to_csv(key_path, index=False)
    out = quiz["tmp"] / "grades" / "grades.csv"
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(printed):
        mp.setitem(params.SPECS, "tiny_quiz", QUIZ_SPEC)
        argv = ["grade", str(subs), "--key", str(key_path), "--out", str(out), "--workers", "2", "--no-progress"]
        assert main(argv) == 0
    g = pd.read_csv(out, keep_default_na=False)
    for col in ("credit", "earned"):  # empty for a memo and the rows without a question
        g[col] = pd.to_numeric(g[col], errors="coerce")
    return {"grades": g, "out": out, "subs": subs, "printed": printed.getvalue().splitlines()}


def _student(g: pd.DataFrame, sid: str) -> pd.DataFrame:
    return g[(g["student_id"] == sid) & (g["question"] != "")].set_index("question")


def _earned(rows: pd.DataFrame) -> float:
    return float(rows["earned"].fillna(0).sum())


@pytest.mark.notebook
def test_quiz_key_has_points_and_no_demonstration(quiz):
    key = quiz["key"]
    assert sorted(key["question"].unique()) == sorted(QUIZ_POINTS)  # demo.top_share was checked, not keyed
    assert key.groupby("question")["points"].first().astype(float).to_dict() == QUIZ_POINTS
    spec = json.loads(key.loc[key["question"] == "tiny.total", "spec"].iloc[0])
    assert spec == {"partial": {"tol": 1.0, "rel": 0.0, "credit": 0.5}}
    seed = _params(key, "s01")["seed"]
    want = sum(float((seed * (i + 3)) % 17) for i in range(4))
    assert _key_answers(key, "s01")["tiny.total"] == pytest.approx(want)


@pytest.mark.notebook
def test_a_broken_cell_after_the_answers_keeps_every_point(quiz_graded):
    g = quiz_graded["grades"]
    s01 = _student(g, "s01")
    auto = s01[s01["kind"] != "memo"]
    assert set(auto["status"]) == {"graded"} and auto["score"].sum() == 4 and _earned(auto) == QUIZ_AUTO
    assert s01.loc["tiny.memo", "status"] == "by hand"
    extra = g[(g["student_id"] == "s01") & (g["question"] == "")]
    assert len(extra) == 1 and extra["status"].item() == "execution error"
    assert "a leftover cell" in extra["detail"].item() and "no graded question" in extra["detail"].item()
    printed = quiz_graded["printed"]
    assert "s01: 6 of 6 points + memos worth 2 to grade by hand (by hand, graded)" in printed
    assert "s02: 3.5 of 6 points + memos worth 2 to grade by hand (graded, no answer)" in printed
    assert any(line.startswith("s01: execution error: cell 18 (") for line in printed)  # after the graded cell
    assert printed[-1].endswith("grades_memos.csv (the memos to grade by hand, with their rubric)")


@pytest.mark.notebook
def test_partial_credit_of_a_multiple_choice_and_a_ranking(quiz_graded):
    s02 = _student(quiz_graded["grades"], "s02")
    # a number within the wider margin the exercise defines (1 instead of 0.01): half the point
    assert s02.loc["tiny.total", ["status", "score", "credit", "earned"]].tolist() == ["graded", 0, 0.5, 0.5]
    assert s02.loc["ch0.rerun", ["score", "earned"]].tolist() == [1, 1.0]
    # balanced: (1 right pick − 0 wrong) / 2 right options = 0.5 of 2 points
    assert s02.loc["ch0.language", ["score", "credit", "earned"]].tolist() == [0, 0.5, 1.0]
    # positions: answer and solution in place, hint and check swapped = 2 of 4 = 0.5 of 2 points
    assert s02.loc["ch0.steps", ["score", "credit", "earned"]].tolist() == [0, 0.5, 1.0]
    assert s02.loc["tiny.memo", "status"] == "no answer"
    assert _earned(s02) == 3.5


@pytest.mark.notebook
def test_a_failing_cell_is_reported_with_its_question(quiz_graded):
    s03 = _student(quiz_graded["grades"], "s03")
    assert s03.loc["ch0.rerun", "status"] == "execution error" and s03.loc["ch0.rerun", "score"] == 0
    detail = s03.loc["ch0.rerun", "detail"]
    assert "NameError" in detail and "undefined_name" in detail and "answer_2 = undefined_name" in detail
    others = s03.drop(index=["ch0.rerun", "tiny.memo"])
    assert set(others["status"]) == {"graded"} and _earned(others) == QUIZ_AUTO - 1


@pytest.mark.notebook
def test_switching_the_language_and_a_seed_typed_as_text_grade_normally(quiz_graded):
    g = quiz_graded["grades"]
    rows = _student(g, "s04")  # lang = "zh" in the notebook, "seed": "<number>" in the key
    assert set(rows["status"]) == {"graded", "by hand"}, rows["detail"].tolist()
    assert _earned(rows) == QUIZ_AUTO


@pytest.mark.notebook
def test_each_status_says_what_happened(quiz_graded):
    g = quiz_graded["grades"]
    s05 = _student(g, "s05")
    assert set(s05["status"]) == {"changed parameters"} and _earned(s05) == 0
    assert s05["detail"].str.contains("seed is 2024, assigned").all()
    s06 = _student(g, "s06")
    assert set(s06["status"]) == {"unreadable file"} and s06["detail"].str.contains("upload").all()
    assert set(_student(g, "s07")["status"]) == {"missing"}
    unknown = g[g["student_id"] == "zz999"]
    assert unknown["status"].tolist() == ["unknown student"] and unknown["question"].tolist() == [""]
    # the editor dropped every cell tag: graded as usual, and no message speaks of `assign`
    s09 = _student(g, "s09")
    assert set(s09["status"]) == {"graded", "by hand"} and _earned(s09) == QUIZ_AUTO
    assert not g["detail"].str.contains(r"\bassign\b").any()
    assert set(g["status"]) <= set(instructor.STATUSES)
    assert len(g[g["question"] != ""]) == (len(QUIZ_STUDENTS) + len(KEY_ONLY) + 1) * len(QUIZ_POINTS)  # s08 twice


@pytest.mark.notebook
def test_two_files_for_one_student_are_both_flagged(quiz_graded):
    g = quiz_graded["grades"]
    s08 = g[g["student_id"] == "s08"]
    assert set(s08["status"]) == {"duplicate"} and s08["score"].sum() == 0
    files = {Path(p).name for p in s08["submission"]}
    assert files == {"s08.ipynb", "s08_final.ipynb"}
    assert s08["detail"].str.contains("s08.ipynb, s08_final.ipynb").all()


@pytest.mark.notebook
def test_memos_are_exported_with_their_rubric(quiz_graded):
    path = instructor.memos_path(quiz_graded["out"])
    assert path == quiz_graded["out"].parent / "grades_memos.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel shows the Chinese rubric
    memos = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(memos.columns) == instructor.MEMO_COLUMNS
    # graded or with an execution error elsewhere: s01, s03, s04, s09 wrote the memo (s02 left it empty)
    assert sorted(memos["student_id"]) == ["s01", "s03", "s04", "s09"]
    row = memos[memos["student_id"] == "s01"].iloc[0]
    assert row["question"] == "tiny.memo" and row["answer"] == QUIZ_ANSWERS["answer_5"]
    assert row["rubric"] == "names a segment (2)" and row["points"] == 2.0 and row["score"] == ""


def test_a_key_with_nan_expected_is_refused(tmp_path):
    path = tmp_path / "answer_key.csv"
    path.write_text(NEW_KEY.replace("s1,q.share,0.5,", "s1,q.share,NaN,"), encoding="utf-8")
    with pytest.raises(CRMDataError, match="q.share") as err:
        instructor.read_key(path)
    assert str(path) in str(err.value) and "NaN" in str(err.value) and err.value.rows == [0]
    assert "line 2" in str(err.value) and err.value.func == "grade"
    path.write_text(NEW_KEY.replace('"[""a"", ""c""]"', '"[""a"", NaN]"'), encoding="utf-8")
    with pytest.raises(CRMDataError, match="q.pick") as err:
        instructor.read_key(path)
    assert err.value.rows == [4]


def test_a_key_edited_by_hand_reads_its_parameters_as_the_spec_types_them(tmp_path):
    path = tmp_path / "answer_key.csv"
    path.write_text(
        "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n"
        's1,q1,0.5,0,0,01_identification,"{""seed"": ""1"", ""n_customers"": "" 300"", ""lang"": ""zh""}"\n'
        's2,q1,0.5,0,0,01_identification,"{""seed"": ""many""}"\n',
        encoding="utf-8",
    )
    with pytest.raises(CRMDataError, match="seed") as err:
        instructor.read_key(path)
    assert err.value.rows == [1]
    path.write_text("\n".join(path.read_text().splitlines()[:2]) + "\n", encoding="utf-8")
    assert instructor.read_key(path)["s1"]["parameters"] == {"seed": 1, "n_customers": 300, "lang": "zh"}


def test_failing_cells_are_mapped_to_the_question_they_belong_to():
    """_cell_errors on an executed notebook built by hand (no kernel)."""

    def cell(src, error=None, record=None):
        c = nbformat.v4.new_code_cell(src)
        if error:
            c.outputs.append(nbformat.v4.new_output("error", ename=error[0], evalue=error[1], traceback=[]))
        if record:
            c.outputs.append(nbformat.v4.new_output("display_data", data={exercises.RECORD_MIME: {"record": record}}))
        return c

    run = nbformat.v4.new_notebook()
    run.cells = [
        cell("# hook"),
        cell("x = 1"),
        cell("answer_1 = 1 / 0", ("ZeroDivisionError", "division by zero")),
        cell('exercises.check("q.one", answer_1)', ("NameError", "name 'answer_1' is not defined")),
        cell("answer_2 = 2"),
        cell('exercises.check("q.two", answer_2)', record={"q.two": {"answer": 2, "correct": True}}),
        cell("while True: pass", ("KeyboardInterrupt", "")),
        cell("# collect"),
    ]
    record, errors, checks = instructor._cell_errors(run, [None, 2, 3, 4, 5, 6, 7, None], timeout=30)
    assert record == {"q.two": {"answer": 2, "correct": True}} and checks == {"q.one": 4, "q.two": 6}
    assert [(e["cell"], e["questions"]) for e in errors] == [(3, ["q.one"]), (4, ["q.one"]), (7, [])]
    assert errors[0]["text"] == "cell 3 ('answer_1 = 1 / 0') raised ZeroDivisionError: division by zero"
    assert errors[2]["text"] == "cell 7 ('while True: pass') did not finish within 30 s and was stopped"
    res = {"record": record, "errors": errors, "checks": checks, "fatal": None}
    one = instructor._question_row("q.one", {"expected": 1, "tol": 0, "rel": 0, "kind": "number", "points": 1.0}, res)
    assert one["status"] == "execution error" and "cell 3" in one["detail"] and "cell 4" in one["detail"]
    two = instructor._question_row("q.two", {"expected": 2, "tol": 0, "rel": 0, "kind": "number", "points": 2.0}, res)
    assert (two["status"], two["score"], two["credit"]) == ("graded", 1, 1.0)
    gone = instructor._question_row("q.three", {"expected": 3, "tol": 0, "rel": 0, "kind": "number"}, res)
    assert gone["status"] == "no answer" and "no self-check" in gone["detail"]
    dead = {**res, "fatal": "DeadKernelError: Kernel died", "errors": [], "checks": {"q.one": 4}, "record": {}}
    died = instructor._question_row("q.one", {"expected": 1, "kind": "number"}, dead)
    assert died == {
        "status": "execution error",
        "detail": "its self-check did not run (the run stopped: DeadKernelError: Kernel died)",
    }


def test_memo_points_typed_by_hand_survive_grading_again(tmp_path, monkeypatch):
    key, subs, nb = _key_and_seed_3_notebook(tmp_path)
    nbformat.write(nb, subs / "s1.ipynb")
    record = {"q.memo": {"answer": "Call the lapsed customers.", "correct": None, "kind": "memo"}}

    def fake_runs(fn, tasks, workers, desc, progress):
        res = {"status": "ran", "record": record, "errors": [], "checks": {"q.memo": 3}, "fatal": None}
        return [{"student_id": t["student_id"], "path": t["path"], **res} for t in tasks]

    monkeypatch.setattr(instructor, "_run_tasks", fake_runs)
    out = tmp_path / "grades.csv"
    instructor.grade(subs, key, out, progress=False)
    memos = instructor.memos_path(out)
    table = pd.read_csv(memos, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert table[["student_id", "question", "answer", "rubric", "points", "score"]].values.tolist() == [
        ["s1", "q.memo", "Call the lapsed customers.", "names a segment (3)", "3.0", ""]
    ]
    table["score"] = "2.5"  # the instructor's points
    table.to_csv(memos, index=False, encoding="utf-8-sig")
    instructor.grade(subs, key, out, progress=False)
    assert pd.read_csv(memos, encoding="utf-8-sig")["score"].tolist() == [2.5]
    record["q.memo"]["answer"] = "Call the lapsed customers, the biggest first."  # a new text: to grade again
    instructor.grade(subs, key, out, progress=False)
    assert pd.read_csv(memos, encoding="utf-8-sig", keep_default_na=False)["score"].tolist() == [""]


@pytest.mark.notebook
def test_chapter_0_demonstration_is_neither_keyed_nor_graded(tmp_path):
    """Chapter 0 checks demo.top_share twice, the second time wrong on purpose: its quiz alone counts."""
    ch0 = ROOT / "notebooks" / "00_start_here.ipynb"
    roster = _roster(tmp_path / "roster.csv", "student_id,name\ns1,Ann\n")
    res = instructor.assign(ch0, roster, tmp_path / "out", progress=False)
    assert res["failed"] == {}
    key = pd.read_csv(tmp_path / "out" / "answer_key.csv", dtype=str, keep_default_na=False)
    assert sorted(key["question"]) == ["ch0.error", "ch0.language", "ch0.rerun", "ch0.steps"]
    nb = nbformat.read(tmp_path / "out" / "students" / "s1.ipynb", as_version=4)
    assert any('check("demo.top_share", 0.8' in c.source for c in nb.cells)  # still in the student's copy
    right = {"answer_1": "b", "answer_2": ["a", "b"], "answer_3": ["answer", "check", "hint", "solution"]}
    for var, value in {**right, "answer_4": "b"}.items():
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(f"{var} = None"))
        cell.source = f"{var} = {value!r}"
    subs = tmp_path / "subs"
    nbformat.write(nb, subs.mkdir() or subs / "s1.ipynb")
    table = instructor.grade(subs, tmp_path / "out" / "answer_key.csv", tmp_path / "grades.csv", progress=False)
    assert sorted(table["question"]) == ["ch0.error", "ch0.language", "ch0.rerun", "ch0.steps"]
    assert set(table["status"]) == {"graded"} and table["earned"].sum() == 6.0


def test_parameters_found_without_tags_and_a_notebook_without_them(tmp_path, monkeypatch):
    """No kernel: the checks before execution. An editor dropped every tag and the cell ids: the
    parameters are read from the cell that sets them; a notebook where no cell sets them is not graded,
    with a message about grading (never `assign`)."""
    key, subs, nb = _key_and_seed_3_notebook(tmp_path)
    for i, c in enumerate(nb.cells):
        c.metadata.pop("tags", None)
        c["id"] = f"edited-{i}"
    nbformat.write(nb, subs / "s1.ipynb")
    ran = []

    def fake_runs(fn, tasks, workers, desc, progress):
        ran.extend(t["student_id"] for t in tasks)
        res = {"status": "ran", "record": {}, "errors": [], "checks": {}, "fatal": None}
        return [{"student_id": t["student_id"], "path": t["path"], **res} for t in tasks]

    monkeypatch.setattr(instructor, "_run_tasks", fake_runs)
    table = instructor.grade(subs, key, tmp_path / "g.csv", progress=False)
    assert ran == ["s1"] and set(table["status"]) == {"no answer"}
    assert table["detail"].str.contains("cell tags were removed").all()
    run, positions = instructor._graded_run(nbformat.read(subs / "s1.ipynb", as_version=4), {"seed": 3}, "s1.ipynb")
    assert [c.source for c in run.cells][2] == "seed = 3" and positions == [None, 1, 2, 3, 4, None]
    nb.cells[1].source = "seed = 1 + 2"  # no cell sets the parameters with plain values
    nbformat.write(nb, subs / "s1.ipynb")
    ran.clear()
    table = instructor.grade(subs, key, tmp_path / "g.csv", progress=False)
    assert ran == [] and set(table["status"]) == {"changed parameters"}
    assert table["detail"].str.contains("no cell sets the assigned parameters").all()
    assert not table["detail"].str.contains(r"\bassign\b").any()


# ------------------------------------------------------------------------- batches an instructor can trust
# A tiny notebook with one self-check (the total of n values drawn from the seed), a widget (a slider
# whose model id the kernel draws at random) and a pause (seconds, for the Ctrl-C and timeout tests).
BATCH_SPEC = {
    "seed": params.Param(int, lo=0),
    "n": params.Param(int, lo=1, hi=50),
    "pause": params.Param(float, lo=0, hi=120),
}


def _batch_notebook(title: str = "# A tiny batch") -> nbformat.NotebookNode:
    def code(src, tags=None):
        return nbformat.v4.new_code_cell(src, metadata={"tags": tags} if tags else {})

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(title),
        code("seed = 1\nn = 3\npause = 0.0", ["parameters"]),
        code(
            "import time\n\nimport ipywidgets\n\nfrom crmlib import exercises\n\n"
            "values = [float((seed * (i + 3)) % 17) for i in range(n)]\ntime.sleep(pause)\n\n\n"
            '@exercises.exercise("batch.total", hint=("add them up", "把它们加起来"), tol=0.01)\n'
            "def _total(values):\n    return float(sum(values))"
        ),
        code("ipywidgets.IntSlider(value=seed % 7, description='seed mod 7')"),
        code("answer_1 = None  # your answer: the total of values"),
        code("answer_1 = sum(values)", ["solution"]),
        code('exercises.check("batch.total", answer_1, values=values)'),
    ]
    for i, c in enumerate(nb.cells):
        c["id"] = f"batch-{i}"
    return nb


def _batch_total(seed: int, n: int) -> float:
    return float(sum((seed * (i + 3)) % 17 for i in range(n)))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The tiny batch notebook assigned twice to s1, s2 (two workers, then one) into two folders."""
    tmp = tmp_path_factory.mktemp("batch")
    nb_path = tmp / "tiny_batch.ipynb"
    nbformat.write(_batch_notebook(), nb_path)
    roster = _roster(tmp / "roster.csv", "student_id,name\ns1,Ann\ns2,Bo\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(params.SPECS, "tiny_batch", BATCH_SPEC)
        runs = [instructor.assign(nb_path, roster, tmp / "out2", workers=2, progress=False)]
        # the run compared with the first in ordinary kernels: another string-hash seed than the
        # warm kernels of the first (tests/_executions.py, WarmKernels)
        mp.setenv("CRMLIB_COLD_KERNEL", "1")
        runs.append(instructor.assign(nb_path, roster, tmp / "out1", workers=1, progress=False))
    assert [(r["done"], r["failed"], r["redone"]) for r in runs] == [(2, {}, {})] * 2
    return {"tmp": tmp, "nb": nb_path, "roster": roster}


@pytest.mark.notebook
def test_identical_inputs_give_byte_identical_files(batch):
    one, two = _files(batch["tmp"] / "out2"), _files(batch["tmp"] / "out1")
    assert sorted(one) == [
        "answer_key.csv",
        "instructor/s1.ipynb",
        "instructor/s2.ipynb",
        "records/s1.json",
        "records/s2.json",
        "students/s1.ipynb",
        "students/s2.ipynb",
    ]
    assert [name for name in one if one[name] != two[name]] == []
    teacher = nbformat.read(batch["tmp"] / "out2" / "instructor" / "s1.ipynb", as_version=4)
    views = [o.get("data", {}).get(instructor._WIDGET_VIEW) for c in teacher.cells for o in c.get("outputs", [])]
    views = [v["model_id"] for v in views if v]
    state = teacher.metadata["widgets"][instructor._WIDGET_STATE]["state"]
    assert len(views) == 1 and views[0] in state  # the slider is saved, under a stable id
    assert state[views[0]]["state"]["value"] == instructor.student_seed("tiny_batch", "s1") % 7


def test_widget_ids_are_renumbered_consistently():
    """_stable_widget_ids on two executed notebooks built by hand that differ only in the random ids."""

    def executed(ids):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("slider")
        cell["id"] = "slider"
        view = {instructor._WIDGET_VIEW: {"model_id": ids[0], "version_major": 2, "version_minor": 0}}
        cell.outputs = [nbformat.v4.new_output("display_data", data={**view, "text/plain": "IntSlider(value=3)"})]
        nb.cells = [cell]
        state = {  # a slider referring to its layout and style, and an unshown model, saved in another order
            ids[2]: {"model_name": "LayoutModel", "state": {}},
            ids[3]: {"model_name": "ColorPicker", "state": {"value": "red"}},
            ids[0]: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{ids[2]}", "value": 3}},
            ids[1]: {"model_name": "SliderStyleModel", "state": {}},
        }
        state[ids[0]]["state"]["style"] = f"IPY_MODEL_{ids[1]}"
        nb.metadata["widgets"] = {instructor._WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
        return nb

    a, b = executed(["a" * 32, "b" * 32, "c" * 32, "d" * 32]), executed(["9" * 32, "8" * 32, "7" * 32, "6" * 32])
    for nb in (a, b):
        instructor._stable_widget_ids(nb)
    assert nbformat.writes(a) == nbformat.writes(b)
    new = [hashlib.sha256(f"crmlib-widget\x1f{i}".encode()).hexdigest()[:32] for i in range(4)]
    state = a.metadata["widgets"][instructor._WIDGET_STATE]["state"]
    assert a.cells[0].outputs[0]["data"][instructor._WIDGET_VIEW]["model_id"] == new[0]  # shown first
    assert state[new[0]]["state"] == {"layout": f"IPY_MODEL_{new[1]}", "style": f"IPY_MODEL_{new[2]}", "value": 3}
    assert state[new[3]]["model_name"] == "ColorPicker"  # referred to by nothing: last
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    instructor._stable_widget_ids(plain)  # no widgets: unchanged
    assert "widgets" not in plain.metadata


@pytest.mark.notebook
def test_an_edited_source_or_changed_parameters_redo_those_students(batch, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(batch["tmp"] / "out1", out)
    nb_path, roster = tmp_path / "tiny_batch.ipynb", batch["roster"]
    shutil.copy(batch["nb"], nb_path)
    before = _files(out)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(params.SPECS, "tiny_batch", BATCH_SPEC)
        res = instructor.assign(nb_path, roster, out, progress=False)
        assert (res["done"], res["skipped"], res["redone"]) == (0, 2, {}) and _files(out) == before
        nbformat.write(_batch_notebook("# A tiny batch, week 2"), nb_path)  # the instructor edits the text
        argv = ["assign", str(nb_path), "--roster", str(roster), "--out", str(out), "--no-progress"]
        assert main(argv) == 0
        printed = capsys.readouterr().out.splitlines()
        assert printed[0].startswith("tiny_batch: 2 executed, 0 skipped")
        assert printed[1:] == ["redone (the source notebook changed since its files were made): s1, s2"]
        for sid in ("s1", "s2"):
            copy = nbformat.read(out / "students" / f"{sid}.ipynb", as_version=4)
            assert copy.cells[0].source == "# A tiny batch, week 2"
        assert (out / "answer_key.csv").read_bytes() == before["answer_key.csv"]  # same answers
        # one student gets more values: only that student is redone, and the key follows
        _roster(tmp_path / "r2.csv", "student_id,name,n\ns1,Ann,\ns2,Bo,5\n")
        res = instructor.assign(nb_path, tmp_path / "r2.csv", out, progress=False)
        assert (res["done"], res["skipped"], res["redone"]) == (1, 1, {"s2": "parameters changed: n 3 → 5"})
    key = pd.read_csv(out / "answer_key.csv", dtype=str, keep_default_na=False)
    assert key["student_id"].tolist() == ["s1", "s2"]  # roster order
    seeds = {s: instructor.student_seed("tiny_batch", s) for s in ("s1", "s2")}
    assert json.loads(key["expected"][1]) == _batch_total(seeds["s2"], 5)
    assert json.loads(key["expected"][0]) == _batch_total(seeds["s1"], 3)


def _fake_assign_one(stop_at: str | None = None, half_written: bool = False):
    """A stand-in for the worker (no kernel): writes a student's three files and the record the real
    one writes, the answer being the batch total; Ctrl-C (KeyboardInterrupt) at student ``stop_at``,
    after writing that student's instructor copy when ``half_written``."""

    def fake(task):
        sid, out = task["student_id"], Path(task["out"])
        if sid == stop_at:
            if half_written:
                instructor._write_text("{}", out / "instructor" / f"{sid}.ipynb")
                (out / "students" / f"{sid}.ipynb.tmp").write_text("{")  # a write cut short
            raise KeyboardInterrupt
        for sub in ("instructor", "students"):
            instructor._write_text("{}", out / sub / f"{sid}.ipynb")
        p = task["parameters"]
        entry = {"expected": _batch_total(p["seed"], p["n"]), "tol": 0.01, "rel": 0.0, "kind": "number", "points": 1}
        record = {
            "student_id": sid,
            "notebook": task["stem"],
            "source": instructor._digest(Path(task["notebook"]).read_bytes()),
            "parameters": p,
            "key": {"batch.total": entry},
        }
        instructor._write_text(json.dumps(record), out / "records" / f"{sid}.json")
        return {"student_id": sid, "ok": True}

    return fake


def test_ctrl_c_stops_with_one_line_and_the_key_of_the_finished(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(params.SPECS, "tiny_batch", BATCH_SPEC)
    nb_path = tmp_path / "tiny_batch.ipynb"
    nbformat.write(_batch_notebook(), nb_path)
    roster = _roster(tmp_path / "r.csv", "student_id,name\ns1,Ann\ns2,Bo\ns3,Cai\n")
    out = tmp_path / "out"
    keys = []
    real_write = instructor._write_text

    def watch(text, path):  # the key as it grows
        real_write(text, path)
        if path.name == "answer_key.csv":
            keys.append(pd.read_csv(path, dtype=str)["student_id"].tolist())

    monkeypatch.setattr(instructor, "_write_text", watch)
    monkeypatch.setattr(instructor, "_assign_one", _fake_assign_one(stop_at="s3", half_written=True))
    argv = ["assign", str(nb_path), "--roster", str(roster), "--out", str(out), "--no-progress", "--force"]
    assert main(argv) == 130
    printed = capsys.readouterr()
    resume = "crmlib assign " + " ".join(a for a in argv[1:] if a != "--force")
    assert printed.out.splitlines() == [
        f"crmlib: interrupted: 2 of 3 students done (in {(out / 'answer_key.csv').as_posix()}); resume with: {resume}"
    ]
    assert "Traceback" not in printed.err
    assert keys == [[], ["s1"], ["s1", "s2"]]  # written after each finished student
    assert not list(out.rglob("*.tmp"))  # nothing half-written is left
    assert not (out / "records" / "s3.json").exists()
    # resuming: s1 and s2 are kept, s3 (its instructor copy alone was written) is redone
    monkeypatch.setattr(instructor, "_assign_one", _fake_assign_one())
    res = instructor.assign(nb_path, roster, out, progress=False)
    assert (res["done"], res["skipped"]) == (1, 2)
    assert res["redone"] == {"s3": "its files were incomplete (an interrupted run?)"}
    key = pd.read_csv(out / "answer_key.csv")
    seeds = [instructor.student_seed("tiny_batch", s) for s in ("s1", "s2", "s3")]
    assert key["expected"].tolist() == [_batch_total(s, 3) for s in seeds]
    res = instructor.assign(nb_path, roster, out, progress=False, force=True)
    assert res["done"] == 3 and res["redone"] == {s: "--force" for s in ("s1", "s2", "s3")}
    old = json.loads((out / "records" / "s2.json").read_text())  # as crmlib wrote it before it noted the source
    del old["source"]
    (out / "records" / "s2.json").write_text(json.dumps(old))
    res = instructor.assign(nb_path, roster, out, progress=False)
    assert res["redone"] == {"s2": "its files were made by an older crmlib, which did not note their source notebook"}


@pytest.mark.notebook
def test_ctrl_c_in_worker_processes_stops_cleanly(batch, tmp_path):
    """A real Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a batch with two
    workers: s1 is finished, s2 and s3 are stopped in the middle of their 60 s pause."""
    import os
    import signal
    import subprocess
    import sys
    import time

    roster = _roster(tmp_path / "r.csv", "student_id,name,pause\ns1,Ann,0\ns2,Bo,60\ns3,Cai,60\n")
    out = tmp_path / "out"
    argv = ["assign", str(batch["nb"]), "--roster", str(roster), "--out", str(out), "--workers", "2", "--no-progress"]
    script = (
        "import sys\nfrom crmlib import params\nfrom crmlib.cli import main\n"
        "P = params.Param\n"
        "params.SPECS['tiny_batch'] = {'seed': P(int, lo=0), 'n': P(int, lo=1), 'pause': P(float, lo=0)}\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env["CRMLIB_COLD_KERNEL"] = "1"  # ordinary kernels, in the process group that the Ctrl-C reaches
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not (out / "records" / "s1.json").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    time.sleep(1.0)  # s3 has started in the freed worker
    os.killpg(proc.pid, signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # never leave it running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, (stdout, stderr)
    key = out / "answer_key.csv"
    assert stdout.splitlines() == [
        f"crmlib: interrupted: 1 of 3 students done (in {key.as_posix()}); resume with: crmlib {' '.join(argv)}"
    ]
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert pd.read_csv(key)["student_id"].tolist() == ["s1"]
    assert sorted(p.name for p in (out / "records").iterdir()) == ["s1.json"]
    assert not list(out.rglob("*.tmp"))


@pytest.mark.notebook
def test_timeout_stops_a_slow_student_and_a_slow_cell(batch, tmp_path, capsys):
    roster = _roster(tmp_path / "r.csv", "student_id,name,pause\ns1,Ann,30\n")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(params.SPECS, "tiny_batch", BATCH_SPEC)
        argv = ["assign", str(batch["nb"]), "--roster", str(roster), "--out", str(out), "--no-progress"]
        assert main([*argv, "--timeout", "2"]) == 1
        printed = capsys.readouterr().out.splitlines()
        assert printed[-1].startswith("FAILED s1: ") and "2 seconds" in printed[-1], printed
        # grading: the slow cell is stopped after 2 s, the answer before it still counts
        sub = nbformat.read(batch["tmp"] / "out1" / "students" / "s1.ipynb", as_version=4)
        seed = instructor.student_seed("tiny_batch", "s1")
        answer = next(c for c in sub.cells if c.source.startswith("answer_1 = None"))
        answer.source = f"answer_1 = {_batch_total(seed, 3)}"
        sub.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
        (tmp_path / "subs").mkdir()
        nbformat.write(sub, tmp_path / "subs" / "s1.ipynb")
        key = batch["tmp"] / "out1" / "answer_key.csv"
        grades = tmp_path / "g.csv"
        argv = ["grade", str(tmp_path / "subs"), "--key", str(key), "--out", str(grades), "--no-progress"]
        assert main([*argv, "--timeout", "2"]) == 0
    g = pd.read_csv(grades, keep_default_na=False)
    g = g[g["student_id"] == "s1"]
    assert g.loc[g["question"] == "batch.total", ["status", "score"]].values.tolist() == [["graded", 1]]
    assert "did not finish within 2 s" in g.loc[g["question"] == "", "detail"].item()


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_bad_timeouts_are_refused_with_one_line(tmp_path, capsys, value):
    roster = _roster(tmp_path / "r.csv", "student_id,name\ns1,Ann\n")
    assert main(["assign", str(NB), "--roster", str(roster), "--out", str(tmp_path / "o"), "--timeout", value]) == 2
    key = tmp_path / "k.csv"
    key.write_text("student_id,question,expected,tolerance,rel_tolerance,notebook,parameters\n")
    assert main(["grade", str(tmp_path), "--key", str(key), "--out", str(tmp_path / "g.csv"), "--timeout", value]) == 2
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"crmlib: {cmd}: field 'timeout' must be a whole number of seconds >= 1, got {value!r}"
        for cmd in ("assign", "grade")
    ]
    assert not (tmp_path / "o").exists()
    with pytest.raises(CRMDataError, match="timeout"):
        instructor.assign(NB, roster, tmp_path / "o", timeout=2.5)
    assert instructor._timeout(" 90 ", "grade") == 90


# ------------------------------------------------------------------------- parameters papermill can read
def _parameterised_notebooks() -> list[Path]:
    folders = ("notebooks", "casework", "notebooks/zh", "casework/zh")
    return sorted(p for d in folders for p in (ROOT / d).glob("*.ipynb"))


@pytest.mark.parametrize("path", _parameterised_notebooks(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_papermill_reads_every_parameter_without_a_warning(path, caplog):
    """papermill parses the ``parameters`` cell itself (to warn of unknown parameters): a comment with
    a second ``=`` made it skip the line and warn for every student ("Unable to parse line 3 …")."""
    from papermill.translators import PythonTranslator

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in _tags(c))
    with caplog.at_level("WARNING", logger="papermill"):
        names = [p.name for p in PythonTranslator.inspect(cell)]
    assert [r.getMessage() for r in caplog.records] == []
    assert names == list(instructor.parameter_cell_values(nb, path.name))


@pytest.mark.notebook
def test_assigning_the_rice_shop_warns_of_nothing(tmp_path, caplog):
    rice = ROOT / "casework" / "04_rice_shop.ipynb"
    roster = _roster(tmp_path / "r.csv", "student_id,name\ns1,Ann\n")
    with caplog.at_level("WARNING"):
        res = instructor.assign(rice, roster, tmp_path / "out", parameters={"n_households": "40"}, progress=False)
    assert res["failed"] == {} and res["done"] == 1
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []


# ------------------------------------------------------------------------- what a student copy says
@pytest.mark.parametrize("path", _parameterised_notebooks(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_student_copy_never_promises_model_solutions(path):
    """The words about the collapsed solution cells are marked in the source (English and the text of
    its Chinese edition); release puts the sentence that the copy has none in their place."""
    nb = nbformat.read(path, as_version=4)
    lang = nb.metadata.get("crmlib_edition", {}).get("lang", "en")
    prose = "\n".join(c.source for c in instructor.student_copy(nb).cells if c.cell_type == "markdown")
    assert "solution-note" not in prose
    assert not re.search(r"collapsed[^.]*`solution`|`solution`[^.]*collapsed|折叠[^。]*solution", prose, re.I)
    marked = sum(c.source.count("<!-- solution-note -->") for c in nb.cells if c.cell_type == "markdown")
    assert prose.count(i18n.text("release_no_solutions", lang)) == marked
    if path.parent.name in ("notebooks", "zh") and path.stem <= "05":  # the chapters with exercises
        assert marked >= 1 and ("不含参考答案" in prose) == (lang == "zh")


def test_release_check_passes_on_the_readme_layout(tmp_path, monkeypatch, capsys):
    """The README's instructor guide releases the chapters and a case into one folder; checking with
    either source says the copies are current, and a copy gone stale is still caught."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\s*\.venv/bin/crmlib release (\S+) --out handout/ *(?:#.*)?$", readme, re.M)
    assert commands == ["notebooks", "casework/04_rice_shop.ipynb"]
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the workbook's folder
    handout = tmp_path / "handout"
    for src in commands:
        assert main(["release", src, "--out", str(handout)]) == 0
    assert "crmlib release notebooks --out handout/ --check" in readme  # the check the README shows
    capsys.readouterr()
    for src in commands:
        assert main(["release", src, "--out", str(handout), "--check"]) == 0
    assert capsys.readouterr().out.splitlines() == ["student copies are current"] * 2
    manifest = json.loads((handout / instructor.RELEASE_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["04_rice_shop.ipynb"] == Path(os.path.relpath(ROOT / commands[1], handout)).as_posix()
    rice = handout / "04_rice_shop.ipynb"
    rice.write_text(rice.read_text(encoding="utf-8").replace("rice", "wheat"), encoding="utf-8")
    assert instructor.check_release("notebooks", handout) == [f"{rice}: out of date with {ROOT / commands[1]}"]
    # a source deleted after its release: its copy has no source any more
    own = tmp_path / "mine"
    own.mkdir()
    nbformat.write(instructor._tiny_notebook(), own / "quiz.ipynb")
    instructor.release(own / "quiz.ipynb", handout)
    (own / "quiz.ipynb").unlink()
    problems = instructor.check_release("casework/04_rice_shop.ipynb", handout)
    gone = f"{handout / 'quiz.ipynb'}: has no source notebook (released from ../mine/quiz.ipynb, which is gone)"
    assert gone in problems


# ------------------------------------------------------------------------- the students' wheel
def _make_recipe(target: str) -> list[str]:
    """The command lines of a Makefile target's recipe (``$(BIN)/python`` stands for this Python)."""
    import sys

    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().lstrip("@").replace("$(BIN)/python", sys.executable))
    return recipe


@pytest.mark.slow
def test_make_wheel_holds_the_datasets_and_installs_in_a_fresh_venv(tmp_path):
    """`make wheel`'s recipe, run on a copy of the sources: the wheel carries every bundled dataset, and
    a throw-away venv that installs it (the dependencies borrowed from this one, no index) imports
    crmlib from the wheel and loads a dataset."""
    import subprocess
    import sys
    import sysconfig
    import zipfile

    src = tmp_path / "src"
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name if src.exists() else (src.mkdir() or src / name))
    for folder in ("crmlib", "datasets"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for command in _make_recipe("wheel"):
        done = subprocess.run(command, shell=True, cwd=src, capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    (wheel,) = (src / "dist").glob("crmlib-*-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.name.endswith((".csv", ".csv.gz")))
    assert len(bundled) >= 10 and {f"crmlib/_data/{n}" for n in bundled} <= names
    assert "crmlib/_data/README.md" in names and "crmlib/instructor.py" in names
    venv = tmp_path / "venv"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # this checkout's crmlib is not installed
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        env=clean,
    )
    probe = (
        "import crmlib\nfrom crmlib import datasets\n"
        "print(crmlib.__file__)\nprint(len(datasets.load_dataset('prospects')))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": sysconfig.get_paths()["purelib"], "MPLBACKEND": "Agg"}
    done = subprocess.run([str(python), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    where, rows = done.stdout.split()
    assert Path(where).is_relative_to(venv)  # the wheel's crmlib, not this checkout's
    assert int(rows) == len(pd.read_csv(ROOT / "datasets" / "prospects.csv"))


def test_ctrl_c_while_grading_says_what_to_run_again(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(instructor, "grade", interrupted)
    argv = ["grade", "subs", "--key", "k.csv", "--out", str(tmp_path / "g.csv"), "--timeout", "60"]
    assert main(argv) == 130
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [
        f"crmlib: interrupted ({tmp_path / 'g.csv'} not written); run again with: crmlib {' '.join(argv)}"
    ]
    assert printed.err == ""


@pytest.mark.notebook
def test_an_executed_copy_has_one_output_per_stream_however_the_kernel_flushed(tmp_path):
    """The kernel sends printed text when it flushes (every 0.2 s or on flush()): the same prints came
    back as one stream output or two by timing alone, so a redone instructor copy differed from the
    first on a busy machine. Consecutive outputs of one stream are merged (nbconvert's preprocessor)."""
    code = "import sys, time\nprint('a', end='')\nsys.stdout.flush()\ntime.sleep(0.5)\nprint('b')\nprint('c')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code), nbformat.v4.new_markdown_cell("x")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out, data = instructor._execute(nb, {}, tmp_path, True, False, 60)
    assert [(o.output_type, o.name, o.text) for o in out.cells[0].outputs] == [("stream", "stdout", "ab\nc\n")]
    assert data == {"record": {}, "key": {}}
