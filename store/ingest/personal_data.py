"""Keep people and awards out of the published data (issue 9 case 11).

A qualifications database publishes *specifications* (elm:Qualification and what it owns), never the
people who earned them nor the awards themselves. ELM credentials carry both: the learner (elm:Person
with full name, date of birth, national id, contact point) and award records about that learner
(elm:EuropeanDigitalCredential, elm:LearningAchievement and the other claims, evidence, display data).

`find` names every such *root* node in a loaded graph: persons (by class, by person-only property, or as
the credentialSubject of a credential) and award records (by class). `strip` removes the roots and every
node reachable only from them (addresses, contact points, identifiers, claims, awarding processes ...),
and every triple that points at a removed node. Reachability stops at nodes that are public by nature
(qualifications and other specifications, organisations, accreditations, SKOS concepts): those stay,
only the award's link to them goes. Every walk uses an explicit queue, never recursion over data depth.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from store.core.namespaces import CRED, ELM, FOAF, M8G, PERSON, RDF, SCHEMA, SCHEMA_HTTPS, SKOS, VCARD

PERSON_CLASSES = (ELM + "Person", FOAF + "Person", PERSON + "Person", SCHEMA + "Person",
                  SCHEMA_HTTPS + "Person", M8G + "Person", VCARD + "Individual")
# Properties only a natural person has (ELM 3.1 "Person properties", FOAF, ISA person, schema.org).
PERSON_PROPERTIES = tuple(ELM + p for p in ("dateOfBirth", "placeOfBirth", "gender", "nationalId",
                                            "citizenshipCountry", "groupMemberOf", "hasCredential",
                                            "hasClaim")) + (
    FOAF + "givenName", FOAF + "familyName", FOAF + "firstName", FOAF + "lastName",
    PERSON + "birthName", PERSON + "patronymicName", PERSON + "citizenship",
    SCHEMA + "birthDate", SCHEMA_HTTPS + "birthDate")
SUBJECT_PROPERTIES = (CRED + "credentialSubject", ELM + "credentialSubject")
# Records of an award to a learner, not specifications: a database of qualifications never publishes them.
AWARD_CLASSES = tuple(ELM + c for c in (
    "EuropeanDigitalCredential", "EuropeanDigitalPresentation", "Claim", "LearningAchievement",
    "LearningActivity", "LearningAssessment", "LearningEntitlement", "Evidence", "AwardingProcess",
    "DisplayParameter", "IndividualDisplay", "DisplayDetail", "VerificationCheck")) + (
    CRED + "VerifiableCredential", CRED + "VerifiablePresentation")
# Public by nature: kept even when only an award refers to them (the award's link to them is removed).
PUBLIC_CLASSES = tuple(ELM + c for c in (
    "Qualification", "LearningAchievementSpecification", "LearningActivitySpecification",
    "LearningAssessmentSpecification", "LearningEntitlementSpecification", "Organisation",
    "Accreditation")) + (SKOS + "Concept", SKOS + "ConceptScheme")

Node = ox.NamedNode | ox.BlankNode
_TYPE = ox.NamedNode(RDF + "type")


@dataclass(frozen=True)
class PersonalData:
    """The people and award records found in one dataset graph, by IRI (blank nodes are only counted)."""

    persons: tuple[str, ...]
    blank_persons: int
    awards: tuple[str, ...]
    blank_awards: int
    award_classes: tuple[str, ...]        # which award classes occur, e.g. elm:LearningAchievement

    @property
    def found(self) -> bool:
        """True if anything personal is in the graph."""
        return bool(self.persons or self.blank_persons or self.awards or self.blank_awards)

    def describe(self, limit: int = 5) -> str:
        """Counts and IRIs, never a personal value (no name, date or id literal is ever printed)."""
        parts = []
        if self.persons or self.blank_persons:
            parts.append(_counted("person node", self.persons, self.blank_persons, limit))
        if self.awards or self.blank_awards:
            kinds = ", ".join(_short(c) for c in self.award_classes)
            parts.append(_counted("award record", self.awards, self.blank_awards, limit) + f" ({kinds})")
        return " and ".join(parts)


@dataclass(frozen=True)
class Stripped:
    """What `strip` removed from a dataset graph."""

    found: PersonalData
    nodes: int        # roots and the nodes reachable only from them (those with triples of their own)
    triples: int      # every triple about a removed node or pointing at one


def find(handle: ox.Store, graph: str) -> PersonalData:
    """Every person and award record in `graph` (index lookups by class and property: no full scan)."""
    target = ox.NamedNode(graph)
    persons = set(_typed(handle, PERSON_CLASSES, target))
    for prop in PERSON_PROPERTIES:
        persons.update(q.subject for q in handle.quads_for_pattern(None, ox.NamedNode(prop), None, target)
                       if isinstance(q.subject, Node))
    for prop in SUBJECT_PROPERTIES:
        persons.update(q.object for q in handle.quads_for_pattern(None, ox.NamedNode(prop), None, target)
                       if isinstance(q.object, Node))
    awards = set(_typed(handle, AWARD_CLASSES, target)) - persons
    classes = sorted(c for c in AWARD_CLASSES if next(iter(handle.quads_for_pattern(
        None, _TYPE, ox.NamedNode(c), target)), None) is not None)
    return PersonalData(_iris(persons), _blanks(persons), _iris(awards), _blanks(awards), tuple(classes))


def strip(handle: ox.Store, graph: str, found: PersonalData) -> Stripped:
    """Remove the persons and award records of `found`, and every node reachable only from them."""
    target = ox.NamedNode(graph)
    roots = set(_roots(handle, target))
    reach = _reachable(handle, target, roots)
    doomed = reach - _kept(handle, target, roots, reach)
    quads = {q for node in doomed for q in handle.quads_for_pattern(node, None, None, target)}
    quads.update(q for node in doomed for q in handle.quads_for_pattern(None, None, node, target))
    for quad in quads:
        handle.remove(quad)
    return Stripped(found, len({q.subject for q in quads} & doomed), len(quads))


def _roots(handle: ox.Store, target: ox.NamedNode) -> Iterator[Node]:
    """Persons and award records again, as nodes (blank nodes cannot be found back from a label)."""
    yield from _typed(handle, PERSON_CLASSES + AWARD_CLASSES, target)
    for prop in PERSON_PROPERTIES:
        yield from (q.subject for q in handle.quads_for_pattern(None, ox.NamedNode(prop), None, target)
                    if isinstance(q.subject, Node))
    for prop in SUBJECT_PROPERTIES:
        yield from (q.object for q in handle.quads_for_pattern(None, ox.NamedNode(prop), None, target)
                    if isinstance(q.object, Node))


def _reachable(handle: ox.Store, target: ox.NamedNode, roots: set[Node]) -> set[Node]:
    """The roots and every node their triples lead to, stopping at public nodes (breadth first)."""
    seen, queue = set(roots), deque(roots)
    while queue:
        for quad in handle.quads_for_pattern(queue.popleft(), None, None, target):
            child = quad.object
            if isinstance(child, Node) and child not in seen and not _is_public(handle, target, child):
                seen.add(child)
                queue.append(child)
    return seen


def _kept(handle: ox.Store, target: ox.NamedNode, roots: set[Node], reach: set[Node]) -> set[Node]:
    """Reached nodes that something outside the personal part also refers to, and what they lead to."""
    kept = {node for node in reach - roots
            if any(q.subject not in reach for q in handle.quads_for_pattern(None, None, node, target))}
    queue = deque(kept)
    while queue:
        for quad in handle.quads_for_pattern(queue.popleft(), None, None, target):
            child = quad.object
            if isinstance(child, Node) and child in reach and child not in roots and child not in kept:
                kept.add(child)
                queue.append(child)
    return kept


def _is_public(handle: ox.Store, target: ox.NamedNode, node: Node) -> bool:
    return any(isinstance(q.object, ox.NamedNode) and q.object.value in PUBLIC_CLASSES
               for q in handle.quads_for_pattern(node, _TYPE, None, target))


def _typed(handle: ox.Store, classes: Iterable[str], target: ox.NamedNode) -> Iterator[Node]:
    for iri in classes:
        yield from (q.subject for q in handle.quads_for_pattern(None, _TYPE, ox.NamedNode(iri), target)
                    if isinstance(q.subject, Node))


def _iris(nodes: set[Node]) -> tuple[str, ...]:
    return tuple(sorted(n.value for n in nodes if isinstance(n, ox.NamedNode)))


def _blanks(nodes: set[Node]) -> int:
    return sum(1 for n in nodes if isinstance(n, ox.BlankNode))


def _counted(what: str, iris: tuple[str, ...], blanks: int, limit: int) -> str:
    total = len(iris) + blanks
    named = ", ".join(f"<{i}>" for i in iris[:limit]) + (", ..." if len(iris) > limit else "")
    shown = [named] if named else []
    if blanks:
        shown.append(f"{blanks} blank node(s)")
    return f"{total} {what}(s): " + "; ".join(shown)


def _short(iri: str) -> str:
    for prefix, namespace in (("elm:", ELM), ("cred:", CRED)):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return f"<{iri}>"
