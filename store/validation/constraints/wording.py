"""How messages name things: an IRI's last segment, a value as a reader recognises it."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from store.validation.constraints.base import Term


def local_name(iri: str) -> str:
    """The last segment of an IRI: elm:EQFLevel -> EQFLevel."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def show(value: Term | None) -> str:
    """A value as a reader recognises it: <iri>, "text"@lang, or a blank-node mention."""
    if value is None:
        return ""
    if isinstance(value, NamedNode):
        return f"<{value.value}>"
    if isinstance(value, BlankNode):
        return "an unnamed node"
    lang = f"@{value.language}" if isinstance(value, Literal) and value.language else ""
    return f'"{value.value}"{lang}'
