"""The change feed for harvesters, in Activity Streams 2.0: /changes and /changes/page/<n>.

Pages are in time order (page 1 is the oldest) and never change once published; a harvester keeps the
number of the last page it applied and asks for the next ones (see docs/open-data.md).
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from portal.web.negotiation import choose_media_type
from portal.web.site import site
from portal.web.storage import get_store
from store.core import changes, graphs
from store.core.formats import ACTIVITY_JSON, JSON, JSON_LD, N_TRIPLES
from store.core.namespaces import AS_CONTEXT, NQDB

bp = Blueprint("feed", __name__)
FEED_TYPES = (ACTIVITY_JSON, f'{JSON_LD}; profile="{AS_CONTEXT}"', JSON_LD, JSON)
CONTEXT = [AS_CONTEXT, {"nqdb": NQDB}]


def _json(body: dict[str, object], immutable: bool = False) -> Response:
    media_type = choose_media_type(FEED_TYPES)
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype=media_type.split(";")[0])
    response.vary.add("Accept")
    response.cache_control.public = True
    response.cache_control.max_age = 31536000 if immutable else 30
    return response


def _page_url(number: int) -> str:
    return site().url(url_for("feed.page", number=number))


@bp.get("/changes")
def collection() -> Response:
    """The feed: an OrderedCollection with its first and last pages; ?since=<ISO time> jumps to a page."""
    store = get_store()
    since = request.args.get("since")
    if since is not None:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError as error:
            raise BadRequest("'since' must be an ISO 8601 date-time, e.g. 2025-01-31T00:00:00Z.") from error
        number = changes.page_since(store, moment)
        if number is None:
            raise NotFound("No change since that time; ask again later.")
        return redirect(_page_url(number), 303)  # type: ignore[return-value]
    found = changes.summary(store)
    body: dict[str, object] = {"@context": CONTEXT, "id": site().url("/changes"), "type": "OrderedCollection",
                               "summary": "Created, updated and withdrawn resources of the published data.",
                               "totalItems": found.events}
    if found.pages:
        body.update(first=_page_url(1), last=_page_url(found.pages), updated=found.updated)
    return _json(body)


@bp.get("/changes/page/<int:number>")
def page(number: int) -> Response:
    """One immutable page of Create / Update / Delete activities."""
    store = get_store()
    found = changes.page(store, number) if number >= 1 else None
    if found is None:
        raise NotFound(f"No change-feed page {number}; /changes says which pages exist.")
    total = changes.summary(store).pages
    body: dict[str, object] = {"@context": CONTEXT, "id": _page_url(number), "type": "OrderedCollectionPage",
                               "partOf": site().url("/changes"), "published": found.published,
                               "startIndex": found.start,
                               "orderedItems": [_activity(e, found.published) for e in found.events]}
    if number > 1:
        body["prev"] = _page_url(number - 1)
    if number < total:
        body["next"] = _page_url(number + 1)
    return _json(body, immutable=number < total)


def _activity(event: changes.Event, published: str) -> dict[str, object]:
    dataset = graphs.dataset_id_of(event.graph) or event.graph
    obj: dict[str, object] = {"id": event.resource}
    if event.content is not None:
        obj.update(mediaType=N_TRIPLES, content=event.content.decode("utf-8"))
    elif event.kind != changes.DELETE:
        obj["nqdb:superseded"] = True  # a later event carries the newer version
    return {"id": site().url(f"/changes/event/{event.sequence}"), "type": event.kind, "published": published,
            "object": obj, "target": {"id": site().url(f"/catalog#dataset-{dataset}"), "name": dataset,
                                      "nqdb:graph": event.graph},
            "nqdb:hash": event.hash}
