"""Compile a SHACL shapes graph into plain Python shape objects the NQDB engine can evaluate.

Only the SHACL Core features the LOQ profile uses are supported (the constraint parameters of
`constraints.registry`); any other sh: term on a shape raises UnsupportedShapeFeature, so an unknown
constraint can never pass silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import cast

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from store.core.namespaces import RDF, RDFS, SH
from store.core.paths import SHAPES
from store.validation.constraints.base import Constraint, Node, Term, is_true
from store.validation.constraints.base import UnsupportedShapeFeature as UnsupportedShapeFeature
from store.validation.constraints.registry import BY_PARAMETER, CONSTRAINTS

# The shape files NQDB validates against: the pyshacl-compatible LOQ copy and our patched mdr copy.
SHAPE_FILES: tuple[Path, ...] = (SHAPES / "LOQ-constraints.ttl", SHAPES / "LOQ-constraints-mdr.nqdb.ttl")
# The same with the official, unpatched mdr file: the verdict the Europass QDR would give (issue 9, case 14).
OFFICIAL_SHAPE_FILES: tuple[Path, ...] = (SHAPES / "LOQ-constraints.ttl", SHAPES / "LOQ-constraints-mdr.ttl")

# sh: terms that are no constraint parameter (documentation, structure, or handled by the shape itself).
NON_CONSTRAINTS = frozenset({
    "name", "description", "order", "message", "severity", "deactivated", "path", "property",
    "targetClass", "ignoredProperties", "flags", "NodeShape", "PropertyShape", "group", "closed",
})


@dataclass(eq=False)
class Shape:
    """A node shape (path is None) or a property shape (path is the predicate IRI)."""

    node: Node
    path: NamedNode | None = None
    name: str | None = None
    label: str | None = None
    severity: str = SH + "Violation"
    deactivated: bool = False
    targets: tuple[NamedNode, ...] = ()
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    closed: bool = False
    allowed: frozenset[NamedNode] = frozenset()   # property paths + sh:ignoredProperties (closed shapes)
    required: tuple[Shape, ...] = ()              # property shapes that must be checked even without values
    by_path: dict[NamedNode, tuple[Shape, ...]] = field(default_factory=dict)

    @property
    def iri(self) -> str:
        """The shape's IRI, or "_:label" for a blank shape."""
        return self.node.value if isinstance(self.node, NamedNode) else f"_:{self.node.value}"


@dataclass(frozen=True)
class ShapesGraph:
    """All compiled shapes: the targeted ones and every shape reachable from them."""

    targeted: tuple[Shape, ...]
    by_node: dict[Node, Shape]


def _sh(local: str) -> NamedNode:
    return NamedNode(SH + local)


class _Graph:
    """A subject-indexed read-only triple table of the shapes files."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.spo: dict[Node, dict[str, list[Term]]] = {}
        for path in files:
            for triple in parse(path=path, format=RdfFormat.TURTLE):
                by_pred = self.spo.setdefault(cast(Node, triple.subject), {})
                by_pred.setdefault(triple.predicate.value, []).append(cast(Term, triple.object))

    def objects(self, s: Node, p: str) -> list[Term]:
        """The values of a predicate of a node."""
        return self.spo.get(s, {}).get(p, [])

    def one(self, s: Node, p: str) -> Term | None:
        """The value of a predicate of a node, if any.

        Raises:
            UnsupportedShapeFeature: it has more than one.
        """
        values = self.objects(s, p)
        if len(values) > 1:
            raise UnsupportedShapeFeature(f"{s} has {len(values)} values for {p}; expected at most one.")
        return values[0] if values else None

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out: list[Term] = []
        while not (isinstance(head, NamedNode) and head.value == RDF + "nil"):
            if not isinstance(head, NamedNode | BlankNode):
                raise UnsupportedShapeFeature(f"Malformed RDF list at {head}.")
            out.extend(self.objects(head, RDF + "first"))
            rest = self.one(head, RDF + "rest")
            if rest is None:
                raise UnsupportedShapeFeature(f"Unterminated RDF list at {head}.")
            head = rest
        return out


def _text(values: Sequence[Term]) -> str | None:
    """Prefer an English literal, else any literal's lexical form."""
    literals = [v for v in values if isinstance(v, Literal)]
    english = [v for v in literals if v.language in (None, "en")]
    chosen = english or literals
    return chosen[0].value if chosen else None


class _Compiler:
    """Turns shape nodes into Shape objects, memoised so shared and recursive references resolve.

    It is the `ShapeReader` the constraint classes compile their parameters with.
    """

    def __init__(self, graph: _Graph) -> None:
        self.g = graph
        self.shapes: dict[Node, Shape] = {}

    def one(self, node: Node, predicate: str) -> Term | None:
        """The value of a predicate of a shape node, if any (at most one)."""
        return self.g.one(node, predicate)

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        return self.g.items(head)

    def shape(self, node: Term) -> Shape:
        """The compiled shape of a node.

        Raises:
            UnsupportedShapeFeature: it is a literal, or uses a feature NQDB does not implement.
        """
        if not isinstance(node, NamedNode | BlankNode):
            raise UnsupportedShapeFeature(f"A shape must be an IRI or blank node, not {node}.")
        if node in self.shapes:
            return self.shapes[node]
        g = self.g
        path = g.one(node, SH + "path")
        if path is not None and not isinstance(path, NamedNode):
            raise UnsupportedShapeFeature(f"Shape {node}: only predicate paths are supported.")
        severity = g.one(node, SH + "severity")
        shape = Shape(
            node=node, path=path, name=_text(g.objects(node, SH + "name")),
            label=_text(g.objects(node, RDFS + "label")),
            severity=severity.value if isinstance(severity, NamedNode) else SH + "Violation",
            deactivated=is_true(g.one(node, SH + "deactivated")),
            targets=tuple(t for t in g.objects(node, SH + "targetClass") if isinstance(t, NamedNode)),
        )
        self.shapes[node] = shape
        self._fill(shape)
        return shape

    def _fill(self, shape: Shape) -> None:
        g, node = self.g, shape.node
        for pred in g.spo.get(node, {}):
            local = pred[len(SH):] if pred.startswith(SH) else None
            if local is not None and local not in BY_PARAMETER and local not in NON_CONSTRAINTS:
                raise UnsupportedShapeFeature(f"Shape {shape.iri} uses sh:{local}, unsupported by NQDB.")
        for constraint in CONSTRAINTS:
            for value in g.objects(node, SH + constraint.parameter):
                shape.constraints.append(constraint.compile(value, shape, self))
        shape.properties = [self.shape(p) for p in g.objects(node, SH + "property")]
        shape.closed = is_true(g.one(node, SH + "closed"))
        ignored: list[Term] = []
        for head in g.objects(node, SH + "ignoredProperties"):
            ignored.extend(g.items(head))
        paths = [p.path for p in shape.properties if p.path is not None]
        shape.allowed = frozenset(t for t in [*paths, *ignored] if isinstance(t, NamedNode))
        active = [p for p in shape.properties if not p.deactivated]
        shape.required = tuple(
            p for p in active if any(c.fails_when_absent for c in p.constraints))
        by_path: dict[NamedNode, list[Shape]] = {}
        for p in active:
            if p.path is None:
                raise UnsupportedShapeFeature(f"sh:property of {shape.iri} has no sh:path.")
            by_path.setdefault(p.path, []).append(p)
        shape.by_path = {k: tuple(v) for k, v in by_path.items()}


def compile_shapes(files: Sequence[Path]) -> ShapesGraph:
    """Read shape files and compile every targeted shape (and all shapes they reference)."""
    graph = _Graph(files)
    compiler = _Compiler(graph)
    targeted = [compiler.shape(s) for s in graph.spo if graph.objects(s, SH + "targetClass")]
    for s, preds in graph.spo.items():   # compile untargeted shapes too, so unknown features fail loudly
        if RDF + "type" in preds and _sh("NodeShape") in preds[RDF + "type"]:
            compiler.shape(s)
    return ShapesGraph(targeted=tuple(t for t in targeted if not t.deactivated), by_node=compiler.shapes)


@cache
def loq_shapes() -> ShapesGraph:
    """The LOQ application profile shapes, compiled once per process."""
    return compile_shapes(SHAPE_FILES)


@dataclass(frozen=True)
class ShapesDifference:
    """Where the official shapes differ from NQDB's, so their verdict costs only the shapes that differ.

    Official results = NQDB results of the targeted shapes not in `replaced` + results of `official`.
    """

    patched: frozenset[str]          # IRIs of named shapes whose definitions differ between the two sets
    replaced: frozenset[Shape]       # NQDB targeted shapes that reach a patched shape (or have no twin)
    official: tuple[Shape, ...]      # the official targeted shapes evaluated in their place


def _term(graph: _Graph, term: Term, seen: frozenset[Node]) -> str:
    """A term as text; a blank node as its expanded description (to compare two shapes files)."""
    if not isinstance(term, BlankNode):
        return str(term)
    return "[cycle]" if term in seen else _description(graph, term, seen | {term})


def _description(graph: _Graph, node: Node, seen: frozenset[Node] = frozenset()) -> str:
    """A canonical text of everything a shapes file says about a node, blank nodes expanded."""
    parts = sorted(f"{p} {_term(graph, o, seen)}" for p, values in graph.spo.get(node, {}).items()
                   for o in values)
    return "[" + "; ".join(parts) + "]"


def _patched_shapes(ours: _Graph, theirs: _Graph) -> frozenset[str]:
    named = {s for s in [*ours.spo, *theirs.spo] if isinstance(s, NamedNode)}
    return frozenset(s.value for s in named if _description(ours, s) != _description(theirs, s))


def reaches(shape: Shape, patched: frozenset[str], seen: set[int] | None = None) -> bool:
    """Whether a shape is, or refers to (sh:node, sh:or, sh:and, sh:property), a patched shape."""
    seen = set() if seen is None else seen
    if id(shape) in seen:
        return False
    seen.add(id(shape))
    if shape.iri in patched:
        return True
    nested = [*shape.properties, *(n for c in shape.constraints for n in c.nested)]
    return any(reaches(n, patched, seen) for n in nested)


def compare_shapes(ours: Sequence[Path], theirs: Sequence[Path], mine: ShapesGraph) -> ShapesDifference:
    """Find the targeted shapes whose verdicts can differ; `mine` is `ours` compiled (the shapes in use)."""
    patched = _patched_shapes(_Graph(ours), _Graph(theirs))
    other = compile_shapes(theirs)
    my_nodes, other_nodes = {s.node for s in mine.targeted}, {s.node for s in other.targeted}
    return ShapesDifference(
        patched=patched,
        replaced=frozenset(s for s in mine.targeted if s.node not in other_nodes or reaches(s, patched)),
        official=tuple(s for s in other.targeted if s.node not in my_nodes or reaches(s, patched)))


@cache
def official_difference() -> ShapesDifference:
    """How the official LOQ shapes differ from NQDB's, compiled once per process."""
    return compare_shapes(SHAPE_FILES, OFFICIAL_SHAPE_FILES, loq_shapes())
