"""Run a named query on a pyoxigraph handle with safely substituted bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from store.core import queries
from store.core.terms import Term, Text, to_node, to_term

Binding = str | Text | Term


def run(handle: ox.Store, query_name: str, bindings: Mapping[str, Binding],
        default_graph: Sequence[ox.NamedNode] | None = None) -> object:
    """Evaluate queries/<query_name>.rq over the union of the handle's graphs, or over `default_graph`.

    Parameters go in through substitutions, never string-pasting. Every graph of a public database is
    published, so its union is exactly the public default graph (store/core/snapshots.py).
    """
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): to_node(v) for k, v in bindings.items()}
    if default_graph is not None:
        return handle.query(queries.load(query_name), substitutions=substitutions, default_graph=list(default_graph))
    return handle.query(queries.load(query_name), substitutions=substitutions, use_default_graph_as_union=True)


def select(handle: ox.Store, query_name: str, bindings: Mapping[str, Binding]) -> list[dict[str, Term]]:
    """Rows of a named SELECT query as plain terms."""
    solutions = run(handle, query_name, bindings)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: to_term(s[n]) for n in names if s[n] is not None} for s in solutions]
