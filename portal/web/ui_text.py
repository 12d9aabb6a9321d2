"""Interface wording of the resource pages in each offered language (English is the fallback)."""

from __future__ import annotations

import re

UI: dict[str, dict[str, str]] = {
    "en": {
        "qualification": "Qualification", "organisation": "Organisation", "concept": "Concept",
        "dataset": "Dataset", "resource": "Resource", "language": "Language", "description": "Description",
        "field": "Field of education and training (ISCED-F)", "country": "Country or region",
        "eqf": "EQF level", "nqf": "NQF level", "outcomes": "Learning outcomes",
        "knowledge": "Knowledge", "skills": "Skills",
        "responsibility": "Responsibility and autonomy", "esco": "ESCO skills",
        "awarding": "Awarding body", "credits": "Credit points", "volume": "Notional workload",
        "quality": "Quality assurance", "entry": "Entry requirements", "ways": "Ways to acquire",
        "languages": "Language of the qualification", "homepage": "More information",
        "supplement": "Supplement", "identifier": "Identifier", "publisher": "Source of information",
        "modified": "Last updated", "not_stated": "Not stated",
        "fallback": "Not available in English; shown in",
        "other_formats": "This page as data", "qualifications": "Qualifications",
        "awards": "Qualifications it awards", "using": "Qualifications with this concept",
        "scheme": "In scheme", "property": "Property", "value": "Value", "issued": "Issued",
        "expires": "Valid until", "triples": "Triples", "conforms": "Conforms to the LOQ profile",
        "score": "Annex VI completeness", "previous": "Previous", "next": "Next", "page": "Page",
        "of": "of", "location": "Location", "accredited_by": "accredited by", "iri": "Identifier (IRI)",
        "yes": "yes", "no": "no", "none": "None recorded.",
        "lang_en": "English", "lang_fr": "French", "hours": "hours",
    },
    "fr": {
        "qualification": "Certification", "organisation": "Organisation", "concept": "Concept",
        "dataset": "Jeu de données", "resource": "Ressource", "language": "Langue",
        "description": "Description",
        "field": "Domaine d'études et de formation (CITE-F)", "country": "Pays ou région",
        "eqf": "Niveau CEC", "nqf": "Niveau du cadre national", "outcomes": "Acquis d'apprentissage",
        "knowledge": "Savoirs", "skills": "Aptitudes",
        "responsibility": "Responsabilité et autonomie", "esco": "Compétences ESCO",
        "awarding": "Organisme certificateur", "credits": "Crédits", "volume": "Charge de travail théorique",
        "quality": "Assurance qualité", "entry": "Conditions d'accès", "ways": "Modes d'acquisition",
        "languages": "Langue de la certification", "homepage": "Plus d'informations",
        "supplement": "Supplément", "identifier": "Identifiant", "publisher": "Source de l'information",
        "modified": "Dernière mise à jour", "not_stated": "Non précisé",
        "fallback": "Non disponible en français ; affiché en",
        "other_formats": "Cette page en données", "qualifications": "Certifications",
        "awards": "Certifications délivrées", "using": "Certifications liées à ce concept",
        "scheme": "Dans le référentiel", "property": "Propriété", "value": "Valeur", "issued": "Délivré le",
        "expires": "Valable jusqu'au", "triples": "Triplets", "conforms": "Conforme au profil LOQ",
        "score": "Complétude annexe VI", "previous": "Précédente", "next": "Suivante", "page": "Page",
        "of": "sur", "location": "Lieu", "accredited_by": "accrédité par", "iri": "Identifiant (IRI)",
        "yes": "oui", "no": "non", "none": "Rien n'est enregistré.",
        "lang_en": "anglais", "lang_fr": "français", "hours": "heures",
    },
}

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands"}


_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


def workload_hours(duration: str) -> int | None:
    """Hours in an xsd:duration made of days, hours and minutes (P37DT12H -> 900), else None."""
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * 24 + hours + round(minutes / 60)


def ui_text(language: str) -> dict[str, str]:
    """The wording for `language`, English for anything we have not translated."""
    return {**UI["en"], **UI.get(language, {})}
