"""/queries: the example queries of queries/example_*.rq as a small API, with safely bound parameters.

GET /queries lists them (JSON, or HTML for browsers); GET /queries/<name>?param=value runs one through
the same worker pool, limits and formats as /sparql. Parameters are bound with substitutions (an IRI
parameter becomes an IRI, a literal parameter a plain literal), never pasted into the query text.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from portal.sparql.endpoint import EXPOSED_HEADERS, run_query
from portal.web.negotiation import HTML, choose_media_type, vary_on_accept
from portal.web.site import open_to_any_origin
from store.core import queries
from store.core.execute import Binding
from store.core.formats import JSON
from store.core.terms import Text

bp = Blueprint("named_queries", __name__, url_prefix="/queries")
PUBLIC_PREFIX = "example_"
open_to_any_origin(bp, EXPOSED_HEADERS)


def _public(name: str) -> queries.NamedQuery:
    if not name.startswith(PUBLIC_PREFIX):
        raise NotFound(f"No public query {name!r}; GET /queries lists them.")
    try:
        return queries.describe(name)
    except queries.UnknownQuery as error:
        raise NotFound(f"No public query {name!r}; GET /queries lists them.") from error


def _listing() -> list[dict[str, object]]:
    listing: list[dict[str, object]] = []
    for name in queries.names():
        if name.startswith(PUBLIC_PREFIX):
            named = queries.describe(name)
            listing.append({"name": name, "title": named.title, "description": named.description,
                            "parameters": [{"name": p, "kind": k} for p, k in named.parameter_kinds().items()],
                            "url": url_for("named_queries.run", name=name, _external=True),
                            "query": named.text})
    return listing


@bp.get("")
def index() -> Response:
    """The public named queries with their parameters."""
    media_type = choose_media_type((JSON, HTML))
    listing = _listing()
    if media_type == HTML:
        return vary_on_accept(Response(render_template("queries.html", queries=listing), mimetype=HTML))
    body = json.dumps({"queries": listing}, ensure_ascii=False, indent=1)
    return vary_on_accept(Response(body, mimetype=JSON))


@bp.get("/<name>")
def run(name: str) -> Response:
    """Run one public query; each ?param=value binds that parameter, unbound ones match anything."""
    named = _public(name)
    kinds = named.parameter_kinds()
    bindings: list[tuple[str, Binding]] = []
    for key in request.args:
        values = request.args.getlist(key)
        if key not in kinds:
            raise BadRequest(f"{name} has no parameter {key!r}; it takes: {', '.join(kinds) or 'none'}.")
        if len(values) != 1 or not values[0]:
            raise BadRequest(f"Give {key!r} exactly one non-empty value.")
        bindings.append((key, values[0] if kinds[key] == "IRI" else Text(values[0])))
    return run_query(named.text, bindings=bindings)
