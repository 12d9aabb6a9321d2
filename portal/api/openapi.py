"""The OpenAPI 3.1 document of /api/v1, built here and only here, served at /api/v1/openapi.json.

Every request and response body has a schema (JSON Schema 2020-12, as OpenAPI 3.1 uses it), every error is the
`Problem` schema (RFC 9457 plus `errors`), and every operation lists each status code it can return;
tests/live/test_api_schemathesis.py checks the running server against this document.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify

from store.core.formats import JSON, JSON_LD, PROBLEM_JSON, TURTLE
from store.registry.lifecycle import State
from store.registry.publication import NOT_PUBLISHED_ANYMORE, OBSOLETE, RELEASED

STATES = [state.value for state in State]
TRANSITIONS = {
    "submit": "Send a draft (or a record returned with changes requested) for review: editor of its organisation.",
    "request-changes": "Return a submission to its editors with a reason: reviewer.",
    "approve": "Accept a submission (validated again): reviewer.",
    "publish": "Publish an approved record as a new immutable version: reviewer.",
    "withdraw": "Withdraw a published record, with a reason; its IRI keeps resolving: reviewer.",
    "supersede": "Replace a published record by a successor, with a reason: reviewer.",
}
STATUS_TEXT = {
    200: "OK.", 201: "Created.", 400: "A parameter is malformed.",
    401: "No API token, or one that is unknown or revoked (`WWW-Authenticate: Bearer`).",
    403: "The token's role or organisations do not allow this.",
    404: "No such record visible to this token (other organisations' unpublished records are never shown).",
    406: "None of the media types in `Accept` can be produced.",
    409: "The record's state does not allow this, or the key is taken.",
    412: "`If-Match` names a revision that is no longer the record's (a lost update was prevented).",
    413: "The body is larger than API_MAX_BODY_BYTES.",
    415: "The body is neither Turtle nor JSON-LD (or not JSON for a transition).",
    422: "The input is refused; `errors` lists every error at once.",
    428: "`If-Match` is required on updates.",
    429: "Over this token's rate limit; `Retry-After` says when to come back.",
}
AUTHENTICATED = [401, 429]
FORMAT_NAMES = ("json", "ttl", "jsonld")  # ?format= of GET /records/{key}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_body(schema: dict[str, Any], media_type: str = JSON) -> dict[str, Any]:
    return {"content": {media_type: {"schema": schema}}}


def _responses(success: dict[int, dict[str, Any]], errors: list[int]) -> dict[str, Any]:
    """Each success with its body, each error status as a problem."""
    answers: dict[str, Any] = {}
    for status, body in success.items():
        answers[str(status)] = {"description": STATUS_TEXT[status], **body}
    for status in sorted(set(errors)):
        answer: dict[str, Any] = {"description": STATUS_TEXT[status],
                                  **_json_body(_ref("Problem"), PROBLEM_JSON)}
        if status == 429:
            answer["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                                                 "description": "Seconds until a request is allowed again."}}
        if status == 401:
            answer["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        answers[str(status)] = answer
    return answers


def _record_response(status: int) -> dict[int, dict[str, Any]]:
    return {status: {"headers": {"ETag": {"schema": {"type": "string"},
                                          "description": "The record's revision, for If-Match."}},
                     **_json_body(_ref("Record"))}}


def _key_parameter() -> dict[str, Any]:
    return {"name": "key", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1},
            "description": "The record key (the last segment of its IRI, `/id/qualification/<key>`)."}


def _elm_body(description: str) -> dict[str, Any]:
    return {"required": True, "description": description,
            "content": {TURTLE: {"schema": {"type": "string"}}, JSON_LD: {"schema": {}}}}


def _operations() -> dict[str, Any]:
    """The paths object: every operation of the API."""
    return {**_collection_paths(), **_record_paths(), **_transition_paths(), "/openapi.json": {
        "get": {"operationId": "openapi", "summary": "This document.", "security": [],
                "responses": {"200": {"description": "OK.", **_json_body({"type": "object"})}}}}}


def _collection_paths() -> dict[str, Any]:
    page_headers = {"Link": {"schema": {"type": "string"}, "description": 'The next page, rel="next".'}}
    return {"/records": {
        "get": {"operationId": "listRecords", "summary": "Records visible to the token.",
                "parameters": _list_parameters(),
                "responses": _responses({200: {"headers": page_headers, **_json_body(_ref("RecordPage"))}},
                                        [400, *AUTHENTICATED])},
        "post": {"operationId": "createRecord", "summary": "Create a draft from an ELM qualification.",
                 "parameters": _create_parameters(),
                 "requestBody": _elm_body("One ELM qualification with the nodes it owns."),
                 "responses": _responses(_record_response(201), [400, 403, 409, 413, 415, 422, *AUTHENTICATED])}}}


def _record_paths() -> dict[str, Any]:
    content = {JSON: {"schema": _ref("Record")}, TURTLE: {"schema": {"type": "string"}},
               JSON_LD: {"schema": {}}}
    view = {"name": "format", "in": "query", "schema": {"enum": list(FORMAT_NAMES)},
            "description": "`ttl` or `jsonld`: the record's content instead of its state (also by `Accept`)."}
    version = {"name": "version", "in": "query", "schema": {"type": "integer", "minimum": 1},
               "description": "With `format`: published version N. Without: the working copy for the record's "
                              "editors and reviewers, the latest published version for others."}
    if_match = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
                "description": 'The ETag (revision) the change is based on, e.g. `"3"`, or `*`; without it 428.'}
    return {
        "/records/{key}": {
            "parameters": [_key_parameter()],
            "get": {"operationId": "getRecord", "summary": "A record's state and revision, or its content.",
                    "parameters": [view, version],
                    "responses": _responses({200: {"headers": _record_response(200)[200]["headers"],
                                                   "content": content}}, [400, 403, 404, 406, *AUTHENTICATED])},
            "put": {"operationId": "updateRecord", "summary": "Replace the working copy: an editor of its "
                                                              "organisation, in draft, changes_requested or published.",
                    "parameters": [if_match], "requestBody": _elm_body("The whole new working copy."),
                    "responses": _responses(_record_response(200),
                                            [400, 403, 404, 409, 412, 413, 415, 422, 428, *AUTHENTICATED])}},
        "/records/{key}/history": {
            "parameters": [_key_parameter()],
            "get": {"operationId": "recordHistory", "summary": "Versions, their changes in plain words, and events.",
                    "responses": _responses({200: _json_body(_ref("History"))}, [404, *AUTHENTICATED])}}}


def _transition_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    if_match = {"name": "If-Match", "in": "header", "schema": {"type": "string"},
                "description": "Optional: the ETag (revision) the step is based on; 412 if the record changed."}
    for action, summary in TRANSITIONS.items():
        words = action.split("-")
        paths[f"/records/{{key}}/{action}"] = {"parameters": [_key_parameter()], "post": {
            "operationId": words[0] + "".join(w.capitalize() for w in words[1:]) + "Record", "summary": summary,
            "parameters": [if_match],
            "requestBody": {"required": False, **_json_body(_ref("Transition"))},
            "responses": _responses(_record_response(200),
                                    [400, 403, 404, 409, 412, 413, 415, 422, *AUTHENTICATED])}}
    return paths


def _list_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "state", "in": "query", "schema": {"enum": STATES}},
        {"name": "organisation", "in": "query", "schema": {"type": "string"},
         "description": "Only records of this organisation (IRI)."},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1},
         "description": "Records per page; at most API_PAGE_LIMIT (the default)."},
        {"name": "cursor", "in": "query", "schema": {"type": "string"},
         "description": "Opaque: the `next` of the previous page."},
    ]


def _create_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "key", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1},
         "description": "The new record's key (letters, digits, `.`, `_`, `-`; at most 100); its IRI is "
                        "`<PUBLIC_BASE_URL>/id/qualification/<key>`."},
        {"name": "organisation", "in": "query", "schema": {"type": "string"},
         "description": "The awarding body (IRI) that owns the record; optional for a token bound to one."},
        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "minLength": 1, "maxLength": 255},
         "description": "Retry safely: the same key and request replay the first response "
                        "(`Idempotent-Replayed: true`); the same key with another request gets 422."},
    ]


def _schemas() -> dict[str, Any]:
    nullable_string = {"type": ["string", "null"]}
    nullable_integer = {"type": ["integer", "null"]}
    return {
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": _ref("FieldError"),
                       "description": "Every error of a refused input (422), all at once."},
            "state": {**nullable_string, "description": "409 on a refused transition: the record's state."},
            "allowed": {"type": "array", "items": {"type": "string"},
                        "description": "409 on a refused transition: the actions its state allows."},
            "currentRevision": {"type": "integer", "description": "412: the record's revision now."}}},
        "FieldError": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": "string", "description": "The field, parameter or header at fault."},
            "path": {**nullable_string, "description": "The property path (SHACL sh:resultPath), if any."},
            "focusNode": {**nullable_string, "description": "The node at fault (SHACL sh:focusNode), if any."},
            "message": {"type": "string"},
            "rule": {"type": "string", "description": "The rule broken (SHACL constraint, annex-vi, …)."},
            "line": {**nullable_integer, "description": "Unreadable content: the line, where known."},
            "column": nullable_integer}},
        "Version": {"type": "object", "required": ["version", "published", "actor", "changes"], "properties": {
            "version": {"type": "integer", "minimum": 1}, "published": {"type": "string"},
            "actor": {"type": "string"},
            "changes": {"type": "array", "items": {"type": "string"},
                        "description": "What changed from the version before, in plain words."}}},
        "Record": {"type": "object", "required": ["key", "iri", "organisation", "state", "revision",
                                                  "published_version", "public_status", "created", "updated"],
                   "properties": {
                       "key": {"type": "string"}, "iri": {"type": "string"}, "organisation": {"type": "string"},
                       "state": {"enum": STATES}, "revision": {"type": "integer", "minimum": 1},
                       "published_version": {**nullable_integer,
                                             "description": "The public version, if one is published."},
                       "public_status": {"enum": [None, RELEASED, OBSOLETE, NOT_PUBLISHED_ANYMORE],
                                         "description": "The Europass status of what the public sees."},
                       "successor": nullable_string, "successor_equivalent": {"type": ["boolean", "null"]},
                       "transition_end": nullable_string,
                       "created": {"type": "string"}, "updated": {"type": "string"}}},
        "RecordPage": {"type": "object", "required": ["items", "next"], "properties": {
            "items": {"type": "array", "items": _ref("Record")}, "next": nullable_string}},
        "Transition": {"type": "object", "properties": {
            "reason": {"type": "string", "description": "Required to request changes, withdraw, supersede."},
            "successor": {"type": "string", "description": "supersede: the successor record's key."},
            "equivalent": {"type": "boolean", "description": "supersede: whether the successor is equivalent."},
            "transitionEnd": {"type": "string", "format": "date",
                              "description": "supersede: last day the old record may still be awarded."}}},
        "History": {"type": "object", "required": ["record", "versions", "events"], "properties": {
            "record": _ref("Record"),
            "versions": {"type": "array", "items": _ref("Version")},
            "events": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"},
                "action": {"type": "string"}, "record": nullable_string, "version": nullable_integer,
                "reason": nullable_string, "detail": nullable_string}}}}},
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{current_app.config['SITE_NAME']} register API", "version": "1",
                 "description": "Create, edit and move qualification records through their lifecycle "
                                "(docs/api.md). Rate limits are per API token and per server process."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": _operations(),
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "An API token from `nqdb token create`."}}},
    }


def openapi_json() -> Response:
    """GET /api/v1/openapi.json: the document (public: it says nothing about any record)."""
    return jsonify(document())
