"""Reading a SPARQL 1.1 Protocol request (https://www.w3.org/TR/sparql11-protocol/#query-operation).

Three ways to send a query: GET with `query` in the URL, POST form-encoded, POST with the query as the
body (application/sparql-query). Misuse is answered explicitly: two `query` parameters -> 400, no
Content-Type -> 400, another Content-Type -> 415, a body that is not UTF-8 -> 400, any update -> 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import request
from werkzeug.exceptions import BadRequest, Forbidden, UnsupportedMediaType

from store.core.formats import FORM, SPARQL_QUERY, SPARQL_UPDATE
from store.sparql.service import READ_ONLY

MAX_QUERY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol parameters of one request."""

    query: str | None
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]


def read_request() -> ProtocolRequest:
    """The query and dataset parameters of the current request, checked against the protocol.

    Raises:
        BadRequest, Forbidden, UnsupportedMediaType.
    """
    url_params = _url_parameters()
    if request.method in ("GET", "HEAD"):
        return _from_parameters(url_params)
    content_type = request.headers.get("Content-Type", "").strip()
    if not content_type:
        raise BadRequest(f"A POST needs a Content-Type: {FORM} or {SPARQL_QUERY}.")
    media_type = request.mimetype
    if media_type == SPARQL_UPDATE:
        raise Forbidden(READ_ONLY)
    if media_type not in (FORM, SPARQL_QUERY):
        raise UnsupportedMediaType(f"Content-Type {media_type} is not a SPARQL query; send {FORM} "
                                   f"or {SPARQL_QUERY}.")
    _check_charset()
    body = _utf8_body()
    if media_type == FORM:
        if any(name in ("query", "update") for name, _ in url_params):
            raise BadRequest("With a form-encoded POST, send 'query' in the body only.")
        return _from_parameters(_decode_form(body))
    if any(name == "update" for name, _ in url_params):
        raise Forbidden(READ_ONLY)
    if any(name == "query" for name, _ in url_params):
        raise BadRequest("With a direct POST the body is the query; do not also send a 'query' parameter.")
    return _from_parameters([("query", body), *url_params])


def _from_parameters(params: list[tuple[str, str]]) -> ProtocolRequest:
    if any(name == "update" for name, _ in params):
        raise Forbidden(READ_ONLY)
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise BadRequest("Send exactly one 'query' parameter; this request has several.")
    if queries and not queries[0].strip():
        raise BadRequest("The 'query' parameter is empty.")
    return ProtocolRequest(queries[0] if queries else None,
                           tuple(v for n, v in params if n == "default-graph-uri"),
                           tuple(v for n, v in params if n == "named-graph-uri"))


def _url_parameters() -> list[tuple[str, str]]:
    raw = request.query_string
    try:
        return _decode_form(raw.decode("ascii"))
    except UnicodeDecodeError as error:
        raise BadRequest("The URL's query string must be percent-encoded UTF-8.") from error


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset={charset} is not supported; send UTF-8.")


def _utf8_body() -> str:
    if (request.content_length or 0) > MAX_QUERY_BYTES:
        raise BadRequest(f"The request body is larger than {MAX_QUERY_BYTES} bytes.")
    data = request.get_data(cache=True)
    if len(data) > MAX_QUERY_BYTES:
        raise BadRequest(f"The request body is larger than {MAX_QUERY_BYTES} bytes.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"The request body is not valid UTF-8 (byte {error.start}).") from error


def _decode_form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise BadRequest("A parameter is not percent-encoded UTF-8.") from error
