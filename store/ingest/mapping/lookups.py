"""Code lookups: register codes and labels ("5", "Niveau 5", "0732", "IE", "fr", "ECTS") -> vocabulary IRIs.

The tables are built from the SKOS files in ontology/vocabularies, so a code resolves only to a
concept the store actually holds (the store supplies the concepts; the import never embeds them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from store.core.namespaces import ESCO_SKILL, SKILL_TYPE, SKOS
from store.core.paths import VOCABULARIES

ISO_CODES = Path(__file__).with_name("iso-codes.json")
# Sentinel for the EQF "responsibility and autonomy" element: the skill-type vocabulary has no
# concept for it (it lists knowledge and skill only), see store/ingest/mapping/build.py.
AUTONOMY = "urn:nqdb:outcome-type:autonomy"


@dataclass
class Vocabulary:
    """One controlled vocabulary: concept IRIs by code (last IRI segment) and by label."""

    description: str
    by_code: dict[str, str] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> str | None:
        """The concept IRI a code, a full IRI or a label names, or None."""
        if text.startswith("http") and text in self.by_code.values():
            return text
        return self.by_code.get(text.upper()) or self.by_label.get(normalise(text))


def normalise(text: str) -> str:
    """Case, accents and spacing folded, so 'Niveau  5' and 'niveau 5' match."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@cache
def vocabulary(name: str) -> Vocabulary:
    """The codes and labels of ontology/vocabularies/<name>.ttl."""
    table = Vocabulary(name)
    label = ox.NamedNode(SKOS + "prefLabel")
    concept = ox.NamedNode(SKOS + "Concept")
    for triple in ox.parse(path=VOCABULARIES / f"{name}.ttl", format=ox.RdfFormat.TURTLE):
        iri = triple.subject.value
        if triple.object == concept:
            table.by_code.setdefault(iri.rstrip("/").rsplit("/", 1)[-1].upper(), iri)
        elif triple.predicate == label and isinstance(triple.object, ox.Literal):
            table.by_label.setdefault(normalise(triple.object.value), iri)
    return table


@cache
def _iso() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(ISO_CODES.read_text(encoding="utf-8"))
    return data


def eqf(text: str) -> str | None:
    """EQF level from '5', 'EQF 5', 'Level 5', 'Niveau 5', 'CEC 5' or the concept IRI."""
    digits = re.findall(r"\d+", text)
    return vocabulary("eqf").find(digits[0]) if len(digits) == 1 else vocabulary("eqf").find(text)


def isced_f(text: str) -> str | None:
    """ISCED-F 2013 field from '0732', '732' (a spreadsheet dropped the zero), a label or the IRI."""
    code = text.split()[0] if text[:1].isdigit() else text
    table = vocabulary("isced-f")
    return table.find(code) or (table.find("0" + code) if code.isdigit() else None) or table.find(text)


def country(text: str) -> str | None:
    """Country from ISO 3166 alpha-3 ('IRL'), alpha-2 ('IE'), the English name or the IRI."""
    table = vocabulary("country")
    alpha3 = _iso()["country_alpha2"].get(text.strip().upper())
    return table.find(text.strip()) or (table.find(alpha3) if alpha3 else None)


def language(text: str) -> str | None:
    """Language from ISO 639-2 ('FRA', 'fre'), ISO 639-1 ('fr', 'fr-BE') or the IRI."""
    code = text.strip().split("-")[0].split("_")[0]
    iso = _iso()
    alpha3 = iso["language_alpha2"].get(code.lower()) or iso["language_bibliographic"].get(code.lower())
    table = vocabulary("language")
    return table.find(text.strip()) or (table.find(alpha3) if alpha3 else None)


def nqf(text: str) -> str | None:
    """NQF level from its QDR code ('c_cf6bd5a1'), its label ('CFC Level 5') or the IRI."""
    return vocabulary("nqf").find(text)


_CREDIT_ALIASES = {"ects": "6FCEC5C5AF", "ecvet": "60B314E826"}


def credit_system(text: str) -> str | None:
    """Credit system from 'ECTS', 'ECVET', its label or the IRI."""
    table = vocabulary("credit-points")
    alias = _CREDIT_ALIASES.get(normalise(text))
    return table.find(alias) if alias else table.find(text)


_OUTCOME_TYPES = {
    "knowledge": "knowledge", "k": "knowledge", "savoir": "knowledge", "savoirs": "knowledge",
    "connaissance": "knowledge", "connaissances": "knowledge",
    "skill": "skill", "skills": "skill", "s": "skill", "aptitude": "skill", "aptitudes": "skill",
    "savoir-faire": "skill", "competence": "skill", "competences": "skill",
    "autonomy": "autonomy", "a": "autonomy", "r": "autonomy", "responsibility": "autonomy",
    "responsibility and autonomy": "autonomy", "autonomie": "autonomy", "responsabilite": "autonomy",
    "responsabilite et autonomie": "autonomy", "r&a": "autonomy",
}


def outcome_type(text: str) -> str | None:
    """Learning-outcome type: the skill-type concept for knowledge/skill, AUTONOMY for R&A."""
    kind = _OUTCOME_TYPES.get(normalise(text))
    if kind == "autonomy":
        return AUTONOMY
    return SKILL_TYPE + kind if kind else vocabulary("skill-types").find(text)


def reuse_level(text: str) -> str | None:
    """Skill reusability level from its label ('transversal skills and competences'), a word or the IRI."""
    table = vocabulary("skill-reuse-levels")
    return table.find(text) or table.find(normalise(text).replace(" ", "-"))


def esco_skill(text: str) -> str | None:
    """An ESCO skill IRI from its UUID or IRI (not checked against ESCO: registers link the full ESCO)."""
    value = text.strip()
    if value.startswith(ESCO_SKILL):
        return value
    return f"{ESCO_SKILL}{value}" if re.fullmatch(r"[0-9a-f-]{36}", value) else None


def accreditation_type(text: str) -> str | None:
    """Europass accreditation type from its label ('Program Quality Assurance'), its code or the IRI."""
    return vocabulary("europass-accreditation-types").find(text)


LOOKUPS = {"eqf": eqf, "isced-f": isced_f, "country": country, "language": language, "nqf": nqf,
           "credit-system": credit_system, "outcome-type": outcome_type, "reuse-level": reuse_level,
           "esco-skill": esco_skill, "accreditation-type": accreditation_type}
