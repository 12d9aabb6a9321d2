"""Check an XLSX archive before openpyxl opens it: sizes, ratios, parts, and no DTD in any XML part.

From the zip central directory: the number of parts, their total unzipped size and each part's
compression ratio (a bomb is refused before one byte is inflated). Then every part is read as a stream,
never trusting the sizes the directory declares: the bytes really inflated are counted against the
same cap, a part whose data does not match its directory entry (size or CRC) is refused, and each XML
part (workbook, sheets, shared strings, styles, relationships, content types...) goes through expat,
which refuses any document type declaration or entity: nothing is ever resolved or expanded. The same
pass counts each sheet's cells (and each row's) and the shared strings, before openpyxl holds any.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.parsers import expat

from store.ingest.mapping.errors import TableUnreadable
from store.ingest.mapping.limits import MAX_COLUMNS, MAX_MEMBERS, RATIO_FLOOR_BYTES, TableLimits, TableTooLarge

_CHUNK = 1 << 16
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class _Refused(Exception):
    """Raised from an expat handler to stop the parse at a DTD or entity declaration."""


def check_workbook(path: Path, limits: TableLimits) -> None:
    """Refuse an XLSX file that is not a sound zip archive, is over a limit, or holds a DTD.

    Raises:
        TableUnreadable: not a zip archive, or a part's data does not match the archive's directory.
        TableTooLarge: too many parts, too large unzipped, or a part compressed beyond the ratio.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(path, members, limits)
            total = 0
            for member in members:
                total = _read_member(path, archive, member, total, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as error:
        raise TableUnreadable(f"{path}: not a readable XLSX workbook (not a sound zip archive: {error})."
                              ) from error


def _check_directory(path: Path, members: list[zipfile.ZipInfo], limits: TableLimits) -> None:
    if len(members) > MAX_MEMBERS:
        raise TableTooLarge(f"{path}: {len(members):,} parts in the archive; an XLSX workbook may have at most "
                            f"{MAX_MEMBERS:,}.")
    declared = sum(m.file_size for m in members)
    if declared > limits.max_bytes:
        raise TableTooLarge(f"{path}: unzips to {declared:,} bytes, over the limit of {limits.max_bytes:,} "
                            "bytes (--max-bytes, NQDB_TABLE_MAX_BYTES).")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise TableTooLarge(f"{path}, part {member.filename}: compression ratio {ratio:,.0f} to 1 "
                                f"({member.file_size:,} bytes unzipped), over the limit of "
                                f"{limits.max_ratio:g} (--max-ratio, NQDB_TABLE_MAX_RATIO); this looks like a "
                                "zip bomb.")


def _read_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, total: int,
                 limits: TableLimits) -> int:
    """Inflate one part as a stream (XML parts through expat); the running total of bytes really read."""
    where = f"{path}, part {member.filename}"
    parser = _xml_parser() if member.filename.lower().endswith(_XML_SUFFIXES) else None
    if parser is not None:
        _count_cells(parser, member.filename, where, limits)
    read = 0
    try:
        with archive.open(member) as stream:
            for chunk in _chunks(stream):
                read += len(chunk)
                if read > member.file_size or total + read > limits.max_bytes:
                    raise TableTooLarge(f"{where}: inflates to more than its directory declares or than the "
                                        f"limit of {limits.max_bytes:,} bytes (--max-bytes).")
                if parser is not None:
                    parser.Parse(chunk, False)
            if parser is not None:
                parser.Parse(b"", True)
    except _Refused as refused:
        raise TableUnreadable(f"{where}: {refused} XLSX parts never need one; NQDB refuses it rather than "
                              "resolve or expand it.") from refused
    except expat.ExpatError as error:
        raise TableUnreadable(f"{where}: not well-formed XML (line {error.lineno}, column {error.offset}: "
                              f"{expat.ErrorString(error.code)}).") from error
    except (zipfile.BadZipFile, zlib.error) as error:
        raise TableUnreadable(f"{where}: its data does not match the archive's directory ({error}).") from error
    return total + read


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _count_cells(parser: expat.XMLParserType, name: str, where: str, limits: TableLimits) -> None:
    """Count a sheet's cells (and a row's) or the shared strings, before openpyxl holds any of them."""
    lower = name.lower()
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
        counted, row_tag = "c", "row"
    elif lower == "xl/sharedstrings.xml":
        counted, row_tag = "si", ""
    else:
        return
    counts = {"all": 0, "row": 0}

    def start(tag: str, _: object) -> None:
        local = tag.rpartition(":")[2]
        if local == row_tag:
            counts["row"] = 0
        elif local == counted:
            counts["all"] += 1
            counts["row"] += 1
            if counts["all"] > limits.max_cells:
                raise TableTooLarge(f"{where}: more than {limits.max_cells:,} "
                                    f"{'cells' if counted == 'c' else 'shared strings'}; the limit is "
                                    "--max-cells (NQDB_TABLE_MAX_CELLS). Split the register or raise the limit.")
            if row_tag and counts["row"] > MAX_COLUMNS:
                raise TableTooLarge(f"{where}: a row of more than {MAX_COLUMNS:,} cells (the most a sheet "
                                    "can have, as in Excel).")

    parser.StartElementHandler = start


def _xml_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(name: str, *_: object) -> None:
        raise _Refused(f"a document type declaration (<!DOCTYPE {name}>).")

    def entity(name: str, *_: object) -> None:
        raise _Refused(f"an entity declaration (<!ENTITY {name}>).")

    def external(*_: object) -> int:
        raise _Refused("a reference to an external entity.")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    return parser
