"""What pages show, read from a description graph: labels in the reader's language and the Annex VI fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import request, url_for

from portal.web.language import Picked, pick_text
from portal.web.site import public_base
from store.core.namespaces import ADMS, DCT, ELM, FOAF, RDF, ROV, SKILL_TYPE, SKOS
from store.core.terms import Term

RDF_TYPE = RDF + "type"
LABELS = (SKOS + "prefLabel", ROV + "legalName", DCT + "title", ELM + "noteLiteral", SKOS + "notation")
KNOWLEDGE = SKILL_TYPE + "knowledge"
RESPONSIBILITY_NOTE = "/id/note/eqf-responsibility-and-autonomy"  # docs/elm-profile.md, grouping rule


@dataclass
class Graph:
    """A description indexed by subject and predicate, with helpers that answer in one language."""

    language: str
    facts: dict[str, dict[str, list[Term]]] = field(default_factory=dict)

    @classmethod
    def of(cls, triples: Iterable[tuple[Term, Term, Term]], language: str) -> Graph:
        """Index the triples."""
        graph = cls(language)
        for subject, predicate, obj in triples:
            graph.facts.setdefault(subject.value, {}).setdefault(predicate.value, []).append(obj)
        return graph

    def objects(self, node: str, predicate: str) -> list[Term]:
        """Objects of node/predicate, in a stable order."""
        found = self.facts.get(node, {}).get(predicate, [])
        return sorted(found, key=lambda t: t.value)

    def first(self, node: str, predicate: str) -> Term | None:
        """One object, or None."""
        found = self.objects(node, predicate)
        return found[0] if found else None

    def text(self, node: str, predicate: str) -> Picked | None:
        """A literal of node/predicate in the reader's language (visible fallback), or None."""
        texts = {t.language or "": t.value for t in self.objects(node, predicate) if t.kind == "literal"}
        return pick_text(texts, self.language) if texts else None

    def label(self, node: str) -> Picked:
        """The best label of a node: preferred label, legal name, title, note, notation, else its IRI."""
        for predicate in LABELS:
            found = self.text(node, predicate)
            if found is not None:
                return found
        return Picked(node.rsplit("/", 1)[-1] or node, "", False)

    def types(self, node: str) -> set[str]:
        """rdf:type IRIs of a node."""
        return {t.value for t in self.objects(node, RDF_TYPE)}

    def link(self, node: str) -> dict[str, object]:
        """A link to a node for templates: href (relative for our own IRIs) and label."""
        return {"href": href_for(node), "label": self.label(node), "iri": node}

    def links(self, node: str, predicate: str) -> list[dict[str, object]]:
        """Links to every IRI object of node/predicate."""
        return [self.link(t.value) for t in self.objects(node, predicate) if t.is_iri]

    def subjects_with(self, predicate: str, value: str) -> list[str]:
        """Subjects that point at `value` through `predicate`."""
        return sorted(subject for subject, facts in self.facts.items()
                      if any(t.value == value for t in facts.get(predicate, [])))


def href_for(iri: str) -> str:
    """Where a page links for an IRI: our own IRIs stay on the serving host, others go to /resource."""
    base = public_base() + "/id/"
    if iri.startswith(base):
        return request.script_root + iri[len(public_base()):]
    return url_for("resources.any_resource", iri=iri)


def qualification_view(graph: Graph, iri: str) -> dict[str, object]:
    """Every EQF Annex VI element of a qualification, ready for qualification.html."""
    opportunities = [t.value for t in graph.objects(iri, ELM + "awardingOpportunity")]
    outcomes = [t.value for t in graph.objects(iri, ELM + "learningOutcome")]
    accreditations = sorted({t.value for t in graph.objects(iri, ELM + "accreditation")}
                            | set(graph.subjects_with(ELM + "limitQualification", iri)))
    return {
        "title": graph.text(iri, DCT + "title") or graph.label(iri),
        "description": graph.text(iri, DCT + "description"),
        "eqf": graph.links(iri, ELM + "EQFLevel"),
        "nqf": graph.links(iri, ELM + "NQFLevel"),
        "field": graph.links(iri, ELM + "ISCEDFCode"),
        "countries": _countries(graph, opportunities),
        "awarding_bodies": [graph.link(t.value) for o in opportunities
                            for t in graph.objects(o, ELM + "awardingBody") if t.is_iri],
        "outcomes": _outcome_groups(graph, outcomes),
        "summary": [graph.text(t.value, ELM + "noteLiteral")
                    for t in graph.objects(iri, ELM + "learningOutcomeSummary")],
        "credits": [_credit(graph, t.value) for t in graph.objects(iri, ELM + "creditPoint")],
        "volume": [t.value for t in graph.objects(iri, ELM + "volumeOfLearning")],
        "quality": [_accreditation(graph, a) for a in accreditations],
        "entry": [graph.text(t.value, ELM + "noteLiteral")
                  for t in graph.objects(iri, ELM + "entryRequirement")],
        "ways": graph.links(iri, ELM + "learningSetting") + graph.links(iri, ELM + "mode"),
        "languages": graph.links(iri, DCT + "language"),
        "homepages": _web(graph, iri, FOAF + "homepage"),
        "supplements": _web(graph, iri, ELM + "supplementaryDocument"),
        "identifiers": [graph.first(t.value, SKOS + "notation")
                        for t in graph.objects(iri, ADMS + "identifier")],
        "publisher": graph.links(iri, DCT + "publisher"),
        "modified": graph.first(iri, DCT + "modified"),
    }


def _outcome_groups(graph: Graph, outcomes: list[str]) -> list[tuple[str, list[dict[str, object]]]]:
    groups: dict[str, list[dict[str, object]]] = {"knowledge": [], "skills": [], "responsibility": []}
    for outcome in outcomes:
        notes = [t.value for t in graph.objects(outcome, ELM + "additionalNote")]
        is_knowledge = any(t.value == KNOWLEDGE for t in graph.objects(outcome, DCT + "type"))
        kind = "responsibility" if any(n.endswith(RESPONSIBILITY_NOTE) for n in notes) else \
            "knowledge" if is_knowledge else "skills"
        groups[kind].append({"text": graph.text(outcome, DCT + "title") or graph.label(outcome),
                             "esco": [{"href": t.value, "label": graph.label(t.value)}
                                      for t in graph.objects(outcome, ELM + "relatedESCOSkill") if t.is_iri]})
    return list(groups.items())


def _countries(graph: Graph, opportunities: list[str]) -> list[dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for opportunity in opportunities:
        for location in graph.objects(opportunity, ELM + "location"):
            for address in graph.objects(location.value, ELM + "address"):
                for country in graph.objects(address.value, ELM + "countryCode"):
                    found[country.value] = graph.link(country.value)
    return list(found.values())


def _credit(graph: Graph, node: str) -> dict[str, object]:
    point = graph.first(node, ELM + "point")
    return {"points": point.value if point else "", "framework": graph.links(node, ELM + "framework")}


def _accreditation(graph: Graph, node: str) -> dict[str, object]:
    return {"link": graph.link(node), "type": graph.links(node, DCT + "type"),
            "agent": graph.links(node, ELM + "accreditingAgent"),
            "expires": graph.first(node, ELM + "expiryDate"), "issued": graph.first(node, DCT + "issued")}


def _web(graph: Graph, iri: str, predicate: str) -> list[str]:
    return [url.value for page in graph.objects(iri, predicate)
            for url in graph.objects(page.value, ELM + "contentUrl")]


def organisation_view(graph: Graph, iri: str) -> dict[str, object]:
    """An organisation with its location and the qualifications it awards."""
    awarded = {q for o in graph.subjects_with(ELM + "awardingBody", iri)
               for q in graph.subjects_with(ELM + "awardingOpportunity", o)}
    qualifications = sorted((graph.link(q) for q in awarded), key=lambda link: str(link["label"]))
    places = [graph.text(t.value, ELM + "geographicName") for t in graph.objects(iri, ELM + "location")]
    return {"name": graph.label(iri), "qualifications": qualifications,
            "homepages": _web(graph, iri, FOAF + "homepage"),
            "places": [p for p in places if p is not None],
            "accredits": graph.subjects_with(ELM + "accreditingAgent", iri)}
