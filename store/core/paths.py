"""Where the data that ships with NQDB lives: ontology, vocabularies, shapes, named queries."""

from __future__ import annotations

from pathlib import Path

# The data folders sit beside the `store` package, in the source tree and once installed alike.
ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
SHAPES = ONTOLOGY / "shapes"
VOCABULARIES = ONTOLOGY / "vocabularies"
CONTEXTS = ONTOLOGY / "context"
QUERIES = ROOT / "queries"
STATIC = ROOT / "static"
