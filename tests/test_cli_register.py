"""The operator commands of the register (issue 11): init --admin, organisation, user and token, on a real store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nqdb.cli import main
from store.core.triplestore import Store
from store.registry import accounts, tokens
from store.registry.database import database_path, open_database
from store.registry.principals import Role
from tests.register_state import rows

ORG = "https://example.org/org/a"
PASSWORD = "a long enough passphrase"


@pytest.fixture
def store(empty_store: Store) -> Path:
    return empty_store.path


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def nqdb(store: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [*args, "--store", str(store)], input=input)


def register_rows(store: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database_path(store)) as connection:
        return rows(connection)


def error_line(result: Result) -> str:
    """The one line a refusal prints, on stderr."""
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith("Error: ")
    return result.stderr


def check_login(store: Path, email: str, password: str) -> Role:
    connection = open_database(store)
    try:
        return accounts.authenticate_password(connection, email, password, max_failures=5, lockout_seconds=60).role
    finally:
        connection.close()


def test_init_creates_the_first_admin_from_a_password_file_and_stays_idempotent(tmp_path: Path,
                                                                                 password_file: Path) -> None:
    store = tmp_path / "fresh"  # a new store: refreshing the vocabularies of an existing one takes seconds more
    first = nqdb(store, "init", "--admin", "root@example.org", "--password-file", str(password_file), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["adminCreated"] is True and report["admin"]["role"] == "admin" and report["vocabularies"] > 0
    assert check_login(store, "root@example.org", PASSWORD) == Role.ADMIN
    again = nqdb(store, "init", "--admin", "root@example.org")  # no prompt: the account exists
    assert again.exit_code == 0, again.output
    assert "root@example.org already exists (admin); unchanged." in again.stdout
    assert [user[1] for user in register_rows(store)["users"]] == ["root@example.org"]  # (id, email, ...)


def test_init_prompts_twice_for_the_password_on_a_new_store(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    result = nqdb(fresh, "init", "--admin", "root@example.org", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Admin root@example.org created." in result.stdout and PASSWORD not in result.output
    assert check_login(fresh, "root@example.org", PASSWORD) == Role.ADMIN


def test_init_without_admin_creates_the_register(tmp_path: Path) -> None:
    store = tmp_path / "fresh"
    result = nqdb(store, "init")
    assert result.exit_code == 0 and result.stdout.startswith("Store ready"), result.output
    assert register_rows(store)["users"] == []


@pytest.mark.parametrize(("email", "password", "message"), [
    ("root.example.org", PASSWORD, "not an email address"),
    ("root@example.org", "short", "at least 12 characters"),
])
def test_init_refuses_a_bad_admin_before_writing_anything(tmp_path: Path, email: str, password: str,
                                                          message: str) -> None:
    fresh, secret = tmp_path / "fresh", tmp_path / "secret.txt"
    secret.write_text(password, encoding="utf-8")
    result = nqdb(fresh, "init", "--admin", email, "--password-file", str(secret))
    assert result.exit_code == 1 and message in error_line(result)
    assert not fresh.exists()


def test_organisations_are_added_and_listed(store: Path) -> None:
    added = nqdb(store, "organisation", "add", ORG, "--name", "Body A", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["iri"] == ORG
    listed = nqdb(store, "organisation", "list", "--json")
    assert [o["name"] for o in json.loads(listed.stdout)["organisations"]] == ["Body A"]
    assert f"{ORG}  Body A" in nqdb(store, "organisation", "list").stdout
    before = register_rows(store)
    twice = nqdb(store, "organisation", "add", ORG, "--name", "Again")
    assert twice.exit_code == 1 and "already in the register" in error_line(twice)
    assert register_rows(store) == before


def test_users_are_added_listed_disabled_and_enabled(store: Path, password_file: Path) -> None:
    assert nqdb(store, "organisation", "add", ORG, "--name", "Body A").exit_code == 0
    added = nqdb(store, "user", "add", "ed@example.org", "--role", "editor", "--organisation", ORG,
                 "--name", "Ed", "--password-file", str(password_file), "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["organisations"] == [ORG]
    prompted = nqdb(store, "user", "add", "rev@example.org", "--role", "reviewer",
                    input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0 and "Added reviewer rev@example.org." in prompted.stdout
    assert check_login(store, "rev@example.org", PASSWORD) == Role.REVIEWER
    listed = nqdb(store, "user", "list", "--json")
    users = {u["email"]: u for u in json.loads(listed.stdout)["users"]}
    assert set(users) == {"ed@example.org", "rev@example.org"} and users["ed@example.org"]["name"] == "Ed"
    assert "scrypt" not in listed.stdout and "scrypt" not in nqdb(store, "user", "list").stdout
    disabled = nqdb(store, "user", "disable", "ed@example.org", "--json")
    assert json.loads(disabled.stdout)["disabled"] is True
    assert "ed@example.org  editor  disabled" in nqdb(store, "user", "list").stdout
    with pytest.raises(accounts.LoginFailed):
        check_login(store, "ed@example.org", PASSWORD)
    assert nqdb(store, "user", "enable", "ed@example.org").stdout == "Enabled ed@example.org.\n"
    assert check_login(store, "ed@example.org", PASSWORD) == Role.EDITOR


def test_a_wrong_role_or_an_unknown_organisation_is_one_line_and_changes_nothing(store: Path,
                                                                                password_file: Path) -> None:
    assert nqdb(store, "organisation", "add", ORG, "--name", "Body A").exit_code == 0
    before = register_rows(store)
    wrong_role = nqdb(store, "user", "add", "ed@example.org", "--role", "owner", "--organisation", ORG,
                      "--password-file", str(password_file))
    assert wrong_role.exit_code == 2 and "'owner' is not one of" in wrong_role.stderr.splitlines()[-1]
    unknown = nqdb(store, "user", "add", "ed@example.org", "--role", "editor", "--organisation",
                   "https://example.org/org/unknown", "--password-file", str(password_file))
    assert unknown.exit_code == 1 and "No organisation https://example.org/org/unknown" in error_line(unknown)
    token = nqdb(store, "token", "create", "--name", "robot", "--organisation", "https://example.org/org/unknown")
    assert token.exit_code == 1 and "No organisation" in error_line(token)
    no_file = nqdb(store, "user", "add", "ed@example.org", "--role", "editor", "--organisation", ORG,
                   "--password-file", str(password_file.with_name("missing.txt")))
    assert no_file.exit_code == 1 and "cannot read the password" in error_line(no_file)
    missing = nqdb(store, "user", "disable", "nobody@example.org")
    assert missing.exit_code == 1 and "No user nobody@example.org" in error_line(missing)
    assert register_rows(store) == before


def test_a_token_s_secret_is_printed_once_and_authenticates_until_revoked(store: Path) -> None:
    assert nqdb(store, "organisation", "add", ORG, "--name", "Body A").exit_code == 0
    created = nqdb(store, "token", "create", "--name", "Body A robot", "--organisation", ORG, "--json")
    assert created.exit_code == 0, created.output
    report = json.loads(created.stdout)
    secret, token_id = report["secret"], report["token"]["id"]
    connection = open_database(store)
    try:
        principal = tokens.authenticate_token(connection, secret)
        assert principal is not None and principal.organisations == {ORG} and principal.role == Role.EDITOR
        text = nqdb(store, "token", "create", "--name", "reviewer robot", "--role", "reviewer")
        assert "cannot be shown again" in text.stdout and text.stdout.splitlines()[-1].startswith("nqdb_")
        listed = nqdb(store, "token", "list", "--json")
        assert [t["name"] for t in json.loads(listed.stdout)["tokens"]] == ["Body A robot", "reviewer robot"]
        assert "nqdb_" not in listed.stdout and "nqdb_" not in nqdb(store, "token", "list").stdout
        revoked = nqdb(store, "token", "revoke", str(token_id), "--json")
        assert revoked.exit_code == 0 and json.loads(revoked.stdout)["revoked"] is not None
        assert tokens.authenticate_token(connection, secret) is None
        assert f"{token_id}  Body A robot  editor  revoked" in nqdb(store, "token", "list").stdout
    finally:
        connection.close()
    unknown = nqdb(store, "token", "revoke", "99")
    assert unknown.exit_code == 1 and "No API token with id 99" in error_line(unknown)


def test_register_commands_need_an_initialised_store(tmp_path: Path) -> None:
    result = nqdb(tmp_path / "none", "user", "list", "--json")
    assert result.exit_code == 1 and "No NQDB store" in json.loads(result.stdout)["error"]
    assert not (tmp_path / "none").exists()
