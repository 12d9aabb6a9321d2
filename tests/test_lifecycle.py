"""The record lifecycle table: every transition, every refused one, who may, and required reasons (issue 11)."""

from __future__ import annotations

import pytest

from store.registry.lifecycle import (
    TRANSITIONS,
    Action,
    ReasonRequired,
    State,
    Transition,
    TransitionRefused,
    Who,
    allowed_actions,
    transition,
)
from store.registry.principals import PermissionDenied, Principal, Role

ORG, OTHER = "urn:org:a", "urn:org:b"
EDITOR = Principal("user:ed@a", Role.EDITOR, frozenset({ORG}))
OTHER_EDITOR = Principal("user:ed@b", Role.EDITOR, frozenset({OTHER}))
REVIEWER = Principal("user:rev@authority", Role.REVIEWER, frozenset())
ADMIN = Principal("user:admin@authority", Role.ADMIN, frozenset())
STATES: tuple[State | None, ...] = (None, *State)

EXPECTED: dict[tuple[State | None, Action], State] = {
    (None, Action.CREATE): State.DRAFT,
    (State.DRAFT, Action.UPDATE): State.DRAFT,
    (State.CHANGES_REQUESTED, Action.UPDATE): State.DRAFT,
    (State.PUBLISHED, Action.UPDATE): State.DRAFT,
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.CHANGES_REQUESTED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.APPROVED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.SUBMITTED, Action.APPROVE): State.APPROVED,
    (State.APPROVED, Action.PUBLISH): State.PUBLISHED,
    **{(s, Action.WITHDRAW): State.WITHDRAWN for s in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED,
                                                      State.APPROVED, State.PUBLISHED)},
    **{(s, Action.SUPERSEDE): State.SUPERSEDED for s in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED,
                                                        State.APPROVED, State.PUBLISHED)},
}


def _actor(who: Who) -> Principal:
    return EDITOR if who == Who.EDITOR else REVIEWER


def test_the_table_is_exactly_the_documented_one() -> None:
    assert {(t.state, t.action): t.target for t in TRANSITIONS} == EXPECTED


@pytest.mark.parametrize("step", TRANSITIONS, ids=lambda t: f"{t.state}-{t.action}")
def test_every_transition_leads_where_the_table_says(step: Transition) -> None:
    found = transition(step.state, step.action, _actor(step.who), ORG, has_published=True,
                       reason="Because the title is wrong.")
    assert found.target == EXPECTED[(found.state, found.action)]


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in STATES for a in Action if (s, a) not in EXPECTED])
def test_every_other_pair_is_refused_with_the_state_and_what_is_allowed(state: State | None, action: Action) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, REVIEWER if action != Action.CREATE else EDITOR, ORG, has_published=True,
                   reason="x")
    message = str(refused.value)
    assert (state.value if state else "does not exist") in message
    assert refused.value.allowed == allowed_actions(state, True)
    for allowed in refused.value.allowed:
        assert allowed.value in message


@pytest.mark.parametrize("state", [State.WITHDRAWN, State.SUPERSEDED])
def test_withdrawn_and_superseded_are_final(state: State) -> None:
    assert allowed_actions(state, True) == ()
    with pytest.raises(TransitionRefused, match="final"):
        transition(state, Action.UPDATE, EDITOR, ORG, has_published=True)


@pytest.mark.parametrize("action", [Action.WITHDRAW, Action.SUPERSEDE])
def test_a_record_never_published_cannot_be_withdrawn_or_superseded(action: Action) -> None:
    with pytest.raises(TransitionRefused):
        transition(State.DRAFT, action, REVIEWER, ORG, has_published=False, reason="obsolete")
    assert action not in allowed_actions(State.DRAFT, False)


@pytest.mark.parametrize("action", [Action.REQUEST_CHANGES, Action.WITHDRAW, Action.SUPERSEDE])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(action: Action, reason: str | None) -> None:
    state = State.SUBMITTED if action == Action.REQUEST_CHANGES else State.PUBLISHED
    with pytest.raises(ReasonRequired, match=action.value):
        transition(state, action, REVIEWER, ORG, has_published=True, reason=reason)


@pytest.mark.parametrize("step", [t for t in TRANSITIONS if t.who == Who.EDITOR], ids=str)
@pytest.mark.parametrize("intruder", [OTHER_EDITOR, REVIEWER, ADMIN], ids=lambda p: p.actor)
def test_editor_steps_need_an_editor_of_the_organisation(step: Transition, intruder: Principal) -> None:
    with pytest.raises(PermissionDenied, match="editor of the record's organisation"):
        transition(step.state, step.action, intruder, ORG, has_published=True)


@pytest.mark.parametrize("step", [t for t in TRANSITIONS if t.who == Who.REVIEWER], ids=str)
@pytest.mark.parametrize("intruder", [EDITOR, ADMIN], ids=lambda p: p.actor)
def test_reviewer_steps_need_a_reviewer(step: Transition, intruder: Principal) -> None:
    with pytest.raises(PermissionDenied, match="reviewer"):
        transition(step.state, step.action, intruder, ORG, has_published=True,
                   reason="a reason")
