"""The record lifecycle as one transition table: (state, action) → new state, who may, whether a reason is needed.

Pure: no I/O. A record's `state` is the editorial state of its working copy; whether a version is public is
a separate fact (`has_published`). A published record that is edited gets a new draft revision on top of its
published version: the record keeps its public version while the next one goes draft → submitted → approved
→ published again (docs/lifecycle.md). Withdrawn and superseded are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from store.registry.principals import PermissionDenied, Principal


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    SUPERSEDE = "supersede"


class Who(StrEnum):
    EDITOR = "editor"      # Principal.may_edit(the record's organisation)
    REVIEWER = "reviewer"  # Principal.may_review()


@dataclass(frozen=True)
class Transition:
    state: State | None      # None: the record does not exist yet
    action: Action
    target: State
    who: Who
    reason_required: bool = False
    needs_published: bool = False  # only when a version of the record is public


_EDITING = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED, State.PUBLISHED)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.CREATE, State.DRAFT, Who.EDITOR),
    Transition(State.DRAFT, Action.UPDATE, State.DRAFT, Who.EDITOR),
    Transition(State.CHANGES_REQUESTED, Action.UPDATE, State.DRAFT, Who.EDITOR),
    Transition(State.PUBLISHED, Action.UPDATE, State.DRAFT, Who.EDITOR),  # a new revision; v<N> stays public
    Transition(State.DRAFT, Action.SUBMIT, State.SUBMITTED, Who.EDITOR),
    Transition(State.CHANGES_REQUESTED, Action.SUBMIT, State.SUBMITTED, Who.EDITOR),
    Transition(State.SUBMITTED, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, Who.REVIEWER, True),
    Transition(State.APPROVED, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED, Who.REVIEWER, True),
    Transition(State.SUBMITTED, Action.APPROVE, State.APPROVED, Who.REVIEWER),
    Transition(State.APPROVED, Action.PUBLISH, State.PUBLISHED, Who.REVIEWER),
    *(Transition(state, Action.WITHDRAW, State.WITHDRAWN, Who.REVIEWER, True, True) for state in _EDITING),
    *(Transition(state, Action.SUPERSEDE, State.SUPERSEDED, Who.REVIEWER, True, True) for state in _EDITING),
)
_TABLE: dict[tuple[State | None, Action], Transition] = {(t.state, t.action): t for t in TRANSITIONS}


class TransitionRefused(Exception):
    """The action is not possible in the record's state (HTTP 409); says the state and what is allowed."""

    def __init__(self, state: State | None, action: Action, allowed: tuple[Action, ...]) -> None:
        self.state, self.action, self.allowed = state, action, allowed
        where = "a record that does not exist" if state is None else f"a record in state {state.value!r}"
        options = ", ".join(a.value for a in allowed) or "none (the record is final)"
        super().__init__(f"Cannot {action.value} {where}; allowed: {options}.")


class ReasonRequired(ValueError):
    """request_changes, withdraw and supersede need a non-empty reason (HTTP 422)."""


def allowed_actions(state: State | None, has_published: bool) -> tuple[Action, ...]:
    """Every action the table allows from `state`, whoever asks."""
    return tuple(t.action for t in TRANSITIONS if t.state == state and (has_published or not t.needs_published))


def may(principal: Principal, who: Who, organisation: str) -> bool:
    """Whether `principal` is the kind of actor a transition needs, for a record of `organisation`."""
    return principal.may_edit(organisation) if who == Who.EDITOR else principal.may_review()


def transition(state: State | None, action: Action, principal: Principal, organisation: str, *,
               has_published: bool = False, reason: str | None = None) -> Transition:
    """The transition `principal` makes by doing `action` on a record in `state`, checked.

    Raises:
        TransitionRefused: the action is not allowed in this state.
        PermissionDenied: the principal may not make it.
        ReasonRequired: the transition needs a reason and none was given.
    """
    found = _TABLE.get((state, action))
    if found is None or (found.needs_published and not has_published):
        raise TransitionRefused(state, action, allowed_actions(state, has_published))
    if not may(principal, found.who, organisation):
        who = "an editor of the record's organisation" if found.who == Who.EDITOR else "a reviewer"
        raise PermissionDenied(f"Only {who} may {action.value} this record.")
    if found.reason_required and not (reason and reason.strip()):
        raise ReasonRequired(f"A reason is required to {action.value} a record.")
    return found
