"""/browse: lists of qualifications, organisations, EQF levels and fields, each linking to its page.

Lists come from an index built once per published snapshot (a scan at 100k qualifications takes
seconds; a page of the cached index takes microseconds), so every page is a slice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest, NotFound

from portal.resources.descriptions import href_for
from portal.web.language import choose_language, offered_languages, pick_text
from portal.web.storage import get_store
from portal.web.ui_text import ui_text
from store.core import statistics
from store.core.formats import HTML
from store.core.snapshot_cache import per_snapshot
from store.core.terms import Term
from store.core.triplestore import Store

bp = Blueprint("browse", __name__, url_prefix="/browse")


@dataclass(frozen=True)
class Entry:
    """One listed resource: its IRI, its labels per language, and a short note (EQF level, count)."""

    iri: str
    labels: tuple[tuple[str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class Index:
    """Everything the browse pages list, for one snapshot version."""

    qualifications: tuple[Entry, ...]
    organisations: tuple[Entry, ...]
    fields: tuple[Entry, ...]


@per_snapshot(maxsize=4)
def index(store: Store) -> Index:
    """The browse index of the current snapshot (built on first use after each publish)."""
    return Index(_entries(store.select_terms("list_qualifications"), "qualification", "title",
                          "eqfLevel"),
                 _entries(store.select_terms("list_organisations"), "organisation", "name", None),
                 _entries(store.select_terms("count_qualifications_by_field"), "field", "label",
                          "qualifications"))


def _entries(rows: list[dict[str, Term]], key: str, label: str, note: str | None) -> tuple[Entry, ...]:
    labels: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    for row in rows:
        iri = row[key].value
        found = labels.setdefault(iri, {})
        if label in row:
            found[row[label].language or ""] = row[label].value
        if note and note in row:
            notes[iri] = row[note].value.rsplit("/", 1)[-1]
    return tuple(Entry(iri, tuple(sorted(texts.items())), notes.get(iri, ""))
                 for iri, texts in labels.items())


def page_of(entries: tuple[Entry, ...], page: int) -> tuple[list[dict[str, object]], int]:
    """One page of entries with links and labels in the reader's language, and the page count."""
    size = int(current_app.config["PAGE_SIZE"])
    language = choose_language()
    chosen = entries[(page - 1) * size: page * size]
    items = [{"href": href_for(e.iri), "label": pick_text(dict(e.labels), language), "note": e.note,
              "iri": e.iri} for e in chosen]
    return items, max(1, -(-len(entries) // size))


def page_number() -> int:
    """The ?page= parameter, 1 by default."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("'page' must be a positive whole number.")
    return int(raw)


def _render(template: str, **context: object) -> Response:
    language = choose_language()
    body = render_template(template, language=language, ui=ui_text(language), languages=offered_languages(),
                           **context)
    response = Response(body, mimetype=HTML)
    response.vary.add("Accept-Language")
    return response


@bp.get("")
@bp.get("/")
def browse_home() -> Response:
    """Entry points: qualifications, organisations, EQF levels, fields."""
    return _render("browse.html", section="home", levels=_levels(), summary=statistics.summary(get_store()))


@bp.get("/levels")
def levels() -> Response:
    """EQF levels with their number of qualifications, each linking to the level's concept page."""
    return _render("browse.html", section="levels", levels=_levels())


@bp.get("/<section>")
def listing(section: str) -> Response:
    """A paginated list of qualifications, organisations or fields."""
    if section not in ("qualifications", "organisations", "fields"):
        raise NotFound(f"No list called {section!r}; try qualifications, organisations, levels or fields.")
    page = page_number()
    items, pages = page_of(getattr(index(get_store()), section), page)
    return _render("browse.html", section=section, items=items, page=page, pages=pages)


def _levels() -> list[dict[str, object]]:
    return [{"href": href_for(level.level), "label": level.label, "count": level.qualifications}
            for level in statistics.summary(get_store()).levels]
