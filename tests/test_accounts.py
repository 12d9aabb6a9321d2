"""Accounts of the register (issue 11): organisations, users, scrypt passwords, logins with lockout, the audit."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store.registry import accounts, audit, passwords
from store.registry.accounts import AccountError, AccountNotFound, LoginFailed
from store.registry.database import open_database
from store.registry.principals import PermissionDenied, Principal, Role
from tests.register_state import rows

ORG_A, ORG_B = "https://example.org/org/a", "https://example.org/org/b"
PASSWORD = "correct horse battery"
ADMIN = accounts.operator("tester")


@pytest.fixture
def register(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A register database with two organisations and no user."""
    connection = open_database(tmp_path)
    accounts.add_organisation(connection, ORG_A, "Body A", by=ADMIN)
    accounts.add_organisation(connection, ORG_B, "Body B", by=ADMIN)
    yield connection
    connection.close()


def login(register: sqlite3.Connection, email: str, password: str, max_failures: int = 3) -> Principal:
    return accounts.authenticate_password(register, email, password, max_failures=max_failures,
                                          lockout_seconds=900)


def test_organisations_are_added_listed_and_found(register: sqlite3.Connection) -> None:
    assert [o.iri for o in accounts.list_organisations(register)] == [ORG_A, ORG_B]
    found = accounts.get_organisation(register, ORG_B)
    assert found is not None and found.name == "Body B"
    assert accounts.get_organisation(register, "https://example.org/org/none") is None


@pytest.mark.parametrize(("iri", "name", "message"), [
    (ORG_A, "Again", "already in the register"),
    ("not an iri", "X", "not an absolute IRI"),
    ("https://example.org/a b", "X", "not an absolute IRI"),
    ("https://example.org/org/c", "  ", "needs a name"),
])
def test_a_bad_organisation_is_refused_and_changes_nothing(register: sqlite3.Connection, iri: str, name: str,
                                                           message: str) -> None:
    before = rows(register)
    with pytest.raises(AccountError, match=message):
        accounts.add_organisation(register, iri, name, by=ADMIN)
    assert rows(register) == before


def test_a_user_is_added_with_role_and_organisations(register: sqlite3.Connection) -> None:
    user = accounts.add_user(register, " ed@example.org ", "editor", name="Ed", organisations=[ORG_A],
                             password=PASSWORD, by=ADMIN)
    assert (user.email, user.role, user.organisations, user.disabled, user.has_password) == (
        "ed@example.org", Role.EDITOR, (ORG_A,), False, True)
    assert "hash" not in str(user.to_json()).lower() and PASSWORD not in str(user.to_json())
    assert accounts.get_user(register, "ED@EXAMPLE.ORG") == user
    assert accounts.list_users(register) == [user]
    assert accounts.principal_of_user(register, user.id) == Principal("user:ed@example.org", Role.EDITOR,
                                                                      frozenset({ORG_A}))


@pytest.mark.parametrize(("email", "role", "organisations", "password", "message"), [
    ("ed@example.org", "owner", [ORG_A], PASSWORD, "Unknown role 'owner'"),
    ("ed.example.org", "editor", [ORG_A], PASSWORD, "not an email address"),
    ("ed@localhost", "editor", [ORG_A], PASSWORD, "not an email address"),
    ("ed@example.org", "editor", [], PASSWORD, "at least one organisation"),
    ("ed@example.org", "editor", ["https://example.org/org/unknown"], PASSWORD, "No organisation"),
    ("ed@example.org", "reviewer", [ORG_A], PASSWORD, "give no organisation"),
    ("ed@example.org", "editor", [ORG_A], "short", "at least 12 characters"),
    ("Taken@Example.org", "admin", [], PASSWORD, "already exists"),
])
def test_a_bad_user_is_refused_and_changes_nothing(register: sqlite3.Connection, email: str, role: str,
                                                   organisations: list[str], password: str, message: str) -> None:
    accounts.add_user(register, "taken@example.org", "admin", by=ADMIN)
    before = rows(register)
    with pytest.raises(AccountError, match=message):
        accounts.add_user(register, email, role, organisations=organisations, password=password, by=ADMIN)
    assert rows(register) == before


def test_only_an_admin_changes_accounts(register: sqlite3.Connection) -> None:
    reviewer = Principal("user:rev@example.org", Role.REVIEWER, frozenset())
    before = rows(register)
    attempts: list[Callable[[], object]] = [
        lambda: accounts.add_organisation(register, "https://example.org/org/c", "C", by=reviewer),
        lambda: accounts.add_user(register, "x@example.org", "admin", by=reviewer),
        lambda: accounts.disable_user(register, "x@example.org", by=reviewer)]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert rows(register) == before


def test_passwords_are_salted_scrypt_hashes(register: sqlite3.Connection) -> None:
    for email in ("one@example.org", "two@example.org"):
        accounts.add_user(register, email, "admin", password=PASSWORD, by=ADMIN)
    stored = [r[0] for r in register.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("scrypt$32768$8$1$") for h in stored)
    assert stored[0] != stored[1]  # a salt per password
    assert passwords.verify(PASSWORD, stored[0]) and not passwords.verify(PASSWORD + "!", stored[0])
    assert not passwords.verify(PASSWORD, stored[0][:-4] + "AAA=")
    assert not passwords.verify(PASSWORD, "scrypt$x$8$1$AA==$AA==") and not passwords.verify(PASSWORD, "")


def test_a_login_gives_the_principal_and_is_audited(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "rev@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    principal = login(register, "REV@example.org", PASSWORD)
    assert principal == Principal("user:rev@example.org", Role.REVIEWER, frozenset())
    assert [e.action for e in audit.entries(register, actor="user:rev@example.org")] == ["user.login"]


def test_a_failed_login_never_says_whether_the_email_exists(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "rev@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    accounts.add_user(register, "nopass@example.org", "reviewer", by=ADMIN)
    messages = set()
    for email, password in (("rev@example.org", "wrong password!"), ("nobody@example.org", PASSWORD),
                            ("nopass@example.org", PASSWORD)):
        with pytest.raises(LoginFailed) as failure:
            login(register, email, password)
        messages.add(str(failure.value))
    assert messages == {accounts.LOGIN_FAILED}


def test_the_account_locks_after_max_failures_and_unlocks_after_the_lockout(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "rev@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            login(register, "rev@example.org", "wrong password!")
    with pytest.raises(LoginFailed):  # locked: even the right password is refused
        login(register, "rev@example.org", PASSWORD)
    user = accounts.get_user(register, "rev@example.org")
    assert user is not None and user.locked_until is not None
    actions = [e.action for e in audit.entries(register, actor="user:rev@example.org")]
    assert actions == ["user.locked", "user.login_failed", "user.login_failed", "user.login_failed"]
    register.execute("UPDATE users SET locked_until = '2000-01-01T00:00:00Z'")  # the lockout has passed
    assert login(register, "rev@example.org", PASSWORD).actor == "user:rev@example.org"


def test_a_success_resets_the_failure_count(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "rev@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    for attempt in ("wrong password!", "wrong password!", PASSWORD, "wrong password!", "wrong password!", PASSWORD):
        if attempt == PASSWORD:
            login(register, "rev@example.org", attempt)
        else:
            with pytest.raises(LoginFailed):
                login(register, "rev@example.org", attempt)


def test_a_disabled_user_cannot_log_in_until_enabled(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "admin@example.org", "admin", password=PASSWORD, by=ADMIN)
    accounts.add_user(register, "ed@example.org", "editor", organisations=[ORG_A], password=PASSWORD, by=ADMIN)
    assert accounts.disable_user(register, "ed@example.org", by=ADMIN).disabled
    with pytest.raises(LoginFailed, match="Wrong email or password"):
        login(register, "ed@example.org", PASSWORD)
    assert not accounts.enable_user(register, "ed@example.org", by=ADMIN).disabled
    assert login(register, "ed@example.org", PASSWORD).organisations == {ORG_A}
    actions = [e.action for e in audit.entries(register, actor=ADMIN.actor)]
    assert actions[:2] == ["user.enable", "user.disable"]


def test_the_last_enabled_admin_cannot_be_disabled(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "admin@example.org", "admin", password=PASSWORD, by=ADMIN)
    before = rows(register)
    with pytest.raises(AccountError, match="last enabled admin"):
        accounts.disable_user(register, "admin@example.org", by=ADMIN)
    assert rows(register) == before
    with pytest.raises(AccountNotFound, match="No user nobody@example.org"):
        accounts.disable_user(register, "nobody@example.org", by=ADMIN)


def test_a_user_sets_its_own_password_but_not_another_one(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "rev@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    accounts.add_user(register, "other@example.org", "reviewer", password=PASSWORD, by=ADMIN)
    itself = login(register, "rev@example.org", PASSWORD)
    accounts.set_password(register, "rev@example.org", "a new long passphrase", by=itself)
    assert login(register, "rev@example.org", "a new long passphrase") == itself
    before = rows(register)
    with pytest.raises(PermissionDenied):
        accounts.set_password(register, "other@example.org", "a new long passphrase", by=itself)
    with pytest.raises(AccountError, match="at least 12"):
        accounts.set_password(register, "rev@example.org", "tiny", by=itself)
    assert rows(register) == before


def test_every_change_is_audited_with_its_actor(register: sqlite3.Connection) -> None:
    accounts.add_user(register, "ed@example.org", "editor", organisations=[ORG_B, ORG_A], by=ADMIN)
    accounts.set_password(register, "ed@example.org", PASSWORD, by=ADMIN)
    logged = audit.entries(register, actor="cli:tester")
    assert [e.action for e in logged] == ["user.password", "user.add", "organisation.add", "organisation.add"]
    assert logged[1].detail is not None and ORG_A in logged[1].detail and "ed@example.org" in logged[1].detail


def test_an_unknown_user_id_has_no_principal(register: sqlite3.Connection) -> None:
    with pytest.raises(AccountNotFound):
        accounts.principal_of_user(register, 999)
