"""Validate a dataset graph against the Europass QDR LOQ application profile (see docs/validation.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode

from store import shacl_report
from store.namespaces import ELM
from store.shacl_engine import Evaluator, RawResult
from store.shacl_messages import field_name, message
from store.shacl_shapes import Node, loq_shapes

QUALIFICATION = ELM + "Qualification"
_MAX_FAN_IN = 50     # a node reached by more nodes than this is shared (an awarding body), not owned
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the field named and the problem said in plain words."""

    focus: str                 # focus node IRI, or "_:label" for a blank node
    qualification: str | None  # the elm:Qualification the focus node belongs to, if exactly one
    path: str | None           # property IRI
    field: str                 # plain name of the field, e.g. "EQF level"
    constraint: str            # SHACL constraint component IRI
    value: str | None          # offending value (IRI or lexical form), if any
    message: str               # a sentence a qualification expert understands
    severity: str              # sh:Violation / sh:Warning / sh:Info IRI
    shape: str                 # source shape IRI (the node shape, when the property shape is blank)
    # The offending value in N-Triples syntax (for to_turtle); not part of equality.
    value_term: str | None = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one data graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    qualifications: int        # how many elm:Qualification focus nodes were checked

    def nonconforming_qualifications(self) -> frozenset[str]:
        """Qualifications with at least one violation on themselves or a node they own."""
        return frozenset(v.qualification for v in self.violations if v.qualification is not None)

    def to_turtle(self) -> str:
        """A SHACL sh:ValidationReport graph in Turtle."""
        return shacl_report.to_turtle(self)

    def to_json(self) -> dict[str, object]:
        """A machine-readable report with stable keys."""
        return shacl_report.to_json(self)

    def to_text(self) -> str:
        """A human-readable report, grouped per qualification."""
        return shacl_report.to_text(self)


def node_id(node: Node) -> str:
    """An IRI as is, a blank node as "_:label"."""
    return node.value if isinstance(node, NamedNode) else f"_:{node.value}"


class _Owners:
    """Finds the qualification a node belongs to by walking incoming links back (bounded)."""

    def __init__(self, store: pyoxigraph.Store, graph: NamedNode, evaluator: Evaluator) -> None:
        self.store, self.graph, self.ev = store, graph, evaluator
        self.cache: dict[Node, str | None] = {}

    def of(self, node: Node) -> str | None:
        if node not in self.cache:
            self.cache[node] = self._walk(node)
        return self.cache[node]

    def _walk(self, node: Node) -> str | None:
        frontier, seen = {node}, {node}
        for _ in range(_MAX_DEPTH + 1):
            found = {n for n in frontier if self.ev.is_instance(n, QUALIFICATION)}
            if found:
                return node_id(found.pop()) if len(found) == 1 else None
            parents: set[Node] = set()
            for n in frontier:
                quads = self.store.quads_for_pattern(None, None, n, self.graph)
                parents.update(cast(Node, q.subject) for q in quads)
                if len(parents) > _MAX_FAN_IN:
                    return None
            frontier = parents - seen
            seen |= frontier
            if not frontier:
                return None
        return None


def _violation(raw: RawResult, owners: _Owners) -> Violation:
    name = field_name(raw)
    shape = raw.source if isinstance(raw.source.node, NamedNode) else raw.top
    return Violation(
        focus=node_id(raw.focus), qualification=owners.of(raw.focus),
        path=raw.path.value if raw.path is not None else None, field=name, constraint=raw.component,
        value=raw.value.value if raw.value is not None and not isinstance(raw.value, BlankNode)
        else (f"_:{raw.value.value}" if raw.value is not None else None),
        message=message(raw, name), severity=raw.source.severity, shape=shape.iri,
        value_term=str(raw.value) if raw.value is not None else None,
    )


def validate_graph(ox_store: pyoxigraph.Store, data_graph: str,
                   vocabulary_graphs: Sequence[str]) -> ValidationReport:
    """Validate every focus node of a dataset graph; vocabulary graphs supply the concepts it references."""
    graph = NamedNode(data_graph)
    ev = Evaluator(ox_store, graph, [NamedNode(g) for g in vocabulary_graphs], loq_shapes())
    raw: list[RawResult] = []
    qualifications = 0
    qualification_types = ev.accepting(QUALIFICATION)
    for focus, view in ev.focus_nodes():
        types = ev.types_of(focus)
        if not types:
            continue
        shapes = ev.shapes_for(types)
        if not shapes:
            continue
        if not types.isdisjoint(qualification_types):
            qualifications += 1
        if ev.is_vocabulary_subject(focus):
            view = ev.merge_vocabulary(focus, view)
        for shape in shapes:
            ev.evaluate(shape, focus, view, shape, raw)
    owners = _Owners(ox_store, graph, ev)
    violations = tuple(_violation(r, owners) for r in raw)
    # SHACL: a graph conforms only when there is no result at all, whatever its severity.
    return ValidationReport(conforms=not violations, violations=violations, qualifications=qualifications)
