"""Store set-up tasks shared by the CLI and tests: initialise, seed the demo, validate a lone file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from store.core import graphs
from store.core.triplestore import Store
from store.core.writer import Writer
from store.ingest import importer
from store.ingest.rdfinput import InputRejected, detect_syntax, prepare
from store.ingest.vocabularies import install_vocabularies
from store.validation.completeness import CompletenessReport, annex_vi_completeness
from store.validation.profile import ValidationReport, validate_graph

DEMO_DATASET = "demo"


def initialise(store: Store) -> int:
    """Create the store, or refresh its vocabulary graphs; returns the number of vocabularies."""
    with store.write() as writer:
        return install_vocabularies(writer)


def load_demo(store: Store, base_url: str) -> importer.ImportResult:
    """Import the shipped demo dataset with IRIs minted under `base_url`."""
    from store.ingest.demo import demo_dataset_turtle

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.ttl"
        path.write_text(demo_dataset_turtle(base_url), encoding="utf-8")
        return importer.import_file(store, path, DEMO_DATASET, title="Demo national qualifications",
                                    replace=True)


def validate_file(path: Path, media_type: str | None = None, progress: importer.Progress | None = None,
                  phase: importer.Phase | None = None) -> tuple[ValidationReport, CompletenessReport]:
    """Validate one file against LOQ and Annex VI in a throw-away in-memory store with the vocabularies."""
    syntax = detect_syntax(path, media_type)
    prepared = prepare(path, syntax)
    writer = Writer(ox.Store(), ox.Store())
    install_vocabularies(writer)
    graph = graphs.dataset_graph("validate")
    importer.load_checked(writer, prepared, syntax, graph, str(path), progress)
    if writer.count(graph) == 0:
        raise InputRejected(str(path), "the file contains no triples.")
    if phase is not None:
        phase("Validating against the LOQ profile")
    report = validate_graph(writer.ox, graph, writer.vocabulary_graphs())
    if phase is not None:
        phase("Scoring EQF Annex VI completeness")
    return report, annex_vi_completeness(writer.ox, graph)
