"""Chinese text and terms (中文术语): with ``lang="zh"`` every descriptive table crmlib shows is
Chinese, every glossary term has a Chinese definition written as Chinese, and one Chinese term names
one concept — the variants in ``i18n.AVOIDED`` appear in no Chinese text of crmlib, the notebooks,
the documents or crmlib's own sources (the hits name file and line)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from crmlib import development, i18n, loyalty, qualification, records, satisfaction

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")
#: codes a Chinese text may write in Latin letters (they are the same in both languages)
CODES = {"RFM", "MAN", "CLV", "ABC", "DSO", "NPS", "CSAT", "IPA", "KPI", "CRM", "VIP", "AIDMAS", "CTI"}
#: proper names a Chinese text keeps in Latin letters (a real data set and its authors)
CODES |= {"CDNOW", "Fader", "Hardie"}
LATIN = re.compile(r"[A-Za-z]{3,}")


def latin_words(s: str) -> list[str]:
    """The runs of three or more Latin letters in ``s`` that are not a documented code."""
    return [w for w in LATIN.findall(s) if w not in CODES]


# ============================================================================ the prose tables
#: every function of crmlib that returns a table of descriptive text, with the columns (and "index")
#: that hold data rather than text: they keep the values of the datasets in every language
PROSE_TABLES = {
    development.prospecting_methods: {"channel": "the lead channel, a value of the leads data"},
    development.finding_steps: {},
    development.six_analyses: {},
    development.approach_methods: {},
    development.buying_signals: {},
    satisfaction.indicators: {"category": "the category code of the survey data"},
    satisfaction.categories: {"index": "the category codes of the survey data"},
    satisfaction.handling_steps: {"日志中的列": "the names of the complaints log's columns"},
    satisfaction.satisfaction_kinds: {},
    satisfaction.four_steps: {},
    satisfaction.service_strategies: {},
    satisfaction.service_models: {},
    satisfaction.six_keys: {},
    loyalty.relationship_actions: {},
    loyalty.churn_causes: {},
    loyalty.winback_steps: {},
    records.info_groups: {},
    qualification.man_strategies: {"index": "the MAN codes (M+A+N …), the same letters in every language"},
}


def _texts_of(table: pd.DataFrame, data: dict[str, str]):
    """(where, text) for every heading, index label and text cell of a table, less its data columns."""
    for c in table.columns:
        if c not in data:
            yield "heading", str(c)
            for i, v in table[c].items():
                if isinstance(v, str):
                    yield f"[{i!r}, {c!r}]", v
    if "index" not in data:
        yield "index name", str(table.index.name or "")
        for i in table.index:
            yield f"index {i!r}", str(i)


@pytest.mark.parametrize("func", list(PROSE_TABLES), ids=lambda f: f.__name__)
def test_prose_tables_are_chinese_with_lang_zh(func):
    data = PROSE_TABLES[func]
    zh = func(lang="zh")
    assert len(zh) > 0
    wrong = [(where, t, latin_words(t)) for where, t in _texts_of(zh, data) if latin_words(t)]
    assert not wrong, f"{func.__name__}(lang='zh') shows English: {wrong[:5]}"
    text_cells = [t for where, t in _texts_of(zh, data) if where.startswith("[")]
    assert all(HAN.search(t) for t in text_cells), func.__name__
    assert set(data) - {"index"} <= set(zh.columns), f"{func.__name__}: a data column is missing"


#: what each table looked like in English before it learnt Chinese: headings and first row name
ENGLISH = {
    development.prospecting_methods: (["中文", "list_15", "list_18", "channel"], "method", "door-to-door visits"),
    development.finding_steps: (["中文", "what it means"], "step", "1. collect"),
    development.six_analyses: (["中文", "question"], "analysis", "motive"),
    development.approach_methods: (["中文", "how"], "method", "introduction"),
    development.buying_signals: (["signal", "中文"], None, 0),
    satisfaction.indicators: (["category", "category_中文", "wording", "中文"], "indicator", "NW1"),
    satisfaction.categories: (["name", "中文"], "category", "network"),
    satisfaction.handling_steps: (["中文", "what to do", "column"], "step", "apologise"),
    satisfaction.satisfaction_kinds: (["中文", "meaning"], "kind", "product"),
    satisfaction.four_steps: (["中文", "what it means", "measure"], "step", "1. product quality"),
    satisfaction.service_strategies: (["中文", "what it means", "paired approach"], "strategy", "know and listen"),
    satisfaction.service_models: (
        ["中文", "elements", "strength", "restaurant example"],
        "model",
        "service theatre",
    ),
    satisfaction.six_keys: (["中文", "meaning", "audit question"], "key", "customer first"),
    loyalty.relationship_actions: (["value", "loyalty", "中文", "action"], "relationship", "strategic partner"),
    loyalty.churn_causes: (["中文", "source", "prevention"], "cause", "product quality poor or uneven"),
    loyalty.winback_steps: (["中文", "what to do"], "step", "1. find out why"),
    records.info_groups: (["fields", "what it covers"], None, "basic data"),
    qualification.man_strategies: (["money", "authority", "need", "priority", "strategy"], "man_code", "M+A+N"),
}


@pytest.mark.parametrize("func", list(PROSE_TABLES), ids=lambda f: f.__name__)
def test_prose_tables_stay_as_they_were_in_english(func):
    columns, index_name, first = ENGLISH[func]
    en = func(lang="en")
    assert en.columns.tolist() == columns and en.index.name == index_name and en.index[0] == first
    assert en.equals(func()), "the default language is English"
    zh = func(lang="zh")
    assert zh.shape[0] == en.shape[0], "the same rows in both languages"
    for c in set(PROSE_TABLES[func]) & set(en.columns):  # data columns keep their values
        assert zh[c].tolist() == en[c].tolist(), c


def test_prose_tables_in_numbers():
    """Hand-checked cells: the Chinese table says the same as the English one, row by row."""
    assert development.six_analyses("zh").loc["消费时机分析", "要回答的问题"] == "客户在什么时候买，多久买一次？"
    man = qualification.man_strategies("zh")
    assert man.index.name == "组合" and man.loc["m+A+n", "优先级"] == 7  # 7th of the 8 combinations
    assert man.loc["m+A+n", ["购买能力", "购买决定权", "购买需求"]].tolist() == [False, True, False]
    steps = satisfaction.handling_steps("zh")
    assert steps.index.tolist() == ["道歉", "复述确认", "表态与安抚", "补偿解决", "一周内回访", "分析原因与预防"]
    assert steps["日志中的列"].tolist() == satisfaction.handling_steps("en")["column"].tolist()
    assert "一周内" in steps.loc["一周内回访", "做法"]
    rel = loyalty.relationship_actions("zh")
    assert rel[["价值", "忠诚度"]].to_numpy().tolist() == [["高", "高"], ["高", "低"], ["低", "高"], ["低", "低"]]
    assert set(loyalty.churn_causes("zh")["来源"]) == {"企业", "市场", "客户"}
    methods = development.prospecting_methods("zh")
    assert methods["15种方法中的序号"].notna().sum() == 15 and methods["18种方法中的序号"].notna().sum() == 18
    # the complaint iceberg's explanations are sentences with the same numbers
    ice = satisfaction.complaint_iceberg(40, complain_share=0.04, tell_few=9, tell_few_share=0.8, lang="zh")
    assert ice.loc["unhappy", "how"] == "投诉数 ÷ 4%（投诉者的比例）"
    assert ice.loc["told", "how"] == "悄悄离开的客户 × （80% × 9 人 + 20% × 20 人）"
    assert not any(latin_words(h) for h in ice["how"])
    assert satisfaction.complaint_iceberg(40, lang="en").loc["unhappy", "how"] == "complaints ÷ 4% who complain"


# ============================================================================ the glossary
CHINESE_PUNCTUATION = re.compile(r"[，。；：、？！“”（）]")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,]+[A-Za-z]+){2,}")


def test_every_term_has_an_english_and_a_chinese_definition():
    for key, entry in i18n.GLOSSARY.items():
        assert len(entry) == 4, f"{key}: (English, 中文, definition, 中文定义) expected, got {entry!r}"
        en, zh, d_en, d_zh = entry
        assert en.strip() and HAN.search(zh), key
        assert bool(d_en) == bool(d_zh), f"{key}: a definition in one language only"
        if d_zh:
            assert CHINESE_PUNCTUATION.search(d_zh), f"{key}: {d_zh!r} has no Chinese punctuation"
            assert not ENGLISH_SENTENCE.search(d_zh), f"{key}: {d_zh!r} holds English words"
            assert not latin_words(d_zh), f"{key}: {d_zh!r} holds English words"
            assert not re.search(r"[\u4e00-\u9fff][,;:()?!]|[,;:()?!][\u4e00-\u9fff]", d_zh), (
                f"{key}: ASCII punctuation in Chinese: {d_zh!r}"
            )
            assert d_zh.rstrip("”）").endswith(("。", "？", "！")), f"{key}: {d_zh!r} is not a full sentence"
    defined = sum(1 for e in i18n.GLOSSARY.values() if e[2])
    assert defined >= 200


def test_definition_and_glossary_follow_the_language():
    assert i18n.definition("churn", "en") == "Customers who stop buying."
    assert i18n.definition("churn", "zh") == "客户不再购买、离企业而去。"
    assert i18n.definition("customers", "zh") == ""  # a plain label
    g_en, g_zh = i18n.glossary("churn", "en"), i18n.glossary("churn", "zh")
    assert g_en.columns.tolist() == ["English", "中文", "definition"]
    assert g_zh.columns.tolist() == ["英文", "中文", "释义"]
    assert g_en.index.equals(g_zh.index) and "churn" in g_zh.index
    assert g_zh.loc["churn", "释义"] == "客户不再购买、离企业而去。"
    # a word finds the same terms in either language, whichever definition holds it
    assert i18n.glossary("离企业而去", "en").index.tolist() == ["churn"]
    assert i18n.glossary("stop buying", "zh").index.tolist() == ["churn"]
    try:
        i18n.set_language("zh")
        assert i18n.glossary("churn").equals(g_zh) and i18n.definition("churn") == "客户不再购买、离企业而去。"
    finally:
        i18n.set_language("en")


def test_the_glossary_widget_shows_the_chinese_definitions():
    from crmlib import widgets

    w = widgets.glossary_search("churn", lang="zh")
    assert w.result.equals(i18n.glossary("churn", "zh"))
    assert "客户不再购买、离企业而去。" in w.text.value and "<th>释义</th>" in w.text.value
    w.search.value = "loyal"
    assert w.result.equals(i18n.glossary("loyal", "zh"))
    assert "Customers who stop buying." in widgets.glossary_search("churn", lang="en").text.value


def test_the_three_potential_customers_have_three_terms_and_the_glossary_tells_them_apart():
    assert i18n.label("potential", "zh") == "潜在客户"  # the customer state (seed 000)
    assert i18n.label("prospect", "zh") == "准客户"  # a person on the prospect list (seeds 002, 004)
    assert i18n.label("potential_deal", "zh") == "意向客户"  # the deal-time class "potential"
    assert i18n.label("qualified", "zh") == "合格准客户"
    d = {k: i18n.definition(k, "zh") for k in ("potential", "prospect", "potential_deal")}
    assert "准客户" in d["potential"] and "意向客户" in d["potential"]
    assert "潜在客户" in d["prospect"] and "意向客户" in d["prospect"]
    assert "潜在客户" in d["potential_deal"]
    from crmlib import qualification

    assert qualification.deal_stage([10, 45, 90], lang="zh").tolist() == ["成熟客户", "有望客户", "意向客户"]


def test_one_chinese_label_names_one_concept():
    keys_of = defaultdict(list)
    for key, entry in i18n.GLOSSARY.items():
        keys_of[entry[1]].append(key)
    shared = {zh: keys for zh, keys in keys_of.items() if len(keys) > 1}
    unexplained = {zh: keys for zh, keys in shared.items() if zh not in i18n.SHARED_LABELS}
    assert not unexplained, f"one Chinese label, several keys (add a term, or explain in SHARED_LABELS): {unexplained}"
    stale = set(i18n.SHARED_LABELS) - set(shared)
    assert not stale, f"SHARED_LABELS explains labels no two keys share any more: {sorted(stale)}"


def test_avoided_variants_belong_to_glossary_terms_that_do_not_use_them():
    for key, variants in i18n.AVOIDED.items():
        assert key in i18n.GLOSSARY, key
        for variant, instead in variants.items():
            pattern = re.compile(variant)
            assert HAN.search(instead) and not pattern.search(instead), (key, variant, instead)
            assert not pattern.search(i18n.label(key, "zh")), (key, variant)
            assert not pattern.search(i18n.definition(key, "zh")), (key, variant)


# ============================================================================ avoided variants
#: hits in files that another branch is editing now, to be fixed there: (file, variant) → the fix.
#: An entry that no longer hits fails the test, so the list only shrinks.
PENDING: dict[tuple[str, str], str] = {
    ("crmlib/plots/loyalty.py", "保持率"): "docstring: 同期群保留率",
    ("crmlib/plots/satisfaction.py", "重要性—绩效"): "docstring: 重要性—表现分析",
    ("crmlib/plots/casework.py", "返还与保持"): "docstring: 哈拉赌场的返还与保留",
}
SKIP = {"crmlib/i18n.py"}  # its texts are checked as data below; its comments name the variants


def _sources():
    """(path, where, text) of every notebook cell line and every line of the docs and crmlib's sources."""
    for pattern in ("notebooks/**/*.ipynb", "casework/**/*.ipynb"):
        for path in sorted(ROOT.glob(pattern)):
            nb = json.loads(path.read_text(encoding="utf-8"))
            for n, cell in enumerate(nb["cells"]):
                for k, line in enumerate("".join(cell["source"]).splitlines(), 1):
                    yield path.relative_to(ROOT).as_posix(), f"cell {n} ({cell.get('id')}) line {k}", line
    files = [*ROOT.glob("*.md"), *ROOT.glob("datasets/**/*.md"), *ROOT.glob("docs/**/*.md")]
    files += sorted((ROOT / "crmlib").rglob("*.py"))
    for path in sorted(files):
        rel = path.relative_to(ROOT).as_posix()
        if rel in SKIP:
            continue
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield rel, f"line {k}", line


def _crmlib_texts():
    """('i18n …', where, text) of every Chinese text crmlib shows."""
    for key, (_, zh) in i18n.TEXTS.items():
        yield "i18n.TEXTS", key, zh
    for key, entry in i18n.GLOSSARY.items():
        yield "i18n.GLOSSARY", key, " ".join(entry[1::2])
    for func, data in PROSE_TABLES.items():
        for where, t in _texts_of(func(lang="zh"), data):
            yield f"{func.__module__}.{func.__name__}(lang='zh')", where, t


def test_no_avoided_variant_in_any_chinese_text():
    variants = [(v, re.compile(v), instead, key) for key, vs in i18n.AVOIDED.items() for v, instead in vs.items()]
    hits, pending_hit = [], set()
    for source in (_sources(), _crmlib_texts()):
        for path, where, line in source:
            if not HAN.search(line):
                continue
            for v, pattern, instead, key in variants:
                if pattern.search(line):
                    if (path, v) in PENDING:
                        pending_hit.add((path, v))
                    else:
                        hits.append(f"{path} {where}: {v!r} — write {instead!r} ({key}): {line.strip()[:80]}")
    assert not hits, "avoided variants (i18n.AVOIDED):\n" + "\n".join(hits)
    stale = set(PENDING) - pending_hit
    assert not stale, f"fixed, remove from PENDING: {sorted(stale)}"
