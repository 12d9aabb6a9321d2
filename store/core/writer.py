"""Changes to a private, unpublished copy of the store (see store/core/snapshots.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from pyoxigraph import Store as OxStore

from store.core import execute, graphs
from store.core.formats import RdfSyntax
from store.core.namespaces import RDF
from store.core.terms import Term, Text, to_node

LOAD_BATCH = 200_000  # quads per bulk-load batch: ~300 MB peak RSS whatever the file size


class Writer:
    """Loads and removes graphs on an unpublished snapshot; nothing is visible until it is published.

    Published graphs (datasets, vocabularies) go to the public database, every other graph (metadata,
    change log) to the private one; the graph name decides (store/graphs.is_published_graph).
    """

    def __init__(self, public: OxStore, private: OxStore) -> None:
        self._handles: tuple[OxStore, OxStore] | None = (public, private)

    @property
    def ox(self) -> OxStore:
        """The public pyoxigraph store (for the store layer's own modules only)."""
        return self._open()[0]

    @property
    def private(self) -> OxStore:
        """The private pyoxigraph store: metadata and change log."""
        return self._open()[1]

    def _open(self) -> tuple[OxStore, OxStore]:
        if self._handles is None:
            raise RuntimeError("This writer is closed.")
        return self._handles

    def handle_for(self, graph: str) -> OxStore:
        """The database that holds `graph`."""
        return self.ox if graphs.is_published_graph(graph) else self.private

    def close(self, flush: bool = True) -> None:
        """Flush to disk (unless the snapshot is to be deleted) and release the handles, so the snapshot
        can be published or deleted."""
        handles, self._handles = self._handles, None  # released even if a flush fails (disk full)
        for handle in handles or ():
            if flush:
                handle.flush()

    def has_graph(self, graph: str) -> bool:
        """True if the graph holds any quad."""
        quads = self.handle_for(graph).quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return next(iter(quads), None) is not None

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its quads."""
        node, handle = ox.NamedNode(graph), self.handle_for(graph)
        if handle.contains_named_graph(node):
            handle.remove_graph(node)

    def load(self, source: Path | IO[bytes] | bytes, syntax: RdfSyntax, graph: str,
             base_iri: str | None = None) -> None:
        """Bulk-load a serialisation into `graph`; named graphs in N-Quads/TriG are folded into it.

        The file is parsed as a stream and bulk-loaded LOAD_BATCH quads at a time: one `bulk_load` of a
        whole file buffers it (1.4 GB of RSS for 300 MB of N-Triples), batches keep memory flat at a
        small cost in speed (docs/performance.md).

        Raises:
            SyntaxError: the input is not valid in `syntax` (message carries line and column).
        """
        target, handle = ox.NamedNode(graph), self.handle_for(graph)
        path = str(source) if isinstance(source, Path) else None
        data = None if isinstance(source, Path) else source
        parsed = ox.parse(data, syntax.format, path=path, base_iri=base_iri)
        while batch := [ox.Quad(q.subject, q.predicate, q.object, target) for q in islice(parsed, LOAD_BATCH)]:
            handle.bulk_extend(batch)

    def add(self, triples: Iterable[tuple[str, str, str | Text | Term]], graph: str) -> None:
        """Add (subject IRI, predicate IRI, object) triples to `graph`; str objects are IRIs."""
        target = ox.NamedNode(graph)
        self.handle_for(graph).extend(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), to_node(o), target)
                                      for s, p, o in triples)

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> None:
        """Remove every triple of `graph` whose subject is one of `subjects`."""
        target, handle = ox.NamedNode(graph), self.handle_for(graph)
        for subject in subjects:
            for quad in list(handle.quads_for_pattern(ox.NamedNode(subject), None, None, target)):
                handle.remove(quad)

    def subjects_with(self, predicate: str, obj: str, graph: str) -> Iterator[str]:
        """IRIs of subjects with `predicate obj` in `graph`."""
        pattern = self.handle_for(graph).quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(obj),
                                                           ox.NamedNode(graph))
        return (q.subject.value for q in pattern if isinstance(q.subject, ox.NamedNode))

    def count(self, graph: str) -> int:
        """Quads in `graph`."""
        rows = execute.select(self.handle_for(graph), "count_graph_triples", {"graph": graph})
        return int(rows[0]["triples"].value) if rows else 0

    def instances(self, class_iri: str, graph: str) -> list[str]:
        """IRIs typed `class_iri` in `graph`."""
        rdf_type = ox.NamedNode(RDF + "type")
        pattern = self.handle_for(graph).quads_for_pattern(None, rdf_type, ox.NamedNode(class_iri),
                                                           ox.NamedNode(graph))
        return [q.subject.value for q in pattern if isinstance(q.subject, ox.NamedNode)]

    def vocabulary_graphs(self) -> list[str]:
        """Names of the vocabulary graphs present."""
        return sorted(g.value for g in self.ox.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(graphs.VOCABULARY_PREFIX))
