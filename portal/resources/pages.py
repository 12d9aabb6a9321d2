"""The HTML page (and the dataset twin in RDF) of one resource: picks the template by what the resource is."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, render_template, request
from werkzeug.exceptions import BadRequest

from portal.resources.descriptions import Graph, href_for, organisation_view, qualification_view
from portal.resources.schemaorg import credential_json_ld
from portal.web.language import Picked, offered_languages, pick_text
from portal.web.negotiation import RDF_FORMATS
from portal.web.site import public_base
from portal.web.ui_text import LANGUAGE_NAMES, ui_text, workload_hours
from store.core import iris, statistics
from store.core.formats import rdf_by_media_type
from store.core.namespaces import ELM, SKOS
from store.core.snapshot_cache import per_snapshot
from store.core.statistics import DatasetInfo
from store.core.triplestore import Store
from store.opendata import describe


def dataset_info(store: Store, iri: str) -> DatasetInfo | None:
    """The published dataset whose IRI is /id/dataset/<id>, if any."""
    minted = iris.parse(public_base(), iri)
    if minted is None or minted.kind != "dataset":
        return None
    return next((d for d in statistics.summary(store).datasets if d.dataset_id == minted.key), None)


def is_dataset(iri: str) -> bool:
    """True for the IRI of a published dataset (described from import records, not from triples)."""
    from portal.web.storage import get_store

    return dataset_info(get_store(), iri) is not None


def rdf(store: Store, iri: str, media_type: str) -> bytes:
    """The description of `iri` in an RDF syntax."""
    info = dataset_info(store, iri)
    if info is not None and not store.exists(iri):
        return describe.describe_dataset(info, iri, media_type)
    return describe.describe(store, iri, media_type)


def alternates() -> list[dict[str, str]]:
    """<link rel=alternate> targets: this page's URL with each RDF format suffix."""
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    base = request.script_root + request.path.removesuffix(".html")
    links = []
    for media_type in RDF_FORMATS:
        syntax = rdf_by_media_type(media_type)
        assert syntax is not None
        links.append({"href": f"{base}.{syntax.extension}{_without_lang(query)}", "type": media_type,
                      "name": syntax.name})
    return links


def language_switch() -> list[dict[str, str]]:
    """One link per offered language: this URL with ?lang= set, other parameters kept."""
    switch = []
    for code in offered_languages():
        args = {**request.args.to_dict(), "lang": code}
        switch.append({"code": code, "name": LANGUAGE_NAMES.get(code, code),
                       "href": f"{request.script_root}{request.path}?{urlencode(args)}"})
    return switch


def _without_lang(query: str) -> str:
    kept = [p for p in query.lstrip("?").split("&") if p and not p.startswith("lang=")]
    return f"?{'&'.join(kept)}" if kept else ""


def render(store: Store, iri: str, language: str) -> str:
    """The page of `iri` in `language`."""
    common = {"iri": iri, "language": language, "switch": language_switch(), "alternates": alternates(),
              "ui": ui_text(language), "workload_hours": workload_hours}
    info = dataset_info(store, iri)
    if info is not None:
        return render_template("dataset.html", dataset=info, **common)
    graph = Graph.of(describe.describe_terms(store, iri), language)
    types = graph.types(iri)
    if ELM + "Qualification" in types:
        view = qualification_view(graph, iri)
        return render_template("qualification.html", q=view, schema=credential_json_ld(view, iri), **common)
    if ELM + "Organisation" in types:
        return render_template("organisation.html", org=organisation_view(graph, iri), **common)
    if SKOS + "Concept" in types:
        page = _page_number()
        using, pages = qualifications_using(store, iri, language, page)
        return render_template("concept.html", label=graph.label(iri), using=using, page=page, pages=pages,
                               scheme=graph.links(iri, SKOS + "inScheme"), **common)
    return render_template("resource.html", label=graph.label(iri), rows=_rows(graph, iri), **common)


def _rows(graph: Graph, iri: str) -> list[dict[str, object]]:
    """Every triple of the resource, for the generic page: property, then a link or a text."""
    rows: list[dict[str, object]] = []
    for predicate, objects in sorted(graph.facts.get(iri, {}).items()):
        for term in sorted(objects, key=lambda t: t.value):
            if term.is_iri and (term.value in graph.facts or href_for(term.value).startswith("/")
                                and not href_for(term.value).startswith(f"{request.script_root}/resource")):
                value = graph.link(term.value)  # described here or minted by us: a page exists
            elif term.is_iri:
                value = {"text": term.value, "lang": None, "external": term.value}
            else:
                value = {"text": term.value, "lang": term.language}
            rows.append({"property": predicate, "value": value})
    return rows


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("'page' must be a positive whole number.")
    return int(raw)


def qualifications_using(store: Store, concept: str, language: str,
                         page: int) -> tuple[list[dict[str, object]], int]:
    """One page of the qualifications that use a concept, with links and titles; and the page count."""
    size = int(current_app.config["PAGE_SIZE"])
    everything = _using(store, concept)
    chosen = everything[(page - 1) * size: page * size]
    items = [{"href": href_for(q), "title": _title(titles, language)} for q, titles in chosen]
    return items, max(1, -(-len(everything) // size))


def _title(titles: dict[str, str], language: str) -> Picked:
    return pick_text(titles, language)


@per_snapshot(maxsize=64)
def _using(store: Store, concept: str) -> list[tuple[str, dict[str, str]]]:
    """Every qualification using `concept` with its titles, cached per snapshot version."""
    found: dict[str, dict[str, str]] = {}
    for row in store.select_terms("list_qualifications_using_concept", concept=concept):
        found.setdefault(row["qualification"].value, {})[row["title"].language or ""] = row["title"].value
    return list(found.items())
