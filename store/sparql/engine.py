"""The public SPARQL endpoint's query handling: what a query is, which dataset it sees, how it is evaluated.

Evaluation (`evaluate`) runs inside a worker process (store/sparql/workers.py) so that a runaway query
can be killed: pyoxigraph cannot interrupt a running query and ignores signals. The web side only
inspects the query text (`inspect_query`) and resolves the dataset (`resolve_dataset`), both cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, cast

import pyoxigraph as ox

from store.core.execute import Binding
from store.core.formats import rdf_by_media_type, results_by_media_type
from store.core.terms import to_node, to_term
from store.sparql.federation import KEYWORD, ServiceCall, service_calls
from store.sparql.results import write_solutions

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                             "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
# The lexer follows the SPARQL terminals wherever a misreading could hide code from it (issue 9 case 1):
# comments end at CR or LF as in pyoxigraph, IRIs may hold \u escapes, prefixed names \-escapes (\#).
_STRING = r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" \
          r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"
_IRI = r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
_LOCAL = r"(?:[\w.:%-]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<comment>#[^\r\n]*)|(?P<iri>" + _IRI + ")|(?P<string>" + _STRING + ")"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:" + _LOCAL + r")|(?P<word>[A-Za-z_]\w*)|(?P<var>[?$]\w+)|(?P<other>.)",
    re.S)
_POSITION = re.compile(r"error at (\d+):(\d+)")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRejected(ValueError):
    """A query the endpoint will not run: a dataset clause it cannot resolve."""


@dataclass(frozen=True)
class QueryShape:
    """What the web side needs to know about a query before sending it to a worker."""

    form: str  # "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE" or "" (unknown: the parser will say)
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    services: tuple[ServiceCall, ...] = ()  # SERVICE clauses, read generously (store/sparql/federation.py)

    @property
    def has_dataset_clause(self) -> bool:
        """True when the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named)

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF; SELECT and ASK with a results table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryRequest:
    """One query for a worker: text, snapshot, dataset, the media types the client accepts, options."""

    text: str
    snapshot: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    solutions_type: str | None  # media type for SELECT/ASK results, None if the client accepts none
    graph_type: str | None      # media type for CONSTRUCT/DESCRIBE results
    row_limit: int = 0
    bindings: tuple[tuple[str, Binding], ...] = field(default=())
    # The service's default dataset: every graph of the public database is published, so the union of
    # all its graphs is the default graph and all are named graphs (10x faster than listing ~30 graphs).
    union_default: bool = False


@dataclass(frozen=True)
class QueryFailure:
    """Why a query produced no result: an HTTP status, a sentence and details (line, column)."""

    status: int
    detail: str
    extra: dict[str, object] = field(default_factory=dict)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("space", "comment")]


def inspect_query(text: str) -> QueryShape:
    """The query form, its FROM / FROM NAMED graphs and SERVICE clauses, read from the tokens."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    position = 0
    while position < len(tokens):
        kind, value = tokens[position]
        upper = value.upper()
        if kind == "word" and upper == "BASE" and position + 1 < len(tokens):
            base = tokens[position + 1][1][1:-1]
            position += 2
        elif kind == "word" and upper == "PREFIX" and position + 2 < len(tokens):
            prefixes[tokens[position + 1][1][:-1]] = tokens[position + 2][1][1:-1]
            position += 3
        else:
            break
    services = _services(text, tokens, prefixes, base)
    if position >= len(tokens) or tokens[position][0] != "word":
        return QueryShape("", services=services)
    first = tokens[position][1].upper()
    if first in UPDATE_KEYWORDS:
        return QueryShape("UPDATE", services=services)
    if first not in QUERY_FORMS:
        return QueryShape("", services=services)
    graphs, named = _dataset_clauses(tokens[position + 1:], prefixes)
    return QueryShape(first, tuple(graphs), tuple(named), services)


def _services(text: str, tokens: Sequence[tuple[str, str]], prefixes: dict[str, str],
              base: str | None) -> tuple[ServiceCall, ...]:
    """SERVICE clauses; also as read after SPARQL 1.1 §19.2 codepoint escapes, should a parser apply them."""
    if KEYWORD not in text.upper() and "\\U" not in text.upper():
        return ()
    calls = service_calls(tokens, prefixes, base)
    unescaped = _CODEPOINT.sub(_codepoint, text)
    if calls or unescaped == text:
        return calls
    return service_calls(_tokens(unescaped), prefixes, base)


def _codepoint(match: re.Match[str]) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF else match.group()


def _dataset_clauses(tokens: Sequence[tuple[str, str]],
                     prefixes: dict[str, str]) -> tuple[list[str], list[str]]:
    """FROM and FROM NAMED graphs: they occur only outside braces (subqueries have none)."""
    graphs: list[str] = []
    named: list[str] = []
    depth = 0
    for index, (kind, value) in enumerate(tokens):
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
        elif depth == 0 and kind == "word" and value.upper() == "FROM":
            rest = tokens[index + 1:index + 3]
            is_named = bool(rest) and rest[0][1].upper() == "NAMED"
            target = rest[1] if is_named and len(rest) > 1 else (rest[0] if rest else ("other", ""))
            (named if is_named else graphs).append(_expand(target, prefixes))
    return graphs, named


def _expand(token: tuple[str, str], prefixes: dict[str, str]) -> str:
    kind, value = token
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    raise QueryRejected(f"Cannot read the dataset clause at {value!r}; write FROM <full-IRI>.")


def resolve_dataset(shape: QueryShape, default_uris: Sequence[str], named_uris: Sequence[str],
                    published: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (default graphs, named graphs) a query sees, SPARQL 1.1 Protocol §2.1.4 semantics.

    Protocol parameters win over FROM / FROM NAMED, which win over the service's default dataset (the
    union of the published graphs as default graph, each published graph as a named graph). Any graph
    that is not published (portal metadata, drafts) is treated as an empty graph: it is never read.
    """
    visible = set(published)
    if default_uris or named_uris:
        chosen_default, chosen_named = default_uris, named_uris
    elif shape.has_dataset_clause:
        chosen_default, chosen_named = shape.from_graphs, shape.from_named
    else:
        chosen_default, chosen_named = published, published
    return (tuple(dict.fromkeys(g for g in chosen_default if g in visible)),
            tuple(dict.fromkeys(g for g in chosen_named if g in visible)))


def failure_of_syntax_error(error: SyntaxError) -> QueryFailure:
    """A 400 failure carrying the parser's message and the line and column it points at."""
    message = str(error)
    match = _POSITION.search(message)
    extra: dict[str, object] = {}
    if match:
        extra = {"line": int(match.group(1)), "column": int(match.group(2))}
    return QueryFailure(400, f"The query is not valid SPARQL 1.1: {message}", extra)


Emit = Callable[[str, dict[str, str]], Callable[[bytes], object]]


def evaluate(handle: ox.Store, request: QueryRequest, start: Emit) -> QueryFailure | None:
    """Run `request` on `handle`; `start(media_type, headers)` returns the writer for the body.

    Returns a QueryFailure instead when nothing was written (syntax error, nothing acceptable, bad binding).
    """
    try:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): to_node(value) for name, value in request.bindings}
    except ValueError as error:
        return QueryFailure(400, f"A parameter is not a valid RDF term: {error}")
    try:
        if request.union_default:
            result = handle.query(request.text, substitutions=substitutions or None,
                                  use_default_graph_as_union=True)
        else:
            result = handle.query(request.text, substitutions=substitutions or None,
                                  default_graph=[ox.NamedNode(g) for g in request.default_graphs],
                                  named_graphs=[ox.NamedNode(g) for g in request.named_graphs])
    except SyntaxError as error:
        return failure_of_syntax_error(error)
    if isinstance(result, ox.QueryTriples):
        return _write_graph(result, request, start)
    return _write_solutions(result, request, start)


def _write_graph(triples: ox.QueryTriples, request: QueryRequest, start: Emit) -> QueryFailure | None:
    syntax = rdf_by_media_type(request.graph_type or "")
    if syntax is None:
        return QueryFailure(406, "A CONSTRUCT or DESCRIBE query answers in an RDF syntax; the Accept header "
                                 "allows none.")
    triples.serialize(_sink(start(syntax.media_type, {})), syntax.format)
    return None


def _write_solutions(result: ox.QuerySolutions | ox.QueryBoolean, request: QueryRequest,
                     start: Emit) -> QueryFailure | None:
    syntax = results_by_media_type(request.solutions_type or "")
    if syntax is None:
        return QueryFailure(406, "A SELECT or ASK query answers in a SPARQL results format; the Accept "
                                 "header allows none.")
    if isinstance(result, ox.QuerySolutions) and request.row_limit > 0:
        names = [v.value for v in result.variables]
        rows = [{n: to_term(s[n]) for n in names if s[n] is not None}
                for s in islice(result, request.row_limit + 1)]
        truncated = len(rows) > request.row_limit
        headers = {"NQDB-Row-Limit": str(request.row_limit),
                   "NQDB-Truncated": "true" if truncated else "false"}
        write_solutions(start(syntax.media_type, headers), syntax.media_type, names, rows[:request.row_limit])
        return None
    result.serialize(_sink(start(syntax.media_type, {})), syntax.format)
    return None


def _sink(write: Callable[[bytes], object]) -> IO[bytes]:
    return cast(IO[bytes], _Sink(write))


class _Sink:
    """A binary file-like object over a write function, for pyoxigraph's serializers."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self.write = write

    def flush(self) -> None:
        """Nothing to flush: the worker's buffer decides when bytes leave."""
