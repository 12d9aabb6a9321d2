"""Converted register records -> ELM v3.1 triples, shaped as the LOQ profile and the demo data are.

IRIs follow store/core/iris.py and the same patterns as store/ingest/demo.py (docs/elm-profile.md), so a table
export of the demo re-imports into the very same graph. Vocabulary concepts are referenced, not embedded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from store.core.iris import mint
from store.core.namespaces import ADMS, DCT, ELM, FOAF, RDF, ROV, SKILL_TYPE, SKOS, XSD
from store.ingest.mapping.lookups import AUTONOMY
from store.ingest.mapping.rows import Record

A = ox.NamedNode(RDF + "type")
# EQF "responsibility and autonomy" outcomes: typed skill, with elm:additionalNote pointing at one shared
# Note (the skill-type vocabulary has no such concept) -- the encoding store/ingest/demo.py uses.
AUTONOMY_NOTE_KEY = "eqf-responsibility-and-autonomy"
AUTONOMY_LABELS = {"en": "Responsibility and autonomy", "fr": "Responsabilité et autonomie"}
OUTCOME_CELLS = {"knowledge": SKILL_TYPE + "knowledge", "skills": SKILL_TYPE + "skill", "autonomy": AUTONOMY}


def _p(term: str) -> ox.NamedNode:
    prefix, _, local = term.partition(":")
    return ox.NamedNode({"elm": ELM, "dct": DCT, "adms": ADMS, "skos": SKOS, "foaf": FOAF, "rov": ROV}[prefix]
                        + local)


def _text(value: tuple[str, str | None]) -> ox.Literal:
    return ox.Literal(value[0], language=value[1]) if value[1] else ox.Literal(value[0])


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@dataclass
class Emitter:
    """Mints IRIs under one base and yields the triples of each record."""

    base: str
    identifier_scheme: str
    publisher: str | None = None
    autonomy_used: bool = False

    def iri(self, kind: str, key: str) -> ox.NamedNode:
        """An NQDB IRI (store/core/iris.py)."""
        return ox.NamedNode(mint(self.base, kind, key))

    def node(self, subject: ox.NamedNode | ox.BlankNode, rdf_type: str, *pairs: tuple[str, list[Any]]
             ) -> Iterator[ox.Triple]:
        """A typed node with its properties; empty value lists are left out."""
        yield ox.Triple(subject, A, _p(rdf_type))
        for predicate, objects in pairs:
            for obj in objects:
                yield ox.Triple(subject, _p(predicate), obj)

    def organisation(self, org: Record) -> Iterator[ox.Triple]:
        """An organisation with its location, address (country, full address) and homepage."""
        key, v = org.key, org.values
        location, address = self.iri("location", key), self.iri("address", key)
        homepage = [self.iri("web-resource", key)] if v.get("homepage") else []
        yield from self.node(self.iri("organisation", key), "elm:Organisation",
                             ("rov:legalName", [_text(t) for t in v.get("legalName", [])]),
                             ("skos:altLabel", [_text(t) for t in v.get("altLabel", [])]),
                             ("elm:location", [location]), ("foaf:homepage", homepage))
        yield from self.node(location, "dct:Location",
                             ("elm:geographicName", [_text(t) for t in v.get("city", [])]),
                             ("elm:address", [address]))
        full = [self.iri("note", f"{key}-address")] if v.get("fullAddress") else []
        yield from self.node(address, "elm:Address",
                             ("elm:countryCode", [ox.NamedNode(c) for c in v["country"]]),
                             ("elm:fullAddress", full))
        if full:
            yield from self.note(full[0], v["fullAddress"])
        yield from self.web_resource(homepage, v.get("homepage", []))

    def note(self, subject: ox.NamedNode, texts: list[tuple[str, str | None]]) -> Iterator[ox.Triple]:
        """An elm:Note with one literal per language."""
        yield from self.node(subject, "elm:Note", ("elm:noteLiteral", [_text(t) for t in texts]))

    def web_resource(self, subjects: list[ox.NamedNode], urls: list[str]) -> Iterator[ox.Triple]:
        """One elm:WebResource per URL."""
        for subject, url in zip(subjects, urls, strict=False):
            yield from self.node(subject, "elm:WebResource", ("elm:contentUrl", [_typed(url, "anyURI")]))

    def outcome(self, subject: ox.NamedNode, titles: list[tuple[str, str | None]], kind: str | None,
                reuse: list[str], esco: list[str]) -> Iterator[ox.Triple]:
        """One learning outcome; R&A ones typed skill and marked with the shared Note."""
        marker = [self.iri("note", AUTONOMY_NOTE_KEY)] if kind == AUTONOMY else []
        self.autonomy_used = self.autonomy_used or bool(marker)
        skill_type = SKILL_TYPE + "skill" if kind == AUTONOMY else kind
        yield from self.node(subject, "elm:LearningOutcome", ("dct:title", [_text(t) for t in titles]),
                             ("dct:type", [ox.NamedNode(skill_type)] if skill_type else []),
                             ("elm:additionalNote", marker),
                             ("elm:relatedESCOSkill", [ox.NamedNode(e) for e in esco]),
                             ("elm:reusabilityLevel", [ox.NamedNode(r) for r in reuse]))

    def autonomy_note(self) -> Iterator[ox.Triple]:
        """The one Note every R&A outcome points at, once per dataset."""
        if self.autonomy_used:
            labels: list[tuple[str, str | None]] = [(text, lang) for lang, text in AUTONOMY_LABELS.items()]
            yield from self.note(self.iri("note", AUTONOMY_NOTE_KEY), labels)
