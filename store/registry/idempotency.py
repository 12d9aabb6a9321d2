"""Idempotency keys of the write API: a retried create gets the first answer again, never a second record.

A client sends `Idempotency-Key` with a create; the register keeps, per actor and key, a hash of the request
and the response it got. The same key with the same request replays that response; with another request it is
refused (`IdempotencyKeyReused`), since the key was meant for one operation only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.registry.database import now

MAX_KEY = 255


class IdempotencyKeyReused(ValueError):
    """The key was used by this actor for a different request (HTTP 422)."""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str


def recall(connection: sqlite3.Connection, actor: str, key: str, request_hash: str) -> StoredResponse | None:
    """The response remembered for `actor`'s `key`, or None if the key is new.

    Raises:
        IdempotencyKeyReused: the key was used with another request.
    """
    row = connection.execute("SELECT * FROM idempotency WHERE actor = ? AND key = ?", (actor, key)).fetchone()
    if row is None:
        return None
    if row["request_hash"] != request_hash:
        raise IdempotencyKeyReused(f"The Idempotency-Key {key!r} was already used for a different request; "
                                   "use a new key for a new request.")
    return StoredResponse(int(row["status"]), str(row["body"]))


def remember(connection: sqlite3.Connection, actor: str, key: str, request_hash: str, status: int,
             body: str) -> None:
    """Keep the response to `actor`'s request with `key` (inside the caller's transaction, or on its own)."""
    connection.execute("INSERT OR IGNORE INTO idempotency (actor, key, request_hash, status, body, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (actor, key, request_hash, status, body, now()))
