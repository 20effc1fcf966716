"""``crmlib.set_language("zh")`` switches every kind of label a student sees (语言切换): the classes of
customers (Categoricals), the labels of tables, the text of plots and the controls of widgets —
without passing ``lang=`` to each call."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import crmlib
from crmlib import datasets, i18n, plots, segmentation as seg, selection, widgets

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    crmlib.set_language("zh")
    yield
    crmlib.set_language("en")


@pytest.fixture(scope="module")
def tx():
    return datasets.make_transactions(n_customers=120, seed=3)


def test_the_glossary_has_at_least_80_defined_terms():
    g = i18n.glossary()
    defined = g[g["definition"].str.strip() != ""]
    assert len(defined) >= 80
    assert defined["中文"].map(lambda s: bool(HAN.search(s))).all()
    assert defined["English"].str.lower().nunique() >= 80  # distinct terms, not only keys


def test_categories_switch(zh, tx):
    segs = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx)))
    cats = segs["segment"].cat.categories.tolist()
    assert cats == i18n.categories(seg.SEGMENT_KEYS, "zh") and all(HAN.search(c) for c in cats)
    vm = seg.value_matrix([900, 800, 100, 50], [50, 600, 700, 20])
    assert all(HAN.search(c) for c in vm["quadrant"].cat.categories)
    crmlib.set_language("en")
    assert seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx)))["segment"].cat.categories[0] == "Champions"


def test_table_labels_switch(zh):
    risks = pd.DataFrame(
        {
            "big": [True, False],
            "financial_risk": [True, False],
            "profit_risk": [False, True],
            "management_risk": [False, False],
            "churn_risk": [True, False],
        }
    )
    t = selection.risk_summary(risks)
    assert t.columns.tolist() == ["大客户", "其他客户"]
    assert t.index.tolist() == [i18n.label(k, "zh") for k in selection.RISK_KEYS]
    assert selection.risk_summary(risks, lang="en").columns.tolist() == ["big accounts", "other accounts"]


def test_plot_labels_switch(zh):
    ax = plots.lorenz_plot([1, 2, 3, 10])
    try:
        assert ax.get_xlabel() == "客户占比" and ax.get_ylabel() == "价值占比"
        assert ax.get_title().startswith("洛伦兹曲线")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["完全平等线", "洛伦兹曲线"]
    finally:
        plt.close(ax.figure)


def _descriptions(w):
    return [c.description for c in w.children[0].children]


def test_widget_labels_switch(zh, tx):
    made = {
        "man": widgets.man_qualifier(),
        "pareto": widgets.pareto_explorer([5, 3, 1, 1], draw=False),
        "rfm": widgets.rfm_explorer(tx, draw=False),
        "value matrix": widgets.value_matrix_explorer([9, 8, 1], [1, 6, 7], draw=False),
        "aging": widgets.aging_explorer(
            datasets.make_invoices(datasets.make_accounts(n=20, seed=1), seed=1), draw=False
        ),
        "glossary": widgets.glossary_search("loyal"),
    }
    for name, w in made.items():
        assert w.lang == "zh", name
        for d in _descriptions(w):
            assert HAN.search(d), f"{name}: control {d!r} is not labelled in Chinese"
        assert HAN.search(w.text.value), f"{name}: its verdict line is not in Chinese"
    crmlib.set_language("en")
    assert _descriptions(widgets.pareto_explorer([5, 3, 1, 1], draw=False)) == ["top share"]


def test_glossary_widget_is_a_view_over_i18n_glossary():
    g = widgets.glossary_search()
    assert g.result.equals(i18n.glossary())
    for word in ("loyal", "忠诚", "RFM", "no-such-term"):
        g.search.value = word
        assert g.result.equals(i18n.glossary(word))
        assert f"<p>{len(g.result)} term" in g.text.value
    g.search.value = "二八"
    assert "二八法则" in g.text.value and "<table" in g.text.value
