"""Errors as RFC 9457 problem responses (application/problem+json), or an HTML page for browsers."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

from store.core.formats import HTML, JSON, PROBLEM_JSON
from store.core.triplestore import StoreNotInitialised
from store.sparql.service import SparqlRefused

log = logging.getLogger(__name__)


def problem(status: int, detail: str, **extra: object) -> Response:
    """An RFC 9457 application/problem+json response."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"),
            "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype=PROBLEM_JSON)


def wants_html() -> bool:
    """True when the client prefers an HTML page to JSON (a browser)."""
    accept = request.accept_mimetypes
    return accept.best_match([HTML, PROBLEM_JSON, JSON]) == HTML and accept[HTML] > accept[JSON]


def error_response(status: int, detail: str, headers: dict[str, str] | None = None, **extra: object) -> Response:
    """The error in the form the client reads: HTML for browsers, problem+json otherwise."""
    if wants_html():
        response = Response(render_template("error.html", status=status, detail=detail,
                                            title=HTTP_STATUS_CODES.get(status, "Error")), status,
                            mimetype=HTML)
    else:
        response = problem(status, detail, **extra)
    response.headers.update(headers or {})
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    return error_response(status, error.description or HTTP_STATUS_CODES.get(status, ""), headers)


def _sparql_refused(error: SparqlRefused) -> Response:
    return error_response(error.status, error.detail, error.headers, **error.extra)


def _not_initialised(error: StoreNotInitialised) -> Response:
    return _http_error(ServiceUnavailable(str(error)))


def _unexpected(error: Exception) -> Response:
    log.exception("Unhandled error", exc_info=error)
    return _http_error(InternalServerError("Something went wrong on our side; it has been logged."))


def init_app(app: Flask) -> None:
    """Register the problem handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreNotInitialised, _not_initialised)
    app.register_error_handler(SparqlRefused, _sparql_refused)
    app.register_error_handler(Exception, _unexpected)
