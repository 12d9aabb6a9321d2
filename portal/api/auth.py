"""Who is calling: `Authorization: Bearer <token>` → the token's principal, one register connection per request.

A missing, malformed, unknown or revoked token gets 401 with `WWW-Authenticate: Bearer` (RFC 6750); the
problem says which of "missing" or "not valid" it was, never why a token is not valid. The request's
connection to the register database is portal/web/storage.py `register()`, shared with the staff pages.
"""

from __future__ import annotations

from flask import current_app, g, request
from werkzeug.exceptions import Unauthorized

from portal.api.rate_limit import check_rate
from portal.web.storage import register
from store.registry.principals import Principal
from store.registry.tokens import authenticate_token

PRINCIPAL = "nqdb_principal"
CHALLENGE = 'Bearer realm="nqdb"'


class BearerRequired(Unauthorized):
    """401 with the RFC 6750 challenge, so clients know to send a bearer token."""

    def __init__(self, description: str, error: str | None = None) -> None:
        super().__init__(description)
        self.challenge = CHALLENGE if error is None else f'{CHALLENGE}, error="{error}"'

    def get_headers(self, *args: object, **kwargs: object) -> list[tuple[str, str]]:
        return [*super().get_headers(), ("WWW-Authenticate", self.challenge)]



def authenticated() -> Principal:
    """The principal of the request's bearer token, counted against its rate limit.

    Raises:
        BearerRequired: no token, or one that is unknown or revoked (401).
        TooManyRequests: the token used up its requests for this window (429).
    """
    principal: Principal | None = g.get(PRINCIPAL)
    if principal is not None:
        return principal
    scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    if not scheme:
        raise BearerRequired("This operation needs an API token: send `Authorization: Bearer <token>`.")
    if scheme.lower() != "bearer" or not secret.strip():
        raise BearerRequired("Send the API token as `Authorization: Bearer <token>`.", "invalid_request")
    principal = authenticate_token(register(), secret.strip())
    if principal is None:
        raise BearerRequired("The API token is not valid (unknown or revoked); ask an admin for a new one.",
                             "invalid_token")
    check_rate(current_app, principal.actor)
    setattr(g, PRINCIPAL, principal)
    return principal

