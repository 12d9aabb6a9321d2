"""Accounts: the organisations (awarding bodies) of the register, staff users with a role, their logins.

Every change takes the acting principal (`by`), is refused unless it may administer (`principals`), and writes
its audit entry in the same transaction. A login that fails `max_failures` times in a row locks the account for
`lockout_seconds`; every refusal has one message, so a login never tells whether an email is registered.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from store.registry import audit, passwords
from store.registry.database import later, now, transaction
from store.registry.principals import Principal, Role, require

EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")  # local@domain.tld: enough to catch a typo, no more
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")  # RFC 3987: a scheme, no characters IRIs forbid
MAX_EMAIL, MAX_NAME, MAX_IRI = 254, 500, 2048
LOGIN_FAILED = "Wrong email or password, or the account is locked or disabled."
T = TypeVar("T")


class AccountError(ValueError):
    """A change refused for its input (HTTP 422, CLI exit 1): the message names the field and the value."""


class AccountNotFound(AccountError):
    """No user or organisation with that key (HTTP 404)."""


class LoginFailed(Exception):
    """A refused login (HTTP 401), with one message whatever the reason."""


@dataclass(frozen=True)
class Organisation:
    iri: str
    name: str
    created: str

    def to_json(self) -> dict[str, object]:
        return {"iri": self.iri, "name": self.name, "created": self.created}


@dataclass(frozen=True)
class User:
    """A staff account as callers see it: never its password hash."""

    id: int
    email: str
    name: str
    role: Role
    organisations: tuple[str, ...]
    disabled: bool
    has_password: bool
    locked_until: str | None
    created: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": str(self.role),
                "organisations": list(self.organisations), "disabled": self.disabled,
                "hasPassword": self.has_password, "lockedUntil": self.locked_until, "created": self.created}


def operator(os_user: str) -> Principal:
    """Whoever runs the `nqdb` command on the server: an admin, audited as "cli:<os user>"."""
    return Principal(f"cli:{os_user}", Role.ADMIN, frozenset())


def add_organisation(connection: sqlite3.Connection, iri: str, name: str, *, by: Principal) -> Organisation:
    """Register an awarding body under its IRI (the one its records name as awarding body)."""
    require(by.may_administer(), "Only an admin may add organisations.")
    iri, name = check_iri(iri), _check_name(name, "An organisation needs a name.")
    with transaction(connection):
        if get_organisation(connection, iri) is not None:
            raise AccountError(f"The organisation {iri} is already in the register.")
        connection.execute("INSERT INTO organisations (iri, name, created) VALUES (?, ?, ?)", (iri, name, now()))
        audit.append(connection, by.actor, "organisation.add", detail=_detail(iri=iri, name=name))
    return _found(get_organisation(connection, iri), f"No organisation {iri} in the register.")


def get_organisation(connection: sqlite3.Connection, iri: str) -> Organisation | None:
    row = connection.execute("SELECT * FROM organisations WHERE iri = ?", (iri,)).fetchone()
    return None if row is None else Organisation(row["iri"], row["name"], row["created"])


def list_organisations(connection: sqlite3.Connection) -> list[Organisation]:
    rows = connection.execute("SELECT * FROM organisations ORDER BY name, iri")
    return [Organisation(r["iri"], r["name"], r["created"]) for r in rows]


def add_user(connection: sqlite3.Connection, email: str, role: str, *, name: str = "",
             organisations: Iterable[str] = (), password: str | None = None, by: Principal) -> User:
    """A new account; an editor belongs to one or more organisations, an admin or reviewer to none.

    Without a password the account cannot log in until `set_password`.
    """
    require(by.may_administer(), "Only an admin may add users.")
    email, checked_role, name = check_email(email), check_role(role), _check_name(name, None)
    password_hash = None if password is None else _hash(password)
    with transaction(connection):
        bound = check_organisations(connection, checked_role, organisations)
        if get_user(connection, email) is not None:
            raise AccountError(f"A user with the email {email} already exists.")
        cursor = connection.execute(
            "INSERT INTO users (email, name, role, password_hash, created) VALUES (?, ?, ?, ?, ?)",
            (email, name, str(checked_role), password_hash, now()))
        connection.executemany("INSERT INTO user_organisations (user_id, organisation) VALUES (?, ?)",
                               [(cursor.lastrowid, iri) for iri in bound])
        audit.append(connection, by.actor, "user.add",
                     detail=_detail(email=email, role=str(checked_role), organisations=list(bound)))
    return _user_named(connection, email)


def _user_named(connection: sqlite3.Connection, email: str) -> User:
    return _found(get_user(connection, email), f"No user {email.strip()} in the register.")


def get_user(connection: sqlite3.Connection, email: str) -> User | None:
    """The account with this email (in any letter case), or None."""
    row = connection.execute("SELECT * FROM users WHERE email = ?", (email.strip(),)).fetchone()
    return None if row is None else _user(connection, row)


def list_users(connection: sqlite3.Connection) -> list[User]:
    return [_user(connection, row) for row in connection.execute("SELECT * FROM users ORDER BY email")]


def disable_user(connection: sqlite3.Connection, email: str, *, by: Principal) -> User:
    """Stop an account from logging in and end its sessions; the last enabled admin cannot be disabled."""
    require(by.may_administer(), "Only an admin may disable users.")
    with transaction(connection):
        user = _user_named(connection, email)
        enabled_admins = connection.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").fetchone()[0]
        if user.role == Role.ADMIN and not user.disabled and enabled_admins == 1:
            raise AccountError(f"{user.email} is the last enabled admin; add another admin first.")
        connection.execute("UPDATE users SET disabled = 1 WHERE id = ?", (user.id,))
        connection.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))  # signed out everywhere
        audit.append(connection, by.actor, "user.disable", detail=_detail(email=user.email))
    return _user_named(connection, email)


def enable_user(connection: sqlite3.Connection, email: str, *, by: Principal) -> User:
    """Let a disabled account log in again (and lift a lockout)."""
    require(by.may_administer(), "Only an admin may enable users.")
    with transaction(connection):
        user = _user_named(connection, email)
        connection.execute("UPDATE users SET disabled = 0, failed_logins = 0, locked_until = NULL WHERE id = ?",
                           (user.id,))
        audit.append(connection, by.actor, "user.enable", detail=_detail(email=user.email))
    return _user_named(connection, email)


def set_password(connection: sqlite3.Connection, email: str, password: str, *, by: Principal) -> None:
    """Give an account a new password: an admin for anyone, a user for itself."""
    user = _user_named(connection, email)
    require(by.may_administer() or by.actor == f"user:{user.email}", "Only an admin may set another's password.")
    password_hash = _hash(password)
    with transaction(connection):
        connection.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL "
                           "WHERE id = ?", (password_hash, user.id))
        audit.append(connection, by.actor, "user.password", detail=_detail(email=user.email))


def authenticate_password(connection: sqlite3.Connection, email: str, password: str, *, max_failures: int,
                          lockout_seconds: float) -> Principal:
    """The principal of the account if `password` is its password and it is neither disabled nor locked.

    A wrong password counts a failure; the `max_failures`-th in a row (0 = never) locks the account for
    `lockout_seconds` and starts a new count; a success resets it.

    Raises:
        LoginFailed: for any reason, with the same message; the work done is the same whether or not the
        email exists.
    """
    row = connection.execute("SELECT * FROM users WHERE email = ?", (email.strip(),)).fetchone()
    usable = (row is not None and row["password_hash"] is not None and not row["disabled"]
              and (row["locked_until"] is None or row["locked_until"] <= now()))
    if not usable:
        passwords.verify(password, passwords.decoy())
        raise LoginFailed(LOGIN_FAILED)
    actor = f"user:{row['email']}"
    if not passwords.verify(password, row["password_hash"]):
        _count_failure(connection, row["id"], actor, max_failures, lockout_seconds)
        raise LoginFailed(LOGIN_FAILED)
    with transaction(connection):
        connection.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", (row["id"],))
        audit.append(connection, actor, "user.login")
    return principal_of_user(connection, int(row["id"]))


def principal_of_user(connection: sqlite3.Connection, user_id: int) -> Principal:
    """The principal an account acts as: actor "user:<email>", its role and organisations.

    Raises:
        AccountNotFound: no account has this id.
    """
    row = connection.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise AccountNotFound(f"No user with id {user_id}.")
    user = _user(connection, row)
    return Principal(f"user:{user.email}", user.role, frozenset(user.organisations))


def check_email(email: str) -> str:
    """`email` without surrounding spaces, if it looks like an email address."""
    email = email.strip()
    if len(email) > MAX_EMAIL or not EMAIL.fullmatch(email):
        raise AccountError(f"{email!r} is not an email address (name@example.org).")
    return email


def check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(r.value for r in Role)}.") from None


def check_iri(iri: str) -> str:
    """`iri` without surrounding spaces, if it is an absolute IRI."""
    iri = iri.strip()
    if len(iri) > MAX_IRI or not IRI.fullmatch(iri):
        raise AccountError(f"{iri!r} is not an absolute IRI (https://example.org/org/1).")
    return iri


def check_organisations(connection: sqlite3.Connection, role: Role, organisations: Iterable[str]) -> tuple[str, ...]:
    """The organisations a principal of `role` is bound to, each in the register: one or more for an editor,
    none for the authority's staff."""
    bound = tuple(sorted({check_iri(iri) for iri in organisations}))
    if role == Role.EDITOR and not bound:
        raise AccountError("An editor acts for an awarding body: give at least one organisation.")
    if role != Role.EDITOR and bound:
        raise AccountError(f"A {role} acts for the authority, not for an organisation: give no organisation.")
    unknown = [iri for iri in bound if get_organisation(connection, iri) is None]
    if unknown:
        raise AccountError(f"No organisation {', '.join(unknown)} in the register; add it first.")
    return bound


def _count_failure(connection: sqlite3.Connection, user_id: int, actor: str, max_failures: int,
                   lockout_seconds: float) -> None:
    with transaction(connection):  # one UPDATE counts, so concurrent failures each count
        failures = connection.execute("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? "
                                      "RETURNING failed_logins", (user_id,)).fetchone()[0]
        audit.append(connection, actor, "user.login_failed", detail=_detail(failures=failures))
        if max_failures > 0 and failures >= max_failures:
            until = later(lockout_seconds)
            connection.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", (until, user_id))
            audit.append(connection, actor, "user.locked", detail=_detail(until=until))


def _hash(password: str) -> str:
    try:
        return passwords.hash_password(password)
    except passwords.PasswordRejected as error:
        raise AccountError(str(error)) from None


def _check_name(name: str, missing: str | None) -> str:
    """`name` without surrounding spaces; `missing` is the error for an empty one (None: it may be empty)."""
    name = name.strip()
    if not name and missing is not None:
        raise AccountError(missing)
    if len(name) > MAX_NAME:
        raise AccountError(f"A name may have at most {MAX_NAME} characters.")
    return name


def _user(connection: sqlite3.Connection, row: sqlite3.Row) -> User:
    organisations = tuple(r[0] for r in connection.execute(
        "SELECT organisation FROM user_organisations WHERE user_id = ? ORDER BY organisation", (row["id"],)))
    locked = row["locked_until"] if row["locked_until"] and row["locked_until"] > now() else None
    return User(row["id"], row["email"], row["name"], Role(row["role"]), organisations, bool(row["disabled"]),
                row["password_hash"] is not None, locked, row["created"])


def _found(value: T | None, message: str) -> T:
    if value is None:
        raise AccountNotFound(message)
    return value


def _detail(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)
