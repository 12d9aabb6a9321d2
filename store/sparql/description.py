"""The SPARQL 1.1 Service Description of the public endpoint, served on a GET of /sparql without a query."""

from __future__ import annotations

import pyoxigraph as ox

from store.core import graphs
from store.core.formats import RDF_SYNTAXES, RESULTS_SYNTAXES, rdf_by_media_type
from store.core.namespaces import DCT, RDF, RDFS, VOID
from store.core.triplestore import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
# W3C format IRIs (https://www.w3.org/ns/formats/) of the syntaxes in store/core/formats.py.
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON", "application/sparql-results+xml":
    "SPARQL_Results_XML", "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle", "application/ld+json": "JSON-LD", "application/rdf+xml": "RDF_XML",
    "application/n-triples": "N-Triples", "application/n-quads": "N-Quads", "application/trig": "TriG",
}


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def service_description(store: Store, endpoint: str, void_url: str, media_type: str) -> bytes:
    """The endpoint's description (sd:Service) serialised in `media_type`, an RDF syntax."""
    syntax = rdf_by_media_type(media_type)
    if syntax is None:
        raise ValueError(f"Cannot describe the service as {media_type}.")
    service, dataset, default = _iri(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    a = _iri(RDF + "type")
    triples = [
        ox.Triple(service, a, _iri(SD + "Service")),
        ox.Triple(service, _iri(SD + "endpoint"), service),
        ox.Triple(service, _iri(SD + "supportedLanguage"), _iri(SD + "SPARQL11Query")),
        ox.Triple(service, _iri(SD + "feature"), _iri(SD + "UnionDefaultGraph")),
        *(ox.Triple(service, _iri(SD + "resultFormat"), _iri(FORMATS + _FORMAT_IRIS[m]))
          for m in [*(s.media_type for s in RESULTS_SYNTAXES), *(s.media_type for s in RDF_SYNTAXES)]),
        ox.Triple(service, _iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, _iri(SD + "Dataset")),
        ox.Triple(dataset, a, _iri(VOID + "Dataset")),
        ox.Triple(dataset, _iri(RDFS + "seeAlso"), _iri(void_url)),
        ox.Triple(dataset, _iri(SD + "defaultGraph"), default),
        ox.Triple(default, a, _iri(SD + "Graph")),
        ox.Triple(default, _iri(DCT + "description"), ox.Literal(
            "The union of every published dataset and vocabulary graph (portal metadata excluded).")),
    ]
    names = sorted(store.published_graphs())
    nodes = [ox.BlankNode(f"g{number}") for number in range(len(names))]
    triples += [ox.Triple(dataset, _iri(SD + "namedGraph"), node) for node in nodes]
    for node, graph in zip(nodes, names, strict=True):
        triples += [ox.Triple(node, a, _iri(SD + "NamedGraph")),
                    ox.Triple(node, _iri(SD + "name"), _iri(graph)),
                    ox.Triple(node, _iri(DCT + "type"), ox.Literal(
                        "dataset" if graphs.dataset_id_of(graph) is not None else "vocabulary"))]
    if syntax.is_dataset:
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples],
                            format=syntax.format) or b""
    prefixes = {"sd": SD, "formats": FORMATS, "void": VOID, "dct": DCT, "rdfs": RDFS}
    return ox.serialize(triples, format=syntax.format, prefixes=prefixes) or b""
