"""API errors as RFC 9457 problems (`portal.web.problems.problem`), always JSON: API clients are programs.

Domain errors of the register map to one status each: PermissionDenied 403, a refused input 422 (with
`errors`, every one at once), a lost update 412, a refused transition 409, an unknown record 404.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from portal.web.problems import problem
from store.registry.accounts import AccountError, AccountNotFound
from store.registry.idempotency import IdempotencyKeyReused
from store.registry.principals import PermissionDenied

log = logging.getLogger(__name__)


def field_error(field: str, message: str, rule: str = "", focus_node: str | None = None) -> dict[str, object]:
    """One entry of a 422 problem's `errors`: where (field or path), what is wrong, the rule it breaks."""
    return {"field": field, "focusNode": focus_node, "message": message, "rule": rule}


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
    bp.register_error_handler(Exception, _unexpected)
