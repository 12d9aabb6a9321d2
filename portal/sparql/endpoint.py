"""/sparql: the public SPARQL 1.1 Protocol endpoint, its service description and the query page.

The view parses the protocol request and negotiates; the store-side service (store/sparql/service.py)
checks the query, resolves its dataset and runs it in a worker process, so that a query over the time
limit is killed, not merely abandoned. The web thread only streams the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import BadRequest, NotAcceptable

from portal.sparql.protocol import read_request
from portal.web.negotiation import GRAPH_RESULTS, HTML, SOLUTION_RESULTS, choose_media_type, vary_on_accept
from portal.web.site import cors_preflight, open_to_any_origin, public_base
from portal.web.storage import get_store
from store.core import queries
from store.core.execute import Binding
from store.core.namespaces import PREFIXES
from store.sparql.description import service_description
from store.sparql.service import Negotiated, SparqlQuery, SparqlService
from store.sparql.workers import WorkerPool

bp = Blueprint("sparql", __name__)
SERVICE = "nqdb.sparql"
METHODS = "GET, POST, HEAD, OPTIONS"
EXPOSED_HEADERS = "NQDB-Row-Limit, NQDB-Truncated, Retry-After, Content-Type"
open_to_any_origin(bp, EXPOSED_HEADERS)


@bp.record_once
def _start_service(state: BlueprintSetupState) -> None:
    """The app's SPARQL service; a wrong worker limit stops the app here, at start, not at its first query."""
    state.app.extensions[SERVICE] = SparqlService(state.app.config)


def sparql_service() -> SparqlService:
    """The running app's SPARQL service."""
    service: SparqlService = current_app.extensions[SERVICE]
    return service


def get_pool() -> WorkerPool:
    """The app's worker pool, started on the first query (app creation stays fast)."""
    return sparql_service().pool()


def close_pool(app: Flask) -> None:
    """Stop the app's SPARQL worker processes (tests; `atexit` does it for servers)."""
    service: SparqlService | None = app.extensions.get(SERVICE)
    if service is not None:
        service.close()


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description or the query page."""
    if request.method == "OPTIONS":
        return cors_preflight(METHODS)
    params = read_request()
    if params.query is None:
        if request.method == "POST":
            raise BadRequest("Missing 'query' parameter.")
        return _description_or_page()
    return run_query(params.query, params.default_graph_uris, params.named_graph_uris)


def run_query(text: str, default_uris: Sequence[str] = (), named_uris: Sequence[str] = (),
              bindings: Sequence[tuple[str, Binding]] = ()) -> Response:
    """Evaluate one query in a worker and stream its result in the negotiated format.

    Raises:
        SparqlRefused: the query may not run or gave no result (portal/web/problems.py renders it).
    """
    query = SparqlQuery(text, _negotiated(SOLUTION_RESULTS), _negotiated(GRAPH_RESULTS), tuple(default_uris),
                        tuple(named_uris), tuple(bindings))
    answer = sparql_service().answer(query, get_store())
    if request.method == "HEAD":
        answer.body.drain()
        body: object = b""
    else:
        body = answer.body
    response = Response(body, mimetype=answer.media_type, headers=answer.headers)  # type: ignore[arg-type]
    return vary_on_accept(response)


def _negotiated(offered: Sequence[str]) -> Negotiated:
    try:
        return Negotiated(choose_media_type(offered))
    except NotAcceptable as error:
        return Negotiated(None, error.description or "")


def _description_or_page() -> Response:
    media_type = choose_media_type((*GRAPH_RESULTS, HTML))
    store = get_store()
    base = public_base()
    if media_type == HTML:
        examples = [queries.describe(n) for n in queries.names() if n.startswith("example_")]
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
        body = render_template("sparql.html", examples=examples, prologue=prologue, endpoint=base + "/sparql",
                               timeout=current_app.config["SPARQL_TIMEOUT"])
        return vary_on_accept(Response(body, mimetype=HTML))
    description = service_description(store, base + "/sparql", base + "/.well-known/void", media_type)
    return vary_on_accept(Response(description, mimetype=media_type))
