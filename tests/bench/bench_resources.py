"""Describe random qualifications: bare pyoxigraph CONSTRUCT vs the portal's Turtle and HTML responses.

Usage: python -m tests.bench.bench_resources 10000 [--requests 400] [--work /tmp/nqdb-bench-sparql]
Builds (or reuses) the store of tests/bench/bench_sparql.py (N generated qualifications, bulk-loaded), then in
one process and one run, for the same random sample of qualifications:
  bare    pyoxigraph `query()` of queries/describe_resource.rq with the IRI substituted, triples drained;
  turtle  GET /resource?iri=<q> with Accept: text/turtle through the Flask app (negotiation, ETag, describe,
          serialisation, headers) — in-process WSGI, no socket, so the portal's overhead is what is measured;
  html    the same with Accept: text/html (description, view model, template).
Prints p50/p99 latency and sequential requests per second for each, and the ratios against the targets.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from store.core import queries
from tests.bench.bench_sparql import build_store

BENCH_BASE = "https://example.org/nqd/qualification/Q"


def measure(label: str, run: Callable[[str], None], iris: list[str]) -> dict[str, float]:
    """Run once per IRI; latency percentiles in ms and sequential throughput."""
    for iri in iris[:20]:  # warm-up
        run(iri)
    times = []
    started = time.perf_counter()
    for iri in iris:
        t0 = time.perf_counter()
        run(iri)
        times.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    times.sort()
    result = {"p50": statistics.median(times), "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
              "rps": len(iris) / elapsed}
    print(f"{label:7s} p50 {result['p50']:7.2f} ms   p99 {result['p99']:7.2f} ms   "
          f"{result['rps']:8.1f} req/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--requests", type=int, default=400)
    # The same store as the SPARQL benchmark: built once, shared.
    parser.add_argument("--work", type=Path, default=Path("/tmp/nqdb-bench-sparql"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    path = build_store(args.n, args.work)

    from portal import create_app
    from store.core.triplestore import Store

    store = Store(path)
    rng = random.Random(42)
    iris = [f"{BENCH_BASE}{rng.randrange(args.n)}" for _ in range(args.requests)]
    snap, text = store.snapshot(), queries.load("describe_resource")

    def bare(iri: str) -> None:
        result = snap.ox.query(text, use_default_graph_as_union=True,
                               substitutions={ox.Variable("resource"): ox.NamedNode(iri)})
        assert isinstance(result, ox.QueryTriples)
        assert sum(1 for _ in result) > 0

    # No background dump generation: it would compete for the CPU being measured.
    client = create_app({"STORE": str(path), "PUBLIC_BASE_URL": "http://127.0.0.1",
                         "DUMPS_WATCH_SECONDS": 0}).test_client()

    def get(accept: str) -> Callable[[str], None]:
        def run(iri: str) -> None:
            response = client.get("/resource", query_string={"iri": iri}, headers={"Accept": accept})
            assert response.status_code == 200, response.status_code
        return run

    print(f"{args.n} qualifications, {len(store.snapshot().ox)} quads, {args.requests} random qualifications")
    results = {"bare": measure("bare", bare, iris), "turtle": measure("turtle", get("text/turtle"), iris),
               "html": measure("html", get("text/html"), iris)}
    print(f"turtle/bare p50 {results['turtle']['p50'] / results['bare']['p50']:.2f}x (target <= 2)   "
          f"html/turtle p50 {results['html']['p50'] / results['turtle']['p50']:.2f}x (target <= 2)")


if __name__ == "__main__":
    main()
