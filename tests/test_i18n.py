"""Language switching and the glossary."""
from __future__ import annotations

import pandas as pd
import pytest

import crmlib
from crmlib import CRMDataError, i18n, segmentation as seg


def test_set_language_switches_category_labels():
    try:
        crmlib.set_language("zh")
        assert seg.abc_classes([50, 30, 20])["abc"].cat.categories.tolist() == ["A 关键客户", "B 主要客户", "C 普通客户"]
        assert seg.abc_classes([50, 30, 20], lang="en")["abc"].cat.categories[0] == "A key"
    finally:
        crmlib.set_language("en")
    assert crmlib.get_language() == "en"
    with pytest.raises(CRMDataError):
        crmlib.set_language("de")


def test_every_label_used_by_the_library_is_in_both_languages():
    keys = (seg.SEGMENT_KEYS + seg.ABC_KEYS + seg.TIER_KEYS + seg.QUADRANT_KEYS + seg.RELATIONSHIP_KEYS)
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
