"""VoID description of the published data: counts, class and property partitions, vocabularies, access.

The statistics are full scans, so they are computed once per published snapshot and cached.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from store.core import graphs
from store.core.formats import RDF_SYNTAXES
from store.core.namespaces import DCT, FOAF, FORMATS, RDF, VOID
from store.core.snapshot_cache import per_snapshot
from store.core.triplestore import Store
from store.opendata.catalog import GraphBuilder, Site, text, typed
from store.opendata.dumps import WHOLE, Manifest

FEATURES = {s.media_type: s.w3c_format for s in RDF_SYNTAXES}


@dataclass(frozen=True)
class VoidStatistics:
    """Counts of the published data (quads in published graphs; duplicates across graphs count twice)."""

    version: str
    triples: int
    graph_triples: tuple[tuple[str, int], ...]     # (graph, triples)
    classes: tuple[tuple[str, int], ...]           # (class IRI, distinct instances)
    properties: tuple[tuple[str, int], ...]        # (property IRI, triples)

    def vocabularies(self) -> list[str]:
        """Namespaces of the classes and properties used."""
        return sorted({namespace(iri) for iri, _ in self.classes + self.properties})


def namespace(iri: str) -> str:
    """The namespace of a term: up to its last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


@per_snapshot(maxsize=4)
def statistics(store: Store) -> VoidStatistics:
    """The counts of the current snapshot (computed once per publish)."""
    version = store.version or ""
    per_graph, properties = [], Counter[str]()
    for graph in store.published_graphs():
        per_graph.append((graph, store.count_quads(graph)))
        for row in store.select("void_property_partitions", graph=graph):
            properties[row["property"]] += int(row["triples"])
    classes = sorted((r["class"], int(r["entities"])) for r in store.select("void_class_partitions"))
    return VoidStatistics(version, sum(n for _, n in per_graph), tuple(per_graph), tuple(classes),
                          tuple(sorted(properties.items())))


def void_graph(store: Store, site: Site, manifest: Manifest | None) -> GraphBuilder:
    """The VoID graph served at /.well-known/void."""
    stats = statistics(store)
    g, document = GraphBuilder(), site.url("/.well-known/void")
    dataset = document + "#nqdb"
    g.add(document, RDF + "type", VOID + "DatasetDescription")
    g.add(document, DCT + "title", text(f"VoID description of the {site.title}"))
    g.add(document, FOAF + "primaryTopic", dataset)
    g.add(dataset, RDF + "type", VOID + "Dataset")
    g.add(dataset, DCT + "title", text(site.title))
    g.add(dataset, DCT + "description", text("Qualifications as linked open data (European Learning Model)."))
    g.add(dataset, DCT + "license", site.license_url)
    g.add(dataset, DCT + "publisher", site.url("/catalog#publisher"))
    g.add(dataset, FOAF + "homepage", site.url("/"))
    g.add(dataset, VOID + "sparqlEndpoint", site.url("/sparql"))
    g.add(dataset, VOID + "uriSpace", ox.Literal(site.url("/id/")))
    g.add(dataset, VOID + "rootResource", site.url("/catalog#nqdb"))
    for file in manifest.files if manifest else ():
        if file.dataset is None and file.name.startswith(WHOLE + "."):
            g.add(dataset, VOID + "dataDump", site.url(f"/dumps/latest/{file.name}"))
            if file.media_type in FEATURES:
                g.add(dataset, VOID + "feature", FORMATS + FEATURES[file.media_type])
    g.add(dataset, VOID + "triples", typed(stats.triples, "integer"))
    g.add(dataset, VOID + "classes", typed(len(stats.classes), "integer"))
    g.add(dataset, VOID + "properties", typed(len(stats.properties), "integer"))
    g.add_all(dataset, VOID + "vocabulary", stats.vocabularies())
    for class_iri, entities in stats.classes:
        partition = ox.BlankNode()
        g.add(dataset, VOID + "classPartition", partition)
        g.add(partition, VOID + "class", class_iri)
        g.add(partition, VOID + "entities", typed(entities, "integer"))
    for property_iri, triples in stats.properties:
        partition = ox.BlankNode()
        g.add(dataset, VOID + "propertyPartition", partition)
        g.add(partition, VOID + "property", property_iri)
        g.add(partition, VOID + "triples", typed(triples, "integer"))
    for graph, triples in stats.graph_triples:
        subset = document + "#" + _subset_key(graph)
        g.add(dataset, VOID + "subset", subset)
        g.add(subset, RDF + "type", VOID + "Dataset")
        g.add(subset, DCT + "identifier", ox.Literal(graph))
        g.add(subset, VOID + "triples", typed(triples, "integer"))
    return g


def _subset_key(graph: str) -> str:
    dataset_id = graphs.dataset_id_of(graph)
    if dataset_id is not None:
        return "dataset-" + dataset_id
    return "vocabulary-" + graph[len(graphs.VOCABULARY_PREFIX):]
