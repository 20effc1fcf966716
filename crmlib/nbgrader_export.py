"""The workbook's notebooks as nbgrader source notebooks (nbgrader 导出), for instructors who grade with nbgrader.

``crmlib release notebooks --out course/source/ch1 --format nbgrader`` writes each notebook the way
nbgrader's *create assignment* toolbar would have marked it, from what the workbook already knows of
its exercises (:mod:`crmlib.exercises`):

* an exercise's answer cell and its model solution (the cell tagged ``solution``) become one
  **solution cell**: the answer line as the student sees it, then the solution between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (``nbgrader generate_assignment`` replaces that
  region by its code stub in the student version);
* the exercise's check cell becomes a locked **autograder test cell** worth the exercise's points: the
  self-check as it is (instant feedback for the student), then between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS`` the same call to :func:`crmlib.exercises.score`, whose result nbgrader takes
  as the points earned (partial credit as the exercise defines it, as ``crmlib grade`` scores it) and
  which raises when the answer earns nothing;
* a memo (a written decision) is a **manually graded answer** worth its rubric's points; its check
  cell, which shows the rubric, is locked;
* every other cell is **read-only** (locked), the parameters cell too, so that every student works
  on the same data; the worked demonstrations (``demo.`` exercises) are never graded.

The cell metadata follows nbgrader's schema version 3 (``schema_version``, ``grade``, ``solution``,
``locked``, ``grade_id``, ``points``); outputs are cleared. The files hold the model solutions: they
belong in nbgrader's ``source/`` folder, never in students' hands.

>>> nb = nbgrader_source(_tiny_exercise_notebook())
>>> [(c.metadata["nbgrader"]["grade_id"], c.metadata["nbgrader"]["solution"], c.metadata["nbgrader"]["grade"])
...  for c in nb.cells]
[('cell-title', False, False), ('ch0_rerun_answer', True, False), ('ch0_rerun', False, True)]
>>> print(nb.cells[1].source)
answer_1 = None  # your answer: a letter
### BEGIN SOLUTION
answer_1 = "b"
### END SOLUTION
>>> print(nb.cells[2].source)
exercises.check("ch0.rerun", answer_1)
### BEGIN HIDDEN TESTS
exercises.score("ch0.rerun", answer_1)
### END HIDDEN TESTS
"""

from __future__ import annotations

import ast
import copy
import re
from typing import Any

import nbformat

from crmlib._checks import CHECK_CALL
from crmlib._errors import CRMDataError

#: the version of nbgrader's cell metadata schema these notebooks follow
SCHEMA_VERSION = 3
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_ANSWER = re.compile(r"^\s*(\w+)\s*=\s*None\b")
_CALL = re.compile(r"exercises\s*\.\s*check\s*\(")


def grade_id(text: str) -> str:
    """An nbgrader ``grade_id`` (letters, digits, ``_`` and ``-`` only) made from an exercise or cell id.

    >>> grade_id("ch1.handling_losses"), grade_id("start-03")
    ('ch1_handling_losses', 'start-03')
    """
    if not isinstance(text, str) or not text.strip():
        raise CRMDataError("nbgrader_source", "grade_id", f"must be a non-empty text, got {text!r}")
    return re.sub(r"[^A-Za-z0-9_-]", "_", text.strip())


def _meta(gid: str, *, solution: bool = False, grade: bool = False, locked: bool = False, points: Any = None):
    meta = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": SCHEMA_VERSION, "solution": solution}
    if grade:
        meta["points"] = float(points)
    return meta


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def _check_id(cell) -> str | None:
    ids = CHECK_CALL.findall(cell.source) if cell.cell_type == "code" else []
    return ids[0] if ids else None


def _hidden_call(source: str, where: str) -> str:
    """The check call of a check cell, as a call to :func:`crmlib.exercises.score` with the same arguments."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "check"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "exercises"
        ):
            call = ast.get_source_segment(source, node)
            return _CALL.sub("exercises.score(", call, count=1)
    raise CRMDataError("nbgrader_source", "notebook", f"{where}: the check cell holds no exercises.check(…) call")


def nbgrader_source(nb, where: str = "notebook"):
    """The nbgrader source notebook of a workbook notebook (see the module docstring): solution cells,
    locked test cells with the exercises' points, every other cell locked, outputs cleared.

    >>> nb = nbgrader_source(_tiny_exercise_notebook())
    >>> nb.cells[2].metadata["nbgrader"]
    {'grade': True, 'grade_id': 'ch0_rerun', 'locked': True, 'schema_version': 3, 'solution': False, 'points': 1.0}
    >>> nbgrader_source({"cells": []})
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: nbgrader_source: field 'nb' must be a notebook read with nbformat.read, got dict
    """
    from crmlib import exercises

    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise CRMDataError(
            "nbgrader_source", "nb", f"must be a notebook read with nbformat.read, got {type(nb).__name__}"
        )
    nb = copy.deepcopy(nb)
    cells, out = nb.cells, []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        after = cells[i + 1] if i + 1 < len(cells) else None
        if after is not None and "solution" in _tags(after) and cell.cell_type == "code" and _ANSWER.match(cell.source):
            i += 1  # the answer cell and its solution become one solution cell (below)
            after.source = f"{cell.source.rstrip()}\n{BEGIN_SOLUTION}\n{after.source.rstrip()}\n{END_SOLUTION}"
            continue
        ex_id = _check_id(cell)
        if "solution" in _tags(cell):
            if BEGIN_SOLUTION not in cell.source:
                cell.source = f"{BEGIN_SOLUTION}\n{cell.source.rstrip()}\n{END_SOLUTION}"
            following = next((_check_id(c) for c in cells[i + 1 :] if _check_id(c)), None)
            ex = exercises.REGISTRY.get(following) if following else None
            memo = ex is not None and ex.kind == "memo"
            gid = grade_id(f"{following}_answer") if following else grade_id(f"answer-{cell.get('id', i)}")
            cell.metadata["nbgrader"] = _meta(gid, solution=True, grade=memo, points=ex.points if memo else None)
            cell.metadata["tags"] = [t for t in _tags(cell) if t != "solution"]
        elif ex_id is not None and not ex_id.startswith("demo."):
            if ex_id not in exercises.REGISTRY:
                raise CRMDataError(
                    "nbgrader_source",
                    "notebook",
                    f"{where}: cell {i + 1} checks {ex_id!r}, which crmlib.exercises does not know (registered in "
                    "the notebook itself?): its points and its test are unknown",
                )
            ex = exercises.REGISTRY[ex_id]
            if ex.kind == "memo":
                cell.metadata["nbgrader"] = _meta(grade_id(f"{ex_id}_rubric"), locked=True)
            else:
                hidden = _hidden_call(cell.source, where)
                cell.source = f"{cell.source.rstrip()}\n{BEGIN_HIDDEN}\n{hidden}\n{END_HIDDEN}"
                cell.metadata["nbgrader"] = _meta(grade_id(ex_id), grade=True, locked=True, points=ex.points)
        else:
            cell.metadata["nbgrader"] = _meta(grade_id(f"cell-{cell.get('id', i)}"), locked=True)
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
        out.append(cell)
        i += 1
    nb.cells = out
    nb.metadata.pop("papermill", None)
    _unique_ids(nb, where)
    return nb


def _unique_ids(nb, where: str) -> None:
    seen: dict[str, int] = {}
    for pos, c in enumerate(nb.cells, 1):
        gid = c.metadata["nbgrader"]["grade_id"]
        if gid in seen:
            raise CRMDataError(
                "nbgrader_source",
                "notebook",
                f"{where}: cells {seen[gid]} and {pos} would share the nbgrader grade_id {gid!r} "
                "(an exercise checked twice?)",
            )
        seen[gid] = pos


def _tiny_exercise_notebook():
    """Title, answer cell, solution, check of the fixed choice ``ch0.rerun`` (for the examples)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("answer_1 = None  # your answer: a letter"),
        nbformat.v4.new_code_cell('answer_1 = "b"', metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell('exercises.check("ch0.rerun", answer_1)'),
    ]
    for c, cid in zip(nb.cells, ("title", "answer", "solution", "check")):
        c["id"] = cid
    return nb
