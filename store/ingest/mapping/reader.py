"""Read register tables: CSV (sniffed separator, UTF-8 with or without BOM) and XLSX sheets (read-only).

Both are read within store/ingest/mapping/limits.py: a CSV's size is checked before it is read, an XLSX archive
by store/ingest/mapping/xlsx_guard.py before openpyxl opens it, and the cells of either are counted as they
stream in (openpyxl's read-only mode), so an over-limit table stops at the limit, not at a MemoryError.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from store.ingest.mapping.errors import TableUnreadable
from store.ingest.mapping.limits import MAX_CELL_CHARS, CellBudget, TableLimits, TableTooLarge
from store.ingest.mapping.xlsx_guard import check_workbook
from store.opendata.tables import FORMULA_START

_SEPARATORS = ",;\t|"


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells as trimmed text ('' when empty)."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell text of `column`, '' when the column is absent or the cell empty."""
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    """A register table: its display name (file, or file#sheet), its columns and its rows."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row]


def read_table(path: Path, sheet: str | None = None, delimiter: str | None = None,
               limits: TableLimits | None = None) -> Table:
    """Read a CSV file or one sheet of an XLSX workbook (default: its first sheet).

    Raises:
        TableUnreadable: missing file, unknown sheet, not UTF-8, no header row, an unsafe workbook.
        TableTooLarge: over one of the limits (the message names it and its setting).
    """
    limits = limits or TableLimits()
    if not path.is_file():
        raise TableUnreadable(f"{path}: no such file.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, limits)
    return _read_csv(path, delimiter, limits)


def _read_csv(path: Path, delimiter: str | None, limits: TableLimits) -> Table:
    try:
        data = _read_capped(path, limits.max_bytes + 1)  # never more than the limit, whatever stat says
    except OSError as error:
        raise TableUnreadable(f"{path}: cannot be read ({error.strerror}).") from error
    if len(data) > limits.max_bytes:
        raise TableTooLarge(f"{path}: larger than the limit of {limits.max_bytes:,} bytes (--max-bytes, "
                            "NQDB_TABLE_MAX_BYTES).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableUnreadable(f"{path}: byte {error.start} is not UTF-8; save the file as UTF-8 CSV."
                              ) from error
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:65536], delimiters=_SEPARATORS).delimiter
        except csv.Error:
            delimiter = ","
    del data
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table(path.name, records, limits)
    except csv.Error as error:  # a field over csv.field_size_limit(), or a NUL byte
        raise TableTooLarge(f"{path.name}, line {records.line_num}: {error}; a cell may hold at most "
                            f"{MAX_CELL_CHARS:,} characters.") from error


def _read_capped(path: Path, cap: int) -> bytes:
    """At most `cap` bytes of a file, read in chunks (read(cap) would allocate `cap` up front)."""
    chunks, size = [], 0
    with path.open("rb") as stream:
        while size < cap and (chunk := stream.read(min(1 << 20, cap - size))):
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _read_xlsx(path: Path, sheet: str | None, limits: TableLimits) -> Table:
    import openpyxl  # imported here: only XLSX imports pay for it

    check_workbook(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (zip, xml, key errors) for a broken file
        raise TableUnreadable(f"{path}: not a readable XLSX workbook ({error}).") from error
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableUnreadable(f"{path}: no sheet named {sheet!r}; the sheets are "
                                  f"{', '.join(book.sheetnames)}.")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()  # rows as wide as their cells, not as the sheet's declared size
        cells = worksheet.iter_rows(values_only=True)
        try:
            return _table(f"{path.name}#{worksheet.title}", ([_cell_text(v) for v in values] for values in cells),
                          limits)
        finally:
            cells.close()  # a generator: closes the sheet's stream now, not at garbage collection
    except TableUnreadable:
        raise
    except Exception as error:  # openpyxl raises many kinds (xml, key, value errors) for a broken sheet
        raise TableUnreadable(f"{path}: not a readable XLSX workbook ({error}).") from error
    finally:
        book.close()


def _table(name: str, records: Iterable[list[str]], limits: TableLimits) -> Table:
    budget = CellBudget(name, limits)
    iterator = iter(records)
    header = next(iterator, None)
    if not header or not any(str(c).strip() for c in header):
        raise TableUnreadable(f"{name}: the first row must hold the column names, and it is empty.")
    columns = tuple(str(c).strip() for c in header)
    budget.row(1, header, columns)
    rows: list[Row] = []
    for number, record in enumerate(iterator, start=2):
        budget.row(number, record, columns)
        cells = {c: str(v).strip() for c, v in zip(columns, record, strict=False) if c and v is not None}
        if any(cells.values()):
            rows.append(Row(number, cells))
    return Table(name, columns, rows)


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees: 5.0 -> '5', dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def undo_formula_guard(table: Table) -> Table:
    """The table with the "'" that defuses spreadsheet formulas removed (store/opendata/tables.py adds it)."""

    def plain(value: str) -> str:
        return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value

    return Table(table.name, table.columns,
                 [Row(row.number, {c: plain(v) for c, v in row.cells.items()}) for row in table.rows])
