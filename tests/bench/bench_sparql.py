"""Benchmark /sparql (waitress + worker processes) against `oxigraph serve-read-only` on the same data.

Usage: python -m tests.bench.bench_sparql 10000 [--seconds 5] [--work /tmp/nqdb-bench-sparql]
Builds a store of N generated qualifications (tests/bench/generate.py), copies its snapshot for the oxigraph
server (run with --union-default-graph, our default graph being the union of published graphs), then
measures requests/s, p50 and p99 of a small SELECT and a DESCRIBE of one qualification at 2 and 8
concurrent keep-alive clients, both servers in the same run, on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from tests.bench.generate import BASE, write_dataset

QUERIES = {
    "small SELECT": "SELECT ?title WHERE {{ <{q}> <http://purl.org/dc/terms/title> ?title }}",
    "DESCRIBE one qualification": "DESCRIBE <{q}>",
}
ACCEPT = {"small SELECT": "application/sparql-results+json",
          "DESCRIBE one qualification": "application/n-triples"}


def build_store(n: int, work: Path) -> Path:
    """A store with the vocabularies and N generated qualifications (reused when already built)."""
    from store.core import graphs
    from store.core.formats import rdf_by_extension
    from store.core.triplestore import Store
    from store.ingest.bootstrap import initialise

    path = work / f"store-{n}"
    if (path / "bench-loaded").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    nt = work / f"bench-{n}.nt"
    if not nt.exists():
        write_dataset(nt, n)
    store = Store(path)
    initialise(store)
    syntax = rdf_by_extension("nt")
    assert syntax is not None
    with store.write() as writer:  # bulk load without validation: this benchmark measures serving only
        writer.load(nt, syntax, graphs.dataset_graph("bench"))
    (path / "bench-loaded").touch()
    return path


def serve_portal(store: Path, port: int) -> None:
    """Serve the portal with waitress, as `nqdb serve` does (run in a child process)."""
    import waitress

    from portal import create_app

    # No background dump generation: it would compete for the CPU being measured.
    app = create_app({"STORE": str(store), "PUBLIC_BASE_URL": "http://127.0.0.1", "SPARQL_WORKERS": 2,
                      "DUMPS_WATCH_SECONDS": 0})
    waitress.serve(app, host="127.0.0.1", port=port, threads=8, ident="nqdb", _quiet=True)


def wait_until_up(port: int, path: str) -> None:
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def load(port: int, path: str, query: str, accept: str, n: int, clients: int,
         seconds: float) -> dict[str, float]:
    """`clients` threads with keep-alive connections sending GETs for `seconds`; req/s, p50, p99 in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng, mine = random.Random(seed), []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            q = f"{BASE}qualification/Q{rng.randrange(n)}"
            url = f"{path}?{urllib.parse.urlencode({'query': query.format(q=q)})}"
            started = time.perf_counter()
            connection.request("GET", url, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"rps": len(latencies) / seconds, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000, "errors": errors[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/nqdb-bench-sparql"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    store = build_store(args.n, args.work)
    copy = args.work / f"oxigraph-{args.n}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store / "current" / "public", copy)  # the public database: what SPARQL serves
    ours, theirs = 18931, 18932
    portal = subprocess.Popen([sys.executable, "-m", "tests.bench.bench_sparql", "--serve", str(store),
                               str(ours)])
    oxigraph = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(copy),
                                 "--union-default-graph", "--bind", f"127.0.0.1:{theirs}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(ours, "/sparql?query=ASK%7B%7D")
        wait_until_up(theirs, "/query?query=ASK%7B%7D")
        rows = []
        for name, query in QUERIES.items():
            for clients in (2, 8):
                load(ours, "/sparql", query, ACCEPT[name], args.n, clients, 1.0)  # warm-up
                a = load(ours, "/sparql", query, ACCEPT[name], args.n, clients, args.seconds)
                load(theirs, "/query", query, ACCEPT[name], args.n, clients, 1.0)
                b = load(theirs, "/query", query, ACCEPT[name], args.n, clients, args.seconds)
                rows.append(f"| {name} | {clients} | {a['rps']:.0f} | {a['p50']:.1f} / {a['p99']:.1f} | "
                            f"{b['rps']:.0f} | {b['p50']:.1f} / {b['p99']:.1f} | "
                            f"{a['rps'] / b['rps']:.2f}x | "
                            f"{a['errors'] + b['errors']} |")
                print(rows[-1], flush=True)
    finally:
        portal.terminate()
        oxigraph.terminate()
        portal.wait(timeout=10)
        oxigraph.wait(timeout=10)
    command = f"python -m tests.bench.bench_sparql {args.n} --seconds {args.seconds:g}"
    print(f"\n{args.n} qualifications; {command}\n")
    print("| query | clients | NQDB req/s | NQDB p50 / p99 ms | oxigraph req/s | oxigraph p50 / p99 ms | "
          "ratio | errors |\n|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve_portal(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
