"""What every blueprint knows of the site it serves: its public base URL, open-data settings, dumps
directory, and who may read it from other origins (CORS).

One rule for the public base URL, used by every surface (resource IRIs, pages, catalogue, VoID, feed,
SPARQL service description): PUBLIC_BASE_URL when it is set, else the address this request came to with
its script-root prefix (behind a trusted proxy, X-Forwarded-Host and X-Forwarded-Prefix).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from store.opendata import dumps
from store.opendata.catalog import Site

CORS = "nqdb.cors"  # app.extensions key: blueprint name -> the response headers it exposes to scripts


def public_base() -> str:
    """The base of our IRIs and absolute links, without a trailing slash."""
    configured = str(current_app.config["PUBLIC_BASE_URL"] or "")
    return (configured or request.url_root).rstrip("/")


def languages(app: Flask | None = None) -> tuple[str, ...]:
    """The LANGUAGES setting as a tuple of codes."""
    config = (app or current_app).config
    return tuple(code.strip() for code in str(config["LANGUAGES"]).split(",") if code.strip())


def site() -> Site:
    """The open-data settings of the running app, with the public base URL of this request."""
    config = current_app.config
    return Site(public_base(), str(config["SITE_NAME"]), str(config["PUBLISHER_NAME"]),
                str(config["PUBLISHER_URL"]), str(config["CONTACT_EMAIL"]), str(config["LICENSE_URL"]),
                languages(), str(config["COUNTRY_CODE"]))


def dumps_directory(app: Flask | None = None) -> Path:
    """DUMPS_DIR of the app (default <STORE>/dumps)."""
    app = app or current_app
    return dumps.dumps_dir(app.extensions["nqdb.store"], str(app.config["DUMPS_DIR"]))


def allow_any_origin(response: Response, exposed: str) -> Response:
    """Let scripts of any origin read `response` (the data is open) and the `exposed` headers."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = exposed
    return response


def cors_preflight(methods: str) -> Response:
    """The answer to a CORS preflight (OPTIONS) for a resource that takes `methods`."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = methods
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = methods
    return response


def open_to_any_origin(blueprint: Blueprint, exposed: str) -> None:
    """Every response of `blueprint` (errors and 405s included) may be read by any origin."""
    blueprint.after_request(_allowing(exposed))

    def declare(state: BlueprintSetupState) -> None:
        state.app.extensions.setdefault(CORS, {})[state.name] = exposed

    blueprint.record_once(declare)


def _allowing(exposed: str) -> Callable[[Response], Response]:
    def allow(response: Response) -> Response:
        return allow_any_origin(response, exposed)

    return allow


def init_app(app: Flask) -> None:
    """A method a route does not take is refused before any blueprint sees the request (405): the route's
    blueprint CORS headers are added here, so that a script can read why."""
    app.after_request(_cors_of_refused_method)


def _cors_of_refused_method(response: Response) -> Response:
    error = request.routing_exception
    method = next(iter(error.valid_methods or ()), None) if isinstance(error, MethodNotAllowed) else None
    adapter = current_app.create_url_adapter(request)
    if method is None or adapter is None:
        return response
    try:
        endpoint, _ = adapter.match(method=method)  # the route the refused request was addressed to
    except HTTPException:
        return response
    exposed = current_app.extensions.get(CORS, {}).get(str(endpoint).rpartition(".")[0])
    return response if exposed is None else allow_any_origin(response, exposed)
