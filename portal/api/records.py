"""The record views of /api/v1: list, create, read, update, the lifecycle transitions, history.

Each reads parse → ask the register (`store.registry.records`) → negotiate → respond. Who may do what is
decided there (PermissionDenied → 403); a record another organisation has not published is "not found" (404),
never "forbidden", so a token learns nothing of what others are drafting. Writes go to the live store, not the
request's pinned snapshot, so they build on what is published now.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.exceptions import BadRequest, PreconditionFailed, PreconditionRequired, UnsupportedMediaType

from portal.api import idempotency, pagination
from portal.api.auth import authenticated
from portal.api.errors import Refused, field_error
from portal.api.openapi import FORMAT_NAMES, TRANSITIONS
from portal.web import storage
from portal.web.negotiation import choose_media_type
from portal.web.site import public_base
from portal.web.storage import register
from store.core import graphs
from store.core.formats import JSON, JSON_LD, TURTLE
from store.core.triplestore import Store
from store.registry import accounts, content
from store.registry import records as register_records
from store.registry.lifecycle import State
from store.registry.principals import Principal

ELM_TYPES = (TURTLE, JSON_LD)
RECORD_VIEWS = (JSON, TURTLE, JSON_LD)
FORMATS = dict(zip(FORMAT_NAMES, RECORD_VIEWS, strict=True))


def _live_store() -> Store:
    """The store itself (not the request's pinned view): writes publish on top of the newest snapshot."""
    store: Store = current_app.extensions[storage.EXTENSION]
    return store


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype=JSON)


def _record_response(record: register_records.RecordInfo, status: int = 200) -> Response:
    response = _json(record.to_json(), status)
    response.set_etag(str(record.revision))
    if status == 201:
        response.headers["Location"] = url_for("api.get_record", key=record.key, _external=True)
    return response


def _elm_body() -> tuple[bytes, str]:
    """The request's ELM content and its media type (Turtle or JSON-LD)."""
    media_type = request.mimetype
    if media_type not in ELM_TYPES:
        raise UnsupportedMediaType(f"Send the record as {' or '.join(ELM_TYPES)} (Content-Type).")
    return request.get_data(cache=False), media_type


def _transition_body() -> dict[str, Any]:
    """The JSON body of a transition (reason, successor, equivalent, transitionEnd); empty is allowed."""
    data = request.get_data(cache=False)
    if not data.strip():
        return {}
    if request.mimetype != JSON:
        raise UnsupportedMediaType(f"Send the transition's fields as {JSON}.")
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest('The body is a JSON object: {"reason": "..."}.')
    return body


def _owner(principal: Principal) -> str:
    """The organisation a new record belongs to: `?organisation=`, or the token's only one."""
    organisation = request.args.get("organisation", "").strip()
    if not organisation and len(principal.organisations) == 1:
        organisation = next(iter(principal.organisations))
    if not organisation:
        raise Refused("Say which organisation owns the record: ?organisation=<IRI>.",
                      [field_error("organisation", "Give the owning organisation's IRI.", "required")])
    if accounts.get_organisation(register(), organisation) is None:
        raise Refused(f"No organisation <{organisation}> in the register.",
                      [field_error("organisation", "No organisation with this IRI in the register.", "exists")])
    return organisation


def _new_key() -> str:
    key = request.args.get("key", "").strip()
    if not graphs.is_valid_dataset_id(key):
        raise Refused(f"Record key {key!r} is not valid.", [field_error(
            "key", "Use 1 to 100 letters, digits, '.', '_' and '-'.", "record key")])
    return key


def _expected_revision(required: bool) -> int | None:
    """The revision `If-Match` names (None for `*`, or when absent and not required)."""
    if not request.headers.get("If-Match"):
        if required:
            raise PreconditionRequired("Send If-Match with the record's ETag (from GET), so no change is lost.")
        return None
    if request.if_match.star_tag:
        return None
    tags = [tag for tag in request.if_match.as_set() if tag and tag.isdigit()]  # malformed tags are None
    if len(tags) != 1:
        raise PreconditionFailed("If-Match names no revision of this record; GET it again for its ETag.")
    return int(tags[0])


def list_records() -> Response:
    """GET /records: the records this token may see, least recently changed first, a page at a time."""
    principal = authenticated()
    state_name, organisation = request.args.get("state"), request.args.get("organisation") or None
    if state_name is not None and state_name not in {s.value for s in State}:
        raise BadRequest(f"'state' is one of {', '.join(s.value for s in State)}.")
    limit, after = pagination.page_limit(), pagination.decode_cursor()
    found = register_records.list_records(register(), principal, state=State(state_name) if state_name else None,
                                          organisation=organisation, limit=limit + 1, after=after)
    page = found[:limit]
    body: dict[str, Any] = {"items": [record.to_json() for record in page], "next": None}
    link = None
    if len(found) > limit:
        body["next"], link = pagination.next_link("api.list_records", page[-1].key)
    response = _json(body)
    if link is not None:
        response.headers["Link"] = link
    return response


def create_record() -> Response:
    """POST /records?key=…&organisation=…: a new draft from ELM content."""
    principal = authenticated()
    key = _new_key()
    organisation, (data, media_type) = _owner(principal), _elm_body()
    idempotency_key = idempotency.idempotency_key()
    request_hash = idempotency.fingerprint(key, organisation, media_type, data)
    if idempotency_key is not None:
        replay = idempotency.replayed(principal, idempotency_key, request_hash)
        if replay is not None:
            return replay
    record = register_records.create_record(_live_store(), register(), principal, key, organisation, data,
                                            media_type, base_url=public_base())
    response = _record_response(record, 201)
    if idempotency_key is not None:
        idempotency.keep(principal, idempotency_key, request_hash, response)
    return response


def _version() -> int | None:
    text = request.args.get("version")
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise BadRequest("'version' is a published version number: 1, 2, …")
    return int(text)


def get_record(key: str) -> Response:
    """GET /records/<key>: state and revision as JSON, or content (Turtle, JSON-LD) by `format` or Accept.

    Content is the working copy for the record's editors and reviewers, the latest published version for
    others; `version=N` asks for published version N.
    """
    principal = authenticated()
    asked, version = request.args.get("format"), _version()
    if asked is not None and asked not in FORMATS:
        raise BadRequest(f"'format' is one of {', '.join(FORMATS)}.")
    record = register_records.get_record(register(), principal, key)
    media_type = FORMATS[asked] if asked else choose_media_type(RECORD_VIEWS)
    if media_type == JSON:
        response = _record_response(record)
    else:
        if version is None and not principal.may_read_unpublished(record.organisation):
            version = record.published_version
        triples = register_records.record_triples(get_store_view(), register(), principal, key, version)
        response = Response(content.serialise(triples, media_type), mimetype=media_type)
        response.set_etag(str(record.revision))
    response.vary.add("Accept")
    return response


def get_store_view() -> Store:
    """The request's store view: reads answer from one snapshot."""
    return storage.get_store()


def update_record(key: str) -> Response:
    """PUT /records/<key>: replace the working copy, if If-Match names the current revision (428 without)."""
    principal = authenticated()
    expected = _expected_revision(required=True)
    data, media_type = _elm_body()
    if expected is None:  # If-Match: * — whatever the revision is now
        expected = register_records.get_record(register(), principal, key).revision
    record = register_records.update_record(_live_store(), register(), principal, key, data, media_type, expected)
    return _record_response(record)


def _reason(body: dict[str, Any]) -> str:
    """The transition's reason ("" when absent: the register says which transitions need one, 422)."""
    reason = body.get("reason", "")
    if not isinstance(reason, str):
        raise Refused("'reason' is a string.", [field_error("reason", "Give the reason as a string.", "string")])
    return reason


def _supersede_fields(body: dict[str, Any]) -> tuple[str, bool, date]:
    problems = []
    successor, equivalent, end = body.get("successor"), body.get("equivalent"), body.get("transitionEnd")
    if not isinstance(successor, str) or not successor.strip():
        problems.append(field_error("successor", "Give the successor record's key.", "required"))
    if not isinstance(equivalent, bool):
        problems.append(field_error("equivalent", "Say whether the successor is equivalent: true or false.",
                                    "boolean"))
    day = None
    if isinstance(end, str):
        try:
            day = date.fromisoformat(end)
        except ValueError:
            pass
    if day is None:
        problems.append(field_error("transitionEnd", "Give the last day the record may still be awarded, as "
                                    "YYYY-MM-DD.", "date"))
    if problems or not isinstance(successor, str) or not isinstance(equivalent, bool) or day is None:
        raise Refused("The supersede request is incomplete.", problems)
    return successor.strip(), equivalent, day


def transition(key: str, action: str) -> Response:
    """POST /records/<key>/<action>: one lifecycle step (submit, request-changes, approve, publish, …)."""
    principal = authenticated()
    if action not in TRANSITIONS:
        raise BadRequest(f"No action {action!r}.")
    body = _transition_body()
    expected = _expected_revision(required=False)
    store, conn = _live_store(), register()
    if action == "submit":
        record = register_records.submit(store, conn, principal, key, expected)
    elif action == "approve":
        record = register_records.approve(store, conn, principal, key, expected)
    elif action == "publish":
        record = register_records.publish(store, conn, principal, key, expected)
    elif action == "request-changes":
        record = register_records.request_changes(store, conn, principal, key, _reason(body), expected)
    elif action == "withdraw":
        record = register_records.withdraw(store, conn, principal, key, _reason(body), expected)
    else:
        reason = _reason(body)
        successor, equivalent, end = _supersede_fields(body)
        try:
            record = register_records.supersede(store, conn, principal, key, successor, equivalent, end, reason,
                                                expected)
        except register_records.RecordNotFound:
            register_records.get_record(conn, principal, key)  # 404 if the record itself is not found
            raise Refused(f"No record {successor!r} to supersede with.", [field_error(
                "successor", "No record with this key.", "exists")]) from None
        except ValueError as error:
            if type(error) is not ValueError:
                raise
            raise Refused(str(error), [field_error("successor", str(error), "published successor")]) from None
    return _record_response(record)


def record_history(key: str) -> Response:
    """GET /records/<key>/history: the record, its versions with their changes in plain words, every event."""
    principal = authenticated()
    conn, store = register(), get_store_view()
    found = register_records.history(conn, principal, key)
    versions = []
    for version in found.versions:
        changes = [] if version.version == 1 else register_records.version_diff(
            store, conn, principal, key, version.version - 1, version.version)
        versions.append({"version": version.version, "published": version.published, "actor": version.actor,
                         "changes": [change.describe() for change in changes]})
    return _json({"record": found.record.to_json(), "versions": versions,
                  "events": [event.to_json() for event in found.events]})
