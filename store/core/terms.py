"""Plain-Python views of RDF terms, so callers of the store never handle pyoxigraph objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Kind

import pyoxigraph as ox

from store.core.namespaces import XSD

XSD_STRING = XSD + "string"


@dataclass(frozen=True)
class Term:
    """An RDF term: an IRI, a blank node or a literal (with its language or datatype)."""

    value: str
    kind: Kind["iri", "bnode", "literal", "triple"]
    language: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        """True for IRIs."""
        return self.kind == "iri"


@dataclass(frozen=True)
class Text:
    """A literal to bind into a named query: plain string, language-tagged or typed."""

    value: str
    language: str | None = None
    datatype: str | None = None


def to_term(node: object) -> Term:
    """A pyoxigraph term as a plain Term."""
    if isinstance(node, ox.NamedNode):
        return Term(node.value, "iri")
    if isinstance(node, ox.BlankNode):
        return Term(node.value, "bnode")
    if isinstance(node, ox.Literal):
        return Term(node.value, "literal", node.language, node.datatype.value)
    return Term(str(node), "triple")


def to_node(value: str | Text | Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A bindable pyoxigraph term: str is an IRI, Text a literal, Term whatever it says."""
    if isinstance(value, str):
        return ox.NamedNode(value)
    if isinstance(value, Text):
        if value.language:
            return ox.Literal(value.value, language=value.language)
        return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype or XSD_STRING))
    if value.kind == "iri":
        return ox.NamedNode(value.value)
    if value.kind == "bnode":
        return ox.BlankNode(value.value)
    if value.language:
        return ox.Literal(value.value, language=value.language)
    return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype or XSD_STRING))
