"""Notebook parameter validation: types, ranges, choices, unknown names (papermill typos)."""
from __future__ import annotations

import pytest

from crmlib import CRMDataError
from crmlib.params import SPECS, Param, check_parameters, notebook_parameters

DEFAULTS_01 = dict(seed=2024, n_customers=3000, n_prospects=600, lang="en", top_fraction=0.2,
                   abc_cuts=[0.8, 0.95], rfm_bins=5, lapse_days=180, discount_cut=0.2, mature_days=30)


def test_defaults_pass_and_come_back_in_spec_order():
    ns = dict(reversed(list(DEFAULTS_01.items())))
    out = notebook_parameters("01_identification", ns)
    assert list(out) == list(SPECS["01_identification"]) and out["abc_cuts"] == [0.8, 0.95]


@pytest.mark.parametrize("name, value", [
    ("seed", -1), ("seed", 1.5), ("seed", "7"), ("n_customers", 10), ("lang", "fr"),
    ("top_fraction", 0.0), ("top_fraction", True), ("abc_cuts", [0.8]), ("abc_cuts", "0.8,0.95"),
    ("abc_cuts", [0.8, 1.2]), ("rfm_bins", 1), ("rfm_bins", 11), ("mature_days", 60),
])
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
    ns = {"lang": "en", "In": [], "Out": {}, "_": None, "_ih": [], "get_ipython": print,
          "math": math, "exit": None, "quit": None}
    assert check_parameters(ns, {"lang": Param(str, choices=("en", "zh"))}) == {"lang": "en"}
