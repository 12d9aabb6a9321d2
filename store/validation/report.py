"""Serialise a ValidationReport: a SHACL report graph (Turtle), stable JSON, and plain text."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, cast

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from store.core.namespaces import RDF, RDFS, SH, XSD
from store.validation.messages import defect
from store.validation.shapes import OFFICIAL_SHAPE_FILES, SHAPE_FILES

if TYPE_CHECKING:
    from store.validation.profile import OfficialVerdict, ValidationReport, Violation

_PREFIXES = {"sh": SH, "xsd": XSD, "rdfs": RDFS, "elm": "http://data.europa.eu/snb/model/elm/"}
_KEYS = ("focus", "qualification", "node_type", "path", "field", "constraint", "value", "message", "severity",
         "shape")
_NODES_NAMED, _MESSAGES_PER_NODE = 5, 3   # how much of the shared nodes at fault a summary line names


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
               Triple(root, sh["conforms"], conforms),
               Triple(root, NamedNode(RDFS + "comment"), Literal(" ".join(summary(report)), language="en"))]
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


def _violation_json(v: Violation) -> dict[str, object]:
    out: dict[str, object] = {k: getattr(v, k) for k in _KEYS}
    if v.defect is not None:
        out["defect"] = v.defect
    return out


def official_json(official: OfficialVerdict) -> dict[str, object]:
    """The verdict under the official shapes: counts, the defects behind the difference, examples."""
    return {
        "conforms": official.conforms,
        "shapes": [p.name for p in OFFICIAL_SHAPE_FILES],
        "violation_count": official.violation_count,
        "defects": [{"shape": iri, "defect": defect(iri)[0], "explanation": defect(iri)[1], "violations": n}
                    for iri, n in official.defects],
        "only_official_count": official.only_official_count,
        "only_nqdb_count": official.only_nqdb_count,
        "only_official": [_violation_json(v) for v in official.only_official],
        "only_nqdb": [_violation_json(v) for v in official.only_nqdb],
    }


def to_json(report: ValidationReport) -> dict[str, object]:
    """Stable keys: conforms, qualifications, nonconforming_qualifications, nonconforming_shared_nodes,
    violation_count, violations, summary, shapes, official (the verdict under the official shapes)."""
    out: dict[str, object] = {
        "conforms": report.conforms,
        "qualifications": report.qualifications,
        "nonconforming_qualifications": sorted(report.nonconforming_qualifications()),
        "nonconforming_shared_nodes": list(report.nonconforming_shared_nodes()),
        "violation_count": len(report.violations),
        "violations": [_violation_json(v) for v in report.violations],
        "summary": summary(report),
        "shapes": [p.name for p in SHAPE_FILES],
    }
    if report.official is not None:
        out["official"] = official_json(report.official)
    return out


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _phrase(message: str) -> str:
    """A message as part of a sentence: no final stop, a lower-case start unless it is an acronym."""
    text = message.rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _shared_nodes(report: ValidationReport) -> str:
    """The shared nodes at fault, each with its type and what is wrong (the first few of each)."""
    nodes = report.nonconforming_shared_nodes()
    parts = []
    for node in nodes[:_NODES_NAMED]:
        found = [v for v in report.violations if v.focus == node and v.qualification is None]
        kind = f" ({found[0].node_type})" if found[0].node_type else ""
        messages = list(dict.fromkeys(_phrase(v.message) for v in found))
        more = ", …" if len(messages) > _MESSAGES_PER_NODE else ""
        parts.append(f"<{node}>{kind}: " + ", ".join(messages[:_MESSAGES_PER_NODE]) + more)
    more = f"; and {len(nodes) - _NODES_NAMED} more" if len(nodes) > _NODES_NAMED else ""
    return "; ".join(parts) + more


def _headline(report: ValidationReport) -> str:
    """What the JSON says, in one sentence: never "conforms" for zero qualifications."""
    n, problems = report.qualifications, _plural(len(report.violations), "problem", "problems")
    shared = report.nonconforming_shared_nodes()
    nodes = "1 shared node does" if len(shared) == 1 else f"{len(shared)} shared nodes do"
    if n == 0:
        head = "No ELM qualification in it (no elm:Qualification node): nothing was judged against LOQ"
        return head + (f"; {problems} on other nodes: {_shared_nodes(report)}." if report.violations else ".")
    everyone = "The qualification conforms" if n == 1 else f"All {n} qualifications conform"
    if report.conforms:
        return f"{everyone} to the LOQ profile."
    bad = len(report.nonconforming_qualifications())
    if bad == 0:
        return f"{everyone}, but {nodes} not ({problems}): {_shared_nodes(report)}."
    head = f"{bad} of {_plural(n, 'qualification', 'qualifications')} do not conform ({problems})"
    return head + (f"; {nodes} not either: {_shared_nodes(report)}." if shared else ".")


def _official_line(official: OfficialVerdict) -> str:
    """The verdict under the official shapes, with the defects that make it differ named and counted."""
    files = " + ".join(p.name for p in OFFICIAL_SHAPE_FILES)
    if official.same_as_nqdb:
        return f"The official shapes ({files}) give the same verdict."
    verdict = "conforms" if official.conforms else \
        f"does not conform ({_plural(official.violation_count, 'problem', 'problems')})"
    change = [f"{official.only_official_count} more" if official.only_official_count else "",
              f"{official.only_nqdb_count} fewer" if official.only_nqdb_count else ""]
    causes = "; ".join(f"{defect(iri)[0]} ({_plural(n, 'result', 'results')}): {defect(iri)[1]}"
                       for iri, n in official.defects)
    return (f"Under the official shapes ({files}), as the Europass QDR may judge it: {verdict}; "
            f"{' and '.join(c for c in change if c)} results than NQDB's, from defects NQDB corrects: {causes}.")


def summary(report: ValidationReport) -> list[str]:
    """The verdict in a few sentences: NQDB's (and which shapes judged it), then the official shapes'."""
    lines = [_headline(report), f"Judged with {' + '.join(p.name for p in SHAPE_FILES)} "
             "(NQDB's corrected copy of the vocabulary shapes)."]
    if report.official is not None:
        lines.append(_official_line(report.official))
    return lines


def to_text(report: ValidationReport) -> str:
    """Per qualification, which field is wrong and why; nodes owned by no single qualification last."""
    lines = summary(report)
    if report.conforms:
        return "\n".join(lines) + "\n"
    groups: dict[str, list[Violation]] = defaultdict(list)
    for v in report.violations:
        groups[v.qualification or ""].append(v)
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
