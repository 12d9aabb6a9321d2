"""SHACL §4.5 property pairs: sh:disjoint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from pyoxigraph import NamedNode

from store.core.namespaces import SH
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View, iri_parameter
from store.validation.constraints.wording import local_name

if TYPE_CHECKING:
    from store.validation.shapes import Shape


@dataclass(frozen=True)
class Disjoint(Constraint):
    """sh:disjoint: no value is also a value of the other predicate on the same focus node."""

    parameter: ClassVar[str] = "disjoint"
    component: ClassVar[str] = SH + "DisjointConstraintComponent"
    reads_view: ClassVar[bool] = True
    other: NamedNode

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(iri_parameter(cls, value, shape))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        others = view.get(self.other, ())
        return [v for v in values if v in others]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} repeats the value {value}, which is already used for {local_name(self.other.value)}."
