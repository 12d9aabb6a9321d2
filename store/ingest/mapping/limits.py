"""How much of a register table NQDB will read: settings with safe defaults, and the hard bounds.

A spreadsheet is a file nobody here wrote: a 1.5 MB XLSX can unzip to gigabytes, a CSV can hold one
cell of a gigabyte. Every table is checked against these limits before and while it is read, and
refused with a message naming the file and the limit, so memory stays bounded (docs/security.md,
"Importing spreadsheets"). The three settings are CLI options of `nqdb import-table` with an
environment variable each; the constants are hard safety bounds no real register comes near.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.ingest.mapping.errors import TableUnreadable

DEFAULT_MAX_CELLS = 2_000_000  # --max-cells / NQDB_TABLE_MAX_CELLS: ~50,000 rows of 40 columns
DEFAULT_MAX_BYTES = 256 << 20  # --max-bytes / NQDB_TABLE_MAX_BYTES: a CSV file; an XLSX unzipped
DEFAULT_MAX_RATIO = 100        # --max-ratio / NQDB_TABLE_MAX_RATIO: unzipped/zipped size of one XLSX part

# Hard bounds (constants, not settings): each is far above what a spreadsheet program itself writes.
MAX_CELL_CHARS = 32_767         # Excel's own limit on the characters of one cell
MAX_COLUMNS = 16_384            # cells in one row of a sheet (Excel's columns A to XFD)
MAX_MEMBERS = 1_000             # parts of an XLSX archive (a workbook of 20 sheets has about 50)
RATIO_FLOOR_BYTES = 1 << 20     # parts smaller than 1 MiB unzipped are not ratio-checked (tiny parts
                                # such as styles compress very well and cannot hurt)


class TableTooLarge(TableUnreadable):
    """A register table over one of the limits: refused before it could exhaust memory or disk."""


@dataclass(frozen=True)
class TableLimits:
    """The limits of one import (per table: cells and characters; per workbook: the archive)."""

    max_cells: int = DEFAULT_MAX_CELLS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_ratio: float = DEFAULT_MAX_RATIO


class CellBudget:
    """Counts the cells and characters read from one table and refuses the table past the limits."""

    def __init__(self, name: str, limits: TableLimits) -> None:
        self.name, self.limits = name, limits
        self.cells = 0
        self.chars = 0

    def row(self, number: int, cells: list[str], columns: tuple[str, ...]) -> None:
        """Count one row (at least one cell, so a sheet of empty rows is bounded too).

        Raises:
            TableTooLarge: naming the table, the row and (for a long cell) the column.
        """
        self.cells += max(1, len(cells))
        if self.cells > self.limits.max_cells:
            raise TableTooLarge(f"{self.name}: more than {self.limits.max_cells:,} cells (at row {number}); "
                                "the limit is --max-cells (NQDB_TABLE_MAX_CELLS). Split the register or "
                                "raise the limit.")
        for position, text in enumerate(cells):
            self.chars += len(text)
            if len(text) > MAX_CELL_CHARS:
                column = columns[position] if position < len(columns) else f"#{position + 1}"
                raise TableTooLarge(f"{self.name}, row {number}, column {column!r}: a cell of {len(text):,} "
                                    f"characters; a cell may hold at most {MAX_CELL_CHARS:,} characters "
                                    "(as in Excel).")
        if self.chars > self.limits.max_bytes:
            raise TableTooLarge(f"{self.name}: more than {self.limits.max_bytes:,} characters of cell text "
                                f"(at row {number}); the limit is --max-bytes (NQDB_TABLE_MAX_BYTES).")
