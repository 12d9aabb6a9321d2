"""Sessions of the staff pages: a random id (the cookie's value) per login, with its CSRF token and expiry.

The register keeps only the id's SHA-256, so a copy of the database signs nobody in. A session lasts a fixed
time from login (no sliding renewal) and ends at once when its user is disabled. Cookies are the portal's job.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3

from store.registry.accounts import AccountNotFound, principal_of_user
from store.registry.database import later, now, transaction
from store.registry.principals import Principal


def start_session(connection: sqlite3.Connection, user_id: int, lifetime_seconds: float) -> tuple[str, str]:
    """A new session of an enabled user: (session id, CSRF token), neither kept in the clear elsewhere.

    Raises:
        AccountNotFound: no enabled user has this id.
    """
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction(connection):
        user = connection.execute("SELECT disabled FROM users WHERE id = ?", (user_id,)).fetchone()
        if user is None or user["disabled"]:
            raise AccountNotFound(f"No enabled user with id {user_id}.")
        connection.execute("INSERT INTO sessions (id_hash, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
                           (_digest(session_id), user_id, csrf, now(), later(lifetime_seconds)))
    return session_id, csrf


def session_principal(connection: sqlite3.Connection, session_id: str) -> tuple[Principal, str] | None:
    """Who the session is and its CSRF token, or None if it is unknown, expired or its user disabled."""
    row = connection.execute(
        "SELECT sessions.user_id, sessions.csrf FROM sessions JOIN users ON users.id = sessions.user_id "
        "WHERE sessions.id_hash = ? AND sessions.expires > ? AND users.disabled = 0",
        (_digest(session_id), now())).fetchone()
    if row is None:
        return None
    return principal_of_user(connection, int(row["user_id"])), str(row["csrf"])


def end_session(connection: sqlite3.Connection, session_id: str) -> None:
    """Log out: the session id authenticates no more (an unknown id is not an error)."""
    with transaction(connection):
        connection.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(session_id),))


def purge_expired(connection: sqlite3.Connection) -> int:
    """Delete the sessions that have expired; returns how many."""
    with transaction(connection):
        return connection.execute("DELETE FROM sessions WHERE expires <= ?", (now(),)).rowcount


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()
