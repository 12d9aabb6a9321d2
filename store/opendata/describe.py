"""Descriptions of one resource (queries/describe_resource.rq) in every RDF syntax we publish.

A description holds the resource's triples, the nodes it owns, the incoming links that matter and the
labels of what it points to, so a harvester needs no second request. Blank nodes get fresh labels in
every response: their store-internal ids never leak out as if they were stable identities.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pyoxigraph as ox

from store.core import jsonld, queries
from store.core.formats import JSON_LD, RDF_XML, TURTLE, rdf_by_media_type
from store.core.namespaces import DCAT, DCT, PREFIXES, RDF, VOID, XSD, prefixes
from store.core.statistics import DatasetInfo
from store.core.terms import Term, to_term
from store.core.triplestore import Store

DESCRIBE_QUERY = "describe_resource"
TURTLE_PREFIXES: dict[str, str] = prefixes(*PREFIXES, "esco")

PlainTriple = tuple[Term, Term, Term]
_Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def describe_graph(store: Store, iri: str) -> list[ox.Triple]:
    """The description of `iri` as distinct triples, blank nodes freshly labelled for this call."""
    # The public database holds only published graphs, so its union is exactly the public default graph
    # (portal metadata lives in the snapshot's private database: store/core/snapshots.py).
    result = store.snapshot().ox.query(queries.load(DESCRIBE_QUERY), use_default_graph_as_union=True,
                                       substitutions={ox.Variable("resource"): ox.NamedNode(iri)})
    assert isinstance(result, ox.QueryTriples)
    subject = ox.NamedNode(iri)
    # Grouped by subject, the resource first: Turtle and RDF/XML then read like a record.
    ordered = sorted(dict.fromkeys(result),
                     key=lambda t: (t.subject != subject, str(t.subject), str(t.predicate)))
    return relabel_blank_nodes(ordered)


def relabel_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The same triples with every blank node replaced by a new, random one (one per original)."""
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}

    def swap(node: _Node) -> _Node:
        if isinstance(node, ox.BlankNode):
            return fresh.setdefault(node, ox.BlankNode())
        return node

    output: list[ox.Triple] = []
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            triple = ox.Triple(swap(triple.subject), triple.predicate, swap(triple.object))  # type: ignore[arg-type]
        output.append(triple)
    return output


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """A graph in one of the published RDF syntaxes (compact JSON-LD with the NQDB context)."""
    syntax = rdf_by_media_type(media_type)
    if syntax is None or syntax.is_dataset:
        raise ValueError(f"Cannot serialise a description as {media_type}.")
    if syntax.media_type == JSON_LD:
        return jsonld.serialize(triples)
    declared = TURTLE_PREFIXES if syntax.media_type in (TURTLE, RDF_XML) else None
    return ox.serialize(triples, format=syntax.format, prefixes=declared) or b""


def describe(store: Store, iri: str, media_type: str) -> bytes:
    """The description of `iri` serialised as `media_type`."""
    return serialize(describe_graph(store, iri), media_type)


def describe_terms(store: Store, iri: str) -> list[PlainTriple]:
    """The description of `iri` as plain terms, for pages."""
    return [(to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in describe_graph(store, iri)]


def not_found_document(iri: str, media_type: str) -> bytes:
    """An empty graph in `media_type` that says, where the syntax allows comments, what was not found."""
    syntax = rdf_by_media_type(media_type)
    note = f"No resource <{iri}> is described in this database."
    if syntax is not None and syntax.media_type == JSON_LD:
        return jsonld.serialize([])
    if syntax is not None and syntax.media_type == RDF_XML:
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- ' + note.replace("--", "- -").encode() +
                b' -->\n<rdf:RDF xmlns:rdf="' + RDF.encode() + b'"/>\n')
    return b"# " + note.encode("utf-8") + b"\n"


def published_at(store: Store) -> datetime:
    """When the snapshot read was published (fixed in a pinned view), for Last-Modified."""
    return store.published_at()


def describe_dataset(info: DatasetInfo, iri: str, media_type: str) -> bytes:
    """A DCAT description of one published dataset, from what the importer recorded."""
    node = ox.NamedNode(iri)
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", ox.NamedNode(DCAT + "Dataset")),
        (DCT + "identifier", ox.Literal(info.dataset_id)),
        (DCT + "title", ox.Literal(info.title)),
        (VOID + "triples", ox.Literal(str(info.triples), datatype=ox.NamedNode(XSD + "integer"))),
    ]
    facts += [(DCT + name, ox.Literal(value, datatype=ox.NamedNode(XSD + "dateTime")))
              for name, value in (("issued", info.issued), ("modified", info.modified)) if value]
    return serialize([ox.Triple(node, ox.NamedNode(p), o) for p, o in facts], media_type)
