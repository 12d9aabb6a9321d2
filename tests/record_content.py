"""ELM content of register records for the tests: one conforming qualification, its nodes under its IRI."""

from __future__ import annotations

from store.core.iris import mint
from tests.conftest import BASE

ORG_A = mint(BASE, "organisation", "ORG-A")
ORG_B = mint(BASE, "organisation", "ORG-B")


def record_iri(key: str) -> str:
    """The qualification IRI of record `key` under the test base URL."""
    return mint(BASE, "qualification", key)


def record_turtle(key: str, title: str = "Certificate in Plumbing", *, eqf: int = 4, organisation: str = ORG_A,
                  outcomes: tuple[str, ...] = ("Install domestic water supply systems.",
                                               "Knowledge of sanitation components."),
                  description: str = "National vocational certificate.") -> bytes:
    """Turtle of one record that conforms to the LOQ profile and has every Annex VI mandatory element."""
    q = record_iri(key)
    outcome_nodes = "".join(
        f"<{q}#lo{i}> a elm:LearningOutcome ; dct:title {_text(text)}@en ;\n"
        f"    dct:type <http://data.europa.eu/snb/skill-type/{'skill' if i % 2 else 'knowledge'}> .\n"
        for i, text in enumerate(outcomes, start=1))
    links = " , ".join(f"<{q}#lo{i}>" for i in range(1, len(outcomes) + 1))
    return f"""@prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix rov: <http://www.w3.org/ns/regorg#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{q}> a elm:Qualification ;
    adms:identifier <{q}#id> ;
    dct:title {_text(title)}@en ;
    dct:description {_text(description)}@en ;
    dct:language <http://publications.europa.eu/resource/authority/language/ENG> ;
    elm:EQFLevel <http://data.europa.eu/snb/eqf/{eqf}> ;
    elm:NQFLevel <http://data.europa.eu/snb/qdr/c_38f52397> ;
    elm:ISCEDFCode <http://data.europa.eu/snb/isced-f/0732> ;
    {"elm:learningOutcome " + links + " ;" if outcomes else ""}
    elm:learningOutcomeSummary <{q}#los> ;
    elm:awardingOpportunity <{q}#award> ;
    dct:publisher <{organisation}> .
<{q}#id> a elm:Identifier ; skos:notation {_text(key)} ; elm:schemeName "National Qualifications Database" .
<{q}#los> a elm:Note ; elm:noteLiteral "Knowledge, skills, responsibility and autonomy."@en .
<{q}#award> a elm:AwardingOpportunity ; elm:awardingBody <{organisation}> ;
    elm:learningAchievementSpecification <{q}> ; elm:location <{q}#where> .
<{q}#where> a dct:Location ; elm:address <{q}#address> .
<{q}#address> a elm:Address ;
    elm:countryCode <http://publications.europa.eu/resource/authority/country/IRL> .
<{organisation}> a elm:Organisation ; rov:legalName "Awarding body"@en ; elm:location <{q}#where> .
{outcome_nodes}""".encode()


def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
