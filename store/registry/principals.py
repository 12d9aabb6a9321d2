"""Who is acting, and what each role may do: the one place permission rules are written.

A principal is a signed-in user or an API token. `admin` manages users, organisations, tokens and settings but
edits no qualification; `reviewer` is the authority's staff (approve, request changes, publish, withdraw,
supersede; never edits a submission's content); `editor` is an awarding body's staff (create, edit and submit
records of its own organisations only). Tokens act as editor (or reviewer) for the organisations they are bound to.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    EDITOR = "editor"


class PermissionDenied(Exception):
    """The principal may not do this (HTTP 403); the message says what and why, never what exists elsewhere."""


@dataclass(frozen=True)
class Principal:
    """A user (`actor` = "user:<email>") or a token (`actor` = "token:<id>") with its role and organisations."""

    actor: str
    role: Role
    organisations: frozenset[str]  # organisation IRIs an editor or token acts for; empty for admin and reviewer

    def may_read_unpublished(self, organisation: str) -> bool:
        """Drafts and submissions: the authority's staff see all, an editor only its own organisations'."""
        return self.role in (Role.ADMIN, Role.REVIEWER) or organisation in self.organisations

    def may_edit(self, organisation: str) -> bool:
        """Create, change and submit records owned by `organisation`."""
        return self.role == Role.EDITOR and organisation in self.organisations

    def may_review(self) -> bool:
        """Request changes, approve, publish, withdraw, supersede."""
        return self.role == Role.REVIEWER

    def may_administer(self) -> bool:
        """Users, organisations, tokens, the audit log export."""
        return self.role == Role.ADMIN


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied(message) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)
