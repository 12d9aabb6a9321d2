"""SHACL §4.1 value type: sh:class, sh:datatype and sh:nodeKind (sh:datatype judged as pyshacl does)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Self

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode

from store.core.namespaces import RDF, SH, XSD
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View, iri_parameter
from store.validation.constraints.wording import local_name

if TYPE_CHECKING:
    from store.validation.shapes import Shape

_LANG_STRING, _STRING = RDF + "langString", XSD + "string"
_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "integer": int, XSD + "float": float, XSD + "decimal": Decimal, XSD + "boolean": bool,
    XSD + "date": date, XSD + "time": time, XSD + "dateTime": datetime,
}


class _DropConversionWarnings(logging.Filter):
    """rdflib logs a traceback for every ill-typed literal it meets; we only want its verdict."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


@lru_cache(maxsize=200_000)
def _rdflib_accepts(lexical: str, datatype: str) -> bool:
    """Whether pyshacl (via rdflib) accepts a literal as a well-formed value of its own datatype."""
    logger, quiet = logging.getLogger("rdflib.term"), _DropConversionWarnings()
    logger.addFilter(quiet)
    try:
        lit = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    finally:
        logger.removeFilter(quiet)
    if lit.ill_typed:
        return False
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(lit.value, expected)


def datatype_ok(value: Term, datatype: str) -> bool:
    """sh:datatype as pyshacl evaluates it."""
    if not isinstance(value, Literal):
        return False
    if datatype == _LANG_STRING:
        return value.language is not None
    actual = value.datatype.value
    if datatype == _STRING:
        return value.language is None and actual == _STRING
    return actual == datatype and _rdflib_accepts(value.value, datatype)


def node_kind_ok(value: Term, kind: str) -> bool:
    """sh:nodeKind: IRI, BlankNode, Literal and their pairwise unions."""
    local = kind[len(SH):]
    if isinstance(value, NamedNode):
        return "IRI" in local
    return ("BlankNode" if isinstance(value, BlankNode) else "Literal") in local


@dataclass(frozen=True)
class Class(Constraint):
    """sh:class: each value is a SHACL instance of the class (rdf:type, or a subclass of it)."""

    parameter: ClassVar[str] = "class"
    component: ClassVar[str] = SH + "ClassConstraintComponent"
    class_iri: str

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(iri_parameter(cls, value, shape).value)

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not checks.is_instance(v, self.class_iri)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        what = "a concept from a controlled vocabulary" if self.class_iri.endswith("#Concept") else \
            f"a {local_name(self.class_iri)}"
        return f"{field} value {value} is not {what} known to the database."


@dataclass(frozen=True)
class Datatype(Constraint):
    """sh:datatype: each value is a well-formed literal of the datatype."""

    parameter: ClassVar[str] = "datatype"
    component: ClassVar[str] = SH + "DatatypeConstraintComponent"
    datatype: str

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(iri_parameter(cls, value, shape).value)

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not datatype_ok(v, self.datatype)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        what = "text with a language tag" if self.datatype.endswith("#langString") else \
            f"a valid {local_name(self.datatype)}"
        return f"{field} value {value} must be {what}."


@dataclass(frozen=True)
class NodeKind(Constraint):
    """sh:nodeKind: each value is an IRI, a blank node or a literal, as the kind allows."""

    parameter: ClassVar[str] = "nodeKind"
    component: ClassVar[str] = SH + "NodeKindConstraintComponent"
    kind: str

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(iri_parameter(cls, value, shape).value)

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not node_kind_ok(v, self.kind)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} value {value} has the wrong kind of value (a link, a text or a nested node)."
