"""Shared fixtures: real on-disk stores, built once per session and copied per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from store.core.triplestore import Store
from store.ingest.bootstrap import initialise, load_demo

BASE = "http://nqdb.test"
DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
MINIMAL = SHARED / "elm" / "examples" / "qualification-minimal.ttl"


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of the store at `source`: its immutable RocksDB tables (*.sst) hard-linked, every other
    file copied. Snapshots are never changed in place and RocksDB never rewrites a table file, so a test's
    writes (new versions, new tables) cannot reach `source`; the copy costs a fraction of the disk writes."""

    def link_or_copy(src: str, dst: str) -> object:
        if src.endswith(".sst"):
            try:
                os.link(src, dst)
                return dst
            except OSError:  # another file system: copy
                pass
        return shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)
    return target


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with only the vocabularies, built once."""
    path = tmp_path_factory.mktemp("empty") / "store"
    initialise(Store(path))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Path:
    """A store with the vocabularies and the demo dataset (IRIs under BASE), built once."""
    path = tmp_path_factory.mktemp("demo") / "store"
    copy_store(empty_template, path)
    load_demo(Store(path), BASE)
    return path


@pytest.fixture
def empty_store(tmp_path: Path, empty_template: Path) -> Store:
    """A fresh copy of the vocabulary-only store."""
    copy_store(empty_template, tmp_path / "store")
    return Store(tmp_path / "store")


@pytest.fixture
def demo_store(tmp_path: Path, demo_template: Path) -> Store:
    """A fresh copy of the demo store."""
    copy_store(demo_template, tmp_path / "store")
    return Store(tmp_path / "store")


@pytest.fixture
def app(demo_store: Store) -> Flask:
    """The portal over a copy of the demo store."""
    return create_app({"TESTING": True, "STORE": str(demo_store.path), "PUBLIC_BASE_URL": BASE})


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client of the demo portal."""
    with app.test_client() as test_client:
        yield test_client
