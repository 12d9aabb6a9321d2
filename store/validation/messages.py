"""Plain-language field names and messages for SHACL results, for qualification experts, not RDF experts.

Each constraint words its own failure (`constraints`); this module names the field, words sh:closed, and
names the defects of the official shapes.
"""

from __future__ import annotations

from store.validation.constraints.wording import local_name, show
from store.validation.engine import RawResult


def field_name(result: RawResult) -> str:
    """The readable name of the field a result is about."""
    if result.constraint is None and result.path is not None:  # sh:closed: the property not allowed
        return local_name(result.path.value)
    if result.source.name:
        return result.source.name
    if result.path is not None:
        return local_name(result.path.value)
    return result.source.label or local_name(result.top.iri)


def message(result: RawResult, field: str) -> str:
    """One sentence saying what is wrong with the field and what the profile expects."""
    capitalised, value = field[:1].upper() + field[1:], show(result.value)
    if result.constraint is None:
        return f"{capitalised} ({value}) is not allowed here: the profile does not define this property on " \
            "this node."
    return result.constraint.message(capitalised, value, result.source)


_MDR = "http://data.europa.eu/snb/model/ap/loq-constraints-mdr/"
# The defects of the official shapes that NQDB's copy corrects (docs/validation.md, "Known defects").
KNOWN_DEFECTS: dict[str, tuple[str, str]] = {
    _MDR + "EscoSkillRestriction": (
        "ESCO skill scheme pattern",
        "the official LOQ-constraints-mdr.ttl 1.1.0 requires a linked skill's skos:inScheme to start with "
        "https://ec.europa.eu/esco/skill/, which rejects every real ESCO skill "
        "(in <http://data.europa.eu/esco/concept-scheme/skills>)"),
    _MDR + "EscoOccupationRestriction": (
        "ESCO occupation scheme pattern",
        "the official LOQ-constraints-mdr.ttl 1.1.0 requires a linked occupation's skos:inScheme to start "
        "with http://data.europa.eu/esco/occupation, which rejects every real ESCO occupation "
        "(in <http://data.europa.eu/esco/concept-scheme/occupations>)"),
}


def defect(shape_iri: str) -> tuple[str, str]:
    """The name of the defect in the official definition of a shape NQDB patched, and what it gets wrong."""
    return KNOWN_DEFECTS.get(shape_iri, (f"{local_name(shape_iri)} differs",
                                         f"the official and NQDB definitions of {shape_iri} differ"))
