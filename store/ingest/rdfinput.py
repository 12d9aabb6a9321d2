"""Safe reading of RDF files before they reach the parser.

Checks what the parser would not: empty files, XML document type declarations (found by a real XML
tokenizer over the whole document, store/ingest/xmlguard.py; never resolved nor expanded), JSON-LD (bounded
depth, contexts resolved from ontology/context only, never from the network, signed and "uploadable"
ELM credential envelopes unwrapped), a UTF-8 byte order mark (stripped, every text syntax), and
gzip-compressed inputs (streamed).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, cast

from store.core.formats import RdfSyntax, rdf_by_media_type, rdf_by_path
from store.core.namespaces import (
    CREDENTIALS_V1_CONTEXT,
    CREDENTIALS_V2_CONTEXT,
    EDC_AP_CONTEXT,
    EDC_AP_CONTEXT_HTTPS,
    NQDB_CONTEXT,
)
from store.core.paths import CONTEXTS
from store.ingest.credentials import EnvelopeInvalid, unwrap_credential
from store.ingest.xmlguard import XmlRefused, refuse_xml_dtd


class InputRejected(ValueError):
    """An input file that NQDB refuses to parse; the message names the file and, where known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.file, self.line, self.column = file, line, column
        where = file + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")


# Remote JSON-LD contexts we know, served from ontology/context/ instead of the network.
KNOWN_CONTEXTS: dict[str, str] = {
    EDC_AP_CONTEXT: "edc-ap-context.jsonld",
    EDC_AP_CONTEXT_HTTPS: "edc-ap-context.jsonld",
    NQDB_CONTEXT: "nqdb-context.jsonld",
    # W3C Verifiable Credentials contexts: every official ELM v3 credential sample names v1 first.
    CREDENTIALS_V1_CONTEXT: "w3c-credentials-v1.jsonld",
    CREDENTIALS_V2_CONTEXT: "w3c-credentials-v2.jsonld",
}

# Hard safety bound, not a setting: deeper JSON would exhaust the parsers' stacks (Python's json module
# raises RecursionError near 1,000 levels); ELM documents nest about 20 levels deep.
MAX_JSON_DEPTH = 200
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class PreparedInput:
    """What to hand to the loader: a path, an open stream or bytes, and its syntax."""

    source: Path | IO[bytes] | bytes
    syntax: RdfSyntax
    note: str | None = None  # what was done to the input before parsing (an unwrapped credential), if anything


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
        data, note = resolve_jsonld_contexts(path, compressed)
        return PreparedInput(data, syntax, note)
    return PreparedInput(_open_without_bom(path, compressed), syntax)


def _open_without_bom(path: Path, compressed: bool) -> Path | IO[bytes]:
    """The file itself, or a stream past its UTF-8 byte order mark (RDF parsers refuse one)."""
    handle = cast(IO[bytes], gzip.open(path, "rb") if compressed else open(path, "rb"))
    if handle.read(len(UTF8_BOM)) == UTF8_BOM:
        return handle
    if not compressed:
        handle.close()
        return path
    handle.seek(0)
    return handle


def reject_xml_entities(path: Path, compressed: bool) -> None:
    """Refuse any DTD, wherever it is in the document: no external entity is resolved, no entity expanded."""
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            refuse_xml_dtd(cast(IO[bytes], handle))
    except XmlRefused as error:
        raise InputRejected(str(path), str(error), error.line, error.column) from None
    except (OSError, EOFError) as error:  # a corrupt or truncated gzip stream
        raise InputRejected(str(path), f"cannot be read ({error}).") from None


def resolve_jsonld_contexts(path: Path, compressed: bool) -> tuple[bytes, str | None]:
    """The JSON-LD document with every known remote context inlined, unwrapped from a credential envelope.

    Returns the document and a note saying what was unwrapped (None if nothing was).
    """
    document = _read_json(path, compressed)
    try:
        document, note = unwrap_credential(document)
    except EnvelopeInvalid as error:
        raise InputRejected(str(path), str(error)) from None
    return json.dumps(_inline_contexts(document, str(path), 0)).encode("utf-8"), note


def _read_json(path: Path, compressed: bool) -> object:
    """Parse a JSON file (BOM allowed); any failure is an InputRejected naming line and column."""
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise InputRejected(str(path), f"cannot be read ({error}).") from None
    raw = raw[len(UTF8_BOM):] if raw.startswith(UTF8_BOM) else raw
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        raise InputRejected(str(path), f"not UTF-8 ({error.reason}).", line, column) from None
    except json.JSONDecodeError as error:
        raise InputRejected(str(path), f"invalid JSON: {error.msg}.", error.lineno, error.colno) from None
    except RecursionError:
        raise _too_deep(str(path)) from None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _too_deep(file: str) -> InputRejected:
    return InputRejected(file, f"JSON nested more than {MAX_JSON_DEPTH} levels deep; NQDB refuses it "
                               "(ELM documents nest about 20 levels).")


def _inline_contexts(node: object, file: str, depth: int) -> object:
    if depth > MAX_JSON_DEPTH:
        raise _too_deep(file)
    if isinstance(node, list):
        return [_inline_contexts(item, file, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline_contexts(value, file, depth + 1) for key, value in node.items() if key != "@context"}
    if "@context" in node:  # first: the streaming JSON-LD parser then needs not buffer the node
        result = {"@context": _resolve_context(node["@context"], file, depth + 1), **result}
    return result


def _resolve_context(context: object, file: str, depth: int) -> object:
    if depth > MAX_JSON_DEPTH:
        raise _too_deep(file)
    if isinstance(context, list):
        return [_resolve_context(item, file, depth + 1) for item in context]
    if isinstance(context, str):
        return _known_context(context, file)
    if isinstance(context, dict):
        resolved = {k: _inline_contexts(v, file, depth + 1) for k, v in context.items() if k != "@import"}
        imported = context.get("@import")
        if isinstance(imported, str):  # JSON-LD 1.1 @import: the imported definitions, then these
            base = _known_context(imported, file)
            return {**base, **resolved} if isinstance(base, dict) else resolved
        return resolved
    return context


def _known_context(iri: str, file: str) -> object:
    local = KNOWN_CONTEXTS.get(iri)
    if local is None:
        raise InputRejected(file, f"remote JSON-LD context {iri!r} is not known to NQDB; NQDB never "
                                  "fetches contexts from the network. Inline it, or use one of: "
                                  + ", ".join(sorted(KNOWN_CONTEXTS)) + ".")
    return _resolve_context(_load_context(local), file, 1)


@cache
def _load_context(name: str) -> object:
    """A shipped context's definitions (read once; never mutated: every resolution builds new dicts)."""
    return json.loads((CONTEXTS / name).read_text(encoding="utf-8")).get("@context", {})


def from_syntax_error(file: str, error: SyntaxError) -> InputRejected:
    """A parser error as InputRejected, keeping the line and column the parser reports."""
    return InputRejected(file, str(error.msg), error.lineno, error.offset)
