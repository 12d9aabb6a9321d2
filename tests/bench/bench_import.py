"""Benchmark `nqdb load` against raw pyoxigraph bulk_load and the `oxigraph load` CLI on the same file.

Usage: python -m tests.bench.bench_import 10000 [100000 ...] [--dir /tmp/nqdb-bench] [--write-docs]
Each run happens in a fresh child process so that peak RSS is measured per contender.
Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.generate import write_dataset

CHILD = r"""
import json, sys, time, resource
from pathlib import Path
kind, nt, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
out = {}
if kind == "raw":
    import pyoxigraph as ox
    store = ox.Store(str(work / "raw"))
    t = time.perf_counter()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    store.flush()
    out["seconds"] = time.perf_counter() - t
else:
    from store.ingest.bootstrap import initialise
    from store.core.triplestore import Store
    from store.ingest import importer
    store = Store(work / "nqdb")
    initialise(store)
    result = importer.import_file(store, nt, "bench")
    out["seconds"] = result.seconds
    out["phases"] = result.phases
    out["nonconforming"] = len(result.report.nonconforming_qualifications())
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run_child(kind: str, nt: Path, work: Path) -> dict[str, object]:
    """One contender in a fresh interpreter; returns its timings and peak RSS."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(nt), str(work)], check=True,
                          capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_cli(nt: Path, work: Path) -> dict[str, object]:
    """`oxigraph load` (the Rust CLI from the PyPI package `oxigraph`) on the same file."""
    shutil.rmtree(work, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(["oxigraph", "load", "--location", str(work), "--file", str(nt)], check=True,
                   capture_output=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mb": peak}


def bench(n: int, root: Path) -> dict[str, object]:
    """Generate n qualifications and time every contender on them."""
    root.mkdir(parents=True, exist_ok=True)
    nt = root / f"qualifications-{n}.nt"
    triples, broken = write_dataset(nt, n)
    raw = run_child("raw", nt, root / "raw")
    cli = run_cli(nt, root / "cli")
    ours = run_child("nqdb", nt, root / "nqdb")
    phases = dict(ours["phases"])  # type: ignore[call-overload]
    load_only = phases["copy"] + phases["load"]
    return {"n": n, "triples": triples, "broken": broken, "raw_bulk_load": raw, "oxigraph_cli": cli,
            "nqdb": ours, "nqdb_load_only_seconds": load_only,
            "ratio_load_vs_bulk_load": raw["seconds"] / load_only,  # type: ignore[operator]
            "validation_qualifications_per_second": n / phases["validate"]}


def as_markdown(results: list[dict[str, object]], command: str) -> str:
    """The figures as a Markdown table."""
    lines = ["| N | triples | raw bulk_load | `oxigraph load` | NQDB copy + load | load vs bulk_load | "
             "validation | validation rate | Annex VI | publish | NQDB total | NQDB peak RSS |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        raw, cli, ours = r["raw_bulk_load"], r["oxigraph_cli"], r["nqdb"]
        phases = ours["phases"]  # type: ignore[index]
        lines.append(
            f"| {r['n']:,} | {r['triples']:,} | {raw['seconds']:.1f} s | {cli['seconds']:.1f} s | "  # type: ignore[index]
            f"{r['nqdb_load_only_seconds']:.1f} s | {r['ratio_load_vs_bulk_load']:.2f}× | "
            f"{phases['validate']:.1f} s | {r['validation_qualifications_per_second']:,.0f} q/s | "
            f"{phases['annex_vi']:.1f} s | {phases['publish']:.1f} s | "
            f"{ours['seconds']:.1f} s | {ours['peak_rss_mb']:,.0f} MB |")  # type: ignore[index]
    return f"Command: `{command}`\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark for each N and print (or record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/nqdb-bench-import"))
    args = parser.parse_args()
    results = [bench(n, args.dir / str(n)) for n in args.sizes]
    print(json.dumps(results, indent=2, default=str))
    print(as_markdown(results, "python -m tests.bench.bench_import " + " ".join(map(str, args.sizes))))


if __name__ == "__main__":
    main()
