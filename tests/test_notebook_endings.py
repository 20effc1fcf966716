"""Every notebook ends the same way (每章结尾): a short "What you learned" summary, then the cell
``crmlib.show_versions()`` printing the versions used. Globbed, so a chapter or case added later is held to
it without editing this file."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))


def test_the_workbook_has_notebooks():
    assert len(NOTEBOOKS) >= 12


def _cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.source.strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_ends_with_what_you_learned_and_versions(path):
    cells = _cells(path)
    assert len(cells) >= 3
    summary, versions = cells[-2], cells[-1]
    assert summary.cell_type == "markdown", "the next-to-last cell must be the 'What you learned' summary"
    first = summary.source.strip().splitlines()[0]
    assert re.match(r"^#{2,3} What you learned\b", first, re.I), f"summary heading is {first!r}"
    bullets = [ln for ln in summary.source.splitlines() if re.match(r"^\s*[*-] ", ln)]
    assert 2 <= len(bullets) <= 12, "a short list of what the student learned (2-12 points)"
    assert len(summary.source) <= 2500, "keep the summary short"
    assert versions.cell_type == "code", "the last cell must print the versions used"
    assert versions.source.strip() == "crmlib.show_versions()", (
        "the last cell is the one library call crmlib.show_versions() (python, crmlib, pandas, numpy, …)"
    )
