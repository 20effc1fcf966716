"""Validation of a notebook's papermill parameters (参数检查).

A notebook's ``parameters`` cell holds literals only; the next cell calls
``check_parameters(globals(), SPEC)``. Every parameter is checked against its spec (type, range,
choices) and any extra name that papermill injected is rejected, so a typo such as
``-p seeed 3`` fails loudly instead of being ignored.

>>> spec = {"seed": Param(int, lo=0), "lang": Param(str, choices=("en", "zh")),
...         "top_fraction": Param(float, lo=0, hi=1)}
>>> check_parameters({"seed": 3, "lang": "zh", "top_fraction": 0.2}, spec)
{'seed': 3, 'lang': 'zh', 'top_fraction': 0.2}
>>> check_parameters({"seed": 3, "lang": "fr", "top_fraction": 0.2}, spec)
Traceback (most recent call last):
...
crmlib._errors.CRMDataError: parameters: field 'lang' must be one of ['en', 'zh'], got 'fr'
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmlib import _validate as V
from crmlib._errors import CRMDataError

# names IPython itself puts into a notebook's namespace
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


@dataclass(frozen=True)
class Param:
    """The type and allowed values of one notebook parameter."""

    kind: type
    lo: float | None = None
    hi: float | None = None
    choices: tuple | None = None
    length: int | None = None  # for list parameters: required length
    #: a display option (the language of labels and self-checks): changes what is shown, never the
    #: data or the expected answers, so grading (``crmlib grade``) lets a student change it
    display: bool = False


def _check_one(name: str, value: Any, p: Param) -> Any:
    func = "parameters"
    if p.choices is not None:
        return V.choice(value, p.choices, func, name)
    if p.kind is int:
        return V.integer(value, func, name, None if p.lo is None else int(p.lo), None if p.hi is None else int(p.hi))
    if p.kind is float:
        return V.number(value, func, name, p.lo, p.hi)
    if p.kind is bool:
        if not isinstance(value, bool):
            raise CRMDataError(func, name, f"must be True or False, got {value!r}")
        return value
    if p.kind is str:
        if not isinstance(value, str):
            raise CRMDataError(func, name, f"must be text, got {value!r}")
        return value
    if p.kind in (list, tuple):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise CRMDataError(func, name, f"must be a list, got {value!r}")
        if p.length is not None and len(value) != p.length:
            raise CRMDataError(func, name, f"must have {p.length} items, got {len(value)}")
        return [V.number(v, func, name, p.lo, p.hi) for v in value]
    raise CRMDataError(func, name, f"has an unsupported parameter type {p.kind!r}")  # pragma: no cover


def check_parameters(namespace: Mapping[str, Any], spec: Mapping[str, Param]) -> dict[str, Any]:
    """Check the notebook's parameters in ``namespace`` (its ``globals()``) against ``spec``.

    Returns the checked values in spec order. Raises ``CRMDataError`` for a missing parameter,
    a value of the wrong type or out of range, or an unknown extra name (papermill injects names
    it does not know, so a misspelt ``-p`` would otherwise be ignored silently).

    >>> spec = {"seed": Param(int, lo=0), "share": Param(float, lo=0, hi=1)}
    >>> check_parameters({"seed": 3, "share": 0.25}, spec)
    {'seed': 3, 'share': 0.25}
    >>> check_parameters({"seed": 3, "share": 1.5}, spec)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: parameters: field 'share' must lie in [0, 1], got 1.5
    """
    if not isinstance(namespace, Mapping):
        raise CRMDataError(
            "parameters",
            "namespace",
            f"must be a dict of name -> value (e.g. globals()), got {type(namespace).__name__}",
        )
    public = {
        k
        for k in namespace
        if not k.startswith("_")
        and k not in _IPYTHON_NAMES
        and not callable(namespace[k])
        and type(namespace[k]).__name__ != "module"
    }
    unknown = sorted(public - set(spec))
    if unknown:
        raise CRMDataError(
            "parameters",
            ", ".join(unknown),
            "is not a parameter of this notebook",
            detail=f"known parameters: {list(spec)}",
        )
    missing = [k for k in spec if k not in namespace]
    if missing:
        raise CRMDataError("parameters", ", ".join(missing), "is missing from the parameters cell")
    return {k: _check_one(k, namespace[k], p) for k, p in spec.items()}


_LANG = Param(str, choices=("en", "zh"), display=True)

#: the parameters of every parameterised notebook, by notebook name (used by the notebooks'
#: validation cells and by the instructor tools)
SPECS: dict[str, dict[str, Param]] = {
    "00_start_here": {"lang": _LANG},
    "01_identification": {
        "seed": Param(int, lo=0),
        "n_customers": Param(int, lo=200, hi=200_000),
        "n_prospects": Param(int, lo=50, hi=100_000),
        "lang": _LANG,
        "top_fraction": Param(float, lo=0.01, hi=1.0),
        "abc_cuts": Param(list, lo=0.01, hi=0.999, length=2),
        "rfm_bins": Param(int, lo=2, hi=10),
        "lapse_days": Param(int, lo=1, hi=3650),
        "discount_cut": Param(float, lo=0.0, hi=1.0),
        "mature_days": Param(int, lo=1, hi=59),
        "cost_per_order": Param(float, lo=0.0, hi=1000.0),
    },
    # ---- chapter 2 (02_selection) spec below this line
    "02_selection": {
        "seed": Param(int, lo=0),
        "n_accounts": Param(int, lo=50, hi=100_000),
        "lang": _LANG,
        "ideal_weights": Param(list, lo=0.0, hi=10.0, length=5),
        "cost_of_capital": Param(float, lo=0.0, hi=0.5),
        "big_share": Param(float, lo=0.01, hi=1.0),
        "as_of": Param(str),
        "aging_buckets": Param(list, lo=1, hi=3650, length=3),
        "dso_days": Param(int, lo=7, hi=365),
        "credit_months": Param(list, lo=0.0, hi=12.0, length=4),
    },
    # ---- chapter 3 (03_development) spec below this line
    "03_development": {
        "seed": Param(int, lo=0),
        "n_leads": Param(int, lo=200, hi=200_000),
        "lang": _LANG,
        "contact_limit": Param(int, lo=1, hi=30),
        "contact_cost": Param(float, lo=0.0, hi=10_000.0),
        "margin": Param(float, lo=0.0, hi=1.0),
        "budget": Param(float, lo=1.0, hi=1e9),
        "retention_cost": Param(float, lo=1.0, hi=1e6),
        "acquisition_multiple": Param(float, lo=1.0, hi=20.0),
    },
    # ---- chapter 4 (04_satisfaction) spec below this line
    "04_satisfaction": {
        "seed": Param(int, lo=0),
        "n_respondents": Param(int, lo=30, hi=100_000),
        "n_complaints": Param(int, lo=50, hi=200_000),
        "lang": _LANG,
        "satisfied_from": Param(int, lo=1, hi=5),
        "ipa_cut": Param(str, choices=("mean", "median")),
        "follow_up_days": Param(int, lo=1, hi=60),
        "complain_share": Param(float, lo=0.01, hi=1.0),
        "leave_share": Param(float, lo=0.0, hi=1.0),
        "never_return_share": Param(float, lo=0.0, hi=1.0),
        "value_per_customer": Param(float, lo=0.0, hi=1e7),
    },
    # ---- chapter 5 (05_loyalty) spec below this line
    "05_loyalty": {
        "seed": Param(int, lo=0),
        "n_customers": Param(int, lo=300, hi=20_000),
        "lang": _LANG,
        "min_repeats": Param(int, lo=1, hi=20),
        "cohort_period": Param(str, choices=("W", "M", "Q")),
        "retention_gain": Param(float, lo=0.0, hi=0.2),
        "acquisition_multiple": Param(float, lo=1.0, hi=20.0),
        "unhappy_reach": Param(float, lo=0.0, hi=1000.0),
        "key_share": Param(float, lo=0.01, hi=1.0),
        "value_weight": Param(float, lo=0.0, hi=1.0),
        "horizon_months": Param(int, lo=1, hi=120),
        "annual_discount": Param(float, lo=0.0, hi=0.9),
    },
    # ---- casework 1-3 specs below this line
    "01_harrahs": {
        "seed": Param(int, lo=0),
        "n_players": Param(int, lo=100, hi=200_000),
        "lang": _LANG,
        "tier_cuts": Param(list, lo=0.01, hi=0.999, length=3),
        "comp_rates": Param(list, lo=0.0, hi=0.5, length=4),
        "base_retention": Param(float, lo=0.0, hi=0.95),
        "retention_lift": Param(float, lo=0.0, hi=0.3),
        "player_years": Param(float, lo=0.0, hi=20.0),
    },
    "02_bank_lobby": {
        "seed": Param(int, lo=0),
        "n_visitors": Param(int, lo=10, hi=5_000),
        "lang": _LANG,
        "money_cut": Param(float, lo=0.0, hi=1e8),
        "abc_cuts": Param(list, lo=0.01, hi=0.999, length=2),
        "weights": Param(list, lo=0.0, hi=10.0, length=3),
        "vip_count": Param(int, lo=1, hi=100),
    },
    "03_gas_station": {
        "seed": Param(int, lo=0),
        "n_employees": Param(int, lo=1, hi=50),
        "months": Param(int, lo=3, hi=36),
        "new_per_employee": Param(int, lo=1, hi=30),
        "lang": _LANG,
        "follow_up_days": Param(int, lo=1, hi=60),
        "at_risk": Param(float, lo=0.5, hi=10.0),
        "lapsed": Param(float, lo=1.0, hi=20.0),
        "min_repeats": Param(int, lo=1, hi=20),
    },
    # ---- casework 4-6 specs below this line
    "04_rice_shop": {
        "seed": Param(int, lo=0),
        "n_households": Param(int, lo=20, hi=5_000),
        "history_days": Param(int, lo=60, hi=720),
        "lang": _LANG,
        "horizon_days": Param(int, lo=1, hi=60),
        "lead_days": Param(int, lo=0, hi=10),
        "interval_days": Param(int, lo=7, hi=90),
        "early_days": Param(int, lo=1, hi=30),
    },
    "05_bank_relationship_manager": {
        "seed": Param(int, lo=0),
        "n_clients": Param(int, lo=5, hi=2_000),
        "n_quarters": Param(int, lo=4, hi=40),
        "lang": _LANG,
        "client_no": Param(int, lo=1, hi=2_000),
        "life_multiple": Param(float, lo=1.0, hi=30.0),
        "premium_cap": Param(float, lo=0.01, hi=0.5),
        "monthly_from": Param(float, lo=0.0, hi=1e9),
        "quarterly_from": Param(float, lo=0.0, hi=1e9),
        "change_trigger": Param(float, lo=0.01, hi=1.0),
        "hours_per_review": Param(float, lo=0.1, hi=20.0),
    },
    "06_key_account_plan": {
        "seed": Param(int, lo=0),
        "n_accounts": Param(int, lo=50, hi=20_000),
        "lang": _LANG,
        "top": Param(float, lo=0.01, hi=0.5),
        "value_weight": Param(float, lo=0.0, hi=1.0),
        "budget": Param(float, lo=1.0, hi=1e9),
        "key_share": Param(float, lo=0.0, hi=1.0),
        "min_risks": Param(int, lo=1, hi=4),
    },
    # ---- chapter 6 (06_customer_records) spec below this line
    "06_customer_records": {
        "seed": Param(int, lo=0),
        "lang": _LANG,
        "abc_cuts": Param(list, lo=0.01, hi=0.999, length=2),
        "customer": Param(str),
        "as_of": Param(str),
        "horizon_days": Param(int, lo=1, hi=365),
        "lead_days": Param(int, lo=0, hi=30),
        "birthday_days": Param(int, lo=0, hi=366),
    },
}


def notebook_parameters(notebook: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Check the parameters of a workbook notebook by its name (see ``SPECS``).

    >>> notebook_parameters("00_start_here", {"lang": "en"})
    {'lang': 'en'}
    >>> notebook_parameters("00_start_here", {"lang": "en", "seeed": 3})
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: parameters: field 'seeed' is not a parameter of this notebook; known parameters: ['lang']
    """  # noqa: E501
    if notebook not in SPECS:
        raise CRMDataError("parameters", "notebook", f"unknown notebook {notebook!r}", detail=f"known: {sorted(SPECS)}")
    return check_parameters(namespace, SPECS[notebook])


# ============================================================================ a notebook's first and last cell
#: how every notebook shows floats: 1,234.57 rather than 1.23e+03
FLOAT_FORMAT = "{:,.2f}"
#: the packages whose versions a notebook's last cell shows, in this order (crmlib comes second)
VERSION_PACKAGES = ("pandas", "numpy", "scipy", "matplotlib", "seaborn", "ipywidgets")


def _format_float(x: float) -> str:
    return FLOAT_FORMAT.format(x)


def start(notebook: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The set-up a notebook does right after its ``parameters`` cell, in one call (开始).

    Checks the notebook's parameters in ``namespace`` (its ``globals()``) exactly as
    :func:`notebook_parameters` does (a ``CRMDataError`` for a wrong, missing or misspelt one),
    sets crmlib's language to the ``lang`` parameter (in a notebook, tables then show Chinese headings,
    :func:`crmlib.i18n.show_tables_in`), and makes pandas show floats as
    ``1,234.57`` rather than ``1.23e+03``. Returns the checked parameters, for display.

    Modules and functions in ``namespace`` are not parameters, so the set-up cell may import
    first. Nothing heavy is imported here (no matplotlib, no widgets); where the set-up cell has
    imported matplotlib (the notebook draws figures of its own), :func:`crmlib.i18n.use_fonts` lets
    those figures draw the Chinese terms beside the English ones (crmlib's plots do it themselves).

    >>> start("00_start_here", {"lang": "en"})
    {'lang': 'en'}
    >>> import pandas as pd
    >>> pd.DataFrame({"x": [1234.5678]})
              x
    0  1,234.57
    >>> start("00_start_here", {"lang": "en", "seeed": 3})
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: parameters: field 'seeed' is not a parameter of this notebook; known parameters: ['lang']
    >>> pd.reset_option("display.float_format")
    """  # noqa: E501
    import pandas as pd

    from crmlib import i18n

    checked = notebook_parameters(notebook, namespace)
    if "lang" in checked:
        i18n.set_language(checked["lang"])
        i18n.show_tables_in(checked["lang"])  # in a notebook: Chinese headings on the tables a zh reader sees
    if "matplotlib" in sys.modules:  # the notebook draws figures of its own: let them show Chinese terms
        i18n.use_fonts(checked.get("lang"))
    pd.set_option("display.float_format", _format_float)
    return checked


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def show_versions() -> None:
    """Print the versions a notebook ran with: Python, crmlib, its main dependencies, SQLite (版本).

    One package a line, the name padded to the same width; versions are read from the installed
    packages' metadata, so nothing is imported (no matplotlib, no widgets).

    >>> show_versions()   # doctest: +ELLIPSIS
    python      3...
    crmlib      0...
    pandas      ...
    numpy       ...
    scipy       ...
    matplotlib  ...
    seaborn     ...
    ipywidgets  ...
    sqlite      3...
    """
    import platform
    import sqlite3

    import crmlib

    rows = [("python", platform.python_version()), ("crmlib", crmlib.__version__)]
    rows += [(p, _version(p)) for p in VERSION_PACKAGES]
    rows.append(("sqlite", sqlite3.sqlite_version))
    width = max(len(name) for name, _ in rows) + 2
    for name, version in rows:
        print(f"{name:<{width}}{version}")
