"""HTML pages for people: the home page with counts and the list of qualifications."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest

from portal.language import choose_language, pick_text
from portal.storage import get_store
from store import statistics

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> Response:
    """Counts, datasets and a page of qualifications with links to each."""
    page = _page_number()
    store, language = get_store(), choose_language()
    summary = statistics.summary(store)
    size = int(current_app.config["PAGE_SIZE"])
    titles: dict[str, dict[str, str]] = {}
    levels: dict[str, str] = {}
    for row in store.select_terms("list_qualifications"):
        iri = row["qualification"].value
        titles.setdefault(iri, {})[row["title"].language or ""] = row["title"].value
        if "eqfLevel" in row:
            levels[iri] = row["eqfLevel"].value.rsplit("/", 1)[-1]
    iris = list(titles)[(page - 1) * size: page * size]
    items = [{"iri": iri, "title": pick_text(titles[iri], language), "eqf": levels.get(iri, "")}
             for iri in iris]
    body = render_template("home.html", summary=summary, items=items, page=page,
                           pages=max(1, -(-len(titles) // size)), language=language)
    return Response(body, mimetype="text/html")


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("'page' must be a positive whole number.")
    return int(raw)
