"""API tokens of the register (issue 11): created once with a secret, bound to organisations, kept only hashed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.registry import accounts, audit, tokens
from store.registry.accounts import AccountError, AccountNotFound
from store.registry.database import database_path, later, open_database
from store.registry.principals import PermissionDenied, Principal, Role
from tests.register_state import rows

ORG_A, ORG_B = "https://example.org/org/a", "https://example.org/org/b"
ADMIN = accounts.operator("tester")


@pytest.fixture
def register(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A register database with two organisations."""
    connection = open_database(tmp_path)
    accounts.add_organisation(connection, ORG_A, "Body A", by=ADMIN)
    accounts.add_organisation(connection, ORG_B, "Body B", by=ADMIN)
    yield connection
    connection.close()


def test_a_token_authenticates_as_an_editor_of_its_organisations(register: sqlite3.Connection) -> None:
    info, secret = tokens.create_token(register, "Body A's publisher", organisations=[ORG_A, ORG_B], by=ADMIN)
    assert secret.startswith("nqdb_") and len(secret) == 5 + 43
    assert (info.role, info.organisations, info.created_by, info.revoked) == (
        Role.EDITOR, (ORG_A, ORG_B), "cli:tester", None)
    assert tokens.authenticate_token(register, secret) == Principal(f"token:{info.id}", Role.EDITOR,
                                                                    frozenset({ORG_A, ORG_B}))
    assert tokens.list_tokens(register)[0].last_used is not None
    assert secret not in str(info.to_json())


def test_a_reviewer_token_is_bound_to_no_organisation(register: sqlite3.Connection) -> None:
    info, secret = tokens.create_token(register, "review robot", "reviewer", by=ADMIN)
    principal = tokens.authenticate_token(register, secret)
    assert principal is not None and principal.may_review() and principal.organisations == frozenset()
    assert info.role == Role.REVIEWER


def test_only_the_secret_s_hash_is_stored(register: sqlite3.Connection, tmp_path: Path) -> None:
    _, secret = tokens.create_token(register, "publisher", organisations=[ORG_A], by=ADMIN)
    register.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file, the WAL emptied
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(database_path(tmp_path).name))
    assert secret.encode() not in stored and secret[5:].encode() not in stored
    assert b"publisher" in stored  # the file read is the one that holds the token


def test_unknown_malformed_and_revoked_secrets_authenticate_nobody(register: sqlite3.Connection) -> None:
    info, secret = tokens.create_token(register, "publisher", organisations=[ORG_A], by=ADMIN)
    assert tokens.authenticate_token(register, secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert tokens.authenticate_token(register, secret[5:]) is None
    assert tokens.authenticate_token(register, "") is None
    revoked = tokens.revoke_token(register, info.id, by=ADMIN)
    assert revoked.revoked is not None
    assert tokens.authenticate_token(register, secret) is None
    assert tokens.revoke_token(register, info.id, by=ADMIN) == revoked  # again: nothing changes
    assert [e.action for e in audit.entries(register, actor=ADMIN.actor)][:2] == ["token.revoke", "token.create"]


def test_last_used_is_written_at_most_once_a_minute(register: sqlite3.Connection) -> None:
    _, secret = tokens.create_token(register, "publisher", organisations=[ORG_A], by=ADMIN)
    half_a_minute_ago, over_a_minute_ago = later(-30), later(-61)
    register.execute("UPDATE tokens SET last_used = ?", (half_a_minute_ago,))
    tokens.authenticate_token(register, secret)
    assert tokens.list_tokens(register)[0].last_used == half_a_minute_ago
    register.execute("UPDATE tokens SET last_used = ?", (over_a_minute_ago,))
    tokens.authenticate_token(register, secret)
    last_used = tokens.list_tokens(register)[0].last_used
    assert last_used is not None and last_used > half_a_minute_ago


@pytest.mark.parametrize(("name", "role", "organisations", "message"), [
    ("publisher", "editor", [], "at least one organisation"),
    ("publisher", "editor", ["https://example.org/org/unknown"], "No organisation"),
    ("publisher", "reviewer", [ORG_A], "give no organisation"),
    ("publisher", "admin", [], "never as an admin"),
    ("publisher", "owner", [ORG_A], "Unknown role"),
    ("  ", "editor", [ORG_A], "needs a name"),
])
def test_a_bad_token_is_refused_and_changes_nothing(register: sqlite3.Connection, name: str, role: str,
                                                    organisations: list[str], message: str) -> None:
    before = rows(register)
    with pytest.raises(AccountError, match=message):
        tokens.create_token(register, name, role, organisations, by=ADMIN)
    assert rows(register) == before


def test_only_an_admin_manages_tokens(register: sqlite3.Connection) -> None:
    info, _ = tokens.create_token(register, "publisher", organisations=[ORG_A], by=ADMIN)
    editor = Principal("user:ed@example.org", Role.EDITOR, frozenset({ORG_A}))
    before = rows(register)
    with pytest.raises(PermissionDenied):
        tokens.create_token(register, "mine", organisations=[ORG_A], by=editor)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(register, info.id, by=editor)
    with pytest.raises(AccountNotFound, match="No API token with id 99"):
        tokens.revoke_token(register, 99, by=ADMIN)
    assert rows(register) == before
