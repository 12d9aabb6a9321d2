"""Dereferenceable IRIs: /id/<kind>/<key> (ours) and /resource?iri=... (any other IRI in the store).

One URL per resource answers in every format: negotiated on Accept (200 with Content-Location naming the
format URL, `Vary: Accept`), or fixed by a format suffix (.ttl .jsonld .rdf .nt .html) that skips
negotiation. Responses carry a weak ETag (snapshot version + IRI + format + language) and Last-Modified
(when the snapshot was published) and answer revalidation with 304; RDF is open to CORS.
See docs/linked-data.md for why 200 and not 303.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest, NotFound

from portal.resources import pages
from portal.web.language import choose_language
from portal.web.negotiation import HTML, RDF_AND_HTML, choose_media_type, media_type_for_extension, vary_on_accept
from portal.web.site import allow_any_origin, public_base
from portal.web.storage import get_store
from store.core import iris
from store.core.iri_syntax import is_absolute_iri
from store.core.triplestore import Store
from store.opendata import describe

bp = Blueprint("resources", __name__)

FORMAT_SUFFIXES = ("ttl", "jsonld", "rdf", "nt", "html")
CORS_EXPOSED = "ETag, Last-Modified, Content-Location, Link"


@bp.get("/id/<kind>/<path:name>")
def minted_resource(kind: str, name: str) -> Response:
    """One of our IRIs (the request path read against PUBLIC_BASE_URL, not the request host).

    `path:` because a key may hold '/' (register keys such as 603/0462/4, minted percent-encoded as
    603%2F0462%2F4): the server decodes %2F before routing, and iris.mint encodes it again.
    """
    if kind not in iris.KINDS:
        raise NotFound(f"No kind of resource called {kind!r}; NQDB mints {', '.join(iris.KINDS)}.")
    key, suffix = _split_suffix(name)
    return serve(iris.mint(public_base(), kind, key), suffix)


@bp.get("/resource")
@bp.get("/resource.<suffix>")
def any_resource(suffix: str | None = None) -> Response:
    """Any other IRI described in the store, of any scheme (vocabulary concepts, imported urn:uuid: nodes)."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise BadRequest("Give the IRI of a resource as ?iri=<IRI> (any scheme: http, https, urn, ...).")
    if not is_absolute_iri(iri):
        raise BadRequest(f"{iri!r} is not an absolute IRI (RFC 3987): give its scheme, e.g. urn:uuid:..., and "
                         "percent-encode spaces, quotes and angle brackets.")
    if suffix is not None and suffix not in FORMAT_SUFFIXES:
        raise NotFound(f"No format {suffix!r}; use one of: {', '.join(FORMAT_SUFFIXES)}.")
    return serve(iri, suffix)


def _split_suffix(name: str) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in FORMAT_SUFFIXES and stem:
        return stem, suffix
    return name, None


def serve(iri: str, suffix: str | None) -> Response:
    """Answer for `iri`: negotiate (or take the suffix), revalidate, describe, respond."""
    store = get_store()
    media_type = media_type_for_extension(suffix, RDF_AND_HTML) if suffix else choose_media_type(RDF_AND_HTML)
    assert media_type is not None
    language = choose_language() if media_type == HTML else ""
    response = Response(status=200, mimetype=media_type)
    response.set_etag(_etag(store, iri, media_type, language), weak=True)
    response.last_modified = describe.published_at(store)
    _decorate(response, media_type, negotiated=suffix is None)
    if _not_modified(response):
        response.status_code = 304
        return response
    if not store.exists(iri) and not pages.is_dataset(iri):
        return _not_found(response, iri, media_type)
    if media_type == HTML:
        response.set_data(pages.render(store, iri, language))
    else:
        response.set_data(pages.rdf(store, iri, media_type))
    return response


def _etag(store: Store, iri: str, media_type: str, language: str) -> str:
    digest = hashlib.sha256(f"{store.version}\n{iri}\n{media_type}\n{language}".encode()).hexdigest()
    return digest[:32]


def _not_modified(response: Response) -> bool:
    etag, _ = response.get_etag()
    if request.if_none_match:
        return etag is not None and request.if_none_match.contains_weak(etag)
    since, modified = request.if_modified_since, response.last_modified
    return since is not None and modified is not None and modified <= since


def _decorate(response: Response, media_type: str, negotiated: bool) -> None:
    if negotiated:
        vary_on_accept(response)
        response.headers["Content-Location"] = f"{request.base_url}.{_suffix_of(media_type)}" + \
            (f"?{request.query_string.decode()}" if request.query_string else "")
    if media_type == HTML:
        if "lang" not in request.args:
            response.vary.add("Accept-Language")
        return
    allow_any_origin(response, CORS_EXPOSED)


def _suffix_of(media_type: str) -> str:
    return next(s for s in FORMAT_SUFFIXES if media_type_for_extension(s, RDF_AND_HTML) == media_type)


def _not_found(response: Response, iri: str, media_type: str) -> Response:
    """404 in the format asked for: an error page, or an empty graph that says what was not found."""
    response.status_code = 404
    del response.headers["ETag"]
    del response.headers["Last-Modified"]
    if media_type == HTML:
        response.set_data(render_template("error.html", status=404, title="Not Found",
                                          detail=f"No resource {iri} in this database."))
    else:
        response.set_data(describe.not_found_document(iri, media_type))
    return response
