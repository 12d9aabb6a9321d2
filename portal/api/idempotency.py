"""`Idempotency-Key` on creates: a retried POST gets the first response again, never a second record.

The request's fingerprint is a SHA-256 of what defines it (the key and organisation asked for, the media type,
the body); the register keeps, per token and key, the fingerprint and the response (`store.registry.idempotency`).
Only successful creates are kept: a refused one may be retried with the same key once fixed.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, request, url_for
from werkzeug.exceptions import BadRequest

from portal.web.storage import register
from store.core.formats import JSON
from store.registry import idempotency
from store.registry.principals import Principal

HEADER = "Idempotency-Key"


def idempotency_key() -> str | None:
    """The request's `Idempotency-Key`, if it sent one."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > idempotency.MAX_KEY:
        raise BadRequest(f"An {HEADER} has 1 to {idempotency.MAX_KEY} characters (a UUID is a good one).")
    return key


def fingerprint(*parts: str | bytes) -> str:
    """The hash two requests share only if they ask for the same thing."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def replayed(principal: Principal, key: str, request_hash: str) -> Response | None:
    """The response first given to this key, marked `Idempotent-Replayed: true`, or None for a new key.

    Raises:
        IdempotencyKeyReused: the key was used for another request (422).
    """
    stored = idempotency.recall(register(), principal.actor, key, request_hash)
    if stored is None:
        return None
    response = Response(stored.body, stored.status, mimetype=JSON)
    record = json.loads(stored.body)
    response.headers["Location"] = url_for("api.get_record", key=record["key"], _external=True)
    response.set_etag(str(record["revision"]))
    response.headers["Idempotent-Replayed"] = "true"
    return response


def keep(principal: Principal, key: str, request_hash: str, response: Response) -> None:
    """Remember `response` as the answer to this key."""
    idempotency.remember(register(), principal.actor, key, request_hash, response.status_code,
                         response.get_data(as_text=True))
