"""SPARQL SELECT results written from plain terms, for row-capped answers (pyoxigraph serialises the rest).

Formats: SPARQL 1.1 Query Results JSON, XML, CSV and TSV (W3C recommendations of 2013).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from store.core.formats import CSV, SPARQL_JSON, SPARQL_XML, TSV
from store.core.namespaces import SPARQL_RESULTS, XSD
from store.core.terms import XSD_STRING, Term

Row = dict[str, Term]
Write = Callable[[bytes], object]
_TSV_BARE = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}


def write_solutions(write: Write, media_type: str, names: Sequence[str], rows: Sequence[Row]) -> None:
    """Serialise `rows` in the SPARQL results format named by `media_type`."""
    writers = {SPARQL_JSON: _json, SPARQL_XML: _xml, CSV: _csv, TSV: _tsv}
    writers[media_type](write, names, rows)


def _json_term(term: Term) -> dict[str, str]:
    if term.kind == "iri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    body = {"type": "literal", "value": term.value}
    if term.language:
        body["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD_STRING:
        body["datatype"] = term.datatype
    return body


def _json(write: Write, names: Sequence[str], rows: Sequence[Row]) -> None:
    write(b'{"head":{"vars":' + json.dumps(list(names)).encode() + b'},"results":{"bindings":[')
    for index, row in enumerate(rows):
        item = {name: _json_term(term) for name, term in row.items()}
        write((b"," if index else b"") + json.dumps(item, ensure_ascii=False).encode())
    write(b"]}}")


def _xml_term(term: Term) -> str:
    if term.kind == "iri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype and term.datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(write: Write, names: Sequence[str], rows: Sequence[Row]) -> None:
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    write(f'<?xml version="1.0"?><sparql xmlns="{SPARQL_RESULTS}"><head>{head}</head>'
          "<results>".encode())
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in row.items())
        write(f"<result>{cells}</result>".encode())
    write(b"</results></sparql>")


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    value = term.value if term.kind != "bnode" else "_:" + term.value
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(write: Write, names: Sequence[str], rows: Sequence[Row]) -> None:
    write((",".join(names) + "\r\n").encode())
    for row in rows:
        write((",".join(_csv_cell(row.get(n)) for n in names) + "\r\n").encode())


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "iri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.datatype in _TSV_BARE:
        return term.value
    text = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype and term.datatype != XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(write: Write, names: Sequence[str], rows: Sequence[Row]) -> None:
    write(("\t".join(f"?{n}" for n in names) + "\n").encode())
    for row in rows:
        write(("\t".join(_tsv_cell(row.get(n)) for n in names) + "\n").encode())
