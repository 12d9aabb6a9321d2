"""The protocol every SHACL constraint class follows: compiled from one sh: parameter, checked, worded."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, Self

from pyoxigraph import BlankNode, Literal, NamedNode

if TYPE_CHECKING:
    from store.validation.shapes import Shape

Term = NamedNode | BlankNode | Literal
Node = NamedNode | BlankNode
View = dict[NamedNode, list[Term]]  # a focus node's triples, by predicate


class UnsupportedShapeFeature(ValueError):
    """The shapes graph uses a SHACL feature the NQDB engine does not implement."""


class ShapeReader(Protocol):
    """What a constraint may ask of the shapes graph while it is compiled."""

    def one(self, node: Node, predicate: str) -> Term | None:
        """The value of a predicate of a shape node, if any (at most one)."""

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""

    def shape(self, node: Term) -> Shape:
        """The compiled shape of a node (memoised, so recursive references resolve)."""


class Checks(Protocol):
    """What a constraint may ask of the data while it is checked (the engine answers)."""

    def is_instance(self, value: Term, cls: str) -> bool:
        """sh:class: value has an rdf:type that is cls or a subclass of it."""

    def conforms(self, shape: Shape, value: Term) -> bool:
        """Whether a value node conforms to a shape."""


class Constraint(ABC):
    """One constraint parameter of a shape, e.g. sh:minCount 1 or sh:class elm:Organisation."""

    parameter: ClassVar[str]               # the sh: parameter's local name, e.g. "minCount"
    component: ClassVar[str]               # the SHACL constraint component IRI
    fails_when_absent: ClassVar[bool] = False  # an empty value set can break it (sh:minCount, sh:hasValue)
    reads_view: ClassVar[bool] = False     # it compares with other predicates of the focus node (sh:disjoint)

    @classmethod
    @abstractmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        """The constraint a shape states with `sh:<parameter> value`.

        Raises:
            UnsupportedShapeFeature: the parameter's value is not one NQDB can evaluate.
        """

    @abstractmethod
    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        """One entry per SHACL result: the offending value, or None for a result about the whole set."""

    @abstractmethod
    def message(self, field: str, value: str, shape: Shape) -> str:
        """One sentence a qualification expert understands; field is capitalised, value shown."""

    @property
    def nested(self) -> tuple[Shape, ...]:
        """The shapes this constraint checks value nodes against (sh:node, sh:or, sh:and)."""
        return ()


def iri_parameter(cls: type[Constraint], value: Term, shape: Shape) -> NamedNode:
    """A parameter that must be an IRI (sh:class, sh:datatype, sh:nodeKind, sh:disjoint).

    Raises:
        UnsupportedShapeFeature: it is a blank node or a literal.
    """
    if not isinstance(value, NamedNode):
        raise UnsupportedShapeFeature(f"Shape {shape.iri}: sh:{cls.parameter} must be an IRI.")
    return value


def is_true(term: Term | None) -> bool:
    """An xsd:boolean parameter (sh:uniqueLang, sh:closed, sh:deactivated) that says true."""
    return isinstance(term, Literal) and term.value.lower() in ("true", "1")
