"""Notebook parameter validation: types, ranges, choices, unknown names (papermill typos)."""

from __future__ import annotations

import pytest

from crmlib import CRMDataError
from crmlib.params import SPECS, Param, check_parameters, notebook_parameters

DEFAULTS_01 = dict(
    seed=2024,
    n_customers=3000,
    n_prospects=600,
    lang="en",
    top_fraction=0.2,
    abc_cuts=[0.8, 0.95],
    rfm_bins=5,
    lapse_days=180,
    discount_cut=0.2,
    mature_days=30,
    cost_per_order=5.0,
)


def test_defaults_pass_and_come_back_in_spec_order():
    ns = dict(reversed(list(DEFAULTS_01.items())))
    out = notebook_parameters("01_identification", ns)
    assert list(out) == list(SPECS["01_identification"]) and out["abc_cuts"] == [0.8, 0.95]


@pytest.mark.parametrize(
    "name, value",
    [
        ("seed", -1),
        ("seed", 1.5),
        ("seed", "7"),
        ("n_customers", 10),
        ("lang", "fr"),
        ("top_fraction", 0.0),
        ("top_fraction", True),
        ("abc_cuts", [0.8]),
        ("abc_cuts", "0.8,0.95"),
        ("abc_cuts", [0.8, 1.2]),
        ("rfm_bins", 1),
        ("rfm_bins", 11),
        ("mature_days", 60),
    ],
)
def test_bad_values_name_the_parameter(name, value):
    ns = {**DEFAULTS_01, name: value}
    with pytest.raises(CRMDataError) as e:
        notebook_parameters("01_identification", ns)
    assert e.value.field == name and e.value.func == "parameters"


def test_unknown_and_missing_names():
    with pytest.raises(CRMDataError) as e:
        notebook_parameters("01_identification", {**DEFAULTS_01, "seeed": 3})
    assert e.value.field == "seeed"
    ns = dict(DEFAULTS_01)
    del ns["seed"]
    with pytest.raises(CRMDataError) as e:
        notebook_parameters("01_identification", ns)
    assert e.value.field == "seed"
    with pytest.raises(CRMDataError):
        notebook_parameters("99_nothing", {})


def test_ipython_names_modules_and_functions_are_not_parameters():
    import math

    ns = {
        "lang": "en",
        "In": [],
        "Out": {},
        "_": None,
        "_ih": [],
        "get_ipython": print,
        "math": math,
        "exit": None,
        "quit": None,
    }
    assert check_parameters(ns, {"lang": Param(str, choices=("en", "zh"))}) == {"lang": "en"}


# ---------------------------------------------------------------------------- crmlib.start / show_versions
@pytest.fixture
def float_format():
    import pandas as pd

    before = pd.get_option("display.float_format")
    yield
    pd.set_option("display.float_format", before)


def test_start_checks_sets_the_language_and_the_float_format(float_format):
    import math

    import pandas as pd

    import crmlib

    ns = {**DEFAULTS_01, "lang": "zh", "math": math, "crmlib": crmlib, "print_it": print, "_private": 1}
    P = crmlib.start("01_identification", ns)
    assert P == notebook_parameters("01_identification", ns) and list(P) == list(SPECS["01_identification"])
    assert crmlib.get_language() == "zh"
    assert pd.get_option("display.float_format")(1234.5678) == "1,234.57"
    assert repr(pd.DataFrame({"x": [0.5, 12345.0]})).splitlines()[1:] == ["0      0.50", "1 12,345.00"]
    assert ns["lang"] == "zh" and "P" not in ns  # the namespace is read, never written
    crmlib.start("00_start_here", {"lang": "en"})
    assert crmlib.get_language() == "en"


@pytest.mark.parametrize(
    "change, field",
    [({"seeed": 3}, "seeed"), ({"lang": "fr"}, "lang"), ({"rfm_bins": 1}, "rfm_bins"), ({"seed": None}, "seed")],
)
def test_start_raises_the_errors_of_notebook_parameters(change, field, float_format):
    import crmlib

    ns = {**DEFAULTS_01, **change}
    with pytest.raises(CRMDataError) as expected:
        notebook_parameters("01_identification", ns)
    with pytest.raises(CRMDataError) as got:
        crmlib.start("01_identification", ns)
    assert str(got.value) == str(expected.value) and got.value.field == field and got.value.func == "parameters"
    assert crmlib.get_language() == "en"  # nothing set when the parameters are wrong


def test_start_missing_parameter_and_unknown_notebook(float_format):
    import crmlib

    ns = dict(DEFAULTS_01)
    del ns["lang"]
    with pytest.raises(CRMDataError, match="'lang' is missing from the parameters cell"):
        crmlib.start("01_identification", ns)
    with pytest.raises(CRMDataError) as e:
        crmlib.start("99_nothing", {})
    assert e.value.field == "notebook"
    with pytest.raises(CRMDataError) as e:
        crmlib.start("00_start_here", [("lang", "en")])
    assert e.value.field == "namespace"


def test_show_versions_prints_one_aligned_line_per_package(capsys):
    import platform
    import sqlite3

    import pandas as pd

    import crmlib

    assert crmlib.show_versions() is None
    lines = capsys.readouterr().out.splitlines()
    names = [ln.split()[0] for ln in lines]
    assert names == ["python", "crmlib", "pandas", "numpy", "scipy", "matplotlib", "seaborn", "ipywidgets", "sqlite"]
    versions = dict(ln.split(None, 1) for ln in lines)
    assert versions["python"] == platform.python_version() and versions["crmlib"] == crmlib.__version__
    assert versions["pandas"] == pd.__version__ and versions["sqlite"] == sqlite3.sqlite_version
    assert len({ln.index(ln.split()[1]) for ln in lines}) == 1, "versions start in the same column"
    crmlib.show_versions()
    assert capsys.readouterr().out.splitlines() == lines  # deterministic


def test_show_versions_names_a_missing_package(capsys, monkeypatch):
    import crmlib
    from crmlib import params

    monkeypatch.setattr(params, "VERSION_PACKAGES", ("pandas", "no-such-package-xyz"))
    crmlib.show_versions()
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split() == ["no-such-package-xyz", "not", "installed"] and lines[2].startswith("pandas ")


def test_start_and_show_versions_import_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, crmlib; crmlib.start('00_start_here', {'lang': 'en'}); crmlib.show_versions(); "
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_start_lets_a_notebooks_own_figures_draw_chinese_terms():
    """A set-up cell that imported matplotlib (the notebook draws figures itself, such as chapter 2's
    DSO trend titled 'DSO (应收账款周转天数)') gets the CJK fallback font from crmlib.start, in English
    too; without matplotlib imported, start leaves it alone."""
    import subprocess
    import sys

    code = (
        "import sys, crmlib\n"
        "crmlib.start('00_start_here', {'lang': 'en'})\n"
        "assert 'matplotlib' not in sys.modules\n"
        "import matplotlib\n"
        "before = list(matplotlib.rcParams['font.family'])\n"
        "crmlib.start('00_start_here', {'lang': 'en'})\n"
        "from crmlib import i18n\n"
        "font = i18n.cjk_font()\n"
        "assert font is None or matplotlib.rcParams['font.family'] == before + [font], "
        "(before, matplotlib.rcParams['font.family'])\n"
        "print(font)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() != "None"  # the packaged Noto Sans CJK is always there
