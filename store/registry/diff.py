"""Field-by-field differences between two versions of a record, in plain words.

Compares what a reviewer reads, not triples: titles and descriptions per language, levels and codes, learning
outcomes (by their titles: their nodes may be renamed between versions), notes, credits, awarding bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox

from store.core.namespaces import DCT, ELM, FOAF


class Kind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    """One difference: the field, what happened to it, the value before and after (None when absent)."""

    field: str
    kind: Kind
    before: str | None
    after: str | None

    def describe(self) -> str:
        """The change as a sentence: "Title (en) changed from “A” to “B”."."""
        name = self.field[0].upper() + self.field[1:]
        if self.kind == Kind.ADDED:
            return f"{name} added: {_quoted(self.after)}."
        if self.kind == Kind.REMOVED:
            return f"{name} removed: {_quoted(self.before)}."
        if _is_level(self.field):
            return f"{name} {self.before} → {self.after}."
        return f"{name} changed from {_quoted(self.before)} to {_quoted(self.after)}."

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "change": self.kind.value, "before": self.before, "after": self.after,
                "description": self.describe()}


# (field name, property): single-valued per language (literals) or per value (IRIs).
_LITERAL_FIELDS = (("title", DCT + "title"), ("description", DCT + "description"))
_IRI_FIELDS = (("EQF level", ELM + "EQFLevel"), ("NQF level", ELM + "NQFLevel"),
               ("field of education (ISCED-F)", ELM + "ISCEDFCode"), ("language", DCT + "language"),
               ("publisher", DCT + "publisher"), ("homepage", FOAF + "homepage"))
_NODE_FIELDS = (("learning outcome", ELM + "learningOutcome", DCT + "title"),
                ("learning outcome summary", ELM + "learningOutcomeSummary", ELM + "noteLiteral"),
                ("entry requirement", ELM + "entryRequirement", ELM + "noteLiteral"),
                ("additional note", ELM + "additionalNote", ELM + "noteLiteral"),
                ("credit points", ELM + "creditPoint", ELM + "point"),
                ("awarding body", ELM + "awardingOpportunity", ELM + "awardingBody"))
_SINGLE = (("volume of learning", ELM + "volumeOfLearning"),)


def _is_level(field: str) -> bool:
    return field.endswith("level")


def _quoted(value: str | None) -> str:
    return f"“{value}”"


class _Version:
    """One version's triples, indexed by subject and predicate."""

    def __init__(self, triples: Sequence[ox.Triple], qualification: str) -> None:
        self.by: dict[tuple[str, str], list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = {}
        for t in triples:
            self.by.setdefault((_id(t.subject), t.predicate.value), []).append(t.object)
        self.root = qualification

    def values(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
        return self.by.get((subject, predicate), [])

    def literals(self, predicate: str) -> dict[str, str]:
        """Language (or "") → lexical value of a literal property of the qualification."""
        return {(o.language or ""): o.value for o in self.values(self.root, predicate) if isinstance(o, ox.Literal)}

    def texts(self, link: str, text: str) -> list[str]:
        """The `text` values of the nodes the qualification links to with `link` (IRIs and literals as text)."""
        out = []
        for node in self.values(self.root, link):
            for value in self.values(_id(node), text):
                out.append(value.value if isinstance(value, ox.Literal | ox.NamedNode) else str(value))
        return sorted(out)


def _id(node: object) -> str:
    if isinstance(node, ox.BlankNode):
        return "_:" + node.value
    return node.value if isinstance(node, ox.NamedNode | ox.Literal) else str(node)


def diff_versions(before: Sequence[ox.Triple], after: Sequence[ox.Triple], qualification: str) -> list[FieldChange]:
    """Every field that differs between two versions of the record about `qualification`, in field order."""
    old, new = _Version(before, qualification), _Version(after, qualification)
    changes: list[FieldChange] = []
    for name, predicate in _LITERAL_FIELDS:
        a, b = old.literals(predicate), new.literals(predicate)
        for language in sorted(a.keys() | b.keys()):
            field = f"{name} ({language})" if language else name
            changes += _compare(field, a.get(language), b.get(language))
    for name, predicate in _IRI_FIELDS + _SINGLE:
        a_values = sorted(_label(o) for o in old.values(qualification, predicate))
        b_values = sorted(_label(o) for o in new.values(qualification, predicate))
        if len(a_values) <= 1 and len(b_values) <= 1:
            changes += _compare(name, a_values[0] if a_values else None, b_values[0] if b_values else None)
        else:
            changes += _sets(name, a_values, b_values)
    for name, link, text in _NODE_FIELDS:
        changes += _sets(name, old.texts(link, text), new.texts(link, text))
    return changes


def _label(node: object) -> str:
    """A level IRI as its number (eqf/4 → 4); other values as they are."""
    value = _id(node)
    return value.rsplit("/", 1)[-1] if "/eqf/" in value else value


def _compare(field: str, before: str | None, after: str | None) -> list[FieldChange]:
    if before == after:
        return []
    if before is None:
        return [FieldChange(field, Kind.ADDED, None, after)]
    if after is None:
        return [FieldChange(field, Kind.REMOVED, before, None)]
    return [FieldChange(field, Kind.CHANGED, before, after)]


def _sets(field: str, before: list[str], after: list[str]) -> list[FieldChange]:
    gone = [v for v in before if v not in after]
    came = [v for v in after if v not in before]
    return ([FieldChange(field, Kind.REMOVED, v, None) for v in gone]
            + [FieldChange(field, Kind.ADDED, None, v) for v in came])
