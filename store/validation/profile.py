"""Validate a dataset graph against the Europass QDR LOQ application profile (see docs/validation.md)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import cast

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode

from store.core.namespaces import ELM
from store.validation import report as shacl_report
from store.validation.constraints.base import Node, Term
from store.validation.constraints.wording import local_name
from store.validation.engine import Evaluator, RawResult
from store.validation.messages import field_name, message
from store.validation.shapes import Shape, ShapesDifference, loq_shapes, official_difference

QUALIFICATION = ELM + "Qualification"
_MAX_FAN_IN = 50     # a node reached by more nodes than this is shared (an awarding body), not owned
_MAX_DEPTH = 4
OFFICIAL_EXAMPLES = 1000  # results only the official shapes give, kept as examples (all are counted)


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
    node_type: str | None = dataclasses.field(default=None, compare=False)  # e.g. "Organisation"
    defect: str | None = dataclasses.field(default=None, compare=False)  # patched shape behind a difference


@dataclass(frozen=True)
class OfficialVerdict:
    """The verdict under the official LOQ shapes (unpatched mdr file), as its difference from NQDB's."""

    conforms: bool
    violation_count: int                  # results under the official shapes
    defects: tuple[tuple[str, int], ...]  # (patched shape IRI, results that differ because of it)
    only_official_count: int              # results the official shapes give and NQDB's do not
    only_nqdb_count: int                  # results NQDB's shapes give and the official ones do not
    only_official: tuple[Violation, ...]  # the first OFFICIAL_EXAMPLES of them
    only_nqdb: tuple[Violation, ...]

    @property
    def same_as_nqdb(self) -> bool:
        """True when both shape sets give exactly the same results."""
        return not self.only_official_count and not self.only_nqdb_count


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one data graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    qualifications: int        # how many elm:Qualification focus nodes were checked
    official: OfficialVerdict | None = None  # the verdict under the official mdr shapes, when computed

    def nonconforming_qualifications(self) -> frozenset[str]:
        """Qualifications with at least one violation on themselves or a node they own."""
        return frozenset(v.qualification for v in self.violations if v.qualification is not None)

    def nonconforming_shared_nodes(self) -> tuple[str, ...]:
        """Nodes at fault that no single qualification owns (awarding bodies, locations), in report order."""
        return tuple(dict.fromkeys(v.focus for v in self.violations if v.qualification is None))

    def to_turtle(self) -> str:
        """A SHACL sh:ValidationReport graph in Turtle."""
        return shacl_report.to_turtle(self)

    def to_json(self) -> dict[str, object]:
        """A machine-readable report with stable keys."""
        return shacl_report.to_json(self)

    def to_text(self) -> str:
        """A human-readable report, grouped per qualification."""
        return shacl_report.to_text(self)

    def summary(self) -> list[str]:
        """The verdict in a few sentences: NQDB's, the shapes that judged it, the official shapes' verdict."""
        return shacl_report.summary(self)


def node_id(node: Term) -> str:
    """An IRI as is, a blank node as "_:label" (a literal, never a reported focus node, as its text)."""
    return f"_:{node.value}" if isinstance(node, BlankNode) else node.value


class _Owners:
    """Finds the qualification a node belongs to by walking incoming links back (bounded)."""

    def __init__(self, store: pyoxigraph.Store, graph: NamedNode, evaluator: Evaluator) -> None:
        self.store, self.graph, self.ev = store, graph, evaluator
        self.cache: dict[Term, str | None] = {}

    def of(self, node: Term) -> str | None:
        if node not in self.cache:
            self.cache[node] = self._walk(node)
        return self.cache[node]

    def _walk(self, node: Term) -> str | None:
        frontier: set[Term] = {node}
        seen = set(frontier)
        for _ in range(_MAX_DEPTH + 1):
            found = {n for n in frontier if self.ev.is_instance(n, QUALIFICATION)}
            if found:
                return node_id(found.pop()) if len(found) == 1 else None
            parents: set[Term] = set()
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


def _shape_iri(raw: RawResult) -> str:
    return (raw.source if isinstance(raw.source.node, NamedNode) else raw.top).iri


def _node_type(raw: RawResult, ev: Evaluator) -> str | None:
    """The class a reader knows the focus node by: the targeted class if it has it, else any of its types."""
    types = ev.types_of(raw.focus)
    chosen = [t.value for t in raw.top.targets if t.value in types] or sorted(types)
    return local_name(chosen[0]) if chosen else None


def _violation(raw: RawResult, owners: _Owners, ev: Evaluator, defect: str | None = None) -> Violation:
    name = field_name(raw)
    return Violation(
        focus=node_id(raw.focus), qualification=owners.of(raw.focus),
        path=raw.path.value if raw.path is not None else None, field=name, constraint=raw.component,
        value=raw.value.value if raw.value is not None and not isinstance(raw.value, BlankNode)
        else (f"_:{raw.value.value}" if raw.value is not None else None),
        message=message(raw, name), severity=raw.source.severity, shape=_shape_iri(raw),
        value_term=str(raw.value) if raw.value is not None else None,
        node_type=_node_type(raw, ev), defect=defect,
    )


def _evaluate(ev: Evaluator) -> tuple[list[RawResult], list[RawResult], int]:
    """One pass over the focus nodes: NQDB's results, the official twins' results, qualifications seen."""
    raw: list[RawResult] = []
    official: list[RawResult] = []
    qualifications = 0
    qualification_types = ev.accepting(QUALIFICATION)
    for focus, view in ev.focus_nodes():
        types = ev.types_of(focus)
        if not types:
            continue
        shapes, twins = ev.shapes_for(types), ev.official_shapes_for(types)
        if not shapes and not twins:
            continue
        if not types.isdisjoint(qualification_types):
            qualifications += 1
        if ev.is_vocabulary_subject(focus):
            view = ev.merge_vocabulary(focus, view)
        for shape in shapes:
            ev.evaluate(shape, focus, view, shape, raw)
        for shape in twins:  # the same view: the official verdict costs no extra read
            ev.evaluate(shape, focus, view, shape, official)
    return raw, official, qualifications


def _key(raw: RawResult) -> Hashable:
    """What makes two results the same result, whichever compiled shape set produced them."""
    return raw.focus, raw.path, raw.component, raw.value, _shape_iri(raw)


def _cause(raw: RawResult, patched: frozenset[str]) -> str:
    """The patched shape that makes this result differ: the one its failed constraint refers to."""
    nested = raw.constraint.nested if raw.constraint is not None else ()
    involved: list[Shape] = [*nested, raw.source, raw.top]
    return next((s.iri for s in involved if s.iri in patched), raw.top.iri)


def _minus(results: list[RawResult], others: list[RawResult]) -> list[RawResult]:
    """The results not in `others`, counting repeats (a multiset difference)."""
    left = Counter(_key(r) for r in others)
    out: list[RawResult] = []
    for r in results:
        key = _key(r)
        if left[key]:
            left[key] -= 1
        else:
            out.append(r)
    return out


def _official_verdict(raw: list[RawResult], twins: list[RawResult], difference: ShapesDifference,
                      owners: _Owners, ev: Evaluator) -> OfficialVerdict:
    replaced = [r for r in raw if r.top in difference.replaced]
    only_official, only_nqdb = _minus(twins, replaced), _minus(replaced, twins)
    causes = Counter(_cause(r, difference.patched) for r in [*only_official, *only_nqdb])
    count = len(raw) - len(replaced) + len(twins)

    def examples(results: list[RawResult]) -> tuple[Violation, ...]:
        return tuple(_violation(r, owners, ev, _cause(r, difference.patched))
                     for r in results[:OFFICIAL_EXAMPLES])

    return OfficialVerdict(
        conforms=count == 0, violation_count=count, defects=tuple(sorted(causes.items())),
        only_official_count=len(only_official), only_nqdb_count=len(only_nqdb),
        only_official=examples(only_official), only_nqdb=examples(only_nqdb))


def validate_graph(ox_store: pyoxigraph.Store, data_graph: str,
                   vocabulary_graphs: Sequence[str]) -> ValidationReport:
    """Validate every focus node of a dataset graph; vocabulary graphs supply the concepts it references.

    The verdict is NQDB's (SHAPE_FILES); the verdict under the official shapes rides along (`official`).
    """
    graph, difference = NamedNode(data_graph), official_difference()
    ev = Evaluator(ox_store, graph, [NamedNode(g) for g in vocabulary_graphs], loq_shapes(),
                   difference.official)
    raw, twins, qualifications = _evaluate(ev)
    owners = _Owners(ox_store, graph, ev)
    violations = tuple(_violation(r, owners, ev) for r in raw)
    # SHACL: a graph conforms only when there is no result at all, whatever its severity.
    return ValidationReport(conforms=not violations, violations=violations, qualifications=qualifications,
                            official=_official_verdict(raw, twins, difference, owners, ev))
