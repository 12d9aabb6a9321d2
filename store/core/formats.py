"""The one table of RDF and SPARQL result formats: media type <-> pyoxigraph format <-> file extension."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF serialisation NQDB reads or writes."""

    name: str
    media_type: str
    extension: str
    format: RdfFormat
    is_dataset: bool  # carries named graphs (N-Quads, TriG)


RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("Turtle", "text/turtle", "ttl", RdfFormat.TURTLE, False),
    RdfSyntax("JSON-LD", "application/ld+json", "jsonld", RdfFormat.JSON_LD, False),
    RdfSyntax("RDF/XML", "application/rdf+xml", "rdf", RdfFormat.RDF_XML, False),
    RdfSyntax("N-Triples", "application/n-triples", "nt", RdfFormat.N_TRIPLES, False),
    RdfSyntax("N-Quads", "application/n-quads", "nq", RdfFormat.N_QUADS, True),
    RdfSyntax("TriG", "application/trig", "trig", RdfFormat.TRIG, True),
)

# Other names seen in the wild for the same syntaxes (file extensions and legacy media types).
_EXTENSION_ALIASES = {"owl": "rdf", "xml": "rdf", "json": "jsonld", "n3": "ttl", "nquads": "nq"}
_MEDIA_ALIASES = {"application/x-turtle": "text/turtle", "text/n3": "text/turtle",
                  "application/x-trig": "application/trig", "text/plain": "application/n-triples"}


@dataclass(frozen=True)
class ResultsSyntax:
    """One SPARQL SELECT/ASK results serialisation."""

    name: str
    media_type: str
    extension: str
    format: QueryResultsFormat


RESULTS_SYNTAXES: tuple[ResultsSyntax, ...] = (
    ResultsSyntax("SPARQL JSON", "application/sparql-results+json", "srj", QueryResultsFormat.JSON),
    ResultsSyntax("SPARQL XML", "application/sparql-results+xml", "srx", QueryResultsFormat.XML),
    ResultsSyntax("CSV", "text/csv", "csv", QueryResultsFormat.CSV),
    ResultsSyntax("TSV", "text/tab-separated-values", "tsv", QueryResultsFormat.TSV),
)


def rdf_by_media_type(media_type: str) -> RdfSyntax | None:
    """The RDF syntax for a media type (parameters ignored), or None."""
    bare = media_type.split(";")[0].strip().lower()
    bare = _MEDIA_ALIASES.get(bare, bare)
    return next((s for s in RDF_SYNTAXES if s.media_type == bare), None)


def rdf_by_extension(extension: str) -> RdfSyntax | None:
    """The RDF syntax for a file extension without the dot (case-insensitive), or None."""
    ext = extension.lower().lstrip(".")
    ext = _EXTENSION_ALIASES.get(ext, ext)
    return next((s for s in RDF_SYNTAXES if s.extension == ext), None)


def rdf_by_path(path: str) -> RdfSyntax | None:
    """The RDF syntax of a file name, looking through a trailing .gz."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    _, dot, ext = name.rpartition(".")
    return rdf_by_extension(ext) if dot else None


def results_by_media_type(media_type: str) -> ResultsSyntax | None:
    """The SPARQL results syntax for a media type, or None."""
    bare = media_type.split(";")[0].strip().lower()
    return next((s for s in RESULTS_SYNTAXES if s.media_type == bare), None)


RDF_MEDIA_TYPES: tuple[str, ...] = tuple(s.media_type for s in RDF_SYNTAXES)
RESULTS_MEDIA_TYPES: tuple[str, ...] = tuple(s.media_type for s in RESULTS_SYNTAXES)
