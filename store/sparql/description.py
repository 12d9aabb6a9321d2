"""The SPARQL 1.1 Service Description of the public endpoint, served on a GET of /sparql without a query."""

from __future__ import annotations

import pyoxigraph as ox

from store.core import graphs
from store.core.formats import RDF_SYNTAXES, RESULTS_SYNTAXES, rdf_by_media_type
from store.core.namespaces import DCT, FORMATS, RDF, RDFS, SD, VOID, prefixes
from store.core.triplestore import Store


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
        *(ox.Triple(service, _iri(SD + "resultFormat"), _iri(FORMATS + name))
          for name in [*(s.w3c_format for s in RESULTS_SYNTAXES), *(s.w3c_format for s in RDF_SYNTAXES)]),
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
    declared = prefixes("sd", "formats", "void", "dct", "rdfs")
    return ox.serialize(triples, format=syntax.format, prefixes=declared) or b""
