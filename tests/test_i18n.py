"""Language switching and the glossary."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import crmlib
from crmlib import CRMDataError, i18n, segmentation as seg


def test_set_language_switches_category_labels():
    try:
        crmlib.set_language("zh")
        assert seg.abc_classes([50, 30, 20])["abc"].cat.categories.tolist() == [
            "A 关键客户",
            "B 主要客户",
            "C 普通客户",
        ]
        assert seg.abc_classes([50, 30, 20], lang="en")["abc"].cat.categories[0] == "A key"
    finally:
        crmlib.set_language("en")
    assert crmlib.get_language() == "en"
    with pytest.raises(CRMDataError):
        crmlib.set_language("de")


def test_every_label_used_by_the_library_is_in_both_languages():
    keys = seg.SEGMENT_KEYS + seg.ABC_KEYS + seg.TIER_KEYS + seg.QUADRANT_KEYS + seg.RELATIONSHIP_KEYS
    for k in keys:
        en, zh = i18n.label(k, "en"), i18n.label(k, "zh")
        assert en and zh and en != zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), k
    assert len(set(i18n.categories(seg.SEGMENT_KEYS, "zh"))) == len(seg.SEGMENT_KEYS)


def test_glossary_is_searchable_in_both_languages():
    g = i18n.glossary()
    assert {"English", "中文", "definition"} <= set(g.columns) and len(g) >= 60
    assert "rfm" in i18n.glossary("recency").index
    assert "pareto" in i18n.glossary("二八").index
    assert i18n.glossary("no-such-term").empty
    assert i18n.term("man") == "MAN rule (MAN法则)"
    with pytest.raises(CRMDataError):
        i18n.label("nonexistent")


def test_text_templates_fill_both_languages_with_the_same_fields():
    assert i18n.TEXTS, "no text templates"
    for key, (en, zh) in i18n.TEXTS.items():
        fields_en, fields_zh = i18n.template_fields(en), i18n.template_fields(zh)
        assert fields_en == fields_zh, f"{key}: {fields_en} in English, {fields_zh} in Chinese"
        assert not fields_en & {"key", "lang"}, f"{key}: a field may not be called key or lang"
        assert en.strip() and zh.strip(), key
        plain = re.sub(r"\{[^{}]*\}", "", zh)  # the fields, with their format specs
        plain = re.sub(r"<[^>]*>", "", plain)  # HTML markup (a widget's <b>) is no sentence
        if any(ch.isalpha() for ch in plain):  # a sentence, not just fields and punctuation
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{key}: Chinese template without Chinese: {zh!r}"
        if key.endswith("_one"):
            assert key[:-4] + "_other" in i18n.TEXTS, f"{key} without its _other form"
        if key.endswith("_other"):
            assert key[:-6] + "_one" in i18n.TEXTS, f"{key} without its _one form"


def test_text_fills_chooses_the_count_form_and_names_mistakes():
    i18n.TEXTS["_t_one"], i18n.TEXTS["_t_other"] = ("{n} term", "{n} 个术语"), ("{n:,} terms", "{n:,} 个术语")
    i18n.TEXTS["_share"] = ("top {share:.0%}", "前 {share:.0%}")
    try:
        assert i18n.text("_t", "en", n=1) == "1 term"
        assert i18n.text("_t", "en", n=1200) == "1,200 terms"
        assert i18n.text("_t", "zh", n=0) == "0 个术语"
        assert i18n.text("_share", "zh", share=0.25) == "前 25%"
        crmlib.set_language("zh")
        assert i18n.text("_share", share=0.2) == "前 20%"
        crmlib.set_language("en")
        with pytest.raises(CRMDataError, match="needs \\['share'\\]"):
            i18n.text("_share", "en")
        with pytest.raises(CRMDataError, match="give n="):
            i18n.text("_t", "en")
        with pytest.raises(CRMDataError, match="did you mean '_share'"):
            i18n.text("_shar", "en", share=0.2)
        with pytest.raises(CRMDataError, match="cannot fill"):
            i18n.text("_share", "en", share="a lot")
        with pytest.raises(CRMDataError, match="field 'lang'"):
            i18n.text("_share", "fr", share=0.2)
    finally:
        crmlib.set_language("en")
        for k in ("_t_one", "_t_other", "_share"):
            del i18n.TEXTS[k]


def test_reference_table_lays_out_templates_in_either_language():
    i18n.TEXTS.update(
        {
            "_r_h_name": ("step", "步骤"),
            "_r_h_do": ("what to do", "做法"),
            "_r_a": ("apologise", "道歉"),
            "_r_a_do": ("Say sorry.", "先道歉。"),
            "_r_b": ("restate", "复述确认"),
            "_r_b_do": ("Repeat it.", "复述一遍。"),
        }
    )
    try:
        en = i18n.reference_table("_r", ["a", "b"], ["do"], "en")
        assert en.index.name == "step" and en.index.tolist() == ["apologise", "restate"]
        assert en.columns.tolist() == ["中文", "what to do"]  # the English table glosses its names
        assert en["中文"].tolist() == ["道歉", "复述确认"] and en.loc["restate", "what to do"] == "Repeat it."
        zh = i18n.reference_table("_r", ["a", "b"], ["do"], "zh")
        assert zh.index.name == "步骤" and zh.columns.tolist() == ["做法"]
        assert zh.to_dict() == {"做法": {"道歉": "先道歉。", "复述确认": "复述一遍。"}}
        flat = i18n.reference_table("_r", ["b"], lang="zh", names_as_index=False)
        assert flat.to_dict("list") == {"步骤": ["复述确认"]}
        with pytest.raises(CRMDataError, match="reference_table: field 'key'"):
            i18n.reference_table("_r", ["c"], lang="zh")
    finally:
        for k in ("_r_h_name", "_r_h_do", "_r_a", "_r_a_do", "_r_b", "_r_b_do"):
            del i18n.TEXTS[k]


def test_display_table_relabels_names_only():
    t = pd.DataFrame(
        {"revenue": [950.0, 60.0], "R": [4, 1], "unknown_col": ["x", "y"]},
        index=pd.Index(["A", "C"], name="customer_id"),
    )
    zh = i18n.display_table(t, "zh")
    assert zh.columns.tolist() == ["收入", "R", "unknown_col"] and zh.index.name == "客户编号"
    assert zh.to_numpy().tolist() == t.to_numpy().tolist()  # the values are the table's
    assert t.columns.tolist() == ["revenue", "R", "unknown_col"] and t.index.name == "customer_id"  # untouched
    s = i18n.display_table(t["revenue"], "zh")
    assert s.name == "收入" and s.index.name == "客户编号"
    cross = pd.crosstab(pd.Series(["a"], name="quadrant"), pd.Series(["b"], name="segment"))
    shown = i18n.display_table(cross, "zh")
    assert shown.index.name == "象限" and shown.columns.name == "细分群体"
    multi = t.groupby(["R"]).agg(total=("revenue", "sum"), customers=("revenue", "size"))
    assert i18n.display_table(multi, "zh").columns.tolist() == ["total", "客户数"]
    assert i18n.display_table(t, "en") is t and i18n.display_table([1], "zh") == [1]


def test_show_tables_in_sets_the_notebooks_display():
    from IPython.core.interactiveshell import InteractiveShell

    t = pd.DataFrame({"revenue": [1.0]}, index=pd.Index(["A"], name="customer_id"))
    shell = InteractiveShell.instance()
    try:
        assert i18n.show_tables_in("zh") is True
        data = shell.display_formatter.format(t)[0]
        assert "收入" in data["text/html"] and "客户编号" in data["text/plain"]
        assert "收入" in shell.display_formatter.format(t["revenue"])[0]["text/plain"]
        assert t.columns.tolist() == ["revenue"], "the table itself keeps its English names"
        assert i18n.show_tables_in("en") is True
        data = shell.display_formatter.format(t)[0]
        assert "revenue" in data["text/html"] and "收入" not in data["text/plain"]
    finally:
        i18n.show_tables_in("en")
        InteractiveShell.clear_instance()
    assert i18n.show_tables_in("zh") is False  # no notebook: nothing to set up
