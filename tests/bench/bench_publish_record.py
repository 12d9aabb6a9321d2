"""Benchmark publishing one register record into a large store: approve + publish until it is visible.

Usage: python -m tests.bench.bench_publish_record 10000 [--records 50] [--dir /tmp/nqdb-bench-publish]
A store gets N generated qualifications in bulk (`nqdb load`), then each of --records register records is
created and submitted (not timed) and approved + published (timed) one after the other; the clock stops when
`Store.exists` and a SPARQL ASK over the public snapshot both see the record. Prints p50/p95/max in ms.
Not collected by pytest (no test_ prefix). Figures: docs/performance.md, "Publishing one record".
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import time
from pathlib import Path

from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.bootstrap import initialise
from store.registry import records
from store.registry.database import open_database
from store.registry.principals import Principal, Role
from tests.bench.generate import write_dataset
from tests.record_content import ORG_A, record_iri, record_turtle

BASE = "http://nqdb.test"
EDITOR = Principal("user:editor@bench", Role.EDITOR, frozenset({ORG_A}))
REVIEWER = Principal("user:reviewer@bench", Role.REVIEWER, frozenset())
VISIBLE = "ASK {{ GRAPH ?g {{ <{iri}> a <http://data.europa.eu/snb/model/elm/Qualification> }} }}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(n: int, count: int, work: Path) -> dict[str, object]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "bulk.nt"
    write_dataset(data, n)
    store = Store(work / "store")
    initialise(store)
    started = time.perf_counter()
    importer.import_file(store, data, "bulk")
    load_seconds = time.perf_counter() - started
    conn = open_database(store.path)
    conn.execute("INSERT INTO organisations (iri, name, created) VALUES (?, 'Bench body', '2025-01-01T00:00:00Z')",
                 (ORG_A,))
    timings, phases = [], {"approve": list[float](), "publish": list[float]()}
    for index in range(count):
        key = f"REG-{index:05d}"
        records.create_record(store, conn, EDITOR, key, ORG_A, record_turtle(key, f"Register record {index}"),
                              "text/turtle", base_url=BASE)
        records.submit(store, conn, EDITOR, key)
        t0 = time.perf_counter()
        records.approve(store, conn, REVIEWER, key)
        t1 = time.perf_counter()
        records.publish(store, conn, REVIEWER, key)
        t2 = time.perf_counter()
        assert store.exists(record_iri(key))
        assert store.snapshot().ox.query(VISIBLE.format(iri=record_iri(key)))
        timings.append(time.perf_counter() - t0)
        phases["approve"].append(t1 - t0)
        phases["publish"].append(t2 - t1)
    ms = [t * 1000 for t in timings]
    return {"qualifications": n, "records": count, "bulk_load_seconds": round(load_seconds, 1),
            "p50_ms": round(percentile(ms, 0.5)), "p95_ms": round(percentile(ms, 0.95)), "max_ms": round(max(ms)),
            "approve_p50_ms": round(statistics.median(phases["approve"]) * 1000),
            "publish_p50_ms": round(statistics.median(phases["publish"]) * 1000),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/nqdb-bench-publish"))
    args = parser.parse_args()
    for n in args.sizes:
        print(json.dumps(run(n, args.records, args.dir / str(n))))


if __name__ == "__main__":
    main()
