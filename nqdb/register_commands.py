"""`nqdb organisation`, `nqdb user` and `nqdb token`: the register's accounts, for operators."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from nqdb.options import JSON_OPTION, PASSWORD_FILE_OPTION, STORE_OPTION, emit, fail
from store.core.triplestore import Store
from store.registry import accounts, passwords, tokens
from store.registry.accounts import AccountError
from store.registry.principals import PermissionDenied, Principal, Role


@click.group()
def organisation() -> None:
    """The register's awarding bodies: the organisations editors and API tokens act for."""


@organisation.command("add")
@click.argument("iri")
@click.option("--name", required=True, help="The organisation's name.")
@STORE_OPTION
@JSON_OPTION
def organisation_add(iri: str, name: str, store_path: Path, as_json: bool) -> None:
    """Add the organisation with this IRI (the awarding body its records name)."""
    with open_register(store_path, as_json) as register:
        added = accounts.add_organisation(register, iri, name, by=operator())
    emit(as_json, added.to_json(), f"Added organisation {added.iri} ({added.name}).")


@organisation.command("list")
@STORE_OPTION
@JSON_OPTION
def organisation_list(store_path: Path, as_json: bool) -> None:
    """Every organisation of the register, by name."""
    with open_register(store_path, as_json) as register:
        found = accounts.list_organisations(register)
    emit(as_json, {"organisations": [o.to_json() for o in found]},
            "\n".join(f"{o.iri}  {o.name}" for o in found) or "No organisations yet: `nqdb organisation add`.")


@click.group()
def user() -> None:
    """Staff accounts: admins, reviewers (the authority) and editors (an awarding body's staff)."""


@user.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="What the user may do.")
@click.option("--organisation", "organisations", multiple=True, metavar="IRI",
              help="An organisation an editor acts for (repeat for more; none for admin and reviewer).")
@click.option("--name", default="", help="The user's name, as shown on the staff pages.")
@PASSWORD_FILE_OPTION
@STORE_OPTION
@JSON_OPTION
def user_add(email: str, role: str, organisations: tuple[str, ...], name: str, password_file: Path | None,
             store_path: Path, as_json: bool) -> None:
    """Add a user with a password (prompted twice, or --password-file)."""
    with open_register(store_path, as_json) as register:  # every argument is checked before the prompt
        accounts.check_organisations(register, accounts.check_role(role), organisations)
        if accounts.get_user(register, accounts.check_email(email)) is not None:
            raise AccountError(f"A user with the email {email.strip()} already exists.")
        added = accounts.add_user(register, email, role, name=name, organisations=organisations,
                                  password=new_password(password_file, as_json), by=operator())
    emit(as_json, added.to_json(), f"Added {added.role} {added.email}.")


@user.command("list")
@STORE_OPTION
@JSON_OPTION
def user_list(store_path: Path, as_json: bool) -> None:
    """Every user with role, state and organisations (never a password hash)."""
    with open_register(store_path, as_json) as register:
        found = accounts.list_users(register)
    lines = [f"{u.email}  {u.role}  {'disabled' if u.disabled else 'enabled'}"
             + (f"  locked until {u.locked_until}" if u.locked_until else "")
             + (f"  {' '.join(u.organisations)}" if u.organisations else "") for u in found]
    emit(as_json, {"users": [u.to_json() for u in found]}, "\n".join(lines) or "No users yet: `nqdb user add`.")


@user.command("disable")
@click.argument("email")
@STORE_OPTION
@JSON_OPTION
def user_disable(email: str, store_path: Path, as_json: bool) -> None:
    """Stop a user from logging in and end their sessions."""
    with open_register(store_path, as_json) as register:
        changed = accounts.disable_user(register, email, by=operator())
    emit(as_json, changed.to_json(), f"Disabled {changed.email}.")


@user.command("enable")
@click.argument("email")
@STORE_OPTION
@JSON_OPTION
def user_enable(email: str, store_path: Path, as_json: bool) -> None:
    """Let a disabled or locked-out user log in again."""
    with open_register(store_path, as_json) as register:
        changed = accounts.enable_user(register, email, by=operator())
    emit(as_json, changed.to_json(), f"Enabled {changed.email}.")


@click.group()
def token() -> None:
    """API tokens: secrets programs send as `Authorization: Bearer …` to act for organisations."""


@token.command("create")
@click.option("--name", required=True, help="Who or what uses the token (shown in lists and the audit log).")
@click.option("--role", default="editor", show_default=True, type=click.Choice(["editor", "reviewer"]),
              help="editor: submits for its organisations; reviewer: acts for the authority.")
@click.option("--organisation", "organisations", multiple=True, metavar="IRI",
              help="An organisation an editor token submits for (repeat for more).")
@STORE_OPTION
@JSON_OPTION
def token_create(name: str, role: str, organisations: tuple[str, ...], store_path: Path, as_json: bool) -> None:
    """Create a token and print its secret, once: only its hash is kept."""
    with open_register(store_path, as_json) as register:
        created, secret = tokens.create_token(register, name, role, organisations, by=operator())
    bound = f" for {', '.join(created.organisations)}" if created.organisations else ""
    emit(as_json, {"token": created.to_json(), "secret": secret},
            f"Created API token {created.id} ({created.name}), {created.role}{bound}. Its secret, which cannot be "
            f"shown again:\n{secret}")


@token.command("list")
@STORE_OPTION
@JSON_OPTION
def token_list(store_path: Path, as_json: bool) -> None:
    """Every token, revoked ones too (never a secret)."""
    with open_register(store_path, as_json) as register:
        found = tokens.list_tokens(register)
    lines = [f"{t.id}  {t.name}  {t.role}  " + (f"revoked {t.revoked}" if t.revoked else "active")
             + f"  last used {t.last_used or 'never'}" + (f"  {' '.join(t.organisations)}" if t.organisations else "")
             for t in found]
    emit(as_json, {"tokens": [t.to_json() for t in found]}, "\n".join(lines) or "No API tokens yet.")


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@STORE_OPTION
@JSON_OPTION
def token_revoke(token_id: int, store_path: Path, as_json: bool) -> None:
    """Revoke a token for good: it authenticates no more."""
    with open_register(store_path, as_json) as register:
        revoked = tokens.revoke_token(register, token_id, by=operator())
    emit(as_json, revoked.to_json(), f"API token {revoked.id} ({revoked.name}) is revoked since {revoked.revoked}.")


@contextmanager
def open_register(store_path: Path, as_json: bool) -> Iterator[sqlite3.Connection]:
    """The register of an initialised store; a refused change inside is a one-line error and changes nothing."""
    from store.registry.database import open_database

    if not Store(store_path).is_initialised():
        fail(as_json, f"No NQDB store at {store_path}; run `nqdb init --store {store_path}`.")
    try:
        connection = open_database(store_path)
    except (sqlite3.Error, OSError, RuntimeError) as error:  # RuntimeError: a register newer than this NQDB
        fail(as_json, f"{store_path}: cannot open the register database ({error}).")
    try:
        yield connection
    except (AccountError, PermissionDenied) as error:
        fail(as_json, str(error))
    finally:
        connection.close()


def has_user(store_path: Path, email: str, as_json: bool) -> bool:
    with open_register(store_path, as_json) as register:
        return accounts.get_user(register, email) is not None


def operator() -> Principal:
    """The person running the command, as the register audits them."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and no passwd entry (some containers)
        name = str(os.getuid())
    return accounts.operator(name)


def new_password(password_file: Path | None, as_json: bool) -> str:
    """A new password: the first line of `password_file`, or typed twice (prompts on stderr, never echoed)."""
    if password_file is None:
        password = str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))
    else:
        try:
            password = password_file.read_text(encoding="utf-8").partition("\n")[0].removesuffix("\r")
        except (OSError, UnicodeDecodeError) as error:
            fail(as_json, f"{password_file}: cannot read the password ({getattr(error, 'strerror', None) or error}).")
    try:
        return passwords.check(password)
    except passwords.PasswordRejected as error:
        raise AccountError(str(error)) from None
