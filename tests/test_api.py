"""The register's write API under /api/v1 (issue 11), through the Flask test client on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal import create_app
from store.core.triplestore import Store
from store.registry import accounts, tokens
from store.registry.database import open_database
from tests.conftest import BASE
from tests.record_content import ORG_A, ORG_B, record_iri, record_turtle
from tests.register_state import rows

OPERATOR = accounts.operator("test")
TTL = {"Content-Type": "text/turtle"}


@dataclass
class Api:
    """A portal over a copy of the empty store, its register with two bodies, and a token per role."""

    app: Flask
    client: FlaskClient
    store: Path
    secrets: dict[str, str]

    def call(self, method: str, path: str, who: str | None = "a", **kwargs: object) -> TestResponse:
        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        if who is not None:
            headers["Authorization"] = f"Bearer {self.secrets[who]}"
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)  # type: ignore[arg-type]

    def create(self, key: str, who: str = "a", **kwargs: object) -> TestResponse:
        body = kwargs.pop("data", None) or record_turtle(key, organisation=ORG_B if who == "b" else ORG_A)
        headers = {**TTL, **dict(kwargs.pop("headers", None) or {})}  # type: ignore[call-overload]
        return self.call("POST", f"/records?key={key}", who, data=body, headers=headers, **kwargs)

    def step(self, key: str, action: str, who: str, **body: object) -> TestResponse:
        return self.call("POST", f"/records/{key}/{action}", who, json=body or None)

    def put(self, key: str, etag: str | None, data: bytes, who: str = "a") -> TestResponse:
        headers = {**TTL, **({"If-Match": etag} if etag is not None else {})}
        return self.call("PUT", f"/records/{key}", who, data=data, headers=headers)

    def published(self, key: str, title: str = "Certificate in Plumbing") -> TestResponse:
        assert self.create(key, data=record_turtle(key, title)).status_code == 201
        assert self.step(key, "submit", "a").status_code == 200
        assert self.step(key, "approve", "reviewer").status_code == 200
        response = self.step(key, "publish", "reviewer")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response


def make_api(store: Store, **settings: object) -> Api:
    connection = open_database(store.path)
    accounts.add_organisation(connection, ORG_A, "Body A", by=OPERATOR)
    accounts.add_organisation(connection, ORG_B, "Body B", by=OPERATOR)
    secrets = {"a": tokens.create_token(connection, "A's publisher", organisations=[ORG_A], by=OPERATOR)[1],
               "b": tokens.create_token(connection, "B's publisher", organisations=[ORG_B], by=OPERATOR)[1],
               "reviewer": tokens.create_token(connection, "review robot", "reviewer", by=OPERATOR)[1]}
    revoked, secrets["revoked"] = tokens.create_token(connection, "old", organisations=[ORG_A], by=OPERATOR)
    tokens.revoke_token(connection, revoked.id, by=OPERATOR)
    connection.close()
    app = create_app({"TESTING": True, "STORE": str(store.path), "PUBLIC_BASE_URL": BASE, **settings})
    return Api(app, app.test_client(), store.path, secrets)


@pytest.fixture
def api(empty_store: Store) -> Iterator[Api]:
    yield make_api(empty_store)


def register_rows(api: Api) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the register but the tokens' (whose last_used a request may touch)."""
    connection = open_database(api.store)
    try:
        return {table: found for table, found in rows(connection).items() if table != "tokens"}
    finally:
        connection.close()


def problem_of(response: TestResponse, status: int) -> dict[str, object]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, object] = response.get_json()
    assert body["status"] == status and body["detail"]
    return body


def record_of(response: TestResponse, status: int = 200) -> dict[str, object]:
    assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, object] = response.get_json()
    assert response.headers["ETag"] == f'"{body["revision"]}"'
    return body


# -- authentication ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("authorization", "error"), [
    (None, None), ("Basic dXNlcjpwYXNz", "invalid_request"), ("Bearer ", "invalid_request"),
    ("Bearer nqdb_not-a-token", "invalid_token")])
def test_no_or_a_malformed_token_is_401_with_a_bearer_challenge(api: Api, authorization: str | None,
                                                                error: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = api.call("GET", "/records", who=None, headers=headers)
    problem_of(response, 401)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer") and (error is None or f'error="{error}"' in challenge)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_revoked_token_is_401_everywhere(api: Api) -> None:
    assert "not valid" in str(problem_of(api.call("GET", "/records", who="revoked"), 401)["detail"])
    before = register_rows(api)
    problem_of(api.create("Q1", who="revoked"), 401)
    problem_of(api.step("Q1", "submit", "revoked"), 401)
    assert register_rows(api) == before


def test_a_valid_token_lists_records(api: Api) -> None:
    response = api.call("GET", "/records")
    assert response.status_code == 200 and response.get_json() == {"items": [], "next": None}
    assert response.headers["Cache-Control"] == "no-store" and "Link" not in response.headers


# -- the document, shared behaviour ------------------------------------------------------------------------

def test_the_openapi_document_is_public_and_describes_every_route(api: Api) -> None:
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    routes = {(rule.rule.removeprefix("/api/v1").replace("<key>", "{key}"), method.lower())
              for rule in api.app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    routes = {r for r in routes if "<" not in r[0]} | {(f"/records/{{key}}/{action}", "post") for action in (
        "submit", "request-changes", "approve", "publish", "withdraw", "supersede")}
    documented = {(path, method) for path, item in document["paths"].items() for method in item
                  if method != "parameters"}
    assert routes == documented


def test_an_unknown_api_path_is_a_problem_and_not_cached(api: Api) -> None:
    response = api.call("GET", "/nothing-here")
    problem_of(response, 404)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_body_over_the_limit_is_413_and_another_media_type_415(empty_store: Store) -> None:
    api = make_api(empty_store, API_MAX_BODY_BYTES=1000)
    before = register_rows(api)
    problem_of(api.create("Q-big", data=b"#" * 1001), 413)
    problem_of(api.call("POST", "/records?key=Q1", data=b"{}", headers={"Content-Type": "text/plain"}), 415)
    assert register_rows(api) == before


# -- the lifecycle ------------------------------------------------------------------------------------------

def test_the_whole_lifecycle_through_the_api(api: Api) -> None:
    created = api.create("Q1")
    record = record_of(created, 201)
    assert created.headers["Location"].endswith("/api/v1/records/Q1")
    assert (record["state"], record["revision"], record["iri"]) == ("draft", 1, record_iri("Q1"))
    assert api.client.get("/id/qualification/Q1").status_code == 404  # a draft is not public
    assert record_of(api.call("GET", "/records/Q1"))["key"] == "Q1"
    turtle = api.call("GET", "/records/Q1?format=ttl")
    assert turtle.mimetype == "text/turtle" and b"Certificate in Plumbing" in turtle.data
    assert api.call("GET", "/records/Q1", headers={"Accept": "application/ld+json"}).mimetype == \
        "application/ld+json"

    record_of(api.step("Q1", "submit", "a"))
    problem_of(api.step("Q1", "request-changes", "reviewer"), 422)  # a reason is required
    returned = record_of(api.step("Q1", "request-changes", "reviewer", reason="Name the trade."))
    assert returned["state"] == "changes_requested"
    fixed = record_of(api.put("Q1", f'"{returned["revision"]}"', record_turtle("Q1", "Plumbing installer")))
    assert fixed["state"] == "draft"
    record_of(api.step("Q1", "submit", "a"))
    assert record_of(api.step("Q1", "approve", "reviewer"))["state"] == "approved"
    published = record_of(api.step("Q1", "publish", "reviewer"))
    assert (published["state"], published["published_version"]) == ("published", 1)
    assert published["public_status"] == "http://data.europa.eu/snb/status/released"
    assert b"Plumbing installer" in api.client.get("/id/qualification/Q1", headers={"Accept": "text/turtle"}).data

    second = record_of(api.put("Q1", "*", record_turtle("Q1", "Plumbing and heating", eqf=5)))
    assert (second["state"], second["published_version"]) == ("draft", 1)  # v1 stays public
    for action, who in (("submit", "a"), ("approve", "reviewer"), ("publish", "reviewer")):
        record_of(api.step("Q1", action, who))
    history = api.call("GET", "/records/Q1/history").get_json()
    assert [v["version"] for v in history["versions"]] == [1, 2] and history["versions"][0]["changes"] == []
    changes = " ".join(history["versions"][1]["changes"])
    assert "Plumbing installer" in changes and "Plumbing and heating" in changes and "5" in changes
    assert [e["action"] for e in history["events"]][:2] == ["create", "submit"]
    assert b"Plumbing installer" in api.call("GET", "/records/Q1?format=ttl&version=1").data
    problem_of(api.call("GET", "/records/Q1?format=ttl&version=3"), 404)

    problem_of(api.step("Q1", "withdraw", "reviewer"), 422)
    withdrawn = record_of(api.step("Q1", "withdraw", "reviewer", reason="No longer offered."))
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["public_status"] == "http://data.europa.eu/snb/status/not-published-anymore"
    refused = problem_of(api.step("Q1", "submit", "a"), 409)
    assert refused["state"] == "withdrawn" and refused["allowed"] == []
    assert api.client.get("/id/qualification/Q1").status_code == 200  # still resolves


def test_a_refused_transition_says_what_is_allowed(api: Api) -> None:
    api.create("Q1")
    refused = problem_of(api.step("Q1", "publish", "reviewer"), 409)
    assert refused["state"] == "draft" and set(refused["allowed"]) == {"update", "submit"}  # type: ignore[arg-type]


def test_supersede_names_a_published_successor(api: Api) -> None:
    api.published("Q1")
    api.published("Q2", "Certificate in Plumbing (2025)")
    incomplete = problem_of(api.step("Q1", "supersede", "reviewer", reason="Replaced."), 422)
    assert {e["field"] for e in incomplete["errors"]} == {"successor", "equivalent", "transitionEnd"}  # type: ignore[union-attr]
    missing = problem_of(api.step("Q1", "supersede", "reviewer", reason="Replaced.", successor="Q9",
                                  equivalent=True, transitionEnd="2027-08-31"), 422)
    assert missing["errors"][0]["field"] == "successor"  # type: ignore[index]
    superseded = record_of(api.step("Q1", "supersede", "reviewer", reason="Replaced.", successor="Q2",
                                    equivalent=True, transitionEnd="2027-08-31"))
    assert (superseded["state"], superseded["successor"], superseded["transition_end"]) == (
        "superseded", record_iri("Q2"), "2027-08-31")


def test_a_taken_key_is_409_and_a_bad_key_or_organisation_422(api: Api) -> None:
    api.create("Q1")
    problem_of(api.create("Q1"), 409)
    assert problem_of(api.create("bad key!"), 422)["errors"][0]["field"] == "key"  # type: ignore[index]
    unknown = api.call("POST", "/records?key=Q2&organisation=https://example.org/none", data=record_turtle("Q2"),
                       headers=TTL)
    assert problem_of(unknown, 422)["errors"][0]["field"] == "organisation"  # type: ignore[index]
    assert problem_of(api.create("Q3", who="reviewer", headers={}), 422)["errors"][0]["field"] == "organisation"  # type: ignore[index]


# -- If-Match ----------------------------------------------------------------------------------------------

def test_an_update_needs_if_match_and_a_stale_one_is_412(api: Api) -> None:
    api.create("Q1")
    before = register_rows(api)
    problem_of(api.put("Q1", None, record_turtle("Q1", "Changed")), 428)
    stale = api.put("Q1", '"7"', record_turtle("Q1", "Changed"))
    assert problem_of(stale, 412)["currentRevision"] == 1 and stale.headers["ETag"] == '"1"'
    problem_of(api.put("Q1", "W/\"x\"", record_turtle("Q1", "Changed")), 412)
    assert register_rows(api) == before
    record_of(api.put("Q1", '"1"', record_turtle("Q1", "Changed")))
    problem_of(api.put("Q1", '"1"', record_turtle("Q1", "Changed again")), 412)  # the lost update, prevented
    problem_of(api.call("POST", "/records/Q1/submit", headers={"If-Match": '"1"'}), 412)
    record_of(api.call("POST", "/records/Q1/submit", headers={"If-Match": '"2"'}))


# -- permission boundaries ------------------------------------------------------------------------------------

def test_another_organisations_draft_is_not_found_on_every_endpoint(api: Api) -> None:
    api.create("QA")
    before = register_rows(api)
    for response in (api.call("GET", "/records/QA", "b"), api.call("GET", "/records/QA?format=ttl", "b"),
                     api.call("GET", "/records/QA/history", "b"),
                     api.put("QA", '"1"', record_turtle("QA"), who="b"),
                     *(api.step("QA", action, "b", reason="x") for action in (
                         "submit", "request-changes", "approve", "publish", "withdraw")),
                     api.step("QA", "supersede", "b", reason="x", successor="QA", equivalent=True,
                              transitionEnd="2030-01-01")):
        assert problem_of(response, 404)["detail"] == "No record 'QA'."  # as for a key nobody has
    assert api.call("GET", "/records", "b").get_json()["items"] == []
    assert api.call("GET", f"/records?organisation={ORG_A}", "b").get_json()["items"] == []
    assert register_rows(api) == before


def test_roles_are_enforced(api: Api) -> None:
    api.create("Q1")
    problem_of(api.put("Q1", '"1"', record_turtle("Q1", "Reviewer's title"), who="reviewer"), 403)
    problem_of(api.create("Q2", who="reviewer", headers={}, query_string=None), 422)  # no organisation to own it
    problem_of(api.call("POST", f"/records?key=Q2&organisation={ORG_A}", "reviewer", data=record_turtle("Q2"),
                        headers=TTL), 403)
    problem_of(api.call("POST", f"/records?key=Q2&organisation={ORG_A}", "b", data=record_turtle("Q2"),
                        headers=TTL), 403)
    record_of(api.step("Q1", "submit", "a"))
    problem_of(api.step("Q1", "approve", "a"), 403)
    problem_of(api.step("Q1", "request-changes", "a", reason="x"), 403)
    record_of(api.step("Q1", "approve", "reviewer"))
    problem_of(api.step("Q1", "publish", "a"), 403)
    record_of(api.step("Q1", "publish", "reviewer"))
    problem_of(api.step("Q1", "withdraw", "a", reason="x"), 403)
    # B sees A's published record and its public content, but may not change it nor read its working copy
    assert record_of(api.call("GET", "/records/Q1", "b"))["state"] == "published"
    assert b"Certificate in Plumbing" in api.call("GET", "/records/Q1?format=ttl", "b").data
    assert [r["key"] for r in api.call("GET", "/records", "b").get_json()["items"]] == ["Q1"]
    problem_of(api.put("Q1", '"4"', record_turtle("Q1", "B's title"), who="b"), 403)


# -- 422 with every error -----------------------------------------------------------------------------------

def test_a_nonconforming_record_is_422_with_every_problem(api: Api) -> None:
    body = b"\n".join(line for line in record_turtle("Q1").split(b"\n")
                       if b"elm:EQFLevel" not in line and b"elm:ISCEDFCode" not in line)
    api.create("Q1", data=body)
    before = register_rows(api)
    refused = problem_of(api.step("Q1", "submit", "a"), 422)
    errors = refused["errors"]
    assert isinstance(errors, list) and len(errors) >= 2
    assert {"EQF level", "thematic area", "field (ISCED-F)"} <= {e["field"] for e in errors}
    assert {"annex-vi", "http://www.w3.org/ns/shacl#MinCountConstraintComponent"} <= {e["rule"] for e in errors}
    for error in errors:
        assert error["message"] and error["rule"] and error["focusNode"] == record_iri("Q1") and "path" in error
    assert register_rows(api) == before


def test_unreadable_content_is_422_with_the_line(api: Api) -> None:
    refused = problem_of(api.create("Q1", data=b"@prefix x: <http://x/> .\nthis is not turtle\n"), 422)
    assert refused["errors"][0]["line"] == 2  # type: ignore[index]
    assert api.call("GET", "/records").get_json()["items"] == []


# -- Idempotency-Key ---------------------------------------------------------------------------------------

def test_a_retried_create_replays_and_another_with_the_same_key_is_refused(api: Api) -> None:
    first = api.create("Q1", headers={"Idempotency-Key": "k-1"})
    again = api.create("Q1", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.get_json() == first.get_json() and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Location"] == first.headers["Location"]
    assert len(api.call("GET", "/records").get_json()["items"]) == 1
    before = register_rows(api)
    reused = problem_of(api.create("Q2", headers={"Idempotency-Key": "k-1"}), 422)
    assert reused["errors"][0]["field"] == "Idempotency-Key"  # type: ignore[index]
    assert register_rows(api) == before
    assert api.create("Q1", who="b", headers={"Idempotency-Key": "k-1"}).status_code == 409  # per token: no replay


def test_a_refused_create_may_be_retried_with_its_key(api: Api) -> None:
    problem_of(api.create("Q1", data=b"not turtle", headers={"Idempotency-Key": "k-2"}), 422)
    record_of(api.create("Q1", headers={"Idempotency-Key": "k-2"}), 201)


# -- pagination and rate limits --------------------------------------------------------------------------

def test_pages_are_linked_and_never_repeat_or_skip(api: Api) -> None:
    for key in ("Q1", "Q2", "Q3"):
        api.create(key)
    first = api.call("GET", "/records?limit=2")
    body = first.get_json()
    assert [r["key"] for r in body["items"]] == ["Q1", "Q2"] and body["next"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    second = api.call("GET", body["next"].removeprefix("http://localhost/api/v1"))
    assert [r["key"] for r in second.get_json()["items"]] == ["Q3"] and second.get_json()["next"] is None
    assert "Link" not in second.headers
    assert [r["key"] for r in api.call("GET", "/records?state=draft").get_json()["items"]] == ["Q1", "Q2", "Q3"]
    assert api.call("GET", "/records?state=published").get_json()["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "cursor=%25%25%25", "state=lost"])
def test_a_bad_list_parameter_is_400(api: Api, query: str) -> None:
    problem_of(api.call("GET", f"/records?{query}"), 400)


def test_a_token_over_its_rate_limit_gets_429_with_retry_after(empty_store: Store) -> None:
    api = make_api(empty_store, API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60)
    assert [api.call("GET", "/records").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.call("GET", "/records")
    problem_of(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # one request comes back every 20 s
    problem_of(api.create("Q1"), 429)
    assert api.call("GET", "/records", who="b").status_code == 200  # each token has its own bucket
