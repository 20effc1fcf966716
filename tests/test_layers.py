"""The layers of crmlib as its imports draw them (docs: DESIGN.md, "Layout"; issue 11).

From the bottom up: the base (errors, checks, input/output, i18n, notebook parameters), the
datasets and their seeded generators, the topic modules (one per chapter topic, the customer
archive among them), the case studies, the plots, the widgets, the exercises, and the tools on top
(instructor, book, command line). Read with ``ast`` from every file of the package — imports inside
functions too, since a local import is a dependency all the same — the imports must keep three rules:

1. no module imports from a higher layer;
2. the units of one layer (``selection``, ``receivables`` …) import each other without a circle;
3. no module uses another unit's private names (``selection._weights``) or private modules
   (``crmlib.datasets._base``): what is shared is public, or lives in one of the shared base
   modules (``_validate``, ``_errors``, ``_io``, ``_checks``), which exist to be shared.

A *unit* is a top-level module or package of crmlib: ``crmlib.casework.harrahs`` belongs to
``casework``; the modules of one package may share their private names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crmlib"

#: the layers, lowest first; a unit may import the units of its own layer and of the layers below
LAYERS: list[tuple[str, list[str]]] = [
    ("base", ["crmlib", "_errors", "_validate", "_io", "_checks", "_kernels", "i18n", "params"]),
    ("datasets", ["datasets"]),
    (
        "topic modules",
        [
            "segmentation",
            "qualification",
            "selection",
            "receivables",
            "development",
            "satisfaction",
            "loyalty",
            "clv",
            "records",
        ],
    ),
    ("casework", ["casework"]),
    ("plots", ["plots"]),
    ("widgets", ["widgets"]),
    ("exercises", ["exercises"]),
    ("tools", ["lms", "instructor", "nbgrader_export", "editions", "book", "cli"]),
]
LAYER_OF = {unit: i for i, (_, units) in enumerate(LAYERS) for unit in units}
#: private modules whose purpose is to be shared by every unit above them
SHARED = {"_errors", "_validate", "_io", "_checks", "_kernels"}
#: private names still reached across units, each with the change that removes it; nothing may be added
KNOWN_PRIVATE_USES: dict[tuple[str, str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "crmlib"


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_module(name: str) -> bool:
    return name in MODULES


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name an ``from … import`` statement imports from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str, source: str) -> list[tuple[int, str, str | None]]:
    """(line, imported crmlib module, imported name or None) for every import of crmlib in ``source``,
    at any depth, plus ``importlib.import_module("crmlib.…")`` with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, None) for a in node.names if a.name.split(".")[0] == "crmlib"]
        elif isinstance(node, ast.ImportFrom):
            src = _resolve(module, node)
            if src.split(".")[0] != "crmlib":
                continue
            for a in node.names:
                sub = f"{src}.{a.name}"
                # `from crmlib import casework` imports the module crmlib.casework
                found.append((node.lineno, sub, None) if is_module(sub) else (node.lineno, src, a.name))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("crmlib")
        ):
            found.append((node.lineno, str(node.args[0].value), None))
    return found


def module_aliases(module: str, source: str) -> dict[str, str]:
    """Names bound to a crmlib module anywhere in ``source`` (``from crmlib import selection``,
    ``import crmlib.casework as CW``), for the check of ``alias._private`` uses."""
    out = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("crmlib.") and a.asname:
                    out[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom):
            src = _resolve(module, node)
            for a in node.names:
                if is_module(f"{src}.{a.name}"):
                    out[a.asname or a.name] = f"{src}.{a.name}"
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def violations(module: str, source: str, where: str) -> list[str]:
    """What in one module's ``source`` breaks rule 1 or rule 3 (messages name file, line and fix)."""
    me = unit_of(module)
    out = []
    if me not in LAYER_OF:
        return [
            f"{where}: unit {me!r} is in no layer: add it to LAYERS in tests/test_layers.py (and to DESIGN.md's layout)"
        ]
    for line, target, name in imports(module, source):
        them = unit_of(target)
        if them not in LAYER_OF:
            out.append(f"{where}:{line}: imports {target}, which is in no layer (add it to LAYERS)")
            continue
        if LAYER_OF[them] > LAYER_OF[me]:
            out.append(
                f"{where}:{line}: {me} ({LAYERS[LAYER_OF[me]][0]}) imports {target} "
                f"({LAYERS[LAYER_OF[them]][0]}): a lower layer may not import a higher one; move what "
                f"both need down, or let the higher module call the lower one"
            )
        if them == me or them in SHARED:
            continue
        private_module = next((p for p in target.split(".")[2:] if _private(p)), None)
        if private_module:
            out.append(
                f"{where}:{line}: imports the private module {target} of {them}: import from crmlib.{them} instead"
            )
        if name is not None and _private(name):
            out.append(
                f"{where}:{line}: imports {name} from {target}, a private name of {them}: make it public "
                f"there, or move it to a shared base module such as crmlib._checks"
            )
    aliases = module_aliases(module, source)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _private(node.attr)
        ):
            them = unit_of(aliases[node.value.id])
            if them != me and them not in SHARED and (me, them, node.attr) not in KNOWN_PRIVATE_USES:
                out.append(
                    f"{where}:{node.lineno}: uses {node.value.id}.{node.attr}, a private name of {them}: "
                    f"make it public there, or move it to a shared base module such as crmlib._checks"
                )
    return list(dict.fromkeys(out))  # one message for `from crmlib.casework import a, b`


def unit_graph() -> dict[str, set[str]]:
    """Which unit imports which. ``import crmlib`` (to read ``crmlib.__version__``) is left out: the
    package's face re-exports the base and is no dependency of the module that reads it."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        for _, target, _ in imports(module, path.read_text(encoding="utf-8")):
            if unit_of(target) not in (unit_of(module), "crmlib"):
                graph.setdefault(unit_of(module), set()).add(unit_of(target))
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle of imports between units, each once (depth-first search)."""
    found, seen = [], set()

    def visit(node, path):
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                circle = path[path.index(nxt) :] + [nxt]
                key = frozenset(circle)
                if key not in seen:
                    seen.add(key)
                    found.append(circle)
            elif len(path) < len(graph) + 1:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


# ----------------------------------------------------------------------------- the tests
def test_every_module_is_in_a_layer():
    assert MODULES, f"no modules found under {PACKAGE}"
    missing = sorted({unit_of(m) for m in MODULES} - set(LAYER_OF))
    assert not missing, f"units in no layer of tests/test_layers.py: {missing}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_and_keep_private_names_private(module):
    path = MODULES[module]
    found = violations(module, path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert not found, "\n".join(found)


def test_no_circle_of_imports_between_units():
    found = circles(unit_graph())
    assert not found, "circles of imports: " + "; ".join(" → ".join(c) for c in found)


def test_the_known_private_uses_are_the_only_ones_left():
    """The allow-list names uses that exist: a stale entry would let the next one in unseen."""
    present = set()
    for module, path in MODULES.items():
        src = path.read_text(encoding="utf-8")
        aliases = module_aliases(module, src)
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                present.add((unit_of(module), unit_of(aliases[node.value.id]), node.attr))
    stale = [k for k in KNOWN_PRIVATE_USES if k not in present]
    assert not stale, f"remove from KNOWN_PRIVATE_USES (no longer used): {stale}"


# ----------------------------------------------------------------------------- the checker itself
@pytest.mark.parametrize(
    "module, source, expected",
    [
        # what crmlib/records.py did before issue 11: a method importing the case studies
        (
            "crmlib.records._storage",
            "def reminders(self):\n    from crmlib.casework import delivery_plan\n",
            "a lower layer may not import a higher one",
        ),
        ("crmlib.datasets._base", "import crmlib.plots as P\n", "a lower layer may not import a higher one"),
        ("crmlib.segmentation", "from . import widgets\n", "a lower layer may not import a higher one"),
        # what crmlib/receivables.py did: another topic module's private helpers
        ("crmlib.receivables", "from crmlib.selection import _accounts, _weights\n", "a private name of selection"),
        (
            "crmlib.loyalty",
            "from crmlib import selection\nselection._weights({}, 'f', [])\n",
            "a private name of selection",
        ),
        (
            "crmlib.casework.harrahs",
            "from crmlib.datasets._base import load_dataset\n",
            "private module crmlib.datasets._base",
        ),
        (
            "crmlib.casework.harrahs",
            "import importlib\nimportlib.import_module('crmlib.exercises')\n",
            "a lower layer may not import a higher one",
        ),
        ("crmlib.newthing", "import crmlib\n", "is in no layer"),
    ],
)
def test_the_checker_catches(module, source, expected):
    found = violations(module, source, "x.py")
    assert any(expected in v for v in found), found


@pytest.mark.parametrize(
    "module, source",
    [
        ("crmlib.receivables", "from crmlib import _checks, _validate as V\nV._fail\n_checks.account_table\n"),
        ("crmlib.records._build", "from crmlib.records._storage import Archive\nfrom . import _card\n_card._x\n"),
        ("crmlib.casework.rice_shop", "from crmlib.records import purchase_cycle\nfrom crmlib import datasets\n"),
        ("crmlib.widgets", "from crmlib import casework as CW\nCW.TIER_KEYS\n"),
    ],
)
def test_the_checker_lets_through(module, source):
    assert violations(module, source, "x.py") == []


def test_circles_are_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_every_package_of_the_tree_is_installed():
    """``[tool.setuptools] packages`` lists each package of crmlib, or a wheel would lack it."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    listed = set(
        tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    packages = {module_name(p.parent / "__init__.py") for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed, f"add to the packages of pyproject.toml: {sorted(packages - listed)}"
