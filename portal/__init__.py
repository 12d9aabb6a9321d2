"""NQDB portal: the Flask application that publishes the store as linked open data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.api import blueprint as api
from portal.opendata import catalog, dumps, feed
from portal.pages import browse
from portal.pages import home as pages
from portal.resources import views as resources
from portal.sparql import endpoint as sparql
from portal.sparql import named_queries
from portal.staff import views as staff
from portal.web import config, link_safety, problems, security_headers, site, storage
from store.core.paths import STATIC


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build a portal app: config, store, error handlers, blueprints."""
    app = Flask(__name__, instance_relative_config=True, static_folder=str(STATIC))
    app.config.from_object(config.Defaults)
    app.config.from_prefixed_env("NQDB")  # NQDB_STORE=/srv/nqdb -> STORE
    if test_config is not None:
        app.config.update(test_config)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_port=proxies, x_prefix=proxies)
    storage.init_app(app)
    problems.init_app(app)
    security_headers.init_app(app)  # issue 9 case 8
    link_safety.init_app(app)  # issue 9 case 7
    site.init_app(app)
    for blueprint in (pages.bp, resources.bp, browse.bp, sparql.bp, named_queries.bp, dumps.bp, catalog.bp,
                      feed.bp, staff.bp, api.bp):
        app.register_blueprint(blueprint)
    return app
