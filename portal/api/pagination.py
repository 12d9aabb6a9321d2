"""Cursor pagination of API lists: `?limit=` (capped by API_PAGE_LIMIT) and an opaque `?cursor=`.

A cursor is the position after the last item of a page (the record key, base64url-encoded so clients treat
it as opaque); the next page is linked with `Link: <…>; rel="next"` (RFC 8288) and repeated in the body as
`next`. Cursors stay valid while records are added: a page never repeats or skips one that existed.
"""

from __future__ import annotations

import base64
import binascii

from flask import current_app, request, url_for
from werkzeug.exceptions import BadRequest


def page_limit() -> int:
    """The page size asked for (`limit`), by default and at most API_PAGE_LIMIT."""
    cap = int(current_app.config["API_PAGE_LIMIT"])
    text = request.args.get("limit")
    if text is None:
        return cap
    if not text.isdigit() or not 1 <= int(text) <= cap:
        raise BadRequest(f"'limit' must be a whole number from 1 to {cap}.")
    return int(text)


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor() -> str | None:
    """The position the request's `cursor` names, or None for the first page."""
    text = request.args.get("cursor")
    if text is None:
        return None
    try:
        padded = text + "=" * (-len(text) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("'cursor' is not one this API gave out; start again without it.") from None


def next_link(endpoint: str, position: str) -> tuple[str, str]:
    """The URL of the page after `position` (same filters and limit) and its `Link` header value."""
    arguments = {name: value for name, value in request.args.items() if name != "cursor"}
    url = url_for(endpoint, **arguments, cursor=encode_cursor(position), _external=True)
    return url, f'<{url}>; rel="next"'
