"""/sparql: the public SPARQL 1.1 Protocol endpoint, its service description and the query page.

Every query runs in a worker process (store/sparql/workers.py) so that a query over the time limit is
killed, not merely abandoned; the web thread only parses the request, negotiates and streams bytes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    GatewayTimeout,
    HTTPException,
    NotAcceptable,
    ServiceUnavailable,
)

from portal.sparql.protocol import READ_ONLY, read_request
from portal.web.negotiation import GRAPH_RESULTS, HTML, SOLUTION_RESULTS, choose_media_type, vary_on_accept
from portal.web.storage import get_store
from store.core import queries
from store.core.execute import Binding
from store.core.namespaces import PREFIXES
from store.sparql.description import service_description
from store.sparql.engine import QueryFailure, QueryRejected, QueryRequest, inspect_query, resolve_dataset
from store.sparql.federation import federation_refusal
from store.sparql.sandbox import format_bytes, parse_bytes
from store.sparql.workers import PoolSaturated, QueryFailed, QueryTimeout, WorkerLimits, WorkerPool

bp = Blueprint("sparql", __name__)
POOL = "nqdb.sparql_pool"
_POOL_LOCK = threading.Lock()
CORS_PATHS = ("/sparql", "/queries")
EXPOSED_HEADERS = "NQDB-Row-Limit, NQDB-Truncated, Retry-After, Content-Type"
MIN_WORKER_MEMORY = 128 * 1024 * 1024  # a worker needs ~90 MB to open a store (docs/security.md)


def federation_allowed(config: Mapping[str, Any]) -> frozenset[str]:
    """The SERVICE endpoints a query may call (SPARQL_FEDERATION_ALLOW), usually none."""
    return frozenset(iri.strip() for iri in str(config["SPARQL_FEDERATION_ALLOW"]).split(",") if iri.strip())


def worker_limits(config: Mapping[str, Any]) -> WorkerLimits:
    """Each worker's OS limits from the settings.

    Raises:
        ValueError: SPARQL_WORKER_MEMORY is not a size, or too small for a worker to open the store.
    """
    try:
        memory = parse_bytes(config["SPARQL_WORKER_MEMORY"])
    except ValueError as error:
        raise ValueError(f"SPARQL_WORKER_MEMORY: {error}") from error
    if 0 < memory < MIN_WORKER_MEMORY:
        raise ValueError(f"SPARQL_WORKER_MEMORY is {format_bytes(memory)}; a worker needs at least "
                         f"{format_bytes(MIN_WORKER_MEMORY)} (or 0 for no cap).")
    return WorkerLimits(memory, network=bool(federation_allowed(config)))


@bp.record_once
def _check_settings(state: BlueprintSetupState) -> None:
    """A wrong limit stops the app at start, not at its first query."""
    worker_limits(state.app.config)


def get_pool() -> WorkerPool:
    """The app's worker pool, started on the first query (app creation stays fast)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pool: WorkerPool | None = app.extensions.get(POOL)
    if pool is None:
        with _POOL_LOCK:
            pool = app.extensions.get(POOL)
            if pool is None:
                config = app.config
                pool = WorkerPool(int(config["SPARQL_WORKERS"]), int(config["SPARQL_MAX_WAITING"]),
                                  float(config["SPARQL_TIMEOUT"]), worker_limits(config))
                app.extensions[POOL] = pool
    return pool


def close_pool(app: Flask) -> None:
    """Stop the app's SPARQL worker processes (tests; `atexit` does it for servers)."""
    pool: WorkerPool | None = app.extensions.pop(POOL, None)
    if pool is not None:
        pool.close()


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description or the query page."""
    if request.method == "OPTIONS":
        return _preflight()
    params = read_request()
    if params.query is None:
        if request.method == "POST":
            raise BadRequest("Missing 'query' parameter.")
        return _description_or_page()
    return run_query(params.query, params.default_graph_uris, params.named_graph_uris)


def run_query(text: str, default_uris: Sequence[str] = (), named_uris: Sequence[str] = (),
              bindings: Sequence[tuple[str, Binding]] = ()) -> Response:
    """Evaluate one query in a worker and stream its result in the negotiated format."""
    try:
        shape = inspect_query(text)
    except QueryRejected as error:
        raise BadRequest(str(error)) from error
    if shape.form == "UPDATE":
        raise Forbidden(READ_ONLY)
    refusal = federation_refusal(shape.services, federation_allowed(current_app.config))
    if refusal is not None:
        call, reason = refusal
        raise _with_extra(BadRequest(reason), {"service": call.written})
    store = get_store()
    default, named = resolve_dataset(shape, default_uris, named_uris, store.published_graphs())
    union = not (default_uris or named_uris or shape.has_dataset_clause)
    query = QueryRequest(text, str(store.snapshot_path()), default, named, _acceptable(SOLUTION_RESULTS),
                         _acceptable(GRAPH_RESULTS), int(current_app.config["SPARQL_ROW_LIMIT"]),
                         tuple(bindings), union_default=union)
    if shape.form:  # known form: refuse an impossible Accept before using a worker
        choose_media_type(GRAPH_RESULTS if shape.returns_graph else SOLUTION_RESULTS)
    pool = get_pool()
    try:
        stream = pool.run(query)
    except PoolSaturated as error:
        retry = max(1, math.ceil(min(pool.timeout, 10.0)))
        raise ServiceUnavailable("Every SPARQL worker is busy; try again shortly.",
                                 retry_after=retry) from error
    except QueryTimeout as error:
        timeout = GatewayTimeout(f"The query ran longer than {pool.timeout:g} s and was stopped; "
                                 "narrow it down or add a LIMIT.")
        raise _with_extra(timeout, {"timeout": pool.timeout}) from error
    except QueryFailed as error:
        raise _failure_exception(error.failure) from error
    if request.method == "HEAD":
        stream.drain()
        body: object = b""
    else:
        body = stream
    response = Response(body, mimetype=stream.media_type, headers=stream.headers)  # type: ignore[arg-type]
    return vary_on_accept(response)


def _acceptable(offered: Sequence[str]) -> str | None:
    try:
        return choose_media_type(offered)
    except NotAcceptable:
        return None


def _with_extra(error: HTTPException, extra: dict[str, object]) -> HTTPException:
    error.problem_extra = extra  # type: ignore[attr-defined]  # read by portal/web/problems.py
    return error


def _failure_exception(failure: QueryFailure) -> HTTPException:
    error = HTTPException(failure.detail)
    error.code = failure.status
    return _with_extra(error, failure.extra)


def _description_or_page() -> Response:
    media_type = choose_media_type((*GRAPH_RESULTS, HTML))
    store = get_store()
    base = (current_app.config["PUBLIC_BASE_URL"] or request.host_url).rstrip("/")
    if media_type == HTML:
        examples = [queries.describe(n) for n in queries.names() if n.startswith("example_")]
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
        body = render_template("sparql.html", examples=examples, prologue=prologue, endpoint=base + "/sparql",
                               timeout=current_app.config["SPARQL_TIMEOUT"])
        return vary_on_accept(Response(body, mimetype=HTML))
    description = service_description(store, base + "/sparql", base + "/.well-known/void", media_type)
    return vary_on_accept(Response(description, mimetype=media_type))


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = "GET, POST, HEAD, OPTIONS"
    return response


@bp.after_app_request
def _cors(response: Response) -> Response:
    """Any origin may query (the data is open); errors and 405s carry the headers too."""
    if request.path.startswith(CORS_PATHS):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response
