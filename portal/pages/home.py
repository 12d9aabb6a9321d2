"""HTML pages for people: the home page with counts and the list of qualifications."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest

from portal.pages import browse
from portal.web.language import choose_language
from portal.web.storage import get_store
from store.core import statistics
from store.core.formats import HTML

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> Response:
    """Counts, datasets and a page of qualifications with links to each."""
    page = _page_number()
    store, language = get_store(), choose_language()
    summary = statistics.summary(store)
    # A page of the browse index (built once per snapshot): never a scan of every title per request.
    found, pages = browse.page_of(browse.index(store).qualifications, page)
    items = [{"iri": item["href"], "title": item["label"], "eqf": item["note"]} for item in found]
    body = render_template("home.html", summary=summary, items=items, page=page,
                           pages=pages, language=language)
    return Response(body, mimetype=HTML)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("'page' must be a positive whole number.")
    return int(raw)
