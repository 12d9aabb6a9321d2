"""The controlled vocabularies shipped in ontology/vocabularies, each in its own graph."""

from __future__ import annotations

from pathlib import Path

from store.core import graphs
from store.core.formats import rdf_by_extension
from store.core.paths import VOCABULARIES
from store.core.writer import Writer


def vocabulary_files() -> list[Path]:
    """Every shipped vocabulary file, sorted by name."""
    return sorted(VOCABULARIES.glob("*.ttl"))


def install_vocabularies(writer: Writer) -> int:
    """(Re)load every shipped vocabulary into its own graph; returns the number of vocabularies."""
    turtle = rdf_by_extension("ttl")
    assert turtle is not None
    files = vocabulary_files()
    for path in files:
        graph = graphs.vocabulary_graph(path.stem)
        writer.drop_graph(graph)
        writer.load(path, turtle, graph)
    return len(files)
