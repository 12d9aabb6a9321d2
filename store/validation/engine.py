"""A streaming SHACL Core evaluator over one pyoxigraph named graph, with memoised vocabulary lookups.

The data graph is read once, grouped by subject (the store's GSPO order), so each focus node's triples
arrive together; rdf:type facts of every node (data and vocabulary graphs) are indexed first so that
sh:class checks on value nodes are dictionary lookups (literals, never typed, are never looked up). Value
nodes that a nested shape must inspect (sh:node, sh:or, sh:and) are fetched on demand and, for IRIs, the
verdict is memoised. What each constraint checks is its class's business (`constraints`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from pyoxigraph import Literal, NamedNode, Quad, Store

from store.core import execute
from store.core.namespaces import RDF, RDFS, SH
from store.validation.constraints.base import Constraint, Node, Term, View
from store.validation.shapes import Shape, ShapesGraph

_TYPE = NamedNode(RDF + "type")
_SUBCLASS = NamedNode(RDFS + "subClassOf")
_CLOSED = SH + "ClosedConstraintComponent"
_EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RawResult:
    """One SHACL validation result, still as store terms."""

    focus: Term            # a literal only while a value node is checked against a shape (never reported)
    path: NamedNode | None
    constraint: Constraint | None  # None for sh:closed, which the node shape itself states
    value: Term | None
    source: Shape          # the shape holding the failed constraint (a property shape for most results)
    top: Shape             # the targeted node shape the focus node was validated against

    @property
    def component(self) -> str:
        """The SHACL constraint component IRI."""
        return self.constraint.component if self.constraint is not None else _CLOSED


_VOCABULARY_TYPES: dict[tuple[tuple[str, int], ...], dict[Node, frozenset[str]]] = {}


def _vocabulary_types(store: Store, vocabularies: Sequence[NamedNode]) -> dict[Node, frozenset[str]]:
    """rdf:type of every vocabulary node, cached per process by the vocabulary graphs and their sizes.

    Vocabularies only change when `nqdb init` reloads them, so every import in a process reuses one
    index instead of rescanning ~200k concepts (ESCO, languages, regions) each time.
    """
    key = tuple((g.value, _graph_size(store, g)) for g in vocabularies)
    found = _VOCABULARY_TYPES.get(key)
    if found is None:
        collected: dict[Node, set[str]] = {}
        for graph in vocabularies:
            for quad in store.quads_for_pattern(None, _TYPE, None, graph):
                if isinstance(quad.object, NamedNode):
                    collected.setdefault(cast(Node, quad.subject), set()).add(quad.object.value)
        interned: dict[frozenset[str], frozenset[str]] = {}
        found = {node: interned.setdefault(frozenset(t), frozenset(t)) for node, t in collected.items()}
        _VOCABULARY_TYPES.clear()  # keep one index: a refreshed vocabulary replaces the old one
        _VOCABULARY_TYPES[key] = found
    return found


def _graph_size(store: Store, graph: NamedNode) -> int:
    rows = execute.select(store, "count_graph_triples", {"graph": graph.value})
    return int(rows[0]["triples"].value) if rows else 0


class Evaluator:
    """Validates the focus nodes of one data graph against compiled shapes."""

    def __init__(self, store: Store, data_graph: NamedNode, vocabularies: Sequence[NamedNode],
                 shapes: ShapesGraph, official: Sequence[Shape] = ()) -> None:
        self.store, self.data_graph, self.shapes = store, data_graph, shapes
        self.official = tuple(official)  # official twins of the patched targeted shapes (docs/validation.md)
        self.graphs = frozenset([data_graph, *vocabularies])
        self.vocabularies = tuple(vocabularies)
        self.vocabulary_types = _vocabulary_types(store, self.vocabularies)
        self.types = self._index_types()  # data-graph nodes (with their vocabulary types merged in)
        self.superclasses = self._subclass_closure()
        self._accepting: dict[str, frozenset[str]] = {}
        self._targets: dict[frozenset[str], tuple[Shape, ...]] = {}
        self._official_targets: dict[frozenset[str], tuple[Shape, ...]] = {}
        self._memo: dict[tuple[int, Term], bool] = {}

    def _index_types(self) -> dict[Node, frozenset[str]]:
        interned: dict[frozenset[str], frozenset[str]] = {}
        collected: dict[Node, set[str]] = {}
        for quad in self.store.quads_for_pattern(None, _TYPE, None, self.data_graph):
            if isinstance(quad.object, NamedNode):
                collected.setdefault(cast(Node, quad.subject), set()).add(quad.object.value)
        out: dict[Node, frozenset[str]] = {}
        for node, types in collected.items():
            key = frozenset(types | self.vocabulary_types.get(node, _EMPTY))
            out[node] = interned.setdefault(key, key)
        return out

    def types_of(self, node: Term) -> frozenset[str]:
        """The rdf:types of a node in the data or vocabulary graphs."""
        if isinstance(node, Literal):  # never a subject; hashing a 15 MB text to find that out is not free
            return _EMPTY
        return self.types.get(node) or self.vocabulary_types.get(node, _EMPTY)

    def is_vocabulary_subject(self, node: Node) -> bool:
        """True for a node that a vocabulary graph types (a concept stub repeated in the data)."""
        return node in self.vocabulary_types

    def _subclass_closure(self) -> dict[str, set[str]]:
        direct: dict[str, set[str]] = {}
        for graph in self.graphs:
            for quad in self.store.quads_for_pattern(None, _SUBCLASS, None, graph):
                if isinstance(quad.subject, NamedNode) and isinstance(quad.object, NamedNode):
                    direct.setdefault(quad.subject.value, set()).add(quad.object.value)
        closure: dict[str, set[str]] = {}
        for start in direct:
            seen, todo = set(), list(direct[start])
            while todo:
                c = todo.pop()
                if c not in seen:
                    seen.add(c)
                    todo.extend(direct.get(c, ()))
            closure[start] = seen
        return closure

    def accepting(self, cls: str) -> frozenset[str]:
        """Every class whose instances are SHACL instances of cls (itself and its data-graph subclasses)."""
        found = self._accepting.get(cls)
        if found is None:
            found = frozenset({cls} | {c for c, sup in self.superclasses.items() if cls in sup})
            self._accepting[cls] = found
        return found

    def is_instance(self, value: Term, cls: str) -> bool:
        """sh:class: value has an rdf:type that is cls or a subclass of it."""
        return not self.types_of(value).isdisjoint(self.accepting(cls))

    def shapes_for(self, types: frozenset[str]) -> tuple[Shape, ...]:
        """The targeted shapes whose sh:targetClass covers one of these types."""
        return self._covering(self.shapes.targeted, types, self._targets)

    def official_shapes_for(self, types: frozenset[str]) -> tuple[Shape, ...]:
        """The official twins of patched targeted shapes whose sh:targetClass covers one of these types."""
        return self._covering(self.official, types, self._official_targets)

    def _covering(self, shapes: tuple[Shape, ...], types: frozenset[str],
                  cache: dict[frozenset[str], tuple[Shape, ...]]) -> tuple[Shape, ...]:
        found = cache.get(types)
        if found is None:
            found = tuple(s for s in shapes
                          if any(not types.isdisjoint(self.accepting(t.value)) for t in s.targets))
            cache[types] = found
        return found

    def view_of(self, node: Term) -> View:
        """All triples about a node in the data and vocabulary graphs, by predicate."""
        view: View = {}
        if isinstance(node, Literal):
            return view
        for quad in self.store.quads_for_pattern(node, None, None, None):
            if quad.graph_name in self.graphs:
                values = view.setdefault(quad.predicate, [])
                if quad.object not in values:
                    values.append(cast(Term, quad.object))
        return view

    def focus_nodes(self) -> Iterator[tuple[Node, View]]:
        """Each subject of the data graph with its triples (vocabulary triples about it merged in)."""
        current: Node | None = None
        view: View = {}
        quad: Quad
        for quad in self.store.quads_for_pattern(None, None, None, self.data_graph):
            subject = cast(Node, quad.subject)
            if subject != current:
                if current is not None:
                    yield current, view
                current, view = subject, {}
            values = view.get(quad.predicate)
            if values is None:
                view[quad.predicate] = [cast(Term, quad.object)]
            else:
                values.append(cast(Term, quad.object))
        if current is not None:
            yield current, view

    def merge_vocabulary(self, node: Node, view: View) -> View:
        """Add what vocabulary graphs say about a data-graph node (a concept stub repeated in the data)."""
        merged = self.view_of(node)
        for p, values in view.items():
            target = merged.setdefault(p, [])
            target.extend(v for v in values if v not in target)
        return merged

    def conforms(self, shape: Shape, value: Term) -> bool:
        """Whether a value node conforms to a shape (sh:node, sh:or, sh:and members)."""
        if shape.deactivated:
            return True
        key = (id(shape), value)
        if isinstance(value, NamedNode) and key in self._memo:
            return self._memo[key]
        needs_view = shape.path is not None or shape.properties or shape.closed or any(
            c.reads_view for c in shape.constraints)
        out: list[RawResult] = []
        self.evaluate(shape, value, self.view_of(value) if needs_view else {}, shape, out)
        verdict = not out
        if isinstance(value, NamedNode):
            self._memo[key] = verdict
        return verdict

    def evaluate(self, shape: Shape, focus: Term, view: View, top: Shape, out: list[RawResult]) -> None:
        """Validate one focus node against a node shape or a property shape."""
        if shape.path is not None:
            self._property(shape, focus, view.get(shape.path, []), view, top, out)
            return
        self._check(shape, focus, None, [focus], view, top, out)
        for ps in shape.required:
            if ps.path not in view:
                self._property(ps, focus, [], view, top, out)
        for p, values in view.items():
            for ps in shape.by_path.get(p, ()):
                self._property(ps, focus, values, view, top, out)
            if shape.closed and p not in shape.allowed:
                out.extend(RawResult(focus, p, None, v, shape, top) for v in values)

    def _property(self, ps: Shape, focus: Term, values: list[Term], view: View, top: Shape,
                  out: list[RawResult]) -> None:
        self._check(ps, focus, ps.path, values, view, top, out)
        for nested in ps.properties:
            for v in values:
                if not isinstance(v, Literal):
                    self.evaluate(nested, v, self.view_of(v), top, out)

    def _check(self, shape: Shape, focus: Term, path: NamedNode | None, values: list[Term], view: View,
               top: Shape, out: list[RawResult]) -> None:
        """Append a result for each way the values break one of the shape's constraints."""
        for c in shape.constraints:
            if values or c.fails_when_absent:
                bad = c.failures(values, view, self)
                if bad:
                    out.extend(RawResult(focus, path, c, v, shape, top) for v in bad)
