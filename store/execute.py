"""Run a named query on a pyoxigraph handle with safely substituted bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from store import queries
from store.terms import Term, Text, to_node, to_term

Binding = str | Text | Term


def run(handle: ox.Store, query_name: str, bindings: Mapping[str, Binding],
        default_graph: Sequence[ox.NamedNode] | None) -> object:
    """Evaluate queries/<query_name>.rq; parameters go in through substitutions, never string-pasting."""
    return handle.query(
        queries.load(query_name),
        substitutions={ox.Variable(k): to_node(v) for k, v in bindings.items()},
        default_graph=list(default_graph) if default_graph else None,
    )


def select(handle: ox.Store, query_name: str, bindings: Mapping[str, Binding],
           default_graph: Sequence[ox.NamedNode] | None = None) -> list[dict[str, Term]]:
    """Rows of a named SELECT query as plain terms."""
    solutions = run(handle, query_name, bindings, default_graph)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: to_term(s[n]) for n in names if s[n] is not None} for s in solutions]
