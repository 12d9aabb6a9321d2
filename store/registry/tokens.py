"""API tokens: a secret a program sends as `Authorization: Bearer …` to act for one or more organisations.

The secret ("nqdb_" + 43 random URL-safe characters) is shown once, when the token is created; the register
keeps only its SHA-256, which is enough for a secret with 256 bits of randomness (no KDF needed) and lets a
request find its token with one indexed lookup. An editor token is bound to the awarding bodies it submits for;
a reviewer token acts for the authority and is bound to none. Revoked tokens stay listed, never authenticate.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from store.registry import audit
from store.registry.accounts import AccountError, AccountNotFound, check_organisations, check_role
from store.registry.database import later, now, transaction
from store.registry.principals import Principal, Role, require

PREFIX = "nqdb_"  # says what a leaked string is, and lets secret scanners find it
LAST_USED_RESOLUTION_SECONDS = 60  # last_used is written at most this often, not on every request
MAX_NAME = 200


@dataclass(frozen=True)
class TokenInfo:
    """A token as callers see it: never its secret or hash."""

    id: int
    name: str
    role: Role
    organisations: tuple[str, ...]
    created_by: str
    created: str
    revoked: str | None
    last_used: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": str(self.role), "organisations": list(self.organisations),
                "createdBy": self.created_by, "created": self.created, "revoked": self.revoked,
                "lastUsed": self.last_used}


def create_token(connection: sqlite3.Connection, name: str, role: str = "editor", organisations: Iterable[str] = (),
                 *, by: Principal) -> tuple[TokenInfo, str]:
    """A new token and its secret, which is not kept and cannot be shown again."""
    require(by.may_administer(), "Only an admin may create API tokens.")
    name, checked_role = name.strip(), check_role(role)
    if not name or len(name) > MAX_NAME:
        raise AccountError(f"A token needs a name of 1 to {MAX_NAME} characters, saying who or what uses it.")
    if checked_role == Role.ADMIN:
        raise AccountError("A token acts as an editor or a reviewer, never as an admin.")
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction(connection):
        bound = check_organisations(connection, checked_role, organisations)
        cursor = connection.execute(
            "INSERT INTO tokens (name, secret_hash, role, created_by, created) VALUES (?, ?, ?, ?, ?)",
            (name, _digest(secret), str(checked_role), by.actor, now()))
        token_id = int(cursor.lastrowid or 0)
        connection.executemany("INSERT INTO token_organisations (token_id, organisation) VALUES (?, ?)",
                               [(token_id, iri) for iri in bound])
        audit.append(connection, by.actor, "token.create", detail=json.dumps(
            {"token": token_id, "name": name, "role": str(checked_role), "organisations": list(bound)}))
    return _token(connection, token_id), secret


def list_tokens(connection: sqlite3.Connection) -> list[TokenInfo]:
    """Every token, revoked ones too, oldest first."""
    return [_info(connection, row) for row in connection.execute("SELECT * FROM tokens ORDER BY id")]


def revoke_token(connection: sqlite3.Connection, token_id: int, *, by: Principal) -> TokenInfo:
    """Stop a token from authenticating, for good; revoking a revoked token changes nothing."""
    require(by.may_administer(), "Only an admin may revoke API tokens.")
    with transaction(connection):
        token = _token(connection, token_id)
        if token.revoked is None:
            connection.execute("UPDATE tokens SET revoked = ? WHERE id = ?", (now(), token_id))
            audit.append(connection, by.actor, "token.revoke", detail=json.dumps({"token": token_id}))
    return _token(connection, token_id)


def authenticate_token(connection: sqlite3.Connection, secret: str) -> Principal | None:
    """The principal of the token with this secret (actor "token:<id>"), or None if unknown or revoked."""
    if not secret.startswith(PREFIX):
        return None
    row = connection.execute("SELECT * FROM tokens WHERE secret_hash = ?", (_digest(secret),)).fetchone()
    if row is None or row["revoked"] is not None:
        return None
    if row["last_used"] is None or row["last_used"] <= later(-LAST_USED_RESOLUTION_SECONDS):
        connection.execute("UPDATE tokens SET last_used = ? WHERE id = ?", (now(), row["id"]))
    info = _info(connection, row)
    return Principal(f"token:{info.id}", info.role, frozenset(info.organisations))


def _token(connection: sqlite3.Connection, token_id: int) -> TokenInfo:
    row = connection.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
    if row is None:
        raise AccountNotFound(f"No API token with id {token_id}.")
    return _info(connection, row)


def _info(connection: sqlite3.Connection, row: sqlite3.Row) -> TokenInfo:
    organisations = tuple(r[0] for r in connection.execute(
        "SELECT organisation FROM token_organisations WHERE token_id = ? ORDER BY organisation", (row["id"],)))
    return TokenInfo(row["id"], row["name"], Role(row["role"]), organisations, row["created_by"], row["created"],
                     row["revoked"], row["last_used"])


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
