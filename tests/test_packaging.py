"""What `pip install .` ships: every Python package of the source tree, and only runtime needs at run time."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_is_installed() -> None:
    """A new subpackage missing from pyproject.toml would import from a checkout and fail once installed."""
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("store", "portal", "nqdb") for init in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set()


def test_test_tools_are_not_runtime_dependencies() -> None:
    """pytest and the independent test clients come with the test extra only (issue 10 item 7)."""
    runtime = {d.split(">")[0].split("=")[0].split("<")[0].strip().lower() for d in PROJECT["project"]["dependencies"]}
    assert runtime & {"pytest", "sparqlwrapper", "pyld", "pyshacl", "playwright", "oxigraph", "mypy", "ruff"} == set()
