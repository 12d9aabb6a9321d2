"""SHACL §4.6 logical and §4.7 shape-based constraints: sh:or, sh:and and sh:node, which check value nodes
against other shapes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from store.core.namespaces import SH
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View

if TYPE_CHECKING:
    from store.validation.shapes import Shape


@dataclass(frozen=True)
class Or(Constraint):
    """sh:or: each value conforms to at least one of the member shapes."""

    parameter: ClassVar[str] = "or"
    component: ClassVar[str] = SH + "OrConstraintComponent"
    members: tuple[Shape, ...]

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(tuple(reader.shape(member) for member in reader.items(value)))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not any(checks.conforms(m, v) for m in self.members)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} value {value} is none of the allowed kinds of value."

    @property
    def nested(self) -> tuple[Shape, ...]:
        return self.members


@dataclass(frozen=True)
class And(Constraint):
    """sh:and: each value conforms to every member shape."""

    parameter: ClassVar[str] = "and"
    component: ClassVar[str] = SH + "AndConstraintComponent"
    members: tuple[Shape, ...]

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(tuple(reader.shape(member) for member in reader.items(value)))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not all(checks.conforms(m, v) for m in self.members)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} value {value} does not meet all the required conditions."

    @property
    def nested(self) -> tuple[Shape, ...]:
        return self.members


@dataclass(frozen=True)
class NodeConstraint(Constraint):
    """sh:node: each value conforms to the node shape."""

    parameter: ClassVar[str] = "node"
    component: ClassVar[str] = SH + "NodeConstraintComponent"
    target: Shape

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(reader.shape(value))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if not checks.conforms(self.target, v)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        label = self.target.label or "the expected vocabulary"
        return f"{field} value {value} does not satisfy: {label}."

    @property
    def nested(self) -> tuple[Shape, ...]:
        return (self.target,)
