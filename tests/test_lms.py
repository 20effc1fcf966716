"""The LMS round trip (crmlib.lms): rosters as registrars and LMSs export them, bulk downloads of
Moodle and Canvas read by ``crmlib grade``, the exports checked cell by cell, the feedback pages.

Real files throughout: rosters written in the encodings and delimiters Excel and the LMSs use, zips
built here with each LMS's naming, holding tiny notebooks with the parameters, questions and check
cells a handed-out copy has. Grading runs them through ``crmlib grade`` with the kernel runs replaced
by what each notebook's self-checks record (as tests/test_instructor.py does for the cheap tests);
one test, marked ``notebook``, executes a Moodle download for real.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlib import instructor, lms
from crmlib._errors import CRMDataError
from crmlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
CH1 = ROOT / "notebooks" / "01_identification.ipynb"
BANK = ROOT / "casework" / "02_bank_lobby.ipynb"


# ------------------------------------------------------------------------------------------ rosters
def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_extra_columns_are_kept_aside_with_a_note(tmp_path):
    roster = _write(
        tmp_path / "class.csv",
        "student_id,name,email,major,rfm_bins\n"
        "s001,Ann Lee,ann@uni.edu,Marketing,4\n"
        "s002,Bo Chen,bo@uni.edu,Finance,\n",
    )
    r = lms.read_roster(roster, instructor.SPECS["01_identification"])
    assert r.parameters == ("rfm_bins",) and r.kept == ("email", "major")
    assert r.notes == (
        "column 'email' kept aside as 'email' (not a parameter: used by the grade exports)",
        "column 'major' kept aside (not a parameter of the notebook)",
    )
    assert r.table.index.tolist() == [2, 3]  # the lines of the file
    assert r.column_of("s002", "email") == "bo@uni.edu" and r.name_of("s001") == "Ann Lee"
    stem, students = instructor.plan_assignment(CH1, roster)
    assert [(s["student_id"], s["name"], s["parameters"]["rfm_bins"]) for s in students] == [
        ("s001", "Ann Lee", 4),
        ("s002", "Bo Chen", 5),  # empty cell: the notebook's own value
    ]
    assert "email" not in students[0]["parameters"] and "major" not in students[0]["parameters"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_chinese_headers_and_a_semicolon_export(tmp_path, encoding):
    """学号;姓名 as a Chinese registrar's Excel saves it (GBK, or UTF-8 with a BOM), semicolons, a
    blank line of delimiters at the end, spaces around the cells."""
    text = "学号;姓名;电子邮箱;rfm_bins\n2024001; 王芳 ;wf@uni.cn;4\n2024002;李明;lm@uni.cn;6\n;;;\n"
    r = lms.read_roster(_write(tmp_path / "名单.csv", text, encoding), instructor.SPECS["01_identification"])
    assert r.table.to_dict("records") == [
        {"student_id": "2024001", "name": "王芳", "rfm_bins": "4", "email": "wf@uni.cn"},
        {"student_id": "2024002", "name": "李明", "rfm_bins": "6", "email": "lm@uni.cn"},
    ]
    assert r.notes[:2] == ("column '学号' read as 'student_id'", "column '姓名' read as 'name'")
    _, students = instructor.plan_assignment(CH1, tmp_path / "名单.csv")
    assert [s["parameters"]["rfm_bins"] for s in students] == [4, 6]


def test_tab_and_excel_sep_line_and_lms_exports(tmp_path):
    tab = lms.read_roster(_write(tmp_path / "t.csv", "Student ID\tFull name\nA7\tAnn Lee\n"))
    assert tab.table.to_dict("records") == [{"student_id": "A7", "name": "Ann Lee"}]
    sep = lms.read_roster(_write(tmp_path / "s.csv", "sep=;\nid;name\n1;Ann\n"))
    assert sep.table.index.tolist() == [3]  # line 3: the sep= line and the header come first
    moodle = lms.read_roster(
        _write(tmp_path / "m.csv", "First name,Last name,ID number,Email address\nAnn,Lee,2024001,ann@uni.edu\n")
    )
    assert moodle.table.to_dict("records") == [{"student_id": "2024001", "name": "Ann Lee", "email": "ann@uni.edu"}]
    zh = lms.read_roster(_write(tmp_path / "z.csv", "学号,姓,名\n2024001,王,芳\n"))
    assert zh.table["name"].tolist() == ["王芳"]
    canvas = lms.read_roster(  # a Canvas gradebook export used as the roster
        _write(
            tmp_path / "c.csv",
            "Student,ID,SIS User ID,SIS Login ID,Section\n"
            '"Lee, Ann",4411,2024001,alee,CRM A\n'
            "王芳,4412,2024002,wfang,CRM B\n",
        )
    )
    assert canvas.table.to_dict("records")[0] == {
        "student_id": "2024001",
        "name": "Lee, Ann",
        "lms_id": "4411",
        "login_id": "alee",
        "section": "CRM A",
    }


def test_a_bad_value_names_the_student_the_field_and_the_line(tmp_path, capsys):
    roster = _write(tmp_path / "roster.csv", "学号;姓名;vip_count\n2024001;王芳;12\n2024002;李明;many\n")
    with pytest.raises(CRMDataError) as info:
        instructor.plan_assignment(BANK, roster)
    assert str(info.value) == (
        "assign: field 'vip_count' of student '2024002' (line 3 of roster.csv): cannot read 'many' as int"
    )
    _write(roster, "学号;姓名;vip_count\n2024001;王芳;12\n2024002;李明;500\n")
    with pytest.raises(CRMDataError, match=r"of student '2024002' \(line 3 of roster.csv\): must lie in \[1, 100\]"):
        instructor.plan_assignment(BANK, roster)
    out = tmp_path / "out"
    assert main(["assign", str(BANK), "--roster", str(roster), "--out", str(out)]) == 2
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and "student '2024002'" in printed[0] and "vip_count" in printed[0]
    assert not out.exists()


def test_a_misspelt_parameter_is_still_refused(tmp_path):
    roster = _write(tmp_path / "r.csv", "student_id,name,rfm_binz\ns1,Ann,4\n")
    with pytest.raises(CRMDataError, match="rfm_binz.*did you mean 'rfm_bins'"):
        instructor.plan_assignment(CH1, roster)


# --------------------------------------------------------------------------------- LMS file names
@pytest.mark.parametrize(
    "path, lms_name, name, lms_id, file, late",
    [
        # Moodle, one folder per student (its default since 3.1) and all in one folder
        ("Ann Lee_231_assignsubmission_file_/s001.ipynb", "moodle", "Ann Lee", "231", "s001.ipynb", False),
        ("王芳_232_assignsubmission_file_作业一.ipynb", "moodle", "王芳", "232", "作业一.ipynb", False),
        ("Group A-Bo Chen_233_assignsubmission_file_/x.ipynb", "moodle", "Group A-Bo Chen", "233", "x.ipynb", False),
        # Canvas: name lower case without spaces or commas, LATE, user id, attachment id, the file
        ("leeann_4411_90001_s001.ipynb", "canvas", "leeann", "4411", "s001.ipynb", False),
        ("leeann_LATE_4411_90002_s001-1.ipynb", "canvas", "leeann", "4411", "s001-1.ipynb", True),
        ("late_王芳_4412_90003_作业_final.ipynb", "canvas", "王芳", "4412", "作业_final.ipynb", True),
        ("LATE_anon_k2x9q_90004_s003.ipynb", "canvas", "", "anon_k2x9q", "s003.ipynb", True),
        ("s001.ipynb", "", "", "", "s001.ipynb", False),
    ],
)
def test_upload_names(path, lms_name, name, lms_id, file, late):
    assert lms.parse_upload_name(path) == {"lms": lms_name, "name": name, "lms_id": lms_id, "file": file, "late": late}


# ---------------------------------------------------------------------- grading a bulk download
KEY = "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters,kind,points,spec\n" + "".join(
    f's{n},q.share,0.5,0.005,0,demo,"{{""seed"": 3}}",number,2,{{}}\n'
    f's{n},q.pick,"[""a"", ""c""]",0,0,demo,"{{""seed"": 3}}",multiple_choice,2,"{{""credit"": ""balanced""}}"\n'
    f's{n},q.memo,null,0,0,demo,"{{""seed"": 3}}",memo,3,'
    '"{""rubric"": [[""names a segment"", ""指出客户群"", 3]]}"\n'
    for n in ("001", "002", "003")
)
ROSTER = (
    "学号,姓名,Email,Canvas ID,SIS Login ID,Section\n"
    "s001,Ann Lee,ann@uni.edu,4411,alee,CRM A\n"
    "s002,王芳,wf@uni.cn,4412,wfang,CRM A\n"
    "s003,Bo Chen,bo@uni.edu,4413,bchen,CRM B\n"
)
#: what each student's self-checks record (the kernel runs are replaced by these)
RECORDS = {
    "s001": {
        "q.share": {"answer": 0.502, "correct": True},  # right: 2 of 2
        "q.pick": {"answer": ["a"], "correct": False},  # balanced: (1 right − 0 wrong) / 2 = 1 of 2
        "q.memo": {"answer": "<script>alert('x')</script> Win back the lapsed & loyal", "kind": "memo"},
    },
    "s002": {
        "q.share": {"answer": 0.7, "correct": False},  # wrong: 0 of 2
        "q.pick": {"answer": ["a", "c"], "correct": True},  # 2 of 2
        "q.memo": {"answer": "先挽回流失的老客户。", "kind": "memo"},
    },
}


def _notebook(sid: str | None, lang: str = "en") -> nbformat.NotebookNode:
    """A handed-out copy: parameters (seed 3, as the key assigns), three questions with their checks;
    ``sid`` None: an editor dropped the crmlib metadata."""
    nb = instructor._tiny_notebook()
    code, md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    nb.cells = [
        md("# Chapter 1"),
        code(f'seed = 3\nlang = "{lang}"', metadata={"tags": ["parameters"]}),
        code("from crmlib import exercises"),
        md("**Q1.** What share of customers <em>bought</em> twice?"),
        code("answer_1 = None"),
        code('exercises.check("q.share", answer_1)'),
        md("**Q2.** Which are retention levers? (a, b, c)"),
        code("answer_2 = None"),
        code('exercises.check("q.pick", answer_2)'),
        md("**Q3.** Write your recommendation."),
        code('memo_1 = """ """'),
        code('exercises.check("q.memo", memo_1)'),
    ]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    if sid:
        nb.metadata["crmlib"] = {"notebook": "demo", "student_id": sid, "parameters": {"seed": 3}}
    return nb


def _zip(path: Path, members: dict[str, nbformat.NotebookNode | str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, nb in members.items():
            z.writestr(name, nb if isinstance(nb, str) else nbformat.writes(nb))
    return path


def _fake_runs(fn, tasks, workers, desc, progress):
    out = []
    for t in tasks:
        record = RECORDS.get(t["student_id"], {})
        out.append(
            {
                "student_id": t["student_id"],
                "path": t["path"],
                "status": "ran",
                "record": record,
                "errors": [],
                "checks": {q: i for i, q in enumerate(record)},
                "fatal": None,
            }
        )
    return out


def _grade(tmp_path, download: Path, *extra: str) -> tuple[int, list[str]]:
    printed = io.StringIO()
    argv = [
        "grade",
        str(download),
        "--key",
        str(tmp_path / "answer_key.csv"),
        "--out",
        str(tmp_path / "grades" / "grades.csv"),
        "--roster",
        str(tmp_path / "roster.csv"),
        "--no-progress",
        *extra,
    ]
    with contextlib.redirect_stdout(printed):
        status = main(argv)
    return status, printed.getvalue().splitlines()


@pytest.fixture
def setup(tmp_path, monkeypatch):
    (tmp_path / "answer_key.csv").write_text(KEY, encoding="utf-8")
    (tmp_path / "roster.csv").write_bytes(ROSTER.encode("utf-8-sig"))
    monkeypatch.setattr(instructor, "_run_tasks", _fake_runs)
    return tmp_path


def _rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no byte-order mark"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def test_a_moodle_download_is_mapped_to_the_roster(setup):
    tmp = setup
    download = _zip(
        tmp / "CRM-Chapter 1-12345.zip",
        {  # folder per student; Ann's copy has its metadata, 王芳's lost it (name on the roster)
            "Ann Lee_231_assignsubmission_file_/s001.ipynb": _notebook("s001"),
            "王芳_232_assignsubmission_file_/作业一.ipynb": _notebook(None, lang="zh"),
            "Zed Stranger_299_assignsubmission_file_/homework.ipynb": _notebook(None),
            "Ann Lee_231_assignsubmission_onlinetext_/onlinetext.html": "<p>see file</p>",
            "__MACOSX/._x.ipynb": "junk",
        },
    )
    status, printed = _grade(tmp, download)
    assert status == 0
    g = pd.read_csv(tmp / "grades" / "grades.csv", keep_default_na=False)
    g["earned"] = pd.to_numeric(g["earned"])
    by = {sid: rows.set_index("question") for sid, rows in g[g["question"] != ""].groupby("student_id")}
    assert by["s001"].loc["q.share", "earned"] == 2.0 and by["s001"].loc["q.pick", "earned"] == 1.0
    assert by["s002"].loc["q.pick", "earned"] == 2.0 and set(by["s003"]["status"]) == {"missing"}
    assert Path(by["s002"].loc["q.share", "submission"]).name == "作业一.ipynb"
    unknown = g[g["status"] == "unknown student"]
    assert unknown["question"].tolist() == [""] and Path(unknown["submission"].item()).name == "homework.ipynb"
    assert "Moodle names 'Zed Stranger' (user 299), who is not on the roster" in unknown["detail"].item()
    assert any(line.startswith("homework: unknown student:") for line in printed)
    assert (tmp / "CRM-Chapter 1-12345_unpacked" / lms.MARKER).is_file()


def test_a_canvas_download_with_late_work_and_the_exports(setup):
    tmp = setup
    download = _zip(
        tmp / "submissions.zip",
        {  # flat; Canvas's user id matches the roster's "Canvas ID", 王芳 by name, late, resubmitted
            "leeann_4411_90001_s001.ipynb": _notebook(None),
            "王芳_LATE_4412_90002_s002-1.ipynb": _notebook(None, lang="zh"),
            "stranger_4499_90003_x.ipynb": _notebook(None),
        },
    )
    status, printed = _grade(tmp, download, "--export", "wide")
    assert status == 0
    g = pd.read_csv(tmp / "grades" / "grades.csv", keep_default_na=False)
    s002 = g[(g["student_id"] == "s002") & (g["question"] == "q.share")]
    assert "submitted late" in s002["detail"].item()
    assert "Canvas user 4411 is s001 on the roster" in g.loc[g["student_id"] == "s001", "detail"].iloc[0]
    assert g.loc[g["status"] == "unknown student", "submission"].map(lambda p: Path(p).name).tolist() == [
        "stranger_4499_90003_x.ipynb"
    ]
    # the instructor grades the memos by hand: s001's 2 of 3, s002's 3 of 3; grading again keeps them
    memos_path = tmp / "grades" / "grades_memos.csv"
    memos = pd.read_csv(memos_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    memos.loc[memos["student_id"] == "s001", "score"] = "2"
    memos.loc[memos["student_id"] == "s002", "score"] = "3"
    memos.to_csv(memos_path, index=False, encoding="utf-8-sig")
    exports = ["--export", "wide", "--export", "moodle", "--export", "canvas", "--assignment", "Chapter 1 (777)"]
    status, printed = _grade(tmp, download, *exports, "--feedback", str(tmp / "fb"))
    assert status == 0
    ann = (tmp / "fb" / "s001.html").read_text(encoding="utf-8")  # the memo's points, typed by hand, shown
    assert "<strong>5 of 7 points</strong>" in ann and "📝 Graded by your instructor." in ann
    assert '<span class="points">2 of 3 points</span>' in ann and "graded so far" not in ann
    # s001: 2 (share) + 1 (pick: balanced) + 2 (memo) = 5 of 7; s002: 0 + 2 + 3 = 5 of 7; s003: missing, 0
    assert _rows(tmp / "grades" / "grades_wide.csv") == [
        ["student_id", "name", "q.share (2)", "q.pick (2)", "q.memo (3)", "total", "out_of", "status"],
        ["s001", "Ann Lee", "2", "1", "2", "5", "7", "graded"],
        ["s002", "王芳", "0", "2", "3", "5", "7", "graded"],
        ["s003", "Bo Chen", "0", "0", "0", "0", "7", "missing"],
    ]
    assert _rows(tmp / "grades" / "grades_moodle.csv") == [
        ["ID number", "Email address", "Full name", "Chapter 1 (777)"],
        ["s001", "ann@uni.edu", "Ann Lee", "5"],
        ["s002", "wf@uni.cn", "王芳", "5"],
        ["s003", "bo@uni.edu", "Bo Chen", "0"],
    ]
    assert _rows(tmp / "grades" / "grades_canvas.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Chapter 1 (777)"],
        ["Lee, Ann", "4411", "s001", "alee", "CRM A", "5"],
        ["王芳", "4412", "s002", "wfang", "CRM A", "5"],
        ["Chen, Bo", "4413", "s003", "bchen", "CRM B", "0"],
    ]
    assert any(line.endswith("grades_canvas.csv (canvas layout, UTF-8 with BOM)") for line in printed)


def test_feedback_pages_escape_and_speak_the_students_language(setup):
    tmp = setup
    download = _zip(
        tmp / "dl.zip",
        {
            "Ann Lee_231_assignsubmission_file_/s001.ipynb": _notebook("s001"),
            "王芳_232_assignsubmission_file_/作业一.ipynb": _notebook(None, lang="zh"),
        },
    )
    status, printed = _grade(tmp, download, "--feedback", str(tmp / "feedback"))
    assert status == 0 and f"wrote 3 feedback page(s) into {tmp / 'feedback'}" in printed
    assert sorted(p.name for p in (tmp / "feedback").iterdir()) == [
        "moodle_feedback.zip",
        "s001.html",
        "s002.html",
        "s003.html",
    ]
    ann = (tmp / "feedback" / "s001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Win back the lapsed &amp; loyal" in ann
    assert "<script>" not in ann and "&lt;em&gt;bought&lt;/em&gt;" in ann  # the question's text, escaped
    assert '<html lang="en">' in ann and "Ann Lee (student id s001)" in ann
    assert "3 of 7 points graded so far" in ann  # 2 + 1; the memo's 3 are graded by hand
    assert "✅ Correct." in ann and "🟨 Partly right" in ann and "2 of 2 points" in ann and "1 of 2 points" in ann
    fang = (tmp / "feedback" / "s002.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in fang and "王芳（学号 s002）" in fang and "你的答案：" in fang
    assert "❌ 答案不对。" in fang and "0 / 2 分" in fang and "目前已评 2 分，满分 7 分" in fang
    assert "先挽回流失的老客户。" in fang and "📝 这道书面决策题由老师批改。" in fang
    bo = (tmp / "feedback" / "s003.html").read_text(encoding="utf-8")
    assert bo.count("⬜ No notebook was handed in.") == 3
    # for Moodle's feedback-zip upload: each page under its student's download prefix (Bo sent nothing)
    with zipfile.ZipFile(tmp / "feedback" / lms.MOODLE_FEEDBACK_ZIP) as z:
        assert z.namelist() == [
            "Ann Lee_231_assignsubmission_file_feedback.html",
            "王芳_232_assignsubmission_file_feedback.html",
        ]
        assert z.read("Ann Lee_231_assignsubmission_file_feedback.html").decode("utf-8") == ann
    assert "(for Moodle: Upload multiple feedback files in a zip)" in printed[-1]


def test_feedback_page_gives_the_first_hint_of_a_wrong_answer():
    rows = pd.DataFrame(
        {
            "student_id": ["s1"],
            "question": ["ch0.rerun"],
            "answer": ['"a"'],
            "status": ["graded"],
            "score": [0],
            "credit": [0.0],
            "points": [1.0],
            "earned": [0.0],
            "kind": ["choice"],
            "detail": [""],
            "submission": [""],
        }
    )
    from crmlib import exercises

    nudge = exercises.REGISTRY["ch0.rerun"].hints[0]
    page = lms.feedback_page(rows, "Ann", "zh")
    assert f"提示：{nudge[1]}" in page and nudge[0] not in page
    asked = exercises.REGISTRY["ch0.rerun"].question  # no notebook at hand: the registered question
    assert f'<div class="question">{html.escape(asked[1])}</div>' in page


def test_a_plain_folder_grades_as_before(setup):
    """No LMS: a folder of <student id>.ipynb files, one in a sub-folder, a checkpoint left out."""
    tmp = setup
    subs = tmp / "subs"
    (subs / "late").mkdir(parents=True)
    (subs / ".ipynb_checkpoints").mkdir()
    nbformat.write(_notebook(None), subs / "s001.ipynb")
    nbformat.write(_notebook(None), subs / "late" / "s002.ipynb")
    nbformat.write(_notebook(None), subs / ".ipynb_checkpoints" / "s003-checkpoint.ipynb")
    table = instructor.grade(subs, tmp / "answer_key.csv", tmp / "g.csv", progress=False)
    q = table[table["question"] != ""]
    assert q.groupby("student_id")["earned"].sum().to_dict() == {"s001": 3.0, "s002": 2.0, "s003": 0.0}
    assert set(q.loc[q["student_id"] == "s003", "status"]) == {"missing"}


def test_a_pdf_instead_of_the_notebook_and_a_notebook_under_another_account(setup):
    """Bo uploaded a PDF: unreadable, not missing. 王芳's account handed in Ann's notebook (its metadata
    says s001) while Ann handed in her own: both files claim s001 and are flagged, none is graded. A PDF
    beside a notebook (Ann's print-out) is left aside."""
    tmp = setup
    download = _zip(
        tmp / "dl.zip",
        {
            "leeann_4411_90001_s001.ipynb": _notebook("s001"),
            "leeann_4411_90002_s001.pdf": "%PDF-1.4",
            "王芳_4412_90003_s001.ipynb": _notebook("s001"),
            "chenbo_4413_90004_chapter1.pdf": "%PDF-1.4",
        },
    )
    status, _ = _grade(tmp, download)
    assert status == 0
    g = pd.read_csv(tmp / "grades" / "grades.csv", keep_default_na=False)
    q = g[g["question"] != ""]
    assert set(q.loc[q["student_id"] == "s001", "status"]) == {"duplicate"}
    dup = q.loc[q["student_id"] == "s001", "detail"].iloc[0]
    assert "2 files claim student 's001'" in dup and "王芳_4412_90003_s001.ipynb" in dup
    assert {Path(p).name for p in q.loc[q["student_id"] == "s001", "submission"]} == {
        "leeann_4411_90001_s001.ipynb",
        "王芳_4412_90003_s001.ipynb",
    }
    assert set(q.loc[q["student_id"] == "s002", "status"]) == {"missing"}
    bo = q[q["student_id"] == "s003"]
    assert set(bo["status"]) == {"unreadable file"}
    assert bo["detail"].str.contains("chenbo_4413_90004_chapter1.pdf is not a notebook but a .pdf file").all()


def test_a_moodle_group_prefix_and_a_canvas_roster_name(tmp_path):
    r = lms.read_roster(_write(tmp_path / "r.csv", 'Student,SIS User ID\n"Lee, Ann",s1\nBo Chen,s2\n'))
    nbformat.write(_notebook(None), tmp_path / "Group A-Bo Chen_7_assignsubmission_file_ch1.ipynb")
    nbformat.write(_notebook(None), tmp_path / "Default group-Ann Lee_8_assignsubmission_file_ch1.ipynb")
    assert sorted(u.student_id for u in lms.collect_uploads(tmp_path, r)) == ["s1", "s2"]
    g = pd.DataFrame(
        {"student_id": ["s1", "s2"], "question": ["q"] * 2, "status": ["graded"] * 2, "points": [1.0] * 2,
         "earned": [1.0, 0.0], "kind": ["number"] * 2, "submission": [""] * 2}
    )  # fmt: skip
    out = lms.export_grades(g, tmp_path / "c.csv", "canvas", roster=r, assignment="Chapter 1 (9)")
    assert out["Student"].tolist() == ["Lee, Ann", "Chen, Bo"] and out["Chapter 1 (9)"].tolist() == ["1", "0"]


def test_assign_prints_what_the_roster_kept_aside(tmp_path, monkeypatch, capsys):
    roster = _write(tmp_path / "r.csv", "学号,姓名,邮箱,专业\ns1,王芳,wf@uni.cn,市场营销\n")
    summary = {
        "stem": "01_identification",
        "done": 1,
        "skipped": 0,
        "redone": {},
        "failed": {},
        "students": 1,
        "key": "k.csv",
    }
    monkeypatch.setattr(instructor, "assign", lambda *a, **k: summary)
    assert main(["assign", str(CH1), "--roster", str(roster), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == [
        "roster: column '学号' read as 'student_id'",
        "roster: column '姓名' read as 'name'",
        "roster: column '邮箱' kept aside as 'email' (not a parameter: used by the grade exports)",
        "roster: column '专业' kept aside (not a parameter of the notebook)",
    ]


def test_two_students_with_one_name_are_not_guessed(tmp_path):
    r = lms.read_roster(_write(tmp_path / "r.csv", "id,name\ns1,王芳\ns2,王芳\n"))
    nbformat.write(_notebook(None), tmp_path / "王芳_5_assignsubmission_file_作业.ipynb")
    [up] = lms.collect_uploads(tmp_path, r)
    assert up.student_id == "" and up.claim() == "作业"
    assert up.note == "2 students on the roster are named '王芳': ['s1', 's2']"


def test_unpack_refuses_a_folder_it_did_not_make(tmp_path):
    archive = _zip(tmp_path / "dl.zip", {"a_1_assignsubmission_file_/s1.ipynb": "{}"})
    (tmp_path / "dl_unpacked").mkdir()
    with pytest.raises(CRMDataError, match="was not made by crmlib"):
        lms.unpack(archive)


def test_zip_names_written_in_gbk_are_read(tmp_path):
    """A zip made by Windows' "send to compressed folder" in China stores GBK names without the UTF-8 flag."""

    class GBKName(zipfile.ZipInfo):  # what such a tool writes: the name's GBK bytes, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits

    archive = tmp_path / "dl.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(GBKName("王芳_232_assignsubmission_file_/作业.ipynb"), "{}")
    with zipfile.ZipFile(archive) as z:
        assert not z.infolist()[0].flag_bits & 0x800
    names = [p.name for p in lms.unpack(archive).rglob("*.ipynb")]
    assert names == ["作业.ipynb"]


# ------------------------------------------------------------------------- one real grading run
@pytest.mark.notebook
def test_a_moodle_download_graded_for_real(tmp_path):
    """The kernel runs for real: a tiny notebook answering chapter 0's ch0.rerun (right: b), found in a
    Moodle download by its student's name alone."""
    key = tmp_path / "answer_key.csv"
    key.write_text(
        "student_id,question,expected,tolerance,rel_tolerance,notebook,parameters,kind,points,spec\n"
        's001,ch0.rerun,"""b""",0,0,demo,"{""seed"": 3}",choice,1,{}\n'
        's002,ch0.rerun,"""b""",0,0,demo,"{""seed"": 3}",choice,1,{}\n',
        encoding="utf-8",
    )
    roster = _write(tmp_path / "roster.csv", "学号;姓名\ns001;Ann Lee\ns002;王芳\n")

    def answered(letter):
        nb = _notebook(None)
        nb.cells = nb.cells[:3] + [nbformat.v4.new_code_cell(f'exercises.check("ch0.rerun", "{letter}")')]
        return nb

    download = _zip(
        tmp_path / "dl.zip",
        {
            "Ann Lee_231_assignsubmission_file_/chapter1.ipynb": answered("b"),
            "王芳_232_assignsubmission_file_/chapter1.ipynb": answered("a"),
        },
    )
    table = instructor.grade(download, key, tmp_path / "g.csv", progress=False, roster=roster)
    assert table.set_index("student_id")["score"].to_dict() == {"s001": 1, "s002": 0}
    assert set(table["status"]) == {"graded"}
    totals = lms.student_totals(table, lms.read_roster(roster))
    assert totals[["student_id", "name", "total"]].values.tolist() == [["s001", "Ann Lee", 1.0], ["s002", "王芳", 0.0]]
    assert json.loads(table.set_index("student_id").loc["s002", "answer"]) == "a"


def test_every_grading_status_has_a_feedback_sentence_in_both_languages():
    from crmlib.i18n import TEXTS

    for status in set(instructor.STATUSES) - {"graded"}:
        key = "fb_status_" + status.replace(" ", "_")
        assert key in TEXTS, f"{key} missing: the feedback page could not say what {status!r} means"
        en, zh = TEXTS[key]
        assert en and zh and en != zh


def test_zip_member_names_follow_the_reading_rule_of_every_file():
    """A zip without the UTF-8 flag holds its names in the packer's code page: GBK is read as
    Chinese (the rule of crmlib._io.decode), another code page is never guessed — the name stays as
    the zip gives it, and Moodle's participant id in it still names the student."""
    import zipfile

    from crmlib import lms

    def member(name: str, enc: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name.encode(enc).decode("cp437"))
        info.flag_bits = 0
        return info

    assert lms._zip_name(member("张三_123_assignsubmission_file_/a.ipynb", "gbk")).startswith("张三_123_")
    big5 = lms._zip_name(member("陳大文_77_assignsubmission_file_/a.ipynb", "big5"))
    assert "陳" not in big5 and "_77_assignsubmission_file_" in big5
    assert lms.parse_upload_name(big5)["lms_id"] == "77"
