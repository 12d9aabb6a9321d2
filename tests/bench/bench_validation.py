"""Benchmark validate_graph on N synthetic LOQ qualifications (~57 triples each, ~2 % broken).

Usage: python -m tests.bench.bench_validation 10000 [--dir /tmp/nqdb-bench] [--profile]
Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from store.core.graphs import dataset_graph, vocabulary_graph
from store.core.paths import VOCABULARIES
from store.validation.completeness import annex_vi_completeness
from store.validation.profile import validate_graph
from tests.bench.generate import write_dataset


def main() -> None:
    """Generate, bulk-load, validate, and print the throughput."""
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="nqdb-bench-"))
    shutil.rmtree(work / "store", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    nt = work / f"qualifications-{args.n}.nt"
    t0 = time.perf_counter()
    triples, broken = write_dataset(nt, args.n)
    store, vocabs = Store(str(work / "store")), []
    for path in sorted(VOCABULARIES.glob("*.ttl")):
        vocabs.append(vocabulary_graph(path.stem))
        store.bulk_load(path=path, format=RdfFormat.TURTLE, to_graph=NamedNode(vocabs[-1]))
    graph = dataset_graph("bench")
    store.bulk_load(path=nt, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
    store.optimize()
    print(f"generated and loaded {args.n} qualifications, {triples} triples "
          f"({triples / args.n:.1f}/qualification), {broken} broken, in {time.perf_counter() - t0:.1f} s")
    profiler = cProfile.Profile() if args.profile else None
    t1 = time.perf_counter()
    if profiler:
        profiler.enable()
    report = validate_graph(store, graph, vocabs)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    seconds = time.perf_counter() - t1
    print(f"validate_graph: {report.qualifications} qualifications in {seconds:.1f} s = "
          f"{report.qualifications / seconds:,.0f} qualifications/s ({triples / seconds:,.0f} triples/s); "
          f"{len(report.nonconforming_qualifications())} nonconforming, {len(report.violations)} violations")
    t2 = time.perf_counter()
    completeness = annex_vi_completeness(store, graph)
    print(f"annex_vi_completeness: {len(completeness.per_qualification)} qualifications in "
          f"{time.perf_counter() - t2:.1f} s, dataset score {completeness.dataset_score:.3f}")
    assert len(report.nonconforming_qualifications()) == broken, "exactly the broken records must fail"


if __name__ == "__main__":
    main()
