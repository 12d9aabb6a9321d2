"""The ELM content of register records: parsed and checked on the way in, kept as private named graphs.

A record is one elm:Qualification whose IRI is the record's IRI, plus the nodes it owns: blank nodes and
IRIs minted under the record's IRI (`<record>#outcome-1`, `<record>/note/1`). It may also describe shared
nodes its qualification points at (its awarding body, locations, concept stubs); it may never describe
another qualification. The working copy lives in `graphs.record_working_graph(key)`, each published version
in `graphs.record_version_graph(key, n)`, both in the snapshot's private database: never served.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from store.core import graphs
from store.core.formats import rdf_by_media_type
from store.core.iris import KINDS
from store.core.namespaces import ELM, RDF
from store.core.writer import Writer
from store.ingest import personal_data
from store.ingest.rdfinput import InputRejected, detect_syntax, from_syntax_error, prepare

QUALIFICATION = ELM + "Qualification"
_TYPE = ox.NamedNode(RDF + "type")
FIELD = "content"  # the field named in errors about the submitted document as a whole


@dataclass(frozen=True)
class ContentProblem:
    """One reason the content was refused: the field at fault, a sentence, the line where known."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "message": self.message, "line": self.line, "column": self.column}


class ContentRejected(ValueError):
    """The content is not one readable, safe ELM qualification record (HTTP 422); nothing was written."""

    def __init__(self, problems: Sequence[ContentProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join((f"line {p.line}: " if p.line else "") + p.message for p in self.problems))


def owns(record_iri: str, node: ox.NamedNode | ox.BlankNode) -> bool:
    """True for the nodes a record owns: its qualification, blank nodes and IRIs minted under its IRI."""
    if isinstance(node, ox.BlankNode):
        return True
    return node.value == record_iri or node.value.startswith((record_iri + "#", record_iri + "/"))


def parse_record(data: bytes, media_type: str, record_iri: str) -> list[ox.Triple]:
    """The triples of one record's content, parsed through the ingest safety guards and checked.

    Raises:
        ContentRejected: unreadable or unsafe input (with line and column), no qualification `record_iri`,
            another qualification described, personal data, named graphs.
    """
    syntax = rdf_by_media_type(media_type)
    if syntax is None or syntax.is_dataset:
        raise ContentRejected([ContentProblem(FIELD, f"records are sent as ELM Turtle or JSON-LD, not "
                                                     f"{media_type!r}.")])
    with tempfile.TemporaryDirectory(prefix="nqdb-record-") as folder:
        path = Path(folder) / f"content.{syntax.extension}"
        path.write_bytes(data)
        try:
            prepared = prepare(path, detect_syntax(path, syntax.media_type))
            parsed = _parse(prepared.source, syntax.format)
        except InputRejected as error:
            raise ContentRejected([ContentProblem(FIELD, _without_file(error), error.line, error.column)]) \
                from None
        except SyntaxError as error:
            rejected = from_syntax_error(FIELD, error)
            raise ContentRejected([ContentProblem(FIELD, _without_file(rejected), rejected.line,
                                                  rejected.column)]) from None
    problems = check_record(parsed, record_iri)
    if problems:
        raise ContentRejected(problems)
    return parsed


def _parse(source: object, format: ox.RdfFormat) -> list[ox.Triple]:
    if isinstance(source, Path):
        return [q.triple for q in ox.parse(path=str(source), format=format)]
    if isinstance(source, bytes):
        return [q.triple for q in ox.parse(source, format)]
    try:
        return [q.triple for q in ox.parse(source, format)]  # type: ignore[arg-type]  # an open stream
    finally:
        source.close()  # type: ignore[attr-defined]


def _without_file(error: InputRejected) -> str:
    """The sentence of an InputRejected without its "file:line:column: " prefix (the file is a temporary)."""
    text = str(error)
    return text.split(": ", 1)[1] if ": " in text else text


def check_record(triples: Sequence[ox.Triple], record_iri: str) -> list[ContentProblem]:
    """Every reason `triples` is not one record about `record_iri` (empty when it is one)."""
    if not triples:
        return [ContentProblem(FIELD, "the content holds no triples.")]
    problems = []
    typed = {t.subject.value for t in triples if t.predicate == _TYPE and t.object == ox.NamedNode(QUALIFICATION)
             and isinstance(t.subject, ox.NamedNode)}
    if record_iri not in typed:
        problems.append(ContentProblem("rdf:type", f"the content must describe the qualification <{record_iri}> "
                                                   "(typed elm:Qualification), the record's own IRI."))
    for other in sorted(typed - {record_iri}):
        problems.append(ContentProblem(FIELD, f"the content also describes the qualification <{other}>; a "
                                              "record holds exactly one qualification and the nodes it owns."))
    foreign = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)
                      and _under_other_qualification(t.subject.value, record_iri)} - typed)
    for node in foreign:
        problems.append(ContentProblem(FIELD, f"<{node}> belongs to another qualification; a record may only "
                                              f"describe nodes minted under <{record_iri}>."))
    found = personal_data.find(_in_memory(triples), _SCRATCH)
    if found.found:
        problems.append(ContentProblem(FIELD, f"the content contains personal data: {found.describe()}; a "
                                              "qualifications register never holds learners or their awards."))
    return problems


_SCRATCH = graphs.SCRATCH_GRAPH  # of a throw-away in-memory store
_QUALIFICATION_SEGMENT = "/id/" + next(kind for kind, name in KINDS.items() if name == "Qualification") + "/"


def _under_other_qualification(iri: str, record_iri: str) -> bool:
    """An IRI minted for another qualification or under one (NQDB's IRI pattern)."""
    if owns(record_iri, ox.NamedNode(iri)) or _QUALIFICATION_SEGMENT not in iri:
        return False
    return iri.partition(_QUALIFICATION_SEGMENT)[2] != ""


def _in_memory(triples: Iterable[ox.Triple]) -> ox.Store:
    handle = ox.Store()
    target = ox.NamedNode(_SCRATCH)
    handle.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    return handle


# -- the private graphs -------------------------------------------------------------------------------
def read(handle: ox.Store, graph: str) -> list[ox.Triple]:
    """The triples of one record graph (working copy or version) in a private database."""
    return [q.triple for q in handle.quads_for_pattern(None, None, None, ox.NamedNode(graph))]


def put_working(writer: Writer, key: str, triples: Iterable[ox.Triple]) -> None:
    """Replace the working copy of record `key`."""
    graph = graphs.record_working_graph(key)
    writer.drop_graph(graph)
    target = ox.NamedNode(graph)
    writer.private.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)


def freeze(writer: Writer, key: str, version: int) -> list[ox.Triple]:
    """Copy the working copy of `key` into its version graph `version`; returns its triples.

    The caller passes the next version number from the register (SQLite); a graph of that number can only be
    the leftover of a publish whose SQLite commit failed (docs/lifecycle.md, "Atomicity"), so it is replaced.
    """
    triples = read(writer.private, graphs.record_working_graph(key))
    target = ox.NamedNode(graphs.record_version_graph(key, version))
    writer.drop_graph(target.value)
    writer.private.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    return triples


def serialise(triples: Sequence[ox.Triple], media_type: str) -> bytes:
    """A record's triples in an RDF media type (Turtle, JSON-LD, N-Triples, RDF/XML)."""
    syntax = rdf_by_media_type(media_type)
    if syntax is None or syntax.is_dataset:
        raise ValueError(f"Cannot serialise a record as {media_type}.")
    return ox.serialize(list(triples), format=syntax.format) or b""
