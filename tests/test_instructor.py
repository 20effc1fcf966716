"""End-to-end tests of the instructor tools (crmlib release | assign | grade) on chapter 1.

The notebook is executed with small parameters (300 customers, 60 prospects): one assign run of
three students with two workers, one resumed run, and two grading runs, all in tmp_path. The tests
that read those runs carry the ``notebook`` marker (``make test-fast`` leaves them out).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlib import exercises, instructor
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
    res = instructor.assign(NB, roster, work, parameters={"n_customers": "300", "n_prospects": "60"}, progress=False)
    assert (res["done"], res["skipped"], res["failed"]) == (1, 2, {})
    assert (work / "answer_key.csv").read_bytes() == before  # same roster -> identical output
    assert (work / "students" / "s002.ipynb").read_bytes() == student_before


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
    nbformat.write(_submission(assigned, "s001", {**_key_answers(key, "s001"), **MEMO}), subs / "s001.ipynb")
    wrong = {**_key_answers(key, "s002"), **MEMO, "ch1.handling_losses": -1, "ch1.drop_losers": "a"}
    del wrong["ch1.need_essence"]  # left unanswered
    nbformat.write(_submission(assigned, "s002", wrong), subs / "s002.ipynb")
    broken = _submission(assigned, "s003", {})
    broken.cells[3].source += "\nraise RuntimeError('student broke this cell')"
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
    assert len(g) == 3 * N_QUESTIONS and list(g.columns) == instructor.GRADE_COLUMNS
    s1, s2, s3 = (g[g["student_id"] == s].set_index("question") for s in ("s001", "s002", "s003"))
    assert s1["score"].sum() == N_AUTO and set(s1["status"]) == {"graded", "by hand"}
    memo = s1.loc["ch1.recommendation"]  # the answer column holds answers as JSON: the memo's text in quotes
    assert memo["status"] == "by hand" and json.loads(memo["answer"]) == MEMO["ch1.recommendation"]
    assert s2["score"].sum() == N_AUTO - 3
    assert s2.loc["ch1.handling_losses", "status"] == "graded" and s2.loc["ch1.handling_losses", "score"] == 0
    assert s2.loc["ch1.drop_losers", "score"] == 0 and s2.loc["ch1.call_list", "score"] == 1
    assert s2.loc["ch1.need_essence", "status"] == "no answer"
    assert set(s3["status"]) == {"error"} and s3["score"].sum() == 0
    assert s3["detail"].str.contains("student broke this cell").all()


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
    assert len(s3) == N_QUESTIONS and set(s3["status"]) == {"tampered"} and s3["score"].sum() == 0
    assert s3["detail"].str.contains("seed").all()
    assert set(table.loc[table["student_id"] == "zz999", "status"]) == {"unknown student"}
    assert set(table.loc[table["student_id"].isin(["s001", "s002"]), "status"]) == {"not submitted"}


# ----------------------------------------------------------------------------------------- release
@pytest.mark.notebook
def test_release_removes_solutions_and_outputs_and_is_idempotent(assigned, tmp_path):
    src = nbformat.read(NB, as_version=4)
    out = tmp_path / "student"
    assert main(["release", str(NB), "--out", str(out)]) == 0
    copy = nbformat.read(out / NB.name, as_version=4)
    kept = [c for c in src.cells if "solution" not in _tags(c)]
    assert [c.source for c in copy.cells] == [c.source for c in kept]
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
    key = tmp_path / "answer_key.csv"
    key.write_text(NEW_KEY, encoding="utf-8")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "s1.ipynb").write_text("{}")  # unreadable metadata: identified by its name
    record = {  # what the student's executed notebook recorded
        "q.share": {"answer": 0.502, "correct": True},
        "q.order": {"answer": ["w", "y", "x", "z"], "correct": False, "kind": "ranking"},
        "q.memo": {"answer": "Win back the at-risk customers first.", "correct": None, "kind": "memo"},
        "q.stage": {"answer": "激发兴趣", "correct": True},
        "q.pick": {"answer": ["a"], "correct": False},
    }

    def fake_runs(fn, tasks, workers, desc, progress):
        return [{"student_id": t["student_id"], "path": t["path"], "status": "graded", "record": record} for t in tasks]

    monkeypatch.setattr(instructor, "_run_tasks", fake_runs)
    table = instructor.grade(subs, key, tmp_path / "grades.csv", progress=False)
    assert list(table.columns) == instructor.GRADE_COLUMNS
    g = table.set_index("question")
    share = g.loc["q.share", ["status", "score", "credit", "points", "kind"]].tolist()
    assert share == ["graded", 1, 1.0, 2.0, "number"]
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
