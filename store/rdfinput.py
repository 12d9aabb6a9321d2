"""Safe reading of RDF files before they reach the parser.

Checks what the parser would not: empty files, XML entity declarations (never resolved nor
expanded), JSON-LD contexts (resolved from ontology/context only, never from the network), and
gzip-compressed inputs (streamed).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from store.formats import RdfSyntax, rdf_by_media_type, rdf_by_path
from store.paths import CONTEXTS


class InputRejected(ValueError):
    """An input file that NQDB refuses to parse; the message names the file and, where known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.file, self.line, self.column = file, line, column
        where = file + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")


# Remote JSON-LD contexts we know, served from ontology/context/ instead of the network.
KNOWN_CONTEXTS: dict[str, str] = {
    "http://data.europa.eu/snb/model/context/edc-ap": "edc-ap-context.jsonld",
    "https://data.europa.eu/snb/model/context/edc-ap": "edc-ap-context.jsonld",
    "http://data.europa.eu/snb/model/context/nqdb": "nqdb-context.jsonld",
}

_XML_PROLOG_LIMIT = 1 << 20  # entity declarations can only appear in the prolog, before the root element
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")


@dataclass(frozen=True)
class PreparedInput:
    """What to hand to the loader: a path, an open stream or bytes, and its syntax."""

    source: Path | IO[bytes] | bytes
    syntax: RdfSyntax


def detect_syntax(path: Path, media_type: str | None = None) -> RdfSyntax:
    """The syntax of a file, from an explicit media type or its extension."""
    syntax = rdf_by_media_type(media_type) if media_type else rdf_by_path(path.name)
    if syntax is None:
        raise InputRejected(str(path), "unknown RDF format; use .ttl, .nt, .nq, .trig, .rdf or .jsonld "
                                       "(optionally .gz), or name the format with --format.")
    return syntax


def prepare(path: Path, syntax: RdfSyntax) -> PreparedInput:
    """Check a file and return what to load; raises InputRejected with file and line."""
    if not path.is_file():
        raise InputRejected(str(path), "no such file.")
    if path.stat().st_size == 0:
        raise InputRejected(str(path), "the file is empty.")
    compressed = path.name.lower().endswith(".gz")
    if syntax.name == "RDF/XML":
        reject_xml_entities(path, compressed)
    if syntax.name == "JSON-LD":
        return PreparedInput(resolve_jsonld_contexts(path, compressed), syntax)
    if compressed:
        return PreparedInput(cast(IO[bytes], gzip.open(path, "rb")), syntax)
    return PreparedInput(path, syntax)


def reject_xml_entities(path: Path, compressed: bool) -> None:
    """Refuse DTDs with entity declarations: no external entity is resolved, no entity expanded."""
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        head = handle.read(_XML_PROLOG_LIMIT)
    match = _ROOT_ELEMENT.search(head)
    prolog = head[: match.start()] if match else head
    if b"<!ENTITY" in prolog or b"<!DOCTYPE" in prolog:
        line = prolog[: prolog.find(b"<!")].count(b"\n") + 1
        raise InputRejected(str(path), "XML document type declarations and entities are not accepted "
                                       "(they could read local files or expand without bound).", line)


def resolve_jsonld_contexts(path: Path, compressed: bool) -> bytes:
    """The JSON-LD document with every known remote context inlined; an unknown one is an error."""
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            document = json.load(handle)
    except UnicodeDecodeError as error:
        raise InputRejected(str(path), f"not UTF-8 ({error.reason}).") from error
    except json.JSONDecodeError as error:
        raise InputRejected(str(path), f"invalid JSON: {error.msg}.", error.lineno, error.colno) from error
    return json.dumps(_inline_contexts(document, str(path))).encode("utf-8")


def _inline_contexts(node: object, file: str) -> object:
    if isinstance(node, list):
        return [_inline_contexts(item, file) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline_contexts(value, file) for key, value in node.items() if key != "@context"}
    if "@context" in node:
        result["@context"] = _resolve_context(node["@context"], file)
    return result


def _resolve_context(context: object, file: str) -> object:
    if isinstance(context, list):
        return [_resolve_context(item, file) for item in context]
    if isinstance(context, str):
        local = KNOWN_CONTEXTS.get(context)
        if local is None:
            raise InputRejected(file, f"remote JSON-LD context {context!r} is not known to NQDB; NQDB never "
                                      "fetches contexts from the network. Inline it, or use one of: "
                                      + ", ".join(sorted(KNOWN_CONTEXTS)) + ".")
        loaded = json.loads((CONTEXTS / local).read_text(encoding="utf-8"))
        return _resolve_context(loaded.get("@context", {}), file)
    if isinstance(context, dict):
        return {k: _inline_contexts(v, file) if k != "@import" else _resolve_context(v, file)
                for k, v in context.items()}
    return context


def from_syntax_error(file: str, error: SyntaxError) -> InputRejected:
    """A parser error as InputRejected, keeping the line and column the parser reports."""
    return InputRejected(file, str(error.msg), error.lineno, error.offset)
