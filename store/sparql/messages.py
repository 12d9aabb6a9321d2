"""The messages a SPARQL worker sends back over its pipe (store/sparql/workers.py), as dataclasses.

In order: one `Whole` (a small result) or one `Failed` (nothing was sent), or a `Head`, `Chunk`s, then `End`
or `Aborted` (the body is cut off).
"""

from __future__ import annotations

from dataclasses import dataclass

from store.sparql.engine import QueryFailure


@dataclass(frozen=True)
class Head:
    """The result's media type and headers; its body follows in chunks."""

    media_type: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Chunk:
    """Part of the result's body."""

    data: bytes


@dataclass(frozen=True)
class End:
    """The body is complete."""


@dataclass(frozen=True)
class Whole:
    """A small result in one message: media type, headers and the complete body."""

    media_type: str
    headers: dict[str, str]
    data: bytes


@dataclass(frozen=True)
class Failed:
    """No result, and nothing was sent: why."""

    failure: QueryFailure


@dataclass(frozen=True)
class Aborted:
    """The result failed after its head was sent: the body is cut off."""

    detail: str


Message = Head | Chunk | End | Whole | Failed | Aborted


def detail_of(message: Message) -> str:
    """What a message out of its turn says (an abort names its reason)."""
    return message.detail if isinstance(message, Aborted) else f"The query worker sent {message!r} out of turn."
