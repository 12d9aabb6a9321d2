"""The one table of media types: RDF and SPARQL results syntaxes (media type <-> pyoxigraph format <->
file extension <-> W3C and EU file-type names), and the other types NQDB serves or reads.

tests/test_one_place.py fails on a media type written anywhere else in store/, portal/ or nqdb/.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
TRIG = "application/trig"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
# Not RDF, not SPARQL results: pages, problems, feeds, manifests, archives, SPARQL protocol requests.
HTML = "text/html"
PLAIN_TEXT = "text/plain"
XML = "application/xml"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"  # RFC 9457
ACTIVITY_JSON = "application/activity+json"
ZIP = "application/zip"
GZIP = "application/gzip"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF serialisation NQDB reads or writes."""

    name: str
    media_type: str
    extension: str
    format: RdfFormat
    is_dataset: bool  # carries named graphs (N-Quads, TriG)
    w3c_format: str  # its IRI's local name under namespaces.FORMATS
    eu_file_type: str | None = None  # code in the EU file-type authority table, where we publish it


RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("Turtle", TURTLE, "ttl", RdfFormat.TURTLE, False, "Turtle", "RDF_TURTLE"),
    RdfSyntax("JSON-LD", JSON_LD, "jsonld", RdfFormat.JSON_LD, False, "JSON-LD", "JSON_LD"),
    RdfSyntax("RDF/XML", RDF_XML, "rdf", RdfFormat.RDF_XML, False, "RDF_XML", "RDF_XML"),
    RdfSyntax("N-Triples", N_TRIPLES, "nt", RdfFormat.N_TRIPLES, False, "N-Triples", "RDF_N_TRIPLES"),
    RdfSyntax("N-Quads", N_QUADS, "nq", RdfFormat.N_QUADS, True, "N-Quads", "RDF_N_QUADS"),
    RdfSyntax("TriG", TRIG, "trig", RdfFormat.TRIG, True, "TriG"),  # no TriG dump, so no file type
)

# Other names seen in the wild for the same syntaxes (file extensions and legacy media types).
_EXTENSION_ALIASES = {"owl": "rdf", "xml": "rdf", "json": "jsonld", "n3": "ttl", "nquads": "nq"}
_MEDIA_ALIASES = {"application/x-turtle": TURTLE, "text/n3": TURTLE, "application/x-trig": TRIG,
                  PLAIN_TEXT: N_TRIPLES}


@dataclass(frozen=True)
class ResultsSyntax:
    """One SPARQL SELECT/ASK results serialisation."""

    name: str
    media_type: str
    extension: str
    format: QueryResultsFormat
    w3c_format: str  # its IRI's local name under namespaces.FORMATS
    eu_file_type: str | None = None  # code in the EU file-type authority table, where we publish it


RESULTS_SYNTAXES: tuple[ResultsSyntax, ...] = (
    ResultsSyntax("SPARQL JSON", SPARQL_JSON, "srj", QueryResultsFormat.JSON, "SPARQL_Results_JSON"),
    ResultsSyntax("SPARQL XML", SPARQL_XML, "srx", QueryResultsFormat.XML, "SPARQL_Results_XML"),
    ResultsSyntax("CSV", CSV, "csv", QueryResultsFormat.CSV, "SPARQL_Results_CSV", "CSV"),
    ResultsSyntax("TSV", TSV, "tsv", QueryResultsFormat.TSV, "SPARQL_Results_TSV"),
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
# Graph syntaxes in negotiation order: Turtle is the documented default for */* and a missing Accept.
GRAPH_MEDIA_TYPES: tuple[str, ...] = tuple(s.media_type for s in RDF_SYNTAXES if not s.is_dataset)
# EU file-type authority code of each file type we publish (DCAT-AP dct:format).
EU_FILE_TYPES: dict[str, str] = {
    **{s.media_type: s.eu_file_type for s in RDF_SYNTAXES if s.eu_file_type},
    **{s.media_type: s.eu_file_type for s in RESULTS_SYNTAXES if s.eu_file_type},
    JSON: "JSON", ZIP: "ZIP",
}
