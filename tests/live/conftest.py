"""A real HTTP server on 127.0.0.1 (never another interface) running the portal over a demo store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from portal import create_app
from store.core.triplestore import Store


@dataclass(frozen=True)
class LiveServer:
    """A running portal: its root URL and app."""

    url: str
    app: Flask


def start_server(app: Flask) -> tuple[BaseWSGIServer, threading.Thread]:
    """Serve `app` on an ephemeral loopback port in a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def live_server(demo_store: Store) -> Iterator[LiveServer]:
    """The demo portal served over real HTTP; PUBLIC_BASE_URL is the server's own address."""
    app = create_app({"TESTING": True, "STORE": str(demo_store.path), "PUBLIC_BASE_URL": "http://placeholder"})
    server, thread = start_server(app)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = "http://nqdb.test"  # the demo store's IRIs (tests/conftest.py BASE)
    try:
        yield LiveServer(url, app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
