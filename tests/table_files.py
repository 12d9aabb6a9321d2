"""Spreadsheet files for the import-table safety tests: small workbooks, bombs and tampered archives."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_END = b"</sheetData></worksheet>"


def workbook(path: Path) -> Path:
    """A one-sheet workbook ("Qualifications") with the template's key column and one row."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Qualifications"
    sheet.append(["id", "title_en"])
    sheet.append(["Q1", "Plumbing"])
    book.save(path)
    return path


def rewrite(source: Path, target: Path, replace: dict[str, Callable[[], Iterator[bytes]]]) -> Path:
    """A copy of the archive `source` whose named parts are replaced by streamed content (others copied)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replace:
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with new.open(member, "w") as stream:
                    for chunk in replace[info.filename]():
                        stream.write(chunk)
            else:
                new.writestr(info, old.read(info))
    return target


def with_doctype(source: Path, target: Path, part: str) -> Path:
    """The workbook with an internal-entity DTD (a "billion laughs" seed) inserted into one XML part."""
    with zipfile.ZipFile(source) as old:
        text = old.read(part)
    start = text.index(b"?>") + 2 if text.startswith(b"<?xml") else 0
    dtd = b'<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    patched = text[:start] + dtd + text[start:]
    return rewrite(source, target, {part: lambda: iter([patched])})


def sheet_of(rows: Iterator[bytes]) -> Callable[[], Iterator[bytes]]:
    """Sheet XML: the header row, then `rows`, streamed."""
    def stream() -> Iterator[bytes]:
        yield SHEET_START
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        yield from rows
        yield SHEET_END
    return stream


def identical_cells(rows: int, per_row: int) -> Iterator[bytes]:
    """Rows of identical numeric cells without coordinates: compresses about a thousand to one."""
    row = b"<row>" + b"<c><v>1</v></c>" * per_row + b"</row>"
    for _ in range(rows):
        yield row


def counted_cells(rows: int, per_row: int) -> Iterator[bytes]:
    """Rows of distinct numbers: compresses a few to one, so only the cell count can stop it."""
    for r in range(rows):
        yield b"<row>" + b"".join(b"<c><v>%d</v></c>" % (r * per_row + c) for c in range(per_row)) + b"</row>"


def understate_sizes(path: Path, part: str, declared: int) -> None:
    """Make the archive's local header and central directory claim `part` unzips to `declared` bytes."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30: local + 30 + name_length] == name:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
