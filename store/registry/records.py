"""The register's record service: create, edit, submit, review, publish, withdraw and supersede one record.

Each call is one SQLite transaction (`database.transaction`, BEGIN IMMEDIATE) around one `store.write()`; the
SQLite changes are made inside the write block, so any failure (refused transition, invalid content, full disk)
rolls back both: the published snapshot and the register are exactly as before. The SQLite COMMIT follows the
snapshot's publication; docs/lifecycle.md discusses the one window that leaves. Every action is an audit entry
and a PROV-O activity. Records another organisation has not published are reported as not found.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

import pyoxigraph as ox

from store.core import graphs, iris
from store.core.triplestore import Store
from store.core.writer import Writer
from store.registry import audit, content, provenance, publication
from store.registry.database import now, transaction
from store.registry.diff import FieldChange, diff_versions
from store.registry.lifecycle import Action, State, transition
from store.registry.principals import PermissionDenied, Principal, require
from store.validation.completeness import annex_vi_completeness
from store.validation.profile import validate_graph

FINAL = (State.WITHDRAWN, State.SUPERSEDED)


class RecordNotFound(LookupError):
    """No record with this key that the principal may see (HTTP 404)."""


class RecordExists(ValueError):
    """A record with this key or IRI exists already (HTTP 409)."""


class RevisionConflict(Exception):
    """The record changed since the caller read it (HTTP 412: a lost update was prevented)."""

    def __init__(self, key: str, expected: int, current: int) -> None:
        self.key, self.expected, self.current = key, expected, current
        super().__init__(f"Record {key!r} is at revision {current}, not {expected}: it changed since you read it. "
                         "Read it again, then repeat your change.")


@dataclass(frozen=True)
class Problem:
    """One reason a record does not conform (LOQ SHACL result or missing Annex VI element)."""

    focus: str
    path: str | None
    field: str
    message: str
    rule: str

    def to_json(self) -> dict[str, object]:
        return {"focus": self.focus, "path": self.path, "field": self.field, "message": self.message,
                "rule": self.rule}


class ValidationRejected(ValueError):
    """The record does not conform to the LOQ profile or lacks Annex VI elements (HTTP 422); every problem."""

    def __init__(self, key: str, problems: list[Problem]) -> None:
        self.key, self.problems = key, tuple(problems)
        super().__init__(f"Record {key!r} does not conform: {len(problems)} problem(s); nothing changed.")


@dataclass(frozen=True)
class RecordInfo:
    """A record's lifecycle row as the API and pages show it."""

    key: str
    iri: str
    organisation: str
    state: State
    revision: int
    published_version: int | None
    successor: str | None
    successor_equivalent: bool | None
    transition_end: str | None
    created: str
    updated: str

    @property
    def public_status(self) -> str | None:
        """The Europass status of what the public sees (released, obsolete, not-published-anymore), if any."""
        if self.published_version is None:
            return None
        return {State.WITHDRAWN: publication.NOT_PUBLISHED_ANYMORE,
                State.SUPERSEDED: publication.OBSOLETE}.get(self.state, publication.RELEASED)

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "iri": self.iri, "organisation": self.organisation, "state": self.state.value,
                "revision": self.revision, "published_version": self.published_version,
                "public_status": self.public_status, "successor": self.successor,
                "successor_equivalent": self.successor_equivalent, "transition_end": self.transition_end,
                "created": self.created, "updated": self.updated}


@dataclass(frozen=True)
class VersionInfo:
    version: int
    published: str
    actor: str


@dataclass(frozen=True)
class History:
    record: RecordInfo
    versions: tuple[VersionInfo, ...]
    events: tuple[audit.AuditEntry, ...]  # oldest first


def _info(row: sqlite3.Row) -> RecordInfo:
    equivalent = row["successor_equivalent"]
    return RecordInfo(row["key"], row["iri"], row["organisation"], State(row["state"]), row["revision"],
                      row["published_version"], row["successor"], None if equivalent is None else bool(equivalent),
                      row["transition_end"], row["created"], row["updated"])


def _load(conn: sqlite3.Connection, principal: Principal, key: str) -> RecordInfo:
    row = conn.execute("SELECT * FROM records WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise RecordNotFound(f"No record {key!r}.")
    info = _info(row)
    if info.published_version is None and not principal.may_read_unpublished(info.organisation):
        raise RecordNotFound(f"No record {key!r}.")  # never say that another organisation's draft exists
    return info


def _check_revision(info: RecordInfo, expected: int | None) -> None:
    if expected is not None and expected != info.revision:
        raise RevisionConflict(info.key, expected, info.revision)


def _save(conn: sqlite3.Connection, info: RecordInfo, state: State, **columns: object) -> RecordInfo:
    values = {"state": state.value, "revision": info.revision + 1, "updated": now(), **columns}
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE records SET {assignments} WHERE key = ?", (*values.values(), info.key))
    return _info(conn.execute("SELECT * FROM records WHERE key = ?", (info.key,)).fetchone())


def _log(conn: sqlite3.Connection, writer: Writer, principal: Principal, action: Action, info: RecordInfo, *,
         version: int | None = None, reason: str | None = None, used: str | None = None,
         generated: str | None = None, detail: str | None = None) -> None:
    """The audit entry and the PROV-O activity of one action, in the same transaction and write."""
    entry = audit.append(conn, principal.actor, action.value, record=info.key, version=version, reason=reason,
                         detail=detail)
    provenance.record_activity(writer, audit_id=entry, record_iri=info.iri, action=action.value,
                               actor=principal.actor, at=now(), used=used, generated=generated, reason=reason)


# -- validation -----------------------------------------------------------------------------------------
def validate_record(writer: Writer, key: str, triples: list[ox.Triple]) -> list[Problem]:
    """LOQ and Annex VI problems of one record, checked on a scratch graph of the writer's public database.

    The scratch graph holds only this record's quads and is dropped before returning, whatever happens, so it
    is never part of a published snapshot.
    """
    scratch = ox.NamedNode(graphs.SCRATCH_GRAPH)
    writer.ox.extend(ox.Quad(t.subject, t.predicate, t.object, scratch) for t in triples)
    try:
        report = validate_graph(writer.ox, graphs.SCRATCH_GRAPH, writer.vocabulary_graphs())
        completeness = annex_vi_completeness(writer.ox, graphs.SCRATCH_GRAPH)
    finally:
        writer.ox.remove_graph(scratch)
    problems = [Problem(v.focus, v.path, v.field, v.message, v.constraint) for v in report.violations]
    for qualification in completeness.per_qualification:
        problems += [Problem(qualification.iri, None, element, f"The EQF Annex VI element “{element}” is "
                             "missing; every qualification in the register must give it.", "annex-vi")
                     for element in qualification.missing_mandatory]
    return problems


def _require_valid(writer: Writer, info: RecordInfo) -> list[ox.Triple]:
    triples = content.read(writer.private, graphs.record_working_graph(info.key))
    problems = validate_record(writer, info.key, triples)
    if problems:
        raise ValidationRejected(info.key, problems)
    return triples


# -- the calls the API makes -------------------------------------------------------------------------------
def create_record(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, organisation: str,
                  content_bytes: bytes, media_type: str, *, base_url: str) -> RecordInfo:
    """A new draft record `key` of `organisation`, its qualification IRI minted under `base_url`.

    Raises:
        PermissionDenied, TransitionRefused, RecordExists, ContentRejected, ValueError (bad key/organisation).
    """
    if not graphs.is_valid_dataset_id(key):
        raise ValueError(f"Record key {key!r} is not valid: use letters, digits, '.', '_' and '-' (at most 100).")
    transition(None, Action.CREATE, principal, organisation)
    iri = iris.mint(base_url, "qualification", key)
    triples = content.parse_record(content_bytes, media_type, iri)
    with transaction(conn):
        if conn.execute("SELECT 1 FROM records WHERE key = ? OR iri = ?", (key, iri)).fetchone():
            raise RecordExists(f"A record with key {key!r} exists already.")
        if conn.execute("SELECT 1 FROM organisations WHERE iri = ?", (organisation,)).fetchone() is None:
            raise ValueError(f"No organisation <{organisation}> in the register.")
        if store.exists(iri):
            raise RecordExists(f"<{iri}> is already published by an imported dataset; choose another key.")
        with store.write() as writer:
            content.put_working(writer, key, triples)
            stamp = now()
            conn.execute("INSERT INTO records (key, iri, organisation, state, revision, created, updated) "
                         "VALUES (?, ?, ?, ?, 1, ?, ?)", (key, iri, organisation, State.DRAFT.value, stamp, stamp))
            info = _load(conn, principal, key)
            _log(conn, writer, principal, Action.CREATE, info, used=None,
                 generated=graphs.record_working_graph(key))
    return info


def update_record(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, content_bytes: bytes,
                  media_type: str, expected_revision: int) -> RecordInfo:
    """Replace the working copy of `key` (a new draft revision on top of any published version).

    Raises:
        RecordNotFound, RevisionConflict, PermissionDenied, TransitionRefused, ContentRejected.
    """
    with transaction(conn):
        info = _load(conn, principal, key)
        _check_revision(info, expected_revision)
        step = transition(info.state, Action.UPDATE, principal, info.organisation,
                          has_published=info.published_version is not None)
        triples = content.parse_record(content_bytes, media_type, info.iri)
        with store.write() as writer:
            content.put_working(writer, key, triples)
            info = _save(conn, info, step.target)
            _log(conn, writer, principal, Action.UPDATE, info, generated=graphs.record_working_graph(key))
    return info


def _simple(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, action: Action, *,
            reason: str | None = None, expected_revision: int | None = None, validate: bool = False) -> RecordInfo:
    """A transition that changes no public content: submit, request_changes, approve."""
    with transaction(conn):
        info = _load(conn, principal, key)
        _check_revision(info, expected_revision)
        step = transition(info.state, action, principal, info.organisation,
                          has_published=info.published_version is not None, reason=reason)
        with store.write() as writer:
            if validate:
                _require_valid(writer, info)
            info = _save(conn, info, step.target)
            _log(conn, writer, principal, action, info, reason=reason, used=graphs.record_working_graph(key))
    return info


def submit(store: Store, conn: sqlite3.Connection, principal: Principal, key: str,
           expected_revision: int | None = None) -> RecordInfo:
    """Send the working copy for review, once it conforms (raises ValidationRejected with every problem)."""
    return _simple(store, conn, principal, key, Action.SUBMIT, expected_revision=expected_revision, validate=True)


def request_changes(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, reason: str,
                    expected_revision: int | None = None) -> RecordInfo:
    """Return a submission (or an approval not yet published) to its editors with a reason."""
    return _simple(store, conn, principal, key, Action.REQUEST_CHANGES, reason=reason,
                   expected_revision=expected_revision)


def approve(store: Store, conn: sqlite3.Connection, principal: Principal, key: str,
            expected_revision: int | None = None) -> RecordInfo:
    """Approve a submission; validation runs again (the vocabularies may have changed since submit)."""
    return _simple(store, conn, principal, key, Action.APPROVE, expected_revision=expected_revision, validate=True)


def publish(store: Store, conn: sqlite3.Connection, principal: Principal, key: str,
            expected_revision: int | None = None) -> RecordInfo:
    """Make the approved working copy version N+1 and publish it incrementally into the public snapshot."""
    with transaction(conn):
        info = _load(conn, principal, key)
        _check_revision(info, expected_revision)
        step = transition(info.state, Action.PUBLISH, principal, info.organisation,
                          has_published=info.published_version is not None)
        version, previous = (info.published_version or 0) + 1, info.published_version
        live = {graphs.record_version_graph(row["key"], row["published_version"]) for row in conn.execute(
            "SELECT key, published_version FROM records WHERE published_version IS NOT NULL AND key != ?", (key,))}
        with store.write() as writer:
            _require_valid(writer, info)  # never publish what does not conform, whatever happened since approval
            new = content.freeze(writer, key, version)
            old = content.read(writer.private, graphs.record_version_graph(key, previous)) if previous else None
            publication.publish_version(writer, info.iri, key, version, new, old, live,
                                        datetime.fromisoformat(now()))
            info = _save(conn, info, step.target, published_version=version)
            conn.execute("INSERT INTO record_versions (key, version, published, actor) VALUES (?, ?, ?, ?)",
                         (key, version, info.updated, principal.actor))
            _log(conn, writer, principal, Action.PUBLISH, info, version=version,
                 used=graphs.record_working_graph(key), generated=graphs.record_version_graph(key, version))
    return info


def withdraw(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, reason: str,
             expected_revision: int | None = None) -> RecordInfo:
    """End a published record: its last version stays public with status not-published-anymore."""
    with transaction(conn):
        info = _load(conn, principal, key)
        _check_revision(info, expected_revision)
        step = transition(info.state, Action.WITHDRAW, principal, info.organisation,
                          has_published=info.published_version is not None, reason=reason)
        with store.write() as writer:
            stamp = now()
            publication.mark_ended(writer, info.iri, key, publication.NOT_PUBLISHED_ANYMORE,
                                   f"Withdrawn on {stamp[:10]}. Reason: {reason.strip()}",
                                   datetime.fromisoformat(stamp))
            info = _save(conn, info, step.target)
            _log(conn, writer, principal, Action.WITHDRAW, info, version=info.published_version, reason=reason,
                 used=graphs.record_version_graph(key, info.published_version or 0))
    return info


def supersede(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, successor_key: str,
              equivalent: bool, transition_end: date, reason: str,
              expected_revision: int | None = None) -> RecordInfo:
    """End a published record in favour of a published successor, equivalent or not, with a transition end."""
    with transaction(conn):
        info = _load(conn, principal, key)
        _check_revision(info, expected_revision)
        step = transition(info.state, Action.SUPERSEDE, principal, info.organisation,
                          has_published=info.published_version is not None, reason=reason)
        successor = _load(conn, principal, successor_key)
        if successor.key == key or successor.published_version is None or successor.state in FINAL:
            raise ValueError(f"The successor {successor_key!r} must be another record that is published and "
                             "neither withdrawn nor superseded.")
        kind = "an equivalent" if equivalent else "a non-equivalent"
        note = (f"Superseded on {now()[:10]} by {kind} qualification, {successor.iri}; it may still be awarded "
                f"until {transition_end.isoformat()}. Reason: {reason.strip()}")
        with store.write() as writer:
            publication.mark_ended(writer, info.iri, key, publication.OBSOLETE, note, datetime.fromisoformat(now()))
            info = _save(conn, info, step.target, successor=successor.iri, successor_equivalent=int(equivalent),
                         transition_end=transition_end.isoformat())
            _log(conn, writer, principal, Action.SUPERSEDE, info, version=info.published_version, reason=reason,
                 used=graphs.record_version_graph(key, info.published_version or 0), detail=successor.iri)
    return info


# -- reading ---------------------------------------------------------------------------------------------------
def get_record(conn: sqlite3.Connection, principal: Principal, key: str) -> RecordInfo:
    """One record; another organisation's unpublished record is RecordNotFound, never PermissionDenied."""
    return _load(conn, principal, key)


def list_records(conn: sqlite3.Connection, principal: Principal, *, state: State | None = None,
                 organisation: str | None = None, limit: int = 50, after: str | None = None) -> list[RecordInfo]:
    """Records the principal may see, least recently changed first (the review queue: state=SUBMITTED).

    `after` is the key of the last record of the previous page.
    """
    clauses, values = [], list[object]()
    if not principal.may_read_unpublished(organisation or ""):
        own = sorted(principal.organisations)
        clauses.append(f"(published_version IS NOT NULL OR organisation IN ({', '.join('?' * len(own)) or 'NULL'}))")
        values += own
    for column, value in (("state", state.value if state else None), ("organisation", organisation)):
        if value is not None:
            clauses.append(f"{column} = ?")
            values.append(value)
    if after is not None:
        clauses.append("(updated, key) > (SELECT updated, key FROM records WHERE key = ?)")
        values.append(after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(f"SELECT * FROM records {where} ORDER BY updated, key LIMIT ?", (*values, limit))
    return [_info(row) for row in rows]


def history(conn: sqlite3.Connection, principal: Principal, key: str) -> History:
    """A record with its published versions and every action on it, oldest first."""
    info = _load(conn, principal, key)
    versions = tuple(VersionInfo(r["version"], r["published"], r["actor"]) for r in conn.execute(
        "SELECT * FROM record_versions WHERE key = ? ORDER BY version", (key,)))
    return History(info, versions, tuple(reversed(audit.entries(conn, record=key, limit=10_000))))


def record_triples(store: Store, conn: sqlite3.Connection, principal: Principal, key: str,
                   version: int | None = None) -> list[ox.Triple]:
    """The content of version `version` of a record, or of its working copy (None: editors and reviewers only)."""
    info = _load(conn, principal, key)
    if version is None:
        require(principal.may_read_unpublished(info.organisation), "Only the record's editors and reviewers may "
                                                                    "read its working copy.")
        graph = graphs.record_working_graph(key)
    elif info.published_version is None or not 1 <= version <= info.published_version:
        raise RecordNotFound(f"Record {key!r} has no version {version}.")
    else:
        graph = graphs.record_version_graph(key, version)
    return content.read(store.snapshot().private, graph)


def version_diff(store: Store, conn: sqlite3.Connection, principal: Principal, key: str, before: int,
                 after: int | None = None) -> list[FieldChange]:
    """What changed from version `before` to version `after` (None: the working copy), field by field."""
    info = _load(conn, principal, key)
    old = record_triples(store, conn, principal, key, before)
    return diff_versions(old, record_triples(store, conn, principal, key, after), info.iri)


__all__ = ["PermissionDenied", "RecordExists", "RecordInfo", "RecordNotFound", "RevisionConflict",
           "ValidationRejected", "approve", "create_record", "get_record", "history", "list_records", "publish",
           "record_triples", "request_changes", "submit", "supersede", "update_record", "version_diff", "withdraw"]
