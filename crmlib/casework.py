"""Computations behind the case-study notebooks in ``casework/`` (案例).

Each case reuses the chapter modules where it can; what only a case needs lives here, one
section per case, with the same conventions as every other crmlib module (validation through
``_validate``, ``CRMDataError`` naming the function, field and rows, a doctest per function).
"""
from __future__ import annotations

# ============================================================================ Casework 1-3


# ============================================================================ Casework 4-6
