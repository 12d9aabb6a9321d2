"""Issue 11: differences between two versions of a record, field by field and in plain words."""

from __future__ import annotations

from store.registry.content import parse_record
from store.registry.diff import FieldChange, Kind, diff_versions
from tests.record_content import ORG_B, record_iri, record_turtle

IRI = record_iri("Q1")


def _diff(before: bytes, after: bytes) -> list[FieldChange]:
    return diff_versions(parse_record(before, "text/turtle", IRI), parse_record(after, "text/turtle", IRI), IRI)


def test_identical_versions_have_no_differences() -> None:
    assert _diff(record_turtle("Q1"), record_turtle("Q1")) == []


def test_title_level_outcome_and_description_changes_in_plain_words() -> None:
    before = record_turtle("Q1", "Plumbing", eqf=4, outcomes=("Install pipes.", "Read plans."))
    after = record_turtle("Q1", "Advanced plumbing", eqf=5, outcomes=("Install pipes.", "Design systems."),
                          description="A new description.")
    sentences = [change.describe() for change in _diff(before, after)]
    assert sentences == [
        "Title (en) changed from “Plumbing” to “Advanced plumbing”.",
        "Description (en) changed from “National vocational certificate.” to “A new description.”.",
        "EQF level 4 → 5.",
        "Learning outcome removed: “Read plans.”.",
        "Learning outcome added: “Design systems.”.",
    ]


def test_entries_are_typed() -> None:
    changes = _diff(record_turtle("Q1", outcomes=("One.",)), record_turtle("Q1", outcomes=("One.", "Two.")))
    assert changes == [FieldChange("learning outcome", Kind.ADDED, None, "Two.")]
    assert changes[0].to_json()["description"] == "Learning outcome added: “Two.”."


def test_a_changed_awarding_body_and_publisher_are_reported() -> None:
    fields = {(c.field, c.kind) for c in _diff(record_turtle("Q1"), record_turtle("Q1", organisation=ORG_B))}
    assert fields == {("publisher", Kind.CHANGED), ("awarding body", Kind.ADDED), ("awarding body", Kind.REMOVED)}
