"""crmlib — the library behind the CRM workbook (客户关系管理 教学工作簿).

Every chapter notebook calls these functions; nothing is computed in a notebook that
the library does not expose and test. A notebook starts with ``crmlib.start(name, globals())``
(check the parameters, set the language and the number format) and ends with
``crmlib.show_versions()``.

>>> import crmlib
>>> crmlib.set_language("en")
'en'
"""

from __future__ import annotations

__version__ = "0.1.0"

from crmlib._errors import CRMDataError, CRMDataWarning
from crmlib.i18n import get_language, set_language
from crmlib.params import show_versions, start

__all__ = ["CRMDataError", "CRMDataWarning", "set_language", "get_language", "start", "show_versions", "__version__"]
