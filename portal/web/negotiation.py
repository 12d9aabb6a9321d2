"""Content negotiation, in one place: which media type a response gets."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, request
from werkzeug.exceptions import NotAcceptable

from store.core.formats import GRAPH_MEDIA_TYPES, RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES, rdf_by_extension
from store.core.formats import HTML as HTML  # re-exported: views offer HTML beside the RDF types

# Resource descriptions: Turtle is the documented default for */* and for a missing Accept header.
RDF_FORMATS: tuple[str, ...] = GRAPH_MEDIA_TYPES
RDF_AND_HTML: tuple[str, ...] = (*RDF_FORMATS, HTML)
GRAPH_RESULTS: tuple[str, ...] = RDF_MEDIA_TYPES
SOLUTION_RESULTS: tuple[str, ...] = RESULTS_MEDIA_TYPES


def choose_media_type(offered: Sequence[str]) -> str:
    """Pick the response type; offered[0] is the default and wins ties (q-values honoured, q=0 refuses)."""
    accept = request.headers.get("Accept", "").strip()
    if not accept:  # werkzeug would say None here
        return offered[0]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise NotAcceptable(f"None of the requested types can be produced. Try one of: {', '.join(offered)}.")
    return best


def media_type_for_extension(extension: str, offered: Sequence[str]) -> str | None:
    """The media type of a format-URL suffix (.ttl, .jsonld, .rdf, .nt, .html), if offered."""
    if extension == "html":
        return HTML if HTML in offered else None
    syntax = rdf_by_extension(extension)
    return syntax.media_type if syntax and syntax.media_type in offered else None


def vary_on_accept(response: Response) -> Response:
    """Mark a negotiated response as varying with Accept (for caches)."""
    response.vary.add("Accept")
    return response
