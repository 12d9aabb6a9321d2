"""Problems found while reading a register table, in plain words, with the row, column and value at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CellError:
    """One problem in one cell (or one row, when `column` is None) of a register table."""

    table: str
    row: int  # as a spreadsheet shows it: the header is row 1, the first data row is row 2
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table}, row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        shown = "" if self.value is None else f" (value: {self.value!r})"
        return f"{where}: {self.message}{shown}."

    def to_json(self) -> dict[str, object]:
        """The error as a JSON object."""
        return {"table": self.table, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message}


class MappingInvalid(ValueError):
    """The mapping file cannot be used: unreadable, not YAML/JSON, or not as mapping.schema.json says."""


class TableUnreadable(ValueError):
    """A register file or sheet cannot be read at all (missing, not UTF-8, no header, unknown sheet)."""


class RowsRejected(ValueError):
    """Some rows have errors and --skip-invalid was not given: nothing was built or loaded."""

    def __init__(self, errors: list[CellError], notices: list[CellError] | None = None) -> None:
        self.errors = errors
        self.notices = notices or []
        super().__init__(f"{len(errors)} error(s) in the register; nothing was imported. "
                         "Fix them, or pass --skip-invalid to import the valid rows only.")
