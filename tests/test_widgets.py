"""Headless widget tests: set a control's value, assert on the recomputed result."""
from __future__ import annotations

import base64

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from crmlib import CRMDataError, segmentation as seg, widgets  # noqa: E402


@pytest.fixture
def tx():
    # customer a: 2 recent purchases; b: one big purchase a month ago; c: one small, long ago
    return pd.DataFrame({"customer_id": list("aabc"), "amount": [5.0, 5.0, 50.0, 1.0],
                         "date": ["2024-01-01", "2024-03-01", "2024-02-01", "2023-01-01"]})


def test_man_qualifier_walks_through_all_eight_codes():
    q = widgets.man_qualifier()
    seen = {}
    for m in (True, False):
        for a in (True, False):
            for n in (True, False):
                q.money.value, q.authority.value, q.need.value = m, a, n
                seen[q.result.code] = q.result.priority
                assert q.result.code in q.text.value
    assert seen == {"M+A+N": 1, "M+A+n": 2, "M+a+N": 3, "m+A+N": 4, "m+a+N": 5, "M+a+n": 6,
                    "m+A+n": 7, "m+a+n": 8}


def test_man_qualifier_in_chinese_shows_chinese_strategy():
    q = widgets.man_qualifier(lang="zh")
    q.money.value = False
    assert q.result.code == "m+A+N"
    assert "融资" in q.text.value and "购买能力" in q.money.description


def test_pareto_explorer_recomputes_top_share_and_text():
    p = widgets.pareto_explorer([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], fraction=0.2, draw=False)
    assert p.result == pytest.approx(0.7)
    p.fraction.value = 0.3          # top 3 of 10: 50 + 20 + 10
    assert p.result == pytest.approx(0.8)
    assert "30%" in p.text.value and "80.0%" in p.text.value


def test_pareto_explorer_draws_into_its_output():
    p = widgets.pareto_explorer([5.0, 3.0, 1.0, 1.0], draw=True)
    assert len(p.output.outputs) == 1                      # one figure shown
    p.fraction.value = 0.5
    assert len(p.output.outputs) == 1                      # redrawn, not appended
    assert p.result == pytest.approx(0.8)
    png = base64.b64decode(p.output.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_rfm_explorer_bins_and_segment_picker(tx):
    r = widgets.rfm_explorer(tx, bins=3, draw=False)
    assert r.result["segment"].astype(str).tolist() == ["Champions", "Loyal", "Hibernating"]
    assert r.summary.loc["Champions", "customers"] == 1
    r.segment.value = "Loyal"
    assert "Loyal" in r.text.value and "1 customer," in r.text.value          # one customer, not "1 customers"
    r.bins.value = 2   # two bins: a=(R2,F2,M1)->FM 1.5 -> high? level ceil(3*1.5/2)=3
    expected = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx), bins=2))
    assert r.result["segment"].astype(str).tolist() == expected["segment"].astype(str).tolist()
    assert r.result.attrs["bins"] == 2


def test_value_matrix_explorer_moves_the_cuts():
    v = widgets.value_matrix_explorer([900, 800, 100, 50], [50, 600, 700, 20], draw=False)
    # median cuts: current 450, potential 325
    assert v.result["quadrant"].astype(str).tolist() == ["maintain", "invest and retain", "develop",
                                                         "minimise cost"]
    v.potential_q.value = 0.05       # cut ~ 24.5: only 20 is low
    assert v.result["quadrant"].astype(str).tolist() == ["invest and retain", "invest and retain",
                                                         "develop", "minimise cost"]
    assert "invest and retain: <b>2</b>" in v.text.value


def test_widgets_reject_bad_input_before_building():
    with pytest.raises(CRMDataError) as e:
        widgets.pareto_explorer([1, -2, 3])
    assert e.value.field == "values" and e.value.rows == [1]
    with pytest.raises(CRMDataError):
        widgets.rfm_explorer(pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]}))
    with pytest.raises(CRMDataError):
        widgets.man_qualifier(lang="fr")
