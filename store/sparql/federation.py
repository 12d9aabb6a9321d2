"""SPARQL federation (`SERVICE`) found in a query's tokens, and the decision to refuse it.

pyoxigraph sends an HTTP request for every `SERVICE <endpoint>` it evaluates, to any address, so a
public endpoint that ran them could be made to probe its own network (SSRF). The web side refuses such
queries before they reach a worker; workers also run without IPv4/IPv6 sockets (store/sparql/sandbox.py).

The tokens come from store/sparql/engine.py's lexer (strings, IRIs and comments are single tokens, so a
`SERVICE` inside them is not federation). The reading errs on the side of refusing: pyoxigraph's parser
also takes `SERVICESILENT <x> {…}` and `SERVICE:x {…}` (an empty-prefix name glued to the keyword) as
federation, so any bare word containing SERVICE and any prefixed name whose prefix starts with SERVICE
count as a SERVICE clause. No valid query loses anything by this: SPARQL has no such words.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

Token = tuple[str, str]  # (kind, text) as produced by store/sparql/engine.py
KEYWORD = "SERVICE"


@dataclass(frozen=True)
class ServiceCall:
    """One SERVICE clause: its endpoint IRI when it names one, and the text as written."""

    written: str
    endpoint: str | None  # None: a variable, or an endpoint that cannot be read statically


def _is_keyword(token: Token) -> bool:
    kind, text = token
    if kind == "word":
        return KEYWORD in text.upper()
    return kind == "pname" and text.upper().startswith(KEYWORD)


def service_calls(tokens: Sequence[Token], prefixes: dict[str, str], base: str | None) -> tuple[ServiceCall, ...]:
    """Every SERVICE clause of the token stream, with its endpoint resolved where it can be."""
    return tuple(_call(list(tokens[index:index + 3]), prefixes, base)
                 for index, token in enumerate(tokens) if _is_keyword(token))


def _call(window: list[Token], prefixes: dict[str, str], base: str | None) -> ServiceCall:
    """The clause starting at window[0]: SERVICE [SILENT] endpoint."""
    keyword = window[0]
    if keyword[0] != "word" or keyword[1].upper() != KEYWORD:
        return ServiceCall(keyword[1], None)  # glued to another word or name: refused, never resolved
    end = 2 if len(window) > 2 and window[1][1].upper() == "SILENT" else 1
    if end >= len(window):
        return ServiceCall(" ".join(t[1] for t in window), None)
    return ServiceCall(" ".join(t[1] for t in window[:end + 1]), _endpoint(window[end], prefixes, base))


def _endpoint(target: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    kind, text = target
    if kind == "iri":
        iri = text[1:-1]
        return urljoin(base, iri) if base else iri
    if kind == "pname":
        prefix, _, local = text.partition(":")
        # `SILENT:x` is read by pyoxigraph as SILENT then `:x`, whatever a SILENT: prefix says
        if prefix in prefixes and "\\" not in local and not prefix.upper().startswith("SILENT"):
            return prefixes[prefix] + local
    return None


@dataclass(frozen=True)
class FederationRefusal:
    """A SERVICE clause the query may not run, and why (a sentence for the client)."""

    call: ServiceCall
    reason: str


def federation_refusal(calls: Sequence[ServiceCall], allowed: Collection[str]) -> FederationRefusal | None:
    """The first SERVICE clause the query may not run and why, or None."""
    if calls and not allowed:
        return FederationRefusal(calls[0], "SPARQL federation is disabled on this endpoint: it never sends "
                                 f"requests to other servers, and this query has {calls[0].written!r}. "
                                 "Remove the SERVICE clause.")
    for call in calls:
        if call.endpoint is None:
            return FederationRefusal(call, f"{call.written!r}: SERVICE needs an endpoint written as a full IRI "
                                     "here, one of the endpoints this server may query; a variable or an "
                                     "unreadable name is refused.")
        if call.endpoint not in allowed:
            return FederationRefusal(call, f"SERVICE <{call.endpoint}> is not one of the endpoints this server "
                                     f"may query ({', '.join(sorted(allowed))}); federation to other servers "
                                     "is disabled.")
    return None
