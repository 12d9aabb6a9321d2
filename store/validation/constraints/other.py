"""SHACL §4.8 other constraints: sh:hasValue and sh:in (sh:closed is the node shape's, see the engine)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from pyoxigraph import NamedNode

from store.core.namespaces import SH
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View
from store.validation.constraints.wording import show

if TYPE_CHECKING:
    from store.validation.shapes import Shape


@dataclass(frozen=True)
class HasValue(Constraint):
    """sh:hasValue: the value is among the values (so an empty value set fails)."""

    parameter: ClassVar[str] = "hasValue"
    component: ClassVar[str] = SH + "HasValueConstraintComponent"
    fails_when_absent: ClassVar[bool] = True
    required: Term

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(value)

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [] if self.required in values else [None]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} must include {show(self.required if isinstance(self.required, NamedNode) else None)}."


@dataclass(frozen=True)
class In(Constraint):
    """sh:in: each value is one of the listed terms."""

    parameter: ClassVar[str] = "in"
    component: ClassVar[str] = SH + "InConstraintComponent"
    allowed: frozenset[Term]

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(frozenset(reader.items(value)))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if v not in self.allowed]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} value {value} is not one of the allowed values."
