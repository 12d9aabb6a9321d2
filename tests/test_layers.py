"""The import layers of docs/architecture.md hold: no package imports one above it (issue 10).

Every `import` and `from ... import` of every module counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first: a package may import itself and the packages before it, never one after it.
STORE_LAYERS = ["store.core", "store.validation", "store.sparql", "store.opendata", "store.ingest", "store.registry",
                "store"]
PORTAL_LAYERS = ["portal.web", "portal.resources", "portal.sparql", "portal.opendata", "portal.pages", "portal.staff",
                 "portal.api",
                 "portal"]
WEB_FRAMEWORKS = ("flask", "werkzeug", "waitress", "jinja2")


def imports_of(path: Path) -> set[str]:
    """The absolute module names `path` imports (relative imports are not used in this code base)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def package_of(name: str, layers: list[str]) -> str | None:
    """The layer `name` belongs to: the longest layer that is `name` or a prefix of it."""
    matches = [layer for layer in layers if name == layer or name.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


def modules(top: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / top).rglob("*.py"))


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def violations(top: str, layers: list[str], root: Path = ROOT) -> list[str]:
    found = []
    for path in modules(top, root):
        own = package_of(module_name(path, root), layers)
        assert own is not None, f"{path} is in no documented layer: add its package to tests/test_layers.py"
        for name in imports_of(path):
            other = package_of(name, layers)
            if other is not None and layers.index(other) > layers.index(own):
                found.append(f"{path.relative_to(root)} ({own}) imports {name} ({other}, a higher layer)")
    return sorted(found)


def test_store_packages_import_only_lower_layers() -> None:
    assert violations("store", STORE_LAYERS) == []


def test_portal_packages_import_only_lower_layers() -> None:
    assert violations("portal", PORTAL_LAYERS) == []


@pytest.mark.parametrize(("top", "forbidden"), [
    ("store", ("portal", "nqdb", *WEB_FRAMEWORKS)),  # the store knows nothing of the web or the CLI
    ("portal", ("pyoxigraph", "nqdb")),  # the portal talks to the store only through store/
    ("nqdb", ("pyoxigraph",)),
])
def test_forbidden_imports(top: str, forbidden: tuple[str, ...]) -> None:
    found = [f"{path.relative_to(ROOT)} imports {name}" for path in modules(top) for name in imports_of(path)
             if name.split(".")[0] in forbidden]
    assert found == []


def test_the_layer_rules_can_fail(tmp_path: Path) -> None:
    """The checker sees an upward import, also one inside a function (a check that cannot fail proves nothing)."""
    (tmp_path / "store" / "core").mkdir(parents=True)
    (tmp_path / "store" / "core" / "leak.py").write_text(
        "def f() -> None:\n    from store.ingest import importer\n", encoding="utf-8")
    assert violations("store", STORE_LAYERS, tmp_path) == [
        "store/core/leak.py (store.core) imports store.ingest (store.ingest, a higher layer)",
        "store/core/leak.py (store.core) imports store.ingest.importer (store.ingest, a higher layer)"]
