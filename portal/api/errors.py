"""API errors as RFC 9457 problems (`portal.web.problems.problem`), always JSON: API clients are programs.

Domain errors of the register map to one status each: PermissionDenied 403, a refused input 422 (with
`errors`, every one at once: unreadable content, LOQ/Annex VI problems, a missing reason), a lost update 412,
a refused transition 409 (with the actions `allowed`), a key taken 409, an unknown record 404 (which is also
what another organisation's unpublished record is: `store.registry.records` never says it exists).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from portal.web.problems import problem
from store.registry.accounts import AccountError, AccountNotFound
from store.registry.content import ContentRejected
from store.registry.idempotency import IdempotencyKeyReused
from store.registry.lifecycle import ReasonRequired, TransitionRefused
from store.registry.principals import PermissionDenied
from store.registry.records import RecordExists, RecordNotFound, RevisionConflict, ValidationRejected

log = logging.getLogger(__name__)


def field_error(field: str, message: str, rule: str = "", focus_node: str | None = None) -> dict[str, object]:
    """One entry of a 422 problem's `errors`: where (field or path), what is wrong, the rule it breaks."""
    return {"field": field, "focusNode": focus_node, "message": message, "rule": rule}


class Refused(Exception):
    """A request the API itself refuses before the register sees it (422 with every error)."""

    def __init__(self, detail: str, errors: list[dict[str, object]]) -> None:
        super().__init__(detail)
        self.detail, self.errors = detail, errors


def action_name(action: str) -> str:
    """A lifecycle action as the API's URL says it (request_changes → request-changes)."""
    return action.replace("_", "-")


def invalid(detail: str, errors: list[dict[str, object]]) -> Response:
    """422 Unprocessable Content listing every error found."""
    return problem(422, detail, errors=errors)


def http_problem(error: HTTPException) -> Response:
    status = error.code or 500
    response = problem(status, error.description or HTTP_STATUS_CODES.get(status, ""))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _denied(error: PermissionDenied) -> Response:
    return problem(403, str(error))


def _not_found(error: AccountNotFound) -> Response:
    return problem(404, str(error))


def _account_refused(error: AccountError) -> Response:
    return invalid(str(error), [field_error("", str(error))])


def _key_reused(error: IdempotencyKeyReused) -> Response:
    return invalid(str(error), [field_error("Idempotency-Key", str(error), "one key, one request")])


def _refused(error: Refused) -> Response:
    return invalid(error.detail, error.errors)


def _record_not_found(error: RecordNotFound) -> Response:
    return problem(404, str(error))


def _record_exists(error: RecordExists) -> Response:
    return problem(409, str(error))


def _revision_conflict(error: RevisionConflict) -> Response:
    response = problem(412, str(error), currentRevision=error.current)
    response.set_etag(str(error.current))
    return response


def _transition_refused(error: TransitionRefused) -> Response:
    return problem(409, str(error), state=None if error.state is None else error.state.value,
                   allowed=[action_name(a.value) for a in error.allowed])


def _content_rejected(error: ContentRejected) -> Response:
    return invalid("The content is not one readable ELM qualification record; nothing changed.", [
        {**field_error(p.field, p.message, "readable ELM record"), "line": p.line, "column": p.column}
        for p in error.problems])


def _validation_rejected(error: ValidationRejected) -> Response:
    return invalid(str(error), [{**field_error(p.field, p.message, p.rule, p.focus), "path": p.path}
                                for p in error.problems])


def _reason_required(error: ReasonRequired) -> Response:
    return invalid(str(error), [field_error("reason", str(error), "required")])


def _unexpected(error: Exception) -> Response:
    log.exception("Unhandled error in the API", exc_info=error)
    return http_problem(InternalServerError("Something went wrong on our side; it has been logged."))


def init_blueprint(bp: Blueprint) -> None:
    """Register the problem handlers of the API's own errors (routing errors use the app's)."""
    bp.register_error_handler(HTTPException, http_problem)
    bp.register_error_handler(PermissionDenied, _denied)
    bp.register_error_handler(AccountNotFound, _not_found)
    bp.register_error_handler(AccountError, _account_refused)
    bp.register_error_handler(IdempotencyKeyReused, _key_reused)
    bp.register_error_handler(Refused, _refused)
    bp.register_error_handler(RecordNotFound, _record_not_found)
    bp.register_error_handler(RecordExists, _record_exists)
    bp.register_error_handler(RevisionConflict, _revision_conflict)
    bp.register_error_handler(TransitionRefused, _transition_refused)
    bp.register_error_handler(ContentRejected, _content_rejected)
    bp.register_error_handler(ValidationRejected, _validation_rejected)
    bp.register_error_handler(ReasonRequired, _reason_required)
    bp.register_error_handler(Exception, _unexpected)
