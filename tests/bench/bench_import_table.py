"""Benchmark `nqdb import-table`: rows/s for an N-qualification register with 5 learning outcomes each.

Usage: python -m tests.bench.bench_import_table 10000 [--load]
Writes a seeded CSV register (qualifications, learning outcomes one per row, 50 organisations) with the
worked example's mapping style, then times: build (read + check + ELM Turtle), LOQ validation of the
Turtle (store.ingest.file_validation.validate_file, in a temporary store) and, with --load, the full
import into a fresh store (one transaction).
tests/bench/generate.py writes RDF, not tables, hence this file's own generator.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from store.core.triplestore import Store
from store.ingest.bootstrap import initialise
from store.ingest.file_validation import validate_file
from store.ingest.mapping.build import build_turtle
from store.ingest.mapping.limits import TableLimits
from store.ingest.mapping.load import import_register
from store.ingest.mapping.mapping import load_mapping

MAPPING = """mapping: 1
qualifications:
  key: code
  fields:
    title: {column: "title_{lang}", languages: [en, fr], required: true}
    description: {column: "description_{lang}", languages: [en, fr]}
    EQFLevel: {column: eqf, required: true}
    NQFLevel: {column: nqf, required: true}
    ISCEDFCode: {column: isced, required: true}
    language: {column: languages, separator: ","}
    creditPoints: credits
    volumeOfLearning: hours
    awardingBody: body
    homepage: url
    modified: updated
learning_outcomes:
  file: outcomes.csv
  qualification: code
  fields:
    type: type
    title: {column: "text_{lang}", languages: [en, fr], required: true}
organisations:
  file: organisations.csv
  key: id
  fields:
    legalName: {column: name, language: fr, required: true}
    country: {column: country, required: true}
"""
ISCED = ["0732", "0413", "0611", "0222", "0912", "0715", "1013", "0531"]
NQF = [f"CFC Level {level}" for level in range(1, 9)]
# 100k qualifications give a 500k-row outcomes table (2M cells): over the default --max-cells, as an
# operator of such a register would raise it (docs/security.md, "Importing spreadsheets").
LIMITS = TableLimits(max_cells=50_000_000, max_bytes=4 << 30)
TYPES = ["knowledge", "knowledge", "skill", "skill", "autonomy"]


def write_register(folder: Path, n: int, seed: int = 7) -> Path:
    """A seeded register of n qualifications, 5 outcomes each, 50 organisations."""
    rng = random.Random(seed)
    with (folder / "organisations.csv").open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["id", "name", "country"])
        out.writerows([f"ORG-{i}", f"Organisme de formation {i}", "BE"] for i in range(50))
    with (folder / "register.csv").open("w", encoding="utf-8", newline="") as q, \
            (folder / "outcomes.csv").open("w", encoding="utf-8", newline="") as o:
        quals, outcomes = csv.writer(q), csv.writer(o)
        quals.writerow(["code", "title_en", "title_fr", "description_en", "description_fr", "eqf", "nqf",
                        "isced", "languages", "credits", "hours", "body", "url", "updated"])
        outcomes.writerow(["code", "type", "text_en", "text_fr"])
        for i in range(n):
            level = rng.randint(1, 8)
            code = f"Q-{i:07d}"
            quals.writerow([code, f"Qualification {i} in applied studies",
                            f"Certification {i} en études appliquées",
                            f"Programme {i} description.", f"Description du programme {i}.",
                            f"Niveau {level}",
                            NQF[level - 1], rng.choice(ISCED), "fr, en", f"{rng.choice([60, 120, 180])} ECTS",
                            f"{rng.randint(300, 3600)} h", f"ORG-{rng.randrange(50)}",
                            f"https://register.example/q/{i}", f"{rng.randint(1, 28):02d}/01/2025"])
            outcomes.writerows([code, kind, f"Outcome {k} of {i}.", f"Acquis {k} de {i}."]
                               for k, kind in enumerate(TYPES, start=1))
    (folder / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return folder / "register.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--load", action="store_true", help="also import into a fresh store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        register = write_register(folder, args.n)
        rows = args.n * 6
        started = time.perf_counter()
        mapping = load_mapping(folder / "mapping.yaml")
        built = build_turtle(mapping, register, "http://nqdb.test", folder / "o.ttl", limits=LIMITS)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        report, _ = validate_file(folder / "o.ttl")
        validate_s = time.perf_counter() - started
        print(f"{args.n} qualifications, {rows} rows, {built.triples} triples; conforms={report.conforms}")
        print(f"build {build_s:.1f} s ({rows / build_s:,.0f} rows/s); validate {validate_s:.1f} s; "
              f"build+validate {rows / (build_s + validate_s):,.0f} rows/s "
              f"({args.n / (build_s + validate_s):,.0f} qualifications/s)")
        if args.load:
            store = Store(folder / "store")
            initialise(store)
            started = time.perf_counter()
            import_register(store, register, folder / "mapping.yaml", "http://nqdb.test", limits=LIMITS)
            load_s = time.perf_counter() - started
            print(f"import-table into a store (build + load + validate, one transaction): {load_s:.1f} s "
                  f"({rows / load_s:,.0f} rows/s)")


if __name__ == "__main__":
    main()
