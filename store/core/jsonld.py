"""Compact JSON-LD for descriptions, written with NQDB's own context (ontology/context/nqdb-context.jsonld).

The context is embedded in every document, so any JSON-LD processor reads it offline; its URL
(`CONTEXT_URL`) is also known to the importer, which resolves it from ontology/context/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import pyoxigraph as ox

from store.core.namespaces import NQDB_CONTEXT, RDF
from store.core.paths import CONTEXTS
from store.core.terms import XSD_STRING

CONTEXT_URL = NQDB_CONTEXT
CONTEXT_FILE = CONTEXTS / "nqdb-context.jsonld"
RDF_TYPE = RDF + "type"


@cache
def context() -> dict[str, Any]:
    """The NQDB JSON-LD context (the value of "@context")."""
    loaded: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return loaded


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """(namespace, prefix) pairs, longest namespace first so the most specific prefix wins."""
    pairs = [(v, k) for k, v in context().items()
             if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@cache
def _class_terms() -> dict[str, str]:
    terms = {k: v for k, v in context().items() if isinstance(v, str) and ":" in v and k[:1].isupper()}
    return {compact_iri(v, classes=False): k for k, v in terms.items()}


def compact_iri(iri: str, classes: bool = True) -> str:
    """`iri` as prefix:local (or a class term) when a context prefix covers it, else unchanged."""
    for namespace, prefix in _prefixes():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            curie = f"{prefix}:{iri[len(namespace):]}"
            return _class_terms().get(curie, curie) if classes else curie
    return iri


def _node_id(node: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    if isinstance(node, ox.NamedNode):
        return node.value
    raise ValueError("RDF-star triples are not part of descriptions.")


def _value(term: object) -> dict[str, str]:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": term.datatype.value}
    assert isinstance(term, ox.NamedNode | ox.BlankNode | ox.Triple)
    return {"@id": _node_id(term)}


def compact_document(triples: Iterable[ox.Triple]) -> dict[str, Any]:
    """A compact JSON-LD document of the graph: one node object per subject in "@graph"."""
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject = _node_id(triple.subject)
        node = nodes.setdefault(subject, {"@id": subject})
        predicate = triple.predicate.value
        if predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(triple.object.value))
        else:
            node.setdefault(compact_iri(predicate, classes=False), []).append(_value(triple.object))
    graph = [{key: value[0] if isinstance(value, list) and len(value) == 1 else value
              for key, value in node.items()} for node in nodes.values()]
    return {"@context": context(), "@graph": graph}


def serialize(triples: Iterable[ox.Triple]) -> bytes:
    """Compact JSON-LD bytes (UTF-8, indented for people who open it)."""
    return json.dumps(compact_document(triples), ensure_ascii=False, indent=1).encode("utf-8")
