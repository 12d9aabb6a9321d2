"""The record service end to end on a real store: lifecycle, permissions, conflicts, atomicity (issue 11)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

import pyoxigraph as ox
import pytest

from store.core import graphs
from store.core.namespaces import DCT, ELM, PROV
from store.core.triplestore import Store
from store.registry import content, provenance, publication, records
from store.registry.content import ContentRejected
from store.registry.database import open_database
from store.registry.lifecycle import State, TransitionRefused
from store.registry.principals import PermissionDenied, Principal, Role
from tests.conftest import BASE
from tests.record_content import ORG_A, ORG_B, record_iri, record_turtle
from tests.register_state import rows
from tests.store_state import state

TTL = "text/turtle"
EDITOR_A = Principal("user:ed@a.example", Role.EDITOR, frozenset({ORG_A}))
EDITOR_B = Principal("user:ed@b.example", Role.EDITOR, frozenset({ORG_B}))
REVIEWER = Principal("user:rev@authority.example", Role.REVIEWER, frozenset())
REGISTER = publication.REGISTER_GRAPH


@pytest.fixture
def conn(empty_store: Store) -> Iterator[sqlite3.Connection]:
    connection = open_database(empty_store.path)
    for iri, name in ((ORG_A, "Body A"), (ORG_B, "Body B")):
        connection.execute("INSERT INTO organisations (iri, name, created) VALUES (?, ?, '2025-01-01T00:00:00Z')",
                           (iri, name))
    yield connection
    connection.close()


def _published(store: Store, key: str, title: str = "Certificate in Plumbing") -> None:
    """Lead a new record of organisation A through to publication."""
    records.create_record(store, _conn(store), EDITOR_A, key, ORG_A, record_turtle(key, title), TTL,
                          base_url=BASE)
    _through(store, key)


def _conn(store: Store) -> sqlite3.Connection:
    return open_database(store.path)


def _through(store: Store, key: str) -> records.RecordInfo:
    c = _conn(store)
    records.submit(store, c, EDITOR_A, key)
    records.approve(store, c, REVIEWER, key)
    return records.publish(store, c, REVIEWER, key)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def _titles(store: Store, key: str) -> set[str]:
    handle = store.snapshot().ox
    title = ox.NamedNode(DCT + "title")
    return {_value(q.object) for q in handle.quads_for_pattern(ox.NamedNode(record_iri(key)), title, None, None)}


def test_the_whole_lifecycle(empty_store: Store, conn: sqlite3.Connection) -> None:
    store, iri = empty_store, record_iri("Q1")
    info = records.create_record(store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1", "Plumbing one"), TTL,
                                 base_url=BASE)
    assert (info.state, info.revision, info.iri) == (State.DRAFT, 1, iri)
    assert not store.exists(iri)
    records.submit(store, conn, EDITOR_A, "Q1")
    returned = records.request_changes(store, conn, REVIEWER, "Q1", "The title must name the trade.")
    assert returned.state == State.CHANGES_REQUESTED
    fixed = records.update_record(store, conn, EDITOR_A, "Q1", record_turtle("Q1", "Plumbing installer"), TTL,
                                  returned.revision)
    assert fixed.state == State.DRAFT
    records.submit(store, conn, EDITOR_A, "Q1")
    assert records.approve(store, conn, REVIEWER, "Q1").state == State.APPROVED
    assert not store.exists(iri)
    published = records.publish(store, conn, REVIEWER, "Q1")
    assert (published.state, published.published_version) == (State.PUBLISHED, 1)
    assert store.exists(iri) and _titles(store, "Q1") == {"Plumbing installer"}

    # A new revision on top of the published version: v1 stays public until v2 is published.
    draft = records.update_record(store, conn, EDITOR_A, "Q1", record_turtle("Q1", "Master plumber", eqf=5), TTL,
                                  published.revision)
    assert (draft.state, draft.published_version) == (State.DRAFT, 1)
    assert _titles(store, "Q1") == {"Plumbing installer"}
    v2 = _through(store, "Q1")
    assert v2.published_version == 2
    assert _titles(store, "Q1") == {"Master plumber"}  # v1's quads removed exactly, v2's added
    levels = {_value(q.object) for q in store.snapshot().ox.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode(ELM + "EQFLevel"), None, ox.NamedNode(REGISTER))}
    assert levels == {"http://data.europa.eu/snb/eqf/5"}
    assert store.count_quads(REGISTER) == len(content.read(store.snapshot().private,
                                                           graphs.record_version_graph("Q1", 2)))

    history = records.history(conn, REVIEWER, "Q1")
    assert [v.version for v in history.versions] == [1, 2]
    assert [e.action for e in history.events] == ["create", "submit", "request_changes", "update", "submit",
                                                  "approve", "publish", "update", "submit", "approve", "publish"]
    assert history.events[2].reason == "The title must name the trade."
    activities = provenance.activities(store.snapshot().private, iri)
    assert [a.action for a in activities] == [e.action for e in history.events]
    assert activities[-1].generated == graphs.record_version_graph("Q1", 2)
    assert activities[2].reason == "The title must name the trade."
    changes = records.version_diff(store, conn, REVIEWER, "Q1", 1, 2)
    assert "EQF level 4 → 5." in [c.describe() for c in changes]


def test_withdraw_keeps_the_description_and_adds_the_status(empty_store: Store, conn: sqlite3.Connection) -> None:
    _published(empty_store, "Q1")
    info = records.withdraw(empty_store, conn, REVIEWER, "Q1", "Replaced by a new national standard.")
    assert info.state == State.WITHDRAWN and info.public_status == publication.NOT_PUBLISHED_ANYMORE
    handle, iri = empty_store.snapshot().ox, ox.NamedNode(record_iri("Q1"))
    assert _titles(empty_store, "Q1") == {"Certificate in Plumbing"}
    status = [_value(q.object) for q in handle.quads_for_pattern(iri, ox.NamedNode(ELM + "status"), None, None)]
    assert status == [publication.NOT_PUBLISHED_ANYMORE]
    note = ox.NamedNode(record_iri("Q1") + publication.LIFECYCLE_NOTE)
    text = _value(next(iter(handle.quads_for_pattern(note, ox.NamedNode(ELM + "noteLiteral"), None, None))).object)
    assert "Replaced by a new national standard." in text
    with pytest.raises(TransitionRefused, match="withdrawn"):
        records.update_record(empty_store, conn, EDITOR_A, "Q1", record_turtle("Q1"), TTL, info.revision)


def test_supersede_names_the_successor_and_the_transition_end(empty_store: Store, conn: sqlite3.Connection) -> None:
    _published(empty_store, "Q1")
    _published(empty_store, "Q2", "Certificate in Plumbing (2026)")
    with pytest.raises(ValueError, match="successor"):
        records.supersede(empty_store, conn, REVIEWER, "Q1", "Q1", True, date(2026, 6, 30), "self")
    info = records.supersede(empty_store, conn, REVIEWER, "Q1", "Q2", True, date(2026, 6, 30), "New standard.")
    assert (info.state, info.successor, info.successor_equivalent, info.transition_end) == (
        State.SUPERSEDED, record_iri("Q2"), True, "2026-06-30")
    handle = empty_store.snapshot().ox
    note = ox.NamedNode(record_iri("Q1") + publication.LIFECYCLE_NOTE)
    text = _value(next(iter(handle.quads_for_pattern(note, ox.NamedNode(ELM + "noteLiteral"), None, None))).object)
    assert record_iri("Q2") in text and "2026-06-30" in text and "an equivalent" in text
    status = [_value(q.object) for q in handle.quads_for_pattern(ox.NamedNode(record_iri("Q1")),
                                                                ox.NamedNode(ELM + "status"), None, None)]
    assert status == [publication.OBSOLETE]
    assert _titles(empty_store, "Q2") == {"Certificate in Plumbing (2026)"}


def test_shared_nodes_stay_while_another_record_states_them(empty_store: Store, conn: sqlite3.Connection) -> None:
    _published(empty_store, "Q1")
    _published(empty_store, "Q2")
    org = ox.NamedNode(ORG_A)
    legal = ox.NamedNode("http://www.w3.org/ns/regorg#legalName")
    records.update_record(empty_store, conn, EDITOR_A, "Q1", record_turtle("Q1", organisation=ORG_B), TTL,
                          records.get_record(conn, EDITOR_A, "Q1").revision)
    _through(empty_store, "Q1")
    handle = empty_store.snapshot().ox
    assert list(handle.quads_for_pattern(org, legal, None, ox.NamedNode(REGISTER)))  # Q2 still states it
    dataset = empty_store.select_private("list_datasets")
    register = next(d for d in dataset if d["identifier"] == graphs.REGISTER_DATASET)
    assert int(register["triples"]) == empty_store.count_quads(REGISTER)  # adjusted counts are exact
    assert int(register["qualifications"]) == 2


def test_an_editor_never_sees_nor_changes_another_bodys_drafts(empty_store: Store, conn: sqlite3.Connection) -> None:
    records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1"), TTL, base_url=BASE)
    for call in (lambda: records.get_record(conn, EDITOR_B, "Q1"),
                 lambda: records.history(conn, EDITOR_B, "Q1"),
                 lambda: records.record_triples(empty_store, conn, EDITOR_B, "Q1"),
                 lambda: records.update_record(empty_store, conn, EDITOR_B, "Q1", record_turtle("Q1"), TTL, 1),
                 lambda: records.submit(empty_store, conn, EDITOR_B, "Q1")):
        with pytest.raises(records.RecordNotFound, match="No record 'Q1'"):
            call()
    assert records.list_records(conn, EDITOR_B) == []
    assert [r.key for r in records.list_records(conn, EDITOR_A)] == ["Q1"]
    with pytest.raises(PermissionDenied):
        records.create_record(empty_store, conn, EDITOR_B, "Q9", ORG_A, record_turtle("Q9"), TTL, base_url=BASE)


def test_published_records_are_readable_but_not_editable_by_other_bodies(empty_store: Store,
                                                                        conn: sqlite3.Connection) -> None:
    _published(empty_store, "Q1")
    info = records.get_record(conn, EDITOR_B, "Q1")
    with pytest.raises(PermissionDenied):
        records.update_record(empty_store, conn, EDITOR_B, "Q1", record_turtle("Q1"), TTL, info.revision)
    with pytest.raises(PermissionDenied):
        records.record_triples(empty_store, conn, EDITOR_B, "Q1")  # the working copy
    assert records.record_triples(empty_store, conn, EDITOR_B, "Q1", 1)


def test_reviewer_cannot_edit_and_editor_cannot_review(empty_store: Store, conn: sqlite3.Connection) -> None:
    records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1"), TTL, base_url=BASE)
    with pytest.raises(PermissionDenied):
        records.update_record(empty_store, conn, REVIEWER, "Q1", record_turtle("Q1", "Edited"), TTL, 1)
    records.submit(empty_store, conn, EDITOR_A, "Q1")
    with pytest.raises(PermissionDenied):
        records.approve(empty_store, conn, EDITOR_A, "Q1")
    assert [r.key for r in records.list_records(conn, REVIEWER, state=State.SUBMITTED)] == ["Q1"]


def test_a_lost_update_is_a_revision_conflict(empty_store: Store, conn: sqlite3.Connection) -> None:
    records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1"), TTL, base_url=BASE)
    records.update_record(empty_store, conn, EDITOR_A, "Q1", record_turtle("Q1", "First"), TTL, 1)
    before, register = state(empty_store), rows(conn)
    with pytest.raises(records.RevisionConflict, match="revision 2, not 1"):
        records.update_record(empty_store, conn, EDITOR_A, "Q1", record_turtle("Q1", "Second"), TTL, 1)
    assert (state(empty_store).version, rows(conn)) == (before.version, register)


def test_a_non_conforming_record_cannot_be_submitted(empty_store: Store, conn: sqlite3.Connection) -> None:
    records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1", outcomes=()), TTL,
                          base_url=BASE)
    before, register = state(empty_store), rows(conn)
    with pytest.raises(records.ValidationRejected) as rejected:
        records.submit(empty_store, conn, EDITOR_A, "Q1")
    fields = {p.field for p in rejected.value.problems}
    assert "learning outcome" in fields
    assert all(p.focus and p.message for p in rejected.value.problems)
    assert (state(empty_store).version, state(empty_store).counts, rows(conn)) == (before.version, before.counts,
                                                                                   register)
    assert graphs.SCRATCH_GRAPH not in empty_store.graph_names()


def test_a_failed_publish_changes_nothing(empty_store: Store, conn: sqlite3.Connection) -> None:
    records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, record_turtle("Q1"), TTL, base_url=BASE)
    records.submit(empty_store, conn, EDITOR_A, "Q1")
    records.approve(empty_store, conn, REVIEWER, "Q1")
    broken = content.parse_record(record_turtle("Q1", outcomes=()), TTL, record_iri("Q1"))
    with empty_store.write() as writer:  # the working copy damaged after approval (a vocabulary change, a bug)
        content.put_working(writer, "Q1", broken)
    before, register = state(empty_store), rows(conn)
    with pytest.raises(records.ValidationRejected):
        records.publish(empty_store, conn, REVIEWER, "Q1")
    assert state(empty_store) == before and rows(conn) == register
    assert not empty_store.exists(record_iri("Q1"))


def test_content_about_another_qualification_is_refused(empty_store: Store, conn: sqlite3.Connection) -> None:
    body = record_turtle("Q1") + record_turtle("Q2").split(b"\n\n", 1)[1]
    with pytest.raises(ContentRejected, match="another qualification|also describes") as rejected:
        records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, body, TTL, base_url=BASE)
    assert all(p.field for p in rejected.value.problems)
    with pytest.raises(ContentRejected) as bad_syntax:
        records.create_record(empty_store, conn, EDITOR_A, "Q1", ORG_A, b"<a> <b> .\n", TTL, base_url=BASE)
    assert bad_syntax.value.problems[0].line == 1
    assert records.list_records(conn, REVIEWER) == []


def test_provenance_is_in_the_private_database_only(empty_store: Store, conn: sqlite3.Connection) -> None:
    _published(empty_store, "Q1")
    public = empty_store.snapshot().ox
    assert not list(public.quads_for_pattern(None, None, ox.NamedNode(PROV + "Activity"), None))
    assert all(not g.startswith(graphs.RECORD_PREFIX) for g in empty_store.published_graphs())
