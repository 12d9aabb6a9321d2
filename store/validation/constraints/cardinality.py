"""SHACL §4.2 cardinality: sh:minCount and sh:maxCount."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from store.core.namespaces import SH
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View

if TYPE_CHECKING:
    from store.validation.shapes import Shape


def count_rule(shape: Shape) -> str:
    """The shape's cardinality in words: 'exactly one is required', 'at most 3 are allowed'."""
    low = high = None
    for c in shape.constraints:  # of a repeated parameter, the last one is named
        if isinstance(c, MinCount):
            low = c.count
        elif isinstance(c, MaxCount):
            high = c.count
    if low is not None and low == high:
        return "exactly one is required" if low == 1 else f"exactly {low} are required"
    if low is not None:
        return "at least one is required" if low == 1 else f"at least {low} are required"
    return "at most one is allowed" if high == 1 else f"at most {high} are allowed"


@dataclass(frozen=True)
class MinCount(Constraint):
    """sh:minCount: at least this many values."""

    parameter: ClassVar[str] = "minCount"
    component: ClassVar[str] = SH + "MinCountConstraintComponent"
    fails_when_absent: ClassVar[bool] = True
    count: int

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(int(value.value))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [None] if len(values) < self.count else []

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} is missing ({count_rule(shape)})."


@dataclass(frozen=True)
class MaxCount(Constraint):
    """sh:maxCount: at most this many values."""

    parameter: ClassVar[str] = "maxCount"
    component: ClassVar[str] = SH + "MaxCountConstraintComponent"
    count: int

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(int(value.value))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [None] if len(values) > self.count else []

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} has too many values ({count_rule(shape)})."
