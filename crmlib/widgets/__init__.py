"""Interactive explorers (ipywidgets), thin views over crmlib functions (交互式小工具).

Each explorer is an ``ipywidgets.VBox``: controls on top, a one-line verdict, then the figure.
Changing a control recomputes ``.result`` through the library function and redraws. The logic is
testable without a browser: set a control's ``.value`` and read ``.result`` / ``.text.value``.
Every sentence an explorer shows is a template of :data:`crmlib.i18n.TEXTS` (keys ``w_…``), filled
in the explorer's language.

The package has a base module and one module per chapter, plus one for the case studies:

=====================  ==========================================================================
``base``               :class:`Explorer` (the recompute–describe–redraw cycle) and checked controls
``start``              the glossary search (00 start here)
``identification``     MAN qualifier, 80/20, RFM, value matrix (chapter 1)
``selection``          ideal-customer weights, receivables aging (chapter 2)
``development``        AIDMAS funnels, Franklin balance, contact limit (chapter 3)
``satisfaction``       importance–performance, complaint iceberg (chapter 4)
``loyalty``            value × loyalty, customer lifetime value, retention economics (chapter 5)
``records``            the customer search over the archive (chapter 6)
``cases``              Harrah's comps, the bank lobby, the rice deliveries (case studies)
=====================  ==========================================================================

Every explorer and its factory are also names of this package (``widgets.RFMExplorer``,
``widgets.rfm_explorer``); a module is imported when one of its names is first used, so
``import crmlib.widgets`` costs next to nothing.

>>> import matplotlib; matplotlib.use("Agg")
>>> from crmlib import widgets
>>> q = widgets.man_qualifier()
>>> q.result.code
'M+A+N'
>>> q.authority.value = False
>>> q.result.code
'M+a+N'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: module → the explorers (classes) and factories it defines
MODULES: dict[str, tuple[str, ...]] = {
    "base": ("Explorer",),
    "start": ("GlossarySearch", "glossary_search"),
    "identification": (
        "MANQualifier",
        "ParetoExplorer",
        "RFMExplorer",
        "ValueMatrixExplorer",
        "man_qualifier",
        "pareto_explorer",
        "rfm_explorer",
        "value_matrix_explorer",
    ),
    "selection": ("IdealScoreExplorer", "AgingExplorer", "ideal_score_explorer", "aging_explorer"),
    "development": (
        "FunnelExplorer",
        "FranklinExplorer",
        "ContactRuleExplorer",
        "funnel_explorer",
        "franklin_explorer",
        "contact_rule_explorer",
    ),
    "satisfaction": ("IPAExplorer", "IcebergCalculator", "ipa_explorer", "iceberg_calculator"),
    "loyalty": (
        "ValueLoyaltyExplorer",
        "CLVExplorer",
        "RetentionExplorer",
        "value_loyalty_explorer",
        "clv_explorer",
        "retention_explorer",
    ),
    "records": ("CustomerSearch", "customer_search"),
    "cases": (
        "CompExplorer",
        "LobbyExplorer",
        "DeliveryExplorer",
        "comp_explorer",
        "lobby_explorer",
        "delivery_explorer",
    ),
}
_WHERE = {name: module for module, names in MODULES.items() for name in names}
__all__ = [name for names in MODULES.values() for name in names]


def __getattr__(name: str) -> Any:
    """``widgets.<name>``: import the module that defines it (once) and return the name."""
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for editors and type checkers; at run time the names come from __getattr__
    from crmlib.widgets.base import Explorer  # noqa: F401
    from crmlib.widgets.cases import (  # noqa: F401
        CompExplorer,
        DeliveryExplorer,
        LobbyExplorer,
        comp_explorer,
        delivery_explorer,
        lobby_explorer,
    )
    from crmlib.widgets.development import (  # noqa: F401
        ContactRuleExplorer,
        FranklinExplorer,
        FunnelExplorer,
        contact_rule_explorer,
        franklin_explorer,
        funnel_explorer,
    )
    from crmlib.widgets.identification import (  # noqa: F401
        MANQualifier,
        ParetoExplorer,
        RFMExplorer,
        ValueMatrixExplorer,
        man_qualifier,
        pareto_explorer,
        rfm_explorer,
        value_matrix_explorer,
    )
    from crmlib.widgets.loyalty import (  # noqa: F401
        CLVExplorer,
        RetentionExplorer,
        ValueLoyaltyExplorer,
        clv_explorer,
        retention_explorer,
        value_loyalty_explorer,
    )
    from crmlib.widgets.records import CustomerSearch, customer_search  # noqa: F401
    from crmlib.widgets.satisfaction import IcebergCalculator, IPAExplorer, iceberg_calculator, ipa_explorer  # noqa: F401
    from crmlib.widgets.selection import AgingExplorer, IdealScoreExplorer, aging_explorer, ideal_score_explorer  # noqa: F401
    from crmlib.widgets.start import GlossarySearch, glossary_search  # noqa: F401
