"""Refuse XML that declares a DTD, with a real XML tokenizer over the whole document (issue 9, case 2).

A document type declaration is where entities are declared: internal ones expand without bound
("billion laughs"), external ones read local files or the network. NQDB needs neither, so any DTD is
refused, wherever it is: after comments of any size or content, in a gzip stream, in an XLSX part.
The check streams the document through expat (the standard library's XML tokenizer) in chunks, and
stops at the first `<!DOCTYPE` token — before any entity is declared, let alone expanded — so memory
stays bounded whatever the document's size. A document expat cannot tokenize is refused too, with
the line and column where it stopped, so the RDF parser never sees XML that a conformant tokenizer
would not accept.
"""

from __future__ import annotations

from typing import IO
from xml.parsers import expat

CHUNK_BYTES = 1 << 16


class XmlRefused(ValueError):
    """XML refused before parsing: a DTD or entity declaration, or not well-formed; line and column 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        self.line, self.column = line, column
        super().__init__(message)


DTD_REFUSED = ("XML document type declarations and entities are not accepted (they could read local "
               "files or expand without bound); remove the <!DOCTYPE …> declaration.")


class _DoctypeFound(Exception):
    """Raised from inside expat's handlers to stop tokenizing at the first DTD token."""


def refuse_xml_dtd(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> None:
    """Tokenize the whole XML stream; raise XmlRefused at a DTD, an entity declaration or malformed XML.

    Raises:
        XmlRefused: the document declares a DTD or entities, or is not well-formed XML.
    """
    parser = _refusing_parser()
    try:
        while chunk := stream.read(chunk_bytes):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DoctypeFound:
        raise XmlRefused(DTD_REFUSED, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1) from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code) if error.code is not None else str(error)
        raise XmlRefused(f"not well-formed XML ({reason}).", error.lineno, error.offset + 1) from None


def _refusing_parser() -> expat.XMLParserType:
    """An expat parser whose every DTD-related handler stops the parse; no external entity is ever read."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _stop
    parser.EntityDeclHandler = _stop              # defensive: a declaration can only follow a DOCTYPE
    parser.UnparsedEntityDeclHandler = _stop
    parser.ExternalEntityRefHandler = _stop_reference
    parser.buffer_text = False
    return parser


def _stop(*_: object) -> None:
    raise _DoctypeFound


def _stop_reference(*_: object) -> int:
    raise _DoctypeFound
