"""Every chapter in a real browser: JupyterLab in headless Chromium opens the chapter, runs all
cells, operates one of its widgets like a student would (slider, checkbox, text box) and checks that
the verdict on the page changes to exactly what crmlib computes for the new setting. No JavaScript
errors are allowed. Chapters are discovered by glob; a chapter without a case below fails.

The expected text is computed here, in the test process, with the same crmlib functions on the same
data (the notebook copies run a small tested parameter set from tests/params/, see _support.small_parameters),
and additionally rebuilt through a headless copy of the widget to compare the whole sentence.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable

import pytest

import _lab
from crmlib import datasets, development, i18n, loyalty, qualification, receivables, satisfaction, segmentation, widgets

pytestmark = pytest.mark.ui

CASES: dict[str, Callable] = {}


def case(stem: str):
    def register(fn):
        CASES[stem] = fn
        return fn

    return register


# --------------------------------------------------------------------------------- page helpers
def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)  # a recompute after a change is ~0.5 s, but the machine is shared
    return expect


def verdict(box):
    """The explorer's one-line verdict (its HTML widget)."""
    return box.locator(".widget-html .widget-html-content").first


def shows(loc, text: str) -> None:
    """Wait until the element's rendered text (innerText: a <br> is a line break, as the student
    sees it; whitespace normalised) is exactly ``text``."""
    _expect()(loc).to_have_text(text, use_inner_text=True)


def shows_part(loc, text: str) -> None:
    _expect()(loc).to_contain_text(text, use_inner_text=True)


def figure_src(box) -> str | None:
    img = box.locator(".jp-OutputArea-output img")
    return img.first.get_attribute("src") if img.count() else None


def redrawn(box, before: str | None, timeout_s: float = 15.0) -> None:
    """The explorer's figure was replaced (the verdict is written before the figure is drawn)."""
    end = time.monotonic() + timeout_s
    while figure_src(box) == before:
        assert time.monotonic() < end, "the widget's figure was not redrawn"
        time.sleep(0.1)


def label(box, description: str):
    """A control's description label (taken from a headless copy of the widget: labels follow ``lang``)."""
    return box.page.locator("label.widget-label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))


def slider(box, description: str):
    s = box.locator(".widget-slider").filter(has=label(box, description))
    _expect()(s).to_have_count(1)
    return s


def press(slider_loc, key: str, times: int = 1) -> None:
    """Focus the slider's handle and press an arrow key, one step per press (as with the keyboard)."""
    handle = slider_loc.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def readout(slider_loc):
    return slider_loc.locator(".widget-readout")


# ----------------------------------------------------------------------------------- the cases
@case("00_start_here")
def _man_qualifier(nb: _lab.NotebookPage, p: dict) -> None:
    """Untick "Authority" in the MAN qualifier: M+A+N (priority 1) becomes crmlib's M+a+N."""
    box = nb.widget("widgets.man_qualifier()")
    before = qualification.man_classify(True, True, True)
    shows_part(verdict(box), f"{before.code} — priority {before.priority} of 8")
    ref = widgets.man_qualifier(lang=p["lang"])
    box.get_by_label(ref.authority.description).click()
    after = qualification.man_classify(True, False, True)
    assert (after.code, after.priority) == ("M+a+N", 3)
    strategy = after.strategy_zh if p["lang"] == "zh" else after.strategy
    shows(verdict(box), f"{after.code} — priority {after.priority} of 8 {strategy}")
    ref.authority.value = False
    shows(verdict(box), _lab.html_text(ref.text.value))
    if any("glossary_search(" in c for c in nb.chapter.cells):
        # the glossary search box: type a word, the count line and the table follow i18n.glossary
        gbox = nb.widget("widgets.glossary_search(")
        rows = int(re.search(r"rows=(\d+)", nb.chapter.cells[nb.chapter.cell_index("widgets.glossary_search(")])[1])
        field = gbox.locator(".widget-text input")
        field.fill("")
        field.press_sequentially("loyal")
        g = i18n.glossary("loyal")
        assert 0 < len(g) < len(i18n.glossary())
        gref = widgets.glossary_search("loyal", rows=rows, lang=p["lang"])
        head = _lab.html_text(gref.text.value.split("</p>")[0])
        assert str(len(g)) in head
        shows(verdict(gbox).locator("p").first, head)
        _expect()(verdict(gbox).locator("tbody tr")).to_have_count(min(len(g), rows))
        shows_part(verdict(gbox).locator("tbody"), str(g.index[0]))


@case("01_identification")
def _pareto(nb: _lab.NotebookPage, p: dict) -> None:
    """Move the top-share slider five steps right (0.20 → 0.25): the verdict shows crmlib's
    top_share(revenue, 0.25) formatted as the widget does (``.1%``)."""
    tx = datasets.make_transactions(n_customers=p["n_customers"], seed=p["seed"])
    revenue = segmentation.rfm_table(tx)["monetary"]  # the notebook's `revenue`
    start = p["top_fraction"]
    target = round(start + 0.05, 2)
    box = nb.widget("widgets.pareto_explorer(")
    ref = widgets.pareto_explorer(revenue, fraction=start, draw=False, lang=p["lang"])
    shows(verdict(box), _lab.html_text(ref.text.value))
    img = figure_src(box)
    s = slider(box, ref.fraction.description)
    press(s, "ArrowRight", 5)
    shows(readout(s), f"{target:.0%}")
    share = segmentation.top_share(revenue, target)
    ref.fraction.value = target
    assert ref.result == share and f"{share:.1%}" in ref.text.value
    shows(verdict(box), _lab.html_text(ref.text.value))
    shows_part(verdict(box), f"{share:.1%}")
    redrawn(box, img)


@case("02_selection")
def _aging(nb: _lab.NotebookPage, p: dict) -> None:
    """Move the as-of slider one month back: the open amount, the number of open invoices and the DSO
    are crmlib's receivables_aging / dso on that month end (and the whole line, provision included,
    is what a headless copy of the widget writes)."""
    accounts = datasets.make_accounts(n=p["n_accounts"], seed=p["seed"])
    invoices = datasets.make_invoices(accounts, seed=p["seed"])
    buckets = tuple(int(b) for b in p["aging_buckets"])
    ref = widgets.aging_explorer(invoices, as_of=p["as_of"], buckets=buckets, draw=False, lang=p["lang"])
    box = nb.widget("widgets.aging_explorer(")
    shows(verdict(box), _lab.html_text(ref.text.value))
    dates = list(ref.as_of.options)
    assert dates.index(ref.as_of.value) > 0, "the as-of date must not be the first month end"
    prev = dates[dates.index(ref.as_of.value) - 1]
    s = slider(box, ref.as_of.description)
    press(s, "ArrowLeft")
    shows(readout(s), prev)
    aging = receivables.receivables_aging(invoices, prev, buckets=buckets)
    total = float(aging.total["amount"].sum())
    dso = receivables.dso(invoices, prev)
    ref.as_of.value = prev
    shows_part(verdict(box), f"open {total:,.0f} in {int(aging.total['count'].sum())} invoices")
    shows_part(verdict(box), f"DSO {dso:.1f} days")
    shows(verdict(box), _lab.html_text(ref.text.value))


@case("03_development")
def _franklin(nb: _lab.NotebookPage, p: dict) -> None:
    """Type new objections into the Franklin balance sheet: the totals and the verdict are
    crmlib's franklin_balance of the three lists."""
    defaults = {k: v.default for k, v in inspect.signature(widgets.franklin_explorer).parameters.items()}
    box = nb.widget("widgets.franklin_explorer(")
    r0 = development.franklin_balance(defaults["benefits"], defaults["losses"], defaults["objections"], lang=p["lang"])
    ref = widgets.franklin_explorer(draw=False, lang=p["lang"])
    shows_part(verdict(box), f"{r0.for_buying:.1f}")
    shows(verdict(box), _lab.html_text(ref.text.value))
    area = box.locator(".widget-textarea").filter(has=label(box, ref.objections.description)).locator("textarea")
    area.fill("")
    area.press_sequentially("price: 9\nstaff must be trained: 3")
    area.blur()  # continuous_update=False: the value is sent on blur
    r = development.franklin_balance(
        defaults["benefits"], defaults["losses"], "price: 9\nstaff must be trained: 3", lang=p["lang"]
    )
    assert r.against == 12.0 and r.balance != r0.balance
    if p["lang"] == "en":
        shows(verdict(box), f"{r.for_buying:.1f} for · {r.against:.1f} against — {r.verdict}")
    ref.objections.value = "price: 9\nstaff must be trained: 3"
    shows(verdict(box), _lab.html_text(ref.text.value))
    shows_part(verdict(box), f"{r.against:.1f}")


@case("04_satisfaction")
def _iceberg(nb: _lab.NotebookPage, p: dict) -> None:
    """One complaint more on the iceberg calculator's slider: unhappy, lost and told are crmlib's
    complaint_iceberg for n + 1 complaints."""
    n = len(datasets.make_complaints(n=p["n_complaints"], seed=p["seed"]))
    shares = dict(
        complain_share=p["complain_share"], leave_share=p["leave_share"], never_return_share=p["never_return_share"]
    )
    box = nb.widget("widgets.iceberg_calculator(")
    ref = widgets.iceberg_calculator(
        n_complaints=n, **shares, value_per_customer=p["value_per_customer"], draw=False, lang=p["lang"]
    )
    shows(verdict(box), _lab.html_text(ref.text.value))
    img = figure_src(box)
    s = slider(box, ref.n_complaints.description)
    press(s, "ArrowRight")
    shows(readout(s), str(n + 1))
    c = satisfaction.complaint_iceberg(n + 1, **shares, value_per_customer=p["value_per_customer"])["count"]
    for number in (c["unhappy"], c["lost"], c["told"]):
        shows_part(verdict(box), f"{number:,.0f}")
    if p["lang"] == "en":
        shows_part(
            verdict(box),
            f"{n + 1:,.0f} complaints → about {c['unhappy']:,.0f} unhappy customers, "
            f"{c['lost']:,.0f} never come back, {c['told']:,.0f} people hear about it.",
        )
    ref.n_complaints.value = n + 1
    shows(verdict(box), _lab.html_text(ref.text.value))
    redrawn(box, img)


@case("05_loyalty")
def _value_loyalty(nb: _lab.NotebookPage, p: dict) -> None:
    """Raise the loyalty threshold by one repeat purchase: the customers and revenue shares per
    relationship are crmlib's value_loyalty_matrix with the new loyalty cut."""
    tx = datasets.make_transactions(n_customers=p["n_customers"], seed=p["seed"])
    status = loyalty.loyalty_status(tx)
    revenue = tx.groupby("customer_id")["amount"].sum().reindex(status.index)
    k = p["min_repeats"] + 1
    m = loyalty.value_loyalty_matrix(
        revenue, status["repeat_purchases"], value_cut=float(revenue.quantile(0.5)), loyalty_cut=k, lang=p["lang"]
    )
    g = m.groupby("relationship", observed=False)["value"]
    share = g.sum() / m["value"].sum()
    expected = " · ".join(f"{name}: {count} ({share[name]:.0%})" for name, count in g.size().items())
    box = nb.widget("widgets.value_loyalty_explorer(")
    ref = widgets.value_loyalty_explorer(tx, min_repeats=p["min_repeats"], draw=False, lang=p["lang"])
    shows(verdict(box), _lab.html_text(ref.text.value))
    s = slider(box, ref.min_repeats.description)
    press(s, "ArrowRight")
    shows(readout(s), str(k))
    shows(verdict(box), expected)
    ref.min_repeats.value = k
    assert _lab.html_text(ref.text.value) == expected


@case("06_customer_records")
def _customer_search(nb: _lab.NotebookPage, p: dict) -> None:
    """Type part of a company name (Chinese) into the customer search box: the matches and the card
    shown are crmlib's Archive.search / customer_card over the same customer cards."""
    from crmlib import records

    cards = records.customer_cards(
        datasets.load_dataset("accounts"), seed=p["seed"], abc_cuts=p["abc_cuts"], lang=p["lang"]
    )
    arc = records.Archive(":memory:", lang=p["lang"])
    arc.add("customers", cards)
    query = "安泰"
    matches = arc.search(query, limit=10)
    assert len(matches) > 1
    ref = widgets.customer_search(arc, query=p["customer"], lang=p["lang"])
    box = nb.widget("widgets.customer_search(")
    shows_part(verdict(box), str(p["customer"]))
    field = box.locator(".widget-text").filter(has=label(box, ref.query.description)).locator("input")
    field.fill("")
    field.press_sequentially(query)
    field.press("Enter")  # continuous_update=False: sent on Enter / blur
    first = str(matches.index[0])
    ref.query.value = query
    head = _lab.html_text(ref.text.value.split("</p>")[0])
    assert f"{len(matches)}" in head and all(str(i) in head for i in matches.index[1:])
    shows(verdict(box).locator("p").first, head)
    shows_part(verdict(box), first)
    shows_part(verdict(box), str(matches.loc[first, "name"]))


# ------------------------------------------------------------------------------------ the test
# Console errors known to be harmless noise, each with the reason it is harmless. Empty on purpose:
# with the update check and news feed switched off (_lab.LAB_SETTINGS) JupyterLab 4.6 logs no error
# at all for these notebooks, so any error is news. (Example of a fitting entry: a favicon 404.)
HARMLESS: list[re.Pattern] = []


@pytest.mark.parametrize("path", _lab.CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_and_its_widget_responds(path, lab, page, request):
    run = CASES.get(path.stem)
    if run is None:
        pytest.fail(
            f"{path.name} has no browser case: add one to {__file__} with @case({path.stem!r}) "
            "(operate one of its widgets and assert the new value)",
            pytrace=False,
        )
    nb = _lab.NotebookPage(page, lab, lab.chapters[path.stem])
    phases = {}
    t = time.monotonic()
    for name, step in [
        ("open", nb.open),
        ("run all", nb.run_all),
        ("widget", lambda: run(nb, lab.chapters[path.stem].params)),
    ]:
        step()
        phases[name] = time.monotonic() - t
        t = time.monotonic()
    request.node.user_properties.append(("phases", phases))
    errors = [e for e in page.js_errors if not any(h.search(e) for h in HARMLESS)]
    assert errors == [], "JavaScript errors in the page:\n" + "\n".join(errors)


def test_every_chapter_has_a_case():
    """Also checked without a browser, so a new chapter without a case is noticed on any machine."""
    missing = [p.stem for p in _lab.CHAPTERS if p.stem not in CASES]
    assert not missing, f"chapters without a browser case in tests/ui/test_chapters_ui.py: {missing}"


def test_missing_browser_is_found_out(monkeypatch):
    """CRMLIB_CHROMIUM wins; CI=true or CRMLIB_REQUIRE_BROWSER=1 make a missing browser required."""
    monkeypatch.setenv("CRMLIB_CHROMIUM", "/nonexistent/chrome")
    path, reason = _lab.find_chromium()
    assert path is None and "CRMLIB_CHROMIUM" in reason
    for env, required in [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "false"}, False),
        ({"CRMLIB_REQUIRE_BROWSER": "1"}, True),
        ({"CRMLIB_REQUIRE_BROWSER": "0"}, False),
    ]:
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("CRMLIB_REQUIRE_BROWSER", raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert _lab.browser_required() is required, env


@pytest.mark.parametrize("ci", [False, True], ids=["student", "ci"])
def test_without_a_browser_the_tests_skip_loudly_or_fail(ci, tmp_path):
    """End to end, in a child pytest: no browser → a loud skip on a student's machine, a failure in CI."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("CI", "CRMLIB_REQUIRE_BROWSER", "PYTEST_ADDOPTS")}
    env.update(CRMLIB_CHROMIUM=str(tmp_path / "no-chrome"), **({"CI": "true"} if ci else {}))
    test = f"{__file__}::test_chapter_runs_and_its_widget_responds[{_lab.CHAPTERS[0].stem}]"
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=_lab.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = out.stdout + out.stderr
    if ci:
        assert out.returncode == 1 and "1 error" in text and "required because CI" in text, text
    else:
        assert out.returncode == 0 and "1 skipped" in text and "BROWSER TESTS SKIPPED" in text, text
        assert "make test-ui" in text and "apt-get install -y chromium" in text, text
