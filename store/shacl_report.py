"""Serialise a ValidationReport: a SHACL report graph (Turtle), stable JSON, and plain text."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, cast

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from store.namespaces import RDF, SH, XSD

if TYPE_CHECKING:
    from store.validation import ValidationReport, Violation

_PREFIXES = {"sh": SH, "xsd": XSD, "elm": "http://data.europa.eu/snb/model/elm/"}


def _node(text: str) -> NamedNode | BlankNode:
    return BlankNode(text[2:]) if text.startswith("_:") else NamedNode(text)


def _value(v: Violation) -> NamedNode | BlankNode | Literal | None:
    if v.value_term is None:
        return None
    term = next(iter(parse(f"<urn:s> <urn:p> {v.value_term} .", format=RdfFormat.N_TRIPLES))).object
    return cast(NamedNode | BlankNode | Literal, term)


def to_turtle(report: ValidationReport) -> str:
    """A real sh:ValidationReport: sh:conforms and one sh:result per violation."""
    sh = {k: NamedNode(SH + k) for k in (
        "ValidationReport", "ValidationResult", "conforms", "result", "focusNode", "resultPath", "value",
        "sourceShape", "sourceConstraintComponent", "resultSeverity", "resultMessage")}
    root = BlankNode()
    conforms = Literal(str(report.conforms).lower(), datatype=NamedNode(XSD + "boolean"))
    triples = [Triple(root, NamedNode(RDF + "type"), sh["ValidationReport"]),
               Triple(root, sh["conforms"], conforms)]
    for v in report.violations:
        r = BlankNode()
        triples += [Triple(root, sh["result"], r), Triple(r, NamedNode(RDF + "type"), sh["ValidationResult"]),
                    Triple(r, sh["focusNode"], _node(v.focus)), Triple(r, sh["sourceShape"], _node(v.shape)),
                    Triple(r, sh["sourceConstraintComponent"], NamedNode(v.constraint)),
                    Triple(r, sh["resultSeverity"], NamedNode(v.severity)),
                    Triple(r, sh["resultMessage"], Literal(v.message, language="en"))]
        if v.path is not None:
            triples.append(Triple(r, sh["resultPath"], NamedNode(v.path)))
        value = _value(v)
        if value is not None:
            triples.append(Triple(r, sh["value"], value))
    out = serialize(triples, format=RdfFormat.TURTLE, prefixes=_PREFIXES)
    return out.decode("utf-8") if out is not None else ""


def to_json(report: ValidationReport) -> dict[str, object]:
    """Stable keys: conforms, qualifications, nonconforming_qualifications, violation_count, violations."""
    keys = ("focus", "qualification", "path", "field", "constraint", "value", "message", "severity", "shape")
    return {
        "conforms": report.conforms,
        "qualifications": report.qualifications,
        "nonconforming_qualifications": sorted(report.nonconforming_qualifications()),
        "violation_count": len(report.violations),
        "violations": [{k: getattr(v, k) for k in keys} for v in report.violations],
    }


def to_text(report: ValidationReport) -> str:
    """Per qualification, which field is wrong and why; nodes owned by no single qualification last."""
    if report.conforms:
        return f"All {report.qualifications} qualifications conform to the LOQ profile."
    groups: dict[str, list[Violation]] = defaultdict(list)
    for v in report.violations:
        groups[v.qualification or ""].append(v)
    bad = len(report.nonconforming_qualifications())
    lines = [f"{bad} of {report.qualifications} qualifications do not conform "
             f"({len(report.violations)} problems)."]
    for qualification in sorted(groups, key=lambda q: (q == "", q)):
        lines.append("")
        lines.append(f"Qualification {qualification}:" if qualification else "Shared or unattached nodes:")
        # The LOQ shapes and their vocabulary shapes can state the same rule twice (e.g. EQF level
        # minCount in both files): say each problem once here; JSON and Turtle keep every SHACL result.
        said: dict[str, None] = {}
        for v in groups[qualification]:
            where = "" if v.focus == qualification else f" (on {v.focus})"
            said.setdefault(f"  - {v.field}: {v.message}{where}")
        lines.extend(said)
    return "\n".join(lines) + "\n"
