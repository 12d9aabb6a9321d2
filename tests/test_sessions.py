"""Sessions of the staff pages (issue 11): random ids kept hashed, a CSRF token each, fixed lifetime."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.registry import accounts, sessions
from store.registry.accounts import AccountNotFound
from store.registry.database import open_database
from store.registry.principals import Principal, Role

ORG = "https://example.org/org/a"
ADMIN = accounts.operator("tester")
EDITOR = Principal("user:ed@example.org", Role.EDITOR, frozenset({ORG}))


@pytest.fixture
def register(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A register with an admin (so the editor may be disabled) and an editor of one organisation."""
    connection = open_database(tmp_path)
    accounts.add_organisation(connection, ORG, "Body A", by=ADMIN)
    accounts.add_user(connection, "admin@example.org", "admin", by=ADMIN)
    accounts.add_user(connection, "ed@example.org", "editor", organisations=[ORG], by=ADMIN)
    yield connection
    connection.close()


def editor_id(register: sqlite3.Connection) -> int:
    user = accounts.get_user(register, "ed@example.org")
    assert user is not None
    return user.id


def test_a_session_gives_its_user_and_csrf_token(register: sqlite3.Connection) -> None:
    session_id, csrf = sessions.start_session(register, editor_id(register), 3600)
    assert sessions.session_principal(register, session_id) == (EDITOR, csrf)
    other_id, other_csrf = sessions.start_session(register, editor_id(register), 3600)
    assert len({session_id, other_id, csrf, other_csrf}) == 4 and len(session_id) >= 43
    assert register.execute("SELECT count(*) FROM sessions WHERE id_hash IN (?, ?)",
                            (session_id, other_id)).fetchone()[0] == 0  # only hashes are stored


def test_an_ended_or_unknown_session_is_nobody(register: sqlite3.Connection) -> None:
    session_id, _ = sessions.start_session(register, editor_id(register), 3600)
    sessions.end_session(register, session_id)
    assert sessions.session_principal(register, session_id) is None
    assert sessions.session_principal(register, "made-up") is None
    sessions.end_session(register, "made-up")


def test_an_expired_session_is_nobody_and_is_purged(register: sqlite3.Connection) -> None:
    expired, _ = sessions.start_session(register, editor_id(register), 0)
    current, _ = sessions.start_session(register, editor_id(register), 3600)
    assert sessions.session_principal(register, expired) is None
    assert sessions.purge_expired(register) == 1
    assert sessions.session_principal(register, current) is not None
    assert register.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


def test_disabling_the_user_ends_its_sessions(register: sqlite3.Connection) -> None:
    session_id, _ = sessions.start_session(register, editor_id(register), 3600)
    accounts.disable_user(register, "ed@example.org", by=ADMIN)
    assert sessions.session_principal(register, session_id) is None
    accounts.enable_user(register, "ed@example.org", by=ADMIN)
    assert sessions.session_principal(register, session_id) is None  # re-enabling revives no old session


def test_a_disabled_or_unknown_user_gets_no_session(register: sqlite3.Connection) -> None:
    accounts.disable_user(register, "ed@example.org", by=ADMIN)
    for user_id in (editor_id(register), 999):
        with pytest.raises(AccountNotFound):
            sessions.start_session(register, user_id, 3600)
    assert register.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
