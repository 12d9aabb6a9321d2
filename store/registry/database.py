"""The register's relational state: one SQLite database, `<store>/register.sqlite3`, in WAL mode.

Accounts, organisations, API tokens, sessions, the lifecycle state of every record, the review queue and the
audit log. The schema is a numbered list of migrations (`MIGRATIONS`); `PRAGMA user_version` says how many
ran, and `open_database` runs the missing ones in one transaction each, so `nqdb init` creates and upgrades it
and an old store is upgraded on first use. Never edit a released migration: append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

FILE_NAME = "register.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0  # how long a writer waits for another to commit before "database is locked"

MIGRATIONS: tuple[str, ...] = (
    # 1: accounts, tokens, sessions, records, versions, audit, idempotency keys
    """
    CREATE TABLE organisations (
        iri TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'editor')),
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created TEXT NOT NULL
    );
    CREATE TABLE user_organisations (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organisation TEXT NOT NULL REFERENCES organisations(iri),
        PRIMARY KEY (user_id, organisation)
    );
    CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('reviewer', 'editor')),
        created_by TEXT NOT NULL,
        created TEXT NOT NULL,
        revoked TEXT,
        last_used TEXT
    );
    CREATE TABLE token_organisations (
        token_id INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
        organisation TEXT NOT NULL REFERENCES organisations(iri),
        PRIMARY KEY (token_id, organisation)
    );
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL
    );
    CREATE TABLE records (
        key TEXT PRIMARY KEY,
        iri TEXT NOT NULL UNIQUE,
        organisation TEXT NOT NULL REFERENCES organisations(iri),
        state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'approved',
                                             'published', 'withdrawn', 'superseded')),
        revision INTEGER NOT NULL DEFAULT 1,
        published_version INTEGER,
        successor TEXT,
        successor_equivalent INTEGER,
        transition_end TEXT,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX records_by_state ON records (state, updated);
    CREATE INDEX records_by_organisation ON records (organisation, state, updated);
    CREATE TABLE record_versions (
        key TEXT NOT NULL REFERENCES records(key),
        version INTEGER NOT NULL,
        published TEXT NOT NULL,
        actor TEXT NOT NULL,
        PRIMARY KEY (key, version)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        record TEXT,
        version INTEGER,
        reason TEXT,
        detail TEXT
    );
    CREATE INDEX audit_by_record ON audit (record, id);
    CREATE TABLE idempotency (
        actor TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (actor, key)
    );
    """,
)


def database_path(store_path: Path) -> Path:
    """Where the register database of the store at `store_path` lives."""
    return Path(store_path) / FILE_NAME


def now() -> str:
    """The current time as stored: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def later(seconds: float) -> str:
    """The time `seconds` from now, as stored (expiry of a session or a lockout)."""
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z")


def open_database(store_path: Path) -> sqlite3.Connection:
    """A connection to the store's register database, created and migrated as needed.

    Rows come back as `sqlite3.Row`; foreign keys are enforced. One connection per thread: create one
    where it is used (they are cheap) rather than sharing it.
    """
    path = database_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    _migrate(connection)
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    """How many migrations have run on this database."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception: a failed change leaves nothing behind."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _migrate(connection: sqlite3.Connection) -> None:
    done = schema_version(connection)
    if done > len(MIGRATIONS):
        raise RuntimeError(f"The register database is at schema {done}, newer than this NQDB "
                           f"({len(MIGRATIONS)}); upgrade NQDB.")
    for number in range(done, len(MIGRATIONS)):
        with transaction(connection):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")


def _statements(script: str) -> list[str]:
    """The statements of a migration (executescript would commit on its own, outside our transaction)."""
    return [part.strip() for part in script.split(";") if part.strip()]
