"""The demo dataset that ships with NQDB: 64 bilingual (en/fr) qualifications as ELM v3.1 Turtle.

The content lives in store/ingest/demo/*.yaml; this module only turns it into LOQ-conformant Turtle. Every IRI
is minted by store.core.iris under the caller's base URL, vocabulary concepts are referenced, never embedded
(the store holds each vocabulary in its own graph), and the output is byte-identical for the same base.
How each EQF Annex VI element maps to ELM is documented in docs/elm-profile.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from store.core.iris import mint
from store.core.namespaces import (
    EDUCATION_CREDIT,
    EQF,
    ESCO_SKILL,
    EU_COUNTRY,
    EU_LANGUAGE,
    ISCED_F,
    SKILL_TYPE,
    prefixes,
)

DEMO_DIR = Path(__file__).resolve().parent / "demo"

CREDIT_FRAMEWORKS = {
    "ECTS": EDUCATION_CREDIT + "6fcec5c5af",
    "ECVET": EDUCATION_CREDIT + "60b314e826",
}
# The EU skill-type vocabulary knows only knowledge and skill. EQF "responsibility and autonomy"
# outcomes are typed skill (competence = applied skills, as ESCO's "skill/competence") and point, with
# elm:additionalNote, at one shared Note: portals group on that IRI, exports keep a readable label.
SKILL_TYPES = {
    "knowledge": SKILL_TYPE + "knowledge",
    "skill": SKILL_TYPE + "skill",
    "autonomy": SKILL_TYPE + "skill",
}
RESPONSIBILITY_AND_AUTONOMY_KEY = "eqf-responsibility-and-autonomy"
RESPONSIBILITY_AND_AUTONOMY_LABELS = {
    "en": "Responsibility and autonomy",
    "fr": "Responsabilité et autonomie",
}
ACCREDITATION_TITLES = {
    "program-license": {"en": "Programme licence", "fr": "Agrément du programme"},
    "program-qa": {"en": "Programme quality assurance", "fr": "Évaluation de la qualité du programme"},
    "institutional-qa": {
        "en": "Institutional quality assurance",
        "fr": "Évaluation institutionnelle de la qualité",
    },
    "institutional-license": {"en": "Institutional licence", "fr": "Habilitation de l'établissement"},
}
ACCREDITATION_ISSUED = "2023-09-01T00:00:00Z"
ACCREDITATION_EXPIRES = "2029-08-31T00:00:00Z"
IDENTIFIER_SCHEME = "NQDB demo register"

PREFIXES = prefixes("adms", "dct", "elm", "foaf", "rov", "skos", "xsd")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}

Properties = Sequence[tuple[str, Sequence[str]]]


@cache
def demo_content() -> dict[str, Any]:
    """The demo content: organisations.yaml settings plus the list under 'qualifications'."""
    content: dict[str, Any] = yaml.safe_load((DEMO_DIR / "organisations.yaml").read_text(encoding="utf-8"))
    qualifications = yaml.safe_load((DEMO_DIR / "qualifications.yaml").read_text(encoding="utf-8"))
    content["qualifications"] = qualifications["qualifications"]
    return content


def demo_dataset_turtle(base_url: str) -> str:
    """Turtle of the whole demo dataset, every NQDB IRI minted under base_url."""
    content = demo_content()
    blocks = [_prefix_block(), _responsibility_note(base_url)]
    for key, organisation in content["organisations"].items():
        blocks.extend(_organisation_nodes(base_url, key, organisation))
    for qualification in content["qualifications"]:
        blocks.extend(_qualification_nodes(base_url, qualification, content))
    return "\n".join(blocks)


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str) -> str:
    """A language-tagged Turtle string, escaped."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value.strip()) + f'"@{lang}'


def _plain(value: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def _typed(value: str, datatype: str) -> str:
    return f"{_plain(value)}^^xsd:{datatype}"


def _texts(values: Mapping[str, str]) -> list[str]:
    """One language-tagged literal per language, English first, empty values left out."""
    return [_text(values[lang], lang) for lang in ("en", "fr") if values.get(lang)]


def _node(subject: str, rdf_type: str, properties: Properties) -> str:
    """One Turtle subject block; properties without values are left out."""
    lines = [f"{_iri(subject)} a {rdf_type}"]
    lines += [f"    {predicate} {' , '.join(objects)}" for predicate, objects in properties if objects]
    return " ;\n".join(lines) + " .\n"


def _prefix_block() -> str:
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


def _responsibility_note(base: str) -> str:
    """The one Note every responsibility-and-autonomy outcome points at (elm:additionalNote)."""
    note = mint(base, "note", RESPONSIBILITY_AND_AUTONOMY_KEY)
    return _node(note, "elm:Note", [("elm:noteLiteral", _texts(RESPONSIBILITY_AND_AUTONOMY_LABELS))])


def _web_resource(base: str, key: str, url: str) -> str:
    web = mint(base, "web-resource", key)
    return _node(web, "elm:WebResource", [("elm:contentUrl", [_typed(url, "anyURI")])])


def _organisation_nodes(base: str, key: str, organisation: Mapping[str, Any]) -> Iterator[str]:
    """An organisation with its location, address and homepage."""
    location, address = mint(base, "location", key), mint(base, "address", key)
    yield _node(
        mint(base, "organisation", key),
        "elm:Organisation",
        [
            ("rov:legalName", _texts(organisation["name"])),
            ("elm:location", [_iri(location)]),
            ("foaf:homepage", [_iri(mint(base, "web-resource", key))]),
        ],
    )
    yield _node(
        location,
        "dct:Location",
        [
            ("elm:geographicName", _texts(organisation["city"])),
            ("elm:address", [_iri(address)]),
        ],
    )
    full_address = mint(base, "note", f"{key}-address")
    yield _node(
        address,
        "elm:Address",
        [
            ("elm:countryCode", [_iri(EU_COUNTRY + "BEL")]),
            ("elm:fullAddress", [_iri(full_address)]),
        ],
    )
    yield _node(full_address, "elm:Note", [("elm:noteLiteral", [_text(organisation["address"], "fr")])])
    yield _web_resource(base, key, organisation["homepage"])


def _qualification_nodes(
    base: str, qualification: Mapping[str, Any], content: Mapping[str, Any]
) -> Iterator[str]:
    """A qualification and every node that belongs to it alone."""
    key, credits = qualification["key"], qualification.get("credits")
    body = content["organisations"][qualification["body"]]
    outcomes = [
        mint(base, "learning-outcome", f"{key}-LO{n + 1}") for n in range(len(qualification["outcomes"]))
    ]
    yield _qualification_node(base, qualification, content, outcomes)
    identifier = [("skos:notation", [_plain(key)]), ("elm:schemeName", [_plain(IDENTIFIER_SCHEME)])]
    yield _node(mint(base, "identifier", key), "elm:Identifier", identifier)
    for outcome, spec in zip(outcomes, qualification["outcomes"], strict=True):
        yield _outcome_node(base, outcome, spec)
    entry = qualification.get("entry") or content["entry_requirements"][qualification["eqf"]]
    yield _node(mint(base, "note", f"{key}-entry"), "elm:Note", [("elm:noteLiteral", _texts(entry))])
    if credits:
        framework, points = CREDIT_FRAMEWORKS[credits[0]], str(credits[1])
        credit = [("elm:framework", [_iri(framework)]), ("elm:point", [_plain(points)])]
        yield _node(mint(base, "credit-point", key), "elm:CreditPoint", credit)
    yield _web_resource(base, key, f"{body['homepage']}/qualifications/{key.lower()}")
    yield from _award_nodes(base, key, qualification["body"], body)


def _qualification_node(
    base: str, qualification: Mapping[str, Any], content: Mapping[str, Any], outcomes: Sequence[str]
) -> str:
    """The elm:Qualification node itself (Annex VI elements, see docs/elm-profile.md)."""
    key, level = qualification["key"], qualification["eqf"]
    credit_points = [_iri(mint(base, "credit-point", key))] if qualification.get("credits") else []
    languages = [_iri(EU_LANGUAGE + code) for code in qualification.get("languages", ["FRA"])]
    return _node(
        mint(base, "qualification", key),
        "elm:Qualification",
        [
            ("adms:identifier", [_iri(mint(base, "identifier", key))]),
            ("dct:title", _texts(qualification["title"])),
            ("dct:description", _texts(qualification["description"])),
            ("dct:language", languages),
            ("elm:EQFLevel", [_iri(f"{EQF}{level}")]),
            ("elm:NQFLevel", [_iri(content["nqf_levels"][level])]),
            ("elm:ISCEDFCode", [_iri(ISCED_F + qualification["isced"])]),
            ("elm:learningOutcome", [_iri(outcome) for outcome in outcomes]),
            ("elm:entryRequirement", [_iri(mint(base, "note", f"{key}-entry"))]),
            ("elm:creditPoint", credit_points),
            ("elm:volumeOfLearning", [_typed(f"PT{qualification['hours']}H", "duration")]),
            ("elm:awardingOpportunity", [_iri(mint(base, "awarding-opportunity", key))]),
            ("elm:accreditation", [_iri(mint(base, "accreditation", key))]),
            ("foaf:homepage", [_iri(mint(base, "web-resource", key))]),
            ("dct:publisher", [_iri(mint(base, "organisation", content["publisher"]))]),
            ("dct:modified", [_typed(content["modified"], "dateTime")]),
        ],
    )


def _outcome_node(base: str, outcome: str, spec: Mapping[str, Any]) -> str:
    """One learning outcome: bilingual title, skill type, R&A marker, related ESCO skills."""
    marker = [_iri(mint(base, "note", RESPONSIBILITY_AND_AUTONOMY_KEY))] if spec["type"] == "autonomy" else []
    return _node(
        outcome,
        "elm:LearningOutcome",
        [
            ("dct:title", _texts(spec)),
            ("dct:type", [_iri(SKILL_TYPES[spec["type"]])]),
            ("elm:additionalNote", marker),
            ("elm:relatedESCOSkill", [_iri(ESCO_SKILL + uuid) for uuid in spec.get("esco", [])]),
        ],
    )


def _award_nodes(base: str, key: str, body_key: str, body: Mapping[str, Any]) -> Iterator[str]:
    """Who awards the qualification, where, and the accreditation that covers it."""
    qualification = mint(base, "qualification", key)
    yield _node(
        mint(base, "awarding-opportunity", key),
        "elm:AwardingOpportunity",
        [
            ("elm:awardingBody", [_iri(mint(base, "organisation", body_key))]),
            ("elm:learningAchievementSpecification", [_iri(qualification)]),
            ("elm:location", [_iri(mint(base, "location", body_key))]),
        ],
    )
    accreditation = body["accreditation"]
    yield _node(
        mint(base, "accreditation", key),
        "elm:Accreditation",
        [
            ("dct:type", [_iri(demo_content()["accreditation_types"][accreditation["type"]])]),
            ("dct:title", _texts(ACCREDITATION_TITLES[accreditation["type"]])),
            ("elm:accreditingAgent", [_iri(mint(base, "organisation", accreditation["agent"]))]),
            ("elm:organisation", [_iri(mint(base, "organisation", body_key))]),
            ("elm:limitQualification", [_iri(qualification)]),
            ("dct:issued", [_typed(ACCREDITATION_ISSUED, "dateTime")]),
            ("elm:expiryDate", [_typed(ACCREDITATION_EXPIRES, "dateTime")]),
        ],
    )
