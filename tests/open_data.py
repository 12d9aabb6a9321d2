"""Shared by the open-data tests: a demo store with its dumps generated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from store.core.triplestore import Store
from store.opendata import dumps
from tests.conftest import BASE, copy_store

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_TEMPLATE: list[Path] = []


def dumped_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """A copy of the demo store with its dumps in <store>/dumps, generated once per session."""
    if not _TEMPLATE:
        path = tmp_path_factory.mktemp("dumped") / "store"
        copy_store(demo_template, path)
        store = Store(path)
        dumps.generate(store, dumps.dumps_dir(store), base_url=BASE, languages=["en", "fr"],
                       license_url=LICENSE)
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def store_copy(template: Path, target: Path) -> Store:
    """A private copy of a store directory (symlinks kept, so `current` and `latest` stay relative)."""
    return Store(copy_store(template, target))


def open_data_app(store: Store, **config: object) -> Flask:
    """A test app over `store` with IRIs under BASE."""
    return create_app({"TESTING": True, "STORE": str(store.path), "PUBLIC_BASE_URL": BASE, **config})
