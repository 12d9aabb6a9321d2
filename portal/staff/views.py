"""The staff pages: sign in and out, the dashboard (who you are, what your role will do here), your password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from portal.staff import session
from portal.staff.session import current_principal, staff_required
from portal.web.language import choose_language
from portal.web.storage import register
from portal.web.ui_text import ui_text
from store.core.formats import HTML
from store.registry import accounts, sessions
from store.registry.accounts import AccountError, LoginFailed, User
from store.registry.principals import Principal

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(session.guard_unsafe_requests)
bp.after_request(session.no_store)


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse:
    """The sign-in form; a right email and password start a session and go on to `next` (a staff page)."""
    target = session.safe_next(request.values.get("next")) or url_for("staff.dashboard")
    if request.method == "GET":
        if current_principal() is not None:
            return redirect(target, 303)
        return _login_form(200, error=False, email="", signed_out="signed_out" in request.args)
    email, password = request.form.get("email", ""), request.form.get("password", "")
    connection = register()
    try:
        accounts.authenticate_password(connection, email, password,
                                       max_failures=int(current_app.config["LOGIN_MAX_FAILURES"]),
                                       lockout_seconds=float(current_app.config["LOGIN_LOCKOUT_SECONDS"]))
    except LoginFailed:
        return _login_form(403, error=True, email=email.strip(), signed_out=False)
    user = accounts.get_user(connection, email)
    assert user is not None  # authenticate_password just found it
    old = request.cookies.get(session.SESSION_COOKIE)
    if old:
        sessions.end_session(connection, old)  # a new id at every login: no session fixation
    session_id, _csrf = sessions.start_session(connection, user.id,
                                               float(current_app.config["SESSION_LIFETIME_SECONDS"]))
    response = redirect(target, 303)
    session.set_session_cookie(response, session_id)
    return response


@bp.post("/logout")
def logout() -> BaseResponse:
    """End the session (the CSRF check ran before) and go back to the login page."""
    session_id = request.cookies.get(session.SESSION_COOKIE)
    if session_id:
        sessions.end_session(register(), session_id)
    response = redirect(url_for("staff.login", signed_out=1, **_language_args()), 303)
    session.clear_session_cookie(response)
    return response


@bp.get("/")
@staff_required()
def dashboard() -> BaseResponse:
    """Who you are, your role and organisations, and what your role will do here once records land."""
    principal, user = _signed_in()
    organisations = [accounts.get_organisation(register(), iri) for iri in sorted(principal.organisations)]
    return _page("staff/dashboard.html", 200, user=user, role=str(principal.role),
                 organisations=[o for o in organisations if o is not None])


@bp.route("/account", methods=["GET", "POST"])
@staff_required()
def account() -> BaseResponse:
    """Change your own password; the current one must be given (a wrong one counts as a failed login)."""
    principal, user = _signed_in()
    if request.method == "GET":
        return _page("staff/account.html", 200, user=user, errors={}, changed="changed" in request.args)
    errors = _password_errors(principal, user)
    if errors:
        return _page("staff/account.html", 422, user=user, errors=errors, changed=False)
    return redirect(url_for("staff.account", changed=1, **_language_args()), 303)


def _password_errors(principal: Principal, user: User) -> dict[str, str]:
    """Check the form and set the new password; the errors by field name (empty: it changed)."""
    text = ui_text(choose_language())
    current, new, again = (request.form.get(name, "") for name in ("current", "new", "again"))
    connection = register()
    try:
        accounts.authenticate_password(connection, user.email, current,
                                       max_failures=int(current_app.config["LOGIN_MAX_FAILURES"]),
                                       lockout_seconds=float(current_app.config["LOGIN_LOCKOUT_SECONDS"]))
    except LoginFailed:
        return {"current": text["staff_current_wrong"]}
    if new != again:
        return {"again": text["staff_passwords_differ"]}
    try:
        accounts.set_password(connection, user.email, new, by=principal)
    except AccountError as error:
        return {"new": str(error)}
    return {}


def _signed_in() -> tuple[Principal, User]:
    principal = current_principal()
    assert principal is not None  # staff_required let the request in
    user = accounts.get_user(register(), principal.actor.removeprefix("user:"))
    assert user is not None  # the session's user exists and is enabled
    return principal, user


def _login_form(status: int, *, error: bool, email: str, signed_out: bool) -> Response:
    token = session.new_login_csrf()
    response = _page("staff/login.html", status, login_csrf=token, error=error, email=email,
                     signed_out=signed_out, next=session.safe_next(request.values.get("next")))
    session.set_login_csrf_cookie(response, token)
    return response


def _page(template: str, status: int, **context: object) -> Response:
    language = choose_language()
    body = render_template(template, language=language, text=ui_text(language), csrf=session.session_csrf(),
                           principal=current_principal(), lang_args=_language_args(), **context)
    return Response(body, status, mimetype=HTML)


def _language_args() -> dict[str, Any]:  # Any: url_for's **values
    """`lang` of this request, to keep it across the staff pages' links and forms."""
    lang = request.args.get("lang")
    return {"lang": lang} if lang else {}
