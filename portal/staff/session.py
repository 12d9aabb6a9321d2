"""Who is signed in to the staff pages, and the guards every staff view shares.

The `nqdb_session` cookie carries a session id of `store.registry.sessions` (HttpOnly, SameSite=Lax, Path=/staff,
Secure over https); the register keeps its CSRF token. Every unsafe request (POST, PUT, PATCH, DELETE) must
send that token in the form field `csrf`; the login form, before any session exists, sends a token that must
match the `nqdb_login_csrf` cookie set with the form (double submit). A refusal is 403 and changes nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import Response, current_app, g, redirect, request, url_for
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response as BaseResponse

from portal.web.storage import register
from store.registry.principals import Principal, Role
from store.registry.sessions import session_principal

SESSION_COOKIE = "nqdb_session"
LOGIN_CSRF_COOKIE = "nqdb_login_csrf"
CSRF_FIELD = "csrf"
COOKIE_PATH = "/staff"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_REFUSED = "The form was not sent from this site's own page or has expired: reload the page and try again."
_SESSION = "nqdb_staff_session"  # attribute of flask.g
P = ParamSpec("P")
R = TypeVar("R")




def _session() -> tuple[Principal, str] | None:
    if _SESSION not in g:
        session_id = request.cookies.get(SESSION_COOKIE, "")
        setattr(g, _SESSION, session_principal(register(), session_id) if session_id else None)
    found: tuple[Principal, str] | None = g.get(_SESSION)
    return found


def current_principal() -> Principal | None:
    """The signed-in staff member of this request, or None (no cookie, unknown, expired or disabled)."""
    found = _session()
    return None if found is None else found[0]


def session_csrf() -> str:
    """The CSRF token of this request's session, for the hidden `csrf` field of its forms ("" without one)."""
    found = _session()
    return "" if found is None else found[1]


def check_csrf() -> None:
    """Refuse an unsafe request whose `csrf` field is not the session's token.

    Raises:
        Forbidden: no session, no field, or another token (403).
    """
    expected = session_csrf()
    sent = request.form.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden(CSRF_REFUSED)


def new_login_csrf() -> str:
    """A fresh token for the login form; `set_login_csrf_cookie` sends it as the cookie it must match."""
    return secrets.token_urlsafe(32)


def check_login_csrf() -> None:
    """Refuse a login POST whose `csrf` field is not the token of the `nqdb_login_csrf` cookie.

    Raises:
        Forbidden: a missing or different token (403).
    """
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = request.form.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden(CSRF_REFUSED)


def set_login_csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure,
                        path=COOKIE_PATH)


def set_session_cookie(response: BaseResponse, session_id: str) -> None:
    """The session cookie: gone when the browser closes or the session's lifetime ends, whichever is first."""
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(current_app.config["SESSION_LIFETIME_SECONDS"]),
                        httponly=True, samesite="Lax", secure=request.is_secure, path=COOKIE_PATH)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict",
                           secure=request.is_secure)


def clear_session_cookie(response: BaseResponse) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="Lax", secure=request.is_secure)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path of the staff pages on this site (never another host: no open redirect)."""
    if not target or "\\" in target or any(ord(c) < 0x21 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(COOKIE_PATH + "/") or target.startswith("//"):
        return None
    return target


def login_redirect() -> BaseResponse:
    """303 to the login page, coming back to this page (a GET) after signing in."""
    back = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
    return redirect(url_for("staff.login", next=safe_next(back)), 303)


def staff_required(role: Role | None = None) -> Callable[[Callable[P, R]], Callable[P, R | BaseResponse]]:
    """Guard a view: signed in (else 303 to the login page), of `role` if given (else 403), and on an unsafe
    method with the session's CSRF token (else 403)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | BaseResponse]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R | BaseResponse:
            principal = current_principal()
            if principal is None:
                return login_redirect()
            if role is not None and principal.role != role:
                raise Forbidden(f"This page is for the {role} role; you are signed in as {principal.role}.")
            if request.method not in SAFE_METHODS:
                check_csrf()
            return view(*args, **kwargs)

        return guarded

    return decorate


def guard_unsafe_requests() -> BaseResponse | None:
    """Before every staff request: an unsafe method needs a CSRF token, whatever the view (the login's own)."""
    if request.method in SAFE_METHODS:
        return None
    if request.endpoint == "staff.login":
        check_login_csrf()
        return None
    if current_principal() is None:
        return login_redirect()
    check_csrf()
    return None


def no_store(response: BaseResponse) -> BaseResponse:
    """Staff pages are personal: never kept by a browser or a proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
