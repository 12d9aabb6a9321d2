"""Plain-language field names and messages for SHACL results, for qualification experts, not RDF experts."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from store.validation.engine import RawResult
from store.validation.shapes import Constraint, Shape, Term


def local_name(iri: str) -> str:
    """The last segment of an IRI: elm:EQFLevel -> EQFLevel."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def field_name(result: RawResult) -> str:
    """The readable name of the field a result is about."""
    if result.component.endswith("ClosedConstraintComponent") and result.path is not None:
        return local_name(result.path.value)
    if result.source.name:
        return result.source.name
    if result.path is not None:
        return local_name(result.path.value)
    return result.source.label or local_name(result.top.iri)


def show(value: Term | None) -> str:
    """A value as a reader recognises it: <iri>, "text"@lang, or a blank-node mention."""
    if value is None:
        return ""
    if isinstance(value, NamedNode):
        return f"<{value.value}>"
    if isinstance(value, BlankNode):
        return "an unnamed node"
    lang = f"@{value.language}" if isinstance(value, Literal) and value.language else ""
    return f'"{value.value}"{lang}'


def _constraint(result: RawResult) -> Constraint | None:
    for c in result.source.constraints:
        if c.component == result.component:
            return c
    return None


def _count_rule(shape: Shape) -> str:
    counts = {c.kind: c.value for c in shape.constraints if c.kind in ("minCount", "maxCount")}
    low, high = counts.get("minCount"), counts.get("maxCount")
    if low is not None and low == high:
        return "exactly one is required" if low == 1 else f"exactly {low} are required"
    if low is not None:
        return "at least one is required" if low == 1 else f"at least {low} are required"
    return "at most one is allowed" if high == 1 else f"at most {high} are allowed"


def message(result: RawResult, field: str) -> str:
    """One sentence saying what is wrong with the field and what the profile expects."""
    kind = result.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    c, v, Field = _constraint(result), show(result.value), field[:1].upper() + field[1:]
    param = c.value if c is not None else None
    if kind == "MinCount":
        return f"{Field} is missing ({_count_rule(result.source)})."
    if kind == "MaxCount":
        return f"{Field} has too many values ({_count_rule(result.source)})."
    if kind == "Closed":
        return f"{Field} ({v}) is not allowed here: the profile does not define this property on this node."
    if kind == "Class" and isinstance(param, NamedNode):
        what = "a concept from a controlled vocabulary" if param.value.endswith("#Concept") else \
            f"a {local_name(param.value)}"
        return f"{Field} value {v} is not {what} known to the database."
    if kind == "Datatype" and isinstance(param, NamedNode):
        what = "text with a language tag" if param.value.endswith("#langString") else \
            f"a valid {local_name(param.value)}"
        return f"{Field} value {v} must be {what}."
    if kind == "Node":
        target = param.label if isinstance(param, Shape) and param.label else "the expected vocabulary"
        return f"{Field} value {v} does not satisfy: {target}."
    texts = {
        "UniqueLang": f"{Field} has more than one value in the same language (one per language is allowed).",
        "Pattern": f"{Field} value {v} is not in the required format (a web address starts with http).",
        "Disjoint": f"{Field} repeats the value {v}, which is already used for "
                    f"{local_name(param.value) if isinstance(param, NamedNode) else 'another field'}.",
        "HasValue": f"{Field} must include {show(param if isinstance(param, NamedNode) else None)}.",
        "In": f"{Field} value {v} is not one of the allowed values.",
        "NodeKind": f"{Field} value {v} has the wrong kind of value (a link, a text or a nested node).",
        "Or": f"{Field} value {v} is none of the allowed kinds of value.",
        "And": f"{Field} value {v} does not meet all the required conditions.",
    }
    return texts.get(kind, result.source.message or f"{Field} breaks the rule {kind}.")


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
