"""SHACL §4.4 string-based: sh:pattern (with sh:flags) and sh:uniqueLang."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from pyoxigraph import BlankNode, Literal

from store.core.namespaces import SH
from store.validation.constraints.base import Checks, Constraint, ShapeReader, Term, View, is_true

if TYPE_CHECKING:
    from store.validation.shapes import Shape


@dataclass(frozen=True)
class Pattern(Constraint):
    """sh:pattern: each value's lexical form (an IRI's text) matches the regular expression."""

    parameter: ClassVar[str] = "pattern"
    component: ClassVar[str] = SH + "PatternConstraintComponent"
    regex: re.Pattern[str]

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        flags = reader.one(shape.node, SH + "flags")
        return cls(re.compile(value.value, re.IGNORECASE if flags is not None and "i" in flags.value else 0))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        return [v for v in values if isinstance(v, BlankNode) or not self.regex.search(v.value)]

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} value {value} is not in the required format (a web address starts with http)."


@dataclass(frozen=True)
class UniqueLang(Constraint):
    """sh:uniqueLang true: no two values share a language tag (one result per repeated tag)."""

    parameter: ClassVar[str] = "uniqueLang"
    component: ClassVar[str] = SH + "UniqueLangConstraintComponent"
    unique: bool

    @classmethod
    def compile(cls, value: Term, shape: Shape, reader: ShapeReader) -> Self:
        return cls(is_true(value))

    def failures(self, values: Sequence[Term], view: View, checks: Checks) -> list[Term | None]:
        if not self.unique:
            return []
        langs = [v.language.lower() for v in values if isinstance(v, Literal) and v.language]
        return [None] * len({lang for lang in langs if langs.count(lang) > 1})

    def message(self, field: str, value: str, shape: Shape) -> str:
        return f"{field} has more than one value in the same language (one per language is allowed)."
