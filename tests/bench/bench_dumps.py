"""Benchmark generating every dump (`nqdb dump`) against `oxigraph dump` of the same store, same run.

Usage: python -m tests.bench.bench_dumps 10000 [100000 ...] [--dir /tmp/nqdb-bench-dumps]
Each contender runs in a fresh child process so that its peak RSS is its own.
Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from store.core.formats import rdf_by_extension
from store.core.triplestore import Store
from store.ingest.bootstrap import initialise
from tests.bench.generate import write_dataset

CHILD = r"""
import json, resource, subprocess, sys, time
from pathlib import Path
kind, store_path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
result = {}
if kind == "oxigraph":
    t = time.perf_counter()
    subprocess.run(["oxigraph", "dump", "--location", str(store_path), "--file", str(out / "oxigraph.nq")],
                   check=True)
    result["seconds"] = time.perf_counter() - t
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["bytes"] = (out / "oxigraph.nq").stat().st_size
else:
    from store.opendata import dumps
    from store.core.triplestore import Store
    marks = []
    def progress(name, done, total):
        marks.append((name, time.perf_counter()))
    t = time.perf_counter()
    manifest = dumps.generate(Store(store_path), out, base_url="https://example.org", languages=["en", "fr"],
                              license_url="https://creativecommons.org/licenses/by/4.0/", progress=progress)
    result["seconds"] = time.perf_counter() - t
    result["files"] = {a[0]: round(b[1] - a[1], 2) for a, b in zip(marks, marks[1:])}
    result["bytes"] = {f.name: f.bytes for f in manifest.files}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def build_store(n: int, work: Path) -> tuple[Store, int]:
    """A store with the vocabularies and n generated qualifications (no validation: not what we measure)."""
    nt = work / f"qualifications-{n}.nt"
    if not nt.exists():
        write_dataset(nt, n)
    store = Store(work / f"store-{n}")
    if not store.is_initialised():
        initialise(store)
        syntax = rdf_by_extension("nt")
        assert syntax is not None
        with store.write() as writer:
            writer.load(nt, syntax, "urn:nqdb:dataset:bench")
    return store, store.count_quads()


def run_child(kind: str, store_path: Path, out: Path) -> dict[str, object]:
    """One contender in a fresh interpreter."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(store_path), str(out)], check=True,
                          capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Build each store, run both contenders, print a Markdown table row per size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/nqdb-bench-dumps"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print("| qualifications | quads | `oxigraph dump` N-Quads (s, peak RSS) | nqdb N-Quads .gz (s) | "
          "ratio | all nqdb dumps + tables (s) | nqdb peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        started = time.perf_counter()
        store, quads = build_store(n, args.dir)
        print(f"<!-- built {n} in {time.perf_counter() - started:.0f} s -->", file=sys.stderr)
        # oxigraph opens its location read-write: give it a checkpoint copy, never the live snapshot.
        copy = args.dir / f"oxigraph-copy-{n}"
        shutil.rmtree(copy, ignore_errors=True)
        store.snapshot().ox.backup(str(copy))
        reference = run_child("oxigraph", copy, args.dir / f"out-oxigraph-{n}")
        ours = run_child("nqdb", store.path, args.dir / f"out-nqdb-{n}")
        files = ours["files"]
        assert isinstance(files, dict)
        nq = float(files["nqdb.nq.gz"])
        ratio = nq / float(reference["seconds"])  # type: ignore[arg-type]
        print(f"| {n:,} | {quads:,} | {float(reference['seconds']):.1f} s, "  # type: ignore[arg-type]
              f"{float(reference['peak_rss_mb']):.0f} MB | {nq:.1f} | {ratio:.2f}× | "  # type: ignore[arg-type]
              f"{float(ours['seconds']):.1f} | {float(ours['peak_rss_mb']):.0f} MB |")  # type: ignore[arg-type]
        print(json.dumps({"n": n, "oxigraph": reference, "nqdb": ours}), file=sys.stderr)


if __name__ == "__main__":
    main()
