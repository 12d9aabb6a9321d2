"""The public SPARQL service: one query's course from the parsed protocol request to a streaming answer.

The web side parses the SPARQL 1.1 Protocol and negotiates media types; this module decides everything
else: whether the query may run (no update, no federation, a readable dataset clause), which dataset it
sees, which worker evaluates it, and what each failure means for the client (`SparqlRefused`). Settings
are the app's SPARQL_* keys, read when used, so a changed row limit applies to the next query.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from store.core.execute import Binding
from store.core.triplestore import Store
from store.sparql.engine import QueryRejected, QueryRequest, QueryShape, inspect_query, resolve_dataset
from store.sparql.federation import federation_refusal
from store.sparql.sandbox import format_bytes, parse_bytes
from store.sparql.workers import PoolSaturated, QueryFailed, QueryTimeout, ResultStream, WorkerLimits, WorkerPool

READ_ONLY = "This endpoint is read-only: SPARQL updates are refused and nothing is written."
MIN_WORKER_MEMORY = 128 * 1024 * 1024  # a worker needs ~90 MB to open a store (docs/security.md)


class SparqlRefused(Exception):
    """The service gives no result for this query: an HTTP status, a sentence the client can act on,
    extra problem members (RFC 9457) and response headers such as Retry-After."""

    def __init__(self, status: int, detail: str, extra: Mapping[str, object] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.extra: dict[str, object] = dict(extra or {})
        self.headers: dict[str, str] = dict(headers or {})


@dataclass(frozen=True)
class Negotiated:
    """The client's pick among one kind of result's media types, or, when it accepts none, why not."""

    media_type: str | None
    refusal: str = ""


@dataclass(frozen=True)
class SparqlQuery:
    """One query as the protocol delivered it, with the result media types the client accepts."""

    text: str
    solutions: Negotiated  # for SELECT and ASK
    graph: Negotiated      # for CONSTRUCT and DESCRIBE
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    bindings: tuple[tuple[str, Binding], ...] = field(default=())


@dataclass(frozen=True)
class Answer:
    """A result on its way from a worker: its media type, headers, and the body in chunks."""

    media_type: str
    headers: dict[str, str]
    body: ResultStream


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


class SparqlService:
    """The SPARQL service of one app: its settings and its worker pool, started on the first query."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        """Check the worker settings now, so that a wrong limit stops the app at start, not at a query.

        Raises:
            ValueError: a SPARQL_* setting is wrong (see `worker_limits`).
        """
        worker_limits(config)
        self._config = config
        self._pool: WorkerPool | None = None
        self._lock = threading.Lock()

    def pool(self) -> WorkerPool:
        """The worker pool, started now if it is not running (app creation stays fast)."""
        if self._pool is not None:
            return self._pool
        with self._lock:
            if self._pool is None:
                config = self._config
                self._pool = WorkerPool(int(config["SPARQL_WORKERS"]), int(config["SPARQL_MAX_WAITING"]),
                                        float(config["SPARQL_TIMEOUT"]), worker_limits(config))
            return self._pool

    def close(self) -> None:
        """Stop the worker processes; a later query starts a new pool."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def answer(self, query: SparqlQuery, store: Store) -> Answer:
        """Check `query`, resolve its dataset on `store`'s snapshot, and start it on a worker.

        Raises:
            SparqlRefused: the query may not run, or its worker gave no result.
        """
        shape = _permitted_shape(query.text, federation_allowed(self._config))
        default, named = resolve_dataset(shape, query.default_graph_uris, query.named_graph_uris,
                                         store.published_graphs())
        union = not (query.default_graph_uris or query.named_graph_uris or shape.has_dataset_clause)
        request = QueryRequest(query.text, str(store.snapshot_path()), default, named, query.solutions.media_type,
                               query.graph.media_type, int(self._config["SPARQL_ROW_LIMIT"]), query.bindings,
                               union_default=union)
        if shape.form:  # known form: refuse an impossible Accept before using a worker
            wanted = query.graph if shape.returns_graph else query.solutions
            if wanted.media_type is None:
                raise SparqlRefused(406, wanted.refusal)
        return self._run(request)

    def _run(self, request: QueryRequest) -> Answer:
        pool = self.pool()
        try:
            stream = pool.run(request)
        except PoolSaturated as error:
            retry = max(1, math.ceil(min(pool.timeout, 10.0)))
            raise SparqlRefused(503, "Every SPARQL worker is busy; try again shortly.",
                                headers={"Retry-After": str(retry)}) from error
        except QueryTimeout as error:
            raise SparqlRefused(504, f"The query ran longer than {pool.timeout:g} s and was stopped; "
                                     "narrow it down or add a LIMIT.", {"timeout": pool.timeout}) from error
        except QueryFailed as error:
            failure = error.failure
            raise SparqlRefused(failure.status, failure.detail, failure.extra) from error
        return Answer(stream.media_type, stream.headers, stream)


def _permitted_shape(text: str, allowed: frozenset[str]) -> QueryShape:
    """The query's shape, once it is known to be a query this endpoint may run (read-only, no federation)."""
    try:
        shape = inspect_query(text)
    except QueryRejected as error:
        raise SparqlRefused(400, str(error)) from error
    if shape.form == "UPDATE":
        raise SparqlRefused(403, READ_ONLY)
    refusal = federation_refusal(shape.services, allowed)
    if refusal is not None:
        raise SparqlRefused(400, refusal.reason, {"service": refusal.call.written})
    return shape
