"""The editions in other languages (crmlib.editions, ``crmlib editions``): the Chinese notebooks are
generated from the English ones and their text files, and a test fails when one is stale.

Small hand-made notebooks show every kind of failure with the message it gives (naming the file
and the cell); the last tests check the committed editions of the workbook itself, that
``crmlib release`` and ``crmlib assign`` work on an edition, and that every exercise an edition
shows has its hint in the edition's language.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlib import editions as ED, exercises, i18n, instructor
from crmlib._errors import CRMDataError
from crmlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")) + sorted((ROOT / "casework" / "zh").glob("*.ipynb"))


# ------------------------------------------------------------------------------------ small notebooks
def english_notebook() -> nbformat.NotebookNode:
    """Title, parameters, set-up, a question with its answer, solution and check cells, a link."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [
        ("title", "markdown", "# Start here\n\nA *first* chapter.", {}),
        ("params", "code", 'lang = "en"  # "en" or "zh"', {"tags": ["parameters"]}),
        ("setup", "code", 'import crmlib\n\nP = crmlib.start("00_start_here", globals())', {}),
        ("data", "code", _DATA, {}),
        (
            "question",
            "markdown",
            "What share of revenue comes from the top 20%? See [the next chapter](01_next.ipynb).",
            {},
        ),
        ("answer", "code", "answer = None", {}),
        ("solution", "code", "answer = 0.5", {"tags": ["solution"], "jupyter": {"source_hidden": True}}),
        ("check", "code", 'exercises.check("demo.top_share", answer, tx=demo_tx, fraction=0.2)', {}),
        ("end", "markdown", "Next: [chapter 1](01_next.ipynb#start).", {}),
    ]
    for cid, kind, source, meta in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        cell.metadata.update(copy.deepcopy(meta))
        cell["id"] = cid
        nb.cells.append(cell)
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="5 customers")]
    nb.cells[3].execution_count = 3
    return nb


_DATA = """import pandas as pd

from crmlib import exercises

demo_tx = pd.DataFrame(
    {
        "customer_id": ["a", "b", "c", "d", "e"],
        "date": pd.to_datetime(["2024-01-05"] * 5),
        "amount": [50.0, 30.0, 10.0, 5.0, 5.0],
    }
)"""

CHINESE = {
    "title": "# 从这里开始\n\n*第一*章。",
    "question": "前 20% 的客户贡献了多少比例的收入？参见[下一章](01_next.ipynb)。",
    "end": "下一章：[第 1 章](01_next.ipynb#start)。",
}


def text_for(nb, texts: dict[str, str] | None = None, header: str = "<!-- 中文版 -->") -> str:
    """A text file with a marker for each markdown cell of ``nb`` and the text of ``texts``."""
    texts = CHINESE if texts is None else texts
    parts = [header]
    for c in nb.cells:
        if c.cell_type == "markdown" and c.id in texts:
            parts.append(f"{ED.marker(c.id, c.source)}\n\n{texts[c.id]}\n")
    return "\n\n".join(parts) + "\n"


def problems(nb, text: str, previous=None) -> list[str]:
    return ED.text_problems(nb, ED.parse_text(text, "zh/text/00.md"), "zh/text/00.md", previous)


# -------------------------------------------------------------------------------------- the format
def test_parse_text_reads_markers_and_texts():
    text = (
        "<!-- header\n     two lines -->\n\n"
        "<!-- cell title en:0123abcd -->\n\n# 标题\n\n正文第一段。\n\n"
        "<!-- cell end en:89abcdef -->\n下一章。\n\n\n"
    )
    cells = ED.parse_text(text, "t.md")
    assert [(c.cell_id, c.en_hash, c.text, c.line) for c in cells] == [
        ("title", "0123abcd", "# 标题\n\n正文第一段。", 4),
        ("end", "89abcdef", "下一章。", 10),
    ]


def test_hash_ignores_rewrapping_but_not_words():
    a = "Customers are the source of profit\nand an intangible asset."
    assert ED.source_hash(a) == ED.source_hash("Customers are the source of profit and\n an intangible   asset.\n")
    assert ED.source_hash(a) != ED.source_hash(a.replace("profit", "revenue"))
    assert re.fullmatch(r"[0-9a-f]{8}", ED.source_hash(a))


@pytest.mark.parametrize(
    "text, message",
    [
        ("<!-- cell title en:12345 -->\n# 标题\n", "line 1 looks like a marker but is not one"),
        ("<!-- header -->\n<!--cell  title -->\n# 标题\n", "line 2 looks like a marker"),
        ("# 标题\n<!-- cell title en:0123abcd -->\n# 标题\n", "text before its first marker"),
    ],
)
def test_malformed_text_files_are_refused_with_the_line(text, message):
    with pytest.raises(CRMDataError, match=message) as info:
        ED.parse_text(text, "notebooks/zh/text/00_start_here.md")
    assert "notebooks/zh/text/00_start_here.md" in str(info.value)


# ---------------------------------------------------------------------------------- the edition built
def test_build_edition_replaces_markdown_sets_lang_and_keeps_code_byte_identical():
    en = english_notebook()
    links = {"01_next.ipynb": "../01_next.ipynb"}
    ed = ED.build_edition(en, ED.parse_text(text_for(en)), "zh", "notebooks/00.ipynb", "notebooks/zh/text/00.md", links)
    assert [c.id for c in ed.cells] == [c.id for c in en.cells]
    md = {c.id: c.source for c in ed.cells if c.cell_type == "markdown"}
    assert md == {
        "title": "# 从这里开始\n\n*第一*章。",
        "question": "前 20% 的客户贡献了多少比例的收入？参见[下一章](../01_next.ipynb)。",
        "end": "下一章：[第 1 章](../01_next.ipynb#start)。",
    }
    params = ed.cells[1]
    assert params.source == 'lang = "zh"  # "en" or "zh"' and params.metadata["tags"] == ["parameters"]
    for a, b in zip(en.cells[2:], ed.cells[2:]):
        if a.cell_type == "code":
            assert b.source == a.source and b.metadata == a.metadata
            assert b.outputs == [] and b.execution_count is None
    assert ed.cells[6].metadata == {"tags": ["solution"], "jupyter": {"source_hidden": True}}
    note = ed.metadata[ED.META_KEY]
    assert note["lang"] == "zh" and note["source"] == "notebooks/00.ipynb" and note["text"] == "notebooks/zh/text/00.md"
    assert "do not edit" in note["note"]
    assert en.cells[3].outputs, "the English notebook is not changed"
    assert ED.code_differences(en, ed, "zh") == []


def test_a_stale_text_is_refused_by_build_edition():
    en = english_notebook()
    text = text_for(en)
    en.cells[4].source += " Round up."
    with pytest.raises(CRMDataError, match=r"cell question \(line \d+\): the English cell changed"):
        ED.build_edition(en, ED.parse_text(text), "zh")


# ------------------------------------------------------------------------------------ key terms
def _one_cell(english: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(english)]
    nb.cells[0]["id"] = "md"
    return nb


@pytest.mark.parametrize(
    "english, chinese, missing",
    [
        # a term of two words, in the plural, across a line break
        ("Watch your **key\naccounts** closely.", "盯紧你的大客户。", []),
        ("Watch your **key\naccounts** closely.", "盯紧你的重要客户。", ["key account"]),
        # two terms in one cell: each is named
        ("The 80/20 rule and the share of wallet.", "二八法则。", ["share of wallet"]),
        # code spans, link targets and comments of the English do not count
        ('Call `share_of_wallet` or see [the matrix](m.ipynb "customer value matrix").', "见下文。", []),
        ("<!-- share of wallet --> Nothing here.", "这里什么也没有。", []),
        # a single word is plain English: no check
        ("The value is lost.", "这个数字没有了。", []),
        # spaces, emphasis and up to two characters inside a term of four characters or more
        ("Plot the cumulative share.", "画出累计客户占比。", []),
        ("Use RFM analysis.", "用 **RFM 分析**。", []),
        ("Plot the cumulative share.", "画出累计的各个客户占比。", ["cumulative share"]),
        # a word that only contains the term does not use it
        ("The Gini indexes.", "基尼系数。", []),
        ("The Gini indexation.", "没有。", []),
    ],
)
def test_a_key_term_of_an_english_cell_needs_its_glossary_term_in_the_text(english, chinese, missing):
    found = ED.term_problems(_one_cell(english), [ED.TextCell("md", "", chinese, 7)], "zh.md")
    assert [re.search(r'term "([^"]+)"', f).group(1) for f in found] == missing
    for f in found:
        key = re.search(r'GLOSSARY\["([^"]+)"\]', f).group(1)
        assert f.startswith("zh.md: cell md (line 7): ") and i18n.GLOSSARY[key][1] in f


def test_every_glossary_term_of_two_words_is_a_key_term_with_its_chinese():
    terms = ED.key_terms("zh")
    for key, (en, zh, *_) in i18n.GLOSSARY.items():
        plain = ED._plain(en).lower()
        if len(plain.split()) >= 2 and len(plain.split()[0]) > 1:
            assert ED._plain(zh) in terms[plain][1], key
    assert "a key" not in terms and "value" not in terms


def test_a_text_without_its_key_term_keeps_the_edition_from_being_built(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb_checkpoints"))
    text = tmp_path / "notebooks" / "zh" / "text" / "01_identification.md"
    body = text.read_text(encoding="utf-8")
    assert body.count("钱包份额") > 1
    text.write_text(body.replace("钱包份额", "钱包占有率"), encoding="utf-8")
    report = ED.check_editions(tmp_path)
    hits = [p for p in report.problems if '"share of wallet"' in p]
    assert hits and all("01_identification.md: cell " in p and "钱包份额" in p for p in hits)


# ------------------------------------------------------------------------------- every failure kind
def test_a_complete_current_text_has_no_problems():
    en = english_notebook()
    assert problems(en, text_for(en)) == []


def test_a_markdown_cell_without_a_marker_is_named_with_the_marker_to_add():
    en = english_notebook()
    found = problems(en, text_for(en, {k: v for k, v in CHINESE.items() if k != "question"}))
    assert found == [
        f"zh/text/00.md: cell question has no text: add {ED.marker('question', en.cells[4].source)} and the text "
        "below it (crmlib editions --scaffold adds the missing markers)"
    ]


def test_an_empty_text_or_a_placeholder_counts_as_missing():
    en = english_notebook()
    empty = text_for(en, {**CHINESE, "question": ""})
    assert problems(en, empty) == ["zh/text/00.md: cell question (line 10) has no Chinese text yet"]
    placeholder = ED.scaffold_text(en, text_for(en, {k: v for k, v in CHINESE.items() if k != "end"}))
    found = problems(en, placeholder)
    assert len(found) == 1 and re.match(r"zh/text/00\.md: cell end \(line \d+\) has no Chinese text yet", found[0])
    assert found[0].endswith("(only the placeholder)")
    left = placeholder.replace(ED.PLACEHOLDER, "下一章。\n" + ED.PLACEHOLDER)
    assert problems(en, left) == [
        f"zh/text/00.md: cell end (line {ED.parse_text(left)[-1].line}) still holds the placeholder comment of "
        "the scaffold; delete it"
    ]


def test_a_changed_english_cell_is_named_with_its_english_diff():
    en = english_notebook()
    text = text_for(en)
    old = en.cells[4].source
    en.cells[4].source = old.replace("top 20%", "top 10%")
    now = ED.source_hash(en.cells[4].source)
    found = problems(en, text, previous=lambda cid, h: old if (cid, h) == ("question", ED.source_hash(old)) else None)
    assert len(found) == 1
    first, *diff = found[0].splitlines()
    assert first == (
        f"zh/text/00.md: cell question (line 10): the English cell changed since this text was written "
        f"(en:{ED.source_hash(old)}, now en:{now}); bring the text up to date, then change its marker to "
        f"<!-- cell question en:{now} -->"
    )
    assert "      -What share of revenue comes from the top 20%? See [the next chapter](01_next.ipynb)." in diff
    assert "      +What share of revenue comes from the top 10%? See [the next chapter](01_next.ipynb)." in diff
    # without the history, the message says so
    assert "not in the git history" in problems(en, text)[0]
    # re-wrapping the English changes nothing
    en.cells[4].source = old.replace(" See", "\nSee")
    assert problems(en, text) == []


def test_a_text_for_a_cell_that_no_longer_exists_or_is_code_fails():
    en = english_notebook()
    text = text_for(en) + "\n<!-- cell gone en:0123abcd -->\n旧的段落。\n\n<!-- cell data en:0123abcd -->\n代码？\n"
    found = problems(en, text)
    assert len(found) == 2
    assert re.match(r"zh/text/00\.md: cell gone \(line \d+\) no longer exists in the English notebook", found[0])
    assert re.match(r"zh/text/00\.md: cell data \(line \d+\) is a code cell in the English notebook", found[1])


def test_a_cell_given_twice_or_out_of_order_fails():
    en = english_notebook()
    twice = text_for(en) + f"\n{ED.marker('end', en.cells[8].source)}\n又一次。\n"
    found = problems(en, twice)
    assert len(found) == 1 and "cell end" in found[0] and "is given twice (first at line" in found[0]
    swapped = text_for(en, {"title": CHINESE["title"], "end": CHINESE["end"]}).replace(
        "<!-- 中文版 -->", "<!-- 中文版 -->\n\n" + f"{ED.marker('question', en.cells[4].source)}\n{CHINESE['question']}"
    )
    found = problems(en, swapped)
    assert found == [
        "zh/text/00.md: cell title (line 6) stands after cell question, but comes before it in the English "
        "notebook; keep the texts in the notebook's order"
    ]


def test_code_differences_beyond_lang_are_named():
    en = english_notebook()
    ed = ED.build_edition(en, ED.parse_text(text_for(en)), "zh")
    assert ED.code_differences(en, ed, "zh", "zh/00.ipynb") == []
    edited = copy.deepcopy(ed)
    edited.cells[5].source = "answer = 0.5"
    found = ED.code_differences(en, edited, "zh", "zh/00.ipynb")
    assert found[0].splitlines()[0] == (
        "zh/00.ipynb: cell answer: the code differs from the English notebook (code is never edited twice: "
        "change the English one)"
    )
    assert "      -answer = None" in found[0] and "      +answer = 0.5" in found[0]
    other_param = copy.deepcopy(ed)
    other_param.cells[1].source = 'lang = "en"  # "en" or "zh"'
    assert "cell params: the code differs" in ED.code_differences(en, other_param, "zh")[0]
    tags = copy.deepcopy(ed)
    tags.cells[6].metadata["tags"] = []
    assert ED.code_differences(en, tags, "zh") == [
        "edition: cell solution: tags [] differ from the English ['solution']"
    ]
    extra = copy.deepcopy(ed)
    extra.cells.insert(3, nbformat.v4.new_code_cell("x = 1"))
    extra.cells[3]["id"] = "extra"
    assert (
        "from position 3 on (English: ('code', 'data'), edition: ('code', 'extra'))"
        in ED.code_differences(en, extra, "zh")[0]
    )
    run = copy.deepcopy(ed)
    run.cells[3].outputs = [nbformat.v4.new_output("stream", text="x")]
    assert ED.code_differences(en, run, "zh") == [
        "edition: cell data carries outputs; editions are committed without them"
    ]


def test_the_parameters_cell_needs_a_lang_line():
    en = english_notebook()
    en.cells[1].source = "seed = 3"
    with pytest.raises(CRMDataError, match=r'needs exactly one line lang = "en", found 0'):
        ED.build_edition(en, ED.parse_text(text_for(en)), "zh")


def test_scaffold_keeps_texts_adds_missing_markers_in_order_and_keeps_orphans():
    en = english_notebook()
    existing = text_for(en, {"question": CHINESE["question"]}, header="<!-- 我的说明 -->") + (
        "\n<!-- cell gone en:0123abcd -->\n旧的段落。\n"
    )
    out = ED.scaffold_text(en, existing, "zh", "notebooks/00.ipynb")
    cells = ED.parse_text(out)
    assert out.startswith("<!-- 我的说明 -->\n")
    assert [c.cell_id for c in cells] == ["title", "question", "end", "gone"]
    assert cells[1].text == CHINESE["question"]
    assert cells[0].text.startswith(ED.PLACEHOLDER) and "# Start here" in cells[0].text
    assert cells[3].text == "旧的段落。"
    assert ED.scaffold_text(en, out, "zh", "notebooks/00.ipynb") == out  # scaffolding twice changes nothing


def test_links_to_chapters_without_an_edition_go_to_the_english_chapter(tmp_path):
    en = english_notebook()
    ed = ED.build_edition(en, ED.parse_text(text_for(en)), "zh", links={"01_next.ipynb": "../01_next.ipynb"})
    assert [t for _, t in ED.link_targets(ed)] == ["../01_next.ipynb", "../01_next.ipynb#start"]
    (tmp_path / "zh").mkdir()
    assert ED.link_problems(ed, tmp_path / "zh", "zh/00.ipynb") == [
        "zh/00.ipynb: cell question links to '../01_next.ipynb', which does not exist",
        "zh/00.ipynb: cell end links to '../01_next.ipynb#start', which does not exist",
    ]
    (tmp_path / "01_next.ipynb").write_text("{}")
    assert ED.link_problems(ed, tmp_path / "zh", "zh/00.ipynb") == []


# ---------------------------------------------------------------------------- a workbook on disk
def _workbook(tmp_path: Path, git: bool = False) -> Path:
    root = tmp_path / "book"
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(english_notebook(), root / "notebooks" / "00_start_here.ipynb")
    nxt = english_notebook()
    nxt.cells = nxt.cells[:3]
    nxt.cells[0].source = "# Next chapter"
    nbformat.write(nxt, root / "notebooks" / "01_next.ipynb")
    text = root / "notebooks" / "zh" / "text" / "00_start_here.md"
    text.parent.mkdir(parents=True)
    text.write_text(text_for(english_notebook()), encoding="utf-8")
    if git:
        for cmd in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"]):
            subprocess.run(["git", *cmd], cwd=root, check=True, capture_output=True)
    return root


def _check(root: Path) -> ED.Report:
    return ED.check_editions(root)


def test_write_check_and_no_edition_yet(tmp_path, capsys):
    root = _workbook(tmp_path)
    ed_path = root / "notebooks" / "zh" / "00_start_here.ipynb"
    before = _check(root)
    assert before.problems == ["notebooks/zh/00_start_here.ipynb: missing (run crmlib editions, or make editions)"]
    assert before.notes == ["notebooks/01_next.ipynb: no Chinese edition yet (no notebooks/zh/text/01_next.md)"]
    assert main(["editions", "--root", str(root), "--check"]) == 1
    assert not ed_path.exists(), "--check writes nothing"
    capsys.readouterr()
    assert main(["editions", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "no Chinese edition yet" in out and "1 edition(s) current" in out
    ed = nbformat.read(ed_path, as_version=4)
    assert ed.cells[0].source.startswith("# 从这里开始") and ed.cells[1].source.startswith('lang = "zh"')
    assert "[下一章](../01_next.ipynb)" in ed.cells[4].source  # 01_next has no Chinese edition yet
    assert _check(root).problems == [] and _check(root).current == [ed_path]
    mtime = ed_path.stat().st_mtime_ns
    assert ED.write_editions(root).written == [] and ed_path.stat().st_mtime_ns == mtime  # idempotent
    assert main(["editions", "--root", str(root), "--check"]) == 0


def test_an_edition_edited_by_hand_is_out_of_date_and_its_code_named(tmp_path):
    root = _workbook(tmp_path)
    ED.write_editions(root)
    ed_path = root / "notebooks" / "zh" / "00_start_here.ipynb"
    ed = nbformat.read(ed_path, as_version=4)
    ed.cells[5].source = "answer = 0.5"
    nbformat.write(ed, ed_path)
    found = _check(root).problems
    assert found[0] == (
        "notebooks/zh/00_start_here.ipynb: out of date with notebooks/00_start_here.ipynb and "
        "notebooks/zh/text/00_start_here.md (run crmlib editions, or make editions)"
    )
    assert found[1].startswith("notebooks/zh/00_start_here.ipynb: cell answer: the code differs")
    ED.write_editions(root)
    assert _check(root).problems == []


def test_a_change_of_english_code_makes_the_edition_stale(tmp_path):
    root = _workbook(tmp_path)
    ED.write_editions(root)
    en_path = root / "notebooks" / "00_start_here.ipynb"
    en = nbformat.read(en_path, as_version=4)
    en.cells[5].source = "answer = ...  # your answer"
    nbformat.write(en, en_path)
    found = _check(root).problems
    assert "out of date with notebooks/00_start_here.ipynb" in found[0]
    assert "cell answer: the code differs" in found[1]  # the committed edition lags behind the English code
    assert [p.name for p in ED.write_editions(root).written] == ["00_start_here.ipynb"]
    assert _check(root).problems == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_changed_english_text_shows_its_diff_from_the_git_history(tmp_path):
    root = _workbook(tmp_path, git=True)
    en_path = root / "notebooks" / "00_start_here.ipynb"
    en = nbformat.read(en_path, as_version=4)
    en.cells[0].source = "# Start here\n\nA *short* first chapter."
    nbformat.write(en, en_path)
    found = _check(root).problems
    assert len(found) == 1
    assert found[0].startswith("notebooks/zh/text/00_start_here.md: cell title (line 3): the English cell changed")
    assert "      -A *first* chapter." in found[0] and "      +A *short* first chapter." in found[0]


def test_when_the_next_chapter_gets_an_edition_the_links_follow(tmp_path):
    root = _workbook(tmp_path)
    ED.write_editions(root)
    nxt = nbformat.read(root / "notebooks" / "01_next.ipynb", as_version=4)
    (root / "notebooks" / "zh" / "text" / "01_next.md").write_text(text_for(nxt, {"title": "# 下一章"}), "utf-8")
    stale = _check(root).problems
    assert stale[0].startswith("notebooks/zh/00_start_here.ipynb: out of date")
    assert [p.name for p in ED.write_editions(root).written] == ["00_start_here.ipynb", "01_next.ipynb"]
    ed = nbformat.read(root / "notebooks" / "zh" / "00_start_here.ipynb", as_version=4)
    assert "[下一章](01_next.ipynb)" in ed.cells[4].source and "(01_next.ipynb#start)" in ed.cells[8].source
    assert _check(root).problems == [] and _check(root).notes == []


def test_orphaned_editions_and_texts_and_broken_links_are_reported(tmp_path):
    root = _workbook(tmp_path)
    ED.write_editions(root)
    zh = root / "notebooks" / "zh"
    shutil.copy(zh / "00_start_here.ipynb", zh / "07_gone.ipynb")
    (zh / "text" / "08_nothing.md").write_text("<!-- x -->\n", "utf-8")
    (zh / "text" / "REVIEW_00.md").write_text("# 审读意见\n", "utf-8")  # a reader's notes are no text
    assert _check(root).problems == [
        "notebooks/zh/07_gone.ipynb: has no text file notebooks/zh/text/07_gone.md (editions are generated from "
        "one; restore it or delete the notebook)",
        "notebooks/zh/text/08_nothing.md: there is no English notebook notebooks/08_nothing.ipynb",
    ]
    (zh / "07_gone.ipynb").unlink()
    (zh / "text" / "08_nothing.md").unlink()
    text = zh / "text" / "00_start_here.md"
    text.write_text(text.read_text("utf-8").replace("(01_next.ipynb#start)", "(../../datasets/README.md)"), "utf-8")
    assert _check(root).problems == [
        "notebooks/zh/00_start_here.ipynb: cell end links to '../../datasets/README.md', which does not exist"
    ]


def test_an_english_notebook_that_cannot_have_an_edition_is_reported_not_a_crash(tmp_path, capsys):
    root = _workbook(tmp_path)
    en_path = root / "notebooks" / "00_start_here.ipynb"
    en = nbformat.read(en_path, as_version=4)
    en.cells[1].source = "seed = 3"  # no lang parameter
    nbformat.write(en, en_path)
    assert ED.write_editions(root).problems == [
        "notebooks/00_start_here.ipynb: with_language: field 'parameters' the parameters cell of "
        'notebooks/00_start_here.ipynb needs exactly one line lang = "en", found 0'
    ]
    assert main(["editions", "--root", str(root)]) == 1
    assert "1 problem(s)" in capsys.readouterr().out


def test_scaffold_command_writes_a_text_to_fill_in(tmp_path, capsys):
    root = _workbook(tmp_path)
    ED.write_editions(root)
    assert main(["editions", "--scaffold", str(root / "notebooks" / "01_next.ipynb")]) == 0
    path = root / "notebooks" / "zh" / "text" / "01_next.md"
    assert capsys.readouterr().out.strip() == f"wrote {path}"
    found = _check(root).problems
    assert found[-1] == (
        "notebooks/zh/text/01_next.md: cell title (line 6) has no Chinese text yet (only the placeholder)"
    )
    # chapter 00's links now lead to the Chinese chapter 01 that is on its way: its edition is regenerated
    assert found[:-1] == [
        "notebooks/zh/00_start_here.ipynb: out of date with notebooks/00_start_here.ipynb and "
        "notebooks/zh/text/00_start_here.md (run crmlib editions, or make editions)"
    ]


# ------------------------------------------------------------------ the committed editions themselves
def test_committed_editions_are_current():
    """`make editions` (crmlib editions) rewrites them; chapters without a text file are only noted."""
    report = ED.check_editions(ROOT)
    assert report.problems == [], "editions or their texts out of date:\n" + "\n".join(report.problems)
    assert ROOT / "notebooks" / "zh" / "00_start_here.ipynb" in report.current
    assert all("no Chinese edition yet" in n for n in report.notes)


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_committed_edition_has_the_english_code(path):
    english = path.parent.parent / path.name
    ed = nbformat.read(path, as_version=4)
    assert ED.code_differences(nbformat.read(english, as_version=4), ed, path.parent.name, str(path)) == []
    assert ed.metadata[ED.META_KEY]["source"] == english.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(
    "path",
    [*EDITIONS, ROOT / "notebooks" / "00_start_here.ipynb"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_links_of_the_start_pages_and_editions_lead_somewhere(path):
    nb = nbformat.read(path, as_version=4)
    assert ED.link_problems(nb, path.parent, str(path)) == []


def test_start_page_links_both_editions():
    en = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    zh = nbformat.read(ROOT / "notebooks" / "zh" / "00_start_here.ipynb", as_version=4)
    assert "(zh/00_start_here.ipynb)" in en.cells[0].source and "中文版" in en.cells[0].source
    assert "[English edition](../00_start_here.ipynb)" in zh.cells[0].source and "中文版" in zh.cells[0].source


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_exercise_an_edition_shows_has_its_hints_in_that_language(path):
    """Each rung of the hint ladder of every exercise the edition checks is written in its language
    (an (English, 中文) pair whose Chinese is Chinese, not the English copied)."""
    lang = path.parent.name
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    used = sorted(set(re.findall(r"exercises\.check\(\s*[\"']([^\"']+)[\"']", code)))
    assert used, "no self-check found"
    assert lang == "zh"
    missing = [
        ex
        for ex in used
        if not exercises.REGISTRY[ex].hints
        or any(not re.search(r"[\u4e00-\u9fff]", zh) or zh == en for en, zh in exercises.REGISTRY[ex].hints)
    ]
    assert missing == [], f"write the Chinese of their hints (crmlib/exercises.py): {missing}"


def test_self_check_verdicts_follow_the_language(capsys):
    tx = pd.DataFrame({"customer_id": list("abcde"), "date": ["2024-01-05"] * 5, "amount": [50.0, 30, 10, 5, 5]})
    try:
        i18n.set_language("zh")
        assert exercises.check("demo.top_share", 0.5, tx=tx, fraction=0.2, strict=False)
        assert not exercises.check("demo.top_share", 0.8, tx=tx, fraction=0.2, strict=False)
        assert not exercises.check("demo.top_share", None, tx=tx, fraction=0.2, strict=False)
    finally:
        i18n.set_language("en")
    nudge = exercises.REGISTRY["demo.top_share"].hints[0][1]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "✅ demo.top_share：答对了。"
    assert lines[1] == "❌ demo.top_share：还不对。提示：" + nudge
    assert lines[-1].startswith("✏️ demo.top_share：还没有作答") and lines[-1].endswith("。")


# ------------------------------------------------------------------- release and assign on an edition
def _edition_on_disk(tmp_path: Path) -> Path:
    """notebooks/00_start_here.ipynb (the small English notebook) and its zh edition, in tmp_path."""
    root = _workbook(tmp_path)
    ED.write_editions(root)
    return root / "notebooks" / "zh" / "00_start_here.ipynb"


def test_release_makes_student_copies_of_an_edition(tmp_path):
    ed_path = _edition_on_disk(tmp_path)
    out = tmp_path / "student" / "notebooks" / "zh"
    assert main(["release", str(ed_path.parent), "--out", str(out)]) == 0
    copy_ = nbformat.read(out / ed_path.name, as_version=4)
    assert [c.id for c in copy_.cells] == [
        c.id for c in nbformat.read(ed_path, as_version=4).cells if c.id != "solution"
    ]
    assert copy_.cells[0].source.startswith("# 从这里开始") and copy_.cells[1].source.startswith('lang = "zh"')
    assert copy_.metadata[ED.META_KEY]["lang"] == "zh"
    assert instructor.check_release(ed_path.parent, out) == []


def test_committed_student_copies_of_the_editions_are_current():
    assert EDITIONS
    for folder in sorted({ed.parent for ed in EDITIONS}):
        out = ROOT / "student" / folder.relative_to(ROOT)  # student/notebooks/zh/ beside student/notebooks/
        assert out.is_dir(), f"{out} is missing: run make release"
        assert instructor.check_release(folder, out) == [], f"run make release ({out})"


@pytest.mark.notebook
def test_assign_works_on_an_edition(tmp_path):
    # a graded question (assign keys no demo.* exercise): chapter 1's choice ch1.drop_losers, answer b
    root = _workbook(tmp_path)
    en_path = root / "notebooks" / "00_start_here.ipynb"
    en = nbformat.read(en_path, as_version=4)
    by_id = {c.id: c for c in en.cells}
    by_id["solution"].source = 'answer = "b"'
    by_id["check"].source = 'exercises.check("ch1.drop_losers", answer)'
    nbformat.write(en, en_path)
    ED.write_editions(root)
    ed_path = root / "notebooks" / "zh" / "00_start_here.ipynb"
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\ns1,安\ns2,博\n", encoding="utf-8")
    out = tmp_path / "week1"
    res = instructor.assign(ed_path, roster, out, progress=False)
    assert (res["done"], res["failed"]) == (2, {})
    key = pd.read_csv(out / "answer_key.csv", dtype=str)
    assert key["question"].tolist() == ["ch1.drop_losers"] * 2
    assert [json.loads(v) for v in key["expected"]] == ["b", "b"]
    assert {json.loads(p)["lang"] for p in key["parameters"]} == {"zh"}
    student = nbformat.read(out / "students" / "s1.ipynb", as_version=4)
    assert student.cells[0].source.startswith("# 从这里开始")
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert instructor.parameter_cell_values(student)["lang"] == "zh"
    teacher = nbformat.read(out / "instructor" / "s1.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in teacher.cells for o in c.get("outputs", []))
    assert "✅ ch1.drop_losers：答对了。" in printed


# ------------------------------------------------------------------- what an executed edition prints
def _printed_english(nb) -> list[str]:
    """The printed lines (stream outputs) of an executed notebook that are English sentences: two or
    more English words and not one Chinese character. The versions table (one name, one number a
    line) and a CRMDataError's message after a Chinese lead-in pass: the messages are English by design."""
    found = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        for o in c.get("outputs", []):
            if o.get("output_type") != "stream":
                continue
            for line in o.get("text", "").splitlines():
                if len(re.findall(r"\b[A-Za-z]{2,}\b", line)) >= 2 and not re.search(r"[\u4e00-\u9fff]", line):
                    found.append(f"cell {c.get('id')}: {line.strip()[:100]}")
    return found


def _edition_jobs():
    import _executions as ex

    for path in EDITIONS:
        job = ex.defaults(path)
        yield pytest.param(
            job, id=path.relative_to(ROOT).as_posix(), marks=[pytest.mark.notebook, pytest.mark.executions(job)]
        )


@pytest.mark.parametrize("job", list(_edition_jobs()))
def test_an_executed_edition_prints_in_its_language(job, executions):
    """What the code of an edition prints reaches the student in the edition's language (the sentences
    go through i18n.text): the same code as the English notebook, lang = "zh"."""
    result = executions.result(job)
    result.check()
    assert _printed_english(result.notebook()) == []


def test_printed_english_finds_english_sentences():
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output(
        "stream",
        text="CJK font for plots: Noto Sans CJK SC\n23,382 purchases by 3,000 customers\npython      3.11.7\n"
        "参数没有通过检查。错误信息（英文）：CRMDataError: parameters: field 'langg' is not a parameter\n",
    )
    nb.cells = [nbformat.v4.new_code_cell("print(...)", outputs=[out])]
    nb.cells[0].id = "c1"
    assert _printed_english(nb) == [
        "cell c1: CJK font for plots: Noto Sans CJK SC",
        "cell c1: 23,382 purchases by 3,000 customers",
    ]
