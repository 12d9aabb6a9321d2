"""The one table of the SHACL constraint parameters NQDB evaluates; add a class here to support one more."""

from __future__ import annotations

from store.validation.constraints.base import Constraint
from store.validation.constraints.cardinality import MaxCount, MinCount
from store.validation.constraints.logical import And, NodeConstraint, Or
from store.validation.constraints.other import HasValue, In
from store.validation.constraints.property_pair import Disjoint
from store.validation.constraints.string_based import Pattern, UniqueLang
from store.validation.constraints.value_type import Class, Datatype, NodeKind

# In the order a shape's constraints are compiled and checked, which is the order of their results.
CONSTRAINTS: tuple[type[Constraint], ...] = (
    MinCount, MaxCount, Class, Datatype, NodeKind, Pattern, UniqueLang, Disjoint, HasValue, In, Or, And,
    NodeConstraint,
)
BY_PARAMETER: dict[str, type[Constraint]] = {c.parameter: c for c in CONSTRAINTS}
