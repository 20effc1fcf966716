"""Headless widget tests: set a control's value, assert on the recomputed result."""

from __future__ import annotations

import base64

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from crmlib import CRMDataError, segmentation as seg, widgets


@pytest.fixture
def tx():
    # customer a: 2 recent purchases; b: one big purchase a month ago; c: one small, long ago
    return pd.DataFrame(
        {
            "customer_id": list("aabc"),
            "amount": [5.0, 5.0, 50.0, 1.0],
            "date": ["2024-01-01", "2024-03-01", "2024-02-01", "2023-01-01"],
        }
    )


def test_man_qualifier_walks_through_all_eight_codes():
    q = widgets.man_qualifier()
    seen = {}
    for m in (True, False):
        for a in (True, False):
            for n in (True, False):
                q.money.value, q.authority.value, q.need.value = m, a, n
                seen[q.result.code] = q.result.priority
                assert q.result.code in q.text.value
    assert seen == {"M+A+N": 1, "M+A+n": 2, "M+a+N": 3, "m+A+N": 4, "m+a+N": 5, "M+a+n": 6, "m+A+n": 7, "m+a+n": 8}


def test_man_qualifier_in_chinese_shows_chinese_strategy():
    q = widgets.man_qualifier(lang="zh")
    q.money.value = False
    assert q.result.code == "m+A+N"
    assert "融资" in q.text.value and "购买能力" in q.money.description


def test_pareto_explorer_recomputes_top_share_and_text():
    p = widgets.pareto_explorer([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], fraction=0.2, draw=False)
    assert p.result == pytest.approx(0.7)
    p.fraction.value = 0.3  # top 3 of 10: 50 + 20 + 10
    assert p.result == pytest.approx(0.8)
    assert "30%" in p.text.value and "80.0%" in p.text.value


def test_pareto_explorer_draws_into_its_output():
    p = widgets.pareto_explorer([5.0, 3.0, 1.0, 1.0], draw=True)
    assert len(p.output.outputs) == 1  # one figure shown
    p.fraction.value = 0.5
    assert len(p.output.outputs) == 1  # redrawn, not appended
    assert p.result == pytest.approx(0.8)
    png = base64.b64decode(p.output.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_rfm_explorer_bins_and_segment_picker(tx):
    r = widgets.rfm_explorer(tx, bins=3, draw=False)
    assert r.result["segment"].astype(str).tolist() == ["Champions", "Loyal", "Hibernating"]
    assert r.summary.loc["Champions", "customers"] == 1
    r.segment.value = "Loyal"
    assert "Loyal" in r.text.value and "1 customer," in r.text.value  # one customer, not "1 customers"
    r.bins.value = 2  # two bins: a=(R2,F2,M1)->FM 1.5 -> high? level ceil(3*1.5/2)=3
    expected = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx), bins=2))
    assert r.result["segment"].astype(str).tolist() == expected["segment"].astype(str).tolist()
    assert r.result.attrs["bins"] == 2


def test_value_matrix_explorer_moves_the_cuts():
    v = widgets.value_matrix_explorer([900, 800, 100, 50], [50, 600, 700, 20], draw=False)
    # median cuts: current 450, potential 325
    assert v.result["quadrant"].astype(str).tolist() == ["maintain", "invest and retain", "develop", "minimise cost"]
    v.potential_q.value = 0.05  # cut ~ 24.5: only 20 is low
    assert v.result["quadrant"].astype(str).tolist() == [
        "invest and retain",
        "invest and retain",
        "develop",
        "minimise cost",
    ]
    assert "invest and retain: <b>2</b>" in v.text.value


def test_widgets_reject_bad_input_before_building():
    with pytest.raises(CRMDataError) as e:
        widgets.pareto_explorer([1, -2, 3])
    assert e.value.field == "values" and e.value.rows == [1]
    with pytest.raises(CRMDataError):
        widgets.rfm_explorer(pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"]}))
    with pytest.raises(CRMDataError):
        widgets.man_qualifier(lang="fr")


# ============================================================================ the package
import ast  # noqa: E402
import importlib  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from crmlib import datasets, i18n  # noqa: E402
from crmlib.widgets import base  # noqa: E402

PACKAGE = Path(widgets.__file__).parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_name_is_re_exported_from_its_chapter_module():
    assert sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__") == sorted(widgets.MODULES)
    for module, names in widgets.MODULES.items():
        mod = importlib.import_module(f"crmlib.widgets.{module}")
        for name in names:
            assert getattr(widgets, name) is getattr(mod, name), name
            assert getattr(mod, name).__module__ == mod.__name__, name
    assert set(widgets.__all__) <= set(dir(widgets))
    assert widgets.loyalty is importlib.import_module("crmlib.widgets.loyalty")
    with pytest.raises(AttributeError):
        _ = widgets.no_such_explorer


def _strings_outside_docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_sentences_come_from_templates_not_language_branches(path):
    """No ``lang == "zh"`` (or ``zh = …`` / ``if zh``) in the explorers' code, and no Chinese text
    outside docstrings: every sentence is an i18n.TEXTS template, so a new language adds text."""
    code = path.read_text(encoding="utf-8")
    assert not re.search(r"""==\s*["']zh["']|["']zh["']\s*==|\bzh\s*=|\bif\s+zh\b|\bzh\s+else\b""", code)
    assert [s for s in _strings_outside_docstrings(path) if HAN.search(s)] == []
    for key in re.findall(r"""say\(\s*["'](w_\w+)["']""", code):
        assert key in i18n.TEXTS or (f"{key}_one" in i18n.TEXTS and f"{key}_other" in i18n.TEXTS), key


def test_every_widget_template_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    keys = {re.sub(r"_(one|other)$", "", k) for k in i18n.TEXTS if k.startswith("w_")}
    assert sorted(k for k in keys if f'"{k}"' not in code and f"'{k}'" not in code) == []


def _small_explorers(lang):
    """One of every explorer on small data, without figures."""
    from crmlib import casework as CW
    from crmlib.records import Archive

    tx = datasets.make_transactions(n_customers=60, seed=1)
    revenue = tx.groupby("customer_id")["amount"].sum()
    accounts = datasets.make_accounts(n=30, seed=1)
    players = datasets.make_casino_players(200, seed=2)
    rice = datasets.make_rice_purchases(n_households=40, days=200, seed=1)
    arc = Archive(":memory:")
    arc.add("customers", pd.DataFrame({"customer_id": ["K1", "K2"], "name": ["王记米店", "王家粮行"]}))
    kw = dict(draw=False, lang=lang)
    return {
        "man": widgets.man_qualifier(lang=lang),
        "glossary": widgets.glossary_search("loyal", lang=lang),
        "pareto": widgets.pareto_explorer(revenue, **kw),
        "rfm": widgets.rfm_explorer(tx, **kw),
        "value matrix": widgets.value_matrix_explorer(revenue, revenue[::-1].to_numpy(), **kw),
        "ideal": widgets.ideal_score_explorer(accounts, **kw),
        "aging": widgets.aging_explorer(datasets.make_invoices(accounts, seed=1), **kw),
        "funnel": widgets.funnel_explorer(datasets.make_leads(n=200, seed=2), **kw),
        "franklin": widgets.franklin_explorer(**kw),
        "contact": widgets.contact_rule_explorer(datasets.make_leads(n=200, seed=2), **kw),
        "ipa": widgets.ipa_explorer(datasets.make_survey(n_respondents=30, seed=1), **kw),
        "iceberg": widgets.iceberg_calculator(value_per_customer=100.0, **kw),
        "value loyalty": widgets.value_loyalty_explorer(tx, **kw),
        "clv": widgets.clv_explorer(tx, **kw),
        "retention": widgets.retention_explorer(1000, 0.8, 1e5, 50, 300, **kw),
        "comp": widgets.comp_explorer(
            players["net_loss"], CW.design_tiers(players["net_loss"])["tier"].to_numpy(), **kw
        ),
        "lobby": widgets.lobby_explorer(datasets.make_lobby_visitors(12, seed=1), **kw),
        "delivery": widgets.delivery_explorer(rice, rice["date"].min() + pd.Timedelta(days=120), **kw),
        "customer search": widgets.customer_search(arc, query="王", lang=lang),
    }


def test_every_explorer_speaks_chinese():
    made = _small_explorers("zh")
    assert {type(w).__name__ for w in made.values()} == {n for n in widgets.__all__ if n[0].isupper()} - {"Explorer"}
    for name, w in made.items():
        for c in w.children[0].children:
            assert HAN.search(c.description), f"{name}: control {c.description!r} is not labelled in Chinese"
        assert HAN.search(w.text.value), f"{name}: verdict {w.text.value!r} is not in Chinese"


def test_english_verdicts_keep_their_words():
    made = _small_explorers("en")
    for name in ("pareto", "rfm", "funnel", "contact", "ipa", "iceberg", "clv", "retention", "comp", "delivery"):
        assert not HAN.search(made[name].text.value), name
    assert "of 8" in made["man"].text.value and "Serve first: " in made["lobby"].text.value
    assert made["rfm"].segment.options[0] == ("(all)", "(all)")
    assert _small_explorers("zh")["rfm"].segment.options[0] == ("(全部)", "(all)")  # the value stays "(all)"


# ============================================================================ speed: what is kept
def _png(w):
    return w.output.outputs[0]["data"]["image/png"]


def test_a_control_the_result_does_not_read_redraws_nothing(tx):
    r = widgets.rfm_explorer(tx, bins=3, draw=True)
    result, outputs = r.result, r.output.outputs
    r.segment.value = "Loyal"
    assert r.result is result and r.output.outputs is outputs  # same result, same figure
    assert "<b>Loyal</b>" in r.text.value
    r.bins.value = 2
    assert r.result is not result and r.output.outputs is not outputs


def test_going_back_to_a_setting_shows_the_kept_result_and_figure():
    p = widgets.pareto_explorer([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], fraction=0.2, draw=True)
    first_png, first = _png(p), p.result
    p.fraction.value = 0.5
    assert _png(p) != first_png and p.result == pytest.approx(0.95)
    p.fraction.value = 0.2
    assert _png(p) == first_png and p.result == first


def test_clv_explorer_reuses_the_report_when_only_the_customer_changes(monkeypatch):
    from crmlib import loyalty

    tx = datasets.make_transactions(n_customers=300, seed=1)
    calls = []
    real = loyalty.clv_from_summary
    monkeypatch.setattr(loyalty, "clv_from_summary", lambda *a, **k: calls.append(k) or real(*a, **k))
    cx = widgets.clv_explorer(tx, draw=True)
    assert [c["models"] for c in calls] == [None]  # the fit of clv_report; its report is kept
    calls.clear()
    png = _png(cx)
    cx.customer.value = cx.customer.options[5]
    assert calls == [] and _png(cx) != png  # a new mark on the figure, no new report
    cx.horizon.value = 24
    assert len(calls) == 1 and calls[0]["horizon_months"] == 24
    cx.horizon.value = 12  # back: the kept report
    assert len(calls) == 1
    cx.horizon.value = 24
    assert len(calls) == 1
    pd.testing.assert_frame_equal(cx.result, loyalty.clv_report(tx, horizon_months=24, models=cx.models))


def test_results_kept_are_bounded():
    p = widgets.pareto_explorer(list(range(1, 50)), draw=True)
    for f in np.arange(0.01, 1.0, 0.01):
        p.fraction.value = round(float(f), 2)
    assert len(p._results) == p.keep and len(p._figures) == p.keep_figures


# ============================================================================ speed: one figure, rendered once
def test_the_figure_is_reused_and_holds_only_the_last_drawing(tx):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    r = widgets.rfm_explorer(tx, bins=3, draw=True)
    fig = r.figure
    for b in (2, 4, 3, 5):
        r.bins.value = b
    assert r.figure is fig and len(fig.axes) == 1 and plt.get_fignums() == before  # no pyplot figures
    fresh = widgets.rfm_explorer(tx, bins=5, draw=True)
    assert len(fig.axes[0].patches) == len(fresh.figure.axes[0].patches)
    assert len(fig.axes[0].texts) == len(fresh.figure.axes[0].texts)
    assert fig.axes[0].get_title() == fresh.figure.axes[0].get_title()


class _Labels(base.Explorer):
    """Bars whose category names are as long as the slider says."""

    keep = 4

    def controls(self):
        self.width = base._bounded(self, "width", __import__("ipywidgets").IntSlider, 1, min=1, max=80)
        return [self.width]

    def compute(self):
        return "x" * self.width.value

    def draw(self, label, ax):
        ax.barh([label, "b"], [1, 2])


def test_the_layout_is_fitted_again_when_a_drawing_no_longer_fits(monkeypatch):
    e = _Labels(draw=True)
    left = e.figure.subplotpars.left
    assert base._fits(e.figure)
    fitted = []
    monkeypatch.setattr(
        type(e.figure), "tight_layout", lambda self, *a, **k: fitted.append(1) or real_tight(self, *a, **k)
    )
    e.width.value = 2  # as wide as before: the kept layout fits
    assert fitted == [] and base._fits(e.figure)
    e.width.value = 60  # a long label: it would be cut off, so fit again
    assert fitted == [1] and base._fits(e.figure) and e.figure.subplotpars.left > left


from matplotlib.figure import Figure  # noqa: E402

real_tight = Figure.tight_layout


def test_fits_sees_ink_at_the_edge():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(2, 1), dpi=50)
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    assert base._fits(fig)  # blank: nothing to cut off
    fig.text(0.0, 0.5, "edge")
    fig.canvas.draw()
    assert not base._fits(fig)


def _fits_pixel_by_pixel(fig) -> bool:
    """The rule of base._fits written out plainly: every pixel more than 8 levels off the background
    in a channel is ink; each margin (figure edge to the nearest ink) within [MARGIN_MIN, MARGIN_MAX]."""
    rgba = np.asarray(fig.canvas.buffer_rgba())
    back = np.round(np.asarray(fig.get_facecolor()[:3]) * 255)
    ink = (np.abs(rgba[..., :3].astype(np.int16) - back) > 8).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0:
        return True
    margins = (rows[0], ink.shape[0] - 1 - rows[-1], cols[0], ink.shape[1] - 1 - cols[-1])
    return all(base.MARGIN_MIN <= m <= base.MARGIN_MAX for m in margins)


@pytest.mark.parametrize("facecolor", ["white", "#334455"])
def test_fits_agrees_with_the_pixel_by_pixel_rule(facecolor):
    """Faint pixels (8 levels or less off the background) are not ink, whatever the background."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(3, 2), dpi=50, facecolor=facecolor)
    FigureCanvasAgg(fig)
    back = np.round(np.asarray(fig.get_facecolor()[:3]) * 255)
    seen = set()
    for x, y, text in [(0.5, 0.5, "ink"), (0.01, 0.5, "ink"), (0.5, 0.99, "ink"), (0.5, 0.5, "")]:
        fig.clear()
        fig.text(x, y, text, color="black" if facecolor == "white" else "white")
        fig.canvas.draw()
        assert base._fits(fig) == _fits_pixel_by_pixel(fig)
        seen.add(base._fits(fig))
        buf = np.asarray(fig.canvas.buffer_rgba())
        buf[0, :, :3] = np.clip(back + 8, 0, 255)  # a faint top row and right column: still no ink
        buf[:, -1, :3] = np.clip(back - 8, 0, 255)
        assert base._fits(fig) == _fits_pixel_by_pixel(fig)
        buf[0, 5, 0] = np.clip(back[0] + 9, 0, 255) if back[0] < 128 else back[0] - 9  # one pixel of ink
        assert base._fits(fig) == _fits_pixel_by_pixel(fig) is False
    assert seen == {True, False}


def test_the_png_is_the_rendering():
    """RGB when the figure is opaque, pixel for pixel the canvas."""
    import io

    from PIL import Image

    p = widgets.pareto_explorer([5.0, 3.0, 1.0, 1.0], draw=True)
    image = Image.open(io.BytesIO(base64.b64decode(_png(p))))
    assert image.mode == "RGB"
    assert (np.asarray(image) == np.asarray(p.figure.canvas.buffer_rgba())[..., :3]).all()


class _Offset(base.Explorer):
    """A line near 1e9, whose y axis shows an offset text (+1e9) where a long title would sit."""

    keep = 4

    def controls(self):
        self.n = base._bounded(self, "n", __import__("ipywidgets").IntSlider, 1, min=1, max=5)
        return [self.n]

    def compute(self):
        return self.n.value

    def draw(self, n, ax):
        ax.plot([0, 1], [1e9, 1e9 + n])
        ax.set_title(self.title)


LONG_TITLE = "a title that is long enough to run over the offset text that the y axis shows on the left"


@pytest.mark.parametrize("title", ["short", LONG_TITLE])
def test_a_title_sits_where_matplotlib_places_it_and_is_placed_only_when_it_moves(monkeypatch, title):
    """The explorer renders with the title at the top of the Axes (axes.titley = 1) and renders again,
    with matplotlib's placement, only when that would raise the title (here: above the y axis's
    offset text): the title ends where a plain matplotlib figure of the same layout puts it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    monkeypatch.setattr(_Offset, "title", title, raising=False)
    e = _Offset(draw=True)
    # counted: the drawings of one interaction (each one rendered once, or twice when the layout is
    # fitted again; how often a layout fits depends on matplotlib's version: 3.9 refits the long title)
    draws = []
    real_draw = _Offset.draw
    monkeypatch.setattr(_Offset, "draw", lambda self, *a: draws.append(1) or real_draw(self, *a))
    e.n.value = 2
    monkeypatch.setattr(_Offset, "draw", real_draw)
    real = FigureCanvasAgg.draw
    fig = Figure(figsize=base.FIGSIZE, dpi=base.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_position(e.figure.axes[0].get_position())
    e.draw(2, ax)
    real(fig.canvas)  # matplotlib places the title
    moved = bool(ax.title.get_position()[1] > 1.0)
    assert moved is (len(title) > 5)  # the long title runs over "+1e9" and goes up
    assert len(draws) == (2 if moved else 1)
    assert e.figure.axes[0].title.get_position() == pytest.approx(ax.title.get_position())


def test_a_drawing_after_the_fonts_were_reset_keeps_them_without_rebuilding_ticks(monkeypatch):
    """A notebook may reset matplotlib's fonts after making an explorer (seaborn.set_theme() does):
    the explorer clears and draws under the plots' fonts, so its ticks are made with the CJK
    fallback at once and no plot has to rebuild them (Axes.tick_params(labelfontfamily=...))."""
    from matplotlib.axes import Axes

    w = widgets.funnel_explorer(datasets.make_leads(n=200, seed=2), lang="zh")
    rebuilt = []
    real = Axes.tick_params
    monkeypatch.setattr(Axes, "tick_params", lambda self, *a, **k: rebuilt.append(k) or real(self, *a, **k))
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        w.first.value = [o for o in w.first.options if o not in (w.first.value, w.second.value)][0]
    ax = w.figure.axes[0]
    assert [k for k in rebuilt if "labelfontfamily" in k] == []
    assert all(i18n.cjk_font() in t.get_fontfamily() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()])


def test_import_is_light():
    """``import crmlib.widgets`` imports no explorer, matplotlib, seaborn or topic module; the first
    use of an explorer imports its chapter's module only."""
    code = (
        "import sys, crmlib.widgets as w; a = set(sys.modules); w.rfm_explorer; b = set(sys.modules); "
        "print(sorted(m for m in a if m.split('.')[0] in ('matplotlib', 'seaborn', 'scipy', 'ipywidgets') "
        "or m.startswith(('crmlib.widgets.', 'crmlib.plots', 'crmlib.loyalty', 'crmlib.clv')))); "
        "print(sorted(m for m in b - a if m.startswith('crmlib.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    loaded = ast.literal_eval(out[1])
    assert "crmlib.widgets.identification" in loaded and "crmlib.widgets.base" in loaded
    assert not [m for m in loaded if m.startswith(("crmlib.plots", "crmlib.loyalty", "crmlib.widgets.loyalty"))]


def test_a_first_chinese_figure_has_every_glyph():
    """The explorer's Figure is made before crmlib.plots is imported (which sets the fonts): its
    Axes must still get the CJK fallback font (no 'Glyph … missing' warning), in a fresh process."""
    code = (
        "import warnings; warnings.simplefilter('error', UserWarning); import matplotlib; matplotlib.use('Agg'); "
        "from crmlib import widgets; w = widgets.pareto_explorer([5.0, 3.0, 1.0, 1.0], lang='zh'); "
        "w.fraction.value = 0.5; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]


# ============================================================================ speed: the same pictures
def _shown(w) -> np.ndarray:
    """The pixels of the figure the explorer shows."""
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(_png(w)))))


def _drawn_anew(w, monkeypatch) -> np.ndarray:
    """The pixels of ``w``'s current setting drawn as a first drawing is: on a new Figure of the same
    layout, every tick made anew, the legend placed by matplotlib alone."""
    import io

    from PIL import Image

    old = w.figure
    w._fig = None
    pars = {k: getattr(old.subplotpars, k) for k in ("left", "right", "bottom", "top", "wspace", "hspace")}
    w.figure.subplots_adjust(**pars)
    with monkeypatch.context() as m:
        m.setattr(base, "SHORTCUTS", False)
        png = w.render(w.result)
    w._fig = old
    return np.asarray(Image.open(io.BytesIO(png)))


def _moves(w):
    """Two settings of one control of each explorer (a control that changes its figure)."""
    for name in ("bins", "fraction", "current_q", "value_q", "min_repeats", "horizon", "as_of", "first", "limit"):
        if hasattr(w, name):
            ctl = getattr(w, name)
            break
    else:
        ctl = None
    if hasattr(w, "sliders"):
        ctl = w.sliders["demand"]
    elif hasattr(w, "weights"):
        ctl = w.weights[1]
    elif hasattr(w, "rates"):
        ctl = w.rates[3]
    elif hasattr(w, "segment") and not hasattr(w, "bins"):
        ctl = w.segment
    elif hasattr(w, "n_complaints"):
        ctl = w.n_complaints
    elif hasattr(w, "gain"):
        ctl = w.gain
    elif hasattr(w, "lead"):
        ctl = w.lead
    if hasattr(ctl, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in ctl.options]
        values = [v for v in values if v != ctl.value and v != getattr(getattr(w, "second", None), "value", None)]
        return ctl, values[:2]
    lo, hi, step = ctl.min, ctl.max, ctl.step
    picks = [lo + step * round((hi - lo) / step * f) for f in (0.9, 0.3)]
    return ctl, [round(p, 4) if isinstance(p, float) else p for p in picks]


@pytest.mark.parametrize(
    "name",
    [
        "pareto",
        "rfm",
        "value matrix",
        "ideal",
        "aging",
        "funnel",
        "contact",
        "ipa",
        "iceberg",
        "value loyalty",
        "clv",
        "retention",
        "comp",
        "lobby",
        "delivery",
    ],
)
def test_a_redrawn_figure_is_pixel_for_pixel_a_first_drawing(name, monkeypatch):
    """Every shortcut of a redrawing (ticks of the last drawing lent, the legend's place found
    faster, artists updated in place) leaves the picture a drawing from scratch would give."""
    w = _drawing_explorers(name)
    ctl, values = _moves(w)
    for v in values:
        ctl.value = v
        shown, anew = _shown(w), _drawn_anew(w, monkeypatch)
        assert shown.shape == anew.shape and (shown == anew).all(), f"{name}: {ctl.description} = {v}"


@pytest.mark.parametrize("name", ["value matrix", "value loyalty", "ideal", "ipa", "lobby"])
def test_explorers_that_move_artists_in_place_do_so_for_their_main_control(name, monkeypatch):
    """The explorers with a ``redraw`` change the last drawing in place for each move of their main
    control (the pixel test above checks that the picture is still a first drawing's): a redraw
    that silently fell back to drawing anew would only be slower."""
    w = _drawing_explorers(name)
    taken = []
    redraw = type(w).redraw
    monkeypatch.setattr(type(w), "redraw", lambda self, *a: taken.append(redraw(self, *a)) or taken[-1])
    ctl, values = _moves(w)
    for v in values:
        ctl.value = v
        _png(w)
    assert taken == [True] * len(values), f"{name}: {ctl.description} moved to {values}: {taken}"


def _drawing_explorers(name):
    """An explorer that draws, on data large enough for its figure to change with a control."""
    from crmlib import casework as CW

    def tx():
        return datasets.make_transactions(n_customers=400, seed=1)

    def revenue():
        return tx().groupby("customer_id")["amount"].sum()

    def rice():
        return datasets.make_rice_purchases(n_households=40, days=200, seed=1)

    def comp():
        players = datasets.make_casino_players(300, seed=2)
        return widgets.comp_explorer(players["net_loss"], CW.design_tiers(players["net_loss"])["tier"].to_numpy())

    make = {
        "pareto": lambda: widgets.pareto_explorer(revenue()),
        "rfm": lambda: widgets.rfm_explorer(tx()),
        "value matrix": lambda: widgets.value_matrix_explorer(
            revenue(), np.random.default_rng(1).gamma(2.0, 300.0, len(revenue()))
        ),
        "ideal": lambda: widgets.ideal_score_explorer(datasets.make_accounts(n=60, seed=1)),
        "aging": lambda: widgets.aging_explorer(datasets.make_invoices(datasets.make_accounts(n=60, seed=1), seed=1)),
        "funnel": lambda: widgets.funnel_explorer(datasets.make_leads(n=300, seed=2)),
        "contact": lambda: widgets.contact_rule_explorer(datasets.make_leads(n=300, seed=2)),
        "ipa": lambda: widgets.ipa_explorer(datasets.make_survey(n_respondents=200, seed=1)),
        "iceberg": lambda: widgets.iceberg_calculator(value_per_customer=100.0),
        "value loyalty": lambda: widgets.value_loyalty_explorer(tx()),
        "clv": lambda: widgets.clv_explorer(tx()),
        "retention": lambda: widgets.retention_explorer(1000, 0.8, 1e5, 50, 300),
        "comp": comp,
        "lobby": lambda: widgets.lobby_explorer(datasets.make_lobby_visitors(30, seed=1)),
        "delivery": lambda: widgets.delivery_explorer(rice(), rice()["date"].min() + pd.Timedelta(days=120)),
    }
    return make[name]()


def test_ipa_explorer_shows_the_segments_importance_performance():
    from crmlib import satisfaction as SAT

    sv = datasets.make_survey(n_respondents=80, seed=2)
    w = widgets.ipa_explorer(sv)
    w.segment.value = "business"
    w.cut.value = "median"
    expect = SAT.importance_performance(sv[sv["segment"] == "business"], cut="median")
    pd.testing.assert_frame_equal(w.result, expect)
    ax = w.figure.axes[0]
    dots = np.concatenate([c.get_offsets() for c in ax.collections])
    assert sorted(map(tuple, dots)) == sorted(zip(expect["performance"], expect["importance"]))
    assert [t.get_text() for t in ax.texts] == expect.index.astype(str).tolist()
    assert ax.lines[0].get_ydata()[0] == expect.attrs["importance_line"]
    assert ax.lines[1].get_xdata()[0] == expect.attrs["performance_line"]


@pytest.mark.parametrize("name", ["value matrix", "value loyalty"])
def test_a_moved_cut_moves_the_dots_in_place_and_the_picture_is_a_first_drawing(name, monkeypatch):
    """The value explorers change only the classes of their dots and their cut lines: the dots are
    moved between the scatters in place (no new drawing), each scatter then holds the dots of its
    class, the cut lines stand at the cuts, and the pixels are those of a drawing anew."""
    import crmlib.widgets.identification as WI
    import crmlib.widgets.loyalty as WL

    moved = []
    for mod in (WI, WL):
        real = mod._move_dots
        monkeypatch.setattr(mod, "_move_dots", lambda *a, real=real: moved.append(real(*a)) or moved[-1])
    w = _drawing_explorers(name)
    ctl = w.current_q if name == "value matrix" else w.value_q
    for v in (0.7, 0.35):
        ctl.value = v
        ax = w.figure.axes[0]
        cls = w.result["quadrant" if name == "value matrix" else "relationship"]
        x = w.result["current" if name == "value matrix" else "value"].to_numpy()
        present = [c for c in cls.cat.categories if (cls == c).any()]
        assert [c.get_label() for c in ax.collections] == [str(c) for c in present]
        for coll, c in zip(ax.collections, present):
            assert sorted(coll.get_offsets()[:, 0]) == sorted(x[(cls == c).to_numpy()])
        cut = w.result.attrs["current_cut" if name == "value matrix" else "value_cut"]
        assert ax.lines[0].get_xdata()[0] == cut
        shown, anew = _shown(w), _drawn_anew(w, monkeypatch)
        assert (shown == anew).all()
    assert moved == [True, True]


def test_move_dots_refuses_what_a_drawing_anew_would_draw_otherwise():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    before = pd.Categorical(["a", "b", "a", "b"], categories=["a", "b", "c"])
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 2.0, 3.0, 4.0])
    for c in ("a", "b"):
        m = np.asarray(before == c)
        ax.scatter(x[m], y[m], label=c)
    ax.axvline(2.5)
    now = pd.Categorical(["a", "a", "b", "b"], categories=["a", "b", "c"])
    assert not base._move_dots(ax, before, pd.Categorical(["a", "c", "a", "b"], categories=["a", "b", "c"]), [])
    assert not base._move_dots(ax, before, now, [("x", 2.5, 9.0)])  # outside the dots: the axes would grow
    assert not base._move_dots(ax, before, now, [("x", 2.5, None)])
    assert [len(c.get_offsets()) for c in ax.collections] == [2, 2]
    assert base._move_dots(ax, before, now, [("x", 2.5, 2.0)])
    assert ax.collections[0].get_offsets()[:, 0].tolist() == [1.0, 2.0]
    assert ax.collections[1].get_offsets()[:, 0].tolist() == [3.0, 4.0]
    assert ax.lines[0].get_xdata()[0] == 2.0
