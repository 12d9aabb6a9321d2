"""Metadata for harvesters and crawlers: /catalog (DCAT-AP), /.well-known/void, /sitemap.xml, /robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, url_for
from werkzeug.exceptions import NotFound

from portal.web.negotiation import RDF_FORMATS, choose_media_type, vary_on_accept
from portal.web.site import dumps_directory, site
from portal.web.storage import get_store
from store.core.formats import PLAIN_TEXT, XML
from store.core.namespaces import SITEMAP
from store.core.snapshot_cache import per_snapshot
from store.core.terms import Text
from store.core.triplestore import Store
from store.opendata import dumps
from store.opendata.catalog import catalog_graph
from store.opendata.void import void_graph

bp = Blueprint("catalog", __name__)
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org protocol)


def _rdf(body: bytes, media_type: str) -> Response:
    response = Response(body, mimetype=media_type)
    response.cache_control.max_age = 60
    return vary_on_accept(response)


@bp.get("/catalog")
def catalog() -> Response:
    """The DCAT-AP catalogue, content-negotiated (Turtle by default)."""
    media_type = choose_media_type(RDF_FORMATS)
    graph = catalog_graph(get_store(), site(), dumps.latest(dumps_directory()))
    return _rdf(graph.serialize(media_type), media_type)


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description (RFC 5785 well-known location), content-negotiated."""
    media_type = choose_media_type(RDF_FORMATS)
    graph = void_graph(get_store(), site(), dumps.latest(dumps_directory()))
    return _rdf(graph.serialize(media_type), media_type)


@per_snapshot(maxsize=4)
def _resources(store: Store, prefix: str) -> tuple[str, ...]:
    return tuple(r["resource"] for r in store.select("catalog_resources", prefix=Text(prefix)))


def resources() -> tuple[str, ...]:
    """IRIs of every resource page, cached per snapshot."""
    return _resources(get_store(), site().url("/id/"))


def _xml(body: str) -> Response:
    response = Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype=XML)
    response.cache_control.max_age = 3600
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every resource page; past 50,000 URLs, an index of numbered sitemaps."""
    found = resources()
    if len(found) + 2 <= SITEMAP_LIMIT:
        return _urlset([site().url("/"), site().url("/downloads"), *found])
    parts = -(-len(found) // SITEMAP_LIMIT)
    items = "".join(f"<sitemap><loc>{escape(site().url(url_for('catalog.sitemap_part', number=n)))}</loc>"
                    "</sitemap>" for n in range(1, parts + 1))
    return _xml(f'<sitemapindex xmlns="{SITEMAP}">{items}</sitemapindex>')


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    """One numbered sitemap of the index."""
    found = resources()
    chunk = found[(number - 1) * SITEMAP_LIMIT: number * SITEMAP_LIMIT]
    if number < 1 or not chunk:
        raise NotFound(f"No sitemap number {number}.")
    return _urlset(list(chunk))


def _urlset(urls: list[str]) -> Response:
    items = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return _xml(f'<urlset xmlns="{SITEMAP}">{items}</urlset>')


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawlers welcome on pages; kept off the SPARQL endpoint, the change feed (use the dumps) and staff pages."""
    body = ("User-agent: *\nDisallow: /sparql\nDisallow: /changes\nDisallow: /staff/\nAllow: /\n\n"
            f"Sitemap: {site().url('/sitemap.xml')}\n")
    return Response(body, mimetype=PLAIN_TEXT)
