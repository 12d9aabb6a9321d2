"""The staff pages' sign-in and shell (issue 11, "The staff pages"): sessions, CSRF, lockout, redirects, password."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal import create_app
from store.core.triplestore import Store
from store.registry import accounts
from store.registry.database import open_database
from tests.conftest import BASE

ORG = "https://example.org/org/college-a"
EDITOR, REVIEWER, PASSWORD = "editor@college-a.example", "reviewer@authority.example", "correct horse battery"
HTML = {"Accept": "text/html"}
FAILED = "Wrong email or password, or the account is locked or disabled."


@pytest.fixture
def app(empty_store: Store) -> Flask:
    """The portal over an empty store whose register has an editor of one organisation and a reviewer."""
    connection = open_database(empty_store.path)
    by = accounts.operator("tester")
    accounts.add_organisation(connection, ORG, "College A", by=by)
    accounts.add_user(connection, EDITOR, "editor", name="Ed Itor", organisations=[ORG], password=PASSWORD, by=by)
    accounts.add_user(connection, REVIEWER, "reviewer", password=PASSWORD, by=by)
    connection.close()
    return create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE,
                       "LOGIN_MAX_FAILURES": 3})


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def register(empty_store: Store) -> Iterator[sqlite3.Connection]:
    connection = open_database(empty_store.path)
    yield connection
    connection.close()


def hidden_csrf(response: TestResponse) -> str:
    """The `csrf` field of the (first) form on the page."""
    found = re.search(r'name="csrf" value="([^"]*)"', response.get_data(as_text=True))
    assert found is not None, response.get_data(as_text=True)
    return found.group(1)


def login(client: FlaskClient, email: str = EDITOR, password: str = PASSWORD, **extra: str) -> TestResponse:
    form = client.get("/staff/login", headers=HTML)
    return client.post("/staff/login", data={"email": email, "password": password, "csrf": hidden_csrf(form),
                                             **extra}, headers=HTML)


def sessions_of(register: sqlite3.Connection) -> int:
    return int(register.execute("SELECT count(*) FROM sessions").fetchone()[0])


def test_login_starts_a_session_and_shows_the_dashboard(client: FlaskClient, register: sqlite3.Connection) -> None:
    response = login(client)
    assert response.status_code == 303 and response.location == "/staff/"
    cookie = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookie if c.startswith("nqdb_session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/staff" in session
    assert "Secure" not in session  # plain http here; https gets Secure (test below)
    assert sessions_of(register) == 1
    page = client.get("/staff/", headers=HTML)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Ed Itor" in body and EDITOR in body and "College A" in body and ORG in body
    assert "editor" in body and "still being built" in body


def test_cookie_is_secure_over_https(client: FlaskClient) -> None:
    form = client.get("/staff/login", base_url="https://nqdb.test", headers=HTML)
    assert "Secure" in form.headers["Set-Cookie"]
    response = client.post("/staff/login", base_url="https://nqdb.test", headers=HTML,
                           data={"email": EDITOR, "password": PASSWORD, "csrf": hidden_csrf(form)})
    session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("nqdb_session="))
    assert "Secure" in session


@pytest.mark.parametrize(("email", "password"), [(EDITOR, "wrong password!"), ("nobody@example.org", PASSWORD)])
def test_failed_login_says_one_thing(client: FlaskClient, register: sqlite3.Connection, email: str,
                                     password: str) -> None:
    """A wrong password and an unknown email get the same page, and no session."""
    response = login(client, email, password)
    body = response.get_data(as_text=True)
    assert response.status_code == 403 and FAILED in body
    assert 'aria-describedby="login-error"' in body and 'id="login-error"' in body
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("nqdb_session=")]
    assert sessions_of(register) == 0
    assert client.get("/staff/", headers=HTML).status_code == 303


def test_lockout_after_max_failures(client: FlaskClient) -> None:
    for _ in range(3):  # LOGIN_MAX_FAILURES in the fixture
        assert login(client, EDITOR, "wrong password!").status_code == 403
    locked = login(client)  # the right password, refused while locked, with the same message
    assert locked.status_code == 403 and FAILED in locked.get_data(as_text=True)


def test_disabled_user_cannot_sign_in_and_loses_its_session(client: FlaskClient,
                                                            register: sqlite3.Connection) -> None:
    assert login(client).status_code == 303
    accounts.disable_user(register, EDITOR, by=accounts.operator("tester"))
    assert client.get("/staff/", headers=HTML).status_code == 303
    refused = login(client)
    assert refused.status_code == 403 and FAILED in refused.get_data(as_text=True)


def test_logout_ends_the_session(client: FlaskClient, register: sqlite3.Connection) -> None:
    login(client)
    page = client.get("/staff/", headers=HTML)
    response = client.post("/staff/logout", data={"csrf": hidden_csrf(page)}, headers=HTML)
    assert response.status_code == 303 and response.location.startswith("/staff/login")
    assert sessions_of(register) == 0
    assert client.get("/staff/", headers=HTML).status_code == 303


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_logout_without_the_right_csrf_is_refused(client: FlaskClient, register: sqlite3.Connection,
                                                  csrf: str | None) -> None:
    login(client)
    response = client.post("/staff/logout", data={} if csrf is None else {"csrf": csrf}, headers=HTML)
    assert response.status_code == 403 and "reload the page" in response.get_data(as_text=True)
    assert sessions_of(register) == 1 and client.get("/staff/", headers=HTML).status_code == 200


def test_problem_json_for_a_csrf_refusal(client: FlaskClient) -> None:
    login(client)
    response = client.post("/staff/logout", data={"csrf": "x"}, headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_login_without_its_csrf_token_is_refused(client: FlaskClient, register: sqlite3.Connection,
                                                 csrf: str | None) -> None:
    client.get("/staff/login", headers=HTML)  # the cookie is set; the field is missing or another
    data = {"email": EDITOR, "password": PASSWORD, **({} if csrf is None else {"csrf": csrf})}
    response = client.post("/staff/login", data=data, headers=HTML)
    assert response.status_code == 403 and sessions_of(register) == 0


def test_login_token_without_its_cookie_is_refused(app: Flask, client: FlaskClient,
                                                   register: sqlite3.Connection) -> None:
    """Another browser's token (the attacker's own form) does not match this browser's cookie."""
    with app.test_client() as attacker:
        token = hidden_csrf(attacker.get("/staff/login", headers=HTML))
    response = client.post("/staff/login", data={"email": EDITOR, "password": PASSWORD, "csrf": token},
                           headers=HTML)
    assert response.status_code == 403 and sessions_of(register) == 0


def test_unauthenticated_pages_redirect_to_login_with_next(client: FlaskClient) -> None:
    response = client.get("/staff/account?lang=fr", headers=HTML)
    assert response.status_code == 303
    assert response.location == "/staff/login?next=/staff/account?lang%3Dfr"
    assert login(client, next="/staff/account?lang=fr").location == "/staff/account?lang=fr"


@pytest.mark.parametrize("target", ["https://evil.example/staff/", "//evil.example/staff/", "/\\evil.example",
                                    "/browse", "javascript:alert(1)", "/staff", "https:/staff/x"])
def test_next_never_leaves_the_staff_pages(client: FlaskClient, target: str) -> None:
    response = login(client, next=target)
    assert response.status_code == 303 and response.location == "/staff/"


def test_session_expires(client: FlaskClient, register: sqlite3.Connection) -> None:
    login(client)
    register.execute("UPDATE sessions SET expires = '2000-01-01T00:00:00Z'")
    register.commit()
    assert client.get("/staff/", headers=HTML).status_code == 303


def test_password_change(client: FlaskClient) -> None:
    login(client)
    page = client.get("/staff/account", headers=HTML)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    new = "a brand new passphrase"
    wrong = client.post("/staff/account", headers=HTML,
                        data={"csrf": hidden_csrf(page), "current": "not it at all", "new": new, "again": new})
    assert wrong.status_code == 422 and 'aria-describedby="current-error"' in wrong.get_data(as_text=True)
    differ = client.post("/staff/account", headers=HTML,
                         data={"csrf": hidden_csrf(page), "current": PASSWORD, "new": new, "again": new + "x"})
    assert differ.status_code == 422 and "not the same" in differ.get_data(as_text=True)
    short = client.post("/staff/account", headers=HTML,
                        data={"csrf": hidden_csrf(page), "current": PASSWORD, "new": "short", "again": "short"})
    assert short.status_code == 422 and 'id="new-error"' in short.get_data(as_text=True)
    done = client.post("/staff/account", headers=HTML,
                       data={"csrf": hidden_csrf(page), "current": PASSWORD, "new": new, "again": new})
    assert done.status_code == 303
    assert "has been changed" in client.get(done.location, headers=HTML).get_data(as_text=True)
    client.post("/staff/logout", data={"csrf": hidden_csrf(page)}, headers=HTML)
    assert login(client).status_code == 403
    assert login(client, password=new).status_code == 303


def test_password_change_needs_csrf(client: FlaskClient) -> None:
    login(client)
    new = "a brand new passphrase"
    response = client.post("/staff/account", headers=HTML, data={"current": PASSWORD, "new": new, "again": new})
    assert response.status_code == 403
    client.post("/staff/logout", data={"csrf": hidden_csrf(client.get("/staff/", headers=HTML))}, headers=HTML)
    assert login(client).status_code == 303  # the old password still works


def test_reviewer_dashboard_names_its_role(client: FlaskClient) -> None:
    login(client, REVIEWER)
    body = client.get("/staff/", headers=HTML).get_data(as_text=True)
    assert "review queue" in body and "you act for the authority" in body


def test_pages_speak_french(client: FlaskClient) -> None:
    body = client.get("/staff/login", headers={**HTML, "Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="fr"' in body and "Mot de passe" in body and "Se connecter" in body


def test_staff_pages_are_kept_from_crawlers(client: FlaskClient) -> None:
    assert "Disallow: /staff/" in client.get("/robots.txt").get_data(as_text=True)
    assert "/staff" not in client.get("/sitemap.xml").get_data(as_text=True)
