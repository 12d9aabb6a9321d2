"""The portal's one Store, opened at start-up and shared by every request."""

from __future__ import annotations

from flask import Flask, current_app

from store.triplestore import Store

EXTENSION = "nqdb.store"


def init_app(app: Flask) -> None:
    """Open the store named by STORE (it is created by `nqdb init` or `nqdb serve`)."""
    app.extensions[EXTENSION] = Store(app.config["STORE"])


def get_store() -> Store:
    """The store of the running app."""
    store: Store = current_app.extensions[EXTENSION]
    return store
