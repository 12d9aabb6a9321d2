"""The portal's one Store, opened at start-up; each request reads one snapshot of it.

A request that reads the store several times (ETag, Last-Modified, body) must not mix two versions
when a write publishes between its reads: `get_store()` pins the snapshot published when the request
first asks for the store and answers the whole request from it. Readers are opened once per version
and shared by every request.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, current_app, g, has_request_context

from store.core.triplestore import Store, StoreNotInitialised
from store.registry.database import open_database

EXTENSION = "nqdb.store"
PINNED = "nqdb_store"  # attribute of flask.g: this request's pinned view
REGISTER = "nqdb_register"  # attribute of flask.g: this request's register (SQLite) connection


def init_app(app: Flask) -> None:
    """Open the store named by STORE (it is created by `nqdb init` or `nqdb serve`).

    STORE and DUMPS_DIR are made absolute here, once, against the directory the server starts in:
    Flask would resolve a relative file path against the installed package, a child process against
    its own working directory.
    """
    store = Store(app.config["STORE"])
    app.config["STORE"] = str(store.path)
    if app.config.get("DUMPS_DIR"):
        app.config["DUMPS_DIR"] = str(absolute(str(app.config["DUMPS_DIR"])))
    app.extensions[EXTENSION] = store
    app.teardown_request(_release)


def absolute(path: str) -> Path:
    """`path` made absolute against the current directory (`~` expanded); symlinks are kept."""
    return Path(path).expanduser().absolute()


def get_store() -> Store:
    """The store of the running app; inside a request, pinned to one snapshot for the whole request."""
    store: Store = current_app.extensions[EXTENSION]
    if not has_request_context():
        return store
    view: Store | None = g.get(PINNED)
    if view is None:
        try:
            view = store.pinned()
        except StoreNotInitialised:
            return store  # nothing to pin yet: the reads raise it and the client gets a 503
        setattr(g, PINNED, view)
    return view


def register() -> sqlite3.Connection:
    """This request's connection to the store's register database (accounts, records), opened on first use
    and closed when the request ends; the API and the staff pages share it."""
    connection: sqlite3.Connection | None = g.get(REGISTER)
    if connection is None:
        connection = open_database(get_store().path)
        setattr(g, REGISTER, connection)
    return connection


def _release(_error: BaseException | None) -> None:
    view: Store | None = g.pop(PINNED, None)
    if view is not None:
        view.release()  # caches may keep the view as a key; it must not keep a snapshot open
    connection: sqlite3.Connection | None = g.pop(REGISTER, None)
    if connection is not None:
        connection.close()
