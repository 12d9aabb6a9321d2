"""Store set-up tasks shared by the CLI and tests: initialise a store, seed the demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.vocabularies import install_vocabularies

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

