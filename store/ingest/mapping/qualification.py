"""One register qualification record (plus its learning-outcome rows) -> ELM triples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from store.ingest.mapping.emit import OUTCOME_CELLS, Emitter, _text, _typed
from store.ingest.mapping.rows import Record

NOTES = {"entryRequirement": "entry", "learningOutcomeSummary": "summary", "additionalNote": "note"}


def qualification_triples(out: Emitter, q: Record, outcome_rows: list[Record]) -> Iterator[ox.Triple]:
    """The qualification node and every node that belongs to it alone."""
    key, v = q.key, q.values
    subject = out.iri("qualification", key)
    outcomes = list(_outcomes(out, key, v, outcome_rows))
    notes = {target: out.iri("note", f"{key}-{name}") for target, name in NOTES.items() if v.get(target)}
    credit = v.get("creditPoints", [])
    homepage = [out.iri("web-resource", key)] if v.get("homepage") else []
    documents = [out.iri("web-resource", f"{key}-document-{n}")
                 for n in range(1, len(v.get("supplementaryDocument", [])) + 1)]
    bodies = v.get("awardingBody", [])
    awards = [out.iri("awarding-opportunity", key if n == 0 else f"{key}-{org}")
              for n, org in enumerate(bodies)]
    accreditation = [out.iri("accreditation", key)] if v.get("accreditationType") else []
    publisher = v.get("publisher") or ([out.publisher] if out.publisher else [])
    yield from out.node(
        subject, "elm:Qualification",
        ("adms:identifier", [out.iri("identifier", key)]),
        ("dct:title", [_text(t) for t in v.get("title", [])]),
        ("skos:altLabel", [_text(t) for t in v.get("altLabel", [])]),
        ("dct:description", [_text(t) for t in v.get("description", [])]),
        ("dct:language", _iris(v, "language")),
        ("elm:EQFLevel", _iris(v, "EQFLevel")), ("elm:NQFLevel", _iris(v, "NQFLevel")),
        ("elm:ISCEDFCode", _iris(v, "ISCEDFCode")),
        ("elm:learningOutcome", [o[0] for o in outcomes]),
        ("elm:learningOutcomeSummary", _some(notes, "learningOutcomeSummary")),
        ("elm:entryRequirement", _some(notes, "entryRequirement")),
        ("elm:additionalNote", _some(notes, "additionalNote")),
        ("elm:creditPoint", [out.iri("credit-point", key)] if credit else []),
        ("elm:volumeOfLearning", [_typed(d, "duration") for d in v.get("volumeOfLearning", [])]),
        ("elm:maximumDuration", [_typed(d, "duration") for d in v.get("maximumDuration", [])]),
        ("elm:isPartialQualification", [ox.Literal(b) for b in v.get("isPartialQualification", [])]),
        ("elm:awardingOpportunity", awards), ("elm:accreditation", accreditation),
        ("foaf:homepage", homepage), ("elm:supplementaryDocument", documents),
        ("dct:publisher", [out.iri("organisation", p) for p in publisher]),
        ("dct:modified", [_typed(d, "dateTime") for d in v.get("modified", [])]))
    yield from out.node(out.iri("identifier", key), "elm:Identifier",
                        ("skos:notation", [ox.Literal(q.first("identifier") or key)]),
                        ("elm:schemeName", [ox.Literal(q.first("identifierScheme") or out.identifier_scheme)]))
    for outcome in outcomes:
        yield from out.outcome(*outcome)
    for target, note in notes.items():
        yield from out.note(note, v[target])
    if credit:
        points, system = credit[0]
        frameworks = [system] if system else _strs(v, "creditSystem")
        yield from out.node(out.iri("credit-point", key), "elm:CreditPoint",
                            ("elm:framework", [ox.NamedNode(f) for f in frameworks]),
                            ("elm:point", [ox.Literal(points)]))
    yield from out.web_resource(homepage, v.get("homepage", []))
    yield from out.web_resource(documents, v.get("supplementaryDocument", []))
    yield from _awards(out, q, subject, awards)
    yield from _accreditation(out, q, subject, accreditation)


def _some(notes: dict[str, ox.NamedNode], target: str) -> list[ox.NamedNode]:
    return [notes[target]] if target in notes else []


def _iris(values: dict[str, list[Any]], target: str) -> list[ox.NamedNode]:
    return [ox.NamedNode(iri) for iri in values.get(target, [])]


def _strs(values: dict[str, list[Any]], target: str) -> list[str]:
    return [str(value) for value in values.get(target, [])]


Outcome = tuple[ox.NamedNode, list[tuple[str, str | None]], str | None, list[str], list[str]]


def _outcomes(out: Emitter, key: str, v: dict[str, list[Any]], rows: list[Record]) -> Iterator[Outcome]:
    """Learning outcomes: lines of the knowledge/skills/autonomy cells first, then the outcome rows."""
    n = 0
    for target, kind in OUTCOME_CELLS.items():
        lines: dict[int, list[tuple[str, str | None]]] = {}
        for position, text, lang in v.get(target, []):
            lines.setdefault(position, []).append((text, lang))
        for position in sorted(lines):
            n += 1
            yield out.iri("learning-outcome", f"{key}-LO{n}"), lines[position], kind, [], []
    for row in rows:
        n += 1
        own = row.key if row.key else f"{key}-LO{n}"
        yield (out.iri("learning-outcome", own), row.values.get("title", []), row.first("type"),
               _strs(row.values, "reusabilityLevel"), _strs(row.values, "relatedESCOSkill"))


def _awards(out: Emitter, q: Record, subject: ox.NamedNode, awards: list[ox.NamedNode]
            ) -> Iterator[ox.Triple]:
    """One awarding opportunity per awarding body, located where the body is, valid from/until."""
    start, end = q.values.get("validFrom", []), q.values.get("validUntil", [])
    for award, org in zip(awards, q.values.get("awardingBody", []), strict=True):
        period = [ox.BlankNode()] if start or end else []
        yield from out.node(award, "elm:AwardingOpportunity",
                            ("elm:awardingBody", [out.iri("organisation", org)]),
                            ("elm:learningAchievementSpecification", [subject]),
                            ("elm:location", [out.iri("location", org)]), ("dct:temporal", period))
        if period:
            yield from out.node(period[0], "dct:PeriodOfTime",
                                ("elm:startDate", [_typed(d, "dateTime") for d in start]),
                                ("elm:endDate", [_typed(d, "dateTime") for d in end]))


def _accreditation(out: Emitter, q: Record, subject: ox.NamedNode, accreditation: list[ox.NamedNode]
                   ) -> Iterator[ox.Triple]:
    """The quality-assurance decision covering the qualification, for its (first) awarding body."""
    v = q.values
    if not accreditation:
        return
    agents = [out.iri("organisation", o) for o in v.get("accreditingAgent", [])]
    holders = [out.iri("organisation", o) for o in v.get("awardingBody", [])[:1]]
    yield from out.node(accreditation[0], "elm:Accreditation",
                        ("dct:type", _iris(v, "accreditationType")),
                        ("dct:title", [_text(t) for t in v.get("accreditationTitle", [])]),
                        ("elm:accreditingAgent", agents), ("elm:organisation", holders),
                        ("elm:limitQualification", [subject]),
                        ("dct:issued", [_typed(d, "dateTime") for d in v.get("accreditationIssued", [])]),
                        ("elm:expiryDate", [_typed(d, "dateTime") for d in v.get("accreditationExpiry", [])]))
